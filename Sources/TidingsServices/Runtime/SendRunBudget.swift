/// How much a sending worker composes before it hands its transport a run
/// (`MailTransport.deliver(_:stopping:)`). Over SMTP with PIPELINING a run costs one round trip a message
/// instead of two — each message's commands ride behind the previous one's data — which is
/// what a relay 20 ms away makes count. Bounded in messages, so a run's outcomes are not long
/// unrecorded (a crash resends at most them, with the same Message-IDs), and in bytes, so a
/// worker holds a bounded amount of composed mail (a message larger than that goes alone).
///
/// A run is started only while the claim's lease has more than `smtp.timeout_seconds` left (as
/// a single message was), and a server silent for that long ends the session and with it the
/// run (the rest are not attempted), so a stalled relay costs one timeout a run, not one a message.
///
/// The messages of a run are composed one after another on Swift's cooperative pool, which a
/// message sent alone left at every send: the senders yield after each one, or eight large
/// digests composed in a row (seconds in a debug build) starve the heartbeat and another
/// daemon takes the claim back as abandoned.
struct SendRunBudget {
    /// Messages in one run at most: eight take nine round trips where one at a time they took
    /// sixteen, and a kill resends at most a run a worker.
    static let maximumMessages = 8
    /// Composed bytes in one run at most.
    static let maximumBytes = 1 << 20

    private let messageLimit: Int
    private var messages = 0
    private var bytes = 0

    /// A budget of at most `messages` a run (at least one).
    init(messages: Int = maximumMessages) {
        messageLimit = max(1, messages)
    }

    /// Whether one more message may join the run: always the first.
    var admitsAnother: Bool { messages == 0 || (messages < messageLimit && bytes < Self.maximumBytes) }

    /// Counts a row into the run, with its composed message's bytes (none for a row settled
    /// without one).
    mutating func add(_ mail: OutgoingMail?) {
        messages += 1
        bytes += mail?.message.count ?? 0
    }
}
