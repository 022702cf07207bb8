/// A file carried by a message: an attachment the reader saves, or an inline image the HTML
/// shows through `cid:`. `MessageComposer` writes it as a base64 part of its own.
public struct MailAttachment: Sendable, Hashable {
    public enum Disposition: String, Sendable {
        case attachment
        case inline
    }

    /// The name the reader sees, as given (sanitized when written: `MIMEParameter`).
    public var filename: String
    /// `type/subtype` in lower case: `MailAttachment.contentType(_:)` of what was given.
    public var contentType: String
    public var disposition: Disposition
    /// For an inline part, the id its `cid:` URL names (without angle brackets).
    public var contentID: String?
    public var content: [UInt8]

    public init(filename: String, contentType: String?, disposition: Disposition = .attachment, contentID: String? = nil,
                content: [UInt8]) {
        self.filename = filename
        self.contentType = Self.contentType(contentType)
        self.disposition = disposition
        self.contentID = contentID
        self.content = content
    }

    /// The default for a missing or malformed type (RFC 2046 section 4.5.1).
    public static let defaultContentType = "application/octet-stream"

    /// `type/subtype` when `given` is two RFC 2045 tokens around one slash (parameters, which a
    /// CRM has no business injecting, dropped), lower-cased; else `application/octet-stream`.
    public static func contentType(_ given: String?) -> String {
        guard let given else { return defaultContentType }
        let essence = given.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = essence.trimmingBlanksSubstring
        let halves = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, halves.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isTokenByte) }) else {
            return defaultContentType
        }
        return trimmed.lowercased()
    }

    /// RFC 2045 `token`: printable ASCII but space and `tspecials`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20 && byte < 0x7F else { return false }
        return !"()<>@,;:\\\"/[]?=".utf8.contains(byte)
    }

    /// A Content-ID as it can be written between angle brackets: printable ASCII but blanks,
    /// `<` and `>` (anything else is dropped, so a CR or LF can never start a header).
    public static func safeContentID(_ id: String) -> String {
        String(decoding: id.utf8.filter { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") },
               as: UTF8.self)
    }
}
