"""Settings and rule packs that must not break later runs or the machine: a cache folder
over the corpus, rule, schema and config files that never end (a FIFO, /dev/zero),
schema references to the network or to files outside the pack, look-around patterns
slow on every block, and a cache that someone else could write."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NO_NETWORK, SEED, Run

# A regression here hangs (a FIFO) or reads without end (/dev/zero): every run is bounded
# in time and in memory, so it fails instead of hanging the suite or the machine.
TIMEOUT = 120
MEMORY = 4 << 30


def _bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def provlint(*args: str, cwd: Path) -> Run:
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(NO_NETWORK), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "provlint", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, env=environment, preexec_fn=_bounded_memory)
    outcome = Run(done)
    assert "Traceback" not in outcome.err, outcome.err
    return outcome


# Rule, schema and config files: regular files only, read up to a cap.


def _fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_rule_file_that_never_ends_is_refused(tmp_path, kind):
    rules = _fifo(tmp_path, "pipe.yaml") if kind == "fifo" else Path("/dev/zero")
    what = "a named pipe (FIFO)" if kind == "fifo" else "a character device"
    done = provlint("check", SEED, "--rules", rules, cwd=tmp_path)
    assert done.code == 2
    assert done.err.splitlines()[0] == f"error: {rules}:1:1: rule file is not a regular file: it is {what}"
    (tmp_path / "provlint.yaml").write_text(f"rules: [{rules}]\n", encoding="utf-8")
    by_config = provlint("check", SEED, cwd=tmp_path)
    assert by_config.code == 2 and f"{rules}:1:1: rule file is not a regular file: it is {what}" in by_config.err


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_config_file_that_never_ends_is_refused(tmp_path, kind):
    config = _fifo(tmp_path, "pipe.yaml") if kind == "fifo" else Path("/dev/zero")
    what = "a named pipe (FIFO)" if kind == "fifo" else "a character device"
    done = provlint("check", SEED, "--config", config, cwd=tmp_path)
    assert done.code == 2
    assert done.err.splitlines()[0] == f"error: {config}:1:1: config file is not a regular file: it is {what}"


def test_a_config_file_over_the_cap_is_refused_by_name(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.provlint]\n" + "# padding\n" * 120_000, encoding="utf-8")
    done = provlint("check", SEED, cwd=tmp_path)
    assert done.code == 2
    assert "pyproject.toml:1:1: config file is larger than 1000000 bytes" in done.err


