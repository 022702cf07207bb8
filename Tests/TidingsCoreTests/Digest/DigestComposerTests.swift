import Foundation
import Testing
@testable import TidingsCore

/// `DigestComposer`: a digest's notifications and user in, the exact bytes out, without a
/// database: the recipient check, the Message-ID, the list and thread headers and the size cap.
@Suite("Digest composition")
struct DigestComposerTests {
    typealias F = Fixtures

    static let settings = DigestSettings(
        sender: try! Mailbox(parsing: "\"Tidings CRM\" <crm@atlantico.example>"),
        messageIDDomain: "atlantico.example", listID: "CRM updates <updates.atlantico.example>",
        maxMessageBytes: 10_485_760,
        options: DigestOptions(manageURL: "https://crm.atlantico.example/settings",
                               unsubscribeURLTemplate: "https://crm.atlantico.example/unsubscribe?u={user_id}"))
    static let marta = DigestUser(id: "u9", email: " marta@example.com ", displayName: "Marta Reis", locale: "pt-PT",
                                  timeZone: "Europe/Lisbon")
    static let createdAt = utc("2026-05-04T07:00:00Z")
    static let date = utc("2026-05-05T08:00:00Z")

    private func compose(_ notifications: [DigestNotification] = DigestPlannerTests.sampleNotifications(),
                         identity: DigestDraft.Identity = .queued(digestID: 42, createdAt: Self.createdAt), perDeal: Bool = false,
                         user: DigestUser? = Self.marta, settings: DigestSettings = Self.settings) throws(DigestFailure) -> [ComposedDigest] {
        let draft = DigestDraft(identity: identity, userID: "u9", perDeal: perDeal, notifications: notifications)
        return try DigestComposer(settings: settings, templates: TemplateRenderingTests.library).compose(draft, user: user, date: Self.date)
    }

    private func failure(_ user: DigestUser?, settings: DigestSettings = Self.settings) -> DigestFailure? {
        do {
            _ = try compose(user: user, settings: settings)
            return nil
        } catch {
            return error
        }
    }

    private func header(_ name: String, _ email: ComposedDigest) -> String? {
        DealEmailFixtures.header(name, in: email.bytes)
    }

    @Test func aQueuedDigestIsOneEmailWithTheListHeadersAndTheRowsMessageID() throws {
        let emails = try compose()
        #expect(emails.count == 1)
        let email = try #require(emails.first)
        #expect(email.itemCount == 4)
        // Derived from the row alone (id and creation second), so every attempt has the same one.
        #expect(email.messageID.description == "<digest-42.1777878000@atlantico.example>")
        #expect(header("Message-ID", email) == "<digest-42.1777878000@atlantico.example>")
        #expect(header("From", email) == "Tidings CRM <crm@atlantico.example>")
        #expect(header("To", email) == "Marta Reis <marta@example.com>")
        #expect(email.composed.envelopeFrom == "crm@atlantico.example")
        #expect(email.composed.envelopeRecipients == ["marta@example.com"])
        // In the user's zone (Lisbon, summer: +0100).
        #expect(header("Date", email) == "Tue, 5 May 2026 09:00:00 +0100")
        #expect(header("Auto-Submitted", email) == "auto-generated")
        #expect(header("Precedence", email) == "bulk")
        #expect(header("X-Auto-Response-Suppress", email) == "All")
        #expect(header("List-Id", email) == "CRM updates <updates.atlantico.example>")
        #expect(header("List-Unsubscribe", email) == "<https://crm.atlantico.example/unsubscribe?u=u9>")
        // A combined digest is in no deal's thread.
        #expect(header("In-Reply-To", email) == nil && header("References", email) == nil)
    }

    @Test func theSameDigestComposedAgainHasTheSameIdentity() throws {
        let first = try compose(), again = try compose()
        #expect(first.map(\.messageID) == again.map(\.messageID))
        #expect(first.map { header("Subject", $0) } == again.map { header("Subject", $0) })
    }

    @Test func aPreviewIsOneEmailPerDealThreadedUnderEachDealsRoot() throws {
        let emails = try compose(identity: .preview(at: Self.date), perDeal: true)
        #expect(emails.map(\.messageID.description) == ["<digest-preview-1.1777968000@atlantico.example>",
                                                        "<digest-preview-2.1777968000@atlantico.example>"])
        #expect(emails.map { header("In-Reply-To", $0) } == ["<deal-101@atlantico.example>", "<deal-102@atlantico.example>"])
        #expect(emails.map { header("References", $0) } == ["<deal-101@atlantico.example>", "<deal-102@atlantico.example>"])
        #expect(emails.map(\.itemCount) == [3, 1])
    }

    @Test func everyChangeCancelledOutIsNoEmail() throws {
        let cancelled = [
            F.notify(F.change(1, "stage", at: "2026-05-04T09:00:00Z", #"{"from":"A","to":"B"}"#), F.acme),
            F.notify(F.change(2, "stage", at: "2026-05-04T09:05:00Z", #"{"from":"B","to":"A"}"#), F.acme),
        ]
        #expect(try compose(cancelled).isEmpty)
    }

    @Test func aUserWithoutAUsableAddressFailsNamingTheUser() {
        #expect(failure(nil) == DigestFailure(.recipient, userID: "u9",
                                              "user u9 is not in tidings.directory_users (removed or deactivated)"))
        var user = Self.marta
        user.email = "  "
        #expect(failure(user)?.description == "user u9 has no email address")
        user.email = "marta at example.com"
        #expect(failure(user)?.description == "user u9 has an invalid email address 'marta at example.com': missing @")
        #expect(failure(user)?.kind == .recipient)
    }

    @Test func aDigestOverTheSizeCapFailsSayingWhatToLower() {
        var settings = Self.settings
        settings.maxMessageBytes = 2_000
        let problem = failure(Self.marta, settings: settings)
        #expect(problem?.kind == .tooLarge)
        #expect(problem?.description.hasPrefix("digest for user u9 is ") == true)
        #expect(problem?.description.hasSuffix(" bytes, over mail.max_message_bytes (2000); lower digests.max_items") == true)
    }

    @Test func anInvalidListIDFailsTheDigestAsACompositionError() {
        var settings = Self.settings
        settings.listID = "no angle brackets"
        let problem = failure(Self.marta, settings: settings)
        #expect(problem?.kind == .compose)
        #expect(problem?.description.hasPrefix("digest for user u9: mail.list_id: invalid List-Id") == true)
    }
}
