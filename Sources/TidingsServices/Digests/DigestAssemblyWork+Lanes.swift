import Foundation
import PostgresClient

extension DigestAssemblyWork {
    /// A lane is worth its connection only with at least this many users to assemble: opening
    /// one costs a few milliseconds, a user about ten (mostly the server updating its rows).
    static let usersPerLane = 32

    /// Assembles `users` in order on `session` or, for a batch large enough (a morning when
    /// everyone's daily digest falls due), in up to `connections` lanes at once: lane 0 on
    /// `session`, the others on sessions opened for the batch and closed after it. Assembly is
    /// bound by the server's work per notification, so lanes let a burst use more than one of
    /// its cores. Each user is still one transaction under the user's own lock, so lanes never
    /// touch the same rows. Outcomes come back in `users`' order.
    func assembleUsers(_ users: [String], session: PostgresSession, now: Date) async throws -> [UserOutcome] {
        let lanes = openSession == nil ? 1 : min(connections, users.count / Self.usersPerLane)
        guard lanes > 1, let openSession else {
            var outcomes: [UserOutcome] = []
            outcomes.reserveCapacity(users.count)
            for user in users { outcomes.append(try await assembleUser(user, session: session, now: now)) }
            return outcomes
        }
        let extra = (1..<lanes).map { openSession($0) }
        let sessions = [session] + extra
        do {
            let outcomes = try await withThrowingTaskGroup(of: [(index: Int, outcome: UserOutcome)].self) { group in
                for lane in 0..<lanes {
                    let laneSession = sessions[lane]
                    group.addTask {
                        // Users are dealt round-robin, so oldest pending still goes first.
                        var done: [(index: Int, outcome: UserOutcome)] = []
                        for index in stride(from: lane, to: users.count, by: lanes) {
                            // Another lane failed (or the statement was cancelled for shutdown): stop too.
                            try Task.checkCancellation()
                            done.append((index, try await assembleUser(users[index], session: laneSession, now: now)))
                        }
                        return done
                    }
                }
                var outcomes = [UserOutcome?](repeating: nil, count: users.count)
                for try await done in group {
                    for (index, outcome) in done { outcomes[index] = outcome }
                }
                return outcomes.map { $0! }
            }
            for lane in extra { await lane.close() }
            return outcomes
        } catch {
            for lane in extra { await lane.close() }
            throw error
        }
    }
}
