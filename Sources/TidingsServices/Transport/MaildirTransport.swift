#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DedicatedThreads
import SMTPClient
import Synchronization
import TidingsCore

/// Delivers into a Maildir, for development and the demo: each message's exact bytes become one
/// file in `new/`, where any mail client (mutt -f, Thunderbird's Maildir support) reads it.
///
/// Written the Maildir way so a reader never sees half a message: the bytes go to `tmp/` under a
/// unique name, are fsync'd, then renamed into `new/` (and the directory fsync'd so the rename
/// survives a crash). File I/O blocks, so it runs on a thread of its own, not the cooperative pool.
/// Envelope and line-end checks are the SMTP transport's, so a message that would fail in
/// production fails here too. The file gets LF line ends (`UnixLineEnds`), as Maildir readers
/// expect; the CRLF the composer emits is what SMTP sends on the wire.
public final class MaildirTransport: MailTransport, CustomStringConvertible {
    public let path: String
    private let thread: DedicatedThread

    /// Creates `path` (and missing parents) and its `tmp`, `new` and `cur` folders (mode 0700).
    public init(path: String) throws(TransportError) {
        guard path.hasPrefix("/") else {
            throw TransportError(kind: .permanent, message: "Maildir path \"\(path)\" must be absolute", isConfigurationError: true)
        }
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        for folder in [self.path, self.path + "/tmp", self.path + "/new", self.path + "/cur"] {
            if let problem = Self.makeDirectory(folder) {
                throw TransportError(kind: .permanent, message: "Maildir folder \(folder) \(problem)", isConfigurationError: true)
            }
        }
        thread = DedicatedThread(name: "maildir")
    }

    deinit {
        thread.shutdown()
    }

    public func deliver(from: String, recipients: [String], message: [UInt8], messageID: MessageID?) async throws(TransportError) -> Delivery {
        do throws(SMTPError) {
            try EnvelopeCheck.validate(from: from, recipients: recipients)
            let problem = message.withUnsafeBytes { bytes in
                Result { () throws(SMTPError) in try EnvelopeCheck.validate(message: bytes) }
            }
            try problem.get()
        } catch {
            throw TransportError(error)
        }
        let path = path
        let file = UnixLineEnds.fromCRLF(message)
        let result: Result<String, TransportError>
        do {
            result = try await thread.run { Self.write(file, into: path) }
        } catch {
            result = .failure(TransportError(kind: .transient, message: "Maildir write did not run: \(error)"))
        }
        let name = try result.get()
        return Delivery(
            recipients: recipients.map { Delivery.Recipient(address: $0, accepted: true, kind: nil, code: nil, reply: nil) },
            response: "stored as \(path)/new/\(name)",
            connectionReused: false
        )
    }

    public func close() async {}

    /// The folders exist (made at init) and `tmp/` accepts a file.
    public func probe() async throws(TransportError) -> String {
        let probe = path + "/tmp/.tidings-probe-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw TransportError(kind: .permanent, message: "Maildir folder \(path)/tmp is not writable: \(String(cString: strerror(errno)))",
                                 isConfigurationError: true)
        }
        Glibc.close(fd)
        unlink(probe)
        return "maildir://\(path): writable"
    }

    public var description: String { "maildir://\(path)" }

    // MARK: - Files

    /// Writes tmp/NAME, fsyncs it, renames it to new/NAME and fsyncs new/. Returns NAME.
    static func write(_ message: [UInt8], into maildir: String) -> Result<String, TransportError> {
        let name = uniqueName()
        let temporary = "\(maildir)/tmp/\(name)", final = "\(maildir)/new/\(name)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return .failure(failure("create", temporary)) }
        var written = 0
        let outcome: TransportError? = message.withUnsafeBytes { bytes in
            while written < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return failure("write", temporary)
                }
                written += count
            }
            return fsync(descriptor) == 0 ? nil : failure("fsync", temporary)
        }
        let closed = Glibc.close(descriptor) == 0 ? nil : failure("close", temporary)
        if let problem = outcome ?? closed {
            unlink(temporary)
            return .failure(problem)
        }
        guard rename(temporary, final) == 0 else {
            let problem = failure("rename into new/", temporary)
            unlink(temporary)
            return .failure(problem)
        }
        let directory = open("\(maildir)/new", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            _ = Glibc.close(directory)
        }
        return .success(name)
    }

    private static let counter = Atomic<Int>(0)

    /// `seconds.MmicrosecondsPpidQcounter.host`, the Maildir naming convention: unique across
    /// processes (pid), within one (counter) and across machines sharing the folder (host).
    static func uniqueName() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let sequence = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(now.tv_sec).M\(now.tv_nsec / 1000)P\(getpid())Q\(sequence).\(hostName)"
    }

    /// The host name with "/" and ":" escaped as the Maildir convention asks.
    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return name.replacing("/", with: "\\057").replacing(":", with: "\\072")
    }()

    private static func failure(_ operation: String, _ file: String) -> TransportError {
        let code = errno
        let reason = String(cString: strerror(code))
        // A full disk may clear; a permission or missing-folder problem is the setup's.
        let configuration = code == EACCES || code == EPERM || code == ENOENT || code == EROFS || code == ENOTDIR
        return TransportError(kind: configuration ? .permanent : .transient,
                              message: "Maildir: cannot \(operation) \(file): \(reason)", isConfigurationError: configuration)
    }

    private static func makeDirectory(_ folder: String) -> String? {
        if mkdir(folder, 0o700) != 0, errno == ENOENT, let slash = folder.lastIndex(of: "/"), slash != folder.startIndex {
            if let problem = makeDirectory(String(folder[..<slash])) { return problem }
        }
        if mkdir(folder, 0o700) == 0 || errno == EEXIST {
            var info = stat()
            guard stat(folder, &info) == 0 else { return "cannot be examined: \(String(cString: strerror(errno)))" }
            return (info.st_mode & S_IFMT) == S_IFDIR ? nil : "exists and is not a directory"
        }
        return "cannot be created: \(String(cString: strerror(errno)))"
    }
}
