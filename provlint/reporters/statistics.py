"""`--statistics`: a count per rule instead of each finding (like ruff)."""

from __future__ import annotations

from typing import TextIO

from provlint.escaping import visible
from provlint.reporters import Report, closing_line


def report(result: Report, stream: TextIO) -> None:
    names = {f.rule: f for f in result.findings}
    counts = sorted(result.by_rule().items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(count)) for _, count in counts), default=1)
    for rule, count in counts:
        sample = names[rule]
        stream.write(f"{count:>{width}}  {visible(rule)}  [{sample.severity}]  {visible(sample.name)}\n")
    stream.write(closing_line(result) + "\n")
