"""`github`: GitHub Actions workflow commands, shown as annotations on the files."""

from __future__ import annotations

from typing import TextIO

from provlint.escaping import visible
from provlint.reporters import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Input text as an annotation shows it: line breaks in GitHub's own escapes (the
    annotation keeps them), every other control character visible."""
    return visible(text, keep_newlines=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(result: Report, stream: TextIO) -> None:
    for finding in result.findings:
        properties = [f"file={escape_property(finding.file_path)}"]
        if finding.line:
            properties.append(f"line={finding.line}")
            if finding.column:
                properties.append(f"col={finding.column}")
            if finding.end_line:
                properties.append(f"endLine={finding.end_line}")
            if finding.end_column and finding.end_line == finding.line:
                properties.append(f"endColumn={finding.end_column}")
        properties.append(f"title={escape_property(f'provlint ({finding.rule})')}")
        stream.write(f"::{COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(finding.message)}\n")
