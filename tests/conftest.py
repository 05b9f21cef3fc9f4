"""Shared helpers: the tests run the real `provlint` CLI on real files."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
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
    completed = subprocess.run(
        [sys.executable, "-m", "provlint", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, input=stdin, timeout=300, env=env,
    )
    run = Run(completed)
    assert "Traceback" not in run.err, run.err
    return run


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
