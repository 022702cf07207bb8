-- The peer of Tidings' fan-out: psql inserting every notification of the change table in ONE
-- INSERT ... SELECT, with the joins and filters of FanoutStatement (collaborators and the owner,
-- the actor left out, muted deals and cadence 'off' left out, unknown users left out, ON
-- CONFLICT DO NOTHING), without the cursor, the batching and the counts. Default cadence: daily.
\set ON_ERROR_STOP on
\timing on
WITH owned AS MATERIALIZED (
    SELECT c.id AS change_id, c.deal_id, c.actor_id, d.owner_id
    FROM tidings.changes c LEFT JOIN tidings.directory_deals d ON d.id = c.deal_id
    WHERE c.txid < pg_snapshot_xmin(pg_current_snapshot())
),
candidates AS (
    SELECT o.change_id, o.deal_id, o.actor_id, col.user_id,
           CASE WHEN col.user_id = o.owner_id THEN 'owner' ELSE 'collaborator' END AS reason
    FROM owned o JOIN tidings.directory_collaborators col ON col.deal_id = o.deal_id
    UNION ALL
    SELECT o.change_id, o.deal_id, o.actor_id, o.owner_id, 'owner'
    FROM owned o
    WHERE o.owner_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM tidings.directory_collaborators col
                      WHERE col.deal_id = o.deal_id AND col.user_id = o.owner_id)
)
INSERT INTO tidings.notifications (user_id, change_id, deal_id, reason, created_at)
SELECT r.user_id, r.change_id, r.deal_id, r.reason, now()
FROM candidates r
LEFT JOIN tidings.deal_preferences dp ON dp.user_id = r.user_id AND dp.deal_id = r.deal_id
LEFT JOIN tidings.user_preferences up ON up.user_id = r.user_id
WHERE r.user_id IS NOT NULL
  AND (r.actor_id IS NULL OR r.user_id <> r.actor_id)
  AND NOT coalesce(dp.muted, false)
  AND coalesce(dp.cadence, up.cadence, 'daily') <> 'off'
  AND EXISTS (SELECT 1 FROM tidings.directory_users u WHERE u.id = r.user_id)
ON CONFLICT (user_id, change_id) DO NOTHING;
