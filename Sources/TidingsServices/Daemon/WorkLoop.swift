import Foundation
import Logging
import PostgresClient
import TimeArithmetic

/// The daemon's loop, for the change works and for each send worker alike: runs `turn` again at
/// once while it says more is due, otherwise after `signal` fires or `interval` passes (or the
/// shorter wait `idleWait` gives: a send worker wakes when a scheduled email is due). A failed
/// turn (the database went away) is logged and retried with backoff; nothing is lost, because
/// every work commits its own progress.
struct WorkLoop: Sendable {
    let name: String
    let signal: WakeupSignal?
    let interval: Duration
    let context: ServiceContext
    /// One pass over the loop's works; an outcome with `more` set runs the next one at once.
    let turn: @Sendable (_ stop: StopFlag) async throws -> BatchOutcome
    /// Called after a turn that came back full, before the next one (a send worker wakes one
    /// more: there is likely more due than it can take alone).
    var onFull: @Sendable () -> Void = {}
    /// After a turn that left nothing due: how long to wait at most before the next one, given
    /// when that turn started (`IdleWait`); nil waits `interval`.
    var idleWait: (@Sendable (_ turnStarted: Date) async throws -> Duration)?

    func run(until stop: StopFlag) async {
        var failures = 0
        defer { context.health.remove(name) }
        while !stop.isSet && !Task.isCancelled {
            context.health.tick(name)
            let generation = signal?.generation ?? 0
            let turnStarted = context.clock.now()
            var wait = interval
            do {
                let outcome = try await turn(stop)
                failures = 0
                if outcome.more {
                    onFull()
                    continue
                }
                if let idleWait, !stop.isSet { wait = try await idleWait(turnStarted) }
            } catch let error as PostgresError where error.isCancellation && stop.isSet {
                context.logger.notice("\(name): the running statement was cancelled for shutdown; it rolled back and is taken again next start")
                break
            } catch {
                failures += 1
                let delay = Self.backoff(failures: failures, cap: context.configuration.database.connectRetryMax)
                context.logger.warning("\(name) failed; retrying in \(delay)", metadata: ["error": "\(error)"])
                await stop.sleep(for: delay)
                continue
            }
            if wait <= .zero { continue }
            if let signal {
                await signal.wait(since: generation, timeout: wait)
            } else {
                await stop.sleep(for: wait)
            }
        }
    }

    /// The wait after `failures` failed turns in a row: from 1 s, doubling, up to `cap`, the
    /// last quarter of it random (so the loops of several daemons do not retry in step).
    static func backoff(failures: Int, cap: Duration, random: Double = Double.random(in: 0..<1)) -> Duration {
        Backoff(base: .seconds(1), cap: cap, jitter: 0.25).delay(afterAttempt: failures, random: random)
    }
}

extension WorkLoop {
    /// A loop over database-only works (fan-out then digest assembly) on one session, each turn
    /// one batch of each. `onProgress` is called after each batch that did something (e.g. to
    /// wake the senders after assembly).
    init(name: String, works: [any BatchWork], session: PostgresSession, signal: WakeupSignal?, interval: Duration,
         context: ServiceContext, onProgress: @escaping @Sendable (_ work: String, _ outcome: BatchOutcome) -> Void = { _, _ in }) {
        self.init(name: name, signal: signal, interval: interval, context: context) { stop in
            var total = BatchOutcome.idle
            for work in works where !stop.isSet {
                let outcome = try await work.runBatch(session: session, now: context.clock.now())
                if outcome.processed > 0 || outcome.failed > 0 { onProgress(work.name, outcome) }
                total = total + outcome
            }
            return total
        }
    }
}
