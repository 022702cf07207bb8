#!/usr/bin/env python3
"""The demo's customers answer: the primary contact of a deal email that has participants
replies, and one participant replies to all, as mail clients write them (In-Reply-To and
References, the quoted history under "Em … escreveu:" / "On … wrote:"). Each reply goes to the
deal's signed reply address from the email's Reply-To, delivered into the demo's Dovecot over
LMTP as a mail server would, where the daemon's inbound loop reads it.

usage: replies.py MAILDIR LMTP_PORT"""
import email
import email.policy
import email.utils
import os
import smtplib
import sys
from email.message import EmailMessage


def deal_email_with_participants(maildir):
    folder = os.path.join(maildir, "new")
    for name in sorted(os.listdir(folder), key=lambda n: os.stat(os.path.join(folder, n)).st_mtime):
        with open(os.path.join(folder, name), "rb") as handle:
            message = email.message_from_bytes(handle.read(), policy=email.policy.default)
        if message.get("Auto-Submitted") or not message["Cc"] or not message["Reply-To"]:
            continue
        return message
    return None


def reply(original, sender, recipients, text, quote_intro, message_id):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(str(a) for a in recipients)
    message["Subject"] = "Re: " + str(original["Subject"])
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = message_id
    message["In-Reply-To"] = original["Message-ID"]
    message["References"] = " ".join(filter(None, [original.get("References"), original["Message-ID"]]))
    quoted = "\n".join("> " + line for line in original.get_body(("plain",)).get_content().splitlines())
    message.set_content(f"{text}\n\n{quote_intro}\n{quoted}\n")
    return message


def main(maildir, lmtp_port):
    original = deal_email_with_participants(maildir)
    if original is None:
        print("demo: no deal email with participants to answer", file=sys.stderr)
        return 1
    author, tagged = original["Reply-To"].addresses[0], original["Reply-To"].addresses[-1]
    customer = original["To"].addresses[0]
    participant = original["Cc"].addresses[0]
    domain = customer.addr_spec.split("@", 1)[1]
    customer_reply = reply(
        original, customer, [author, tagged],
        "Bom dia Ana,\n\nPodemos avançar com a proposta. Enviem o contrato para assinatura.\n\nCumprimentos,\n"
        + customer.display_name,
        f"Em {original['Date']}, {author.display_name} <{author.addr_spec}> escreveu:",
        email.utils.make_msgid("reply", domain))
    reply_all = reply(
        original, participant, [author, tagged, customer],
        "Agreed — legal has reviewed the terms and we are fine with the 12-month commitment.",
        f"On {original['Date']}, {author.display_name} <{author.addr_spec}> wrote:",
        email.utils.make_msgid("replyall", domain))
    with smtplib.LMTP("127.0.0.1", int(lmtp_port)) as lmtp:
        for message, sender in ((customer_reply, customer), (reply_all, participant)):
            # Only the reply address is ours to deliver: the author's copy goes to their own mailbox.
            lmtp.sendmail(sender.addr_spec, [tagged.addr_spec], message.as_bytes(policy=email.policy.SMTP))
            print(f"    {sender.display_name} <{sender.addr_spec}> replied to \"{original['Subject']}\"")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
