import Foundation
import PostgresClient
import TidingsCore

/// `tidings preview outbox`: the exact message an outbox row would be sent as, composed by
/// the worker's own code path (`DealEmailComposer`) from the row read without claiming or
/// changing it. Only the Date header differs from a real send (it is "now").
public struct OutboxPreview: Sendable {
    public var item: OutboxItem
    public var email: ComposedDealEmail

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

    /// Loads row `id` and composes it at `now`.
    public static func make(id: Int64, session: PostgresSession, composer: DealEmailComposer, now: Date) async throws -> OutboxPreview {
        guard let item = try await OutboxStore(session: session).item(id: id) else {
            throw Failure(kind: .unknownRow, description: "outbox row \(id) does not exist")
        }
        do {
            return OutboxPreview(item: item, email: try composer.compose(item.draft, deal: item.deal, author: item.author, date: now))
        } catch {
            throw Failure(kind: .wouldFail, description: "\(error) (it would fail without being sent)")
        }
    }

    /// The envelope and notes, for stderr: `MAIL FROM:<...>`, one `RCPT TO:<...>` per
    /// recipient, then each note (skipped participants, an ignored in_reply_to).
    public var envelopeLines: [String] {
        ["status: \(item.status) (attempts \(item.attempts))", "MAIL FROM:<\(email.composed.envelopeFrom)>"]
            + email.composed.envelopeRecipients.map { "RCPT TO:<\($0)>" }
            + email.notes.map { "note: \($0)" }
    }
}
