"""`json`: one object with the findings and a summary (README, "Usage": `--format json`)."""

from __future__ import annotations

from typing import TextIO

from provlint.escaping import json_text
from provlint.reporters import Report


def document(result: Report) -> dict:
    counts = result.counts()
    return {
        "version": result.version,
        "files_checked": result.files_checked,
        "findings": [finding.as_dict() for finding in result.findings],
        "summary": {
            "findings": len(result.findings),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "files_with_findings": result.files_with_findings(),
            "by_rule": dict(sorted(result.by_rule().items())),
        },
    }


def report(result: Report, stream: TextIO) -> None:
    stream.write(json_text(document(result), indent=2, floats=False) + "\n")
