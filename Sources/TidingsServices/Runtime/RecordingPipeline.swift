import Synchronization

/// Lets a sending worker record outcomes while it composes and sends the next messages: the
/// database session and the SMTP connection are separate threads, so the worker need not wait
/// for its database write before the next send (the drain rate was bound by it).
///
/// One write is in flight at a time. What is submitted while it runs waits, and goes in the
/// next write, together (up to `maxWaiting`; then `submit` waits for the write in flight): so
/// when writing is slower than sending, several outcomes share one statement instead of
/// queueing behind one another. Outcomes come back from `submit` and `finish` in the order of
/// the writes. A crash loses at most the outcomes in flight and waiting; those messages are
/// sent again with the same Message-ID, as any lost outcome is. Every path of a batch must
/// `finish` before it returns or throws, so the outcomes are written before rows are released.
///
/// An unstructured task rather than a task group child: the write must outlive one turn of
/// the batch's loop, and the loop awaits it on every path.
struct RecordingPipeline<Input: Sendable, Outcome: Sendable> {
    private let write: @Sendable ([Input]) async throws -> [Outcome]
    private let maxWaiting: Int
    private var inFlight: Task<[Outcome], any Error>?
    private let writing = WriteInFlight()
    private var waiting: [Input] = []

    /// `write` records inputs in order and returns one outcome each; `maxWaiting` 1 writes each
    /// input alone (the next write starts once the previous is done).
    init(maxWaiting: Int, write: @escaping @Sendable ([Input]) async throws -> [Outcome]) {
        self.maxWaiting = max(1, maxWaiting)
        self.write = write
    }

    /// Queues `input`; starts a write of what waits when none is running (or too much waits).
    /// Returns the outcomes of the write it had to wait for, if any.
    mutating func submit(_ input: Input) async throws -> [Outcome] {
        waiting.append(input)
        guard !writing.isRunning || waiting.count >= maxWaiting else { return [] }
        let previous = try await awaitInFlight()
        let batch = waiting
        waiting = []
        writing.started()
        let write = write, writing = writing
        inFlight = Task {
            defer { writing.ended() }
            return try await write(batch)
        }
        return previous
    }

    /// Writes everything: waits for the write in flight, then writes what waits. Returns the
    /// outcomes not yet returned.
    mutating func finish() async throws -> [Outcome] {
        var outcomes = try await awaitInFlight()
        if !waiting.isEmpty {
            let batch = waiting
            waiting = []
            outcomes += try await write(batch)
        }
        return outcomes
    }

    private mutating func awaitInFlight() async throws -> [Outcome] {
        guard let task = inFlight else { return [] }
        inFlight = nil
        return try await task.value
    }
}

/// Whether a pipeline's write is running, read without waiting for it.
private final class WriteInFlight: Sendable {
    private let running = Atomic<Bool>(false)
    var isRunning: Bool { running.load(ordering: .acquiring) }
    func started() { running.store(true, ordering: .releasing) }
    func ended() { running.store(false, ordering: .releasing) }
}
