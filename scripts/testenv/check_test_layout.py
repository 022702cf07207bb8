#!/usr/bin/env python3
"""Checks that the tests mirror the sources (Tests/README.md), so `swift test --filter` on a
folder's target and prefix runs exactly that area:

- Pure unit tests live in the target named after their module (TidingsCoreTests, ...), tests that
  need PostgreSQL, an SMTP server or the `tidings` binary in IntegrationTests; a unit test file
  may not reach for the services scripts/test.sh starts.
- Below a target, a folder is named after a source folder (Sources/<Module>/<Folder>), a module
  (IntegrationTests/PostgresClient) or a repository folder (IntegrationTests/Deploy), and every
  suite in it is a type whose name starts with the folder's prefix: the folder name without a
  trailing "Client" or "s" (Digests -> Digest, PostgresClient -> Postgres). So
  `swift test --filter IntegrationTests.Digest` runs Tests/IntegrationTests/Digests.
- Support/ folders hold helpers only.

Exits 1 naming every file that breaks a rule."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parents[2]
tests = root / "Tests"
sources = root / "Sources"
helper_targets = {"TestSupport", "ServicesTestSupport"}
service_calls = re.compile(r"TestEnvironment\.(value|port|databaseURL|spool|binary)\b|\bTestDatabase\b|\bPrivatePostgres\b|\bSMTPSpool\b")
# The first type declared after each @Suite attribute.
suite_types = re.compile(r"^\s*@Suite\b.*?\b(?:struct|enum|class|actor)\s+(\w+)", re.M | re.S)


def prefix(folder: str) -> str:
    name = folder[: -len("Client")] if folder.endswith("Client") else folder
    return name[:-1] if name.endswith("s") else name


def folder_is_named_after_a_source(target: str, folder: str) -> bool:
    if target == "IntegrationTests":
        return ((sources / folder).is_dir() or any(p.is_dir() for p in sources.glob(f"*/{folder}"))
                or (root / folder.lower()).is_dir())
    module = target[: -len("Tests")]
    return (sources / module / folder).is_dir()


problems = []
for target in sorted(p for p in tests.iterdir() if p.is_dir() and p.name not in helper_targets):
    prefixes = {}
    for file in sorted(target.rglob("*.swift")):
        relative = file.relative_to(target)
        text = file.read_text()
        names = suite_types.findall(text)
        if target.name != "IntegrationTests" and service_calls.search(text):
            problems.append(f"{file.relative_to(root)}: a unit test reaches for a service; move it to Tests/IntegrationTests")
        if len(relative.parts) == 1:
            if target.name == "IntegrationTests" or any(p.is_dir() for p in (sources / target.name[: -len('Tests')]).glob("*/")):
                if names:
                    problems.append(f"{file.relative_to(root)}: a suite at the target's root; put it in the folder of its source folder")
            continue
        folder = relative.parts[0]
        if folder == "Support":
            if names:
                problems.append(f"{file.relative_to(root)}: Support/ holds helpers, not suites")
            continue
        if not folder_is_named_after_a_source(target.name, folder):
            problems.append(f"{file.relative_to(root)}: folder {folder} is not named after a source folder")
        prefixes[folder] = prefix(folder)
        for name in names:
            if not name.startswith(prefix(folder)):
                problems.append(f"{file.relative_to(root)}: suite {name} does not start with {prefix(folder)} (its folder's prefix)")
    for a, pa in prefixes.items():
        for b, pb in prefixes.items():
            if a != b and pb.startswith(pa):
                problems.append(f"{target.relative_to(root)}: the prefix of {a} also selects {b}")

if problems:
    print("test layout (Tests/README.md):", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print("test layout: every suite sits in the folder of its area")
