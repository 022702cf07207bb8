import Testing
@testable import TidingsCore

/// The signed reply and bounce tags: they round-trip, survive what mail servers do to a local
/// part (lowercasing), and refuse anything tampered with, signed by another key, or of the
/// other kind.
@Suite struct ReturnPathTagTests {
    static let key = try! MailTagKey(secret: "0123456789abcdef0123456789abcdef-test-key")
    static let otherKey = try! MailTagKey(secret: "fedcba9876543210fedcba9876543210-test-key")
    static let reply = TaggableAddress(try! EmailAddress(parsing: "reply@crm.example.com"))
    static let bounce = TaggableAddress(try! EmailAddress(parsing: "bounces@crm.example.com"))

    private func address(_ text: String) throws -> EmailAddress { try EmailAddress(parsing: text) }

    @Test(arguments: ["D-42", "42", "d-1001", "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b", "Negócio 7 (Lisboa)", "a.b", "_"])
    func aReplyTagRoundTrips(dealID: String) throws {
        let tagged = try #require(ReplyTag(dealID: dealID).address(on: Self.reply, key: Self.key))
        #expect(tagged.domain == "crm.example.com")
        #expect(tagged.localPart.hasPrefix("reply+"))
        #expect(tagged.localPart == tagged.localPart.lowercased(), "tags are lower case: \(tagged)")
        #expect(tagged.addrSpec.utf8.count <= 64 + 1 + "crm.example.com".utf8.count)
        #expect(ReplyTag.parse(tagged, on: Self.reply, key: Self.key)?.dealID == dealID)
        // What servers may do on the way: lowercase everything, or uppercase (rare, but legal).
        #expect(ReplyTag.parse(try address(tagged.addrSpec.uppercased()), on: Self.reply, key: Self.key)?.dealID == dealID)
        #expect(ReplyTag.parse(try address(tagged.addrSpec.lowercased()), on: Self.reply, key: Self.key)?.dealID == dealID)
    }

    @Test func theFormsOfADealIdAreFixed() {
        #expect(ReplyTag(dealID: "D-42").tag(key: Self.key).hasPrefix("diqwtimq."))
        #expect(ReplyTag(dealID: "d-42").tag(key: Self.key).hasPrefix("id-42."))
        #expect(ReplyTag(dealID: "D-42").tag(key: Self.key).count == "diqwtimq.".count + MailTagKey.macLength)
        // Different ids, different tags, even when they differ only in case.
        #expect(ReplyTag(dealID: "D-42").tag(key: Self.key) != ReplyTag(dealID: "d-42").tag(key: Self.key))
    }

    @Test(arguments: [BounceTag(row: .outbox(17), attempt: 1), BounceTag(row: .digest(9_000_000_001), attempt: 12),
                      BounceTag(row: .outbox(Int64.max), attempt: 0)])
    func aBounceTagRoundTrips(tag: BounceTag) throws {
        let tagged = try #require(tag.address(on: Self.bounce, key: Self.key))
        #expect(tagged.localPart.hasPrefix("bounces+b"))
        #expect(BounceTag.parse(tagged, on: Self.bounce, key: Self.key) == tag)
        #expect(BounceTag.parse(try address(tagged.addrSpec.uppercased()), on: Self.bounce, key: Self.key) == tag)
    }

    @Test func theBounceTagNamesRowAndAttempt() throws {
        let tag = BounceTag(row: .outbox(17), attempt: 3).tag(key: Self.key)
        #expect(tag.hasPrefix("bo17.3."))
        #expect(BounceTag(row: .digest(17), attempt: 3).tag(key: Self.key).hasPrefix("bd17.3."))
        #expect(tag.count == "bo17.3.".count + MailTagKey.macLength)
    }

