#!/usr/bin/env python3
"""Tidings' reliability suite (issue 7, item 2). scripts/reliability.sh runs it; see
docs/RELIABILITY.md.

Each scenario gets a fresh database in a private PostgreSQL cluster, the reference CRM
(deploy/crm 01-03) with generated users, contacts and deals (5 collaborators each), a recording
SMTP sink (sink.py: one log line per accepted message, duplicates included) and 4 `tidings run`
daemons. Part of the outbox rows and changes is loaded before the daemons start, the rest is
written while they run, in concurrent transactions that commit out of order. When everything is
drained, the daemons get SIGTERM (each must exit 0) and the scenario is checked end to end:

  - every outbox row `sent`, its `email_sent` change written exactly once;
  - every (user, change) the CRM tables call for (collaborators and owner, not the actor) is
    one notification, attached to a digest that was sent; no other notification exists;
  - the sink received every Message-ID of a sent outbox row or digest, and nothing else;
  - duplicates: none, except in scenarios that kill something, where each duplicated row must
    show as many attempts as copies, every copy of an outbox row carries that row's Message-ID,
    and their number stays within the sends that can be in flight at a kill.

Scenarios: drain, kill (SIGKILL one daemon every 2 s and restart it), pg-restart
(`pg_ctl restart -m fast` twice mid-run), smtp-outage (the sink killed for 30 s),
long-transaction (a transaction that inserted a change stays open: fan-out must stop just
before it, and everything arrives once it commits).
"""
import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PRIVATE_POSTGRES = os.path.join(REPO, "scripts/testenv/private-postgres.sh")

USERS = 20
CONTACTS = 300
DEALS = 200
DAEMONS = 4
WORKERS_PER_DAEMON = 2
# A send worker hands its transport runs of up to this many messages (SendRunBudget.maximumMessages)
# and records their outcomes when the run returns: what a kill can leave delivered, unrecorded.
RUN_MESSAGES = 8
SHUTDOWN_GRACE = 10


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class PsqlError(RuntimeError):
    pass


def psql(url, sql, timeout=600):
    """Runs `sql` through psql (stopping at the first error); returns its unaligned output."""
    result = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", url],
                            input=sql.encode(), capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise PsqlError(result.stderr.decode(errors="replace").strip())
    return result.stdout.decode()


def psql_json(url, sql):
    """The JSON object `sql` ends by printing: from the last line that starts one to the end, as
    the object may span lines (json_agg puts a newline between elements; those lines start with
    a space), and statements before it may print lines of their own."""
    output = psql(url, sql).strip()
    start = output.rfind("\n{") + 1
    try:
        return json.loads(output[start:])
    except ValueError as error:
        raise ValueError(f"psql printed no JSON object ({error}): {output[-2000:]!r}")


class Cluster:
    """A PostgreSQL cluster of the suite's own (private-postgres.sh), tuned for 4 daemons."""

    def __init__(self, run_dir):
        self.directory = os.path.join(run_dir, "pg")
        url = subprocess.run([PRIVATE_POSTGRES, "init", self.directory], check=True, capture_output=True)
        self.admin_url = url.stdout.decode().strip()
        with open(os.path.join(self.directory, "data/postgresql.conf"), "a") as conf:
            conf.write("max_connections = 200\nshared_buffers = 128MB\nmax_wal_size = 4GB\n")
        self.restart()

    def restart(self):
        subprocess.run([PRIVATE_POSTGRES, "restart", self.directory], check=True, capture_output=True)

    def url(self, database):
        return self.admin_url.rsplit("/", 1)[0] + "/" + database

    def destroy(self):
        subprocess.run([PRIVATE_POSTGRES, "destroy", self.directory], capture_output=True)


class Sink:
    """sink.py on a fixed port; kill() takes it down, start() brings it back on the same port."""

    def __init__(self, log_path, output_path):
        self.port = free_port()
        self.log_path = log_path
        self.output_path = output_path
        self.process = None

    def start(self):
        output = open(self.output_path, "ab")
        self.process = subprocess.Popen([sys.executable, os.path.join(HERE, "sink.py"), "--port", str(self.port),
                                         "--log", self.log_path], stdout=output, stderr=subprocess.STDOUT)
        output.close()
        wait_for_port(self.port)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Daemon:
    """One `tidings run`; each start is a new process (and a new worker id)."""

    def __init__(self, binary, environment, log_path):
        self.binary = binary
        self.environment = environment
        self.log_path = log_path
        self.process = None
        self.starts = 0

    def start(self):
        output = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.binary, "run"], env=self.environment, stdout=output,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        output.close()
        self.starts += 1

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def running(self):
        return self.process is not None and self.process.poll() is None

    def terminate(self, timeout=30, diagnose=None):
        """SIGTERM; the exit status (None if it had to be killed after `timeout`, once
        `diagnose(pid)` has recorded what it was doing)."""
        if not self.running():
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            if diagnose:
                diagnose(self.process.pid)
            self.process.kill()
            self.process.wait()
            return None


