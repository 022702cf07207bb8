/// A received message (a reply, an auto-reply, a delivery report) read from its bytes: what the
/// services need to match it to a deal, classify it and record it. Pure and total: any bytes
/// give a value, in time linear in their size (`InboundMessage.parse`).
///
/// How the services use it (issue 12):
///
/// ```swift
/// let message = InboundMessage.parse(bytes, maxBytes: maxMessageBytes)
/// let id = message.recordedID                                             // Message-ID, or a digest
/// if let report = DeliveryReport.parse(message) { … }                      // kind bounce: report.recipients
/// else if AutoReplyDetector.isAutoReply(message) { … }                     // kind auto_reply
/// let excerpt = ReplyText.excerpt(ReplyText.newText(of: message.textBody)) // at most 500 characters
/// ```
///
/// Matching reads `inReplyTo`, `references` (Message-IDs as `<left@right>`) and the addresses of
/// `to`, `cc` and `deliveredTo` (reply and VERP tags); `from` gives the sender.
public struct InboundMessage: Sendable {
    /// The top-level header fields, in order, unfolded.
    public let headers: [InboundHeader]
    public let from: InboundAddress?
    public let to: [InboundAddress]
    public let cc: [InboundAddress]
    public let replyTo: [InboundAddress]
    /// Every Delivered-To field's address (each delivery hop adds one; the inbound mailbox's own,
    /// with a reply or VERP tag, is among them).
    public let deliveredTo: [InboundAddress]
    /// `<left@right>`, or `nil` when the message has none (see `identityBytes`).
    public let messageID: String?
    public let inReplyTo: [String]
    public let references: [String]
    /// Decoded; empty when missing.
    public let subject: String
    /// The Date field as written (decoded), `nil` when missing.
    public let date: String?
    /// The top-level content type (`multipart/report`, `text/plain`, …), lowercased.
    public let contentType: String
    /// The text a reader sees: the first text/plain part that is not an attachment, else the
    /// first text/html one turned to text (`HTMLText`), with LF line ends; empty when there is
    /// neither or the message was read from its headers alone.
    public let textBody: String
    /// Leaf parts other than the text body that are attachments (Content-Disposition
    /// `attachment`) or carry a filename (inline images included).
    public let attachmentCount: Int
    /// The size of the bytes given.
    public let sizeBytes: Int
    /// `true` when the message was larger than the `maxBytes` given to `parse`: only its
    /// headers were read, so `textBody` is empty and `attachmentCount` 0. (A delivery report
    /// over the cap, which returns a large message whole, is still read for its report parts
    /// within its first `maxBytes` bytes: `DeliveryReport.parse` works on it.)
    public let headersOnly: Bool
    /// The parts a delivery report (RFC 3464/6533) or a returned message carries.
    let returned: ReturnedParts

    /// The machine-readable parts of a delivery report, kept for `DeliveryReport.parse`.
    struct ReturnedParts: Sendable {
        /// `report-type` of a multipart/report, lowercased.
        var reportType: String?
        /// The decoded body of a message/delivery-status or message/global-delivery-status part.
        var deliveryStatus: [UInt8]?
        /// The header fields of a text/rfc822-headers or message/rfc822 (message/global) part.
        var originalHeaders: [InboundHeader]?
    }

    /// The decoded delivery-status part is never longer than this (a report names a handful of
    /// recipients; anything beyond is junk).
    static let maxDeliveryStatusBytes = 64 * 1024

    /// Reads `bytes`. A message larger than `maxBytes` is read from its headers alone
    /// (`headersOnly`); the header block itself is read up to `HeaderBlock.maxBytes`.
    public static func parse(_ bytes: [UInt8], maxBytes: Int) -> InboundMessage {
        let headersOnly = bytes.count > maxBytes
        let root = MIMEParser.parse(bytes, 0..<bytes.count, headersOnly: headersOnly)
        let reportTree = headersOnly && root.contentType.value == "multipart/report"
            ? MIMEParser.parse(bytes, 0..<max(0, maxBytes), headersOnly: false) : nil
        return InboundMessage(bytes: bytes, root: root, headersOnly: headersOnly, reportTree: reportTree)
    }

    private init(bytes: [UInt8], root: MIMEPart, headersOnly: Bool, reportTree: MIMEPart?) {
        let headers = root.headers
        self.headers = headers
        func addresses(_ name: String) -> [InboundAddress] {
            headers.all(named: name).flatMap { AddressListParser.parse($0.rawValue) }
        }
        from = addresses("From").first ?? addresses("Sender").first
        to = addresses("To")
        cc = addresses("Cc")
        replyTo = addresses("Reply-To")
        deliveredTo = addresses("Delivered-To")
        messageID = headers.first(named: "Message-ID").flatMap { MessageIDList.parse($0.rawValue).first }
        inReplyTo = headers.first(named: "In-Reply-To").map { MessageIDList.parse($0.rawValue) } ?? []
        references = headers.first(named: "References").map { MessageIDList.parse($0.rawValue) } ?? []
        subject = headers.first(named: "Subject")?.text.withoutNUL ?? ""
        date = headers.first(named: "Date")?.text.trimmingWhitespace()
        contentType = root.contentType.value
        sizeBytes = bytes.count
        self.headersOnly = headersOnly
        bodyBytesCount = bytes.count - min(root.bodyRange.lowerBound, bytes.count)

        let body = headersOnly ? nil : Self.body(of: root)
        textBody = body.map { Self.text(of: $0, in: bytes) } ?? ""
        var attachments = 0
        if !headersOnly {
            root.walk { part in
                if part.children.isEmpty, !part.isMultipart, part.isAttachment, part.bodyRange != body?.bodyRange {
                    attachments += 1
                }
            }
        }
        let returned = (reportTree ?? (headersOnly ? nil : root)).map { Self.returnedParts(of: $0, in: bytes) }
        attachmentCount = attachments
        self.returned = returned ?? ReturnedParts()
    }

