import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A long-running child (the `tidings` daemon) whose output is collected while it runs, so a
/// test can wait for a log line, signal it, and read everything it printed.
public final class ChildProcess: @unchecked Sendable {
    private let process: SpawnedProcess
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()
    private var readers: [Thread] = []

    public init(_ executable: URL, _ arguments: [String], environment: [String: String]) throws {
        process = try SpawnedProcess(executable.path, arguments, environment: environment, stdinFromNull: true)
        // Threads of their own, not Dispatch: the pool threads are few and tests block them.
        for (fd, isError) in [(process.stdoutReader, false), (process.stderrReader, true)] {
            let reader = Thread { [weak self] in
                while let chunk = PipeIO.readChunk(fd) {
                    self?.append(chunk, isError: isError)
                }
                close(fd)
            }
            reader.start()
            readers.append(reader)
        }
    }

    private func append(_ chunk: Data, isError: Bool) {
        lock.withLock {
            if isError { stderrData.append(chunk) } else { stdoutData.append(chunk) }
        }
    }

    public var pid: Int32 { process.pid }
    public var stdout: String { lock.withLock { String(decoding: stdoutData, as: UTF8.self) } }
    public var stderr: String { lock.withLock { String(decoding: stderrData, as: UTF8.self) } }
    public var output: String { stdout + stderr }
    public var isRunning: Bool { process.isRunning }

    public func signal(_ number: Int32) {
        kill(process.pid, number)
    }

    /// Waits for the child to exit; nil when it is still running after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning {
            if clock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        // Let the readers drain what is left in the pipes.
        try? await Task.sleep(for: .milliseconds(100))
        return process.status
    }

    /// Waits until the combined output contains `text`; false after `timeout`.
    public func waitForOutput(_ text: String, timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Kills the child if it still runs (test clean-up).
    public func terminate() {
        guard process.isRunning else { return }
        kill(process.pid, SIGKILL)
        // Reaped on a thread of its own, so no zombie is left behind.
        let process = self.process
        Thread { _ = process.waitForExit() }.start()
    }

    deinit { terminate() }
}
