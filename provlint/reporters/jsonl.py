"""`jsonl`: one finding per line, the same fields as `json`."""

from __future__ import annotations

import json
from typing import TextIO

from provlint.reporters import Report


def report(result: Report, stream: TextIO) -> None:
    for finding in result.findings:
        stream.write(json.dumps(finding.as_dict(), ensure_ascii=False) + "\n")
