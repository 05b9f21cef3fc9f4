"""`json`: one object with the findings and a summary (README, "Usage": `--format json`).

Written finding by finding, the same bytes as `json_text(document, indent=2)`: a million
findings never stand in memory as one list of dicts or one string."""

from __future__ import annotations

from typing import TextIO

from provlint.escaping import json_text
from provlint.reporters import Report


def summary(result: Report) -> dict:
    counts = result.counts()
    return {
        "findings": len(result.findings),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "info": counts["info"],
        "files_with_findings": result.files_with_findings(),
        "by_rule": dict(sorted(result.by_rule().items())),
    }


def _nested(value: object, depth: int) -> str:
    """`value` as it stands `depth` levels deep in a document indented by 2: JSON strings
    hold no raw line break, so each line gets the indent of its level."""
    return json_text(value, indent=2, floats=False).replace("\n", "\n" + "  " * depth)


def report(result: Report, stream: TextIO) -> None:
    stream.write(f'{{\n  "version": {json_text(result.version)},\n  "files_checked": {json_text(result.files_checked)},'
                 '\n  "findings": [')
    separator = ""
    for finding in result.findings:  # one pass: the findings may be read back from disk
        stream.write((separator or "\n    ") + _nested(finding.as_dict(), 2))
        separator = ",\n    "
    stream.write(("\n  ]" if separator else "]") + f',\n  "summary": {_nested(summary(result), 1)}\n}}\n')
