import Foundation
import Testing
@testable import TidingsCore

@Suite("RFC 5322 dates")
struct MailRFC5322DateTests {
    static let utc = TimeZone(identifier: "UTC")!

    @Test(arguments: [
        (0.0, "UTC", "Thu, 1 Jan 1970 00:00:00 +0000"),
        (1_739_455_387, "UTC", "Thu, 13 Feb 2025 14:03:07 +0000"),
        (1_739_455_387, "Europe/Lisbon", "Thu, 13 Feb 2025 14:03:07 +0000"),
        (1_751_374_800, "Europe/Lisbon", "Tue, 1 Jul 2025 14:00:00 +0100"),
        (1_739_455_387, "America/Sao_Paulo", "Thu, 13 Feb 2025 11:03:07 -0300"),
        (1_739_455_387, "Asia/Kolkata", "Thu, 13 Feb 2025 19:33:07 +0530"),
        (1_739_455_387, "Asia/Kathmandu", "Thu, 13 Feb 2025 19:48:07 +0545"),
        (951_782_400, "UTC", "Tue, 29 Feb 2000 00:00:00 +0000"),
        (-86_400.5, "UTC", "Tue, 30 Dec 1969 23:59:59 +0000"),
        (4_102_444_799, "UTC", "Thu, 31 Dec 2099 23:59:59 +0000"),
    ])
    func formats(_ seconds: Double, _ zone: String, _ expected: String) {
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: seconds), in: TimeZone(identifier: zone)!) == expected)
    }

    /// Every day across four centuries against Foundation's calendar (en_US_POSIX), which is
    /// the reference RFC 5322 dates are usually produced with.
    @Test(.onAThreadOfItsOwn) func agreesWithFoundationEveryDay() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Self.utc
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        var mismatches: [String] = []
        for day in stride(from: -40_000, to: 110_000, by: 1) {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400 + 45_296)
            let ours = RFC5322Date.string(from: date, in: Self.utc)
            let theirs = formatter.string(from: date)
            if ours != theirs { mismatches.append("\(ours) ≠ \(theirs)") }
            if mismatches.count > 5 { break }
        }
        #expect(mismatches.isEmpty)
    }
}
