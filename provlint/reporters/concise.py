"""`concise`: one line per finding, `path:line:col: ID severity message` (grep-able)."""

from __future__ import annotations

from typing import TextIO

from provlint.reporters import Report, closing_line


def report(result: Report, stream: TextIO) -> None:
    for finding in result.findings:
        where = f"{finding.path}:{finding.line or 1}:{finding.column or 1}"
        stream.write(f"{where}: {finding.rule} {finding.severity} {finding.message}\n")
    stream.write(closing_line(result) + "\n")
