#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message ready to follow DATA: its lines dot-stuffed (RFC 5321 4.5.2), and the end-of-data
/// sequence that follows them, made once when the message is handed to the transport
/// (`SMTPDotStuffing.stuff`), so the send path writes these bytes as they are and never scans
/// them. When no line starts with "." (nearly always: base64 and quoted-printable bodies), the
/// body is the composed bytes themselves, shared, not copied: a 27 MB message is held once.
public struct SMTPDotStuffedMessage: Sendable, Equatable {
    /// What goes on the wire after the server's 354, before `endOfData`.
    public let body: [UInt8]
    /// `.` CRLF, or CRLF `.` CRLF after a message that does not end in CRLF (the dot must start
    /// a line of its own).
    public let endOfData: [UInt8]
    /// The size of the message before stuffing: what MAIL FROM declares as `SIZE=` (RFC 1870)
    /// and what is compared with the server's limit.
    public let messageSize: Int
    /// The message has bytes over 127 (an 8-bit MIME body or UTF-8 headers): MAIL FROM says
    /// `BODY=8BITMIME` when the server offers it (RFC 6152).
    public let hasEightBitData: Bool

    /// Everything written after 354, joined: a copy, for tests and tools; the connection writes
    /// `body` and `endOfData` apart.
    public var wireBytes: [UInt8] { body + endOfData }

    fileprivate init(body: [UInt8], endOfData: [UInt8], messageSize: Int, hasEightBitData: Bool) {
        self.body = body
        self.endOfData = endOfData
        self.messageSize = messageSize
        self.hasEightBitData = hasEightBitData
    }
}

/// The transparency procedure of RFC 5321 4.5.2 as one pure function: every line that starts
/// with "." gets one more, so no line of the message can read as the end of data.
public enum SMTPDotStuffing {
    private static let dotLine: [UInt8] = Array(".\r\n".utf8)
    private static let lineAndDotLine: [UInt8] = Array("\r\n.\r\n".utf8)

    /// `message` (RFC 5322 bytes with CRLF line ends) stuffed, with its end of data. A bare CR,
    /// bare LF or NUL is refused here (`EnvelopeCheck.validate(message:)`), once, so stuffed
    /// bytes are always safe to send (no SMTP smuggling).
    public static func stuff(_ message: [UInt8]) throws(SMTPError) -> SMTPDotStuffedMessage {
        let refusal: SMTPError? = message.withUnsafeBytes { bytes in
            do throws(SMTPError) {
                try EnvelopeCheck.validate(message: bytes)
                return nil
            } catch {
                return error
            }
        }
        if let refusal { throw refusal }
        let endsInLine = message.isEmpty || message.ends(with: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        return SMTPDotStuffedMessage(body: linesStartingWithADot(message) ? stuffed(message) : message,
                                     endOfData: endsInLine ? dotLine : lineAndDotLine,
                                     messageSize: message.count, hasEightBitData: message.contains { $0 >= 0x80 })
    }

    /// Whether any line of `message` starts with "." (jumping from line end to line end with
    /// memchr, vectorised, rather than byte by byte).
    private static func linesStartingWithADot(_ message: [UInt8]) -> Bool {
        message.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            if bytes[0] == UInt8(ascii: ".") { return true }
            var from = 0
            while let found = memchr(base + from, Int32(UInt8(ascii: "\n")), bytes.count - from) {
                let next = base.distance(to: UnsafeRawPointer(found)) + 1
                if next < bytes.count && bytes[next] == UInt8(ascii: ".") { return true }
                from = next
                if from >= bytes.count { return false }
            }
            return false
        }
    }

    /// A copy of `message` with one more "." at the start of every line that starts with one.
    private static func stuffed(_ message: [UInt8]) -> [UInt8] {
        var wire: [UInt8] = []
        wire.reserveCapacity(message.count + message.count / 64)
        message.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            var lineStart = 0
            while lineStart < bytes.count {
                if bytes[lineStart] == UInt8(ascii: ".") { wire.append(UInt8(ascii: ".")) }
                let lineEnd: Int
                if let found = memchr(base + lineStart, Int32(UInt8(ascii: "\n")), bytes.count - lineStart) {
                    lineEnd = base.distance(to: UnsafeRawPointer(found)) + 1
                } else {
                    lineEnd = bytes.count
                }
                wire.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
                lineStart = lineEnd
            }
        }
        return wire
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
