-- Issue 13: one deal email with one attachment of about :attachment_bytes bytes (random-looking
-- bytes, so base64 and any compression on the way keep their real size), for the peak-RSS
-- figure of composing and sending it.
--   psql -v attachment_bytes=20000000 -f attachment.sql
\set ON_ERROR_STOP on
\set cc 0
\ir one-deal.sql
BEGIN;
WITH email AS (
    INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text)
    VALUES ('D-1', 'u-1', 'Proposta', E'Segue a proposta.\n')
    RETURNING id
)
INSERT INTO tidings.outbox_attachments (outbox_id, position, filename, content_type, content)
SELECT id, 1, 'Proposta revisão nº 2.pdf', 'application/pdf',
       (SELECT decode(string_agg(md5(g::text), ''), 'hex') FROM generate_series(1, :attachment_bytes / 16) AS g)
FROM email;
COMMIT;
