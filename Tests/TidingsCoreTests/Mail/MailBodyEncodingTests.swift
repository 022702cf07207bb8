import Foundation
import Testing
@testable import TidingsCore

@Suite("Body transfer encodings")
struct MailBodyEncodingTests {
    private func encode(_ text: String, _ encoding: TransferEncoding) -> String {
        var input = text
        var out: [UInt8] = []
        input.withUTF8 { encoding.write($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private func choose(_ text: String) -> TransferEncoding {
        var input = text
        return input.withUTF8 { TransferEncoding.choose(for: $0) }
    }

    @Test func choosesPerContent() {
        #expect(choose("Plain ASCII.\nShort lines.\n") == .sevenBit)
        #expect(choose("Olá, segue a proposta de revisão.\n") == .quotedPrintable)
        #expect(choose("見積書の第2版をお送りします。よろしくお願いいたします。\n") == .base64)
        #expect(choose(String(repeating: "x", count: 79)) == .quotedPrintable)
        #expect(choose(String(repeating: "x", count: 78)) == .sevenBit)
        #expect(choose("a\n.\nb") == .quotedPrintable)
        #expect(choose(".a") == .quotedPrintable)
        #expect(choose("a\nFrom me\n") == .quotedPrintable)
        #expect(choose("trailing \nx") == .quotedPrintable)
        #expect(choose("trailing\t") == .quotedPrintable)
        #expect(choose("nul\0") == .quotedPrintable)
    }

    @Test func quotedPrintableKeepsLinesShortAndSafe() {
        #expect(encode("a = b \n.\n.x\nFrom x\nFromage\n", .quotedPrintable) == "a =3D b=20\r\n=2E\r\n=2Ex\r\n=46rom x\r\nFromage\r\n")
        #expect(encode("tab\t", .quotedPrintable) == "tab=09\r\n")
        #expect(encode("one\rtwo\r\nthree", .quotedPrintable) == "one\r\ntwo\r\nthree\r\n")
        let long = encode(String(repeating: "é", count: 100) + "." + String(repeating: " ", count: 3), .quotedPrintable)
        for line in long.components(separatedBy: "\r\n") {
            #expect(line.count <= 76)
            #expect(!line.hasPrefix("."))
            #expect(!line.hasSuffix(" "))
        }
        // Exactly 76 characters fit a last line; 77 need a soft break.
        #expect(encode(String(repeating: "x", count: 76), .quotedPrintable) == String(repeating: "x", count: 76) + "\r\n")
        #expect(encode(String(repeating: "x", count: 77), .quotedPrintable)
            == String(repeating: "x", count: 75) + "=\r\nxx\r\n")
    }

    @Test func quotedPrintableEncodesADotThatASoftBreakBringsToALineStart() {
        let encoded = encode(String(repeating: "x", count: 75) + ".y", .quotedPrintable)
        #expect(encoded == String(repeating: "x", count: 75) + "=\r\n=2Ey\r\n")
    }

    @Test func base64UsesCanonicalLineEnds() {
        #expect(encode("a\nb", .base64) == "YQ0KYg0K\r\n")
        #expect(encode("hello", .base64) == "aGVsbG8NCg==\r\n")
        #expect(encode("", .base64) == "")
        let long = encode(String(repeating: "日本", count: 100), .base64)
        let lines = long.components(separatedBy: "\r\n").dropLast()
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        let decoded = Data(base64Encoded: lines.joined())!
        #expect(String(decoding: decoded, as: UTF8.self) == String(repeating: "日本", count: 100) + "\r\n")
    }

    @Test func sevenBitNormalisesLineEnds() {
        #expect(encode("a\nb\r\nc\rd", .sevenBit) == "a\r\nb\r\nc\r\nd\r\n")
        #expect(encode("", .sevenBit) == "")
    }

    @Test func boundaryScanFindsDelimiterLinesOnly() {
        let boundary = Array("=_b".utf8)
        #expect(MIMEBoundary.occurs(boundary, in: Array("x\r\n--=_b\r\n".utf8)[...]))
        #expect(MIMEBoundary.occurs(boundary, in: Array("--=_b--".utf8)[...]))
        #expect(!MIMEBoundary.occurs(boundary, in: Array("x --=_b\r\n".utf8)[...]))
        #expect(!MIMEBoundary.occurs(boundary, in: Array("-=_b\r\n".utf8)[...]))
    }
}
