#!/usr/bin/env python3
"""Scores every message in a Maildir with SpamAssassin (`spamassassin -L -t`, local tests only)
and fails when a rule fires that scripts/testenv/spamassassin-rules.tsv does not allow, or when
a rule of kind `designed` costs points. scripts/test.sh runs it on the demo's Maildir, so every
message of the demo is judged, beside SpamAssassinTests' own messages.

Usage: spam_check.py MAILDIR"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def allowed_rules():
    rules = {}
    with open(os.path.join(HERE, "spamassassin-rules.tsv"), encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            name, kind, _reason = line.rstrip("\n").split("\t", 2)
            rules[name] = kind
    return rules


def fired(report):
    """(rule, points) of the report's "Content analysis details" table."""
    table = report.split("Content analysis details:")[-1]
    return [(m.group(2), float(m.group(1)))
            for m in re.finditer(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s", table, re.M)]


def main(maildir):
    allowed = allowed_rules()
    folder = os.path.join(maildir, "new")
    names = sorted(os.listdir(folder))
    if not names:
        print(f"spam_check: no messages in {folder}", file=sys.stderr)
        return 1
    problems = []
    with tempfile.TemporaryDirectory() as home:
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                raw = handle.read()
            report = subprocess.run(["spamassassin", "-L", "-t"], input=raw, capture_output=True,
                                    env={"HOME": home, "PATH": "/usr/bin:/bin"}).stdout.decode("utf-8", "replace")
            rules = fired(report)
            if not rules:
                problems.append(f"{name}: no SpamAssassin report")
            for rule, points in rules:
                kind = allowed.get(rule)
                if kind is None:
                    problems.append(f"{name}: {rule} ({points})")
                elif kind == "designed" and points > 0:
                    problems.append(f"{name}: {rule} costs {points} points")
    for problem in problems:
        print(f"spam_check: {problem}", file=sys.stderr)
    print(f"spam_check: {len(names)} messages scored by SpamAssassin, "
          f"{'no rule about their form' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
