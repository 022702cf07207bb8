import PostgresClient
import TidingsCore

extension DigestContentLoader {
    /// Adds to `contents` what the digests of `digests` need beyond their notifications: the
    /// catch-ups of deals their users were just added to, and the CRM's labels of every code
    /// the load shows (changes, catch-ups, deals' stages) in the users' locales.
    ///
    /// Labels only name things: when they cannot be read (a CRM's view that fails), the
    /// digests go out with raw codes and `labelProblem` says why, for the log. The read runs
    /// in a transaction of its own (a savepoint inside the preview's), so its failure leaves
    /// the connection usable.
    static func addCatchUpsAndLabels(to contents: inout DigestContents, of digests: [(digestID: Int64, userID: String)],
                                     users: [String: DigestUser], catchUpChanges: Int, limits: ChangePayloadLimits,
                                     on connection: PostgresConnection) throws {
        contents.catchUps = try catchUps(of: digests, notifications: contents.notifications, perJoin: catchUpChanges,
                                         limits: limits, on: connection)
        let notifications = contents.notifications.values.joined()
        let catchUps = contents.catchUps.values.joined()
        let changes = notifications.map(\.change) + catchUps.flatMap(\.earlierChanges)
        let stages = notifications.compactMap(\.deal.stage) + catchUps.compactMap(\.stage)
        let keys = DigestLabelCodes.needed(changes: changes, stages: stages)
        let readers = Set(digests.map { LocaleTag(normalizing: users[$0.userID]?.locale) })
        do {
            contents.labels = try connection.transaction { connection in
                try DirectoryLabelLoader.labels(for: keys, readers: readers, on: connection)
            }
        } catch let error as PostgresError where error.isConnectionError {
            throw error
        } catch {
            contents.labelProblem = "tidings.directory_labels cannot be read, digests show raw codes: \((error as? PostgresError)?.message ?? "\(error)")"
        }
    }
}
