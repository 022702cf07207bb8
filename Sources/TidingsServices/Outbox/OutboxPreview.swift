import Foundation
import PostgresClient
import TidingsCore

/// `tidings preview outbox`: the exact message an outbox row would be sent as, composed by
/// the worker's own code path (`DealEmailComposer`) from the row read without claiming or
/// changing it. Only the Date header differs from a real send (it is "now").
public struct OutboxPreview: Sendable {
    public var item: OutboxItem
    public var email: ComposedDealEmail
    /// `MAIL FROM` of the next attempt: the VERP address when `mail.bounce_address` is set.
    public var envelopeSender: String
    /// Recipients whose address bounced for good before.
    public var warnings: [AddressHealthWarning]
    /// When a queued row will be sent if not at once (scheduled, or waiting for a retry).
    public var schedule: String?

    /// Why there is nothing to preview.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            case unknownRow
            /// The row would fail permanently if it were sent.
            case wouldFail
        }

        public var kind: Kind
        public var description: String
    }

    /// Loads row `id` and composes it at `now`, as its next attempt would be sent (the tagged
    /// Reply-To and VERP sender of `returnPath` included), and looks up its recipients'
    /// bounces.
    public static func make(id: Int64, session: PostgresSession, composer: DealEmailComposer, returnPath: ReturnPath = .none,
                            now: Date) async throws -> OutboxPreview {
        guard let item = try await OutboxStore(session: session).item(id: id) else {
            throw Failure(kind: .unknownRow, description: "outbox row \(id) does not exist")
        }
        let email: ComposedDealEmail
        do {
            var draft = item.draft
            draft.attachments = try await OutboxStore(session: session).attachments(of: id)
            email = try composer.compose(draft, deal: item.deal, author: item.author, date: now,
                                         replyTag: returnPath.replyMailbox(dealID: item.draft.dealID))
        } catch let error as PostgresError {
            throw error
        } catch {
            throw Failure(kind: .wouldFail, description: "\(error) (it would fail without being sent)")
        }
        let sender = returnPath.envelopeSender(.outbox(id), attempt: item.attempts + 1)?.addrSpec ?? email.composed.envelopeFrom
        let warnings = try await AddressHealthWarning.load(for: email.composed.envelopeRecipients, session: session)
        var preview = OutboxPreview(item: item, email: email, envelopeSender: sender, warnings: warnings,
                                    schedule: scheduleLine(status: item.status, sendAt: item.sendAt,
                                                           nextAttemptAt: item.nextAttemptAt, now: now))
        if let note = returnPath.replyTagNote(dealID: item.draft.dealID) { preview.email.notes.append(note) }
        return preview
    }

    /// The envelope, warnings and notes, for stderr: the status, when a queued row will be sent
    /// if not at once, `MAIL FROM:<...>`, one `RCPT TO:<...>` per recipient, a warning per
    /// recipient that bounced for good before, then each note (skipped participants, an ignored
    /// in_reply_to).
    public var envelopeLines: [String] {
        ["status: \(item.status) (attempts \(item.attempts))"] + (schedule.map { [$0] } ?? [])
            + ["MAIL FROM:<\(envelopeSender)>"]
            + email.composed.envelopeRecipients.map { "RCPT TO:<\($0)>" }
            + warnings.map { "warning: \($0)" }
            + email.notes.map { "note: \($0)" }
            + partLines
    }

    /// The message's MIME tree, one part a line, with the files' names and sizes, and the
    /// size of the whole message as it goes on the wire.
    var partLines: [String] {
        let files = email.attachments.filter { $0.disposition == .attachment }
        let inline = email.attachments.filter { $0.disposition == .inline }
        var lines: [String] = []
        var indent = ""
        func add(_ text: String) { lines.append("parts: " + indent + text) }
        if !files.isEmpty { add("multipart/mixed"); indent += "  " }
        if !inline.isEmpty { add("multipart/related"); indent += "  " }
        add("multipart/alternative (text/plain, text/html)")
        for image in inline { add("\(image.contentType) inline \"\(image.filename)\" \(image.bytes) bytes") }
        if !inline.isEmpty { indent.removeLast(2) }
        for file in files { add("\(file.contentType) attachment \"\(file.filename)\" \(file.bytes) bytes") }
        lines.append("size: \(email.bytes.count) bytes")
        return lines
    }
}
