"""Shared helpers: the tests run the real `provlint` CLI on real files."""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import json
import locale
import os
import selectors
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_f05103ceb859ce66.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = REPO.parent / "shared" / "corpus"
# Every provlint process the tests start runs with sockets disabled: provlint must
# never touch the network (tldextract uses its bundled suffix list).
NO_NETWORK = Path(__file__).resolve().parent / "no_network"


# The test process itself gets the same guard (loopback stays open for the local Dask
# cluster of the scale tests).
_GUARD = importlib.util.spec_from_file_location("provlint_no_network", NO_NETWORK / "sitecustomize.py")
_GUARD.loader.exec_module(importlib.util.module_from_spec(_GUARD))


class Run:
    def __init__(self, completed: subprocess.CompletedProcess) -> None:
        self.code = completed.returncode
        self.out = completed.stdout
        self.err = completed.stderr

    def json(self) -> dict:
        return json.loads(self.out)

    def findings(self) -> list[tuple[int | None, str, str]]:
        return [(f["line"], f["rule"], f["severity"]) for f in self.json()["findings"]]


def provlint(*args: str, cwd: Path | None = None, stdin: str | None = None) -> Run:
    """Run `python -m provlint ARGS` in `cwd` (a temporary folder by default, so the
    installed package is what runs, not the source tree)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(NO_NETWORK), os.environ.get("PYTHONPATH")])))
    argv = [str(arg) for arg in args]
    if _FORKED and _startup_environment(env) == _STARTUP_ENVIRONMENT:
        completed = _run_forked(argv, cwd, stdin, env)
    else:
        completed = subprocess.run(
            [sys.executable, "-m", "provlint", *argv],
            cwd=cwd, capture_output=True, text=True, input=stdin, timeout=300, env=env,
        )
    run = Run(completed)
    assert "Traceback" not in run.err, run.err
    return run


# Most tests run the CLI on a few small files, where a new interpreter spends most of
# its time importing provlint and compiling its rules' patterns (about 0.6 of 0.8 s).
# So the CLI runs in a process forked from this one, where that is done once: a process
# of its own (own exit code, file descriptors, signals, cwd, environment), entering the
# CLI as `python -m provlint` does. PROVLINT_TEST_SUBPROCESS=1 starts a new interpreter
# for each run instead; so does a test that changes what an interpreter reads at start-up.
_FORKED = os.environ.get("PROVLINT_TEST_SUBPROCESS") != "1" and hasattr(os, "fork")


def _startup_environment(env: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in env.items()
            if key.startswith(("PYTHON", "LC_")) and key != "PYTHONPATH" or key == "LANG"}


_STARTUP_ENVIRONMENT = _startup_environment(dict(os.environ))
_TEXT_ENCODING = locale.getpreferredencoding(False)  # what subprocess.run(text=True) decodes with


@functools.cache
def _prepared() -> list[tuple[str, str]]:
    """Import the CLI and build what every run builds the same (the built-in rules' patterns,
    the public-suffix list); return (encoding, errors) of stdin, stdout and stderr in a new
    interpreter started here, for the forked process's own."""
    from provlint.patterns import compile_known
    from provlint.readers import load_shared_data
    from provlint.ruleset import load_ruleset

    load_ruleset()
    load_shared_data()
    compile_known()  # once here, not in each forked run of the CLI
    shown = subprocess.run(
        [sys.executable, "-c", "import sys; print(*(f'{s.encoding} {s.errors}' for s in "
                               "(sys.stdin, sys.stdout, sys.stderr)), sep='\\n')"],
        capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL)
    return [tuple(line.split()) for line in shown.stdout.splitlines()]


def _run_forked(argv: list[str], cwd: Path | None, stdin: str | None, env: dict[str, str]) -> subprocess.CompletedProcess:
    from provlint.cli import main

    stdio = _prepared()
    data = stdin.encode(_TEXT_ENCODING) if stdin is not None else b""
    in_read, in_write = os.pipe()
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the CLI's process: never returns to pytest
        code = 1
        try:
            os.dup2(in_read, 0)
            os.dup2(out_write, 1)
            os.dup2(err_write, 2)
            for fd in (in_read, in_write, out_read, out_write, err_read, err_write):
                os.close(fd)
            if cwd is not None:
                os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            atexit._clear()  # the test process's exit handlers are not the CLI's
            # The CLI's own standard streams for the rest of this process, not a block's.
            sys.stdin, sys.stdout, sys.stderr = (
                open(fd, mode, encoding=encoding, errors=errors, closefd=False)  # noqa: SIM115
                for fd, mode, (encoding, errors) in zip((0, 1, 2), "rww", stdio))
            sys.argv = ["provlint", *argv]
            try:
                main(args=argv, prog_name="provlint")
                code = 0
            except SystemExit as exc:
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
            atexit._run_exitfuncs()
        except BaseException:
            traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(BaseException):
                    stream.flush()
            os._exit(code)
    for fd in (in_read, out_write, err_write):
        os.close(fd)
    return _communicate(pid, in_write, data, out_read, err_read, [sys.executable, "-m", "provlint", *argv])


def _communicate(pid: int, stdin_fd: int, data: bytes, out_fd: int, err_fd: int, args: list[str]) -> subprocess.CompletedProcess:
    """Feed stdin and collect stdout and stderr until the process ends, as subprocess.run
    does (with its 300 s limit)."""
    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    deadline = time.monotonic() + 300
    with selectors.DefaultSelector() as selector:
        selector.register(out_fd, selectors.EVENT_READ)
        selector.register(err_fd, selectors.EVENT_READ)
        if data:
            os.set_blocking(stdin_fd, False)
            selector.register(stdin_fd, selectors.EVENT_WRITE)
        else:
            os.close(stdin_fd)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise subprocess.TimeoutExpired(args, 300)
            for key, _ in selector.select(remaining):
                if key.fd == stdin_fd:
                    try:
                        data = data[os.write(stdin_fd, data[:65536]):]
                    except BrokenPipeError:
                        data = b""
                    if not data:
                        selector.unregister(stdin_fd)
                        os.close(stdin_fd)
                    continue
                chunk = os.read(key.fd, 65536)
                if chunk:
                    chunks[key.fd].append(chunk)
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    _, status = os.waitpid(pid, 0)

    def text(fd: int) -> str:
        return b"".join(chunks[fd]).decode(_TEXT_ENCODING).replace("\r\n", "\n").replace("\r", "\n")

    return subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), text(out_fd), text(err_fd))


@pytest.fixture(autouse=True, scope="session")
def cache_home(tmp_path_factory) -> Path:
    """provlint keeps its cache signing key in the user's cache home: the tests (and the
    provlint processes they start) use one of their own, never the real one."""
    home = tmp_path_factory.mktemp("cache-home")
    os.environ["XDG_CACHE_HOME"] = str(home)
    return home


@pytest.fixture
def lint(tmp_path: Path):
    """Write a dump to a file and lint it: lint(text, *flags) -> Run (JSON output)."""

    def run(text: str, *flags: str, name: str = "dump.txt", newline: str = "\n") -> Run:
        path = tmp_path / name
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
        return provlint("check", path, "--format", "json", *flags, cwd=tmp_path)

    return run


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