class Workload:
    """What a scenario writes: `outbox` rows and `changes` as the CRM would, a share before the
    daemons start and the rest in `batches` transactions while they run."""

    def __init__(self, outbox, changes, preload=0.5, batches=20):
        self.outbox = outbox
        self.changes = changes
        self.preload = preload
        self.batches = batches

    def setup_sql(self):
        return f"""
        BEGIN;
        SET LOCAL crm.seeding = 'on';
        INSERT INTO crm.users (id, email, display_name, locale, time_zone)
        SELECT 'u-' || i, 'user' || i || '@staff.reliability.test', 'User ' || i,
               (ARRAY['en', 'pt-PT', 'pt-BR'])[1 + i % 3],
               (ARRAY['UTC', 'Europe/Lisbon', 'America/Sao_Paulo', 'Asia/Kolkata'])[1 + i % 4]
        FROM generate_series(1, {USERS}) i;
        INSERT INTO crm.contacts (id, name, email)
        SELECT 'c-' || i, 'Contact ' || i, 'contact' || i || '@customer.reliability.test'
        FROM generate_series(1, {CONTACTS}) i;
        -- Owner u-(1 + i % USERS); collaborators at offsets 3, 6, 9, 12, 15: five, never the owner.
        INSERT INTO crm.deals (id, kind, title, stage, owner_id, primary_contact_id)
        SELECT 'D-' || i, 'opportunity', 'Deal ' || i, 'proposal', 'u-' || (1 + i % {USERS}),
               'c-' || (1 + (i * 3) % {CONTACTS})
        FROM generate_series(1, {DEALS}) i;
        INSERT INTO crm.deal_participants (deal_id, contact_id)
        SELECT 'D-' || i, 'c-' || (1 + (i * 3 + k) % {CONTACTS})
        FROM generate_series(1, {DEALS}) i, generate_series(1, 2) k;
        INSERT INTO crm.deal_collaborators (deal_id, user_id)
        SELECT 'D-' || i, 'u-' || (1 + (i + 3 * k) % {USERS})
        FROM generate_series(1, {DEALS}) i, generate_series(1, 5) k;
        COMMIT;
        """

    @staticmethod
    def outbox_sql(first, last):
        # The subject carries the row's key, so the sink's log maps each copy back to its row.
        return f"""
        INSERT INTO tidings.outbox (deal_id, author_id, subject, body_text, idempotency_key)
        SELECT 'D-' || (1 + k % {DEALS}), 'u-' || (1 + (k * 7) % {USERS}), 'Reliability ' || k,
               'Hello,' || E'\\n\\n' || 'this is message ' || k || '.' || E'\\n', 'rel-' || k
        FROM generate_series({first}, {last}) k
        ON CONFLICT (idempotency_key) DO NOTHING;
        """

    @staticmethod
    def changes_sql(first, last):
        # Comments never collapse, so every digest has something to say. One in five is the system's.
        return f"""
        INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
        SELECT 'D-' || (1 + (k * 13) % {DEALS}), 'comment',
               CASE WHEN k % 5 = 0 THEN NULL ELSE 'u-' || (1 + k % {USERS}) END,
               jsonb_build_object('comment_id', 'rel-' || k, 'comment', 'Comment number ' || k)
        FROM generate_series({first}, {last}) k;
        """

    def preload_sql(self):
        outbox = int(self.outbox * self.preload)
        changes = int(self.changes * self.preload)
        return "BEGIN;" + self.outbox_sql(1, outbox) + self.changes_sql(1, changes) + "COMMIT;"

    def live_batches(self):
        """(outbox first, last, changes first, last) of each batch written while daemons run."""
        outbox_start = int(self.outbox * self.preload) + 1
        changes_start = int(self.changes * self.preload) + 1
        batches = []
        for number in range(self.batches):
            o1 = outbox_start + (self.outbox - outbox_start + 1) * number // self.batches
            o2 = outbox_start + (self.outbox - outbox_start + 1) * (number + 1) // self.batches - 1
            c1 = changes_start + (self.changes - changes_start + 1) * number // self.batches
            c2 = changes_start + (self.changes - changes_start + 1) * (number + 1) // self.batches - 1
            batches.append((o1, o2, c1, c2))
        return batches


