extension Migration {
    /// Where each consumer of the change table has read to, and which daemons are alive.
    static let cursorsAndWorkers = Migration(version: 5, name: "cursors and workers", sql: #"""
        CREATE TABLE tidings.cursors (
            name       text PRIMARY KEY,
            last_txid  xid8 NOT NULL DEFAULT '0',
            last_id    bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        INSERT INTO tidings.cursors (name, last_txid, last_id) VALUES ('fanout', '0', 0);
        COMMENT ON TABLE tidings.cursors IS
            'Read position of each consumer of tidings.changes, as (txid, id); taken FOR UPDATE SKIP LOCKED.';

        CREATE TABLE tidings.workers (
            id           text PRIMARY KEY,
            host         text NOT NULL,
            pid          integer NOT NULL,
            version      text,
            started_at   timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz NOT NULL DEFAULT now(),
            stopping     boolean NOT NULL DEFAULT false
        );
        CREATE INDEX workers_heartbeat_idx ON tidings.workers (heartbeat_at);
        COMMENT ON TABLE tidings.workers IS
            'One row per running daemon (a new id per start); work leased by a worker whose heartbeat stopped is taken back.';
        """#)
}
