/// Turns a `MailMessage` into the exact bytes of an SMTP DATA payload and its envelope.
///
/// Pure and thread-safe: no I/O, no shared state but the injected boundary generator.
/// Built for throughput (one output buffer sized up front, byte-level encoders, no
/// DateFormatter, no regular expressions), because the daemon composes every email and
/// digest it sends.
public struct MessageComposer: Sendable {
    public var boundaries: MIMEBoundaryGenerator

    /// How many fresh boundaries to try if one occurs in the content (with random
    /// boundaries this is never reached; it bounds a misbehaving custom generator).
    static let maxBoundaryAttempts = 8

    public init(boundaries: MIMEBoundaryGenerator = .random) {
        self.boundaries = boundaries
    }

    public func compose(_ message: MailMessage) throws(ComposeError) -> ComposedMessage {
        let recipients = Self.envelopeRecipients(of: message)
        guard !recipients.isEmpty else {
            throw ComposeError(.noRecipients, "message \(message.messageID) has no To, Cc or Bcc address")
        }
        let envelopeFrom = message.envelopeFrom?.addrSpec
            ?? message.sender?.address.addrSpec ?? message.from.address.addrSpec
        var text = message.textBody
        var html = message.htmlBody ?? ""
        let isMultipart = message.htmlBody != nil
        for _ in 0..<Self.maxBoundaryAttempts {
            let boundary = isMultipart ? try nextBoundary() : []
            let rendered = text.withUTF8 { textBytes in
                html.withUTF8 { htmlBytes in
                    render(message, text: textBytes, html: isMultipart ? htmlBytes : nil, boundary: boundary)
                }
            }
            if let bytes = rendered {
                return ComposedMessage(
                    bytes: bytes, envelopeFrom: envelopeFrom, envelopeRecipients: recipients,
                    messageID: message.messageID)
            }
        }
        throw ComposeError(.boundary, "every boundary tried occurs in the content of message \(message.messageID)")
    }

    /// To, Cc, Bcc addr-specs, each once (case-insensitive), first occurrence kept.
    static func envelopeRecipients(of message: MailMessage) -> [String] {
        var keys: [String] = []
        var result: [String] = []
        let total = message.to.count + message.cc.count + message.bcc.count
        keys.reserveCapacity(total)
        result.reserveCapacity(total)
        // A linear scan beats hashing for the handful of recipients a message has.
        var seen: Set<String>? = total > 32 ? Set(minimumCapacity: total) : nil
        for list in [message.to, message.cc, message.bcc] {
            for mailbox in list {
                let key = mailbox.address.normalizedKey
                if seen != nil {
                    guard seen!.insert(key).inserted else { continue }
                } else {
                    guard !keys.contains(key) else { continue }
                    keys.append(key)
                }
                result.append(mailbox.address.addrSpec)
            }
        }
        return result
    }

    /// The whole message, or nil when the boundary occurs in an encoded part.
    private func render(
        _ message: MailMessage, text: UnsafeBufferPointer<UInt8>, html: UnsafeBufferPointer<UInt8>?, boundary: [UInt8]
    ) -> [UInt8]? {
        var writer = HeaderWriter(capacity: 1536 + text.count * 5 / 4 + (html?.count ?? 0) * 5 / 4)
        Self.writeHeaders(of: message, to: &writer)
        writer.field("MIME-Version", "1.0")
        guard let html else {
            let encoding = TransferEncoding.choose(for: text)
            writePartHeaders(contentType: "text/plain; charset=utf-8", encoding: encoding, to: &writer)
            encoding.write(text, to: &writer.out)
            return writer.out
        }
        writer.begin("Content-Type")
        MailBytes.append(" multipart/alternative;\r\n boundary=\"", to: &writer.out)
        writer.out.append(contentsOf: boundary)
        writer.out.append(MailBytes.quote)
        writer.end()
        writer.end()
        for (body, contentType) in [(text, "text/plain; charset=utf-8" as StaticString), (html, "text/html; charset=utf-8")] {
            writeDelimiter(boundary, to: &writer.out)
            writer.end()
            let encoding = TransferEncoding.choose(for: body)
            writePartHeaders(contentType: contentType, encoding: encoding, to: &writer)
            let start = writer.out.count
            encoding.write(body, to: &writer.out)
            if MIMEBoundary.occurs(boundary, in: writer.out[start...]) { return nil }
            writer.end()
        }
        writeDelimiter(boundary, to: &writer.out)
        MailBytes.append("--\r\n", to: &writer.out)
        return writer.out
    }

    private func writePartHeaders(contentType: StaticString, encoding: TransferEncoding, to writer: inout HeaderWriter) {
        writer.field("Content-Type", contentType)
        writer.field("Content-Transfer-Encoding", encoding.headerValue)
        writer.end()
    }

    private func writeDelimiter(_ boundary: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "-"))
        out.append(UInt8(ascii: "-"))
        out.append(contentsOf: boundary)
    }

    private func nextBoundary() throws(ComposeError) -> [UInt8] {
        let boundary = Array(boundaries.make().utf8)
        guard MIMEBoundary.isValid(boundary) else {
            throw ComposeError(.boundary, "generated boundary '\(AddressError.printable(String(decoding: boundary, as: UTF8.self)))' is not 1–70 RFC 2046 boundary characters")
        }
        return boundary
    }
}
