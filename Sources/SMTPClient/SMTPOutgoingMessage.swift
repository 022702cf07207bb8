/// One message for `SMTPTransactionMachine`: its envelope and its already dot-stuffed bytes.
public struct SMTPOutgoingMessage: Sendable {
    /// The reverse-path; empty for the null sender `<>`.
    public var sender: String
    public var recipients: [String]
    public var content: SMTPDotStuffedMessage
    /// The RFC 3461 envelope id (`ENVID=`) a delivery-status notification will quote, e.g. the
    /// Message-ID, so a bounce finds its message; sent only when the server offers DSN.
    public var envelopeID: String?

    public init(sender: String, recipients: [String], content: SMTPDotStuffedMessage, envelopeID: String? = nil) {
        self.sender = sender
        self.recipients = recipients
        self.content = content
        self.envelopeID = envelopeID
    }
}

extension SMTPOutgoingMessage {
    /// The Message-ID of `message` (RFC 5322 bytes), without its angle brackets: the envelope id
    /// a delivery-status notification quotes (`Original-Envelope-Id`), so a bounce names the
    /// message even when the returned headers are cut. Looks only at the header block; nil when
    /// there is no Message-ID or it is folded or not ASCII.
    public static func envelopeID(inHeadersOf message: [UInt8]) -> String? {
        let name = Array("message-id:".utf8)
        var lineStart = 0
        while lineStart < message.count {
            guard let lineEnd = message[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            var end = lineEnd
            if end > lineStart && message[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if end == lineStart { return nil }  // the blank line: the headers are over
            if end - lineStart > name.count,
               zip(message[lineStart..<(lineStart + name.count)], name).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 }) {
                let value = message[(lineStart + name.count)..<end].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                guard !value.isEmpty, value.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
                var id = String(decoding: value, as: UTF8.self)
                if id.hasPrefix("<") && id.hasSuffix(">") && id.count > 2 { id = String(id.dropFirst().dropLast()) }
                return id
            }
            lineStart = lineEnd + 1
        }
        return nil
    }
}
