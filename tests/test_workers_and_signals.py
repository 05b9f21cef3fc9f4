"""Dying workers, SIGTERM, SIGKILL and Ctrl-C: every file answered, no process left
behind, no good report or baseline replaced by a partial one.

The wrappers below run the real CLI with one function of the engine patched in the
test's own process (a file that kills its worker, a file that takes a while), so the
signals arrive where the tests need them without test hooks in provlint."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import NO_NETWORK

FILES = 200
KILLER = "f040.txt"

# Logs each linting process's pid; a worker that reads KILLER dies as the OOM killer kills.
KILLING = """
import os, sys
import provlint.engine.lint as engine
real = engine.read_file
def read_file(path, *args, **kwargs):
    with open(os.environ["PROVLINT_TEST_PIDS"], "a") as log:
        log.write(f"{os.getpid()}\\n")
    if path.name == os.environ.get("PROVLINT_TEST_KILLER"):
        os._exit(9)
    return real(path, *args, **kwargs)
engine.read_file = read_file
from provlint.cli import main
main(sys.argv[1:], prog_name="provlint")
"""

# Each file takes a while, so a run lasts long enough to be signalled while its workers lint.
SLOW = """
import sys, time
import provlint.engine.lint as engine
real = engine.read_file
def read_file(path, *args, **kwargs):
    time.sleep(0.02)
    return real(path, *args, **kwargs)
engine.read_file = read_file
from provlint.cli import main
main(sys.argv[1:], prog_name="provlint")
"""

# A real Ctrl-C (SIGINT to itself) while the rules load, or a second one while reporting.
INTERRUPTING = """
import os, signal, sys
import provlint.reporters as reporters
import provlint.ruleset as ruleset
import provlint.engine.lint as engine
where = os.environ["PROVLINT_TEST_CTRL_C"]
real_load, real_read, real_render = ruleset.load_ruleset, engine.read_file, reporters.render
def ctrl_c():
    os.kill(os.getpid(), signal.SIGINT)
def load_ruleset(*args, **kwargs):
    if where == "start-up":
        ctrl_c()
    return real_load(*args, **kwargs)
def read_file(path, *args, **kwargs):
    if where == "twice" and path.name == "f002.txt":
        ctrl_c()
    return real_read(path, *args, **kwargs)
def render(*args, **kwargs):
    if where == "twice":
        ctrl_c()
    return real_render(*args, **kwargs)
ruleset.load_ruleset, engine.read_file, reporters.render = load_ruleset, read_file, render
from provlint.cli import main
main(sys.argv[1:], prog_name="provlint")
"""


def start(script: str, *args: str, cwd: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(NO_NETWORK), **env),
                            # As at a terminal: a suite started in the background inherits SIGINT ignored.
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            found.update(int(child) for child in (task / "children").read_text().split())
    return found


def wait_for_workers(process: subprocess.Popen, count: int = 2) -> set[int]:
    """The run's worker pids, once its pool has started (however slow the start-up)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        workers = children(process.pid)
        if len(workers) >= count:
            return workers
        time.sleep(0.01)
    raise AssertionError("the run's workers never started")


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


def test_a_file_that_kills_its_worker_is_isolated_and_the_rest_goes_on_in_a_pool(corpus):
    folder, clean = corpus
    pids = folder / "pids.log"
    pids.unlink(missing_ok=True)
    process = start(KILLING, "check", "corpus", "--jobs", "2", "--no-cache", "--format", "json", cwd=folder,
                    PROVLINT_TEST_PIDS=str(pids), PROVLINT_TEST_KILLER=KILLER)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 1, err
    report = json.loads(out)
    assert report["files_checked"] == FILES
    found = by_path(report)
    killer = f"corpus/{KILLER}"
    assert [(rule, severity) for _, _, rule, severity, _ in found.pop(killer)] == [("IN007", "error")]
    assert found == {path: findings for path, findings in clean.items() if path != killer}
    # A pool of 2, the files being linted when the worker died alone (at most one new
    # worker each), then a fresh pool of 2 for the rest: not one process per file left.
    assert len(set(pids.read_text().split())) <= 6


def test_a_worker_killed_from_outside_loses_no_file(corpus):
    folder, clean = corpus
    process = start(SLOW, "check", "corpus", "--jobs", "2", "--no-cache", "--format", "json", cwd=folder)
    worker = min(wait_for_workers(process))
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
    process = start(SLOW, "check", "corpus", "--jobs", "2", "--no-cache", "--format", "json",
                    "--write-baseline", "baseline.json", "--output-format", "sarif=report.sarif", cwd=folder)
    workers = wait_for_workers(process)
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
    process = start(SLOW, "check", "corpus", "--jobs", "2", "--no-cache", "--format", "json", cwd=folder)
    workers = wait_for_workers(process)
    process.kill()
    process.communicate(timeout=60)
    assert gone(workers)  # not blocked on their pipes forever


@pytest.mark.parametrize("where", ["start-up", "twice"])
def test_ctrl_c_anywhere_exits_130(corpus, where):
    folder, _ = corpus
    process = start(INTERRUPTING, "check", "corpus", "--jobs", "1", "--no-cache", "--format", "json", cwd=folder,
                    PROVLINT_TEST_CTRL_C=where)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 130, err
    assert "interrupted by Ctrl-C" in err
    assert "Aborted!" not in err and "Traceback" not in err
