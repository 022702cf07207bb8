-- The reference CRM's smallest world for the outbox figures: one user (u-1), one organization,
-- one deal (D-1) whose primary contact is c-0 and whose other :cc contacts (c-1 …) are its
-- participants, so a deal email goes To c-0 and Cc the rest. Included by attachment.sql and
-- drain.sql (`\ir one-deal.sql`), which set :cc.
BEGIN;
SET LOCAL crm.seeding = 'on';
INSERT INTO crm.users (id, email, display_name, locale, time_zone)
VALUES ('u-1', 'ana@bench.example', 'Ana Sales', 'pt-PT', 'Europe/Lisbon');
INSERT INTO crm.organizations (id, name, country) VALUES ('o-1', 'Customer Lda.', 'PT');
INSERT INTO crm.contacts (id, organization_id, name, email)
SELECT 'c-' || g, 'o-1', 'Contact ' || g, 'contact' || g || '@customer.example' FROM generate_series(0, :cc) AS g;
INSERT INTO crm.deals (id, kind, title, stage, amount, owner_id, primary_contact_id, organization_id)
VALUES ('D-1', 'opportunity', 'Deal for the benchmark', 'proposal', 1000, 'u-1', 'c-0', 'o-1');
INSERT INTO crm.deal_participants (deal_id, contact_id)
SELECT 'D-1', 'c-' || g FROM generate_series(1, :cc) AS g;
COMMIT;
