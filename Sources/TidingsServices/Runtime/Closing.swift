/// Runs `body`, then `close`, whether `body` returned or threw: the one shape of "open it, use
/// it, close it on every path" behind `DatabaseSessions.withSession` and
/// `TransportSettings.withTransport`. A session or transport closed explicitly says goodbye to
/// its server at once instead of whenever the last reference goes.
func withClosing<T>(
    isolation: isolated (any Actor)? = #isolation,
    _ close: () async -> Void,
    _ body: () async throws -> T
) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        await close()
        throw error
    }
    await close()
    return result
}
