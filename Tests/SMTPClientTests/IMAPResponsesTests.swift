import Testing
@testable import SMTPClient

/// The untagged responses the inbound loop relies on, as Dovecot, Gmail and Exchange write them.
@Suite struct IMAPResponsesTests {
    @Test func selectGivesUIDValidityUIDNextAndCount() {
        let lines = IMAPResponses.lines(Array("""
            * OK [CLOSED] Previous mailbox closed.\r
            * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r
            * OK [PERMANENTFLAGS ()] Read-only mailbox.\r
            * 172 EXISTS\r
            * 1 RECENT\r
            * OK [UNSEEN 12] Message 12 is first unseen\r
            * OK [UIDVALIDITY 3857529045] UIDs valid\r
            * OK [UIDNEXT 4392] Predicted next UID\r

            """.utf8))
        #expect(lines.count == 8)
        #expect(IMAPResponses.mailboxStatus(lines) == IMAPMailboxStatus(uidValidity: 3857529045, uidNext: 4392, messageCount: 172))
    }

    @Test func statusFormAndMissingParts() {
        #expect(IMAPResponses.mailboxStatus(["* STATUS INBOX (MESSAGES 2 UIDNEXT 9 UIDVALIDITY 17)"])
            == IMAPMailboxStatus(uidValidity: 17, uidNext: 9, messageCount: 2))
        #expect(IMAPResponses.mailboxStatus(["* ok [uidvalidity 5] lower case", "* 0 exists"])
            == IMAPMailboxStatus(uidValidity: 5, uidNext: nil, messageCount: 0))
        #expect(IMAPResponses.mailboxStatus(["* OK [UIDNEXT 4] no validity", "* 3 EXISTS"]) == nil)
        // A UIDVALIDITY above Int32 (UIDs are 32-bit unsigned) and a bogus one.
        #expect(IMAPResponses.mailboxStatus(["* OK [UIDVALIDITY 4294967295]"])?.uidValidity == 4294967295)
        #expect(IMAPResponses.mailboxStatus(["* OK [UIDVALIDITY 4294967296]"]) == nil)
    }

    @Test func searchIsFilteredSortedAndUnique() {
        #expect(IMAPResponses.searchUIDs(["* SEARCH 2 84 882"]) == [2, 84, 882])
        #expect(IMAPResponses.searchUIDs(["* SEARCH"]) == [])
        #expect(IMAPResponses.searchUIDs([]) == [])
        // `UID n:*` with n past the last UID still names the last message: filtered out.
        #expect(IMAPResponses.searchUIDs(["* SEARCH 41"], from: 42) == [])
        #expect(IMAPResponses.searchUIDs(["* SEARCH 50 43 42 41", "* search 44 43"], from: 42) == [42, 43, 44, 50])
        #expect(IMAPResponses.searchUIDs(["* 3 EXISTS", "* SEARCH 7 x 8"]) == [7, 8])
    }

    @Test func fetchInfoInAnyOrderForTheRightUID() {
        let lines = [
            "* 3 FETCH (FLAGS (\\Seen) UID 9)",
            "* 4 FETCH (UID 10 RFC822.SIZE 2048 FLAGS (\\Seen \\Answered))",
        ]
        #expect(IMAPResponses.messageInfo(lines, uid: 10) == IMAPMessageInfo(uid: 10, size: 2048, flags: ["\\Seen", "\\Answered"]))
        #expect(IMAPResponses.messageInfo(lines, uid: 10)?.isSeen == true)
        #expect(IMAPResponses.messageInfo(["* 1 FETCH (RFC822.SIZE 5 FLAGS () UID 3)"], uid: 3)
            == IMAPMessageInfo(uid: 3, size: 5, flags: []))
        #expect(IMAPResponses.messageInfo(["* 1 FETCH (RFC822.SIZE 5 FLAGS () UID 3)"], uid: 3)?.isSeen == false)
        #expect(IMAPResponses.messageInfo(lines, uid: 11) == nil, "an expunged UID has no FETCH line")
        #expect(IMAPResponses.messageInfo(["* 1 FETCH (FLAGS (\\Seen))"], uid: 1) == nil, "no UID item: not this message")
    }

    @Test func capabilitiesFromUntaggedAndCodes() {
        #expect(IMAPResponses.capabilities("* CAPABILITY IMAP4rev1 move UIDPLUS") == ["IMAP4REV1", "MOVE", "UIDPLUS"])
        #expect(IMAPResponses.capabilities("A002 OK [CAPABILITY IMAP4rev1 MOVE] Logged in") == ["IMAP4REV1", "MOVE"])
        #expect(IMAPResponses.capabilities("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready") == ["IMAP4REV1", "STARTTLS"])
        #expect(IMAPResponses.capabilities("* 3 EXISTS") == nil)
    }

    @Test func taggedReplies() {
        #expect(IMAPTaggedReply.parse("NO [AUTHENTICATIONFAILED] Authentication failed.")
            == IMAPTaggedReply(status: .no, code: "AUTHENTICATIONFAILED", text: "Authentication failed."))
        #expect(IMAPTaggedReply.parse("OK Fetch completed") == IMAPTaggedReply(status: .ok, text: "Fetch completed"))
        #expect(IMAPTaggedReply.parse("bad [trycreate x] y") == IMAPTaggedReply(status: .bad, code: "TRYCREATE", text: "y"))
        #expect(IMAPTaggedReply.parse("NO [TRYCREATE] Mailbox doesn't exist: Nope").description
            == "NO [TRYCREATE] Mailbox doesn't exist: Nope")
    }

    @Test func linesKeepBareLFLinesAndDecodeLossily() {
        let bytes: [UInt8] = Array("* SEARCH 1\n* SEARCH 2\r\n".utf8) + [0x2A, 0x20, 0xFF, 0x0D, 0x0A]
        #expect(IMAPResponses.lines(bytes) == ["* SEARCH 1", "* SEARCH 2", "* \u{FFFD}"])
    }
}