    /// Every single-character change of a tag — the deal, the row, the attempt, the MAC — is refused.
    @Test func tamperedTagsAreRefused() throws {
        let replyTag = ReplyTag(dealID: "D-42").tag(key: Self.key)
        let bounceTag = BounceTag(row: .outbox(17), attempt: 3).tag(key: Self.key)
        for (tag, parse) in [(replyTag, { ReplyTag.parse(tag: $0, key: Self.key) != nil }),
                             (bounceTag, { BounceTag.parse(tag: $0, key: Self.key) != nil })] as [(String, (String) -> Bool)] {
            #expect(parse(tag))
            var characters = Array(tag)
            for index in characters.indices where characters[index] != "." {
                let original = characters[index]
                for replacement in ["a", "q", "2", "7", "0", "9"].map(Character.init) where replacement != original {
                    characters[index] = replacement
                    #expect(!parse(String(characters)), "\(String(characters)) was accepted")
                }
                characters[index] = original
            }
            #expect(!parse(String(tag.dropLast())))
            #expect(!parse(tag + "a"))
        }
        // Another deal's tag with this deal's MAC, and the reverse.
        let mac42 = String(replyTag.split(separator: ".").last!)
        let other = ReplyTag(dealID: "D-43").tag(key: Self.key)
        #expect(ReplyTag.parse(tag: String(other.split(separator: ".").first!) + "." + mac42, key: Self.key) == nil)
        // A later attempt with an earlier attempt's MAC.
        let parts = bounceTag.split(separator: ".")
        #expect(BounceTag.parse(tag: "\(parts[0]).4.\(parts[2])", key: Self.key) == nil)
        #expect(BounceTag.parse(tag: "bd17.3.\(parts[2])", key: Self.key) == nil, "an outbox row's MAC names no digest")
    }

    @Test func anotherKeysTagsAreRefused() throws {
        let reply = try #require(ReplyTag(dealID: "D-42").address(on: Self.reply, key: Self.otherKey))
        #expect(ReplyTag.parse(reply, on: Self.reply, key: Self.key) == nil)
        let bounce = try #require(BounceTag(row: .outbox(1), attempt: 1).address(on: Self.bounce, key: Self.otherKey))
        #expect(BounceTag.parse(bounce, on: Self.bounce, key: Self.key) == nil)
    }

    /// One configured address may serve both: a reply tag is never read as a bounce tag, nor
    /// the reverse, whatever the MAC.
    @Test func oneKindOfTagIsNeverTheOther() throws {
        let shared = TaggableAddress(try EmailAddress(parsing: "crm@crm.example.com"))
        let reply = try #require(ReplyTag(dealID: "1").address(on: shared, key: Self.key))
        let bounce = try #require(BounceTag(row: .digest(1), attempt: 1).address(on: shared, key: Self.key))
        #expect(BounceTag.parse(reply, on: shared, key: Self.key) == nil)
        #expect(ReplyTag.parse(bounce, on: shared, key: Self.key) == nil)
        #expect(ReplyTag.parse(reply, on: shared, key: Self.key)?.dealID == "1")
        #expect(BounceTag.parse(bounce, on: shared, key: Self.key) == BounceTag(row: .digest(1), attempt: 1))
    }

