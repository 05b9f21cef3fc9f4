"""`concise`: one line per finding, `path:line:col: ID severity message` (grep-able).

The path is the file's, never a record's inside it (`feed.jsonl:6`): editors and
grep read `path:line:col` and nothing else; the message names the record."""

from __future__ import annotations

from typing import TextIO

from provlint.escaping import at_line_start, visible
from provlint.reporters import Report, closing_line

# ANSI styles when colour is on (rich is not loaded for a grep-able format): bold place and
# rule id, the severity in the colours of the full report.
BOLD, RESET = "\x1b[1m", "\x1b[0m"
SEVERITY_STYLE = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "info": "\x1b[36m"}


def report(result: Report, stream: TextIO) -> None:
    for finding in result.findings:
        where = f"{at_line_start(finding.file_path)}:{finding.line or 1}:{finding.column or 1}"
        rule, message = visible(finding.rule), visible(finding.message)
        if result.color:
            style = SEVERITY_STYLE.get(finding.severity, "")
            stream.write(f"{BOLD}{where}:{RESET} {BOLD}{rule}{RESET} {style}{finding.severity}{RESET} {message}\n")
        else:
            stream.write(f"{where}: {rule} {finding.severity} {message}\n")
    stream.write(closing_line(result) + "\n")
