#!/usr/bin/env python3
"""Summarises what the demo's Maildir received: deal emails to customers (To the primary
contact, Cc the participants), the scheduled one marked with its time, and digests to
collaborators, read back with Python's email package (an independent parser) and checked for
defects.

DEMO_SCHEDULED: the outbox rows with a send_at, one a line, "<message-id or -> <send_at>"."""
import email
import email.policy
import os
import re
import sys

# The reference CRM's stage codes, which no digest should show: its labels name them
# (tidings.directory_labels) in each reader's language.
RAW_STAGE = re.compile(r"(?:stage (?:from|to)|fase (?:de|para)|etapa (?:de|para)|Stage:|Fase:|Etapa:) "
                       r"(?:new|contacted|qualified|disqualified|prospecting|qualification|proposal|negotiation|won|lost)\b")
CATCH_UP = ("Before you joined", "Antes de se juntar", "Antes de você entrar")


def short(addresses):
    return ", ".join(a.display_name or a.addr_spec for a in addresses) if addresses else ""


def bare(message_id):
    return (message_id or "").strip().strip("<>")


def main(maildir):
    scheduled = {}
    for line in os.environ.get("DEMO_SCHEDULED", "").splitlines():
        if line.strip():
            message_id, _, send_at = line.strip().partition(" ")
            scheduled[bare(message_id)] = send_at
    found_scheduled = set()
    folder = os.path.join(maildir, "new")
    names = sorted(os.listdir(folder), key=lambda n: os.stat(os.path.join(folder, n)).st_mtime)
    deal_emails, digests, defects, languages = [], [], [], set()
    telling_replies = 0
    crm_words, catch_ups, raw_codes = [], 0, []
    for name in names:
        with open(os.path.join(folder, name), "rb") as handle:
            message = email.message_from_bytes(handle.read(), policy=email.policy.default)
        for part in message.walk():
            defects.extend(f"{name}: {d}" for d in part.defects)
        to = message["To"].addresses if message["To"] else ()
        cc = message["Cc"].addresses if message["Cc"] else ()
        reply_to = message["Reply-To"].addresses if message["Reply-To"] else ()
        send_at = scheduled.get(bare(message.get("Message-ID")))
        if send_at:
            found_scheduled.add(bare(message.get("Message-ID")))
        files = [f"{part.get_filename()} ({part.get_content_disposition()}, {len(part.get_payload(decode=True))} bytes)"
                 for part in message.walk() if part.get_filename()]
        row = (short(to), short(cc), str(message["Subject"]), message.get("In-Reply-To", ""),
               ", ".join(a.addr_spec for a in reply_to), send_at, files)
        (digests if message.get("Auto-Submitted") else deal_emails).append(row)
        if message.get("Auto-Submitted"):
            text = message.get_body(preferencelist=("plain",))
            if text and any(word in text.get_content() for word in ("replied", "respondeu")):
                telling_replies += 1
            body = text.get_content() if text else ""
            crm_words += [line.strip(" -") for line in body.splitlines() if "mudou a fase de" in line]
            catch_ups += any(marker in body for marker in CATCH_UP)
            raw_codes += [f"{short(to)}: {match.group(0)}" for match in RAW_STAGE.finditer(body)]
            html = message.get_body(preferencelist=("html",))
            languages.add(html.get_content().split('lang="', 1)[-1].split('"', 1)[0] if html else "?")

    print(f"\nDeal emails to customers ({len(deal_emails)}): To the primary contact, Cc the other participants")
    for to, cc, subject, _, reply_to, send_at, files in deal_emails:
        print(f"  To: {to}")
        if cc:
            print(f"    Cc: {cc}")
        print(f"    Subject: {subject}")
        if reply_to:
            print(f"    Reply-To: {reply_to}  (the author, and the deal's signed reply address)")
        for file in files:
            print(f"    File: {file}")
        if send_at:
            print(f"    Scheduled for {send_at} (send_at): held until then, sent when the demo fast-forwarded")
    print(f"\nDigests to collaborators ({len(digests)}), in each reader's language and time zone")
    for to, _, subject, reply, *_ in digests:
        threaded = "  (threaded under the deal)" if reply else ""
        print(f"  {to:<16} {subject}{threaded}")
    total = len(deal_emails) + len(digests)
    if defects:
        print(f"\n{len(defects)} defects found by Python's email package:")
        for defect in defects:
            print("  " + defect)
        return 1
    print(f"\nDigests that tell of a customer's or participant's reply: {telling_replies}")
    print("\nIn the CRM's words (tidings.directory_labels), e.g. a pt-PT digest:")
    for line in sorted(set(crm_words))[:3]:
        print(f"  {line}")
    print(f"Digests that catch a new collaborator up (\"Before you joined\"): {catch_ups}")
    print(f"\nAll {total} messages parse without a defect in Python's email package.")
    # The demo shows what it promises, or says it did not.
    problems = []
    if not deal_emails:
        problems.append("no deal email arrived")
    elif not any(cc for _, cc, *_ in deal_emails):
        problems.append("no deal email had participants in Cc")
    elif not any(files for *_, files in deal_emails):
        problems.append("no deal email carried its files")
    if not digests:
        problems.append("no digest arrived")
    elif not telling_replies:
        problems.append("no digest told of the replies")
    if not any("mudou a fase de Proposta para Negociação" in line for line in crm_words):
        problems.append("no pt-PT digest reads 'mudou a fase de Proposta para Negociação'")
    if raw_codes:
        problems.append("digests show raw stage codes: " + "; ".join(raw_codes[:5]))
    if not catch_ups:
        problems.append("no digest caught a new collaborator up")
    if len(found_scheduled) < len(scheduled):
        problems.append("the scheduled email was not sent at the fast-forward")
    missing = {"en", "pt-PT", "pt-BR"} - languages
    if missing:
        problems.append("no digest in " + ", ".join(sorted(missing)))
    for problem in problems:
        print(f"demo: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