    /// `crm+inbound@…` configured: the tag follows another `+`, and only that address's tags match.
    @Test func aConfiguredAddressWithItsOwnSubaddressKeepsIt() throws {
        let configured = TaggableAddress(try EmailAddress(parsing: "CRM+Inbound@Crm.Example.com"))
        let tagged = try #require(ReplyTag(dealID: "D-42").address(on: configured, key: Self.key))
        #expect(tagged.addrSpec.hasPrefix("CRM+Inbound+diqwtimq."))
        #expect(ReplyTag.parse(try address(tagged.addrSpec.lowercased()), on: configured, key: Self.key)?.dealID == "D-42")
        let tag = ReplyTag(dealID: "D-42").tag(key: Self.key)
        #expect(ReplyTag.parse(try address("crm+" + tag + "@crm.example.com"), on: configured, key: Self.key) == nil,
                "the base address without its own subaddress is another address")
        #expect(ReplyTag.parse(try address("crm+inbound@crm.example.com"), on: configured, key: Self.key) == nil)
    }

    @Test func otherAddressesAreNotTags() throws {
        let tag = ReplyTag(dealID: "D-42").tag(key: Self.key)
        for text in ["reply@crm.example.com", "reply+@crm.example.com", "reply+\(tag)@other.example.com",
                     "replyx+\(tag)@crm.example.com", "someone+\(tag)@crm.example.com", "reply-\(tag)@crm.example.com",
                     "reply+x\(tag.dropFirst())@crm.example.com", "reply+d.\(tag.split(separator: ".")[1])@crm.example.com"] {
            #expect(ReplyTag.parse(try address(text), on: Self.reply, key: Self.key) == nil, "\(text)")
        }
        for tag in ["b", "bo", "bo1", "bo1.1", "bo01.1.aaaaaaaaaa", "bo1.01.aaaaaaaaaa", "bo-1.1.aaaaaaaaaa",
                    "bo0.1.aaaaaaaaaa", "bx1.1.aaaaaaaaaa", "bo1.1.aaaaaaaaa", "bo99999999999999999999.1.aaaaaaaaaa"] {
            #expect(BounceTag.parse(tag: tag, key: Self.key) == nil, "\(tag)")
        }
    }

    /// The local part may hold 64 octets: a tag that would not fit is not made.
    @Test func aTagThatWouldNotFitIsNotMade() throws {
        let long = String(repeating: "x", count: 50)
        #expect(ReplyTag(dealID: long).address(on: Self.reply, key: Self.key) == nil)
        #expect(ReplyTag(dealID: "").address(on: Self.reply, key: Self.key) == nil)
        let longBase = TaggableAddress(try EmailAddress(parsing: String(repeating: "b", count: 40) + "@crm.example.com"))
        #expect(BounceTag(row: .outbox(Int64.max), attempt: 99).address(on: longBase, key: Self.key) == nil)
    }

    @Test func aShortKeyIsRefusedAndTheMACIsStable() throws {
        #expect(throws: MailTagKey.Problem.tooShort(31)) { try MailTagKey(secret: String(repeating: "k", count: 31)) }
        let key = try MailTagKey(secret: String(repeating: "k", count: 32))
        #expect(key.mac("reply|D-42") == key.mac("reply|D-42"))
        #expect(key.mac("reply|D-42").count == MailTagKey.macLength)
        #expect(key.verify(key.mac("reply|D-42").uppercased(), for: "reply|D-42"))
        #expect(!key.verify("", for: "reply|D-42"))
        // Printed by accident, it shows nothing.
        let secret = "s3cret-" + String(repeating: "k", count: 32)
        let printed = try MailTagKey(secret: secret)
        var dumped = ""
        dump(ReturnPath(replyAddress: nil, bounceAddress: nil, key: printed), to: &dumped)
        for text in ["\(printed)", String(reflecting: printed), dumped] {
            #expect(!text.contains("s3cret") && !text.contains("107"), "\(text)")
        }
    }

    @Test func base32RoundTripsAndRefusesNonCanonicalText() {
        for bytes: [UInt8] in [[], [0], [0xFF], [1, 2], [1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5], Array(0...40)] {
            let text = LowercaseBase32.encode(bytes)
            #expect(LowercaseBase32.decode(text) == bytes)
            #expect(LowercaseBase32.decode(text.uppercased()) == bytes)
        }
        #expect(LowercaseBase32.encode(Array("D-42".utf8)) == "iqwtimq")
        #expect(LowercaseBase32.decode("a") == nil)
        #expect(LowercaseBase32.decode("aaa") == nil)
        #expect(LowercaseBase32.decode("ab") == nil, "leftover bits must be zero")
        #expect(LowercaseBase32.decode("a1") == nil)
        #expect(LowercaseBase32.decode("a=") == nil)
    }
}
