import Foundation

/// Dates, times, numbers and amounts written the way a recipient's language writes them.
///
/// Hand-written patterns rather than ICU's (`Date.FormatStyle`, `NumberFormatter`): ICU's output
/// changes between versions (en-US times gained a narrow no-break space in ICU 72), its
/// formatters are costly to build, and a digest needs exactly three fixed styles. The patterns
/// follow CLDR for each locale:
///
/// | locale | date and time        | 1234.5 | 12345.5   | €       |
/// | ------ | -------------------- | ------ | --------- | ------- |
/// | en     | 27 Nov 2026, 14:05   | 1,234.5| 12,345.5  | €1,234.50 |
/// | pt-PT  | 27/11/2026, 14:05    | 1234,5 | 12 345,5  | 1234,50 € |
/// | pt-BR  | 27/11/2026, 14:05    | 1.234,5| 12.345,5  | € 1.234,50 |
///
/// pt-PT does not group four-digit numbers (CLDR `minimumGroupingDigits` = 2) and groups larger
/// ones with a no-break space; the spaces around currency symbols are no-break spaces too, so a
/// mail client never wraps an amount.
public struct LocaleFormatter: Sendable {
    public let locale: LocaleTag

    public init(locale: LocaleTag) {
        self.locale = locale
    }

    private static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let noBreakSpace = "\u{00A0}"

    /// The date and time of `date` on the wall clock of `timeZone`.
    public func dateTime(_ date: Date, timeZone: TimeZone) -> String {
        let clock = ZonedClock(timeZone: timeZone)
        let wall = clock.wallClock(at: Int(date.timeIntervalSince1970.rounded(.down)))
        let day = wall.date
        let time = Self.twoDigits(wall.secondsIntoDay / 3600) + ":" + Self.twoDigits(wall.secondsIntoDay % 3600 / 60)
        switch locale {
        case .en:
            return "\(day.day) \(Self.englishMonths[day.month - 1]) \(day.year), \(time)"
        case .ptPT, .ptBR:
            return "\(Self.twoDigits(day.day))/\(Self.twoDigits(day.month))/\(day.year), \(time)"
        }
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }

    private var separators: (decimal: String, group: String, minimumGroupingDigits: Int) {
        switch locale {
        case .en: return (".", ",", 1)
        case .ptPT: return (",", Self.noBreakSpace, 2)
        case .ptBR: return (",", ".", 1)
        }
    }

    /// A number with at most `maximumFractionDigits` decimals (trailing zeros dropped) unless
    /// `minimumFractionDigits` asks to keep some. Values too large to format exactly (beyond
    /// 10^15) fall back to Swift's own description.
    public func number(_ value: Double, minimumFractionDigits: Int = 0, maximumFractionDigits: Int = 2) -> String {
        guard value.isFinite else { return String(value) }
        let scale = Int(pow(10, Double(maximumFractionDigits)))
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 1e15 else { return String(value) }
        let units = Int(scaled)
        let integer = units / scale
        var fraction = String(units % scale)
        fraction = String(repeating: "0", count: maximumFractionDigits - fraction.count) + fraction
        while fraction.count > minimumFractionDigits, fraction.last == "0" { fraction.removeLast() }

        let (decimal, group, minimumGrouping) = separators
        let digits = String(integer)
        var grouped = ""
        if digits.count >= 4 + (minimumGrouping - 1) {
            for (index, digit) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { grouped += group }
                grouped.append(digit)
            }
        } else {
            grouped = digits
        }
        let sign = value < 0 && units > 0 ? "-" : ""
        return sign + grouped + (fraction.isEmpty ? "" : decimal + fraction)
    }

    /// A money amount with two decimals and the currency's symbol where this locale puts it;
    /// an unknown currency code is written as the code itself. Without a currency, just the number.
    public func amount(_ value: Double, currency: String?) -> String {
        let digits = number(value, minimumFractionDigits: 2, maximumFractionDigits: 2)
        guard let code = currency?.trimmingWhitespace().uppercased(), !code.isEmpty else { return digits }
        let symbol = Self.symbol(for: code, locale: locale)
        let nbsp = Self.noBreakSpace
        switch locale {
        case .en:
            return symbol.count == 3 ? symbol + nbsp + digits : symbol + digits
        case .ptPT:
            return digits + nbsp + symbol
        case .ptBR:
            return symbol + nbsp + digits
        }
    }

    static func symbol(for code: String, locale: LocaleTag) -> String {
        switch (code, locale) {
        case ("EUR", _): return "€"
        case ("GBP", _): return "£"
        case ("BRL", _): return "R$"
        case ("USD", .en): return "$"
        case ("USD", _): return "US$"
        default: return code
        }
    }
}
