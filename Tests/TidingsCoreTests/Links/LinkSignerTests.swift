import Foundation
import Testing
@testable import TidingsCore

/// Issue 14: the signed tokens of digest links — what they carry, and every way a token that
/// should not act is refused (a changed byte, an unknown key, too old), while a token signed
/// with the previous key still works.
@Suite struct LinkSignerTests {
    static let key = HMACKey(secret: "current-" + String(repeating: "k", count: 32))!
    static let previous = HMACKey(secret: "previous-" + String(repeating: "p", count: 32))!
    static let unknown = HMACKey(secret: "unknown-" + String(repeating: "u", count: 32))!
    static let today = 20_425

    static func signer(_ key: HMACKey = key, previous: HMACKey? = nil, maxAge: Int = 180) -> LinkSigner {
        LinkSigner(key: key, previousKey: previous, maxAgeDays: maxAge)
    }

    @Test func aTokenCarriesItsActionUserDealValueAndDay() throws {
        let links = [
            LinkToken(action: .mute, userID: "u-1", dealID: "D-42", issuedDay: Self.today),
            LinkToken(action: .unmute, userID: "0b9d7c1e-uuid", dealID: "deal with | bars\nand lines", issuedDay: Self.today),
            LinkToken(action: .cadence, userID: "u|2", issuedDay: Self.today - 3),
            LinkToken(action: .cadence, userID: "u-2", value: "weekly", issuedDay: Self.today),
            LinkToken(action: .unsubscribe, userID: "utilizador-ção", issuedDay: Self.today),
        ]
        for link in links {
            let token = Self.signer().token(link)
            #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }, "base64url: \(token)")
            #expect(try Self.signer().verify(token, today: Self.today).get() == link)
        }
    }

    @Test func changingAnyOneByteOfATokenIsRefused() {
        let token = Self.signer().token(LinkToken(action: .unsubscribe, userID: "u-1", issuedDay: Self.today))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var characters = Array(token)
        for index in characters.indices where characters[index] != "." {
            let original = characters[index]
            characters[index] = alphabet.first { $0 != original }!
            let result = Self.signer().verify(String(characters), today: Self.today)
            #expect(result == .failure(.badSignature) || result == .failure(.malformed), "byte \(index) changed: \(result)")
            characters[index] = original
        }
        #expect(Self.signer().verify(String(characters), today: Self.today).isSuccess)
    }

    @Test func anotherUsersOrDealsTokenCannotBeMadeByEditingThePayload() throws {
        let token = Self.signer().token(LinkToken(action: .mute, userID: "u-1", dealID: "D-1", issuedDay: Self.today))
        let parts = token.split(separator: ".")
        let forged = Base64URL.encode(LinkToken(action: .mute, userID: "u-2", dealID: "D-1", issuedDay: Self.today).signedText)
        #expect(Self.signer().verify(forged + "." + parts[1], today: Self.today) == .failure(.badSignature))
    }

    @Test func aTokenSignedWithAnUnknownKeyIsRefused() {
        let token = Self.signer(Self.unknown).token(LinkToken(action: .unsubscribe, userID: "u-1", issuedDay: Self.today))
        #expect(Self.signer(previous: Self.previous).verify(token, today: Self.today) == .failure(.badSignature))
    }

    @Test func aTokenSignedWithThePreviousKeyStillWorksAfterRotation() throws {
        let link = LinkToken(action: .mute, userID: "u-1", dealID: "D-9", issuedDay: Self.today - 10)
        let old = Self.signer(Self.previous).token(link)
        #expect(try Self.signer(previous: Self.previous).verify(old, today: Self.today).get() == link)
        // Without the previous key configured it no longer verifies; new tokens use the current key.
        #expect(Self.signer().verify(old, today: Self.today) == .failure(.badSignature))
        #expect(Self.signer(previous: Self.previous).token(link) == Self.signer().token(link))
    }

    @Test func aTokenOlderThanTheMaximumAgeIsRefused() {
        let signer = Self.signer(maxAge: 180)
        let link = LinkToken(action: .unsubscribe, userID: "u-1", issuedDay: Self.today - 180)
        #expect(signer.verify(signer.token(link), today: Self.today).isSuccess, "exactly the maximum age still works")
        #expect(signer.verify(signer.token(link), today: Self.today + 1) == .failure(.expired))
        let future = LinkToken(action: .unsubscribe, userID: "u-1", issuedDay: Self.today + 5)
        #expect(signer.verify(signer.token(future), today: Self.today) == .failure(.expired))
    }

    @Test func malformedTokensAreRefusedWithoutACrash() {
        let good = Self.signer().token(LinkToken(action: .unsubscribe, userID: "u-1", issuedDay: Self.today))
        for bad in ["", ".", "abc", "abc.def", good + ".x", good.replacingOccurrences(of: ".", with: ""), "%00.%00",
                    String(repeating: "A", count: 5_000) + ".AAAAAAAAAAAAAAAAAAAAAA", good + "="] {
            #expect(!Self.signer().verify(bad, today: Self.today).isSuccess, "\(bad.prefix(40))")
        }
        // A correctly signed text that is not a token (a mute without a deal) is no link either.
        let payload = Array("1|m|\(Self.today)|3|0|u-1".utf8)
        let mac = Self.key.authenticationCode(for: payload).prefix(LinkSigner.macLength)
        #expect(Self.signer().verify(Base64URL.encode(payload) + "." + Base64URL.encode(mac), today: Self.today) == .failure(.malformed))
    }

    @Test func issuedLinksAreThePublicURLTheActionLetterAndTheToken() throws {
        let issuer = LinkIssuer(publicURL: "https://tidings.example.com/links/", signer: Self.signer())
        let date = Date(timeIntervalSince1970: Double(Self.today) * 86_400 + 3_600)
        let url = issuer.muteURL(userID: "u-1", dealID: "D-1", date: date)
        #expect(url.hasPrefix("https://tidings.example.com/links/m/"))
        let token = String(url.dropFirst("https://tidings.example.com/links/m/".count))
        #expect(try Self.signer().verify(token, today: Self.today).get()
                == LinkToken(action: .mute, userID: "u-1", dealID: "D-1", issuedDay: Self.today))
        #expect(issuer.unsubscribeURL(userID: "u-1", date: date).hasPrefix("https://tidings.example.com/links/u/"))
        #expect(issuer.cadenceURL(userID: "u-1", date: date).hasPrefix("https://tidings.example.com/links/c/"))
    }

    @Test func keysNeverPrint() {
        #expect("\(Self.key)" == "<redacted>" && String(reflecting: Self.key) == "<redacted>")
        #expect(HMACKey(secret: "short") == nil)
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
