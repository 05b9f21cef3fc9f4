"""Output formats: interchangeable renderers over the same findings, one module each."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from provlint.findings import NO_FINDINGS, Findings
from provlint.vocabulary import OUTPUT_FORMATS


class Report:
    """Everything a reporter may show; it never reads or parses input itself. (Written out,
    not a `@dataclass`: generating one's methods cost a one-file run more than its use of them.)"""

    def __init__(self, findings: Findings, files_checked: int, version: str,
                 source_lines: dict[tuple[str, int], str] | None = None, color: bool = False,
                 rules: list[Any] | None = None, suppressed: Findings | None = None, stale: int = 0,
                 files: list[str] | None = None, fail_on: str = "warning", below_min_severity: int = 0) -> None:
        self.findings = findings  # in report order; read afresh on each pass
        self.files_checked = files_checked
        self.version = version
        # (path, line) -> text of that line, for code frames around findings.
        self.source_lines = {} if source_lines is None else source_lines
        self.color = color
        # The rules that ran (their metadata, for SARIF's tool.driver.rules).
        self.rules = [] if rules is None else rules
        # Findings a baseline hides, and baseline entries that no longer occur.
        self.suppressed = NO_FINDINGS if suppressed is None else suppressed
        self.stale = stale
        self.files = [] if files is None else files
        # The lowest severity that fails the run: what JUnit counts as a failure.
        self.fail_on = fail_on
        self.below_min_severity = below_min_severity  # findings left out of the report by --min-severity

    def counts(self) -> Counter[str]:
        return self.findings.tally().by_severity

    def by_rule(self) -> Counter[str]:
        return self.findings.tally().by_rule

    def files_with_findings(self) -> int:
        return self.findings.tally().paths


# Format name -> module, named as the format but where a module so named would shadow the
# standard library's; only the format asked for is imported (rich is slow to load).
MODULES = {name: {"json": "json_report", "provenance-json": "provenance_json"}.get(name, name)
           for name in (*OUTPUT_FORMATS, "statistics")}


# What a format shows besides the findings, which a run keeps only when a format asks:
# the lines around each finding, and the files checked (each a JUnit test case).
SHOWS_FRAMES = ("full",)
SHOWS_FILES = ("junit",)


def render(name: str, report: Report, stream: TextIO) -> None:
    import importlib

    importlib.import_module(f"provlint.reporters.{MODULES[name]}").report(report, stream)


def relative(path: str) -> str:
    """A finding's path as a URI reference relative to the current folder (forward
    slashes, `../` when outside it), as SARIF and GitLab locations need; a path shown
    to a reader is `escaping.display_path`'s."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 error`, `2 errors`, `0 entries`."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def closing_line(report: Report) -> str:
    counts = report.counts()
    line = (f"{counted(len(report.findings), 'finding')} ({counted(counts['error'], 'error')}, "
            f"{counted(counts['warning'], 'warning')}, {counts['info']} info) in {counted(report.files_checked, 'file')}")
    if report.below_min_severity:
        line += f"; {report.below_min_severity} below --min-severity not shown"
    if report.suppressed or report.stale:
        line += f"; {len(report.suppressed)} hidden by the baseline"
    if report.stale:
        line += (f", {counted(report.stale, 'baseline entry', 'baseline entries')} no longer "
                 f"{'occurs' if report.stale == 1 else 'occur'} (re-run with --write-baseline to shrink it)")
    return line
