#!/usr/bin/env bash
# A working day in the reference CRM, in seconds: each step is what a user did in the CRM's UI,
# as the SQL the CRM would run (the acting user set per transaction, as its triggers expect).
# Usage: activity.sh   (TIDINGS_DATABASE_URL names the database; DEMO_PAUSE seconds between steps)
set -euo pipefail
export LC_ALL=C.UTF-8
pause=${DEMO_PAUSE:-0.4}

step() {
    local actor=$1 text=$2 sql=$3
    # Pad by characters, not bytes (printf's width counts bytes of "João").
    local padding=$(( 16 - ${#actor} )); (( padding < 1 )) && padding=1
    printf '  %s%*s%s\n' "$actor" "$padding" "" "$text"
    psql -X -q -v ON_ERROR_STOP=1 -d "$TIDINGS_DATABASE_URL" >/dev/null <<SQL
BEGIN;
SELECT set_config('crm.actor_id', (SELECT id FROM crm.users WHERE display_name = '$actor'), true);
$sql
COMMIT;
SQL
    sleep "$pause"
}

step "Ana Sousa" "moves 'Renovação do contrato…' (D-1) to negotiation" \
    "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-1';"
step "Ana Sousa" "writes to Maria João (To) with Tiago and Inês (Cc) about D-1: the proposal PDF attached, the logo inline" \
    "WITH email AS (
         INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, body_html, idempotency_key)
         VALUES ('D-1', 'u-1', 'Proposta revista — renovação 2025',
                 E'Olá Maria João,\n\nSegue a proposta revista com o desconto de volume que combinámos.\nO preço fica fixo durante os três anos do contrato.\n\nCumprimentos,\nAna',
                 '<p>Olá Maria João,</p><p>Segue a proposta revista com o desconto de volume que combinámos.<br>O preço fica fixo durante os três anos do contrato.</p><p>Cumprimentos,<br>Ana</p><p><img src=\"cid:logo@atlantico.example\" alt=\"Atlântico\" width=\"64\" height=\"64\"></p>',
                 'demo-1')
         RETURNING id)
     -- The files go in the same transaction as the email (the daemon never sees it without them).
     INSERT INTO tidings.outbox_attachments (outbox_id, position, filename, content_type, disposition, content_id, content)
     SELECT id, 1, 'Proposta revista — renovação 2025.pdf', 'application/pdf', 'attachment', NULL,
            convert_to(E'%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>> endobj\n4 0 obj <</Length 58>> stream\nBT /F1 24 Tf 72 760 Td (Proposta revista - 2025) Tj ET\nendstream endobj\n5 0 obj <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n', 'UTF8')
     FROM email
     UNION ALL
     SELECT id, 2, 'atlantico.png', 'image/png', 'inline', 'logo@atlantico.example',
            decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
     FROM email;"
step "Emily Carter" "comments on 'Annual fleet analytics…' (D-5)" \
    "INSERT INTO crm.comments (id, deal_id, author_id, body) VALUES ('demo-cm-1', 'D-5', 'u-3',
     'Finance approved the three-year price lock at 4% a year. Sending the updated quote to Sarah today.');"
step "Emily Carter" "raises the amount of D-5 from 60,000 to 72,000 USD" \
    "UPDATE crm.deals SET amount = 72000 WHERE id = 'D-5';"
step "Emily Carter" "emails Michael (To), Sarah and David (Cc) the updated quote" \
    "INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, idempotency_key)
     VALUES ('D-5', 'u-3', 'Updated quote: fleet analytics, 3-year term',
             E'Hi Michael,\n\nAttached is the updated quote with the three-year price lock (4% cap per year).\nSarah, David: copying you as discussed.\n\nBest,\nEmily', 'demo-2');"
step "João Pereira" "adds Camila Rocha as a participant of 'Sistema de gestão…' (D-3)" \
    "INSERT INTO crm.deal_participants (deal_id, contact_id, role) VALUES ('D-3', 'c-9', 'Referência');"
step "João Pereira" "moves D-3 to won 🎉" \
    "UPDATE crm.deals SET stage = 'won' WHERE id = 'D-3';"
step "Mariana Araújo" "comments on D-3" \
    "INSERT INTO crm.comments (id, deal_id, author_id, body) VALUES ('demo-cm-2', 'D-3', 'u-6',
     'Parabéns, equipe! O Luís Fernando pediu o kick-off para a segunda-feira, às 9h.');"
