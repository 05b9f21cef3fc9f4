"""The terminal (issue 17): the full report is rendered to the terminal's width, with the
marks under the flagged text in terminal cells; `provlint rules` never cuts a name; the
progress bar goes to stderr when that is a terminal, whatever stdout is."""

from __future__ import annotations

import fcntl
import json
import os
import re
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import NO_NETWORK, SEED, provlint
from provlint.cli.group import progress_bar

CHINA_DAILY = Path(__file__).resolve().parent / "fixtures" / "realworld-dumps" / "chinadaily-zh.txt"
PLACEHOLDER = "/html/head/meta[@name='og:title']/@content"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
FRAME = re.compile(r"^ +\d+ │ ")
MARKS = re.compile(r"^ +│ +\^+$")


@pytest.fixture
def dumps(tmp_path: Path) -> Path:
    """Two real dumps: the seed (a 230-character PV001 message, TX001 at column 939 of a
    1,000-character line) and China Daily's, its long Chinese paragraph ending in an
    XPath placeholder (a finding far right among wide characters), and a line with tabs."""
    (tmp_path / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    lines = CHINA_DAILY.read_text(encoding="utf-8").split("\n")
    assert (len(lines[8]), cell_len(lines[8])) == (122, 240)  # the paragraph: mostly two-cell characters
    lines[8] += " " + PLACEHOLDER
    lines[6] = "\tsource:\t" + PLACEHOLDER
    (tmp_path / "china.txt").write_text("\n".join(lines), encoding="utf-8")
    return tmp_path


def _environment(**settings: str) -> dict[str, str]:
    """The test's environment without the terminal's own settings, plus `settings`."""
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "PROVLINT_PROGRESS_DELAY")}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NO_NETWORK), os.environ.get("PYTHONPATH")]))
    return {**environment, **settings}


