import Foundation
import PostgresClient
import TidingsCore

extension OutboxStore {
    /// The files of outbox row `id`, in `position` order, loaded for the one message being
    /// composed (never for a whole claim: a claim of rows with large files would hold them all).
    ///
    /// The content travels as base64 (`encode(content, 'base64')`): PostgresClient reads text
    /// results, and bytea's hex text would be twice the file; base64 is a third more, and
    /// decoding it is one pass.
    func attachments(of id: Int64) async throws -> [MailAttachment] {
        let rows = try await session.query("""
            SELECT position, filename, content_type, disposition, content_id, encode(content, 'base64') AS content
            FROM tidings.outbox_attachments WHERE outbox_id = \(id) ORDER BY position
            """)
        return try rows.map { row in
            let base64: String = try row.decode("content")
            guard let content = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
                throw OutboxAttachmentError(description: "outbox row \(id): the content of attachment \(try row.decode("position", as: Int.self)) cannot be read")
            }
            let disposition = MailAttachment.Disposition(rawValue: try row.decode("disposition")) ?? .attachment
            return MailAttachment(filename: try row.decode("filename"), contentType: try row.decode("content_type"),
                                  disposition: disposition, contentID: try row.decode("content_id", as: String?.self),
                                  content: [UInt8](content))
        }
    }
}

/// An attachment row Tidings cannot read: the row fails alone, naming it.
struct OutboxAttachmentError: Error, CustomStringConvertible {
    var description: String
}
