/// An email address that could not be parsed or is not deliverable as written.
///
/// The description names the address (control characters shown escaped, so a hostile value
/// cannot forge log lines) and says what is wrong with it: the CRM user reading a failed
/// outbox row must be able to find and fix the bad value.
public struct AddressError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case empty
        case missingAt
        case missingLocalPart
        case missingDomain
        case invalidLocalPart
        case invalidDomain
        case unsupportedSyntax
        case syntax
        case tooLong
        case multipleAddresses
    }

    public let kind: Kind
    /// The offending input, made printable and cut to a readable length.
    public let address: String
    /// What is wrong, in a few words ("missing @", "invalid domain label 'x y'").
    public let reason: String

    public init(_ kind: Kind, address: String, reason: String) {
        self.kind = kind
        self.address = Self.printable(address)
        self.reason = reason
    }

    public var description: String { "invalid email address '\(address)': \(reason)" }

    /// Shows control characters as escapes and truncates very long input.
    static func printable(_ text: String, limit: Int = 200) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                result += "…"
                break
            }
            count += 1
            switch scalar {
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            case "\0": result += "\\0"
            case "\t": result += "\\t"
            default:
                if scalar.isControlCharacter || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