class Writer:
    """Writes the live batches from two threads, each batch one transaction that sleeps between
    its inserts, so transactions overlap and commit out of id order. A batch that fails (the
    server restarting) is retried; its outbox rows' idempotency keys tell whether it committed."""

    def __init__(self, url, workload, pause=0.3):
        self.url = url
        self.workload = workload
        self.pause = pause
        self.retries = 0
        self.threads = []
        self.errors = []

    def start(self):
        batches = self.workload.live_batches()
        for lane in range(2):
            thread = threading.Thread(target=self.run, args=(batches[lane::2],), daemon=True)
            thread.start()
            self.threads.append(thread)

    def run(self, batches):
        for (o1, o2, c1, c2) in batches:
            sql = ("BEGIN;" + Workload.outbox_sql(o1, o2) + f"SELECT pg_sleep({random.uniform(0, 0.2):.3f});"
                   + Workload.changes_sql(c1, c2) + "COMMIT;")
            for attempt in range(120):
                try:
                    psql(self.url, sql)
                    break
                except PsqlError as error:
                    self.retries += 1
                    time.sleep(1)
                    try:
                        if psql(self.url, f"SELECT count(*) FROM tidings.outbox WHERE idempotency_key = 'rel-{o1}'").strip() == "1":
                            break
                    except PsqlError:
                        pass
                    if attempt == 119:
                        self.errors.append(f"batch {o1}-{o2} never committed: {error}")
            time.sleep(self.pause)

    def done(self):
        return all(not thread.is_alive() for thread in self.threads)


BACKLOG_SQL = """
SELECT json_build_object(
  'outbox_waiting', (SELECT count(*) FROM tidings.outbox WHERE status IN ('queued', 'sending')),
  'outbox_sent', (SELECT count(*) FROM tidings.outbox WHERE status = 'sent'),
  'outbox_failed', (SELECT count(*) FROM tidings.outbox WHERE status = 'failed'),
  'outbox_max_attempts', (SELECT coalesce(max(attempts), 0) FROM tidings.outbox),
  'changes_unread', (SELECT count(*) FROM tidings.changes c, tidings.cursors k
                     WHERE k.name = 'fanout' AND (c.txid, c.id) > (k.last_txid, k.last_id)),
  'notifications_pending', (SELECT count(*) FROM tidings.notification_ledger WHERE digest_id IS NULL),
  'digests_waiting', (SELECT count(*) FROM tidings.digests WHERE status IN ('queued', 'sending')),
  'digests_sent', (SELECT count(*) FROM tidings.digests WHERE status = 'sent'),
  'digests_failed', (SELECT count(*) FROM tidings.digests WHERE status = 'failed'));
"""


def backlog(url):
    try:
        return psql_json(url, BACKLOG_SQL)
    except (PsqlError, ValueError, IndexError, subprocess.TimeoutExpired):
        return None


