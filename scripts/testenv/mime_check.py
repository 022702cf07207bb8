#!/usr/bin/env python3
"""Parses messages with Python's email package (policy.default), an independent parser, and
reports what a mail client would see: decoded headers, each part's content type and decoded
content, and every defect found on any part. Prints one JSON object per file given, in a list.

Also checks the wire form itself: CRLF line ends only, 7-bit bytes only, no line over 998 octets.
With --lf first, the files are messages stored as files (Maildir): LF line ends only, no CR at all.
"""
import email
import email.policy
import hashlib
import json
import sys


def wire_problems(raw, ending=b"\r\n"):
    problems = []
    if any(b > 127 for b in raw):
        problems.append("non-ASCII byte on the wire")
    if b"\x00" in raw:
        problems.append("NUL byte on the wire")
    name = "CRLF" if ending == b"\r\n" else "LF"
    text = raw.replace(ending, b"")
    if b"\r" in text or b"\n" in text:
        problems.append(f"a CR or LF that is not part of a {name} line end")
    for number, line in enumerate(raw.split(ending), 1):
        if len(line) > 998:
            problems.append(f"line {number} is {len(line)} octets")
    if not raw.endswith(ending):
        problems.append(f"message does not end with {name}")
    return problems


# Outlook reads an attachment's name only from Content-Type's `name="=?UTF-8?B?...?="`, an
# RFC 2047 encoded-word inside a quoted string, which RFC 2047 itself forbids and which every
# client that names non-ASCII attachments writes anyway (Thunderbird, Gmail); Python decodes it
# but notes these two defects on the header. They are excused there alone: the RFC 2231
# `filename*` on Content-Disposition, which Python reads first, must be clean.
LEGACY_NAME_DEFECTS = {"encoded word inside quoted string", "missing trailing whitespace after encoded-word"}


def legacy_name_form(part, name, defect):
    if name.lower() != "content-type" or str(defect) not in LEGACY_NAME_DEFECTS:
        return False
    raw = " ".join(value for key, value in part.raw_items() if key.lower() == "content-type")
    return 'name="=?' in "".join(raw.split())


def describe(raw, ending):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = []
    for name, value in message.items():
        headers.append([name, str(value)])
    parts = []
    defects = []
    for part in message.walk():
        for defect in part.defects:
            defects.append(f"{part.get_content_type()}: {type(defect).__name__}: {defect}")
        for name in part.keys():
            header = part[name]
            for defect in getattr(header, "defects", ()):
                if legacy_name_form(part, name, defect):
                    continue
                defects.append(f"header {name}: {type(defect).__name__}: {defect}")
        if part.is_multipart():
            parts.append({"content_type": part.get_content_type(), "multipart": True,
                          "boundary": part.get_boundary()})
            continue
        content = part.get_content()
        payload = part.get_payload(decode=True) or b""
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "content": content if isinstance(content, str) else content.decode("latin-1"),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "content_id": part.get("Content-ID"),
            "sha256": hashlib.sha256(payload).hexdigest(),
            "size": len(payload),
        })
    addresses = {}
    for name in ("From", "To", "Cc", "Reply-To", "Sender"):
        header = message[name]
        if header is not None:
            addresses[name] = [[a.display_name, a.addr_spec] for a in header.addresses]
    return {
        "headers": headers,
        "addresses": addresses,
        "parts": parts,
        "defects": defects,
        "wire_problems": wire_problems(raw, ending),
    }


def main():
    paths = sys.argv[1:]
    ending = b"\r\n"
    if paths[:1] == ["--lf"]:
        paths, ending = paths[1:], b"\n"
    results = []
    for path in paths:
        with open(path, "rb") as handle:
            results.append(describe(handle.read(), ending))
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
