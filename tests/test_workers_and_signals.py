"""Dying workers, SIGTERM, SIGKILL and Ctrl-C: every file answered, no process left
behind, no good report or baseline replaced by a partial one.

The tests run the real CLI and make things happen to it from outside, through /proc and
real signals (`watching`): a file so large that every worker reading it is killed, as the
OOM killer kills one; workers stopped (SIGSTOP) while the run is signalled. Only the rule
loading and the report rendering are wrapped, for a Ctrl-C at those moments."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import NO_NETWORK
from watching import children, killing_readers

FILES = 200
# A file that kills every worker that reads it: bigger than anything else a worker reads.
KILLER_BYTES = 8_000_000

# A real Ctrl-C (SIGINT to itself) while the rules load, or a second one while reporting
# (the test sends the first, while the run lints).
INTERRUPTING = """
import os, signal, sys
import provlint.reporters as reporters
import provlint.ruleset as ruleset
where = os.environ["PROVLINT_TEST_CTRL_C"]
real_load, real_render = ruleset.load_ruleset, reporters.render
def ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)
def load_ruleset(*args, **kwargs):
    if where == "start-up":
        ctrl_c()
    return real_load(*args, **kwargs)
def render(*args, **kwargs):
    if where == "twice":
        ctrl_c()
    return real_render(*args, **kwargs)
ruleset.load_ruleset, reporters.render = load_ruleset, render
from provlint.cli import main
main(sys.argv[1:], prog_name="provlint")
"""


def start(*args: str, cwd: Path, script: str | None = None, **env: str) -> subprocess.Popen:
    """The CLI (`python -m provlint`, or `script` with the arguments) in a process of its own."""
    command = [sys.executable, "-c", script] if script is not None else [sys.executable, "-m", "provlint"]
    return subprocess.Popen([*command, *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(NO_NETWORK), **env),
                            # As at a terminal: a suite started in the background inherits SIGINT ignored.
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for_workers(process: subprocess.Popen, count: int = 2) -> set[int]:
    """The run's worker pids, once its pool has started (however slow the start-up)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        workers = children(process.pid)
        if len(workers) >= count:
            return workers
        time.sleep(0.01)
    raise AssertionError("the run's workers never started")


@contextlib.contextmanager
def stopped(pids: set[int]) -> Iterator[None]:
    """The processes stopped (SIGSTOP) until the end of the block: a run's workers lint
    nothing more while the test signals the run, however busy the machine."""
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


IN_OPEN = 0x20  # from <sys/inotify.h>


@contextlib.contextmanager
def watching_opens(path: Path) -> Iterator[Callable[[], None]]:
    """A wait for the next opening of `path` by any process (inotify)."""
    libc = ctypes.CDLL(None, use_errno=True)
    watch = libc.inotify_init1(os.O_CLOEXEC)
    assert watch >= 0 and libc.inotify_add_watch(watch, os.fsencode(path), IN_OPEN) >= 0, os.strerror(ctypes.get_errno())

    def opened() -> None:
        assert select.select([watch], [], [], 120)[0], f"{path} was never opened"

    try:
        yield opened
    finally:
        os.close(watch)


def alive(pid: int) -> bool:
    """Running (a zombie left to an init that does not reap is dead)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone(pids: set[int]) -> bool:
    """Whether every process in `pids` exits; polled, as the kernel delivers the signals."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    return not any(alive(pid) for pid in pids)


# The corpus rules speak of the whole corpus: a file left unanswered moves their findings
# (a burst is reported on its 61st document, a copy names the earliest one answered), so
# the per-file comparisons here leave them out; tests/test_corpus_rules.py checks them.
CORPUS_RULES = ("DU009", "PV010", "PV011")


def by_path(report: dict) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for f in report["findings"]:
        if f["rule"] in CORPUS_RULES:
            continue
        found.setdefault(f["path"], []).append((f["line"], f["column"], f["rule"], f["severity"], f["message"]))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seed_text):
    """FILES dumps, and their findings in a clean run at --jobs 2."""
    folder = tmp_path_factory.mktemp("workers")
    (folder / "corpus").mkdir()
    for index in range(FILES):
        # Each file its own: a varying line moves the findings, so files are told apart.
        (folder / "corpus" / f"f{index:03d}.txt").write_text("\n" * (index % 7) + seed_text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "provlint", "check", "corpus", "--jobs", "2", "--no-cache",
                           "--format", "json"], cwd=folder, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(NO_NETWORK)))
    assert done.returncode == 1, done.stderr
    return folder, by_path(json.loads(done.stdout))


