"""provlint on real pages, run by hand: which pages get an error or warning, and how precise
those findings are, judged by reading the pages.

    python benchmarks/realworld.py [FOLDER …]              # default ../shared/realworld
    python benchmarks/realworld.py --flatten               # the pages and the dumps flattened from them
    python benchmarks/realworld.py --sample 100 --seed 15 --audit-out audit.yaml
    python benchmarks/realworld.py --score-audit audit.yaml

Only `.html`/`.htm` files are pages (the folders also hold JSON metadata). provlint runs
through its CLI (`--provlint CMD`, default the `provlint` on PATH, else `python -m
provlint`) with `--no-cache --format json`, from a folder without a config file. The
report lists, per rule, every error/warning finding (page, line, message), then a count
per rule (findings, pages) and the totals.

`--sample N` draws N of the error/warning findings at random (seeded; the same findings
give the same sample) and `--audit-out` writes them as YAML to fill by hand: for each,
its page, line, rule, severity, message and the page's text at that line, with empty
`verdict:` (true: a real defect of the page; false: a false alarm) and `why:`.
`--score-audit FILE` reads a filled audit and prints the precision (true / judged),
overall and per rule.

`--flatten` also flattens every page into a dump (`benchmarks/flatten.py`, in a temporary
folder) and reports provlint's findings on the dumps the same way; the sample is then
drawn from the findings on both.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from flatten import flatten_page  # noqa: E402
from realpages import (  # noqa: E402
    DEFAULT_FOLDER,
    Finding,
    check,
    decode_page,
    excerpt,
    pages_in,
    provlint_command,
    provlint_version,
    text_lines,
)


@dataclass(frozen=True)
class Shown:
    """A finding with the name of the page (or dump) it is on."""

    page: str
    finding: Finding


@dataclass
class Run:
    """provlint's findings on one set of inputs: pages, or the dumps flattened from them."""

    label: str
    files: dict[Path, str]  # file -> the name it is shown by
    checked: int
    findings: list[Shown]  # error and warning
    info: list[Shown]


def lint(command: Sequence[str], label: str, files: dict[Path, str]) -> Run:
    checked, findings = check(command, list(files))
    every = [Shown(files.get(finding.path, str(finding.path)), finding) for finding in findings]
    every.sort(key=lambda s: (s.finding.rule, s.page, s.finding.line or 0, s.finding.column or 0, s.finding.message))
    return Run(label, files, checked, [s for s in every if s.finding.severe], [s for s in every if not s.finding.severe])


def report(run: Run) -> None:
    """Per rule, each error/warning finding; then the count per rule and the totals."""
    by_rule: dict[str, list[Shown]] = defaultdict(list)
    for shown in run.findings:
        by_rule[shown.finding.rule].append(shown)
    print(f"== {run.label}: error/warning findings per rule")
    for rule, findings in sorted(by_rule.items()):
        print(f"\n{rule} {findings[0].finding.name}: {len(findings)} findings on {len({s.page for s in findings})} pages")
        for shown in findings:
            where = f"{shown.page}:{shown.finding.line}" if shown.finding.line else shown.page
            print(f"  {where}  {shown.finding.severity}  {shown.finding.message}")
    print(f"\n== {run.label}: summary")
    print(f"{'rule':<7} {'name':<34} {'severity':<9} {'findings':>8} {'pages':>6}")
    for rule, findings in sorted(by_rule.items()):
        severities = "/".join(sorted({s.finding.severity for s in findings}))
        print(f"{rule:<7} {findings[0].finding.name:<34} {severities:<9} {len(findings):>8} "
              f"{len({s.page for s in findings}):>6}")
    flagged = {s.page for s in run.findings}
    errors = sum(s.finding.severity == "error" for s in run.findings)
    print(f"{len(run.files)} {run.label} checked (provlint: {run.checked} files); "
          f"{len(flagged)} with an error/warning; {errors} errors, {len(run.findings) - errors} warnings")


# ---- the audit

def audit_entries(runs: list[Run], size: int, seed: int, info_size: int = 0) -> list[dict[str, Any]]:
    """A seeded random sample of the error/warning findings (and of `info_size` info
    findings, judged apart), each with the text it points at."""
    population = [(run.label, shown) for run in runs for shown in run.findings]
    sample = random.Random(seed).sample(population, min(size, len(population)))
    infos = [(run.label, shown) for run in runs for shown in run.info]
    sample += random.Random(seed).sample(infos, min(info_size, len(infos)))
    sample.sort(key=lambda pair: (pair[1].page, pair[0], pair[1].finding.line or 0, pair[1].finding.column or 0,
                                  pair[1].finding.rule))
    lines: dict[Path, list[str]] = {}
    entries = []
    for number, (label, shown) in enumerate(sample, start=1):
        finding = shown.finding
        if finding.path not in lines:
            lines[finding.path] = text_lines(decode_page(finding.path.read_bytes()))
        page_lines = lines[finding.path]
        text = excerpt(page_lines[finding.line - 1], finding.column) if finding.line and finding.line <= len(page_lines) else ""
        # A dump's line is a line of the dump flattened from the page, not of the page.
        entries.append({"id": number, "page": shown.page, "read_as": label, "line": finding.line, "column": finding.column,
                        "rule": finding.rule, "severity": finding.severity, "message": finding.message,
                        "text": text, "verdict": None, "why": None})
    return entries


