import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport
@testable import TidingsServices

/// The heartbeat must not wait for Swift's cooperative pool: a daemon whose pool threads are
/// busy composing large digests (seconds each in a debug build) let its heartbeat go stale in
/// the reliability suite, and other daemons took back digests it was still sending, which then
/// went out twice. Maintenance runs on its database session's own thread instead.
@Suite struct DaemonMaintenanceThreadTests {
    @Test func maintenanceRunsOnItsSessionsThreadNotThePool() async throws {
        let database = try await DatabaseTesting.migratedDatabase("maint")
        let context = try ServiceTesting.context(ServiceTesting.configuration(databaseURL: database.url))
        let stop = StopFlag()
        let probe = ThreadProbe(stop: stop)
        let loop = MaintenanceLoop(context: context, registry: WorkerRegistry(worker: context.worker),
                                   reclaimers: [probe], notifier: SystemdNotifier(environment: [:]))
        await loop.run(until: stop)
        #expect(probe.observed == [true], "the maintenance turn ran on the cooperative pool")
        let beats = try await DatabaseTesting.onConnection(database.url) { connection in
            try connection.query("SELECT count(*) AS n FROM tidings.workers").single().decode("n", as: Int.self)
        }
        #expect(beats == 1)
    }
}

/// A reclaimer that records whether it runs on its session's thread, then stops the loop.
final class ThreadProbe: BatchWork {
    let name = "probe"
    let stop: StopFlag
    private let seen = Mutex<[Bool]>([])

    init(stop: StopFlag) {
        self.stop = stop
    }

    var observed: [Bool] { seen.withLock { $0 } }

    func runBatch(session: PostgresSession, now: Date) async throws -> BatchOutcome {
        let onThread = session.thread.isCurrent
        seen.withLock { $0.append(onThread) }
        stop.set()
        return .idle
    }
}
