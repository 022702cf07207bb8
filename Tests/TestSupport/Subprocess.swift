import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a finished child process.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

public struct ProcessFailed: Error, CustomStringConvertible {
    public let command: String
    public let output: ProcessOutput
    public var description: String {
        "\(command) exited \(output.status): \(output.stderrText.prefix(2000))"
    }
}

/// Runs a program to completion, feeding `input` to its stdin, and collects its output.
/// Reading happens on background threads so a chatty child cannot fill a pipe and hang.
@discardableResult
public func runProcess(
    _ executable: String,
    _ arguments: [String],
    input: Data? = nil,
    environment: [String: String]? = nil,
    checked: Bool = true
) throws -> ProcessOutput {
    let process = try SpawnedProcess(executable, arguments, environment: environment)
    let collected = CollectedOutput()
    let group = DispatchGroup()
    // Threads of their own, not DispatchQueue.global(): on Linux, Swift concurrency's global
    // executor runs on those same few Dispatch threads, and a reader blocked for the child's
    // whole life takes one from every test running in parallel.
    group.enter()
    Thread {
        collected.setStdout(PipeIO.readToEnd(process.stdoutReader))
        close(process.stdoutReader)
        group.leave()
    }.start()
    group.enter()
    Thread {
        collected.setStderr(PipeIO.readToEnd(process.stderrReader))
        close(process.stderrReader)
        group.leave()
    }.start()
    if let input { PipeIO.writeAll(input, to: process.stdinWriter) }
    process.closeStdin()
    let status = process.waitForExit()
    group.wait()
    let output = ProcessOutput(status: status, stdout: collected.stdout, stderr: collected.stderr)
    if checked && output.status != 0 {
        throw ProcessFailed(command: ([executable] + arguments).joined(separator: " "), output: output)
    }
    return output
}

private final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()
    func setStdout(_ data: Data) { lock.withLock { out = data } }
    func setStderr(_ data: Data) { lock.withLock { err = data } }
    var stdout: Data { lock.withLock { out } }
    var stderr: Data { lock.withLock { err } }
}
