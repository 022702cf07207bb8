#!/usr/bin/env python3
"""Decodes received messages with Python's email package (policy.default), an independent
parser, for the inbound parser's cross-check (Tests/TidingsCoreTests/Inbound). Prints one JSON
list with, per file given: the decoded Subject, the first From mailbox's display name and
address, the text body's content type and the text a reader sees.

The body is chosen by get_body(("plain", "html")). An HTML body is turned to text here by a
small html.parser pass (script, style, head and title dropped, a line end at block elements,
character references decoded), so only the words can be compared, not the layout.
"""
import email
import email.policy
import html.parser
import json
import sys

BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5",
         "h6", "blockquote", "hr", "pre", "dd", "dt", "dl", "section", "article", "header", "footer",
         "address", "center", "form", "body", "html", "caption", "td", "th"}
SKIPPED = {"script", "style", "head", "title"}


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skipping = None

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            return
        if tag in SKIPPED:
            self.skipping = tag
        elif tag in BLOCK:
            self.out.append("\n")

    def handle_startendtag(self, tag, attrs):
        if not self.skipping and tag in BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping:
                self.skipping = None
            return
        if tag in BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(data)


def describe(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    subject = str(message["subject"]) if message["subject"] is not None else ""
    sender = {"name": None, "address": None}
    if message["from"] is not None and message["from"].addresses:
        mailbox = message["from"].addresses[0]
        sender = {"name": mailbox.display_name or None, "address": mailbox.addr_spec}
    body = message.get_body(preferencelist=("plain", "html"))
    text, kind = "", None
    if body is not None:
        kind = body.get_content_type()
        text = body.get_content().replace("\r\n", "\n").replace("\r", "\n")
        if kind == "text/html":
            parser = Text()
            parser.feed(text)
            parser.close()
            text = "".join(parser.out)
    return {"subject": subject, "from": sender, "type": kind, "text": text}


results = []
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        results.append(describe(handle.read()))
json.dump(results, sys.stdout, ensure_ascii=False)
