import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes on a child's pipes with `read(2)`/`write(2)`, retrying on `EINTR`.
///
/// Foundation's `readDataToEndOfFile`, `availableData` and `write(_:)` end in `try!`: a signal
/// that interrupts the call (the parallel test run starts and reaps many children) aborts the
/// whole test process with "Interrupted system call". CI saw exactly that.
enum PipeIO {
    /// The next chunk from `fd`, or nil at end of file (or on an error other than `EINTR`).
    static func readChunk(_ fd: Int32) -> Data? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { return Data(buffer[0..<count]) }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Everything `fd` yields until end of file.
    static func readToEnd(_ fd: Int32) -> Data {
        var data = Data()
        while let chunk = readChunk(fd) { data.append(chunk) }
        return data
    }

    /// Writes all of `data` to `fd`; stops quietly if the reader has gone (`EPIPE`, with
    /// `SIGPIPE` ignored so a child that exits early cannot kill the test process).
    static func writeAll(_ data: Data, to fd: Int32) {
        signal(SIGPIPE, SIG_IGN)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 { offset += written; continue }
                if written < 0 && errno == EINTR { continue }
                return
            }
        }
    }
}
