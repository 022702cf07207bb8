#!/usr/bin/env python3
"""Parses a Prometheus text exposition (format 0.0.4) with prometheus_client's parser, the
reference Python client's own reader, an independent check of what `GET /metrics` and
`tidings run --once --metrics-file` write. Prints one JSON object: each family's name, type
and help, and each sample's name, labels and value. Exits 1 naming the problem when the text
does not parse, or when a sample has no family declared by a TYPE line (the parser then calls
it "unknown")."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main(path):
    with open(path, encoding="utf-8") as file:
        text = file.read()
    families = []
    try:
        for family in text_string_to_metric_families(text):
            if family.type == "unknown":
                raise ValueError(f"{family.name}: no TYPE line")
            families.append({
                "name": family.name,
                "type": family.type,
                "help": family.documentation,
                "samples": [
                    {"name": s.name, "labels": s.labels, "value": None if math.isnan(s.value) else s.value}
                    for s in family.samples
                ],
            })
    except Exception as error:  # the parser raises ValueError and friends, with the bad line
        print(f"not a valid exposition: {error}", file=sys.stderr)
        return 1
    json.dump({"families": families}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
