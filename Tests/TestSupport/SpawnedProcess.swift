import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child started with `posix_spawn`, its stdin, stdout and stderr on pipes of its own.
///
/// Written by hand instead of Foundation's `Process` because the toolchain's `Process.run()`
/// crashes now and then on Linux (swift-corelibs-foundation PR #5472: it reads 256 bytes of
/// every `/proc/self/fd` entry's name, past the end of glibc's buffer when the next page is
/// unmapped) — which took a whole parallel test run down with it. The pipes are made
/// close-on-exec, so no other child started at the same moment (a daemon, a tmux server)
/// inherits them and keeps a reader waiting for an end that never comes.
final class SpawnedProcess: @unchecked Sendable {
    let pid: pid_t
    /// The parent's ends: write to the child's stdin, read its stdout and stderr.
    let stdinWriter: Int32
    let stdoutReader: Int32
    let stderrReader: Int32
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` (a path, or a name looked up in PATH) with `arguments`, in
    /// `environment` (nil: this process's own). `stdinFromNull` gives the child /dev/null.
    init(_ executable: String, _ arguments: [String], environment: [String: String]?, stdinFromNull: Bool = false) throws {
        Self.spawning.lock()
        defer { Self.spawning.unlock() }
        let stdinPipe = try Self.pipe(), stdoutPipe = try Self.pipe(), stderrPipe = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdinFromNull {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)
        // The child starts with default signal handling and nothing blocked, as from a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environmentLines = environment.map { $0.map { "\($0.key)=\($0.value)" } } ?? ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }

        var pid = pid_t()
        let result = executable.contains("/")
            ? posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            : posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        for fd in [stdinPipe.read, stdoutPipe.write, stderrPipe.write] { close(fd) }
        guard result == 0 else {
            for fd in [stdinPipe.write, stdoutPipe.read, stderrPipe.read] { close(fd) }
            throw SpawnFailed(executable: executable, code: result)
        }
        self.pid = pid
        stdinWriter = stdinPipe.write
        stdoutReader = stdoutPipe.read
        stderrReader = stderrPipe.read
        if stdinFromNull { closeStdin() }
    }

    /// A pipe whose ends are close-on-exec. (Glibc's module has no `pipe2`; the flag is set
    /// right after, under `spawning`, so no child of this process starts in between.)
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { throw SpawnFailed(executable: "pipe", code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Held while pipes are made and a child is started: the test process starts children
    /// from many threads at once.
    private static let spawning = NSLock()

    private var stdinClosed = false

    /// Closes the child's stdin (it reads end of file).
    func closeStdin() {
        lock.withLock {
            guard !stdinClosed else { return }
            stdinClosed = true
            close(stdinWriter)
        }
    }

    /// The exit status (or 128 + the signal that ended it), nil while it runs. Reaps it once.
    var status: Int32? {
        lock.withLock {
            if exitStatus == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { exitStatus = Self.decode(raw) }
            }
            return exitStatus
        }
    }

    var isRunning: Bool { status == nil }

    /// Blocks until the child exits; its status.
    func waitForExit() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        return lock.withLock {
            if exitStatus == nil { exitStatus = Self.decode(raw) }
            return exitStatus!
        }
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }
}

/// posix_spawn refused to start a program.
struct SpawnFailed: Error, CustomStringConvertible {
    var executable: String
    var code: Int32
    var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
}
