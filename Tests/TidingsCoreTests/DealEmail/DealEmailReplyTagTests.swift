import Foundation
import Testing
@testable import TidingsCore

/// With `mail.reply_address` configured, the composer adds the deal's tagged reply address to
/// Reply-To after the author, so a customer's "Reply" reaches both (issue 12). It is given the
/// tagged mailbox (`ReturnPath.replyMailbox(dealID:)`), and stays pure.
@Suite struct DealEmailReplyTagTests {
    typealias F = DealEmailFixtures

    static let key = try! MailTagKey(secret: "0123456789abcdef0123456789abcdef-reply-tests")
    static let path = ReturnPath(replyAddress: try! Mailbox(parsing: "Atlântico CRM <reply@crm.atlantico.example>"),
                                 bounceAddress: nil, key: key)

    private func compose(author: DealEmailAuthor = F.ana, replyTag: Mailbox?) throws -> ComposedDealEmail {
        try F.composer.compose(F.draft(), deal: F.deal, author: author, date: F.date, replyTag: replyTag)
    }

    @Test func replyToIsTheAuthorThenTheTaggedAddress() throws {
        let tagged = try #require(Self.path.replyMailbox(dealID: "D-1"))
        let email = try compose(replyTag: tagged)
        let replyTo = try #require(F.header("Reply-To", in: email.bytes))
        #expect(replyTo == "Ana Sousa <ana.sousa@atlantico.example>, =?utf-8?q?Atl=C3=A2ntico?= CRM <\(tagged.address.addrSpec)>")
        #expect(tagged.address.addrSpec.hasPrefix("reply+diqwtc."), "D-1 in base32, then the MAC")
        #expect(Self.path.replyTag(in: tagged.address)?.dealID == "D-1")
        // Nothing else changes: From, envelope, recipients.
        let plain = try compose(replyTag: nil)
        #expect(F.header("Reply-To", in: plain.bytes) == "Ana Sousa <ana.sousa@atlantico.example>")
        #expect(F.header("From", in: email.bytes) == F.header("From", in: plain.bytes))
        #expect(email.composed.envelopeFrom == plain.composed.envelopeFrom)
        #expect(email.composed.envelopeRecipients == plain.composed.envelopeRecipients)
    }

    /// Without the author's address, answers went to the From mailbox; they still do, and to
    /// the tagged address too.
    @Test func anAuthorWithoutAnAddressIsReplacedByTheFromMailbox() throws {
        var author = F.ana
        author.email = nil
        let tagged = try #require(Self.path.replyMailbox(dealID: "D-1"))
        let email = try compose(author: author, replyTag: tagged)
        #expect(F.header("Reply-To", in: email.bytes)
                == "Ana Sousa <crm@atlantico.example>, =?utf-8?q?Atl=C3=A2ntico?= CRM <\(tagged.address.addrSpec)>")
    }

    @Test func theTagIsTheSameOnEveryAttempt() throws {
        let first = try compose(replyTag: Self.path.replyMailbox(dealID: "D-1"))
        let again = try compose(replyTag: Self.path.replyMailbox(dealID: "D-1"))
        #expect(first.bytes == again.bytes)
    }
}