    /// The report type, delivery-status and returned headers of the first such parts in `tree`.
    private static func returnedParts(of tree: MIMEPart, in bytes: [UInt8]) -> ReturnedParts {
        var returned = ReturnedParts()
        tree.walk { part in
            switch part.contentType.value {
            case "multipart/report":
                if returned.reportType == nil { returned.reportType = part.contentType.parameters["report-type"]?.lowercased() }
            case "message/delivery-status", "message/global-delivery-status":
                if returned.deliveryStatus == nil {
                    let range = part.bodyRange.lowerBound..<min(part.bodyRange.upperBound, part.bodyRange.lowerBound + maxDeliveryStatusBytes * 2)
                    returned.deliveryStatus = Array(TransferDecoding.decode(bytes[range], encoding: part.transferEncoding)
                        .prefix(maxDeliveryStatusBytes))
                }
            case "text/rfc822-headers", "message/rfc822", "message/global", "message/global-headers":
                guard returned.originalHeaders == nil else { break }
                if part.transferEncoding == "base64" || part.transferEncoding == "quoted-printable" {
                    // Encoded (rare): decode what can hold the header block, not a whole attachment.
                    let range = part.bodyRange.lowerBound..<min(part.bodyRange.upperBound, part.bodyRange.lowerBound + HeaderBlock.maxBytes * 2)
                    let decoded = TransferDecoding.decode(bytes[range], encoding: part.transferEncoding)
                    returned.originalHeaders = HeaderBlock.parse(decoded, 0..<decoded.count).fields
                } else {
                    returned.originalHeaders = HeaderBlock.parse(bytes, part.bodyRange).fields
                }
            default:
                break
            }
        }
        return returned
    }

    /// The bytes after the header block: stable across deliveries (servers add header fields,
    /// not body bytes), so part of `identityBytes`.
    private let bodyBytesCount: Int

    /// The part a reader sees as the message, chosen as Python's `get_body(("plain", "html"))`
    /// does: the first text/plain part that is not an attachment, else the first text/html; a
    /// multipart/related counts by its first part; message/rfc822 parts are not entered.
    static func body(of root: MIMEPart) -> MIMEPart? {
        var plain: MIMEPart?, html: MIMEPart?
        func visit(_ part: MIMEPart) {
            guard plain == nil, part.disposition?.value != "attachment" else { return }
            switch part.contentType.value {
            case "text/plain": plain = part
            case "text/html": if html == nil { html = part }
            case "multipart/related": if let first = part.children.first { visit(first) }
            default: if part.isMultipart { part.children.forEach(visit) }
            }
        }
        visit(root)
        return plain ?? html
    }

    static func text(of part: MIMEPart, in bytes: [UInt8]) -> String {
        let decoded = part.decodedBody(in: bytes)
        var text = InboundCharset.decodeLenient(decoded, charset: part.charset)
        text = text.replacingLineEnds()
        if part.contentType.value == "text/html" { text = HTMLText.text(text) }
        return text.withoutNUL
    }

    /// Stands for the message when it has no Message-ID, so that the same message read twice
    /// (delivered twice, read again after a crash) is recognised: the normalized header fields
    /// that identify it (From, To, Cc, Date, Subject, In-Reply-To, References, Content-Type,
    /// names lowercased, blanks collapsed) and the body's size, as bytes.
    ///
    /// The fields exclude Received, Delivered-To and the like, which differ from one delivery
    /// to the next; `recordedID` hashes these bytes.
    public var identityBytes: [UInt8] {
        var out: [UInt8] = []
        for name in ["from", "to", "cc", "date", "subject", "in-reply-to", "references", "content-type"] {
            for field in headers.all(named: name) {
                out.append(contentsOf: name.utf8)
                out.append(0x3A)
                var blank = true
                for byte in field.rawValue {
                    if HeaderBlock.isWhitespace(byte) {
                        blank = true
                    } else {
                        if blank { out.append(0x20) }
                        blank = false
                        out.append(byte)
                    }
                }
                out.append(contentsOf: [0x0D, 0x0A])
            }
        }
        out.append(contentsOf: "body-size: \(bodyBytesCount)\r\n".utf8)
        return out
    }
}

extension String {
    /// U+0000 replaced by U+FFFD: PostgreSQL text cannot hold it, and it is never meant.
    var withoutNUL: String {
        contains("\u{0}") ? String(map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }) : self
    }
}