def verify_sql(sink_log):
    return f"""
CREATE TEMP TABLE received (message_id text, subject text, recipients integer);
\\copy received FROM '{sink_log}'
UPDATE received SET message_id = '<' || btrim(message_id, '<> ') || '>';
CREATE TEMP TABLE expected_ids AS
    SELECT message_id, 'outbox' AS source, attempts, idempotency_key FROM tidings.outbox WHERE status = 'sent'
    UNION ALL
    SELECT message_id, 'digest', attempts, NULL FROM tidings.digests WHERE status = 'sent';
CREATE TEMP TABLE copies AS SELECT message_id, count(*) AS n FROM received GROUP BY 1;
-- Who must hear of each change, from the CRM's own tables: collaborators and the owner, not the actor.
CREATE TEMP TABLE expected_notifications AS
    SELECT DISTINCT c.id AS change_id, r.user_id
    FROM tidings.changes c
    JOIN LATERAL (SELECT col.user_id FROM crm.deal_collaborators col WHERE col.deal_id = c.deal_id
                  UNION SELECT d.owner_id FROM crm.deals d WHERE d.id = c.deal_id) r ON true
    WHERE r.user_id IS DISTINCT FROM c.actor_id;
SELECT json_build_object(
  'outbox_rows', (SELECT count(*) FROM tidings.outbox),
  'outbox_sent', (SELECT count(*) FROM tidings.outbox WHERE status = 'sent'),
  'outbox_not_sent', (SELECT count(*) FROM tidings.outbox WHERE status <> 'sent'),
  'outbox_max_attempts', (SELECT coalesce(max(attempts), 0) FROM tidings.outbox),
  'email_sent_changes', (SELECT count(*) FROM tidings.changes WHERE kind = 'email_sent'),
  'email_sent_distinct', (SELECT count(DISTINCT payload->>'subject') FROM tidings.changes WHERE kind = 'email_sent'),
  'changes', (SELECT count(*) FROM tidings.changes),
  'changes_unread', (SELECT count(*) FROM tidings.changes c, tidings.cursors k
                     WHERE k.name = 'fanout' AND (c.txid, c.id) > (k.last_txid, k.last_id)),
  'notifications', (SELECT count(*) FROM tidings.notifications),
  'notifications_expected', (SELECT count(*) FROM expected_notifications),
  'notifications_missing', (SELECT count(*) FROM expected_notifications e
                            WHERE NOT EXISTS (SELECT 1 FROM tidings.notifications n
                                              WHERE n.user_id = e.user_id AND n.change_id = e.change_id)),
  'notifications_extra', (SELECT count(*) FROM tidings.notifications n
                          WHERE NOT EXISTS (SELECT 1 FROM expected_notifications e
                                            WHERE n.user_id = e.user_id AND n.change_id = e.change_id)),
  'notifications_not_sent', (SELECT count(*) FROM tidings.notification_ledger n LEFT JOIN tidings.digests d ON d.id = n.digest_id
                             WHERE d.status IS DISTINCT FROM 'sent'),
  'digests_sent', (SELECT count(*) FROM tidings.digests WHERE status = 'sent'),
  'digests_not_sent', (SELECT count(*) FROM tidings.digests WHERE status <> 'sent'),
  'digests_max_attempts', (SELECT coalesce(max(attempts), 0) FROM tidings.digests),
  'expected', (SELECT count(*) FROM expected_ids),
  'expected_outbox', (SELECT count(*) FROM expected_ids WHERE source = 'outbox'),
  'expected_digests', (SELECT count(*) FROM expected_ids WHERE source = 'digest'),
  'received', (SELECT count(*) FROM received),
  'lost', (SELECT count(*) FROM expected_ids e WHERE NOT EXISTS (SELECT 1 FROM copies c WHERE c.message_id = e.message_id)),
  'unexpected', (SELECT count(*) FROM received r WHERE NOT EXISTS (SELECT 1 FROM expected_ids e WHERE e.message_id = r.message_id)),
  'duplicates', (SELECT coalesce(sum(n - 1), 0) FROM copies WHERE n > 1),
  'duplicated_ids', (SELECT count(*) FROM copies WHERE n > 1),
  'duplicates_outbox', (SELECT coalesce(sum(c.n - 1), 0) FROM copies c JOIN expected_ids e USING (message_id)
                        WHERE c.n > 1 AND e.source = 'outbox'),
  'duplicates_digests', (SELECT coalesce(sum(c.n - 1), 0) FROM copies c JOIN expected_ids e USING (message_id)
                         WHERE c.n > 1 AND e.source = 'digest'),
  -- A copy can only come from an attempt: more copies than attempts would be a send nobody claimed.
  'copies_over_attempts', (SELECT count(*) FROM copies c JOIN expected_ids e USING (message_id) WHERE c.n > e.attempts),
  -- Every copy of an outbox email (found by the row key in its subject) carries that row's Message-ID.
  'outbox_copies_with_other_id', (SELECT count(*) FROM received r
                                  JOIN tidings.outbox o ON r.subject = 'Reliability ' || substr(o.idempotency_key, 5)
                                  WHERE r.message_id IS DISTINCT FROM o.message_id),
  'duplicate_examples', (SELECT coalesce(json_agg(x), '[]') FROM (
        SELECT c.message_id, c.n AS copies, e.attempts FROM copies c JOIN expected_ids e USING (message_id)
        WHERE c.n > 1 ORDER BY c.message_id LIMIT 12) x));
"""


class Result:
    def __init__(self, name):
        self.name = name
        self.numbers = {}
        self.seconds = 0.0
        self.allowed_duplicates = 0
        self.events = {}
        self.notes = []
        self.failures = []

    @property
    def lost(self):
        n = self.numbers
        return (n.get("lost", 0) + n.get("outbox_not_sent", 0) + n.get("notifications_missing", 0)
                + n.get("notifications_not_sent", 0) + n.get("changes_unread", 0))

    def summary(self):
        n = self.numbers
        return {
            "scenario": self.name, "expected": n.get("expected"), "outbox": n.get("expected_outbox"),
            "digests": n.get("expected_digests"), "received": n.get("received"), "duplicates": n.get("duplicates"),
            "allowed": self.allowed_duplicates, "lost": self.lost, "unexpected": n.get("unexpected"),
            "seconds": round(self.seconds, 1),
            "per_second": round((n.get("received") or 0) / self.seconds) if self.seconds else None,
            "events": self.events, "ok": not self.failures,
        }


