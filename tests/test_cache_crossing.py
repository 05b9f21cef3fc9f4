"""A forked run's results cross to the parent as the cache's payloads: the same run
result as one process gives (findings with every field, code-frame lines, files, corpus
findings), and the same entries in the cache; a new cache database has pages that hold
several entries."""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import time
from itertools import accumulate
from pathlib import Path

import pytest

from conftest import REPO
from provlint.api import run
from provlint.config import load_settings
from provlint.engine import cache
from provlint.engine.workers import CHUNK
from test_corpus_rules import CORPUS, write_corpus

_GENERATOR = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_GENERATOR)
_GENERATOR.loader.exec_module(generate)

GENERATED = 2 * CHUNK  # with the corpus rules' files, enough for the forked workers


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Generated dumps and the corpus rules' copies, dated an hour back (the cache trusts
    their size and mtime)."""
    write_corpus(tmp_path / "inputs" / "copies")
    generate.write_corpus(GENERATED, tmp_path / "inputs" / "dumps")
    hour_ago = time.time_ns() - 3600 * 1_000_000_000
    for path in (tmp_path / "inputs" / "dumps").rglob("*.txt"):
        os.utime(path, ns=(hour_ago, hour_ago))
    return tmp_path


def lint(project: Path, jobs: int, cache_dir: str | None):
    settings = load_settings(start=project)
    settings.override("jobs", jobs)
    if cache_dir is None:
        settings.override("cache", False)
    else:
        settings.override("cache-dir", str(project / cache_dir))
    result, _ = run([str(project / "inputs")], settings)
    return result


def whole(result) -> tuple:
    return ([f.as_record() for f in result.findings], result.source_lines, result.files, result.skipped,
            result.files_checked)


def entries(project: Path, cache_dir: str) -> dict[str, bytes]:
    with sqlite3.connect(project / cache_dir / cache.DATABASE) as connection:
        found = dict(connection.execute("SELECT path, payload FROM entries"))
    connection.close()
    return found


def test_a_forked_cached_run_gives_what_one_process_gives(project):
    alone = lint(project, 1, None)
    assert any(f.rule == "DU009" and f.others for f in alone.findings)  # a corpus finding about other files
    assert alone.files_checked == GENERATED + len(CORPUS) and alone.source_lines
    cold = lint(project, 2, "forked")
    assert cold.cached == 0
    assert whole(cold) == whole(alone)
    # Each file's entry holds what one process writes for it.
    lint(project, 1, "alone")
    assert entries(project, "forked") == entries(project, "alone")
    # Read back file by file (the whole run kept beside the entries dropped), then replayed whole.
    with sqlite3.connect(project / "forked" / cache.DATABASE) as connection:
        connection.execute("DELETE FROM runs")
    connection.close()
    by_file = lint(project, 2, "forked")
    assert by_file.cached == alone.files_checked
    assert whole(by_file) == whole(alone)
    replayed = lint(project, 2, "forked")
    assert whole(replayed) == whole(alone)


def test_a_new_database_has_large_pages_and_an_old_one_is_still_read(tmp_path):
    new = cache.Cache(tmp_path / "new", "scope")
    new.put("a.txt", 1, 2, "digest", b"payload")
    new.save()
    with sqlite3.connect(tmp_path / "new" / cache.DATABASE) as connection:
        assert connection.execute("PRAGMA page_size").fetchone() == (cache.PAGE_SIZE,)
    connection.close()
    # A database made before pages grew keeps its own, and its entries.
    (tmp_path / "old").mkdir()
    with sqlite3.connect(tmp_path / "old" / cache.DATABASE) as connection:
        connection.execute("PRAGMA page_size = 4096")
        connection.execute("CREATE TABLE entries (scope TEXT, path TEXT, size INTEGER, mtime_ns INTEGER, "
                           "digest TEXT, hashed_ns INTEGER, payload BLOB, signature BLOB, PRIMARY KEY (scope, path))")
    connection.close()
    old = cache.Cache(tmp_path / "old", "scope")
    old.put("a.txt", 1, 2, "digest", b"payload")
    old.save()
    [(path, entry)] = cache.Cache(tmp_path / "old", "scope").lookup(["a.txt"]).items()
    assert (path, entry.size, entry.mtime_ns, entry.digest, entry.payload) == ("a.txt", 1, 2, "digest", b"payload")
    with sqlite3.connect(tmp_path / "old" / cache.DATABASE) as connection:
        assert connection.execute("PRAGMA page_size").fetchone() == (4096,)
    connection.close()


def test_entries_are_written_as_their_payloads_add_up_not_only_every_few_thousand(tmp_path, monkeypatch):
    """A JSONL file's payload (a hundred records' findings and signatures) is about half a
    megabyte: held until 5,000 of them waited, a thousand such files took 600 MB."""
    monkeypatch.setattr(cache.Cache, "WRITE_BYTES", 2500)
    written = cache.Cache(tmp_path, "scope")

    def rows() -> int:
        with sqlite3.connect(tmp_path / cache.DATABASE) as connection:
            count = connection.execute("SELECT count(*) FROM entries").fetchone()[0]
        connection.close()
        return count

    written.put("a.jsonl", 1000, 1, "digest-a", b"x" * 1000)
    assert not (tmp_path / cache.DATABASE).exists()  # 1,000 bytes wait
    written.put("b.jsonl", 1000, 1, "digest-b", b"y" * 1000)
    written.put("c.jsonl", 1000, 1, "digest-c", b"z" * 1000)  # 3,000 bytes: written
    assert rows() == 3
    written.put("d.jsonl", 1000, 1, "digest-d", b"w" * 1000)
    assert rows() == 3
    written.save()
    assert rows() == 4
    assert cache.Cache(tmp_path, "scope").lookup(["d.jsonl"])["d.jsonl"].payload == b"w" * 1000


def test_entries_are_looked_up_as_many_as_their_payloads_allow(tmp_path, monkeypatch):
    """Five hundred JSONL payloads looked up at once held 275 MB: a batch takes as many
    entries as LOOKUP_BYTES of the last batch's payloads allow (lowered here to 10 KB)."""
    monkeypatch.setattr(cache.Cache, "LOOKUP_BYTES", 10_000)
    written = cache.Cache(tmp_path, "scope")
    sizes = [1000] * 40 + [5000] * 20 + [10] * 600
    paths = [f"{number:03d}.jsonl" for number in range(len(sizes))]
    for path, size in zip(paths, sizes):
        written.put(path, size, 1, f"digest-{path}", b"x" * size)
    written.save()
    looked_up = list(cache.Cache(tmp_path, "scope").lookups([*paths, "absent.txt"]))
    assert [start for start, _, _ in looked_up] == list(accumulate([len(batch) for _, batch, _ in looked_up[:-1]],
                                                                    initial=0))
    batches = [(batch, entries) for _, batch, entries in looked_up]
    held = [sum(len(entry.payload) for entry in entries.values()) for _, entries in batches]
    assert len(batches[0][0]) == cache.Cache.FIRST_LOOKUP and held[0] == 32_000
    # Sized by the batch before: where the payloads grow fivefold, a batch holds 2.5 times
    # LOOKUP_BYTES, then the batches hold two of the larger ones.
    assert held[1:4] == [18_000, 25_000, 10_000] and min(len(batch) for batch, _ in batches) == 2
    assert max(len(batch) for batch, _ in batches) == cache.Cache.LOOKUP_BATCH  # the small ones, 500 at once
    assert [path for batch, _ in batches for path in batch] == [*paths, "absent.txt"]
    assert {path: len(entry.payload) for _, entries in batches for path, entry in entries.items()} == \
        dict(zip(paths, sizes))


