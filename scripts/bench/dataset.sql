-- The benchmark's CRM: :users users, :deals deals with :collaborators collaborators each (the
-- first is also the owner), contacts for the deal emails. Loaded with crm.seeding on, so the
-- reference CRM's triggers write no changes: the changes come from changes.sql.
--   psql -v users=1000 -v deals=10000 -v collaborators=5 -f dataset.sql
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL crm.seeding = 'on';

INSERT INTO crm.users (id, email, display_name, locale, time_zone)
SELECT 'u-' || n, 'user' || n || '@bench.example',
       (ARRAY['Ana', 'João', 'Emily', 'Priya', 'Oliver', 'Mariana', 'Rui', 'Chloe'])[1 + n % 8] || ' Bench ' || n,
       (ARRAY['en', 'pt-PT', 'pt-BR'])[1 + n % 3],
       (ARRAY['Europe/Lisbon', 'America/Sao_Paulo', 'America/New_York', 'Asia/Kolkata', 'UTC'])[1 + n % 5]
FROM generate_series(1, :users) AS n;

INSERT INTO crm.organizations (id, name, country)
SELECT 'o-' || n, 'Customer ' || n || ' Lda.', 'PT' FROM generate_series(1, :deals) AS n;

-- One primary contact and two other participants per deal (deal emails: To and Cc).
INSERT INTO crm.contacts (id, organization_id, name, email)
SELECT 'c-' || n || '-' || k, 'o-' || n, 'Contact ' || k || ' of ' || n, 'contact' || k || '.' || n || '@customer.example'
FROM generate_series(1, :deals) AS n, generate_series(1, 3) AS k;

-- Collaborator k of deal n is user ((n + k * users / collaborators) mod users) + 1: distinct
-- within a deal, and every user follows deals * collaborators / users deals.
INSERT INTO crm.deals (id, kind, title, stage, amount, owner_id, primary_contact_id, organization_id)
SELECT 'D-' || n, CASE WHEN n % 4 = 0 THEN 'lead' ELSE 'opportunity' END,
       'Deal ' || n || ' — renewal', CASE WHEN n % 4 = 0 THEN 'qualified' ELSE 'proposal' END,
       1000 + n, 'u-' || (n % :users + 1), 'c-' || n || '-1', 'o-' || n
FROM generate_series(1, :deals) AS n;

INSERT INTO crm.deal_participants (deal_id, contact_id)
SELECT 'D-' || n, 'c-' || n || '-' || k FROM generate_series(1, :deals) AS n, generate_series(2, 3) AS k;

INSERT INTO crm.deal_collaborators (deal_id, user_id)
SELECT 'D-' || n, 'u-' || ((n + k * (:users / :collaborators)) % :users + 1)
FROM generate_series(1, :deals) AS n, generate_series(0, :collaborators - 1) AS k;

COMMIT;
VACUUM ANALYZE;