class Scenario:
    """One run of 4 daemons over one workload; subclasses inject a fault while it drains."""

    name = "drain"
    title = "4 daemons drain the outbox and the change table"

    def __init__(self, suite):
        self.suite = suite
        self.result = Result(self.name)
        self.stop = threading.Event()

    # Fault injection: runs in a thread while the daemons drain; returns when done or stopped.
    def inject(self):
        pass

    def allowed_duplicates(self):
        return 0

    def wait_until(self, predicate, timeout):
        """Polls the backlog until `predicate(backlog)` holds; False on stop or timeout."""
        deadline = time.monotonic() + timeout
        while not self.stop.is_set() and time.monotonic() < deadline:
            state = backlog(self.url)
            if state and predicate(state):
                return True
            time.sleep(0.25)
        return False

    def run(self):
        suite = self.suite
        database = "rel_" + self.name.replace("-", "_")
        psql(suite.cluster.admin_url, f"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database};")
        self.url = suite.cluster.url(database)
        prefix = os.path.join(suite.run_dir, self.name)
        environment = suite.daemon_environment(self.url, self.name)
        migrate = subprocess.run([suite.binary, "migrate"], env=environment, capture_output=True)
        if migrate.returncode != 0:
            raise RuntimeError(f"tidings migrate failed: {migrate.stderr.decode(errors='replace')}")
        for file in ("01-schema.sql", "02-triggers.sql", "03-directory-views.sql"):
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url, "-f",
                            os.path.join(REPO, "deploy/crm", file)], check=True, capture_output=True)
        workload = suite.workload
        psql(self.url, workload.setup_sql())
        psql(self.url, workload.preload_sql())

        self.sink = Sink(prefix + "-sink.log", prefix + "-sink.out")
        self.sink.start()
        environment["TIDINGS_SMTP_URL"] = f"smtp://127.0.0.1:{self.sink.port}"
        self.daemons = [Daemon(suite.binary, environment, f"{prefix}-daemon-{index}.log") for index in range(DAEMONS)]
        log(f"{self.name}: {self.title}")
        started = time.monotonic()
        try:
            for daemon in self.daemons:
                daemon.start()
            writer = Writer(self.url, workload)
            writer.start()
            injector = threading.Thread(target=self.guarded_inject, daemon=True)
            injector.start()

            drained = self.wait_for_drain(writer, started)
            self.result.seconds = time.monotonic() - started
            self.stop.set()
            injector.join(timeout=120)
            for index, daemon in enumerate(self.daemons):
                if not daemon.running():
                    self.result.failures.append(f"daemon {index} was not running at the end (exit {daemon.process.returncode}); see {daemon.log_path}")
            statuses = []
            slowest = 0.0
            for daemon in self.daemons:
                began = time.monotonic()
                statuses.append(daemon.terminate(diagnose=self.diagnose))
                slowest = max(slowest, time.monotonic() - began)
            self.result.events["stop_s"] = round(slowest, 1)
            self.result.events["taken_back"] = self.leases_taken_back()
            if slowest > SHUTDOWN_GRACE:
                self.result.notes.append(f"a daemon took {slowest:.1f} s to stop after SIGTERM, over the {SHUTDOWN_GRACE} s grace")
            for index, status in enumerate(statuses):
                if status != 0:
                    self.result.failures.append(f"daemon {index} exited {status} on SIGTERM (expected 0); see {self.daemons[index].log_path}")
        finally:
            # Whatever happened, leave no daemon or sink behind.
            self.stop.set()
            for daemon in self.daemons:
                if daemon.running():
                    daemon.kill()
            self.sink.stop()
        if writer.errors:
            self.result.failures.extend(writer.errors)
        if writer.retries:
            self.result.notes.append(f"the CRM writer retried {writer.retries} statements")
        if not drained:
            self.result.failures.append(f"not drained within {self.suite.timeout} s: {backlog(self.url)}")
        self.verify()
        return self.result

    def leases_taken_back(self):
        """Leases maintenance took back (from daemons it thought dead, or expired), per the logs."""
        total = 0
        for daemon in self.daemons:
            with open(daemon.log_path, errors="replace") as handle:
                for line in handle:
                    match = re.search(r"took back (\d+) abandoned", line)
                    if match:
                        total += int(match.group(1))
        return total

    def diagnose(self, pid):
        """What a daemon that does not stop is doing: its database sessions and its threads."""
        path = os.path.join(self.suite.run_dir, f"{self.name}-stuck-{pid}.txt")
        with open(path, "w") as out:
            try:
                out.write(psql(self.url, """
                    SELECT application_name, state, wait_event_type, wait_event, now() - query_start, left(query, 300)
                    FROM pg_stat_activity WHERE application_name LIKE 'tidings-%' AND state <> 'idle'
                    """))
            except PsqlError as error:
                out.write(f"pg_stat_activity: {error}\n")
            out.flush()
            subprocess.run(["gdb", "-batch", "-p", str(pid), "-ex", "thread apply all bt 25"],
                           stdout=out, stderr=subprocess.STDOUT, timeout=60)
        self.result.notes.append(f"a daemon did not stop in time; its sessions and threads: {path}")

    def guarded_inject(self):
        try:
            self.inject()
        except Exception as error:  # a broken injection must fail the scenario, not hang it
            self.result.failures.append(f"fault injection failed: {error!r}")

    def wait_for_drain(self, writer, started):
        quiet = 0
        while time.monotonic() - started < self.suite.timeout:
            time.sleep(0.5)
            if not writer.done() or not self.injection_finished():
                continue
            state = backlog(self.url)
            if state is None:
                quiet = 0
                continue
            waiting = (state["outbox_waiting"] + state["changes_unread"] + state["notifications_pending"]
                       + state["digests_waiting"])
            quiet = quiet + 1 if waiting == 0 else 0
            if quiet >= 2:
                return True
        return False

    def injection_finished(self):
        return True

    def verify(self):
        numbers = psql_json(self.url, verify_sql(self.sink.log_path))
        result = self.result
        result.numbers = numbers
        result.allowed_duplicates = self.allowed_duplicates()
        workload = self.suite.workload
        failures = result.failures
        if numbers["outbox_rows"] != workload.outbox:
            failures.append(f"{numbers['outbox_rows']} outbox rows in the table, {workload.outbox} written")
        for key, what in [("outbox_not_sent", "outbox rows not sent"), ("changes_unread", "changes never fanned out"),
                          ("notifications_missing", "notifications missing"), ("notifications_extra", "unexpected notifications"),
                          ("notifications_not_sent", "notifications not in a sent digest"), ("digests_not_sent", "digests not sent"),
                          ("lost", "expected Message-IDs never received"), ("unexpected", "received messages nobody sent"),
                          ("copies_over_attempts", "Message-IDs received more often than attempted"),
                          ("outbox_copies_with_other_id", "outbox copies with a Message-ID not their row's")]:
            if numbers[key]:
                failures.append(f"{numbers[key]} {what}")
        if numbers["email_sent_changes"] != numbers["outbox_sent"] or numbers["email_sent_distinct"] != numbers["outbox_sent"]:
            failures.append(f"{numbers['email_sent_changes']} email_sent changes ({numbers['email_sent_distinct']} distinct) "
                            f"for {numbers['outbox_sent']} sent outbox rows")
        if numbers["expected_digests"] == 0:
            failures.append("no digest was sent: the digest path was not exercised")
        if numbers["duplicates"] > result.allowed_duplicates:
            failures.append(f"{numbers['duplicates']} duplicates, more than the {result.allowed_duplicates} sends that can be in flight")
        if numbers["duplicates"]:
            result.notes.append(f"duplicates: {numbers['duplicates_outbox']} outbox, {numbers['duplicates_digests']} digests; "
                                f"e.g. {numbers['duplicate_examples'][:4]}")


