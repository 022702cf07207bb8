import Testing
@testable import TidingsCore

/// `InboundMatch`: which deal and row a received message belongs to, and what kind it is,
/// from the message as real clients and Postfix write it, the signed tags and what was sent.
@Suite struct InboundMatchTests {
    static let path = ReturnPathSettingsTests.path
    static let sent42 = ["<outbox-42.v1@crm.example.com>": InboundMatch.Sent(dealID: "101", row: .outbox(42))]

    /// `headers` then a blank line and a short body, as a client writes a plain reply.
    static func message(_ headers: [String]) -> InboundMessage {
        let text = (headers + ["Content-Type: text/plain; charset=utf-8", "", "Podemos avançar.", ""]).joined(separator: "\r\n")
        return InboundMessage.parse(Array(text.utf8), maxBytes: 1 << 20)
    }

    @Test func aReplyToARecordedEmailIsAReplyOnItsDealAndRow() throws {
        let message = try InboundFixtures.message("gmail-reply-en.eml")
        let match = InboundMatch.decide(message, report: nil, returnPath: Self.path, sent: Self.sent42)
        #expect(match == InboundMatch(kind: .reply, dealID: "101", row: .outbox(42)))
        #expect(InboundMatch.candidateIDs(of: message, report: nil)
                == ["<CAF3k9=xQ2m+Yt8p_Lw0nJ7uZr4Vd1sE@mail.gmail.com>", "<outbox-42.v1@crm.example.com>",
                    "<deal-101.root@crm.example.com>"])
    }

    /// Deal roots are guessable: a message that only names one, or carries an unsigned or
    /// tampered tag, is on no deal.
    @Test func aGuessedRootOrAForgedTagMatchesNothing() throws {
        let root = Self.message(["From: x@evil.example", "To: marta@crm.example.com",
                                 "In-Reply-To: <deal-101.root@crm.example.com>", "Subject: Re: proposta"])
        #expect(InboundMatch.decide(root, report: nil, returnPath: Self.path, sent: Self.sent42).kind == .unmatched)

        let tagged = try #require(Self.path.replyMailbox(dealID: "D-7")).address.addrSpec
        // The MAC's last character changed.
        let at = try #require(tagged.lastIndex(of: "@"))
        let last = tagged[tagged.index(before: at)]
        let forged = String(tagged[..<tagged.index(before: at)]) + (last == "a" ? "b" : "a") + String(tagged[at...])
        for to in ["reply+dD-7@crm.atlantico.example", forged, "reply@crm.atlantico.example"] {
            let message = Self.message(["From: x@evil.example", "To: \(to)", "Subject: hi"])
            #expect(InboundMatch.decide(message, report: nil, returnPath: Self.path, sent: [:]).kind == .unmatched, "\(to)")
        }
    }

    @Test func theSignedReplyTagInCcOrDeliveredToNamesTheDeal() throws {
        let tagged = try #require(Self.path.replyMailbox(dealID: "D-7")).address.addrSpec
        for header in ["Cc: \(tagged)", "Delivered-To: \(tagged.uppercased())"] {
            let message = Self.message(["From: Carla <carla@cliente.pt>", "To: ana@crm.example", header, "Subject: Re: x"])
            #expect(InboundMatch.decide(message, report: nil, returnPath: Self.path, sent: [:])
                    == InboundMatch(kind: .reply, dealID: "D-7"), "\(header)")
        }
    }

    @Test func anOutOfOfficeIsAnAutoReplyOnItsDeal() throws {
        let message = try InboundFixtures.message("out-of-office-pt.eml")
        let sent = ["<outbox-50.v1@crm.example.com>": InboundMatch.Sent(dealID: "D-9", row: .outbox(50))]
        #expect(InboundMatch.decide(message, report: nil, returnPath: Self.path, sent: sent)
                == InboundMatch(kind: .autoReply, dealID: "D-9", row: .outbox(50)))
        #expect(InboundMatch.decide(message, report: nil, returnPath: Self.path, sent: [:]).kind == .autoReply)
    }

    /// Postfix's report quotes the original's Message-ID: without a VERP tag the row is found
    /// through it; with one, the tag names the row (and the attempt).
    @Test func aDeliveryReportIsABounceOfTheRowItNames() throws {
        let message = try InboundFixtures.message("postfix-bounce.eml")
        let report = try #require(DeliveryReport.parse(message))
        let match = InboundMatch.decide(message, report: report, returnPath: Self.path, sent: Self.sent42)
        #expect(match.kind == .bounce && match.row == .outbox(42) && match.dealID == "101" && match.bounceTag == nil)

        let verp = try #require(Self.path.envelopeSender(.outbox(43), attempt: 2)).addrSpec
        let tagged = Self.message(["From: MAILER-DAEMON@mx.example", "To: \(verp)", "Subject: Undelivered Mail"])
        let byTag = InboundMatch.decide(tagged, report: DeliveryReport.parse(tagged), returnPath: Self.path, sent: [:])
        #expect(byTag.kind == .bounce && byTag.row == .outbox(43) && byTag.bounceTag?.attempt == 2)
    }

    /// A copy of Tidings' own email (the next of a thread, naming the previous one exactly as a
    /// reply does) is nobody's reply, not even with the deal's reply tag in Cc.
    @Test func aCopyOfAnEmailTidingsSentIsUnmatched() throws {
        let tagged = try #require(Self.path.replyMailbox(dealID: "101")).address.addrSpec
        let copy = Self.message(["From: Ana Sousa <ana.sousa@atlantico.example>", "To: carla@cliente.pt", "Cc: \(tagged)",
                                 "Message-ID: <outbox-43.v2@crm.example.com>", "In-Reply-To: <outbox-42.v1@crm.example.com>",
                                 "References: <deal-101.root@crm.example.com> <outbox-42.v1@crm.example.com>",
                                 "Subject: Proposta revista"])
        #expect(InboundMatch.candidateIDs(of: copy, report: nil).first == "<outbox-43.v2@crm.example.com>")
        var sent = Self.sent42
        sent["<outbox-43.v2@crm.example.com>"] = InboundMatch.Sent(dealID: "101", row: .outbox(43))
        #expect(InboundMatch.decide(copy, report: nil, returnPath: Self.path, sent: sent) == InboundMatch(kind: .unmatched))
        // The same message from someone else (its id not Tidings') is a reply.
        #expect(InboundMatch.decide(copy, report: nil, returnPath: Self.path, sent: Self.sent42)
                == InboundMatch(kind: .reply, dealID: "101", row: .outbox(42)))
    }
}