def test_files_whose_times_moved_are_hashed_and_their_entries_stand(project, monkeypatch):
    """A fresh clone: every file's mtime is new, its content the same. The workers hash the
    files; the parent looks each unchanged file's entry up again when its hash comes back
    (holding nothing of it meanwhile) and keeps it under the new times. An entry gone by
    then is linted in the parent instead."""
    alone = lint(project, 1, None)
    lint(project, 2, "clone")
    half_hour_ago = time.time_ns() - 1800 * 1_000_000_000
    for path in (project / "inputs").rglob("*.txt"):
        os.utime(path, ns=(half_hour_ago, half_hour_ago))
    with sqlite3.connect(project / "clone" / cache.DATABASE) as connection:
        connection.execute("DELETE FROM runs")
    connection.close()
    looked_up = cache.Cache.lookup
    calls: list[list[str]] = []

    def losing_one(self, paths):  # every lookup after the take (the first) loses an entry
        found = looked_up(self, paths)
        if calls:
            found.pop(paths[0])
        calls.append(paths)
        return found

    monkeypatch.setattr(cache.Cache, "lookup", losing_one)
    rehashed = lint(project, 2, "clone")
    monkeypatch.undo()
    assert len(calls) > 1  # looked up again after the take
    assert rehashed.cached == alone.files_checked - (len(calls) - 1)  # the lost ones linted
    assert whole(rehashed) == whole(alone)
    again = lint(project, 2, "clone")  # stored under the new times: taken without a hash
    assert again.cached == alone.files_checked and whole(again) == whole(alone)
