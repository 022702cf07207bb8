/// An email address: a local part and an ASCII domain, validated, ready for an SMTP envelope.
///
/// Built only through validating initialisers, so holding one means the address has no
/// control characters, no non-ASCII local part (SMTPUTF8 is not used) and a domain that is
/// either a valid host name (IDN labels already in Punycode) or an address literal.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// The local part's value, unquoted: `john smith` for `"john smith"@example.com`.
    public let localPart: String
    /// The domain as DNS sees it: lowercased ASCII, IDN labels as `xn--…`, or `[192.0.2.1]`.
    public let domain: String
    /// The RFC 5321 form for `MAIL FROM`/`RCPT TO` and headers: local part quoted only when it must be.
    public let addrSpec: String
    /// The key under which two spellings of one mailbox compare equal (`John@Example.COM` and
    /// `john@example.com`). Local parts are case-sensitive in theory; in practice no server
    /// that matters treats them so, and sending the same person two copies is the worse error.
    public let normalizedKey: String

    static let maxLocalPartLength = 64

    /// Builds an address from its parts; the domain may be Unicode (it is converted to Punycode).
    public init(localPart: String, domain: String) throws(AddressError) {
        let display = "\(localPart)@\(domain)"
        do throws(AddressProblem) {
            let quoted = try Self.encodeLocalPart(localPart)
            let asciiDomain = try Self.normalizeDomain(domain)
            self.init(validatedLocalPart: localPart, quotedLocalPart: quoted, domain: asciiDomain)
        } catch {
            throw error.named(display)
        }
    }

    /// Parses a bare addr-spec (`local@domain`, local part dot-atom or quoted-string).
    /// Surrounding blanks are ignored; a display name or angle brackets are not accepted here.
    public init(parsing text: String) throws(AddressError) {
        var parser = AddressParser(text)
        self = try parser.parseSingleAddrSpec()
    }

    init(validatedLocalPart: String, quotedLocalPart: String, domain: String) {
        self.localPart = validatedLocalPart
        self.domain = domain
        let addrSpec = quotedLocalPart + "@" + domain
        self.addrSpec = addrSpec
        self.normalizedKey = String(decoding: addrSpec.utf8.map(Self.asciiLowercase), as: UTF8.self)
    }

    /// The domain with IDN labels shown in Unicode, for people (`bücher.example`).
    public var unicodeDomain: String { IDNA.toUnicode(domain) ?? domain }

    public var description: String { addrSpec }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
