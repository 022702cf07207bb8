#!/usr/bin/env python3
"""A recording SMTP server for Tidings' tests, built on aiosmtpd.

Every accepted message is written to the spool folder as NNNNNN.eml (the exact bytes received,
after dot-unstuffing) and NNNNNN.json (envelope, connection id, whether TLS and AUTH were used),
the JSON renamed into place last so a reader never sees half a record.

Recipients steer the server, so one instance serves many tests at once:
  reject-*@...            RCPT answered 550 5.1.1 (permanent)
  busy-*@...              RCPT answered 450 4.2.1 (transient)
  greylist-N-*@...        RCPT answered 451 4.7.1 (greylisted) the first N times that address is
                          given, accepted after (a recipient refused temporarily, then accepted)
  data-reject-*@...       the message answered 554 5.7.1 after the final dot
  data-tempfail-*@...     the message answered 451 4.3.0 after the final dot, every time
  data-toolarge-*@...     the message answered 552 5.3.4 (too large) after the final dot
  tempfail-once-TOKEN@... the first message for TOKEN answered 451 after the dot, later ones accepted
  slow-MS-*@...           the reply to the final dot waits MS milliseconds; the moment the
                          data has arrived, an empty file spool/arrived/LOCALPART says so

Each connection that ends leaves an empty file spool/closed/CONNECTION (the "connection" of its
messages' records), so a test can wait for the server to have dropped a client.

With --max-recipients N the server takes at most N recipients per transaction and answers
every further RCPT with 452 4.5.3 "too many recipients" (RFC 5321 4.5.3.1.10), like Postfix's
smtpd_recipient_limit.

With --pipelining the server offers PIPELINING (RFC 2920) and holds its reply to every final dot
for 150 ms; each record's "next_command_waiting" says whether the client's next command had
arrived by then — sent behind the message's data without waiting for the reply, as a client
pipelining across messages does.

The sender steers it too:
  drop-reused-*@...       on a connection that already delivered a message, MAIL FROM is
                          answered by closing the connection without a reply (a server that
                          dropped an idle client just as it started the next transaction)
"""
import argparse
import asyncio
import itertools
import json
import os
import re
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

SEQUENCE = itertools.count(1)
TEMPFAILED_TOKENS = set()
GREYLIST_SEEN = {}


def local_part(address):
    return address.rsplit("@", 1)[0].lower()


def connection_id(name, session):
    """One SMTP session is one TCP connection: its client port and identity name it."""
    return f"{name}:{session.peer[1] if session.peer else '?'}:{id(session):x}"


def touch(folder, name):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb"):
        pass