class AuditDumper(yaml.SafeDumper):
    """YAML for filling by hand: an empty slot is written as nothing, not `null`."""


AuditDumper.add_representer(type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", ""))


def write_audit(path: Path, entries: list[dict[str, Any]], runs: list[Run], folders: list[Path], seed: int,
                version: str) -> None:
    population = sum(len(run.findings) for run in runs)
    severe = sum(entry["severity"] != "info" for entry in entries)
    infos = sum(len(run.info) for run in runs)
    header = (f"# provlint real-world audit: {severe} of {population} error/warning findings"
              + (f" and {len(entries) - severe} of {infos} info findings (judged apart)" if severe < len(entries) else "")
              + f", sampled with seed {seed}\n"
              f"# pages under: {', '.join(str(folder) for folder in folders)}\n"
              f"# provlint: {version}\n"
              "# For each finding, read the page at the line and fill in\n"
              "#   verdict: true   (a real defect of the page: a careful reader agrees)\n"
              "#   verdict: false  (a false alarm)\n"
              "# and why: one line. Score: python benchmarks/realworld.py --score-audit FILE\n")
    body = yaml.dump({"findings": entries}, Dumper=AuditDumper, allow_unicode=True, sort_keys=False, width=120)
    path.write_text(header + body, encoding="utf-8")


def score_audit(path: Path) -> int:
    """Print the precision of a filled audit file (true / judged), overall and per rule:
    error/warning findings, then info findings apart."""
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("findings") or []
    severe = [entry for entry in entries if entry.get("severity") != "info"]
    status = _score(severe, "error/warning")
    if len(severe) < len(entries) and status == 0:
        status = _score([entry for entry in entries if entry.get("severity") == "info"], "info")
    return status


def _score(entries: list[dict[str, Any]], label: str) -> int:
    judged: dict[str, list[bool]] = defaultdict(list)
    unjudged, invalid = 0, []
    for entry in entries:
        verdict = entry.get("verdict")
        if verdict is None or verdict == "":
            unjudged += 1
        elif isinstance(verdict, bool):
            judged[entry.get("rule", "?")].append(verdict)
        else:
            invalid.append(f"id {entry.get('id')}: verdict {verdict!r} is neither true nor false")
    if invalid:
        print("\n".join(invalid), file=sys.stderr)
        return 2
    print(f"{label} findings\n{'rule':<7} {'judged':>6} {'true':>5} {'precision':>9}")
    for rule, verdicts in sorted(judged.items()):
        print(f"{rule:<7} {len(verdicts):>6} {sum(verdicts):>5} {sum(verdicts) / len(verdicts):>9.1%}")
    total = [verdict for verdicts in judged.values() for verdict in verdicts]
    precision = f"{sum(total) / len(total):.1%}" if total else "n/a"
    print(f"precision: {sum(total)} true of {len(total)} judged = {precision} ({unjudged} not judged yet)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of pages (default: ../shared/realworld)")
    parser.add_argument("--provlint", help="the provlint command (default: provlint on PATH, else python -m provlint)")
    parser.add_argument("--flatten", action="store_true", help="also lint the pages flattened into dumps")
    parser.add_argument("--sample", type=int, default=0, help="sample this many error/warning findings for an audit")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    parser.add_argument("--info-sample", type=int, default=0, help="also sample this many info findings (judged apart)")
    parser.add_argument("--audit-out", type=Path, help="write the sampled findings here (YAML), to fill by hand")
    parser.add_argument("--score-audit", type=Path, metavar="FILE", help="print the precision of a filled audit file")
    args = parser.parse_args(argv)
    if args.score_audit:
        return score_audit(args.score_audit)
    if bool(args.sample) != bool(args.audit_out):
        parser.error("--sample and --audit-out go together")
    folders = args.folders or [DEFAULT_FOLDER]
    command = provlint_command(args.provlint)
    version = provlint_version(command)
    print(f"provlint: {' '.join(command)} ({version})")
    pages = dict(pages_in(folders))
    runs = [lint(command, "pages", pages)]
    report(runs[0])
    with tempfile.TemporaryDirectory(prefix="provlint-flattened-") as folder:
        if args.flatten:
            dumps: dict[Path, str] = {}
            for page, shown in pages.items():
                dump = flatten_page(page)
                if dump is not None:
                    target = Path(folder) / f"{len(dumps):04d}.txt"
                    target.write_text(dump, encoding="utf-8")
                    dumps[target] = str(Path(shown).with_suffix(".txt"))
            print(f"\n{len(dumps)} of {len(pages)} pages gave a dump")
            runs.append(lint(command, "dumps", dumps))
            print()
            report(runs[1])
        if args.audit_out:
            entries = audit_entries(runs, args.sample, args.seed, args.info_sample)
            write_audit(args.audit_out, entries, runs, folders, args.seed, version)
            print(f"\n{len(entries)} findings sampled (seed {args.seed}) into {args.audit_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
