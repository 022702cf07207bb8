import Foundation
import Logging
import PostgresClient
import SMTPClient
import TidingsCore

/// The inbound loop (issue 12): reads the `inbound.url` mailbox past its cursor and records each
/// message — a reply or auto-reply on its deal, a bounce on the row it names, anything else
/// `unmatched` — then keeps, flags or moves it (`inbound.after`).
///
/// One message at a time, in three steps that never hold a transaction across IMAP: fetch it
/// (outside any transaction; the mailbox is EXAMINEd, so fetching leaves it unseen), decide what
/// it is (the pure `InboundMatch`, after one lookup of the ids it references), then record it
/// and move the cursor in one short `InboundStore.withCursor`. A crash between fetching and
/// recording reads the message again; one between recording and `after` leaves it unflagged
/// (recording is what counts, and a message is recorded once by its Message-ID). A message that
/// cannot be recorded is logged with its UID and Message-ID and stepped over; the next is read.
///
/// A `BatchWork`: the daemon runs it in a loop of its own every `inbound.poll_interval_seconds`
/// (libcurl has no IDLE), with the loops' backoff when the server or the database is away;
/// `run --once` drains it before the change works, so what it records is fanned out in the
/// same run.
public struct InboundWork: BatchWork {
    public let name = "inbound"
    /// The one connection to the mailbox, on a thread of its own, kept across polls.
    public let imap: IMAPSession
    /// The cursor's key: the mailbox as `inbound.url` names it (no password in it).
    let mailbox: String
    let returnPath: ReturnPath
    let maxMessageBytes: Int
    let after: InboundAfter
    let notifyAutoReplies: Bool
    let logger: Logger
    /// Counts what is recorded, by kind, and what is stepped over.
    let metrics: InboundMetrics
    /// Messages read per batch; a full batch makes the loop go again at once.
    let batchSize: Int
    /// A batch takes no further message after this long (large messages over a slow link), so
    /// the loop's turns, which the watchdog watches, stay short.
    static let turnBudget: Duration = .seconds(60)

    public init(context: ServiceContext, inbound: TidingsConfiguration.Inbound) throws(IMAPError) {
        imap = try IMAPSession(settings: IMAPSettings(inbound), name: "imap")
        mailbox = inbound.url.text
        returnPath = context.mail.returnPath
        maxMessageBytes = inbound.maxMessageBytes
        after = inbound.after
        notifyAutoReplies = inbound.notifyAutoReplies
        logger = context.logger
        metrics = context.metrics.inbound()
        batchSize = 25
    }

