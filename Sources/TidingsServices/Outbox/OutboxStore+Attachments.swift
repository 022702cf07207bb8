import Foundation
import PostgresClient
import TidingsCore

extension OutboxStore {
    /// The bytes of a file read per query. A whole 20 MB file in one result would sit in
    /// libpq's input buffer (which keeps its largest size for the connection's life), in the
    /// PGresult and in the decoded rows at once; slices keep each of those near this size, so
    /// the daemon holds a file about once, however large the CRM stored it.
    static let attachmentSliceBytes = 1 << 20

    /// The files of outbox row `id`, in `position` order, loaded for the one message being
    /// composed (never for a whole claim: a claim of rows with large files would hold them all).
    ///
    /// The content travels as base64 (`encode(…, 'base64')`): PostgresClient reads text
    /// results, and bytea's hex text would be twice the file; base64 is a third more, and
    /// decoding it is one pass. It is read in slices of `attachmentSliceBytes`.
    func attachments(of id: Int64) async throws -> [MailAttachment] {
        let rows = try await session.query("""
            SELECT position, filename, content_type, disposition, content_id, octet_length(content) AS bytes
            FROM tidings.outbox_attachments WHERE outbox_id = \(id) ORDER BY position
            """)
        var attachments: [MailAttachment] = []
        attachments.reserveCapacity(rows.count)
        for row in rows {
            let position: Int = try row.decode("position")
            let disposition = MailAttachment.Disposition(rawValue: try row.decode("disposition")) ?? .attachment
            attachments.append(MailAttachment(
                filename: try row.decode("filename"), contentType: try row.decode("content_type"), disposition: disposition,
                contentID: try row.decode("content_id", as: String?.self),
                content: try await content(of: id, position: position, bytes: try row.decode("bytes"))))
        }
        return attachments
    }

    /// One file's bytes, read slice by slice into one array of its exact size.
    private func content(of id: Int64, position: Int, bytes: Int) async throws -> [UInt8] {
        var content: [UInt8] = []
        content.reserveCapacity(bytes)
        while content.count < bytes {
            // substring() counts from 1.
            let slice = try await session.query("""
                SELECT encode(substring(content FROM \(content.count + 1)::integer FOR \(Self.attachmentSliceBytes)::integer), 'base64') AS slice
                FROM tidings.outbox_attachments WHERE outbox_id = \(id) AND position = \(position)
                """)
            guard let base64 = try slice.first?.decode("slice", as: String?.self),
                  let decoded = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !decoded.isEmpty else {
                // Deleted or shortened while being read: the row fails alone, naming the file.
                throw OutboxAttachmentError(description: "outbox row \(id): the content of attachment \(position) cannot be read")
            }
            content.append(contentsOf: decoded)
        }
        return content
    }
}

/// An attachment row Tidings cannot read: the row fails alone, naming it.
struct OutboxAttachmentError: Error, CustomStringConvertible {
    var description: String
}
