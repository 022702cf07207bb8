-- :changes changes spread evenly over the :deals deals, in ONE statement (one transaction, one
-- NOTIFY), as a CRM's bulk activity would arrive: stage moves, field edits, comments and notes.
-- The actor of each change is a user who does not follow that deal, so every change reaches
-- all of the deal's collaborators: :changes x :collaborators notifications.
\set ON_ERROR_STOP on
INSERT INTO tidings.changes (deal_id, kind, actor_id, occurred_at, payload)
SELECT 'D-' || d, kind, 'u-' || ((d + :users / :collaborators / 2) % :users + 1),
       now() - make_interval(secs => (:changes - i)),
       CASE kind
           WHEN 'stage' THEN jsonb_build_object('from', 'proposal', 'to', (ARRAY['negotiation', 'proposal'])[1 + (i / :deals) % 2])
           WHEN 'field' THEN jsonb_build_object('field', 'amount', 'from', 1000 + i, 'to', 2000 + i, 'currency', 'EUR')
           WHEN 'comment' THEN jsonb_build_object('comment_id', 'cm-' || i, 'comment',
               'Spoke with the customer about change ' || i || ': they want the renewal priced for three years, '
               || 'with the usual cap on the annual increase. Sending a revised proposal tomorrow.')
           ELSE jsonb_build_object('note', 'Follow-up call booked for next week (change ' || i || ').')
       END
FROM (SELECT i, (i - 1) % :deals + 1 AS d,
             (ARRAY['stage', 'field', 'comment', 'note'])[1 + ((i - 1) / :deals) % 4] AS kind
      FROM generate_series(1, :changes) AS i) AS g;
