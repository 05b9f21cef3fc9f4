"""Where reports and baselines go: a device, a FIFO or `-` is written as it is, a file
atomically (through a symlink, to its target), and every output path is checked
before linting."""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest

from conftest import SEED, provlint


def test_a_fifo_is_written_not_replaced(tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    run = provlint("check", SEED, "--format", "json", "--output", fifo, cwd=tmp_path)
    reader.join(timeout=60)
    assert run.code == 1, run.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["files_checked"] == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_is_written_not_replaced(tmp_path):
    null = tmp_path / "null"  # a twin of /dev/null: a failing test must not replace the real one
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    run = provlint("check", SEED, "--format", "json", "--output", null, "--write-baseline", null, cwd=tmp_path)
    assert run.code == 1, run.err
    status = os.lstat(null)
    assert stat.S_ISCHR(status.st_mode) and status.st_rdev == os.makedev(1, 3)


def test_a_symlink_is_kept_and_its_target_written_with_its_permissions(tmp_path):
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "latest.json"
    target.write_text("old report\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "report.json"
    link.symlink_to(target)
    run = provlint("check", SEED, "--format", "json", "--output", "report.json", cwd=tmp_path)
    assert run.code == 1, run.err
    assert os.readlink(link) == str(target)
    assert json.loads(target.read_text(encoding="utf-8"))["files_checked"] == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["latest.json"]  # no temporary file left


def test_dash_is_stdout(tmp_path):
    run = provlint("check", SEED, "--format", "json", "--output", "-", cwd=tmp_path)
    assert run.code == 1 and json.loads(run.out)["files_checked"] == 1
    run = provlint("check", SEED, "--quiet", "--output-format", "sarif=-", cwd=tmp_path)
    assert run.code == 1 and json.loads(run.out)["version"] == "2.1.0"
    assert not (tmp_path / "-").exists()
    run = provlint("check", SEED, "--output-format", "sarif=-", cwd=tmp_path)  # and the report too
    assert run.code == 2 and "only one report can go to stdout (-)" in run.err


def test_a_missing_folder_is_made(tmp_path):
    run = provlint("check", SEED, "--format", "json", "--output", "out/ci/report.json", cwd=tmp_path)
    assert run.code == 1, run.err
    assert json.loads((tmp_path / "out" / "ci" / "report.json").read_text(encoding="utf-8"))["files_checked"] == 1


@pytest.mark.parametrize(("flag", "path", "reason"), [
    ("--output", "seed.txt/report.json", "cannot write seed.txt/report.json: Not a directory"),
    ("--output-format", "sarif=folder", "cannot write folder: is a folder"),
    ("--write-baseline", "loop", "cannot write loop: Too many levels of symbolic links"),
])
def test_an_output_path_that_cannot_be_written_stops_the_run_before_linting(tmp_path, seed_text, flag, path, reason):
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "loop").symlink_to("loop")
    run = provlint("check", "seed.txt", "--format", "json", flag, path, cwd=tmp_path)
    assert run.code == 2 and reason in run.err
    assert run.out == "" and not (tmp_path / ".provlint_cache").exists()  # nothing was linted


def test_an_output_inside_the_checked_folders_is_refused(tmp_path, seed_text):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "dump.txt").write_text(seed_text, encoding="utf-8")
    run = provlint("check", "corpus", "--output", "corpus/report.json", cwd=tmp_path)
    assert run.code == 2
    assert "corpus/report.json: inside the checked folders, where the next run would read it as an input" in run.err
    assert not (tmp_path / "corpus" / "report.json").exists()
    run = provlint("check", "corpus", "--write-baseline", "corpus/dump.txt", cwd=tmp_path)
    assert run.code == 2 and "refusing to overwrite an input file: corpus/dump.txt" in run.err
    # A name no walk reads, or one excluded, is no input.
    assert provlint("check", "corpus", "--quiet", "--output-format", "sarif=corpus/report.sarif", cwd=tmp_path).code == 1
    assert provlint("check", "corpus", "--quiet", "--exclude", "report.json", "--output", "corpus/report.json",
                    cwd=tmp_path).code == 1


def test_an_output_that_is_an_input_by_another_name_is_refused(tmp_path, seed_text):
    (tmp_path / "corpus").mkdir()
    dump = tmp_path / "corpus" / "dump.txt"
    dump.write_text(seed_text, encoding="utf-8")
    (tmp_path / "alias.json").symlink_to(dump)
    os.link(dump, tmp_path / "hard.json")
    for alias in ("alias.json", "hard.json"):
        run = provlint("check", "corpus", "--output", alias, cwd=tmp_path)
        assert run.code == 2 and f"refusing to overwrite an input file: {alias}" in run.err
    assert dump.read_text(encoding="utf-8") == seed_text
    # Once the input is gone, the same name is an output like any other.
    dump.unlink()
    (tmp_path / "corpus" / "other.txt").write_text(seed_text, encoding="utf-8")
    assert provlint("check", "corpus", "--quiet", "--output", "hard.json", cwd=tmp_path).code == 1
