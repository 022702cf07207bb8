import Foundation
import TestSupport
import Testing
@testable import TidingsCore

@Suite("Email addresses and IDN domains")
struct MailEmailAddressTests {
    @Test(arguments: [
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.Example", "xn--bcher-kva.example"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f"),
        ("ñandú.com.ar", "xn--and-6ma2c.com.ar"),
        ("δοκιμή.gr", "xn--jxalpdlp.gr"),
        ("한국.kr", "xn--3e0b707e.kr"),
        ("bu\u{308}cher.example", "xn--bcher-kva.example"),  // NFC first: u + combining diaeresis
        ("例え。テスト", "xn--r8jz45g.xn--zckzah"),             // ideographic full stop separates labels
        ("Example.COM", "example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ])
    func convertsDomainsToASCII(_ input: String, _ expected: String) throws {
        let address = try EmailAddress(localPart: "info", domain: input)
        #expect(address.domain == expected)
        #expect(address.addrSpec == "info@\(expected)")
    }

    /// The same domains through Python's IDNA codec (IDNA 2003), in one run.
    @Test func agreesWithPythonIDNA() async throws {
        let domains = ["bücher.example", "BÜCHER.example", "münchen.de", "例え.テスト", "пример.испытание",
                       "ñandú.com.ar", "δοκιμή.gr", "한국.kr", "ελληνικά.example", "مثال.example", "société.fr"]
        let script = "import sys, json\nfor d in json.load(sys.stdin): print(d.encode('idna').decode())"
        let input = try JSONEncoder().encode(domains)
        let output = try await offThePool { try runProcess("python3", ["-c", script], input: input) }
        let expected = output.stdoutText.split(separator: "\n").map(String.init)
        #expect(expected.count == domains.count)
        for (domain, python) in zip(domains, expected) {
            #expect(try EmailAddress(localPart: "a", domain: domain).domain == python, "\(domain)")
        }
    }

    /// IDNA 2008 (what browsers and mail clients use now) keeps ß; IDNA 2003 mapped it to "ss".
    @Test func keepsSharpSAsIDNA2008Does() throws {
        #expect(try EmailAddress(localPart: "a", domain: "straße.de").domain == "xn--strae-oqa.de")
    }

    @Test func showsTheUnicodeDomain() throws {
        #expect(try EmailAddress(parsing: "info@bücher.example").unicodeDomain == "bücher.example")
    }

    @Test(arguments: [
        ("john smith", "\"john smith\"@example.com"),
        ("john.smith", "john.smith@example.com"),
        ("a\"b\\c", "\"a\\\"b\\\\c\"@example.com"),
        (".leading", "\".leading\"@example.com"),
        ("double..dot", "\"double..dot\"@example.com"),
        ("joão.silva", "joão.silva@example.com"),
        ("joão silva", "\"joão silva\"@example.com"),
    ])
    func quotesLocalPartsOnlyWhenNeeded(_ local: String, _ addrSpec: String) throws {
        let address = try EmailAddress(localPart: local, domain: "example.com")
        #expect(address.addrSpec == addrSpec)
        #expect(address.localPart == local)
        // And the wire form parses back to the same address.
        #expect(try EmailAddress(parsing: addrSpec) == address)
    }

    @Test func normalizedKeyIgnoresCase() throws {
        let first = try EmailAddress(parsing: "John.Smith@Example.COM")
        let second = try EmailAddress(parsing: "john.smith@example.com")
        #expect(first.normalizedKey == second.normalizedKey)
        #expect(first.addrSpec == "John.Smith@example.com")
    }

    @Test(arguments: [
        ("", AddressError.Kind.empty, "empty address"),
        ("   ", .empty, "empty address"),
        ("foo", .missingAt, "missing @"),
        ("foo@", .missingDomain, "missing domain"),
        ("@example.com", .missingLocalPart, "missing local part"),
        ("a..b@example.com", .invalidLocalPart, "misplaced dot in the local part"),
        ("a b@example.com", .invalidLocalPart, "character ' ' in the local part needs quoting"),
        ("foo@x y.com", .invalidDomain, "invalid domain label 'x y'"),
        ("foo@-bad.com", .invalidDomain, "invalid domain label '-bad': starts or ends with a hyphen"),
        ("foo@exa_mple.com", .invalidDomain, "invalid domain label 'exa_mple'"),
        ("foo@example..com", .invalidDomain, "empty domain label"),
        ("foo@example.com.", .invalidDomain, "empty domain label"),
        ("foo@bar@baz.com", .syntax, "more than one @"),
        ("foo@xn--zz.com", .invalidDomain, "invalid domain label 'xn--zz': not valid Punycode"),
        ("foo@exa🙂mple.com", .invalidDomain, "invalid domain label 'exa🙂mple': '🙂' is not allowed in a domain"),
        ("foo@[300.1.1.1]", .invalidDomain, "invalid address literal [300.1.1.1]"),
        ("\"unterminated@example.com", .syntax, "unterminated quoted string"),
        ("a\r\nb@example.com", .invalidLocalPart, "character '\\r' in the local part needs quoting"),
        ("x@example.com, y@example.com", .multipleAddresses, "more than one address where one was expected"),
    ])
    func rejectsInvalidAddressesNamingThem(_ input: String, _ kind: AddressError.Kind, _ reason: String) {
        #expect {
            _ = try EmailAddress(parsing: input)
        } throws: { error in
            guard let error = error as? AddressError else { return false }
            return error.kind == kind && error.reason == reason
                && error.description == "invalid email address '\(AddressError.printable(input))': \(reason)"
        }
    }

    @Test func rejectsOverlongParts() {
        #expect(throws: AddressError.self) { try EmailAddress(localPart: String(repeating: "a", count: 65), domain: "example.com") }
        #expect(throws: AddressError.self) { try EmailAddress(localPart: "a", domain: String(repeating: "a", count: 64) + ".com") }
        let longDomain = (0..<5).map { _ in String(repeating: "a", count: 60) }.joined(separator: ".")
        #expect(throws: AddressError.self) { try EmailAddress(localPart: "a", domain: longDomain) }
    }

    @Test func acceptsAddressLiterals() throws {
        #expect(try EmailAddress(parsing: "postmaster@[192.0.2.1]").domain == "[192.0.2.1]")
        #expect(try EmailAddress(parsing: "postmaster@[IPv6:2001:DB8::1]").domain == "[IPv6:2001:db8::1]")
    }

    @Test func errorDescriptionsShowControlCharactersEscaped() {
        let error = AddressError(.missingAt, address: "evil\r\nRCPT TO:<x@y>\0", reason: "missing @")
        #expect(error.description == "invalid email address 'evil\\r\\nRCPT TO:<x@y>\\0': missing @")
        #expect(!error.description.contains("\r") && !error.description.contains("\n"))
    }
}
