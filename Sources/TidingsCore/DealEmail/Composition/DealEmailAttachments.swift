/// The checks and adjustments a deal email's attachments get before composing: every file has
/// a name, every `cid:` the HTML shows has its inline image, an inline image the HTML does not
/// show travels as an ordinary attachment, and files that alone pass the size limit fail the
/// row before anything is encoded.
enum DealEmailAttachments {
    /// The `cid:` ids `html` references (`src="cid:logo@x"`, `url(cid:logo)`), in order, each once.
    static func referencedContentIDs(in html: String) -> [String] {
        var ids: [String] = []
        let bytes = Array(html.utf8)
        var index = 0
        let marker = Array("cid:".utf8)
        while index + marker.count <= bytes.count {
            let matches = zip(bytes[index..<(index + marker.count)], marker).allSatisfy { $0 | 0x20 == $1 | 0x20 }
            guard matches else { index += 1; continue }
            var end = index + marker.count
            while end < bytes.count, !isIDEnd(bytes[end]) { end += 1 }
            let idBytes = bytes[(index + marker.count)..<end]
            // RFC 2392 cid URLs are percent-encoded; an id that does not decode to UTF-8 stays as written.
            let decoded = String(validating: HexEscape.decodeAll(idBytes, marker: UInt8(ascii: "%")), as: UTF8.self)
                ?? String(decoding: idBytes, as: UTF8.self)
            if !decoded.isEmpty && !ids.contains(decoded) { ids.append(decoded) }
            index = end
        }
        return ids
    }

    private static func isIDEnd(_ byte: UInt8) -> Bool {
        byte <= 0x20 || "\"'()<>;,&".utf8.contains(byte)
    }

    /// The attachments as they will be sent, or why the row cannot be sent: an empty file name
    /// (after control characters and blanks are removed) or a `cid:` without its inline part.
    static func prepared(_ attachments: [MailAttachment], html: String?) -> Result<[MailAttachment], AttachmentProblem> {
        for (index, attachment) in attachments.enumerated() where MIMEParameter.sanitizedFilename(attachment.filename).isEmpty {
            return .failure(AttachmentProblem(
                "attachment \(index + 1) of \(attachments.count) has an empty file name (outbox_attachments.filename)"))
        }
        let referenced = html.map(referencedContentIDs(in:)) ?? []
        let inlineIDs = Set(attachments.filter { $0.disposition == .inline }.compactMap(\.contentID))
        if let missing = referenced.first(where: { !inlineIDs.contains($0) }) {
            return .failure(AttachmentProblem(
                "body_html shows cid:\(AddressError.printable(missing)) but no inline attachment has that content_id"))
        }
        return .success(attachments.map { attachment in
            var sent = attachment
            if attachment.disposition == .inline && !referenced.contains(attachment.contentID ?? "") {
                sent.disposition = .attachment
            }
            return sent
        })
    }

    /// The base64 size of `attachment` in the message (76-character lines with CRLF).
    static func encodedSize(_ attachment: MailAttachment) -> Int {
        Base64.wrappedLength(of: attachment.content.count)
    }

    /// "the largest attachment is Proposta.pdf (2,400,000 bytes)", for a size failure.
    static func largestNote(_ attachments: [ComposedDealEmail.SentAttachment]) -> String? {
        guard let largest = attachments.max(by: { $0.bytes < $1.bytes }) else { return nil }
        return "the largest attachment is \(AddressError.printable(largest.filename)) (\(largest.bytes) bytes)"
    }
}

/// Why a deal email's attachments cannot be sent.
struct AttachmentProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
