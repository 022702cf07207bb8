#!/usr/bin/env python3
"""Prints scripts/bench.sh's results as a table and writes them as Markdown with the machine.

    table.py RESULTS.tsv OUTPUT.md "sizes line"

Each TSV row: key, tidings, peer, target, met, figure, and the ratio when bench.sh computed it
(the median of per-round ratios). Otherwise: values ending in " s" are times (ratio = peer /
tidings), " ms" and " MB" have no ratio, plain numbers are rates (ratio = tidings / peer).
"""
import datetime
import os
import platform
import re
import subprocess
import sys


def command(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "?"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        memory_kb = int(handle.readline().split()[1])
    os_name = "?"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as handle:
            for line in handle:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    swift = command("swift", "--version").splitlines()
    postfix = command("dpkg-query", "-W", "-f=${Version}", "postfix")
    return [
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", f"{cpu}, {os.cpu_count()} cores (nproc {command('nproc')})"),
        ("memory", f"{memory_kb / 1024 / 1024:.1f} GiB"),
        ("OS", f"{os_name}, kernel {platform.release()}"),
        ("Swift", swift[0] if swift else "?"),
        ("PostgreSQL", command("psql", "--version")),
        ("libcurl", command("curl-config", "--version") or command("pkg-config", "--modversion", "libcurl")),
        ("Postfix (smtp-source, smtp-sink)", postfix or "?"),
        ("Python", platform.python_version()),
        ("load average (1 min) at start / end", f"{os.environ.get('BENCH_LOAD_START', '?')} / {os.getloadavg()[0]:.2f}"),
    ]


def ratio(tidings, peer):
    time = re.fullmatch(r"([0-9.]+) s", tidings), re.fullmatch(r"([0-9.]+) s", peer)
    if all(time):
        return f"{float(time[1][1]) / float(time[0][1]):.2f}×"
    try:
        return f"{float(tidings) / float(peer):.2f}×"
    except ValueError:
        return "—"


def number(value):
    try:
        return f"{float(value):,.0f}"
    except ValueError:
        return value


def main():
    results, output, sizes = sys.argv[1:4]
    rows = []
    with open(results) as handle:
        for line in handle:
            key, tidings, peer, target, met, figure, measured, load = line.rstrip("\n").split("\t")
            shown = f"{float(measured):.2f}×" if measured else ratio(tidings, peer)
            rows.append((figure, number(tidings), number(peer), shown, target, met, load))
    header = ("figure", "tidings", "peer", "ratio", "target", "met", "load")

    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    print()
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
                        for i, (cell, width) in enumerate(zip(row, widths))))
    missed = [row[0] for row in rows if row[5] == "no"]
    print(f"(load: the 1-minute load average when the figure's part began, on {os.cpu_count()} CPUs)")
    print(f"\ntargets missed: {', '.join(missed) if missed else 'none'}")
    print(f"written to {output}")

    with open(output, "w") as handle:
        handle.write("| " + " | ".join(header) + " |\n")
        handle.write("| --- | ---: | ---: | ---: | --- | --- | ---: |\n")
        for row in rows:
            handle.write("| " + " | ".join(row) + " |\n")
        handle.write(f"\nload: the 1-minute load average when the figure's part began ({os.cpu_count()} CPUs).\n")
        handle.write(f"Sizes: {sizes}.\n\n")
        for name, value in machine():
            handle.write(f"- {name}: {value}\n")


if __name__ == "__main__":
    main()
