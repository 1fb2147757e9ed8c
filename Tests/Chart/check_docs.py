#!/usr/bin/env python3
"""Checks that the docs' Helm commands install the way the chart needs (issue 11, part 2).

Usage: check_docs.py --reconciler Sources/Reconciler --notes-dir DIR DOC.md [DOC.md …]
Over every DOC and every rendered NOTES.txt in DIR (`helm install --dry-run` output):
  - every `helm install`, `helm template` and `helm upgrade` of the chart (a command naming
    charts/troxileia; `\\` continuations joined) sets image.repository: the default `troxileia`
    is a placeholder no registry serves. `helm upgrade --reuse-values` keeps the release's.
  - no secret is passed with plain `--set` (tap.password, .privateKey, .privateKeyPassphrase,
    .enablePassword): --set turns 1234 into a number and splits at commas; --set-file,
    --set-string or --set-literal keep the text.
Over the DOCs named README.md and operating.md:
  - every Event reason the reconciler records (NodeEvent.Reason and the tap Events in
    Sources/Reconciler) is named, so the Event lists cannot fall behind the code;
  - operating.md shows the list form of sensorPods.apps (`--set 'sensorPods.apps={…}'`).
Prints one line per failed check and `N passed, M failed`.
"""

import argparse
import pathlib
import re
import sys

SECRETS = ("password", "privateKey", "privateKeyPassphrase", "enablePassword")
COMMAND = re.compile(r"helm (install|template|upgrade)\b[^`\n]*")


def commands(text):
    """Each helm command of the chart in TEXT, with its continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    for match in COMMAND.finditer(joined):
        command = match.group(0)
        if "charts/troxileia" in command:
            yield match.group(1), command.strip()


def event_reasons(reconciler):
    reasons = set()
    for path in pathlib.Path(reconciler).rglob("*.swift"):
        text = path.read_text()
        reasons.update(re.findall(r'\breason: "([A-Z][A-Za-z]+)"', text))
        enum = re.search(r"enum Reason\b[^{]*\{(.*?)\n    \}", text, re.S)
        if enum:
            reasons.update(re.findall(r'case \w+ = "([A-Z][A-Za-z]+)"', enum.group(1)))
    return reasons


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reconciler", required=True)
    parser.add_argument("--notes-dir", required=True)
    parser.add_argument("docs", nargs="+")
    args = parser.parse_args()
    passed = failed = 0

    def check(condition, message):
        nonlocal passed, failed
        if condition:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {message}")

    sources = {path: pathlib.Path(path).read_text() for path in args.docs}
    notes = sorted(pathlib.Path(args.notes_dir).glob("*.txt"))
    sources.update({f"NOTES ({path.stem})": path.read_text() for path in notes})
    seen = 0
    for where, text in sources.items():
        for verb, command in commands(text):
            seen += 1
            if not (verb == "upgrade" and "--reuse-values" in command):
                check("image.repository=" in command, f"{where}: no image.repository in: {command}")
            for secret in SECRETS:
                check(not re.search(rf"--set\s+(\S+,)?tap\.{secret}=", command),
                      f"{where}: tap.{secret} with plain --set (use --set-file): {command}")
        for secret in SECRETS:  # also in prose and tables
            check(not re.search(rf"--set\s+tap\.{secret}=", text), f"{where}: tap.{secret} with plain --set")

    reasons = event_reasons(args.reconciler)
    check(len(reasons) >= 8, f"found only {sorted(reasons)} as Event reasons in {args.reconciler}")
    event_docs = [path for path in args.docs if pathlib.Path(path).name in ("README.md", "operating.md")
                  and "charts" not in pathlib.Path(path).parts]
    for path in event_docs:
        missing = sorted(reason for reason in reasons if reason not in sources[path])
        check(not missing, f"{path}: Event reasons not named: {', '.join(missing)}")
    for path in args.docs:
        if pathlib.Path(path).name == "operating.md":
            check("--set 'sensorPods.apps={" in sources[path], f"{path}: no --set 'sensorPods.apps={{…}}' (the list form)")

    print(f"docs: {len(args.docs)} docs, {len(notes)} NOTES, {seen} helm commands of the chart, "
          f"{len(reasons)} Event reasons ({', '.join(sorted(reasons))})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