step "Rui Gonçalves" "moves 'Pacotes de verão…' (D-7) to negotiation, then back to proposal" \
    "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-7'; UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-7';"
step "Rui Gonçalves" "writes to José Medeiros (an internationalised address) about D-7" \
    "INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, idempotency_key)
     VALUES ('D-7', 'u-7', 'Pacotes de verão: disponibilidade de julho',
             E'Caro José,\n\nConfirmamos a disponibilidade para julho. A Leonor fica em cópia para a campanha.\n\nCom os melhores cumprimentos,\nRui', 'demo-3');"
step "Emily Carter" "marks 'Warehouse automation pilot' (D-6) as contacted" \
    "UPDATE crm.deals SET stage = 'contacted' WHERE id = 'D-6';"
step "Oliver Bennett" "makes Emma Clarke the primary contact of D-6 (the trigger writes both names)" \
    "UPDATE crm.deals SET primary_contact_id = 'c-15' WHERE id = 'D-6';"
# The daemon fans each change out within a second; let it have told D-6's changes so far to
# D-6's people before Priya joins, so her catch-up shows them as what came before (at most 5 s).
for _ in $(seq 1 50); do
    told=$(psql -X -At -d "$TIDINGS_DATABASE_URL" -c "SELECT coalesce((SELECT last_id FROM tidings.cursors WHERE name = 'fanout'), 0) >= (SELECT coalesce(max(id), 0) FROM tidings.changes)")
    [ "$told" = "t" ] && break
    sleep 0.1
done
step "Oliver Bennett" "adds Priya as a collaborator on 'Warehouse automation pilot' (D-6): her next digest catches her up" \
    "INSERT INTO crm.deal_collaborators (deal_id, user_id) VALUES ('D-6', 'u-4');"
step "Oliver Bennett" "qualifies D-6 and sets the amount to 31,500 GBP" \
    "UPDATE crm.deals SET stage = 'qualified', amount = 31500 WHERE id = 'D-6';"
step "Priya Raman" "comments on 'Spice import partnership' (D-9)" \
    "INSERT INTO crm.comments (id, deal_id, author_id, body) VALUES ('demo-cm-3', 'D-9', 'u-4',
     'Ananya confirmed the samples passed quality control. Arjun wants net-60 payment terms; I said we can do net-45.');"
step "Priya Raman" "schedules an email to Ananya and Arjun (D-9) for 09:00 Kolkata time (it waits for the fast-forward)" \
    "INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, idempotency_key, send_at)
     VALUES ('D-9', 'u-4', 'Payment terms: net-45 from the first shipment',
             E'Good morning Ananya,\n\nThank you for confirming the samples. We can offer net-45 payment terms from the first shipment;\nArjun, I am copying you for the finance side.\n\nBest regards,\nPriya', 'demo-5',
             -- the next 09:00 in Kolkata (03:30 UTC), so always before the demo's fast-forward to noon UTC tomorrow
             (date_trunc('day', now() AT TIME ZONE 'Asia/Kolkata' - interval '9 hours') + interval '1 day 9 hours') AT TIME ZONE 'Asia/Kolkata');"
step "Ana Sousa" "moves 'Migração da faturação…' (D-12) to proposal and comments" \
    "UPDATE crm.deals SET stage = 'proposal' WHERE id = 'D-12';
     INSERT INTO crm.comments (id, deal_id, author_id, body) VALUES ('demo-cm-4', 'D-12', 'u-1',
     'A Inês quer a migração faseada: primeiro a faturação, depois os armazéns. Proposta enviada hoje.');"
step "Ana Sousa" "clicks Send twice on the same email (one idempotency key: sent once)" \
    "INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, idempotency_key)
     VALUES ('D-12', 'u-1', 'Proposta: migração faseada da faturação', E'Olá Inês,\n\nSegue a proposta com a migração em duas fases.\n\nAna', 'demo-4')
     ON CONFLICT (idempotency_key) DO NOTHING;
     INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, idempotency_key)
     VALUES ('D-12', 'u-1', 'Proposta: migração faseada da faturação', E'Olá Inês,\n\nSegue a proposta com a migração em duas fases.\n\nAna', 'demo-4')
     ON CONFLICT (idempotency_key) DO NOTHING;"
step "Emily Carter" "moves D-5 to negotiation" \
    "UPDATE crm.deals SET stage = 'negotiation' WHERE id = 'D-5';"
