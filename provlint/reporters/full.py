"""`full`: the rich view for people: findings per file with code frames, a summary.

Input text (paths, messages, dump lines) is passed to rich as `Text` (never parsed as
markup) and through `visible` (no control character reaches the terminal)."""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby
from typing import TextIO

import rich.console
from rich.table import Table
from rich.text import Text

from provlint.escaping import at_line_start, visible
from provlint.model import SEVERITY_RANK, Finding
from provlint.reporters import Report, closing_line

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
FRAME_WIDTH = 100  # characters of a long dump line shown around the finding


class Console(rich.console.Console):
    """rich's console, except on a closed pipe: rich exits 1 itself; this raises BrokenPipeError
    and leaves the CLI to end the run (quietly, exit 0)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def report(result: Report, stream: TextIO) -> None:
    console = Console(file=stream, force_terminal=result.color, no_color=not result.color,
                      highlight=False, soft_wrap=True, width=max(FRAME_WIDTH + 20, 120))
    for path, findings in groupby(result.findings, key=lambda f: f.path):
        console.print(Text(at_line_start(path), style="bold underline"))
        for finding in findings:
            _finding(console, finding, result)
        console.print()
    if result.findings:
        table = Table(title="Findings by rule", show_edge=False, title_justify="left")
        for column in ("rule", "name", "severity", "count"):
            table.add_column(column, justify="right" if column == "count" else "left")
        names = {f.rule: f for f in result.findings}
        for rule, count in sorted(result.by_rule().items()):
            sample = names[rule]
            table.add_row(Text(visible(rule)), Text(visible(sample.name)),
                          Text(sample.severity, style=STYLE.get(sample.severity, "")), str(count))
        console.print(table)
        console.print()
        # As rustc's "try `rustc --explain E0308`": where to read what a rule means (the
        # most severe rule found).
        worst = min(result.findings, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.rule))
        console.print(Text(f"What a rule checks, why, and how to fix it: provlint explain {visible(worst.rule)}",
                           style="dim"))
        console.print()
    counts = result.counts()
    style = "bold red" if counts["error"] else "yellow" if counts["warning"] else "green"
    console.print(Text(closing_line(result), style=style))


def _finding(console: Console, finding: Finding, result: Report) -> None:
    where = f"{finding.line}:{finding.column or 1}" if finding.line else "file"
    head = Text("  ")
    head.append(f"{where:<8}")
    head.append(f"{finding.severity:<8}", style=STYLE.get(finding.severity, ""))
    head.append(f"{visible(finding.rule)}  ", style="bold")
    head.append(visible(finding.message))
    console.print(head)
    if finding.line:
        _frame(console, finding, result)
    # A secondary place (the value the finding compares with) with its own line and
    # `-` marks, as rustc shows secondary labels.
    for line, column, end_line, end_column, what in finding.related:
        console.print(Text(f"    {'':>5} ╰ {visible(what)}, line {line}:", style="dim"))
        place = replace(finding, line=line, column=column, end_line=end_line, end_column=end_column)
        _frame(console, place, result, around=False, mark="-")


def _frame(console: Console, finding: Finding, result: Report, around: bool = True, mark: str = "^") -> None:
    assert finding.line is not None
    for number in (finding.line - 1, finding.line, finding.line + 1) if around else (finding.line,):
        text = result.source_lines.get((finding.path, number))
        if text is None or (number != finding.line and not text.strip()):
            continue
        start = 0
        column = (finding.column or 1) - 1
        if len(text) > FRAME_WIDTH:
            start = max(0, min(column - FRAME_WIDTH // 4, len(text) - FRAME_WIDTH))
        shown = text[start : start + FRAME_WIDTH]
        prefix = "…" if start else ""
        suffix = "…" if start + FRAME_WIDTH < len(text) else ""
        line = Text(f"    {number:>5} │ ", style="dim")
        line.append(prefix + visible(shown) + suffix)
        console.print(line)
        if number == finding.line:
            end = finding.end_column if finding.end_line == finding.line and finding.end_column else column + 2
            width = max(1, min(end - 1, start + FRAME_WIDTH) - column)
            # Measured on the text as shown: an escape is wider than the character.
            before = len(visible(shown[: column - start]))
            width = max(1, len(visible(shown[column - start : column - start + width])))
            marker = Text(f"    {'':>5} │ " + " " * (before + len(prefix)), style="dim")
            marker.append(mark * width, style=STYLE.get(finding.severity, "") if mark == "^" else "dim")
            console.print(marker)
