-- Reference CRM for Tidings, part 3 of 4: the five views Tidings reads, and the optional sixth.
--
-- `tidings migrate` never creates or replaces these: they are the CRM's mapping of its own
-- tables onto what Tidings needs, with exactly these columns (ids as text):
--   tidings.directory_users(id, email, display_name, locale, time_zone)
--   tidings.directory_contacts(id, email, display_name, organization)
--   tidings.directory_deals(id, kind, title, stage, owner_id, primary_contact_id, url)
--   tidings.directory_participants(deal_id, contact_id)      -- other participants
--   tidings.directory_collaborators(deal_id, user_id)
-- and, optionally (without it digests show the CRM's raw codes):
--   tidings.directory_labels(kind, code, locale, label)     -- names of stages, fields, option values
-- `tidings check` (and `tidings migrate`) report a missing view or column, and the labels view.
-- directory_deals may add `amount` and `currency`: a user added to a deal is told them.
--
-- Deal links use the setting crm.base_url when the database has one
-- (ALTER DATABASE crm SET crm.base_url = 'https://crm.example.org'), else https://crm.example.com.

BEGIN;

CREATE OR REPLACE VIEW tidings.directory_users AS
    SELECT id, email, display_name, locale, time_zone
    FROM crm.users
    WHERE active;

CREATE OR REPLACE VIEW tidings.directory_contacts AS
    SELECT c.id, c.email, c.name AS display_name, o.name AS organization
    FROM crm.contacts c
    LEFT JOIN crm.organizations o ON o.id = c.organization_id;

CREATE OR REPLACE VIEW tidings.directory_deals AS
    SELECT id, kind, title, stage, owner_id, primary_contact_id,
           rtrim(coalesce(nullif(current_setting('crm.base_url', true), ''), 'https://crm.example.com'), '/')
               || '/deals/' || id AS url,
           amount, currency
    FROM crm.deals;

-- The primary contact is the To of deal emails, so it is not also a participant (Cc).
CREATE OR REPLACE VIEW tidings.directory_participants AS
    SELECT p.deal_id, p.contact_id
    FROM crm.deal_participants p
    JOIN crm.deals d ON d.id = p.deal_id
    WHERE p.contact_id IS DISTINCT FROM d.primary_contact_id;

CREATE OR REPLACE VIEW tidings.directory_collaborators AS
    SELECT deal_id, user_id
    FROM crm.deal_collaborators;

-- kind: 'stage', 'field' or 'option' (a field's value, coded '<field>.<value>'); locale: a
-- BCP 47 tag. Digests use the reader's locale, then its language ('pt' for 'pt-PT'), then
-- 'en', then the raw code.
CREATE OR REPLACE VIEW tidings.directory_labels AS
    SELECT kind, code, locale, label
    FROM crm.labels;

COMMIT;
