import Foundation
import Testing
import SMTPClient
import TestSupport

/// IMAP reading against the private Dovecot: each test has a mailbox of its own, filled over
/// LMTP as Postfix fills it.
@Suite struct SMTPIMAPReadingTests {
    @Test func examineSearchAndFetchOverOneConnectionKeepMessagesUnseen() async throws {
        let box = try await TestMailbox.make("read")
        let token = uniqueToken("msg")
        for index in 1...3 {
            try await LMTPDelivery.deliver(TestMessages.make(token: "\(token)-\(index)", to: box.address()),
                                           to: [box.address(tag: index == 2 ? "deal42.sig" : nil)])
        }
        let session = try IMAPSession(settings: box.settings)
        let status = try await session.examine()
        #expect(status.uidValidity > 0)
        #expect(status.uidNext == 4)
        #expect(status.messageCount == 3)
        #expect(try await session.search() == [1, 2, 3])
        #expect(try await session.search(fromUID: 3) == [3])
        #expect(try await session.search(fromUID: 4) == [], "UID 4:* names message 3 on the wire; it is filtered out")

        let fetched = try #require(try await session.fetch(uid: 2, maxBytes: 1 << 20))
        let text = String(decoding: fetched.bytes, as: UTF8.self)
        #expect(text.contains("Message-ID: <\(token)-2@tidings.test>"))
        #expect(text.contains("Delivered-To: \(box.address(tag: "deal42.sig"))"), "the tagged address survives delivery")
        #expect(text.hasSuffix("Hello from Tidings.\r\n"))
        #expect(!fetched.truncated)
        #expect(fetched.size == fetched.bytes.count)
        #expect(fetched.flags.isEmpty)
        #expect(try await session.messageInfo(uid: 2)?.isSeen == false, "reading must not mark the message \\Seen")
        #expect(try await session.fetch(uid: 99, maxBytes: 1 << 20) == nil)
        #expect(try await session.examine().uidValidity == status.uidValidity)
        await session.close()
        #expect(try box.loginCount() == 1, "every operation went over one kept connection")
    }

    @Test func aMessageOverTheLimitIsFetchedAsItsHeaderAlone() async throws {
        let box = try await TestMailbox.make("big")
        let token = uniqueToken("big")
        let body = Array(repeating: String(repeating: "x", count: 76), count: 3000)
        try await LMTPDelivery.deliver(TestMessages.make(token: token, bodyLines: body), to: [box.address()])
        let session = try IMAPSession(settings: box.settings)
        let header = try #require(try await session.fetch(uid: 1, maxBytes: 10_000))
        #expect(header.truncated)
        #expect((header.size ?? 0) > 230_000)
        let text = String(decoding: header.bytes, as: UTF8.self)
        #expect(text.contains("Subject: test \(token)"))
        #expect(text.hasSuffix("\r\n\r\n"), "the header section, up to its blank line")
        #expect(!text.contains("xxxx"))
        let cut = try #require(try await session.fetch(uid: 1, maxBytes: 40))
        #expect(cut.truncated)
        #expect(cut.bytes.count == 40, "even a header is cut at the limit")
        let whole = try #require(try await session.fetch(uid: 1, maxBytes: 1 << 20))
        #expect(!whole.truncated)
        #expect(whole.bytes.count == whole.size)
        #expect(try await session.messageInfo(uid: 1)?.isSeen == false)
        await session.close()
    }

    @Test(arguments: [IMAPMoveMethod.automatic, .copyAndExpunge])
    func markSeenAndMoveToAFolder(_ method: IMAPMoveMethod) async throws {
        let box = try await TestMailbox.make("move")
        let token = uniqueToken("mv")
        for index in 1...3 {
            try await LMTPDelivery.deliver(TestMessages.make(token: "\(token)-\(index)"), to: [box.address()])
        }
        var settings = box.settings
        settings.move = method
        let session = try IMAPSession(settings: settings)
        _ = try await session.examine()
        try await session.markSeen(uid: 1)
        #expect(try await session.messageInfo(uid: 1)?.isSeen == true)
        try await session.markSeen(uid: 1)
        try await session.move(uid: 2, to: "Archive")
        #expect(try await session.search() == [1, 3], "the moved message left the mailbox, the others stay")
        #expect(try await session.fetch(uid: 3, maxBytes: 1 << 20)?.flags == [], "reading still keeps messages unseen")
        await session.close()

        let archive = try IMAPSession(settings: box.settings(mailbox: "Archive"))
        let moved = try await archive.search()
        #expect(moved.count == 1)
        let movedUID = try #require(moved.first)
        let message = try #require(try await archive.fetch(uid: movedUID, maxBytes: 1 << 20))
        #expect(String(decoding: message.bytes, as: UTF8.self).contains("<\(token)-2@tidings.test>"))
        await archive.close()
    }

    @Test func movingToAMissingFolderIsAConfigurationError() async throws {
        let box = try await TestMailbox.make("nofolder")
        try await LMTPDelivery.deliver(TestMessages.make(token: uniqueToken("nf")), to: [box.address()])
        let session = try IMAPSession(settings: box.settings)
        let error = try await #require(throws: IMAPError.self) {
            try await session.move(uid: 1, to: "No Such Folder")
        }
        #expect(error.configurationProblem == .folderMissing)
        #expect(error.stage == .move)
        #expect(error.reply?.code == "TRYCREATE")
        #expect(try await session.search() == [1], "the message stays where it was")
        await session.close()
    }

    @Test func aMissingMailboxIsAConfigurationError() async throws {
        let box = try await TestMailbox.make("nombox")
        let session = try IMAPSession(settings: box.settings(mailbox: "Caixa de saída"))
        let error = try await #require(throws: IMAPError.self) { try await session.examine() }
        #expect(error.configurationProblem == .mailboxMissing)
        #expect(error.stage == .select)
        #expect(error.reply?.status == IMAPTaggedReply.Status.no)
        #expect(error.description.contains("mailbox"))
    }
}
