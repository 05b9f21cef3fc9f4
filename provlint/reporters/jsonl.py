"""`jsonl`: one finding per line, the same fields as `json`."""

from __future__ import annotations

from typing import TextIO

from provlint.escaping import json_text
from provlint.reporters import Report


def report(result: Report, stream: TextIO) -> None:
    for finding in result.findings:
        stream.write(json_text(finding.as_dict()) + "\n")
