-- Issue 15: :emails queued deal emails, each to a primary contact with :cc other participants
-- in Cc and a text body of about :body_bytes bytes, for the drain figure (`tidings run --once`
-- claiming, composing, sending and recording them all).
--   psql -v emails=5000 -v cc=1 -v body_bytes=2048 -f drain.sql
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL crm.seeding = 'on';
INSERT INTO crm.users (id, email, display_name, locale, time_zone)
VALUES ('u-1', 'ana@bench.example', 'Ana Sales', 'pt-PT', 'Europe/Lisbon');
INSERT INTO crm.organizations (id, name, country) VALUES ('o-1', 'Customer Lda.', 'PT');
INSERT INTO crm.contacts (id, organization_id, name, email)
SELECT 'c-' || g, 'o-1', 'Contact ' || g, 'contact' || g || '@customer.example' FROM generate_series(0, :cc) AS g;
INSERT INTO crm.deals (id, kind, title, stage, amount, owner_id, primary_contact_id, organization_id)
VALUES ('D-1', 'opportunity', 'Deal with many emails', 'proposal', 1000, 'u-1', 'c-0', 'o-1');
INSERT INTO crm.deal_participants (deal_id, contact_id)
SELECT 'D-1', 'c-' || g FROM generate_series(1, :cc) AS g;
COMMIT;
INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text)
SELECT 'D-1', 'u-1', 'Proposta ' || g, repeat('Segue a proposta revista, com os valores combinados. ', :body_bytes / 54) || E'\n'
FROM generate_series(1, :emails) AS g;
