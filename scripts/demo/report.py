#!/usr/bin/env python3
"""Summarises what the demo's Maildir received: deal emails to customers (To the primary
contact, Cc the participants) and digests to collaborators, read back with Python's email
package (an independent parser) and checked for defects."""
import email
import email.policy
import os
import sys


def short(addresses):
    return ", ".join(a.display_name or a.addr_spec for a in addresses) if addresses else ""


def main(maildir):
    folder = os.path.join(maildir, "new")
    names = sorted(os.listdir(folder), key=lambda n: os.stat(os.path.join(folder, n)).st_mtime)
    deal_emails, digests, defects, languages = [], [], [], set()
    telling_replies = 0
    for name in names:
        with open(os.path.join(folder, name), "rb") as handle:
            message = email.message_from_bytes(handle.read(), policy=email.policy.default)
        for part in message.walk():
            defects.extend(f"{name}: {d}" for d in part.defects)
        to = message["To"].addresses if message["To"] else ()
        cc = message["Cc"].addresses if message["Cc"] else ()
        reply_to = message["Reply-To"].addresses if message["Reply-To"] else ()
        row = (short(to), short(cc), str(message["Subject"]), message.get("In-Reply-To", ""),
               ", ".join(a.addr_spec for a in reply_to))
        (digests if message.get("Auto-Submitted") else deal_emails).append(row)
        if message.get("Auto-Submitted"):
            text = message.get_body(preferencelist=("plain",))
            if text and any(word in text.get_content() for word in ("replied", "respondeu")):
                telling_replies += 1
            html = message.get_body(preferencelist=("html",))
            languages.add(html.get_content().split('lang="', 1)[-1].split('"', 1)[0] if html else "?")

    print(f"\nDeal emails to customers ({len(deal_emails)}): To the primary contact, Cc the other participants")
    for to, cc, subject, _, reply_to in deal_emails:
        print(f"  To: {to}")
        if cc:
            print(f"    Cc: {cc}")
        print(f"    Subject: {subject}")
        if reply_to:
            print(f"    Reply-To: {reply_to}  (the author, and the deal's signed reply address)")
    print(f"\nDigests to collaborators ({len(digests)}), in each reader's language and time zone")
    for to, _, subject, reply, _ in digests:
        threaded = "  (threaded under the deal)" if reply else ""
        print(f"  {to:<16} {subject}{threaded}")
    total = len(deal_emails) + len(digests)
    if defects:
        print(f"\n{len(defects)} defects found by Python's email package:")
        for defect in defects:
            print("  " + defect)
        return 1
    print(f"\nDigests that tell of a customer's or participant's reply: {telling_replies}")
    print(f"\nAll {total} messages parse without a defect in Python's email package.")
    # The demo shows what it promises, or says it did not.
    problems = []
    if not deal_emails:
        problems.append("no deal email arrived")
    elif not any(cc for _, cc, _, _, _ in deal_emails):
        problems.append("no deal email had participants in Cc")
    if not digests:
        problems.append("no digest arrived")
    elif not telling_replies:
        problems.append("no digest told of the replies")
    missing = {"en", "pt-PT", "pt-BR"} - languages
    if missing:
        problems.append("no digest in " + ", ".join(sorted(missing)))
    for problem in problems:
        print(f"demo: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
