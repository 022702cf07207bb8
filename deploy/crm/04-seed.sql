-- Reference CRM for Tidings, part 4 of 4: demo data, in Portuguese and English.
--
-- 8 users (en, pt-PT, pt-BR; seven time zones, both hemispheres), 9 organizations,
-- 22 contacts (one without an email address, one at an internationalised domain) and
-- 12 deals of both kinds with participants, collaborators and a few comments.
--
-- The seed is the CRM's history, not news: it runs with crm.seeding on, so the triggers of
-- 02-triggers.sql write nothing to tidings.changes and the first digests only tell what
-- happens after it. (Run `SELECT count(*) FROM tidings.changes` afterwards: 0.)

BEGIN;
SET LOCAL crm.seeding = 'on';

INSERT INTO crm.users (id, email, display_name, locale, time_zone) VALUES
    ('u-1', 'ana.sousa@atlantico.example',      'Ana Sousa',       'pt-PT', 'Europe/Lisbon'),
    ('u-2', 'joao.pereira@atlantico.example',   'João Pereira',    'pt-BR', 'America/Sao_Paulo'),
    ('u-3', 'emily.carter@atlantico.example',   'Emily Carter',    'en',    'America/New_York'),
    ('u-4', 'priya.raman@atlantico.example',    'Priya Raman',     'en',    'Asia/Kolkata'),
    ('u-5', 'oliver.bennett@atlantico.example', 'Oliver Bennett',  'en',    'Europe/London'),
    ('u-6', 'mariana.araujo@atlantico.example', 'Mariana Araújo',  'pt-BR', 'America/Manaus'),
    ('u-7', 'rui.goncalves@atlantico.example',  'Rui Gonçalves',   'pt-PT', 'Atlantic/Azores'),
    ('u-8', 'chloe.nguyen@atlantico.example',   'Chloe Nguyen',    'en',    'Australia/Sydney');

INSERT INTO crm.organizations (id, name, country, website) VALUES
    ('o-1', 'Vinhos do Douro, Lda.',       'PT', 'https://vinhosdouro.example'),
    ('o-2', 'Padaria Estrela',             'PT', 'https://padariaestrela.example'),
    ('o-3', 'Construtora Horizonte S.A.',  'BR', 'https://horizonte.example'),
    ('o-4', 'São Paulo Têxtil Ltda.',      'BR', 'https://sptextil.example'),
    ('o-5', 'Northwind Traders',           'US', 'https://northwind.example'),
    ('o-6', 'Acme Logistics Ltd',          'GB', 'https://acme-logistics.example'),
    ('o-7', 'Café Açores',                 'PT', 'https://café-açores.example'),
    ('o-8', 'Harbour & Bay Consulting',    'GB', 'https://harbourbay.example'),
    ('o-9', 'Bengal Spice Exports',        'IN', 'https://bengalspice.example');

INSERT INTO crm.contacts (id, organization_id, name, email, phone, job_title) VALUES
    ('c-1',  'o-1', 'Maria João Ferreira',   'maria.ferreira@vinhosdouro.example',  '+351 222 000 101', 'Diretora-Geral'),
    ('c-2',  'o-1', 'Tiago Magalhães',       'tiago.magalhaes@vinhosdouro.example', '+351 222 000 102', 'Diretor Financeiro'),
    ('c-3',  'o-1', 'Inês Carvalho',         'ines.carvalho@vinhosdouro.example',   '+351 222 000 103', 'Responsável de Informática'),
    ('c-4',  'o-2', 'Manuel Antunes',        'manuel@padariaestrela.example',       '+351 239 000 201', 'Proprietário'),
    ('c-5',  'o-2', 'Sofia Brandão',         NULL,                                   '+351 239 000 202', 'Gerente de Loja'),
    ('c-6',  'o-3', 'Luís Fernando Souza',   'luis.souza@horizonte.example',        '+55 11 4000-3001', 'Diretor de Obras'),
    ('c-7',  'o-3', 'Beatriz Conceição',     'beatriz.conceicao@horizonte.example', '+55 11 4000-3002', 'Gerente de Compras'),
    ('c-8',  'o-3', 'Thiago Albuquerque',    'thiago.albuquerque@horizonte.example','+55 11 4000-3003', 'Coordenador de TI'),
    ('c-9',  'o-4', 'Camila Rocha',          'camila.rocha@sptextil.example',       '+55 11 4000-4001', 'Diretora Comercial'),
    ('c-10', 'o-4', 'Rafael Gonçalves Lima', 'rafael.lima@sptextil.example',        '+55 11 4000-4002', 'Controller'),
    ('c-11', 'o-5', 'Michael O''Brien',      'michael.obrien@northwind.example',    '+1 212 555 0111',  'VP Operations'),
    ('c-12', 'o-5', 'Sarah Johnson',         'sarah.johnson@northwind.example',     '+1 212 555 0112',  'CFO'),
    ('c-13', 'o-5', 'David Kim',             'david.kim@northwind.example',         '+1 212 555 0113',  'IT Director'),
    ('c-14', 'o-6', 'James Whitaker',        'james.whitaker@acme-logistics.example', '+44 20 7946 0141', 'Head of Warehousing'),
    ('c-15', 'o-6', 'Emma Clarke',           'emma.clarke@acme-logistics.example',  '+44 20 7946 0142', 'Procurement Manager'),
    ('c-16', 'o-7', 'José Medeiros',         'reservas@café-açores.example',        '+351 296 000 701', 'Gerente'),
    ('c-17', 'o-7', 'Leonor Ávila',          'leonor.avila@cafe-acores.example',    '+351 296 000 702', 'Marketing'),
    ('c-18', 'o-8', 'Hannah Fitzgerald',     'hannah@harbourbay.example',           '+44 161 496 0181', 'Managing Partner'),
    ('c-19', 'o-8', 'Ravi Patel',            'ravi.patel@harbourbay.example',       '+44 161 496 0182', 'Senior Consultant'),
    ('c-20', 'o-9', 'Ananya Iyer',           'ananya.iyer@bengalspice.example',     '+91 33 4000 2001', 'Export Manager'),
    ('c-21', 'o-9', 'Arjun Mehta',           'arjun.mehta@bengalspice.example',     '+91 33 4000 2002', 'Finance Head'),
    ('c-22', NULL,  'Zoë Lefèvre',           'zoe@lefevre.example',                 '+33 1 70 00 22 22', 'Independent consultant');