def test_a_file_that_kills_its_worker_is_isolated_and_the_rest_goes_on_in_a_pool(corpus, seed_text):
    folder, clean = corpus
    killer = folder / "killer.txt"  # beside the corpus, which the other tests check as it is
    killer.write_text("\n\n".join([seed_text] * (KILLER_BYTES // len(seed_text) + 1)), encoding="utf-8")
    try:
        process = start("check", "corpus", "killer.txt", "--jobs", "2", "--no-cache", "--format", "json", cwd=folder)
        out, err, workers = killing_readers(process, KILLER_BYTES)
    finally:
        killer.unlink()
    assert process.returncode == 1, err
    report = json.loads(out)
    assert report["files_checked"] == FILES + 1
    found = by_path(report)
    assert [(rule, severity) for _, _, rule, severity, _ in found.pop("killer.txt")] == [("IN007", "error")]
    assert found == clean
    # A pool of 2, the files being linted when the worker died alone (at most one new
    # worker each), then a fresh pool of 2 for the rest: not one process per file.
    assert len(workers) <= 6


def test_a_worker_killed_from_outside_loses_no_file(corpus):
    folder, clean = corpus
    process = start("check", "corpus", "--jobs", "2", "--no-cache", "--format", "json", cwd=folder)
    workers = wait_for_workers(process)
    with stopped(workers):  # killed while the run still needs it, however fast the workers lint
        worker = min(workers)
        assert worker in children(process.pid)
        os.kill(worker, signal.SIGKILL)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 1, err
    assert by_path(json.loads(out)) == clean  # the file it held was linted again, and nothing else lost


@pytest.mark.parametrize(("signal_number", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"),
                                                               (signal.SIGINT, 130, "Ctrl-C")])
def test_a_stopped_run_reports_what_it_has_writes_no_file_and_leaves_no_process(corpus, signal_number, code, name):
    folder, _ = corpus
    (folder / "baseline.json").write_text("the good baseline\n", encoding="utf-8")
    (folder / "report.sarif").write_text("the good report\n", encoding="utf-8")
    process = start("check", "corpus", "--jobs", "2", "--no-cache", "--format", "json",
                    "--write-baseline", "baseline.json", "--output-format", "sarif=report.sarif", cwd=folder)
    workers = wait_for_workers(process)
    with stopped(workers):  # the run cannot finish before the signal
        os.kill(process.pid, signal_number)  # the main process alone, as systemd or docker stop does
    out, err = process.communicate(timeout=300)
    assert process.returncode == code, err
    assert f"interrupted by {name}" in err and "left as they were: baseline.json, report.sarif" in err
    assert "Traceback" not in err
    assert json.loads(out)["files_checked"] < FILES  # the partial report, on stdout
    assert (folder / "baseline.json").read_text(encoding="utf-8") == "the good baseline\n"
    assert (folder / "report.sarif").read_text(encoding="utf-8") == "the good report\n"
    assert gone(workers)


def test_workers_die_with_a_killed_parent(corpus):
    folder, _ = corpus
    process = start("check", "corpus", "--jobs", "2", "--no-cache", "--format", "json", cwd=folder)
    workers = wait_for_workers(process)
    with stopped(workers):  # still linting when their parent dies
        process.kill()
    process.communicate(timeout=60)
    assert gone(workers)  # not blocked on their pipes forever


@pytest.mark.parametrize("where", ["start-up", "twice"])
def test_ctrl_c_anywhere_exits_130(corpus, where):
    folder, _ = corpus
    with watching_opens(folder / "corpus" / "f002.txt") as opened:
        process = start("check", "corpus", "--jobs", "1", "--no-cache", "--format", "json", cwd=folder,
                        script=INTERRUPTING, PROVLINT_TEST_CTRL_C=where)
        if where == "twice":
            opened()  # the run lints: the first Ctrl-C, and the second while it reports
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=300)
    assert process.returncode == 130, err
    assert "interrupted by Ctrl-C" in err
    assert "Aborted!" not in err and "Traceback" not in err
