extension Migration {
    /// Attachments are read in slices (`OutboxStore.attachments(of:)`), so the daemon never
    /// holds a whole large file in libpq's buffers. With the default EXTENDED storage a
    /// compressible file is stored compressed and every slice decompresses it from the start;
    /// EXTERNAL keeps it uncompressed out of line, where PostgreSQL fetches just the slice's
    /// chunks. The files people attach (PDF, images, office documents) are compressed already,
    /// so little space is given up.
    static let attachmentStorage = Migration(version: 13, name: "attachment_storage", sql: #"""
        ALTER TABLE tidings.outbox_attachments ALTER COLUMN content SET STORAGE EXTERNAL;
        """#)
}