def run_captured(*args: str, cwd: Path, **settings: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "provlint", *args], cwd=cwd, capture_output=True, text=True,
                          env=_environment(**settings), timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def run_on_terminal(*args: str, cwd: Path, terminal: str, columns: int = 80, **settings: str) -> tuple[str, str]:
    """provlint with `terminal` ("stdout" or "stderr") on a pseudo-terminal `columns` wide
    and the other stream to a file: (stdout, stderr) as written, the terminal's `\\r\\n`
    read as `\\n`."""
    main, side = os.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    other = cwd / f"{'stderr' if terminal == 'stdout' else 'stdout'}.log"
    with open(other, "w", encoding="utf-8") as log:
        streams = {"stdout": side, "stderr": log} if terminal == "stdout" else {"stdout": log, "stderr": side}
        process = subprocess.Popen([sys.executable, "-m", "provlint", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                                   env=_environment(TERM="xterm-256color", **settings), **streams)
        os.close(side)
        received = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            received += chunk
        process.wait(timeout=300)
    os.close(main)
    shown = received.decode("utf-8").replace("\r\n", "\n")
    logged = other.read_text(encoding="utf-8")
    assert "Traceback" not in shown + logged
    return (shown, logged) if terminal == "stdout" else (logged, shown)


def flagged_texts(folder: Path) -> list[str]:
    """The text each finding of the full report flags, in its order (a tab as four spaces,
    as the frame shows it)."""
    report = run_captured("check", "china.txt", "seed.txt", "--format", "json", cwd=folder)
    texts = []
    for finding in json.loads(report.stdout)["findings"]:
        if not finding["line"]:
            continue
        line = (folder / finding["path"]).read_text(encoding="utf-8").split("\n")[finding["line"] - 1]
        start = finding["column"] - 1
        end = finding["end_column"] - 1 if finding["end_line"] == finding["line"] else start + 1
        texts.append(line[start:end].replace("\t", "    "))
    return texts


def under_marks(output: str) -> list[str]:
    """For each code frame: the characters of the flagged line that stand above its `^`
    marks, counted in terminal cells; the marks must begin and end at character edges."""
    lines = output.splitlines()
    found = []
    for shown, marks in zip(lines, lines[1:]):
        if not (FRAME.match(shown) and MARKS.match(marks)):
            continue
        first = cell_len(marks[:marks.index("^")])
        last = first + marks.count("^")
        text, position, edges = "", 0, {0}
        for character in shown:
            if first <= position < last:
                text += character
            position += cell_len(character)
            edges.add(position)
        assert first in edges and last in edges, (shown, marks)
        found.append(text)
    return found


def assert_marked(output: str, flagged: list[str], columns: int) -> None:
    """The marks stand under each finding's flagged text: all of it where it fits beside
    the line number, else as much of its start as the line shows (up to the `…`)."""
    marked = under_marks(output)
    assert len(marked) == len(flagged)
    room = columns - len("    12345 │ ")
    for shown, text in zip(marked, flagged):
        assert shown == text if cell_len(text) <= room - 2 else text.startswith(shown) and cell_len(shown) >= room // 2


def message_lines(output: str, head: str) -> list[str]:
    """The message that starts on the line beginning with `head`, and its continuation lines."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(head))
    found = [lines[start][len(head):]]
    for line in lines[start + 1:]:
        if not line.startswith(" " * len(head)) or line[len(head)] == " ":
            break
        found.append(line[len(head):])
    return found


PV001_HEAD = "  1:15    info    PV001  "


def full_report_on_terminal(folder: Path, columns: int, **settings: str) -> str:
    """The full report of both dumps on a terminal `columns` wide, without its colours."""
    out, err = run_on_terminal("check", "china.txt", "seed.txt", "--format", "full", cwd=folder, terminal="stdout",
                               columns=columns, **settings)
    assert err == ""
    return ANSI.sub("", out)


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_full_report_fits_the_terminal_with_marks_under_the_flagged_text(dumps, columns):
    out = full_report_on_terminal(dumps, columns)
    assert "│" in out and [line for line in out.splitlines() if cell_len(line) > columns] == []
    assert_marked(out, flagged_texts(dumps), columns)
    # The long message wraps under itself (a hanging indent), none of it lost.
    message = run_captured("check", "seed.txt", "--format", "json", "--select", "PV001", cwd=dumps).stdout
    (pv001,) = json.loads(message)["findings"]
    wrapped = message_lines(out, PV001_HEAD)
    assert len(wrapped) > 1 and "".join(wrapped).replace(" ", "") == pv001["message"].replace(" ", "")


def test_a_line_is_cut_around_a_finding_far_to_the_right(dumps):
    out = full_report_on_terminal(dumps, 100, COLUMNS="60")  # COLUMNS wins over the terminal's size
    # Scrolled to the placeholder at column 124, after 240 cells of Chinese.
    assert ("  9:124   error   PH001  unresolved XPath placeholder\n"
            "                         \"/html/head/meta[@name='og:title']/\n"
            "                         @content\"\n"
            "        9 │ …择。 /html/head/meta[@name='og:title']/@content\n"
            "          │       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n") in out
    # Tabs are four spaces, so the marks can be counted under them.
    assert ("        7 │ …:    /html/head/meta[@name='og:title']/@content\n"
            "          │       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n") in out
    # TX001 at column 939 of a 1,000-character line: a window around it, cut at both ends.
    lines = out.splitlines()
    frame = lines[lines.index("  31:939  info    TX001  sentences glued together at") + 3]
    assert frame.startswith("       31 │ …") and frame.endswith("…") and cell_len(frame) == 60


def test_off_a_terminal_messages_stay_whole_and_frames_fit_the_default_width(dumps):
    """A file or a pipe gets one report, whatever COLUMNS says (xdist's workers set 80)."""
    run = run_captured("check", "china.txt", "seed.txt", "--format", "full", cwd=dumps)
    assert run_captured("check", "china.txt", "seed.txt", "--format", "full", cwd=dumps, COLUMNS="60").stdout == \
        run.stdout
    message = json.loads(run_captured("check", "seed.txt", "--format", "json", "--select", "PV001", cwd=dumps).stdout)
    assert PV001_HEAD + message["findings"][0]["message"] in run.stdout.splitlines()  # one line, for grep
    frames = [line for line in run.stdout.splitlines() if FRAME.match(line) or MARKS.match(line)]
    assert frames and max(cell_len(line) for line in frames) <= 140  # ruff's default width
    assert_marked(run.stdout, flagged_texts(dumps), 140)


@pytest.mark.parametrize("columns", [60, 130])
def test_rules_never_cuts_an_id_or_a_name(tmp_path, columns):
    rules = json.loads(provlint("rules", "--format", "json", cwd=tmp_path).out)
    out, _ = run_on_terminal("rules", cwd=tmp_path, terminal="stdout", columns=columns)
    plain = ANSI.sub("", out)
    assert "…" not in plain and [line for line in plain.splitlines() if cell_len(line) > columns] == []
    words = set(re.findall(r"[\w:./-]+", plain))
    assert {rule["id"] for rule in rules} <= words and {rule["name"] for rule in rules} <= words
    if columns == 60:  # too narrow for the table: the id and name, then the rest
        assert "AT001  missing-publisher\n       attribution · info · default · required ·\n" in plain


def _three_dumps(folder: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")


def test_the_progress_bar_goes_to_a_terminal_on_stderr_not_into_redirected_stdout(tmp_path):
    _three_dumps(tmp_path)
    args = ("check", "a.txt", "b.txt", "c.txt", "--format", "full", "--no-cache", "-j", "1")
    out, err = run_on_terminal(*args, cwd=tmp_path, terminal="stderr", PROVLINT_PROGRESS_DELAY="0")
    assert "checking" in err and "3/3" in ANSI.sub("", err)
    without_terminals = run_captured(*args, cwd=tmp_path, PROVLINT_PROGRESS_DELAY="0")
    assert out == without_terminals.stdout and "\x1b" not in out and "\r" not in out
    assert out.rstrip().endswith("33 findings (6 errors, 0 warnings, 27 info) in 3 files")


def test_no_progress_bar_where_stderr_is_not_a_terminal(tmp_path):
    _three_dumps(tmp_path)
    args = ("check", "a.txt", "b.txt", "c.txt", "--no-cache", "-j", "1")
    neither = run_captured(*args, cwd=tmp_path, PROVLINT_PROGRESS_DELAY="0")
    assert neither.returncode == 1 and neither.stderr == "" and "checking" not in neither.stdout
    out, err = run_on_terminal(*args, cwd=tmp_path, terminal="stdout", PROVLINT_PROGRESS_DELAY="0")
    assert err == "" and "checking" not in out and "33 findings" in out


def test_the_progress_bar_is_drawn_by_no_thread_of_its_own(monkeypatch):
    """The run forks helpers for the corpus pass only from a process with no other thread
    (`workers.shared_calls`): a bar with a refresh thread would turn them off."""
    monkeypatch.setenv("PROVLINT_PROGRESS_DELAY", "0")
    before = threading.active_count()
    with progress_bar(True) as advance:
        assert advance is not None
        advance(1, 3)
        assert threading.active_count() == before
