/// The mail transactions of one SMTP connection as a pure state machine: server replies in,
/// actions out (bytes to write, a message's outcome, the end of the session). No socket, no
/// clock: whoever owns the connection performs the actions, so every dialogue is tested by
/// feeding replies, as postgres-nio tests its `ConnectionStateMachine`.
///
/// libcurl has done the greeting, STARTTLS and AUTH when the machine starts (`SMTPSessionFacts`
/// says what they established); the machine says one more EHLO to learn the extensions, then
/// sends messages one at a time:
///
/// - with PIPELINING (RFC 2920) MAIL, every RCPT and DATA go in one write, then the message;
///   in lockstep otherwise, one command per reply;
/// - SIZE, 8BITMIME, SMTPUTF8 and DSN parameters as `SMTPEnvelopeCommands` words them; a message
///   over the server's SIZE, or needing SMTPUTF8 the server lacks, fails before any write;
/// - each recipient keeps its reply; recipients over the server's limit (`452 4.5.3`) go in
///   further transactions of the same message (`SMTPRecipientBatches`);
/// - a transaction that failed before its data is followed by RSET, so the connection stays
///   usable for the next message; a 421, an unexpected reply or a lost connection end the session;
/// - across messages: told the next message (`send(_:then:)`), a pipelining machine writes its
///   MAIL, RCPT and DATA right after this message's data, in the same write (RFC 2920 3.1: the
///   message content may start a group), so a message costs one round trip, not two. Only when
///   this transaction is the message's last (its RCPT replies are in: nothing deferred by a
///   452); the caller's next `send` must be that message, and is answered `.read`.
///
/// The machine takes complete replies: the bytes read go through `SMTPReplyAssembler` first,
/// which takes lines split across reads and several replies in one read.
///
/// Failures are classified by `SMTPError.classify`, the rules the libcurl-driven path uses.
public struct SMTPTransactionMachine: Sendable {
    /// What the connection's owner does next.
    public enum Action: Sendable {
        /// Write these bytes, then read replies.
        case write([UInt8])
        /// Write the message's data (its body, then its end of data), then `then` (the next
        /// message's commands, when they ride behind it), then read replies. Apart from
        /// `.write` so the body is written from the composed bytes, never joined into a copy.
        case writeData(SMTPDotStuffedMessage, then: [UInt8])
        /// Nothing to write: read the next reply.
        case read
        /// The session is ready (EHLO answered): give it a message with `send`.
        case ready
        /// The message is done, delivered (to at least one recipient) or failed; the connection
        /// is idle and takes the next message.
        case messageDone(Result<SMTPDelivery, SMTPError>)
        /// The session is over: close the connection. `message` is the outcome of the message in
        /// flight, if there was one; `reason` says why the session ended.
        case closeConnection(message: Result<SMTPDelivery, SMTPError>?, reason: SMTPError)
    }

    /// The reply the machine waits for inside a transaction.
    enum Awaiting: Equatable {
        case mailFrom
        case recipient(Int)
        case data
        /// The message went out after 354: the reply to its final dot.
        case endOfData
        /// A pipelining server answered DATA with 354 although no recipient was accepted: a
        /// lone "." ended the empty data (RFC 2920 3.1), and its reply ends the transaction.
        case emptyData
    }

    /// One transaction: a batch of the message's recipients and the replies so far.
    struct Transaction {
        var recipients: [String]
        var pipelined: Bool
        var awaiting = Awaiting.mailFrom
        var recipientReplies: [SMTPReply?]
        /// The first refusal that dooms the transaction, with its stage; a pipelined
        /// transaction still reads the replies to the commands already sent after it.
        var failure: (stage: SMTPError.Stage, reply: SMTPReply)?
        var messageStarted = false

        init(recipients: [String], pipelined: Bool) {
            self.recipients = recipients
            self.pipelined = pipelined
            recipientReplies = Array(repeating: nil, count: recipients.count)
        }

        var anyRecipientAccepted: Bool { recipientReplies.contains { $0?.isPositive ?? false } }

        /// The stage the awaited reply belongs to.
        var stage: SMTPError.Stage {
            switch awaiting {
            case .mailFrom: .mailFrom
            case .recipient, .emptyData: .recipients
            case .data: .data
            case .endOfData: .afterData
            }
        }

