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
        let hasHTML = message.htmlBody != nil
        let layout = Layout(message)
        for _ in 0..<Self.maxBoundaryAttempts {
            var boundaries: [[UInt8]] = []
            for _ in 0..<layout.multipartCount {
                let boundary = try nextBoundary()
                // Same-length boundaries that differ are never each other's prefix.
                if boundaries.contains(where: { $0 == boundary }) { continue }
                boundaries.append(boundary)
            }
            guard boundaries.count == layout.multipartCount else { continue }
            let rendered = text.withUTF8 { textBytes in
                html.withUTF8 { htmlBytes in
                    render(message, layout: layout, text: textBytes, html: hasHTML ? htmlBytes : nil, boundaries: boundaries)
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

    /// Which MIME levels a message needs: `multipart/mixed` for files, `multipart/related` for
    /// inline images (only with an HTML body to show them), `multipart/alternative` for text
    /// and HTML; each only when needed.
    struct Layout {
        var files: [MailAttachment]
        var inline: [MailAttachment]
        var alternative: Bool

        init(_ message: MailMessage) {
            let hasHTML = message.htmlBody != nil
            alternative = hasHTML
            inline = hasHTML ? message.attachments.filter { $0.disposition == .inline } : []
            files = message.attachments.filter { $0.disposition == .attachment || !hasHTML }
        }

        var multipartCount: Int { (files.isEmpty ? 0 : 1) + (inline.isEmpty ? 0 : 1) + (alternative ? 1 : 0) }
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

    /// The whole message, or nil when a boundary occurs in an encoded text part.
    private func render(
        _ message: MailMessage, layout: Layout, text: UnsafeBufferPointer<UInt8>, html: UnsafeBufferPointer<UInt8>?,
        boundaries: [[UInt8]]
    ) -> [UInt8]? {
        let encodedFiles = message.attachments.reduce(0) { $0 + Base64.wrappedLength(of: $1.content.count) }
        var writer = HeaderWriter(capacity: 1536 + text.count * 5 / 4 + (html?.count ?? 0) * 5 / 4
                                  + encodedFiles + message.attachments.count * 512)
        Self.writeHeaders(of: message, to: &writer)
        writer.field("MIME-Version", "1.0")
        var boundaries = boundaries[...]
        // Each level writes its Content-Type (the message's own header block at the top, a part's
        // header block below), then its parts.
        func body() -> Bool {
            guard let html else {
                let encoding = TransferEncoding.choose(for: text)
                writePartHeaders(contentType: "text/plain; charset=utf-8", encoding: encoding, to: &writer)
                encoding.write(text, to: &writer.out)
                return true
            }
            let boundary = boundaries.removeFirst()
            writeMultipartHeader("alternative", boundary: boundary, to: &writer)
            for (part, contentType) in [(text, "text/plain; charset=utf-8" as StaticString), (html, "text/html; charset=utf-8")] {
                writeDelimiter(boundary, to: &writer.out)
                writer.end()
                let encoding = TransferEncoding.choose(for: part)
                writePartHeaders(contentType: contentType, encoding: encoding, to: &writer)
                let start = writer.out.count
                encoding.write(part, to: &writer.out)
                if boundaries.contains(where: { MIMEBoundary.occurs($0, in: writer.out[start...]) })
                    || MIMEBoundary.occurs(boundary, in: writer.out[start...]) {
                    return false
                }
                writer.end()
            }
            writeClose(boundary, to: &writer.out)
            return true
        }
        func related() -> Bool {
            guard !layout.inline.isEmpty else { return body() }
            let boundary = boundaries.removeFirst()
            writeMultipartHeader("related", boundary: boundary, to: &writer, type: "multipart/alternative")
            writeDelimiter(boundary, to: &writer.out)
            writer.end()
            guard body() else { return false }
            for image in layout.inline { writeAttachment(image, after: boundary, to: &writer) }
            writeClose(boundary, to: &writer.out)
            return true
        }
        guard !layout.files.isEmpty else { return related() ? writer.out : nil }
        let boundary = boundaries.removeFirst()
        writeMultipartHeader("mixed", boundary: boundary, to: &writer)
        writeDelimiter(boundary, to: &writer.out)
        writer.end()
        // The boundaries below are checked against the text parts in `body`; the mixed one too.
        boundaries.append(boundary)
        guard related() else { return nil }
        for file in layout.files { writeAttachment(file, after: boundary, to: &writer) }
        writeClose(boundary, to: &writer.out)
        return writer.out
    }

    /// `Content-Type: multipart/SUBTYPE; boundary="…"` and the blank line ending the headers.
    private func writeMultipartHeader(_ subtype: StaticString, boundary: [UInt8], to writer: inout HeaderWriter,
                                      type: StaticString? = nil) {
        writer.begin("Content-Type")
        MailBytes.append(" multipart/", to: &writer.out)
        MailBytes.append(subtype, to: &writer.out)
        if let type {
            MailBytes.append(";\r\n type=\"", to: &writer.out)
            MailBytes.append(type, to: &writer.out)
            writer.out.append(MailBytes.quote)
        }
        MailBytes.append(";\r\n boundary=\"", to: &writer.out)
        writer.out.append(contentsOf: boundary)
        writer.out.append(MailBytes.quote)
        writer.end()
        writer.end()
    }

    /// One attachment part after `boundary`'s delimiter: its headers (type with the legacy
    /// name, disposition with the file name, base64, Content-ID when inline) and its content.
    private func writeAttachment(_ attachment: MailAttachment, after boundary: [UInt8], to writer: inout HeaderWriter) {
        let name = MIMEParameter.sanitizedFilename(attachment.filename)
        writeDelimiter(boundary, to: &writer.out)
        writer.end()
        writer.begin("Content-Type")
        writer.out.append(MailBytes.space)
        writer.out.append(contentsOf: attachment.contentType.utf8)
        if !name.isEmpty { MIMEParameter.appendLegacyName(name, to: &writer.out) }
        writer.end()
        writer.begin("Content-Disposition")
        writer.out.append(MailBytes.space)
        writer.out.append(contentsOf: attachment.disposition.rawValue.utf8)
        if !name.isEmpty { MIMEParameter.appendFilename(name, parameter: "filename", to: &writer.out) }
        writer.end()
        if attachment.disposition == .inline, let id = attachment.contentID.map(MailAttachment.safeContentID), !id.isEmpty {
            writer.begin("Content-ID")
            writer.out.append(contentsOf: " <\(id)>".utf8)
            writer.end()
        }
        writer.field("Content-Transfer-Encoding", "base64")
        writer.end()
        attachment.content.withUnsafeBufferPointer { Base64.writeBinary($0, to: &writer.out) }
        writer.end()
    }

    private func writeClose(_ boundary: [UInt8], to out: inout [UInt8]) {
        writeDelimiter(boundary, to: &out)
        MailBytes.append("--\r\n", to: &out)
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
