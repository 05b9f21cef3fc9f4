"""Output formats: interchangeable renderers over the same findings, one module each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from provlint.model import Finding


@dataclass
class Report:
    """Everything a reporter may show; it never reads or parses input itself."""

    findings: list[Finding]
    files_checked: int
    version: str
    # (path, line) -> text of that line, for code frames around findings.
    source_lines: dict[tuple[str, int], str] = field(default_factory=dict)
    color: bool = False

    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)

    def by_rule(self) -> Counter[str]:
        return Counter(f.rule for f in self.findings)

    def files_with_findings(self) -> int:
        return len({f.path for f in self.findings})


def _reporters() -> dict[str, Callable[[Report, TextIO], None]]:
    from provlint.reporters import concise, full, json_report, jsonl

    return {"full": full.report, "concise": concise.report, "json": json_report.report, "jsonl": jsonl.report}


FORMATS = ("full", "concise", "json", "jsonl")


def render(name: str, report: Report, stream: TextIO) -> None:
    _reporters()[name](report, stream)


def closing_line(report: Report) -> str:
    counts = report.counts()
    total = len(report.findings)
    noun = "finding" if total == 1 else "findings"
    files = "file" if report.files_checked == 1 else "files"
    return (f"{total} {noun} ({counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info) in {report.files_checked} {files}")