INSERT INTO crm.deals (id, kind, title, stage, amount, currency, owner_id, primary_contact_id, organization_id, expected_close) VALUES
    ('D-1',  'opportunity', 'Renovação do contrato de distribuição 2025', 'proposal',      48000.00,  'EUR', 'u-1', 'c-1',  'o-1', '2025-03-31'),
    ('D-2',  'lead',        'Forno industrial para a nova loja',          'contacted',     12500.00,  'EUR', 'u-7', 'c-4',  'o-2', NULL),
    ('D-3',  'opportunity', 'Sistema de gestão de obras — Fase 2',        'negotiation',   320000.00, 'BRL', 'u-2', 'c-6',  'o-3', '2025-05-15'),
    ('D-4',  'opportunity', 'Uniformes corporativos 2025',                'qualification', 85000.00,  'BRL', 'u-6', 'c-9',  'o-4', '2025-06-30'),
    ('D-5',  'opportunity', 'Annual fleet analytics subscription',        'prospecting',   60000.00,  'USD', 'u-3', 'c-11', 'o-5', '2025-04-30'),
    ('D-6',  'lead',        'Warehouse automation pilot',                 'new',           25000.00,  'GBP', 'u-5', 'c-14', 'o-6', NULL),
    ('D-7',  'opportunity', 'Pacotes de verão para os Açores',            'proposal',      18000.00,  'EUR', 'u-7', 'c-16', 'o-7', '2025-04-15'),
    ('D-8',  'opportunity', 'Strategy workshop series',                   'won',           15000.00,  'GBP', 'u-5', 'c-18', 'o-8', '2025-01-31'),
    ('D-9',  'lead',        'Spice import partnership',                   'qualified',     40000.00,  'USD', 'u-4', 'c-20', 'o-9', NULL),
    ('D-10', 'opportunity', 'Expansão para o Nordeste',                   'lost',          150000.00, 'BRL', 'u-2', 'c-7',  'o-3', '2024-12-20'),
    ('D-11', 'lead',        'Website redesign (referral from Zoë)',       'contacted',     NULL,      'EUR', 'u-8', 'c-22', NULL,  NULL),
    ('D-12', 'opportunity', 'Migração da faturação para a cloud',         'qualification', 72000.00,  'EUR', 'u-1', 'c-3',  'o-1', '2025-09-30');

INSERT INTO crm.deal_participants (deal_id, contact_id, role) VALUES
    ('D-1',  'c-2',  'Aprovação financeira'),
    ('D-1',  'c-3',  'Integração técnica'),
    ('D-2',  'c-5',  'Gerente de loja'),
    ('D-3',  'c-7',  'Compras'),
    ('D-3',  'c-8',  'TI'),
    ('D-4',  'c-10', 'Financeiro'),
    ('D-5',  'c-12', 'Budget owner'),
    ('D-5',  'c-13', 'Technical evaluation'),
    ('D-6',  'c-15', 'Procurement'),
    ('D-7',  'c-17', 'Marketing'),
    ('D-8',  'c-19', 'Delivery lead'),
    ('D-9',  'c-21', 'Finance'),
    ('D-10', 'c-6',  'Engenharia'),
    ('D-12', 'c-1',  'Patrocinadora'),
    ('D-12', 'c-2',  'Aprovação financeira');

INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES
    ('D-1', 'u-7'), ('D-1', 'u-5'),
    ('D-2', 'u-1'),
    ('D-3', 'u-6'), ('D-3', 'u-3'),
    ('D-4', 'u-2'),
    ('D-5', 'u-5'), ('D-5', 'u-8'), ('D-5', 'u-4'),
    ('D-6', 'u-3'),
    ('D-7', 'u-1'), ('D-7', 'u-2'),
    ('D-8', 'u-3'),
    ('D-9', 'u-8'), ('D-9', 'u-3'),
    ('D-10', 'u-6'),
    ('D-11', 'u-4'),
    ('D-12', 'u-7'), ('D-12', 'u-5'), ('D-12', 'u-2');

INSERT INTO crm.comments (id, deal_id, author_id, body, created_at) VALUES
    ('cm-1', 'D-1', 'u-1', 'A Maria João pediu a proposta revista até sexta-feira, com desconto de volume.', now() - interval '3 days'),
    ('cm-2', 'D-3', 'u-2', 'Reunião com o Luís Fernando confirmada para terça. Levar o cronograma da Fase 2.', now() - interval '2 days'),
    ('cm-3', 'D-5', 'u-3', 'Sarah wants a three-year price lock; checking with finance before we reply.', now() - interval '1 day'),
    ('cm-4', 'D-9', 'u-4', 'Samples shipped to Kolkata; Ananya will confirm quality by the 20th.', now() - interval '5 hours');

COMMIT;
