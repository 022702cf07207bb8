-- Issue 13: one deal email with one attachment of about :attachment_bytes bytes (random-looking
-- bytes, so base64 and any compression on the way keep their real size), for the peak-RSS
-- figure of composing and sending it.
--   psql -v attachment_bytes=20000000 -f attachment.sql
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL crm.seeding = 'on';
INSERT INTO crm.users (id, email, display_name, locale, time_zone)
VALUES ('u-1', 'ana@bench.example', 'Ana Sales', 'pt-PT', 'Europe/Lisbon');
INSERT INTO crm.organizations (id, name, country) VALUES ('o-1', 'Customer Lda.', 'PT');
INSERT INTO crm.contacts (id, organization_id, name, email) VALUES ('c-1', 'o-1', 'Contact', 'contact@customer.example');
INSERT INTO crm.deals (id, kind, title, stage, amount, owner_id, primary_contact_id, organization_id)
VALUES ('D-1', 'opportunity', 'Deal with a large proposal', 'proposal', 1000, 'u-1', 'c-1', 'o-1');
COMMIT;
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
