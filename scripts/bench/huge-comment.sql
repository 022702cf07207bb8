-- Issue 10, item 6: one deal with :collaborators collaborators, all on `immediate` digests, and one
-- comment of about :comment_bytes bytes on it by another user. Every digest quotes the comment,
-- so a daemon that loads each notification's payload whole holds it once per collaborator.
--   psql -v collaborators=40 -v comment_bytes=20000000 -f huge-comment.sql
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL crm.seeding = 'on';
INSERT INTO crm.users (id, email, display_name, locale, time_zone)
SELECT 'u-' || n, 'user' || n || '@bench.example', 'Collaborator ' || n, 'en', 'Europe/Lisbon'
FROM generate_series(0, :collaborators) AS n;
INSERT INTO crm.organizations (id, name, country) VALUES ('o-1', 'Customer Lda.', 'PT');
INSERT INTO crm.contacts (id, organization_id, name, email) VALUES ('c-1', 'o-1', 'Contact', 'contact@customer.example');
INSERT INTO crm.deals (id, kind, title, stage, amount, owner_id, primary_contact_id, organization_id)
VALUES ('D-1', 'opportunity', 'Deal with a long comment', 'proposal', 1000, 'u-1', 'c-1', 'o-1');
INSERT INTO crm.deal_collaborators (deal_id, user_id) SELECT 'D-1', 'u-' || n FROM generate_series(1, :collaborators) AS n;
COMMIT;
INSERT INTO tidings.user_preferences (user_id, cadence) SELECT 'u-' || n, 'immediate' FROM generate_series(1, :collaborators) AS n;
INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
VALUES ('D-1', 'comment', 'u-0', jsonb_build_object('comment', repeat('Uma proposta muito longa. ', :comment_bytes / 26)));
