-- Reference CRM for Tidings, part 1 of 4: the CRM's own tables.
--
-- A small sales CRM of the kind Tidings serves: internal users, organizations and their
-- contacts, and deals (leads and opportunities) with a primary contact, other participants
-- and collaborators. The demo and the integration tests use it; a real CRM adopts Tidings by
-- doing what 02 and 03 do over its own tables.
--
-- Apply after `tidings migrate`, in order, with psql -v ON_ERROR_STOP=1:
--   01-schema.sql  02-triggers.sql  03-directory-views.sql  04-seed.sql (demo data, optional)
-- Ids are text ('u-1', 'c-1', 'D-1'), as in the tidings contract.

BEGIN;

CREATE SCHEMA crm;

CREATE SEQUENCE crm.user_number START 1001;
CREATE SEQUENCE crm.organization_number START 1001;
CREATE SEQUENCE crm.contact_number START 1001;
CREATE SEQUENCE crm.deal_number START 1001;
CREATE SEQUENCE crm.comment_number START 1001;

-- The CRM's own staff: they own deals, collaborate on them and receive digests.
CREATE TABLE crm.users (
    id           text PRIMARY KEY DEFAULT 'u-' || nextval('crm.user_number'),
    email        text NOT NULL UNIQUE,
    display_name text NOT NULL,
    locale       text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'pt-PT', 'pt-BR')),
    time_zone    text NOT NULL DEFAULT 'UTC',
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Customers and prospects.
CREATE TABLE crm.organizations (
    id         text PRIMARY KEY DEFAULT 'o-' || nextval('crm.organization_number'),
    name       text NOT NULL,
    country    text,
    website    text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- People at those organizations. Not every contact has an email address.
CREATE TABLE crm.contacts (
    id              text PRIMARY KEY DEFAULT 'c-' || nextval('crm.contact_number'),
    organization_id text REFERENCES crm.organizations (id) ON DELETE SET NULL,
    name            text NOT NULL,
    email           text,
    phone           text,
    job_title       text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_organization_idx ON crm.contacts (organization_id);

-- Leads and opportunities. The stage list depends on the kind.
CREATE TABLE crm.deals (
    id                 text PRIMARY KEY DEFAULT 'D-' || nextval('crm.deal_number'),
    kind               text NOT NULL CHECK (kind IN ('lead', 'opportunity')),
    title              text NOT NULL,
    stage              text NOT NULL,
    amount             numeric(14, 2) CHECK (amount >= 0),
    currency           text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    owner_id           text NOT NULL REFERENCES crm.users (id),
    primary_contact_id text REFERENCES crm.contacts (id) ON DELETE SET NULL,
    organization_id    text REFERENCES crm.organizations (id) ON DELETE SET NULL,
    expected_close     date,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deals_stage_fits_kind CHECK (
        (kind = 'lead' AND stage IN ('new', 'contacted', 'qualified', 'disqualified'))
        OR (kind = 'opportunity' AND stage IN ('prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost'))
    )
);
CREATE INDEX deals_owner_idx ON crm.deals (owner_id);

-- Other people from the contact list involved in a deal (Cc of deal emails). The primary
-- contact may be listed too; the directory view leaves it out.
CREATE TABLE crm.deal_participants (
    deal_id    text NOT NULL REFERENCES crm.deals (id) ON DELETE CASCADE,
    contact_id text NOT NULL REFERENCES crm.contacts (id) ON DELETE CASCADE,
    role       text,
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (deal_id, contact_id)
);
CREATE INDEX deal_participants_contact_idx ON crm.deal_participants (contact_id);

-- Internal users who follow a deal (formerly "followers"): they get the digests.
CREATE TABLE crm.deal_collaborators (
    deal_id  text NOT NULL REFERENCES crm.deals (id) ON DELETE CASCADE,
    user_id  text NOT NULL REFERENCES crm.users (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (deal_id, user_id)
);
CREATE INDEX deal_collaborators_user_idx ON crm.deal_collaborators (user_id);

CREATE TABLE crm.comments (
    id         text PRIMARY KEY DEFAULT 'cm-' || nextval('crm.comment_number'),
    deal_id    text NOT NULL REFERENCES crm.deals (id) ON DELETE CASCADE,
    author_id  text NOT NULL REFERENCES crm.users (id),
    body       text NOT NULL CHECK (body <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_deal_idx ON crm.comments (deal_id, created_at);

-- The names the CRM shows for its codes, per language: stages, fields, and the values a field
-- can take (coded '<field>.<value>'). Tidings reads them through tidings.directory_labels, so
-- a digest says "Proposta" to a Portuguese reader where the change table says 'proposal'.
CREATE TABLE crm.labels (
    kind   text NOT NULL CHECK (kind IN ('stage', 'field', 'option')),
    code   text NOT NULL,
    locale text NOT NULL CHECK (locale <> ''),   -- BCP 47: 'pt-PT', or a language alone: 'pt'
    label  text NOT NULL CHECK (label <> ''),
    PRIMARY KEY (kind, code, locale)
);

INSERT INTO crm.labels (kind, code, locale, label)
SELECT kind, code, locale, label
FROM (VALUES
    --  kind     code                  en                      pt-PT                        pt-BR
    ('stage',  'new',                'New',                  'Novo',                      'Novo'),
    ('stage',  'contacted',          'Contacted',            'Contactado',                'Contatado'),
    ('stage',  'qualified',          'Qualified',            'Qualificado',               'Qualificado'),
    ('stage',  'disqualified',       'Disqualified',         'Desqualificado',            'Desqualificado'),
    ('stage',  'prospecting',        'Prospecting',          'Prospeção',                 'Prospecção'),
    ('stage',  'qualification',      'Qualification',        'Qualificação',              'Qualificação'),
    ('stage',  'proposal',           'Proposal',             'Proposta',                  'Proposta'),
    ('stage',  'negotiation',        'Negotiation',          'Negociação',                'Negociação'),
    ('stage',  'won',                'Won',                  'Ganho',                     'Ganho'),
    ('stage',  'lost',               'Lost',                 'Perdido',                   'Perdido'),
    ('field',  'kind',               'Type',                 'Tipo',                      'Tipo'),
    ('field',  'title',              'Title',                'Título',                    'Título'),
    ('field',  'amount',             'Amount',               'Valor',                     'Valor'),
    ('field',  'currency',           'Currency',             'Moeda',                     'Moeda'),
    ('field',  'owner_id',           'Owner',                'Responsável',               'Responsável'),
    ('field',  'primary_contact_id', 'Primary contact',      'Contacto principal',        'Contato principal'),
    ('field',  'expected_close',     'Expected close date',  'Data prevista de fecho',    'Data prevista de fechamento'),
    ('option', 'kind.lead',          'Lead',                 'Lead',                      'Lead'),
    ('option', 'kind.opportunity',   'Opportunity',          'Oportunidade',              'Oportunidade')
) AS names(kind, code, en, pt_pt, pt_br)
CROSS JOIN LATERAL (VALUES ('en', en), ('pt-PT', pt_pt), ('pt-BR', pt_br)) AS per_locale(locale, label);

COMMIT;
