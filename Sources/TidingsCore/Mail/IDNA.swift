import Foundation

/// Turns a domain as a person typed it into the ASCII form DNS and SMTP use.
///
/// IDNA-style: label separators `。．｡` become dots, each label is NFC-normalised and
/// lowercased, non-ASCII labels become `xn--` + Punycode, and every label is checked
/// (1–63 letters, digits and inner hyphens; Unicode labels made of letters, marks and digits).
/// This is the mapping most mail systems apply; it is not the full UTS #46 table.
enum IDNA {
    static let maxDomainLength = 253
    static let maxLabelLength = 63

    static func toASCII(_ domain: String) throws(AddressProblem) -> String {
        if domain.utf8.allSatisfy({ $0 < 0x80 }) {
            let lowered = String(decoding: domain.utf8.map(asciiLowercase), as: UTF8.self)
            let originals = domain.split(separator: ".", omittingEmptySubsequences: false)
            for (label, original) in zip(lowered.split(separator: ".", omittingEmptySubsequences: false), originals) {
                try checkASCIILabel(label, original: String(original))
            }
            return try checkLength(lowered)
        }
        var labels: [String] = []
        for original in domain.split(omittingEmptySubsequences: false, whereSeparator: isLabelSeparator) {
            labels.append(try toASCIILabel(String(original)))
        }
        return try checkLength(labels.joined(separator: "."))
    }

    /// The Unicode form of an ASCII domain, for display; nil when a label is not valid Punycode.
    static func toUnicode(_ domain: String) -> String? {
        var labels: [String] = []
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            if label.hasPrefix("xn--") {
                guard let scalars = Punycode.decode(String(label.dropFirst(4))) else { return nil }
                var text = ""
                text.unicodeScalars.append(contentsOf: scalars)
                labels.append(text)
            } else {
                labels.append(String(label))
            }
        }
        return labels.joined(separator: ".")
    }

    private static func toASCIILabel(_ original: String) throws(AddressProblem) -> String {
        let mapped = original.precomposedStringWithCanonicalMapping.lowercased()
            .precomposedStringWithCanonicalMapping
        if mapped.utf8.allSatisfy({ $0 < 0x80 }) {
            try checkASCIILabel(Substring(mapped), original: original)
            return mapped
        }
        let scalars = Array(mapped.unicodeScalars)
        guard let first = scalars.first, !isMark(first) else {
            throw AddressProblem(.invalidDomain, "invalid domain label '\(original)': starts with a combining mark")
        }
        for scalar in scalars where !isAllowedInLabel(scalar) {
            throw AddressProblem(.invalidDomain, "invalid domain label '\(original)': '\(AddressError.printable(String(scalar)))' is not allowed in a domain")
        }
        if scalars.first == "-" || scalars.last == "-" {
            throw AddressProblem(.invalidDomain, "invalid domain label '\(original)': starts or ends with a hyphen")
        }
        guard let encoded = Punycode.encode(scalars) else {
            throw AddressProblem(.invalidDomain, "invalid domain label '\(original)'")
        }
        let label = "xn--" + encoded
        guard label.utf8.count <= maxLabelLength else {
            throw AddressProblem(.invalidDomain, "invalid domain label '\(original)': longer than 63 octets as \(label)")
        }
        return label
    }

    private static func checkASCIILabel(_ label: Substring, original: String) throws(AddressProblem) {
        guard !label.isEmpty else {
            throw AddressProblem(.invalidDomain, "empty domain label")
        }
        guard label.utf8.count <= maxLabelLength else {
            throw AddressProblem(.invalidDomain, "invalid domain label '\(AddressError.printable(original))': longer than 63 octets")
        }
        for byte in label.utf8 where !isLDH(byte) {
            throw AddressProblem(.invalidDomain, "invalid domain label '\(AddressError.printable(original))'")
        }
        if label.utf8.first == UInt8(ascii: "-") || label.utf8.last == UInt8(ascii: "-") {
            throw AddressProblem(.invalidDomain, "invalid domain label '\(original)': starts or ends with a hyphen")
        }
        if label.hasPrefix("xn--") {
            guard let scalars = Punycode.decode(String(label.dropFirst(4))), !scalars.isEmpty,
                  Punycode.encode(scalars) == String(label.dropFirst(4)) else {
                throw AddressProblem(.invalidDomain, "invalid domain label '\(original)': not valid Punycode")
            }
        }
    }

    private static func checkLength(_ domain: String) throws(AddressProblem) -> String {
        guard domain.utf8.count <= maxDomainLength else {
            throw AddressProblem(.tooLong, "domain longer than 253 octets")
        }
        return domain
    }

    private static func isLabelSeparator(_ character: Character) -> Bool {
        character == "." || character == "\u{3002}" || character == "\u{FF0E}" || character == "\u{FF61}"
    }

    private static func isLDH(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): true
        default: false
        }
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// Letters, marks and digits (IDNA2008's PVALID, approximately) plus ASCII letters, digits, hyphen.
    private static func isAllowedInLabel(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return isLDH(UInt8(scalar.value)) }
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
            return true
        default:
            return false
        }
    }
}
