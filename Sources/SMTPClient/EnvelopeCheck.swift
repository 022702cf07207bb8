#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks what goes onto SMTP command lines and into DATA before anything is written.
///
/// An envelope address is pasted into `MAIL FROM:<...>` / `RCPT TO:<...>`: a CR, LF or NUL in it
/// would let a crafted address inject commands. Message bytes with a bare LF or CR could end the
/// DATA section early on a lenient server (SMTP smuggling). Both are refused here, with an error
/// naming the address or the offset.
public enum EnvelopeCheck {
    /// RFC 5321's path limit is 256 octets including the angle brackets.
    public static let maximumAddressLength = 254

    /// Why `address` cannot be an envelope address, or nil when it can.
    ///
    /// Accepted: `local@domain`, printable ASCII, no spaces or angle brackets outside a quoted
    /// local part, a domain of letters, digits, hyphens and dots, or an address literal `[...]`.
    /// Non-ASCII is allowed in the local part only (RFC 6531; the session then needs a server
    /// offering SMTPUTF8, which `SMTPTransactionMachine` checks): domains must be punycoded first.
    public static func problem(withAddress address: String) -> String? {
        let bytes = Array(address.utf8)
        if bytes.isEmpty { return "is empty" }
        if bytes.count > maximumAddressLength { return "is longer than \(maximumAddressLength) characters" }
        let at = bytes.lastIndex(of: UInt8(ascii: "@"))
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0: return "contains a NUL character"
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"): return "contains a line break"
            case 0..<0x20, 0x7F: return "contains a control character"
            case 0x80... where index > (at ?? bytes.count):
                return "has non-ASCII characters in its domain (punycode it)"
            default: continue
            }
        }
        guard let at else { return "has no @domain" }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        if local.isEmpty { return "has an empty local part" }
        if domain.isEmpty { return "has an empty domain" }
        if let problem = localPartProblem(local) { return problem }
        return domainProblem(domain)
    }

    private static func localPartProblem(_ local: ArraySlice<UInt8>) -> String? {
        if local.first == UInt8(ascii: "\"") {
            guard local.count >= 2, local.last == UInt8(ascii: "\"") else { return "has an unterminated quoted local part" }
            return nil
        }
        for byte in local {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"), UInt8(ascii: "\""),
                 UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "@"):
                return "has a '\(Character(UnicodeScalar(byte)))' in its local part"
            default: continue
            }
        }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") { return "has a local part starting or ending with a dot" }
        return nil
    }

    private static func domainProblem(_ domain: ArraySlice<UInt8>) -> String? {
        if domain.first == UInt8(ascii: "[") {
            guard domain.last == UInt8(ascii: "]"), !domain.dropFirst().dropLast().contains(where: {
                $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\\")
            }) else { return "has a malformed address literal" }
            return nil
        }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for byte in domain {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                labelLength += 1
            case UInt8(ascii: "-"):
                if previous == UInt8(ascii: ".") { return "has a domain label starting with a hyphen" }
                labelLength += 1
            case UInt8(ascii: "."):
                if labelLength == 0 { return "has an empty domain label" }
                if previous == UInt8(ascii: "-") { return "has a domain label ending with a hyphen" }
                labelLength = 0
            default:
                return "has a '\(Character(UnicodeScalar(byte)))' in its domain"
            }
            if labelLength > 63 { return "has a domain label longer than 63 characters" }
            previous = byte
        }
        if labelLength == 0 { return "has an empty domain label" }
        if previous == UInt8(ascii: "-") { return "has a domain label ending with a hyphen" }
        return nil
    }

    /// The offset of the first bare CR, bare LF or NUL in `message`, with what it is; nil when
    /// every line ends in CRLF. Runs on every message, so it scans with memchr (vectorised)
    /// rather than byte by byte.
    public static func messageProblem(_ message: UnsafeRawBufferPointer) -> (offset: Int, problem: String)? {
        guard let base = message.baseAddress, !message.isEmpty else { return nil }
        let count = message.count
        var first: (offset: Int, problem: String)?
        func note(_ offset: Int, _ problem: String) {
            if first == nil || offset < first!.offset { first = (offset, problem) }
        }
        if let nul = memchr(base, 0, count) { note(base.distance(to: UnsafeRawPointer(nul)), "a NUL byte") }
        var offset = 0
        while offset < count, let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), count - offset) {
            let at = base.distance(to: UnsafeRawPointer(found))
            if at == 0 || message[at - 1] != UInt8(ascii: "\r") {
                note(at, "an LF not preceded by CR")
                break
            }
            offset = at + 1
        }
        offset = 0
        while offset < count, let found = memchr(base + offset, Int32(UInt8(ascii: "\r")), count - offset) {
            let at = base.distance(to: UnsafeRawPointer(found))
            if at + 1 == count || message[at + 1] != UInt8(ascii: "\n") {
                note(at, "a CR not followed by LF")
                break
            }
            offset = at + 1
        }
        return first
    }
}
