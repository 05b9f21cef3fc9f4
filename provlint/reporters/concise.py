"""`concise`: one line per finding, `path:line:col: ID severity message` (grep-able)."""

from __future__ import annotations

from typing import TextIO

from provlint.escaping import at_line_start, visible
from provlint.reporters import Report, closing_line


def report(result: Report, stream: TextIO) -> None:
    for finding in result.findings:
        where = f"{at_line_start(finding.path)}:{finding.line or 1}:{finding.column or 1}"
        stream.write(f"{where}: {visible(finding.rule)} {finding.severity} {visible(finding.message)}\n")
    stream.write(closing_line(result) + "\n")
