#!/usr/bin/env python3
"""Prints the first "Mute this deal" link (http.public_url + /m/TOKEN) of the digests in a Maildir,
read from their decoded text parts as a mail client shows them."""
import email, email.policy, pathlib, re, sys

maildir, public_url = pathlib.Path(sys.argv[1]), sys.argv[2]
pattern = re.compile(re.escape(public_url) + r"/m/[A-Za-z0-9_.-]+")
for path in sorted((maildir / "new").iterdir()):
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    found = pattern.search(body.get_content() if body else "")
    if found:
        print(found.group(0))
        sys.exit(0)
sys.exit("no digest with a mute link in " + str(maildir))
