#!/usr/bin/env python3
"""A lean recording SMTP sink for the reliability suite.

It accepts every message and, before answering the final dot with 250, appends one line per
message to a log file opened with O_APPEND:

    <Message-ID>\t<Subject>\t<number of recipients>\n

so the suite can count how many times each Message-ID arrived (duplicates included), which
Smtp-sink cannot tell and the aiosmtpd recording server (one .eml and one .json per message)
is too slow to tell at 20,000+ messages. A message counts as received once its line is
written; a client that dies before it sees the 250 will send it again, and the log shows the
duplicate.

Kill it (any signal) to take the "SMTP server" down; start it again with the same --port and
--log to bring it back: the socket is bound with SO_REUSEADDR and the log is appended to.

Only what libcurl's SMTP client uses is spoken: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
"""
import argparse
import asyncio
import os
import signal
import sys

MAX_MESSAGE = 64 * 1024 * 1024


def header_value(head, name):
    """The unfolded value of the first header `name` (bytes, case-insensitive) in `head`."""
    wanted = name.lower() + b":"
    lines = head.split(b"\r\n")
    for index, line in enumerate(lines):
        if line[: len(wanted)].lower() == wanted:
            value = line[len(wanted):]
            for following in lines[index + 1:]:
                if following[:1] in (b" ", b"\t"):
                    value += following
                else:
                    break
            return value.strip()
    return b""


class Sink:
    def __init__(self, log_path, hostname):
        self.log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.hostname = hostname.encode()
        self.accepted = 0

    def record(self, data, recipients):
        end = data.find(b"\r\n\r\n")
        head = data if end < 0 else data[:end]
        message_id = header_value(head, b"Message-ID").replace(b"\t", b" ")
        subject = header_value(head, b"Subject").replace(b"\t", b" ")
        # One write per message: O_APPEND keeps concurrent lines whole.
        os.write(self.log, message_id + b"\t" + subject + b"\t" + str(recipients).encode() + b"\n")
        self.accepted += 1

    async def handle(self, reader, writer):
        try:
            await self.converse(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def converse(self, reader, writer):
        writer.write(b"220 " + self.hostname + b" ESMTP reliability sink\r\n")
        recipients = 0
        sender = False
        while True:
            line = await reader.readuntil(b"\r\n")
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(b"250-" + self.hostname + b"\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 67108864\r\n")
            elif verb == b"HELO":
                writer.write(b"250 " + self.hostname + b"\r\n")
            elif verb == b"MAIL":
                sender, recipients = True, 0
                writer.write(b"250 2.1.0 OK\r\n")
            elif verb == b"RCPT":
                if not sender:
                    writer.write(b"503 5.5.1 MAIL first\r\n")
                else:
                    recipients += 1
                    writer.write(b"250 2.1.5 OK\r\n")
            elif verb == b"DATA":
                if recipients == 0:
                    writer.write(b"503 5.5.1 RCPT first\r\n")
                    continue
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                data = await reader.readuntil(b"\r\n.\r\n")
                self.record(data, recipients)
                sender, recipients = False, 0
                writer.write(b"250 2.0.0 OK accepted\r\n")
            elif verb == b"RSET":
                sender, recipients = False, 0
                writer.write(b"250 2.0.0 OK\r\n")
            elif verb == b"NOOP":
                writer.write(b"250 2.0.0 OK\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 2.0.0 Bye\r\n")
                await writer.drain()
                return
            else:
                writer.write(b"500 5.5.2 command not recognized\r\n")
            await writer.drain()


async def serve(args):
    sink = Sink(args.log, args.hostname)
    server = await asyncio.start_server(sink.handle, "127.0.0.1", args.port, reuse_address=True,
                                        limit=MAX_MESSAGE, backlog=256)
    print(f"reliability sink listening on 127.0.0.1:{args.port}, logging to {args.log}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    async with server:
        await stop.wait()
    print(f"reliability sink stopping after {sink.accepted} messages", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True, help="file to append one line per accepted message to")
    parser.add_argument("--hostname", default="reliability-sink")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
