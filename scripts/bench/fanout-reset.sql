-- Undoes a fan-out, so the next one starts from the same state: no notifications, the cursor at
-- the start, statistics fresh, dead rows gone.
\set ON_ERROR_STOP on
TRUNCATE tidings.notifications;
UPDATE tidings.cursors SET last_txid = '0', last_id = 0 WHERE name = 'fanout';
VACUUM ANALYZE tidings.notifications;
VACUUM ANALYZE tidings.cursors;
VACUUM ANALYZE tidings.changes;
CHECKPOINT;
