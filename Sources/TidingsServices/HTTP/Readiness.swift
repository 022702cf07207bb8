/// `GET /readyz`: the daemon can do its work — the database answers and every loop has turned
/// within `ServiceContext.staleAfter`, the judgement the systemd watchdog pings by
/// (`LoopHealth`). `/healthz` only says the process answers.
struct Readiness: Sendable {
    let store: PreferencesStore
    let health: LoopHealth

    /// What is wrong, one sentence each; empty when ready. Names loops and the database, never
    /// its address.
    func problems() async -> [String] {
        var problems: [String] = []
        do {
            try await store.ping()
        } catch {
            problems.append("database unreachable")
        }
        let stuck = health.stuckLoops()
        if !stuck.isEmpty { problems.append("loops not turning: " + stuck.joined(separator: ", ")) }
        return problems
    }
}
