-- Issue 15: :emails queued deal emails, each to a primary contact with :cc other participants
-- in Cc and a text body of about :body_bytes bytes, for the drain figure (`tidings run --once`
-- claiming, composing, sending and recording them all).
--   psql -v emails=5000 -v cc=1 -v body_bytes=2048 -f drain.sql
\set ON_ERROR_STOP on
\ir one-deal.sql
INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text)
SELECT 'D-1', 'u-1', 'Proposta ' || g, repeat('Segue a proposta revista, com os valores combinados. ', :body_bytes / 54) || E'\n'
FROM generate_series(1, :emails) AS g;