class KillScenario(Scenario):
    name = "kill"
    title = "the same, one daemon SIGKILLed every 2 s and restarted"
    interval = 2.0

    def inject(self):
        kills = 0
        slot = 0
        while not self.stop.wait(self.interval):
            daemon = self.daemons[slot]
            if daemon.running():
                daemon.kill()
                kills += 1
            daemon.start()
            slot = (slot + 1) % len(self.daemons)
        self.result.events["kills"] = kills

    def allowed_duplicates(self):
        # At a kill, each of the daemon's send workers may have a run on the wire, some of it
        # accepted by the server and none of it recorded yet (SendRunBudget).
        return self.result.events.get("kills", 0) * WORKERS_PER_DAEMON * RUN_MESSAGES


class PostgresRestartScenario(Scenario):
    name = "pg-restart"
    title = "the same, PostgreSQL restarted (pg_ctl restart -m fast) twice mid-run"
    restarts = 2

    def inject(self):
        total = self.suite.workload.outbox
        done = 0
        for number in range(1, self.restarts + 1):
            if not self.wait_until(lambda s, n=number: s["outbox_sent"] >= total * n // (self.restarts + 1), self.suite.timeout):
                break
            began = time.monotonic()
            self.suite.cluster.restart()
            done += 1
            log(f"{self.name}: PostgreSQL restarted ({time.monotonic() - began:.1f} s)")
        self.result.events["restarts"] = done
        self.finished = True

    def injection_finished(self):
        return getattr(self, "finished", False)

    def allowed_duplicates(self):
        # A run whose outcomes could not be written while the server was down may go again.
        return self.result.events.get("restarts", 0) * DAEMONS * WORKERS_PER_DAEMON * RUN_MESSAGES


class SMTPOutageScenario(Scenario):
    name = "smtp-outage"
    title = "the same, the SMTP server down for 30 s and back"
    outage = 30.0

    def inject(self):
        total = self.suite.workload.outbox
        if not self.wait_until(lambda s: s["outbox_sent"] >= total // 3, self.suite.timeout):
            self.finished = True
            return
        self.sink.kill()
        log(f"{self.name}: SMTP sink down")
        down = time.monotonic()
        worst = {}
        while time.monotonic() - down < self.outage:
            state = backlog(self.url)
            if state:
                worst = state
                if state["outbox_failed"] or state["digests_failed"]:
                    self.result.failures.append(f"mail failed while the server was down: {state}")
                    break
            time.sleep(1)
        self.sink.start()
        log(f"{self.name}: SMTP sink back after {time.monotonic() - down:.0f} s")
        self.result.events["outage_s"] = round(time.monotonic() - down)
        self.result.notes.append(f"at the end of the outage: {worst.get('outbox_waiting')} outbox rows waiting, "
                                 f"most attempts of a row {worst.get('outbox_max_attempts')}")
        self.finished = True

    def injection_finished(self):
        return getattr(self, "finished", False)

    def allowed_duplicates(self):
        # Messages whose final dot the sink logged just before it was killed.
        return DAEMONS * WORKERS_PER_DAEMON


class LongTransactionScenario(Scenario):
    name = "long-transaction"
    title = "the same, a transaction that inserted a change held open: fan-out pauses, nothing lost"

    def inject(self):
        total = self.suite.workload.outbox
        if not self.wait_until(lambda s: s["outbox_sent"] >= total // 4, self.suite.timeout):
            self.finished = True
            return
        hold = self.suite.hold_seconds
        # psql runs each statement as it reads it: the transaction stays open until COMMIT is sent.
        holder = subprocess.Popen(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", self.url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        holder.stdin.write(b"""
            BEGIN;
            INSERT INTO tidings.changes (deal_id, kind, actor_id, payload)
            VALUES ('D-1', 'comment', NULL, '{"comment": "written by a transaction held open"}');
            SELECT set_config('application_name', 'rel-holder ' || pg_current_xact_id()::text, false);
            """)
        holder.stdin.flush()
        held = None
        deadline = time.monotonic() + 10
        while held is None and time.monotonic() < deadline:
            text = psql(self.url, "SELECT split_part(application_name, ' ', 2) FROM pg_stat_activity "
                                  "WHERE application_name LIKE 'rel-holder %'").strip()
            held = int(text) if text else None
            time.sleep(0.1)
        if held is None:
            self.result.failures.append("the holding transaction did not start")
            holder.stdin.close()
            holder.wait()
            self.finished = True
            return
        log(f"{self.name}: transaction {held} holds the horizon (at least {hold} s, until the fan-out reaches it)")
        # Changes committed after it began: the fan-out must not pass them while it is open.
        for _ in range(3):
            psql(self.url, Workload.changes_sql(1_000_001, 1_000_050))
        samples = []
        began = time.monotonic()
        sent_before = None
        while holder.poll() is None and time.monotonic() - began < self.suite.timeout / 2:
            state = psql_json(self.url, f"""
                SELECT json_build_object(
                  'cursor_txid', (SELECT last_txid::text::bigint FROM tidings.cursors WHERE name = 'fanout'),
                  'waiting_before', (SELECT count(*) FROM tidings.changes c, tidings.cursors k WHERE k.name = 'fanout'
                                     AND c.txid < '{held}'::xid8 AND (c.txid, c.id) > (k.last_txid, k.last_id)),
                  'waiting_after', (SELECT count(*) FROM tidings.changes c, tidings.cursors k WHERE k.name = 'fanout'
                                    AND c.txid > '{held}'::xid8 AND (c.txid, c.id) > (k.last_txid, k.last_id)),
                  'outbox_sent', (SELECT count(*) FROM tidings.outbox WHERE status = 'sent'))
                """)
            samples.append(state)
            sent_before = state["outbox_sent"] if sent_before is None else sent_before
            if state["cursor_txid"] >= held:
                self.result.failures.append(f"the fan-out cursor passed the open transaction {held}: {state}")
                break
            if time.monotonic() - began >= hold and state["waiting_before"] == 0 and state["waiting_after"] > 0:
                break
            time.sleep(0.5)
        held_for = time.monotonic() - began
        holder.stdin.write(b"COMMIT;\n")
        holder.stdin.close()
        holder.wait()
        if holder.returncode != 0:
            self.result.failures.append(f"the holding transaction failed: {holder.stderr.read().decode(errors='replace')}")
        last = samples[-1] if samples else {}
        if not last or last["waiting_after"] == 0:
            self.result.failures.append(f"no committed change waited behind the open transaction: {last}")
        if last and last["waiting_before"] != 0:
            self.result.failures.append(f"the fan-out did not reach the open transaction: {last}")
        self.result.events["held_s"] = round(held_for)
        self.result.notes.append(
            f"while transaction {held} was open ({held_for:.0f} s, {len(samples)} samples): the cursor stayed below it "
            f"(last {last.get('cursor_txid')}), {last.get('waiting_after')} committed later changes waited, "
            f"{last.get('waiting_before')} earlier ones were left, the outbox went on sending "
            f"({(last.get('outbox_sent') or 0) - (sent_before or 0)} sent meanwhile)")
        self.finished = True

    def injection_finished(self):
        return getattr(self, "finished", False)


SCENARIOS = [Scenario, KillScenario, PostgresRestartScenario, SMTPOutageScenario, LongTransactionScenario]


class Suite:
    def __init__(self, args):
        self.binary = os.path.abspath(args.binary)
        self.run_dir = args.run_dir
        self.workload = Workload(args.outbox, args.changes)
        self.timeout = args.timeout
        self.hold_seconds = args.hold
        self.cluster = None

    def daemon_environment(self, url, name):
        config = os.path.join(self.run_dir, f"{name}.yaml")
        with open(config, "w") as handle:
            handle.write(f"""# The reliability suite's daemons: short timers so faults resolve within the run.
database:
  connect_retry_max_seconds: 2
smtp:
  workers: {WORKERS_PER_DAEMON}
  timeout_seconds: 10
  connect_timeout_seconds: 2
mail:
  message_id_domain: {name}.reliability.test
digests:
  default_cadence: immediate
  immediate_window_seconds: 2
delivery:
  # Retries every 0.5-2 s: a 30 s outage uses up to ~20 attempts, so allow plenty.
  max_attempts: 100
  backoff_base_seconds: 0.5
  backoff_max_seconds: 2
  lease_seconds: 30
daemon:
  poll_interval_seconds: 0.5
  heartbeat_seconds: 1
  dead_after_seconds: 5
  shutdown_grace_seconds: {SHUTDOWN_GRACE}
""")
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.run_dir,
            "TIDINGS_CONFIG": config,
            "TIDINGS_DATABASE_URL": url,
            "TIDINGS_SMTP_URL": "smtp://127.0.0.1:1",
            "TIDINGS_TEMPLATES": os.path.join(REPO, "templates"),
            "TIDINGS_FROM": '"Tidings CRM" <crm@reliability.test>',
            "TIDINGS_LOG_LEVEL": "info",
        }


def table(results):
    header = ["scenario", "expected", "outbox", "digests", "received", "duplicates", "allowed", "lost",
              "unexpected", "seconds", "msg/s", "events", "result"]
    rows = []
    for result in results:
        s = result.summary()
        events = ", ".join(f"{k}={v}" for k, v in s["events"].items()) or "-"
        rows.append([s["scenario"], s["expected"], s["outbox"], s["digests"], s["received"], s["duplicates"],
                     s["allowed"], s["lost"], s["unexpected"], s["seconds"], s["per_second"], events,
                     "ok" if s["ok"] else "FAILED"])
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(header, widths))]
    lines += ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the tidings executable")
    parser.add_argument("--run-dir", required=True, help="folder for the cluster, logs and results")
    parser.add_argument("--outbox", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=5000)
    parser.add_argument("--timeout", type=float, default=600, help="seconds a scenario may take to drain")
    parser.add_argument("--hold", type=float, default=15, help="seconds the long transaction stays open")
    parser.add_argument("--scenarios", default=",".join(s.name for s in SCENARIOS))
    parser.add_argument("--json", help="write the results here as JSON")
    args = parser.parse_args()

    wanted = args.scenarios.split(",")
    unknown = set(wanted) - {s.name for s in SCENARIOS}
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    suite = Suite(args)
    log(f"reliability suite: {args.outbox} outbox rows and {args.changes} changes per scenario, {DAEMONS} daemons "
        f"of {WORKERS_PER_DAEMON} send workers, {USERS} users, {DEALS} deals; binary {suite.binary}")
    results = []
    try:
        suite.cluster = Cluster(args.run_dir)
        for scenario_type in SCENARIOS:
            if scenario_type.name not in wanted:
                continue
            try:
                result = scenario_type(suite).run()
            except Exception as error:  # report it and go on with the next scenario
                result = Result(scenario_type.name)
                result.failures.append(f"the scenario could not run: {error!r}")
            results.append(result)
            s = result.summary()
            log(f"{result.name}: {'ok' if s['ok'] else 'FAILED'} in {s['seconds']} s: expected {s['expected']} "
                f"({s['outbox']} outbox, {s['digests']} digests), received {s['received']}, duplicates {s['duplicates']} "
                f"(allowed {s['allowed']}), lost {s['lost']}, unexpected {s['unexpected']}")
            for note in result.notes:
                log(f"  note: {note}")
            for failure in result.failures:
                log(f"  FAILURE: {failure}")
    finally:
        if suite.cluster:
            suite.cluster.destroy()
    print()
    print(table(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump([dict(r.summary(), numbers=r.numbers, notes=r.notes, failures=r.failures) for r in results],
                      handle, indent=2)
    return 0 if results and all(not r.failures for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
