#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message ready to follow DATA: its lines dot-stuffed (RFC 5321 4.5.2) and the end-of-data
/// `CRLF.CRLF` appended, made once when the message is composed (`SMTPDotStuffing.stuff`), so
/// the send path writes these bytes as they are and never scans them.
public struct SMTPDotStuffedMessage: Sendable, Equatable {
    /// What goes on the wire after the server's 354, end-of-data included.
    public let wireBytes: [UInt8]
    /// The size of the message before stuffing: what MAIL FROM declares as `SIZE=` (RFC 1870)
    /// and what is compared with the server's limit.
    public let messageSize: Int
    /// The message has bytes over 127 (an 8-bit MIME body or UTF-8 headers): MAIL FROM says
    /// `BODY=8BITMIME` when the server offers it (RFC 6152).
    public let hasEightBitData: Bool

    fileprivate init(wireBytes: [UInt8], messageSize: Int, hasEightBitData: Bool) {
        self.wireBytes = wireBytes
        self.messageSize = messageSize
        self.hasEightBitData = hasEightBitData
    }
}

/// The transparency procedure of RFC 5321 4.5.2 as one pure function: every line that starts
/// with "." gets one more, so no line of the message can read as the end of data.
public enum SMTPDotStuffing {
    private static let endOfData: [UInt8] = Array(".\r\n".utf8)

    /// `message` (RFC 5322 bytes with CRLF line ends) stuffed and terminated. A message that
    /// does not end in CRLF gets one before the final dot, since the dot must start a line of
    /// its own. A bare CR, bare LF or NUL is refused here (`EnvelopeCheck.validate(message:)`),
    /// once, so stuffed bytes are always safe to send (no SMTP smuggling).
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
        var wire: [UInt8] = []
        wire.reserveCapacity(message.count + 5)
        message.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            var lineStart = 0
            // Jumps from line end to line end with memchr (vectorised) rather than byte by byte.
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
        if !message.isEmpty && !message.ends(with: [UInt8(ascii: "\r"), UInt8(ascii: "\n")]) {
            wire.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        }
        wire.append(contentsOf: endOfData)
        return SMTPDotStuffedMessage(wireBytes: wire, messageSize: message.count,
                                     hasEightBitData: message.contains { $0 >= 0x80 })
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
