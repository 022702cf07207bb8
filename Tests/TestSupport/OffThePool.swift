import DedicatedThreads
import Foundation

/// Runs blocking work (a child process such as psql or pg_ctl) on a thread of its own and
/// awaits it, so the calling test holds none of the cooperative pool's few threads meanwhile:
/// tests run in parallel, and a pool blocked by psql calls stalls every other test's tasks
/// (timing tests fail first).
///
/// Not a Dispatch queue: on Linux its global threads are few too, and `runProcess` needs them
/// to drain the child's pipes; blocking them in the wait starves those readers for seconds.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result { try body() })
        }.start()
    }
}

/// Runs `body(0..<count)` at the same time, each on a thread of its own (see `offThePool`),
/// and returns the results in order; the first error, if any, is rethrown.
public func concurrentlyOffThePool<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        for index in 0..<count {
            group.addTask { (index, try await offThePool { try body(index) }) }
        }
        var results: [T?] = Array(repeating: nil, count: count)
        for try await (index, value) in group { results[index] = value }
        return results.map { $0! }
    }
}

/// Runs `body` in the calling task, so its `#expect`s still report to the running test, but on a
/// thread of its own instead of the cooperative pool: for tests that compute for seconds. The
/// pool has as many threads as cores (two here), and a test holding one that long stalls the
/// other tests' tasks meanwhile, the wall-clock-bounded ones first.
public func onAThreadOfItsOwn<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
    let thread = DedicatedThread(name: "test")
    defer { thread.shutdown() }
    return try await withTaskExecutorPreference(thread) { try await body() }
}

/// `MIMECheck.parse` (a Python child process) without blocking the cooperative pool.
public func parsedOffThePool(_ messages: [[UInt8]]) async throws -> [ParsedMessage] {
    messages.isEmpty ? [] : try await offThePool { try MIMECheck.parse(messages) }
}

extension TestDatabase {
    /// `create(_:)` without blocking the cooperative pool.
    public static func make(_ prefix: String = "test", in cluster: PrivatePostgres? = nil) async throws -> TestDatabase {
        try await offThePool { try create(prefix, in: cluster) }
    }

    /// `psql(_:)` without blocking the cooperative pool.
    @discardableResult
    public func runPSQL(_ sql: String) async throws -> String {
        try await offThePool { try psql(sql) }
    }

    /// `psql(file:)` without blocking the cooperative pool.
    public func runPSQL(file: String) async throws {
        try await offThePool { try psql(file: file) }
    }
}

extension PrivatePostgres {
    /// Starts a private cluster, runs `body` with it and destroys it, all without blocking the
    /// cooperative pool.
    public static func with<T: Sendable>(_ body: (PrivatePostgres) async throws -> T) async throws -> T {
        let cluster = try await offThePool { try PrivatePostgres.start() }
        do {
            let result = try await body(cluster)
            _ = try? await offThePool { cluster.destroy() }
            return result
        } catch {
            _ = try? await offThePool { cluster.destroy() }
            throw error
        }
    }
}
