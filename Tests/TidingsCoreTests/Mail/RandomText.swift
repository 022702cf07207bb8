@testable import TidingsCore

/// Seeded random text that mixes what real subjects and names contain with what breaks
/// naive encoders: every script, emoji sequences, combining marks, specials, `=?`, long
/// words, blank runs, tabs, and the occasional CR, LF or NUL.
struct RandomText {
    var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    private static let words = ["proposta", "Deal", "revisão", "nº", "ação", "João", "Conceição", "2025", "Q3",
                                "Re:", "Fwd:", "(draft)", "[CRM]", "\"quoted\"", "a,b", "x@y", "50%", "=?", "?=",
                                "=?utf-8?q?x?=", "_under_", "semi;colon", "back\\slash", "<angle>", "naïve"]
    private static let pieces: [[String]] = [
        ["ab", "Deal", "x", "quarterly", "ZZ"],
        ["é", "ç", "ã", "ñ", "ü", "ø", "ß", "Ł", "ő"],
        ["Ελλάδα", "δοκιμή", "Москва", "пример", "עברית", "مرحبا", "हिन्दी", "ไทย"],
        ["日本語", "見積書", "中文", "한국어", "カタカナ", "ひらがな", "。", "（", "）"],
        ["🎉", "👍🏽", "👩‍👩‍👧‍👦", "🇵🇹", "🏳️‍🌈", "😀", "🧑🏿‍💻", "❤️"],
        ["e\u{301}", "a\u{308}\u{304}", "Z\u{351}\u{34B}\u{34C}\u{35B}\u{346}\u{352}\u{357}\u{35B}\u{31A}\u{31B}\u{305}\u{306}\u{307}\u{308}\u{309}\u{30A}\u{30B}\u{30C}\u{30D}\u{30E}\u{30F}\u{310}\u{311}\u{312}"],
        ["\u{A0}", "\u{3000}", "\u{200B}", "\u{FEFF}"],
        [",", ".", ";", ":", "\"", "(", ")", "<", ">", "@", "[", "]", "\\", "=", "?", "_", "!", "#"],
    ]

    mutating func number(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }

    mutating func word() -> String {
        switch number(10) {
        case 0..<3: return Self.words[number(Self.words.count)]
        case 3: return String(repeating: Self.pieces[number(2)][0], count: 20 + number(60))  // long word
        default:
            return (0..<(1 + number(4))).map { _ in
                let pool = Self.pieces[number(Self.pieces.count)]
                return pool[number(pool.count)]
            }.joined()
        }
    }

    mutating func blanks() -> String {
        switch number(40) {
        case 0: return "\t"
        case 1: return "  "
        case 2: return String(repeating: " ", count: 40 + number(30))
        case 3: return ["\r\n", "\n", "\0", "\r"][number(4)]
        default: return " "
        }
    }

    mutating func text(maxWords: Int) -> String {
        let count = 1 + number(maxWords)
        var result = word()
        for _ in 1..<count { result += blanks() + word() }
        return result
    }
}