        var recipientOutcomes: [SMTPRecipientReply] {
            zip(recipients, recipientReplies).map { SMTPRecipientReply(address: $0, reply: $1) }
        }
    }

    /// The message being sent, across its transactions.
    struct MessageInFlight {
        var message: SMTPOutgoingMessage
        var batches: SMTPRecipientBatches
        var needsSMTPUTF8: Bool
        /// The reply to the final dot of the latest accepted transaction.
        var finalReply: SMTPReply?
    }

    enum State {
        case awaitingEHLO
        case idle
        case transaction(Transaction)
        /// RSET went out after a failed transaction; its reply lets the message go on.
        case resetting
        case closed
    }

    /// A message whose first transaction went out behind the previous message's data, before
    /// the caller has sent it: it becomes the message in flight when the previous one is done.
    struct Prefetched {
        var flight: MessageInFlight
        var transaction: Transaction
    }

    /// What libcurl's greeting, STARTTLS and AUTH established, and what the EHLO offers.
    public internal(set) var session: SMTPSessionFacts
    var state = State.awaitingEHLO
    var inFlight: MessageInFlight?
    /// The message the caller said comes next (`send(_:then:)`), not yet begun.
    var upcoming: SMTPOutgoingMessage?
    /// The next message, begun behind the current one's data (see `Prefetched`).
    var prefetched: Prefetched?
    /// The transaction in progress belongs to a message begun early, which the caller has not
    /// yet given to `send`: that `send` only reads on.
    var awaitingSendOfPrefetched = false
    let clientName: String
    let maxRecipientsPerTransaction: Int
    /// Messages finished on this connection: the next one reuses it when any was.
    var messagesFinished = 0

    /// A machine for a connection libcurl has authenticated; `start()` says the EHLO.
    /// `clientName` is the EHLO argument (the same libcurl used); `maxRecipientsPerTransaction`
    /// the configured cap, lowered per message to the server's limit once it shows.
    public init(clientName: String, session: SMTPSessionFacts, maxRecipientsPerTransaction: Int) {
        self.clientName = clientName
        self.session = session
        self.maxRecipientsPerTransaction = maxRecipientsPerTransaction
    }

    /// The EHLO that learns the extensions: libcurl's own EHLO replies are not visible through
    /// CONNECT_ONLY, and after STARTTLS only a new EHLO says what the server offers.
    public mutating func start() -> Action {
        precondition(isAwaitingEHLO, "start() is called once, first")
        return .write(SMTPEnvelopeCommands.ehlo(clientName))
    }

    private var isAwaitingEHLO: Bool {
        if case .awaitingEHLO = state { return true }
        return false
    }

    /// Starts sending `message`. Fails it at once, writing nothing, when an address is unfit for
    /// a command line, needs SMTPUTF8 the server does not offer, or the message is over the
    /// server's SIZE. Call only after `.ready` or `.messageDone`.
    ///
    /// `next` is the message the caller will send after this one, if it knows: a pipelining
    /// machine may begin it behind this one's data. Then the caller's next `send` must be `next`.
    public mutating func send(_ message: SMTPOutgoingMessage, then next: SMTPOutgoingMessage? = nil) -> Action {
        upcoming = next
        if awaitingSendOfPrefetched {
            precondition(inFlight?.message.sender == message.sender && inFlight?.message.recipients == message.recipients,
                         "send() must give the message announced with then:")
            awaitingSendOfPrefetched = false
            return .read
        }
        switch state {
        case .idle: break
        case .closed:
            return .messageDone(.failure(SMTPError(kind: .transient, stage: .closed, summary: "the SMTP connection was closed")))
        case .awaitingEHLO, .transaction, .resetting:
            preconditionFailure("send() while the session is not idle")
        }
        switch startable(message) {
        case .success(let flight):
            inFlight = flight
            return nextTransactionOrOutcome()
        case .failure(let error):
            return .messageDone(.failure(error))
        }
    }

