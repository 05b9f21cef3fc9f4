"""A re-run of inputs that did not move replays the whole run kept in the cache: the same
bytes in every format as a cold run, without reading a file's entry or redoing the corpus
pass; any file written, added or removed since, a forged record, or files too new to
trust by their times, and the run is made file by file again."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import time
import zlib
from pathlib import Path

import pytest

from conftest import provlint
from provlint.api import open_cache, prepare, reading_of, run
from provlint.config import load_settings
from provlint.engine import cache, snapshot
from provlint.engine.lint import Keep
from test_corpus_rules import CORPUS, write_corpus

FORMATS = ["json", "full", "junit", "sarif", "concise"]


@pytest.fixture
def timed(monkeypatch):
    monkeypatch.setenv("PROVLINT_TIMINGS", "1")


def check(project: Path, *options: str):
    return provlint("check", "corpus", *options, cwd=project)


def replayed(outcome) -> bool:
    return "provlint: timings: replay" in outcome.err


def kept_runs(project: Path) -> int:
    with sqlite3.connect(project / ".provlint_cache" / cache.DATABASE) as connection:
        count = connection.execute("SELECT count(*) FROM runs").fetchone()[0]
    connection.close()
    return count


@pytest.mark.parametrize("chosen", FORMATS)
def test_an_unchanged_corpus_is_replayed_whole_with_the_cold_runs_bytes(tmp_path, timed, chosen):
    write_corpus(tmp_path / "corpus")
    cold = check(tmp_path, "--format", chosen, "--no-cache")
    first = check(tmp_path, "--format", chosen)
    again = check(tmp_path, "--format", chosen)
    assert not replayed(first) and replayed(again)
    assert cold.code == first.code == again.code == 1
    assert cold.out == first.out == again.out
    assert "DU009" in again.out  # the corpus pass's findings are part of what is replayed


def test_a_run_kept_without_code_frames_is_not_replayed_for_a_report_that_shows_them(tmp_path, timed):
    write_corpus(tmp_path / "corpus")
    check(tmp_path, "--format", "json")
    shown = check(tmp_path, "--format", "full")
    assert not replayed(shown)
    assert shown.out == check(tmp_path, "--format", "full", "--no-cache").out
    assert replayed(check(tmp_path, "--format", "full"))
    assert replayed(check(tmp_path, "--format", "json"))  # frames kept: a report without them takes it too


def test_a_file_edited_added_or_removed_since_is_answered_file_by_file(tmp_path, timed):
    write_corpus(tmp_path / "corpus")
    check(tmp_path, "--format", "json")
    assert replayed(check(tmp_path, "--format", "json"))
    hour_ago = time.time_ns() - 3600 * 1_000_000_000
    placeholder = "/html/head/meta[@name='og:title']/@content"
    edited = tmp_path / "corpus" / "aljazeera" / "crash.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n\n{placeholder}\n", encoding="utf-8")
    os.utime(edited, ns=(hour_ago, hour_ago))  # its mtime set back: its change time still tells
    added = tmp_path / "corpus" / "added.txt"
    added.write_text(edited.read_text(encoding="utf-8").replace("aljazeera", "example"), encoding="utf-8")
    os.utime(added, ns=(hour_ago, hour_ago))
    warm = check(tmp_path, "--format", "json")
    assert not replayed(warm)
    assert warm.out == check(tmp_path, "--format", "json", "--no-cache").out
    assert [f["path"] for f in warm.json()["findings"] if f["rule"] == "PH001"] == ["corpus/added.txt",
                                                                                    "corpus/aljazeera/crash.txt"]
    added.unlink()
    gone = check(tmp_path, "--format", "json")
    assert not replayed(gone)
    assert "corpus/added.txt" not in gone.out
    assert replayed(check(tmp_path, "--format", "json"))


def test_files_written_within_two_seconds_of_the_run_are_read_again_by_each_replay(tmp_path, timed, monkeypatch):
    write_corpus(tmp_path / "corpus")
    crash = tmp_path / "corpus" / "aljazeera" / "crash.txt"
    os.utime(crash)  # now: an edit a coarse clock could hide may follow within the same tick
    first = check(tmp_path, "--format", "json")
    again = check(tmp_path, "--format", "json")
    assert replayed(again) and again.out == first.out
    # An edit the stamp cannot see (a clock too coarse to move the file's times): the
    # replay reads the recent file again, and its content decides.
    with sqlite3.connect(tmp_path / ".provlint_cache" / cache.DATABASE) as connection:
        (kept_stamp,), = connection.execute("SELECT stamp FROM runs").fetchall()
    connection.close()
    monkeypatch.chdir(tmp_path)  # the run named its files from there
    settings = load_settings(start=tmp_path)
    ruleset, rules = prepare(settings)
    opened = open_cache(settings, ruleset, rules, dataclasses.asdict(reading_of(settings)))
    text = crash.read_text(encoding="utf-8")
    findings_only = Keep(frames=False, files=False, findings=True)  # what the JSON report kept
    crash.write_text(text.replace("crash", "crush", 1), encoding="utf-8")  # the same size
    assert snapshot.replay(opened, kept_stamp, findings_only, None) is None
    crash.write_text(text, encoding="utf-8")
    assert snapshot.replay(opened, kept_stamp, findings_only, None).files_checked == len(CORPUS)


def test_a_forged_run_is_not_replayed(tmp_path, timed):
    write_corpus(tmp_path / "corpus")
    cold = check(tmp_path, "--format", "json", "--no-cache")
    check(tmp_path, "--format", "json")
    database = tmp_path / ".provlint_cache" / cache.DATABASE
    with sqlite3.connect(database) as connection:
        # The first chunk of findings emptied: a forger hiding every finding.
        connection.execute("UPDATE run_chunks SET data = ? WHERE number = 1", (zlib.compress(b"[]"),))
    connection.close()
    warm = check(tmp_path, "--format", "json")
    assert not replayed(warm)
    assert warm.out == cold.out


def test_the_api_gets_the_replayed_findings_as_a_list(tmp_path):
    write_corpus(tmp_path / "corpus")
    settings = load_settings(start=tmp_path)
    first, _ = run([str(tmp_path / "corpus")], settings)
    again, _ = run([str(tmp_path / "corpus")], settings)
    assert "replay" in again.timings and "replay" not in first.timings
    assert [(f, f.message, f.others) for f in again.findings] == [(f, f.message, f.others) for f in first.findings]
    assert again.files_checked == first.files_checked == again.cached == len(CORPUS)


def _lint(project: Path):
    result, _ = run([str(project / "corpus")], load_settings(start=project))
    return result


def _forget_kept_runs(project: Path) -> None:
    """The whole runs kept go: the next run is made file by file, from the entries."""
    with sqlite3.connect(project / ".provlint_cache" / cache.DATABASE) as connection:
        connection.execute("DELETE FROM runs")
    connection.close()


def test_a_file_written_after_the_stamp_is_answered_as_stamped_and_linted_again_by_the_next_run(tmp_path, monkeypatch):
    write_corpus(tmp_path / "corpus")
    cold = _lint(tmp_path)
    _forget_kept_runs(tmp_path)
    edited = tmp_path / "corpus" / "aljazeera" / "crash.txt"
    stamp = snapshot.stamp

    def stamp_then_edit(inputs, settled_before_ns):
        stamped = stamp(inputs, settled_before_ns)
        # Written after the stamp looked at it, before the cache is asked; its mtime set
        # back an hour: only its size and change time tell.
        hour_ago = time.time_ns() - 3600 * 1_000_000_000
        edited.write_text(edited.read_text(encoding="utf-8") + "\n\n/html/head/meta[@name='og:title']/@content\n",
                          encoding="utf-8")
        os.utime(edited, ns=(hour_ago, hour_ago))
        return stamped

    monkeypatch.setattr(snapshot, "stamp", stamp_then_edit)
    during = _lint(tmp_path)
    monkeypatch.undo()
    # Answered as the stamp found it: every file from its entry, the edit not seen.
    assert during.cached == len(CORPUS)
    assert [(f, f.message) for f in during.findings] == [(f, f.message) for f in cold.findings]
    # The next run finds the new size: neither the entry nor the run kept under the old
    # stamp stands for the new content.
    after = _lint(tmp_path)
    assert "replay" not in after.timings and after.cached == len(CORPUS) - 1
    assert [Path(f.path) for f in after.findings if f.rule == "PH001"] == [edited]
    settings = load_settings(start=tmp_path)
    settings.values["cache"] = False
    uncached, _ = run([str(tmp_path / "corpus")], settings)
    assert [(f, f.message) for f in after.findings] == [(f, f.message) for f in uncached.findings]


def test_a_file_gone_before_the_stamp_is_never_answered_from_its_entry(tmp_path, monkeypatch):
    write_corpus(tmp_path / "corpus")
    cold = _lint(tmp_path)
    _forget_kept_runs(tmp_path)
    gone = tmp_path / "corpus" / "aljazeera" / "crash.txt"
    stamp = snapshot.stamp

    def remove_then_stamp(inputs, settled_before_ns):
        gone.unlink()  # found by the walk, gone when the stamp looks
        return stamp(inputs, settled_before_ns)

    monkeypatch.setattr(snapshot, "stamp", remove_then_stamp)
    warm = _lint(tmp_path)
    assert warm.cached == len(CORPUS) - 1 and warm.files_checked == len(CORPUS)
    assert any(Path(f.path) == gone for f in cold.findings)
    assert [f.rule for f in warm.findings if Path(f.path) == gone] == ["IN005"]  # unreadable-file, not its entry