    public func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        let store = InboundStore(session: session, notifyAutoReplies: notifyAutoReplies)
        // Another daemon reading this mailbox holds the cursor: let it.
        guard let cursor = try await store.withCursor(mailbox: mailbox, { $0.cursor }) else { return .idle }
        let status = try await imap.examine()
        let first = cursor.firstUID(uidValidity: status.uidValidity)
        if let next = status.uidNext, first >= next, cursor.uidValidity == status.uidValidity { return .idle }
        let uids = try await imap.search(fromUID: first)
        var outcome = BatchOutcome.idle
        let clock = ContinuousClock()
        let deadline = clock.now + Self.turnBudget
        for (index, uid) in uids.prefix(batchSize).enumerated() {
            if index > 0 && clock.now >= deadline {
                outcome.more = true
                return outcome
            }
            switch try await read(uid: uid, uidValidity: status.uidValidity, store: store, now: now) {
            case .recorded, .alreadyRecorded, .gone: outcome.processed += 1
            case .failed:
                outcome.failed += 1
                metrics.countSkipped()
            case .cursorTaken: return outcome
            }
        }
        outcome.more = uids.count > batchSize
        return outcome
    }

    /// What became of one message.
    enum Read: Equatable {
        case recorded(InboundRecorded)
        /// Its Message-ID was recorded before (delivered twice, or read again after a crash).
        case alreadyRecorded
        /// Expunged between the search and the fetch: nothing to record.
        case gone
        /// It could not be fetched or recorded; the cursor moved past it (logged).
        case failed
        /// Another daemon took the mailbox's cursor meanwhile: it reads on from here.
        case cursorTaken
    }

    func read(uid: UInt32, uidValidity: UInt32, store: InboundStore, now: Date) async throws -> Read {
        let fetched: IMAPFetchedMessage?
        do {
            fetched = try await imap.fetch(uid: uid, maxBytes: maxMessageBytes)
        } catch {
            // The server refuses this one message (NO/BAD): step over it, read the rest.
            // Anything else (the server away, the setup wrong) stops the poll for the backoff.
            guard error.kind == .permanent && !error.isConfigurationError else { throw error }
            logger.error("inbound: message UID \(uid) cannot be fetched; skipped", metadata: ["error": "\(error)"])
            return try await skip(uid: uid, uidValidity: uidValidity, store: store, outcome: .failed)
        }
        guard let fetched else { return try await skip(uid: uid, uidValidity: uidValidity, store: store, outcome: .gone) }

        let message = InboundMessage.parse(fetched.bytes, maxBytes: maxMessageBytes)
        let report = DeliveryReport.parse(message)
        let sent = try await store.sent(messageIDs: InboundMatch.candidateIDs(of: message, report: report))
        let match = InboundMatch.decide(message, report: report, returnPath: returnPath, sent: sent)
        var rowDealID: String?
        if match.kind == .bounce, match.dealID == nil, let row = match.row {
            rowDealID = try await store.dealID(of: row)
        }
        let record = InboundRecord(message, match: match, rowDealID: rowDealID, receivedAt: now,
                                   sizeBytes: fetched.size ?? fetched.bytes.count)
        let result = try await store.withCursor(mailbox: mailbox) { claim -> Result<InboundRecorded?, InboundRecordError> in
            do {
                return .success(try claim.record(record, cursorUID: uid, uidValidity: uidValidity))
            } catch let error as InboundRecordError {
                // Rolled back alone; step over it (a lost connection fails this too, and the
                // whole claim rolls back to be tried again).
                try claim.skip(to: uid, uidValidity: uidValidity)
                return .failure(error)
            }
        }
        switch result {
        case nil:
            return .cursorTaken
        case .failure(let error)?:
            logger.error("inbound: message UID \(uid) skipped", metadata: ["error": "\(error)"])
            return .failed
        case .success(nil)?:
            logger.info("inbound: \(record.messageID) (UID \(uid)) was recorded before")
            await applyAfter(uid: uid)
            return .alreadyRecorded
        case .success(let recorded?)?:
            logger.notice("inbound: recorded \(record.kind.rawValue)", metadata: Self.metadata(record, recorded, uid: uid))
            metrics.countRecorded(record.kind)
            await applyAfter(uid: uid)
            return .recorded(recorded)
        }
    }

    private func skip(uid: UInt32, uidValidity: UInt32, store: InboundStore, outcome: Read) async throws -> Read {
        let moved: Bool? = try await store.withCursor(mailbox: mailbox) { claim in
            try claim.skip(to: uid, uidValidity: uidValidity)
            return true
        }
        return moved == nil ? .cursorTaken : outcome
    }

    /// `inbound.after`, once the message is recorded. A failure is logged and not retried: the
    /// message is recorded, and the cursor (not its flags) says it was read.
    private func applyAfter(uid: UInt32) async {
        do {
            switch after {
            case .keep: return
            case .seen: try await imap.markSeen(uid: uid)
            case .move(let folder): try await imap.move(uid: uid, to: folder)
            }
        } catch {
            logger.warning("inbound: recorded UID \(uid) but could not apply inbound.after=\(after)", metadata: ["error": "\(error)"])
        }
    }

    static func metadata(_ record: InboundRecord, _ recorded: InboundRecorded, uid: UInt32) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "uid": "\(uid)", "message_id": "\(record.messageID)", "inbound_id": "\(recorded.inboundID)",
            "role": "\(recorded.senderRole)",
        ]
        if let deal = record.dealID { metadata["deal"] = "\(deal)" }
        if let outbox = record.outboxID { metadata["outbox_id"] = "\(outbox)" }
        if recorded.bouncedRecipients > 0 { metadata["bounced_recipients"] = "\(recorded.bouncedRecipients)" }
        return metadata
    }
}