    /// Whether the session is between messages: nothing in flight, nothing begun early.
    public var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }

    /// `message` checked and ready to go, or why it cannot go over this session.
    private func startable(_ message: SMTPOutgoingMessage) -> Result<MessageInFlight, SMTPError> {
        let needsSMTPUTF8: Bool
        do throws(SMTPError) {
            needsSMTPUTF8 = try checkEnvelope(of: message)
        } catch {
            return .failure(error)
        }
        if let limit = session.sizeLimit, message.content.messageSize > limit {
            return .failure(SMTPError.overSizeLimit(messageSize: message.content.messageSize, limit: limit))
        }
        return .success(MessageInFlight(
            message: message,
            batches: SMTPRecipientBatches(recipients: message.recipients, maxPerTransaction: maxRecipientsPerTransaction),
            needsSMTPUTF8: needsSMTPUTF8
        ))
    }

    /// The next message's first transaction, to write behind `transaction`'s data, when that
    /// data ends the message in flight and the server pipelines; nil otherwise.
    mutating func prefetchUpcoming(after transaction: Transaction) -> [UInt8]? {
        guard session.pipelining, let next = upcoming, let flight = inFlight, !flight.batches.hasRecipientsLeft,
              !transaction.recipientReplies.contains(where: { $0?.isRecipientLimit ?? false }),
              case .success(var nextFlight) = startable(next), let batch = nextFlight.batches.next() else { return nil }
        upcoming = nil
        let nextTransaction = Transaction(recipients: batch, pipelined: true)
        prefetched = Prefetched(flight: nextFlight, transaction: nextTransaction)
        return transactionCommands(nextTransaction, nextFlight)
    }

    /// Refuses addresses that could not go on a command line; returns whether one needs SMTPUTF8.
    private func checkEnvelope(of message: SMTPOutgoingMessage) throws(SMTPError) -> Bool {
        try EnvelopeCheck.validate(from: message.sender, recipients: message.recipients)
        let utf8Address = ([message.sender] + message.recipients).first(where: SMTPEnvelopeCommands.needsSMTPUTF8)
        guard let utf8Address else { return false }
        guard session.smtpUTF8 else {
            throw SMTPError(kind: .permanent, stage: .envelope,
                            summary: "the address \(EnvelopeCheck.quoted(utf8Address)) has a UTF-8 local part "
                                + "and the server does not offer SMTPUTF8 (RFC 6531), so nothing was sent",
                            address: utf8Address)
        }
        return true
    }

    /// The next transaction of the message in flight, or its outcome when none is left.
    mutating func nextTransactionOrOutcome() -> Action {
        guard var flight = inFlight else { preconditionFailure("no message in flight") }
        if let batch = flight.batches.next() {
            inFlight = flight
            return begin(Transaction(recipients: batch, pipelined: session.pipelining), flight)
        }
        let outcome = finish(flight)
        if let early = prefetched {
            // The next message's commands went out behind this one's data: its replies follow.
            prefetched = nil
            inFlight = early.flight
            state = .transaction(early.transaction)
            awaitingSendOfPrefetched = true
        } else {
            inFlight = nil
            state = .idle
        }
        return .messageDone(outcome)
    }

    /// MAIL FROM, and with PIPELINING every RCPT TO and DATA in the same write.
    private mutating func begin(_ transaction: Transaction, _ flight: MessageInFlight) -> Action {
        state = .transaction(transaction)
        return .write(transactionCommands(transaction, flight))
    }

    private func transactionCommands(_ transaction: Transaction, _ flight: MessageInFlight) -> [UInt8] {
        var bytes = SMTPEnvelopeCommands.mailFrom(flight.message.sender, message: flight.message.content,
                                                   envelopeID: flight.message.envelopeID,
                                                   needsSMTPUTF8: flight.needsSMTPUTF8, session: session)
        if transaction.pipelined {
            for recipient in transaction.recipients {
                bytes += SMTPEnvelopeCommands.recipient(recipient, session: session)
            }
            bytes += SMTPEnvelopeCommands.data
        }
        return bytes
    }

    /// The message's result from its batches (delivered when any recipient has it), counted as
    /// one more message of the connection.
    mutating func finish(_ flight: MessageInFlight) -> Result<SMTPDelivery, SMTPError> {
        defer { messagesFinished += 1 }
        do throws(SMTPError) {
            let recipients = try flight.batches.finish()
            guard let finalReply = flight.finalReply else {
                return .failure(SMTPError(kind: .transient, stage: .recipients, summary: "no transaction was accepted"))
            }
            var delivery = SMTPDelivery(recipients: recipients, finalReply: finalReply,
                                        connectionReused: messagesFinished > 0, reconnected: false)
            delivery.transactions = flight.batches.transactions
            return .success(delivery)
        } catch {
            return .failure(error)
        }
    }
}
