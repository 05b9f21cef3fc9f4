"""`full`: the rich view for people: findings per file with code frames, a summary.

Rendered to the terminal's width (`output_width`): a long dump line is cut to fit, around
the flagged text, with the marks under it counted in terminal cells (a CJK character
takes two); a long message wraps under itself, not to column 0. Off a terminal (a file,
a CI log), lines are cut at ruff's default width and messages are not wrapped, so that
each stays whole on its line for grep.

Input text (paths, messages, dump lines) is passed to rich as `Text` (never parsed as
markup) and through `visible` (no control character reaches the terminal)."""

from __future__ import annotations

import os
from dataclasses import replace
from itertools import groupby
from typing import TextIO

import rich.console
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from provlint.escaping import at_line_start, visible
from provlint.model import SEVERITY_RANK, Finding
from provlint.reporters import Report, closing_line

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
DEFAULT_WIDTH = 140  # off a terminal: ruff's (annotate-snippets') default width
TAB = "    "  # a tab in a code frame, as ruff shows it: a known width the marks can be counted under
MIN_SOURCE = 10  # cells of a dump line shown however narrow the terminal
MIN_MESSAGE = 20  # narrower than this beside its head, a message goes on lines of its own


class Console(rich.console.Console):
    """rich's console, except on a closed pipe: rich exits 1 itself; this raises BrokenPipeError
    and leaves the CLI to end the run (quietly, exit 0)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def output_width(stream: TextIO) -> int | None:
    """The columns of the terminal `stream` is: COLUMNS when set (as rich and Python's
    `shutil` read it), else the terminal's own. None off a terminal: a file or a pipe
    gets the same report whatever COLUMNS a shell or a CI runner left set."""
    try:
        if not stream.isatty():
            return None
        fileno = stream.fileno()
    except (AttributeError, OSError, ValueError):  # no file descriptor (a buffer), or a closed one
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(fileno).columns or None
    except OSError:
        return None


def report(result: Report, stream: TextIO) -> None:
    width = output_width(stream)
    console = Console(file=stream, force_terminal=result.color, no_color=not result.color,
                      highlight=False, soft_wrap=width is None, width=width or DEFAULT_WIDTH)
    for path, findings in groupby(result.findings, key=lambda f: f.path):
        console.print(Text(at_line_start(path), style="bold underline", overflow="fold"))
        for finding in findings:
            _finding(console, finding, result)
        console.print()
    if result.findings:
        table = Table(title="Findings by rule", show_edge=False, title_justify="left")
        for column in ("rule", "name", "severity", "count"):
            table.add_column(column, justify="right" if column == "count" else "left", overflow="fold")
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
    head.append(f"{where:<7} ")
    head.append(f"{finding.severity:<8}", style=STYLE.get(finding.severity, ""))
    head.append(f"{visible(finding.rule)}  ", style="bold")
    _hanging(console, head, Text(visible(finding.message)))
    if finding.line:
        _frame(console, finding, result)
    # A secondary place (the value the finding compares with) with its own line and
    # `-` marks, as rustc shows secondary labels.
    for line, column, end_line, end_column, what in finding.related:
        gutter = _gutter(line)
        _hanging(console, Text(f"    {'':>{gutter}} ╰ ", style="dim"),
                 Text(f"{visible(what)}, line {line}:", style="dim"))
        place = replace(finding, line=line, column=column, end_line=end_line, end_column=end_column)
        _frame(console, place, result, around=False, mark="-")


def _hanging(console: Console, head: Text, body: Text) -> None:
    """`head`, then `body` wrapped to the width with its later lines under its first (a
    hanging indent); when too little room is left beside `head`, `body` goes below it.
    Unwrapped off a terminal (the console's soft wrap)."""
    if console.soft_wrap:
        console.print(head + body)
        return
    indent = head.cell_len
    if console.width - indent < MIN_MESSAGE:
        head.rstrip()
        console.print(head)
        head, indent = Text(" " * 4), 4
    lines = body.wrap(console, max(1, console.width - indent), overflow="fold")
    for number, line in enumerate(lines):
        line.rstrip()
        start = head.copy() if number == 0 else Text(" " * indent)
        start.append_text(line)
        console.print(start)


def _gutter(number: int) -> int:
    """Columns for line numbers in a frame: five, or as many as a larger number needs."""
    return max(5, len(str(number + 1)))


def _frame(console: Console, finding: Finding, result: Report, around: bool = True, mark: str = "^") -> None:
    assert finding.line is not None
    gutter = _gutter(finding.line)
    room = max(MIN_SOURCE, console.width - (4 + gutter + 3))  # beside "    12345 │ "
    for number in (finding.line - 1, finding.line, finding.line + 1) if around else (finding.line,):
        text = result.source_lines.get((finding.path, number))
        if text is None or (number != finding.line and not text.strip()):
            continue
        # Each character as shown (escapes, tabs as spaces) and the cells it takes.
        shown = [TAB if character == "\t" else visible(character) for character in text]
        cells = [cell_len(piece) for piece in shown]
        start = min(max(0, (finding.column or 1) - 1), len(text))
        end_column = finding.end_column if finding.end_line == finding.line else None
        end = min(max(start + 1, end_column - 1 if end_column else start + 1), len(text))
        if start == len(text):  # a place just after the line's last character: one blank cell
            shown.append("")
            cells.append(1)
            end = start + 1
        first, last = _window(cells, start, end, room)
        line = Text(f"    {number:>{gutter}} │ ", style="dim")
        line.append(("…" if first else "") + "".join(shown[first:last]) + ("…" if last < len(shown) else ""))
        console.print(line)
        if number == finding.line:
            before = (1 if first else 0) + sum(cells[first:start])
            width = max(1, sum(cells[start:min(end, last)]))
            marker = Text(f"    {'':>{gutter}} │ " + " " * before, style="dim")
            marker.append(mark * width, style=STYLE.get(finding.severity, "") if mark == "^" else "dim")
            console.print(marker)


def _window(cells: list[int], start: int, end: int, room: int) -> tuple[int, int]:
    """The characters [first, last) of a line shown in `room` terminal cells, an ellipsis
    taking a cell at each end that is cut: the whole line if it fits; else from its start
    if the flagged characters [start, end) fit there; else scrolled right to show them,
    with up to a quarter of the room before them (ruff and rustc scroll the same way)."""
    count = len(cells)
    if sum(cells) <= room:
        return 0, count

    def fill(first: int) -> int:
        budget = room - (1 if first else 0)
        last, used = first, 0
        while last < count and used + cells[last] <= budget:
            used += cells[last]
            last += 1
        while last < count and used + 1 > budget:  # a cell for the closing ellipsis
            last -= 1
            used -= cells[last]
        return last

    last = fill(0)
    span = sum(cells[start:end])
    # From the line's start when the flagged characters are all in sight there, or when
    # they could not be anyway and begin within the quarter that scrolling would leave.
    if end <= last or (span > room - 2 and sum(cells[:start]) <= room // 4):
        return 0, last
    before = max(0, min(room // 4, room - 2 - span))
    first, used = start, 0
    while first > 0 and used + cells[first - 1] <= before:
        first -= 1
        used += cells[first]
    last = fill(first)
    if last == count:  # the line's end is in sight: scroll back to fill the room
        used = 1 + sum(cells[first:])
        while first > 0 and used + cells[first - 1] <= room:
            first -= 1
            used += cells[first]
    return first, last