class RecordingHandler:
    def __init__(self, spool, name, max_recipients=None, pipelining=False):
        self.spool = spool
        self.name = name
        self.max_recipients = max_recipients
        self.pipelining = pipelining
        os.makedirs(spool, exist_ok=True)
        if pipelining:
            # aiosmtpd looks the hook up on the handler; it is not wanted by the other servers.
            self.handle_EHLO = self.offer_pipelining

    async def offer_pipelining(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:-1] + ["250-PIPELINING"] + responses[-1:]

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if local_part(address).startswith("drop-reused-") and getattr(session, "tidings_delivered", 0) > 0:
            server.transport.close()
            return "421 4.4.2 closing (never seen: the connection is already closed)"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = local_part(address)
        if local.startswith("reject-"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if local.startswith("busy-"):
            return f"450 4.2.1 <{address}>: Mailbox busy, try again later"
        greylist = re.match(r"greylist-(\d+)-", local)
        if greylist:
            seen = GREYLIST_SEEN.get(address.lower(), 0)
            GREYLIST_SEEN[address.lower()] = seen + 1
            if seen < int(greylist.group(1)):
                return f"451 4.7.1 <{address}>: Recipient address rejected: Greylisted, try again later"
        if self.max_recipients is not None and len(envelope.rcpt_tos) >= self.max_recipients:
            return "452 4.5.3 Error: too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        locals_ = [local_part(r) for r in envelope.rcpt_tos]
        for local in locals_:
            match = re.match(r"slow-(\d+)-", local)
            if match:
                touch(os.path.join(self.spool, "arrived"), local)
                await asyncio.sleep(int(match.group(1)) / 1000.0)
        for local in locals_:
            if local.startswith("data-reject-"):
                return "554 5.7.1 Message rejected: content refused by policy"
            if local.startswith("data-toolarge-"):
                return "552 5.3.4 Message size exceeds fixed maximum message size"
            if local.startswith("data-tempfail-"):
                return "451 4.3.0 Temporary failure, please retry"
            if local.startswith("tempfail-once-"):
                token = local[len("tempfail-once-"):]
                if token not in TEMPFAILED_TOKENS:
                    TEMPFAILED_TOKENS.add(token)
                    return "451 4.3.0 Temporary failure (first attempt), please retry"
        next_waiting = None
        if self.pipelining:
            await asyncio.sleep(0.15)
            # aiosmtpd reads the client's bytes into its stream reader's buffer; what sits there
            # now was sent before this reply.
            next_waiting = len(server._reader._buffer) > 0
        session.tidings_delivered = getattr(session, "tidings_delivered", 0) + 1
        number = next(SEQUENCE)
        stem = os.path.join(self.spool, f"{self.name}-{os.getpid()}-{number:07d}")
        raw = envelope.original_content or envelope.content
        with open(stem + ".eml", "wb") as handle:
            handle.write(raw)
        auth = session.auth_data
        if isinstance(auth, LoginPassword):
            auth = auth.login.decode("utf-8", "replace")
        record = {
            "server": self.name,
            "connection": connection_id(self.name, session),
            "peer": list(session.peer) if session.peer else None,
            # STARTTLS sets session.ssl; implicit TLS (smtps) shows on the transport.
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "auth_user": auth if isinstance(auth, str) else None,
            "auth_mechanism": getattr(session, "tidings_auth_mechanism", None),
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "size": len(raw),
            "received_at": time.time(),
            "eml": os.path.basename(stem + ".eml"),
        }
        if next_waiting is not None:
            record["next_command_waiting"] = next_waiting
        with open(stem + ".json.tmp", "w") as handle:
            json.dump(record, handle)
        os.rename(stem + ".json.tmp", stem + ".json")
        return "250 2.0.0 OK queued as " + os.path.basename(stem)


class PasswordAuthenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if auth_data.login == self.user and auth_data.password == self.password:
            session.tidings_auth_mechanism = mechanism
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


def server_tls_context(args):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    return context


class RecordingSMTP(SMTP):
    """aiosmtpd's server, marking each connection that ends (spool/closed/CONNECTION)."""

    def connection_lost(self, error):
        session = self.session
        super().connection_lost(error)
        if session is not None:
            touch(os.path.join(self.event_handler.spool, "closed"), connection_id(self.event_handler.name, session))


class TidingsController(Controller):
    def __init__(self, handler, args, **kwargs):
        self.args = args
        super().__init__(handler, **kwargs)

    def factory(self):
        options = dict(
            hostname="tidings-test-smtp",
            timeout=self.args.idle_timeout,
            data_size_limit=64 * 1024 * 1024,
        )
        starttls = bool(self.args.cert) and not self.args.implicit_tls
        if starttls:
            options.update(tls_context=server_tls_context(self.args), require_starttls=True)
        if self.args.auth:
            user, password = self.args.auth.split(":", 1)
            options.update(
                authenticator=PasswordAuthenticator(user, password),
                auth_required=True,
                # With implicit TLS the whole session is encrypted before aiosmtpd sees it.
                auth_require_tls=starttls,
            )
        return RecordingSMTP(self.handler, **options)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spool", required=True)
    parser.add_argument("--name", default="smtp")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth", help="USER:PASSWORD; AUTH PLAIN and LOGIN become required")
    parser.add_argument("--idle-timeout", type=float, default=300)
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (smtps), with --cert/--key")
    parser.add_argument("--max-recipients", type=int, help="accept at most N recipients per transaction (452 4.5.3 after)")
    parser.add_argument("--pipelining", action="store_true", help="offer PIPELINING and record whether the client pipelines across messages")
    args = parser.parse_args()
    extra = {"ssl_context": server_tls_context(args)} if args.implicit_tls else {}
    controller = TidingsController(RecordingHandler(args.spool, args.name, args.max_recipients, args.pipelining), args, hostname="127.0.0.1", port=args.port, **extra)
    controller.start()
    print(f"{args.name} listening on 127.0.0.1:{args.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
