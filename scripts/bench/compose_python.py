#!/usr/bin/env python3
"""The peer of Tidings' composition: Python's `email` package composing the same message.

For each .eml that `tidings-bench compose --write-samples` wrote, takes its headers (decoded
values, in order) and its text and HTML bodies, then times building it again the usual way:
EmailMessage(policy=policy.default), the headers assigned, set_content(text),
add_alternative(html, subtype="html"), as_bytes(). Rendering is not asked of Python: it gets the
bodies Tidings rendered. Prints one line per message like tidings-bench's, timed the same way:
in the thread's CPU time (wall time printed too).

    compose_python.py ITERATIONS FILE.eml...
"""
import email
import sys
import time
from email import policy
from email.message import EmailMessage

MIME_HEADERS = {"mime-version", "content-type", "content-transfer-encoding"}


def parts(path):
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    headers = [(name, str(value)) for name, value in message.items() if name.lower() not in MIME_HEADERS]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return headers, text, html


def compose(headers, text, html):
    message = EmailMessage(policy=policy.default)
    for name, value in headers:
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message.as_bytes()


def main():
    iterations = int(sys.argv[1])
    for path in sys.argv[2:]:
        headers, text, html = parts(path)
        size = len(compose(headers, text, html))
        for _ in range(min(200, iterations)):
            compose(headers, text, html)
        start, cpu_start = time.perf_counter(), time.thread_time()
        for _ in range(iterations):
            compose(headers, text, html)
        cpu, wall = time.thread_time() - cpu_start, time.perf_counter() - start
        name = path.rsplit("/", 1)[-1].removesuffix(".eml")
        print(f"message={name} bytes={size} iterations={iterations} cpu_seconds={cpu:.3f} wall_seconds={wall:.3f} "
              f"us_per_msg={cpu * 1e6 / iterations:.3f} msgs_per_sec={round(iterations / cpu)}")


if __name__ == "__main__":
    main()
