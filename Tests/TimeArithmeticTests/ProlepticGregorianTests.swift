import Testing
import TimeArithmetic

@Suite struct ProlepticGregorianTests {
    @Test func dayCountsAndDatesAgreeBothWays() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (year, month, day) = ProlepticGregorian.date(days: days)
            #expect(ProlepticGregorian.days(year: year, month: month, day: day) == days)
        }
    }

    @Test func knownDates() {
        #expect(ProlepticGregorian.date(days: 0) == (1970, 1, 1))
        #expect(ProlepticGregorian.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(ProlepticGregorian.days(year: 1969, month: 12, day: 31) == -1)
        // Proleptic: no Julian switch in 1582, and year 0 (1 BC) is a leap year.
        #expect(ProlepticGregorian.date(days: ProlepticGregorian.days(year: 1582, month: 10, day: 4) + 1) == (1582, 10, 5))
        #expect(ProlepticGregorian.date(days: ProlepticGregorian.days(year: 0, month: 2, day: 28) + 1) == (0, 2, 29))
    }

    @Test func instantsBefore1970FallOnTheDayBefore() {
        #expect(ProlepticGregorian.dayAndSecond(of: -1) == (-1, 86_399))
        #expect(ProlepticGregorian.dayAndSecond(of: 0) == (0, 0))
        #expect(ProlepticGregorian.dayAndSecond(of: 86_400 * 3 + 5) == (3, 5))
        #expect((-7).flooredDivision(by: 2) == -4)
        #expect(7.flooredDivision(by: -2) == -4)
        #expect(6.flooredDivision(by: 3) == 2)
    }

    @Test func durationsInSeconds() {
        #expect(Duration.milliseconds(1500).inSeconds == 1.5)
        #expect(Duration.seconds(-2).inSeconds == -2)
        #expect(Duration.zero.inSeconds == 0)
    }
}
