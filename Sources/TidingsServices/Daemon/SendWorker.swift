import Foundation
import Logging
import PostgresClient

/// One sending worker: its own database session and its own transport (one SMTP connection,
/// kept across messages), each on a thread of its own. It claims and sends outbox emails first,
/// then digests, until nothing is due, then waits for a wake-up or the poll interval. Wake-ups
/// come one worker at a time; a worker whose claim came back full wakes one more.
///
/// On shutdown it finishes the message in hand, releases what it claimed but did not start
/// (the `SendWork` does that when `shouldStop` turns true), and closes its connections.
struct SendWorker: Sendable {
    let index: Int
    let works: [any SendWork]
    let context: ServiceContext
    /// Rows claimed per batch: small, so a worker never sits on mail another could be sending.
    let claimLimit: Int

    var name: String { "sender-\(index)" }

    func run(until stop: StopFlag, transport: any MailTransport) async {
        let session = context.makeDatabaseSession(role: name)
        let resources = SendResources(
            session: session, transport: transport, workerID: context.worker.id,
            now: { [clock = context.clock] in clock.now() }, shouldStop: { stop.isSet }
        )
        var failures = 0
        while !stop.isSet && !Task.isCancelled {
            context.health.tick(name)
            let generation = context.sendSignal.generation
            do {
                var total = BatchOutcome.idle
                for work in works where !stop.isSet {
                    total = total + (try await work.sendBatch(resources, limit: claimLimit))
                }
                failures = 0
                if total.more {
                    // A full claim: there is likely more than this worker can take; one more helps.
                    context.sendSignal.signalOne()
                    continue
                }
            } catch {
                failures += 1
                let delay = WorkLoop.backoff(failures: failures, cap: context.configuration.database.connectRetryMax)
                context.logger.warning("\(name) failed; retrying in \(delay)", metadata: ["error": "\(error)"])
                await stop.sleep(for: delay)
                continue
            }
            await context.sendSignal.wait(since: generation, timeout: context.configuration.daemon.pollInterval)
        }
        context.health.remove(name)
        await transport.close()
        await session.close()
    }
}
