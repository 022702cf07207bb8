extension Migration {
    /// Deal emails carry files (issue 13): `tidings.outbox_attachments`, written by the CRM in
    /// the transaction that inserts the outbox row (the NOTIFY fires at commit, so a sender
    /// never sees a row without its files). Every name is part of the contract (README,
    /// deploy/crm/README.md).
    ///
    /// - `disposition` `attachment` (a file to save) or `inline` (an image the HTML shows
    ///   through `cid:<content_id>`); an inline file nothing shows is sent as an attachment.
    /// - `content_type` is checked when sending (`type/subtype` tokens, else
    ///   `application/octet-stream`), not here: a CRM's odd value must not stop its insert.
    static let attachments = Migration(version: 12, name: "attachments", sql: #"""
        CREATE TABLE tidings.outbox_attachments (
            outbox_id    bigint NOT NULL REFERENCES tidings.outbox (id) ON DELETE CASCADE,
            position     integer NOT NULL,
            filename     text NOT NULL,
            content_type text NOT NULL DEFAULT 'application/octet-stream',
            disposition  text NOT NULL DEFAULT 'attachment' CHECK (disposition IN ('attachment', 'inline')),
            content_id   text,
            content      bytea NOT NULL,
            PRIMARY KEY (outbox_id, position)
        );
        COMMENT ON TABLE tidings.outbox_attachments IS
            'Files of a deal email (tidings.outbox), in position order; insert them in the transaction that inserts the outbox row.';
        COMMENT ON COLUMN tidings.outbox_attachments.filename IS
            'The name the reader sees (UTF-8; control characters and path separators are replaced when sent). Empty fails the row.';
        COMMENT ON COLUMN tidings.outbox_attachments.content_type IS
            'type/subtype (e.g. application/pdf); anything else is sent as application/octet-stream.';
        COMMENT ON COLUMN tidings.outbox_attachments.disposition IS
            'attachment: a file to save. inline: an image body_html shows as <img src="cid:CONTENT_ID">.';
        COMMENT ON COLUMN tidings.outbox_attachments.content_id IS
            'For inline parts: the id body_html names after cid:. A cid: with no inline part fails the row.';
        """#)
}
