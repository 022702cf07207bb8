/// Lets a sending worker record one outcome while it composes and sends the next message: the
/// database session and the SMTP connection are separate threads, so the worker need not wait
/// for its database write before the next send (the drain rate was bound by it).
///
/// At most one record is in flight: `start` first waits for the previous one and hands back
/// its outcome, so outcomes are still handled in order, and a crash loses at most the outcome
/// being written and the message being sent; both resend with the same Message-ID, as any
/// lost outcome does. Every path of a batch must `finish` before it returns or throws, so an
/// outcome in flight is written before its rows are released.
///
/// An unstructured task rather than a task group child: the record must outlive one turn of
/// the batch's loop, and the loop awaits it on every path.
struct RecordingPipeline<Outcome: Sendable> {
    private var pending: Task<Outcome, any Error>?

    /// Waits for the record in flight, if any, and returns its outcome; then starts `record`.
    @discardableResult
    mutating func start(_ record: @escaping @Sendable () async throws -> Outcome) async throws -> Outcome? {
        let previous = try await finish()
        pending = Task { try await record() }
        return previous
    }

    /// Waits for the record in flight, if any, and returns its outcome.
    @discardableResult
    mutating func finish() async throws -> Outcome? {
        guard let pending else { return nil }
        self.pending = nil
        return try await pending.value
    }
}
