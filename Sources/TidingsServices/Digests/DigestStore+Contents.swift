import PostgresClient
import TidingsCore

extension DigestStore {
    /// What claimed digests are made of: each one's notifications (a digest with one that
    /// cannot be read is in `unreadable`), cut to what a digest shows (`limits`), and the
    /// directory rows of their users; a few set-based queries on one connection.
    func contents(of digests: ArraySlice<ClaimedDigest>,
                  limits: ChangePayloadLimits) async throws -> (DigestContents, [String: DigestUser]) {
        try await session.withConnection { connection in
            (try DigestContentLoader.notifications(ofDigests: digests.map(\.id), limits: limits, on: connection),
             try DigestContentLoader.recipients(Array(Set(digests.map(\.userID))), on: connection))
        }
    }
}
