import Testing
import SMTPClient

@Suite struct EnvelopeCheckTests {
    @Test(arguments: ["a@example.com", "first.last+tag@sub.example.co", "\"quoted local\"@example.com",
                      "x@[127.0.0.1]", "o'brien@xn--bcher-kva.example",
                      "josé@example.com"])
    func goodAddresses(_ address: String) {
        #expect(EnvelopeCheck.problem(withAddress: address) == nil)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("a@example.com\r\nRCPT TO:<b@example.com>", "contains a line break"),
        ("a\0@example.com", "contains a NUL character"),
        ("a\t@example.com", "contains a control character"),
        ("example.com", "has no @domain"),
        ("@example.com", "has an empty local part"),
        ("a@", "has an empty domain"),
        ("a b@example.com", "has a ' ' in its local part"),
        ("<a@example.com>", "has a '<' in its local part"),
        ("a@exa_mple.com", "has a '_' in its domain"),
        ("a@example..com", "has an empty domain label"),
        ("a@-example.com", "has a domain label starting with a hyphen"),
        (".a@example.com", "has a local part starting or ending with a dot"),
        ("a@example.com>", "has a '>' in its domain"),
        ("jose@exámple.com", "has non-ASCII characters in its domain (punycode it)"),
    ])
    func badAddresses(_ address: String, _ problem: String) {
        #expect(EnvelopeCheck.problem(withAddress: address) == problem)
    }

    @Test func overlongAddressesAreRefused() {
        let address = String(repeating: "a", count: 250) + "@example.com"
        #expect(EnvelopeCheck.problem(withAddress: address) == "is longer than 254 characters")
    }

    @Test func messageLineEndsMustBeCRLF() {
        func check(_ text: String) -> (Int, String)? {
            Array(text.utf8).withUnsafeBytes { EnvelopeCheck.messageProblem($0) }.map { ($0.offset, $0.problem) }
        }
        #expect(check("A: b\r\n\r\nbody\r\n") == nil)
        #expect(check("A: b\r\n\r\nbody") == nil)
        #expect(check("A: b\n") ?? (0, "") == (4, "an LF not preceded by CR"))
        #expect(check("A: b\r\r\n") ?? (0, "") == (4, "a CR not followed by LF"))
        #expect(check("A: b\r") ?? (0, "") == (4, "a CR not followed by LF"))
        #expect(check("A: \0\r\n") ?? (0, "") == (3, "a NUL byte"))
    }
}
