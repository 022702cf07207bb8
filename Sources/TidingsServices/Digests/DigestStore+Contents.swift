import PostgresClient
import TidingsCore

extension DigestStore {
    /// What claimed digests are made of: each one's notifications (a digest with one that
    /// cannot be read is in `unreadable`), cut to what a digest shows (`limits`), its catch-ups
    /// (the last `catchUpChanges` changes of each deal its user was just added to), the CRM's
    /// labels of the codes they show, and the directory rows of their users; a few set-based
    /// queries on one connection.
    func contents(of digests: ArraySlice<ClaimedDigest>, limits: ChangePayloadLimits,
                  catchUpChanges: Int = 0) async throws -> (DigestContents, [String: DigestUser]) {
        try await session.withConnection { connection in
            var contents = try DigestContentLoader.notifications(ofDigests: digests.map(\.id), limits: limits, on: connection)
            let users = try DigestContentLoader.recipients(Array(Set(digests.map(\.userID))), on: connection)
            try DigestContentLoader.addCatchUpsAndLabels(to: &contents, of: digests.map { ($0.id, $0.userID) }, users: users,
                                                         catchUpChanges: catchUpChanges, limits: limits, on: connection)
            return (contents, users)
        }
    }
}
