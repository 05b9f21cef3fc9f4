"""Speed and scale: the same findings however a run is executed (one process, forked
workers, the cache, a Dask cluster), and a cache that is invalidated exactly when it
must be."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import sqlite3
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import NO_NETWORK, REPO, provlint
from provlint.api import run
from provlint.config import load_settings

_GENERATOR = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_GENERATOR)
_GENERATOR.loader.exec_module(generate)

COUNT = 240
XPATH = "/html/head/meta[@name='og:title']/@content"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated dumps: eight outlets, seven languages, shuffled layouts, a few defects."""
    folder = tmp_path_factory.mktemp("corpus")
    generate.write_corpus(COUNT, folder / "dumps")
    return folder


def findings_of(done) -> list[dict]:
    assert done.code == 1, done.err
    return done.json()["findings"]


def test_the_corpus_has_findings_and_clean_files(corpus):
    findings = findings_of(provlint("check", "dumps", "--format", "json", "--no-cache", cwd=corpus))
    rules = {f["rule"] for f in findings}
    assert {"PH001", "TS003", "AT002", "PV001"} <= rules
    assert 0 < len({f["path"] for f in findings}) < COUNT


@pytest.fixture(scope="module")
def dask_cluster(corpus):
    """A local Dask cluster of two worker processes, on loopback only."""
    distributed = pytest.importorskip("distributed")
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NO_NETWORK), previous]))  # workers: no network
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster:
            yield cluster
    finally:
        os.environ.pop("PYTHONPATH") if previous is None else os.environ.update(PYTHONPATH=previous)


def test_same_findings_same_order_however_the_run_is_executed(corpus, dask_cluster):
    def check(*flags: str) -> list[dict]:
        return findings_of(provlint("check", "dumps", "--format", "json", *flags, cwd=corpus))

    one = check("--jobs", "1", "--no-cache")
    assert one == check("--jobs", "2", "--no-cache")
    assert one == check("--jobs", "2")  # cold: fills the cache
    assert one == check("--jobs", "1")  # every file from the cache
    assert one == check("--dask", dask_cluster.scheduler_address, "--no-cache")
    assert one == check("--dask", dask_cluster.scheduler_address)  # cache, then nothing left to distribute


def test_findings_spilled_in_sorted_runs_come_back_the_same_on_every_pass(corpus, monkeypatch):
    """A run spills its findings to disk in sorted runs and merges them back for each
    report: every field of every finding, and their order, as when they stay a list; and
    a second pass reads the same again."""
    from provlint.engine import Keep
    from provlint.findings import FindingSpool

    settings = load_settings(start=corpus)
    settings.override("cache", False)
    whole, _ = run([str(corpus / "dumps")], settings)
    monkeypatch.setattr(FindingSpool, "RUN", 7)
    monkeypatch.setattr(FindingSpool, "CHUNK", 3)
    spilled, _ = run([str(corpus / "dumps")], settings, keep=Keep(findings=False))
    assert len(whole.findings) > 10 * 7 and spilled.findings == []
    expected = [f.as_record() for f in whole.findings]
    assert [f.as_record() for f in spilled.in_order()] == expected
    assert [f.as_record() for f in spilled.in_order()] == expected
    assert len(spilled.in_order()) == len(expected)


def test_the_spool_orders_findings_as_finding_sort_key_does(monkeypatch):
    """The spool keeps findings as their values and sorts them by `values_sort_key`: the
    order `Finding.sort_key` gives (by file, a record's line 10 after its line 9, a
    file-level finding first), equal keys in the order they came, in one run or many."""
    from provlint.findings import FindingSpool
    from provlint.model import Finding

    chooser = random.Random(3)
    findings = [Finding(path=f"{file}:{record}" if record else file, line=chooser.choice([None, 1, 2, 9, 10]),
                        column=chooser.choice([None, 1, 5]), rule=chooser.choice(["PH001", "TS003"]),
                        message=chooser.choice(["a", "b"]), file=file if record else "", fingerprint=str(number))
                for number in range(300)
                for file, record in [chooser.choice([("a.jsonl", 9), ("a.jsonl", 10), ("a.txt", 0), ("b.txt", 0)])]]
    expected = [f.fingerprint for f in sorted(findings, key=Finding.sort_key)]
    for size in (10_000, 7):  # one run, then many spilled
        monkeypatch.setattr(FindingSpool, "RUN", size)
        spool = FindingSpool()
        for start in range(0, len(findings), 13):
            spool.add(findings[start : start + 13])
        assert [f.fingerprint for f in spool.sorted()] == expected


@pytest.mark.skipif(os.environ.get("PROVLINT_TEST_SUBPROCESS") == "1" or not hasattr(os, "fork"),
                    reason="the CLI must run forked from this process to see the smaller spill runs")
def test_reports_read_from_spilled_runs_are_the_same(corpus, monkeypatch, tmp_path):
    """The CLI's reports, baseline and --min-severity over findings spilled in many small
    runs: the same bytes as when they fit in one."""
    from provlint.findings import FindingSpool

    baseline = tmp_path / "baseline.json"
    some = tmp_path / "some.json"

    def reports() -> list[str]:
        provlint("check", "dumps", "--no-cache", "--select", "PH", "--write-baseline", str(baseline), cwd=corpus)
        full = json.loads(baseline.read_text())
        some.write_text(json.dumps({**full, "findings": full["findings"][::2]}))
        runs = [provlint("check", "dumps", "--no-cache", "--format", "json", cwd=corpus),
                provlint("check", "dumps", "--no-cache", "--format", "concise", "--min-severity", "warning", cwd=corpus),
                provlint("check", "dumps", "--no-cache", "--statistics", "--baseline", str(some), cwd=corpus),
                provlint("check", "dumps", "--no-cache", "--format", "sarif", "--baseline", str(some), cwd=corpus)]
        assert [done.code for done in runs] == [1, 1, 1, 1], [done.err for done in runs]
        return [done.out for done in runs] + [baseline.read_text()]

    whole = reports()
    monkeypatch.setattr(FindingSpool, "RUN", 7)
    monkeypatch.setattr(FindingSpool, "CHUNK", 3)
    assert reports() == whole
    assert "below --min-severity not shown" in whole[1] and "hidden by the baseline" in whole[2]


def test_a_report_without_code_frames_or_a_file_list_keeps_neither(corpus):
    """At a million files the lines around findings and the list of files are hundreds of
    MB: a run keeps them only for a format that shows them, with the same findings."""
    from provlint.engine import Keep

    settings = load_settings(start=corpus)
    settings.override("cache", False)
    kept, _ = run([str(corpus / "dumps")], settings)
    lean, _ = run([str(corpus / "dumps")], settings, keep=Keep(frames=False, files=False))
    assert len(kept.files) == COUNT and kept.source_lines
    assert lean.files == [] and lean.source_lines == {}
    assert [f.as_record() for f in lean.findings] == [f.as_record() for f in kept.findings]


def test_jsonl_with_a_junit_and_a_full_report_still_lists_every_file_and_shows_frames(corpus, tmp_path):
    done = provlint("check", "dumps", "--format", "jsonl", "--no-cache", "--output-format",
                    f"junit={tmp_path / 'out.xml'}", "--output-format", f"full={tmp_path / 'out.txt'}", cwd=corpus)
    suites = [suite.get("name") for suite in ET.parse(tmp_path / "out.xml").getroot().iter("testsuite")]
    assert len(suites) == COUNT
    # A finding at a line's start: its frame shows the line from there.
    first = next(f for f in map(json.loads, done.out.splitlines()) if f["column"] == 1)
    line = (corpus / first["path"]).read_text(encoding="utf-8").splitlines()[first["line"] - 1]
    assert f"{first['line']} │ {line[:40]}" in (tmp_path / "out.txt").read_text(encoding="utf-8")


def test_python_api_on_a_dask_cluster(corpus, dask_cluster):
    from distributed import Client

    from provlint.dask import lint_bag

    cli = findings_of(provlint("check", "dumps", "--format", "json", "--no-cache", cwd=corpus))
    config = corpus / "no-cache.yaml"
    config.write_text("cache: false\n", encoding="utf-8")
    here = os.getcwd()
    os.chdir(corpus)
    try:
        with Client(dask_cluster.scheduler_address) as client:
            findings = lint_bag(["dumps"], config=config, client=client)
    finally:
        os.chdir(here)
    assert [f.as_dict() for f in findings] == cli


def test_dask_needs_a_scheduler_it_can_reach(corpus):
    done = provlint("check", "dumps", "--dask", "nonsense://127.0.0.1:9", cwd=corpus)
    assert done.code == 2
    assert "cannot reach the Dask scheduler at nonsense://127.0.0.1:9" in done.err


# The cache: what invalidates what.


@pytest.fixture
def project(tmp_path) -> Path:
    generate.write_corpus(60, tmp_path / "dumps")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "short-title.yaml").write_text(
        "id: XT001\nname: short-title\ncategory: text\nseverity: warning\n"
        "message: 'title {match!r} is short'\ndescription: 'What: a short title.'\n"
        "check: pattern\ntarget: [title]\npattern: '^.{1,12}$'\n", encoding="utf-8")
    (tmp_path / "provlint.yaml").write_text("rules: [rules]\n", encoding="utf-8")
    return tmp_path


def lint(project: Path):
    result, _ = run([str(project / "dumps")], load_settings(start=project))
    return result


def test_an_unchanged_corpus_comes_from_the_cache(project):
    cold = lint(project)
    assert cold.cached == 0 and cold.files_checked == 60
    warm = lint(project)
    assert warm.cached == 60
    assert warm.findings == cold.findings
    assert [f.message for f in warm.findings] == [f.message for f in cold.findings]
    assert warm.source_lines == cold.source_lines


def test_editing_one_dump_relints_that_dump_only(project):
    cold = lint(project)
    edited = project / "dumps" / "000" / "000007.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n\n{XPATH}\n", encoding="utf-8")
    warm = lint(project)
    assert warm.cached == 59
    new = [f for f in warm.findings if f not in cold.findings]
    assert [(Path(f.path).name, f.rule) for f in new] == [("000007.txt", "PH001")]


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(project):
    edited = project / "dumps" / "000" / "000003.txt"
    # An mtime no older than the hashing (a file written as the run reads it; set ahead so
    # a slow run cannot age it past the window) cannot vouch for the content.
    ahead = time.time_ns() + 60_000_000_000
    os.utime(edited, ns=(ahead, ahead))
    lint(project)
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    assert " date 2021-" in text
    edited.write_text(text.replace(" date 2021-", " date 2020-", 1), encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size
    warm = lint(project)
    assert warm.cached == 59  # hashed again, so the edit is seen


def test_touching_a_dump_rehashes_it_but_keeps_its_findings(project):
    cold = lint(project)
    touched = project / "dumps" / "000" / "000000.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 5_000_000_000))
    warm = lint(project)
    assert warm.cached == 60
    assert warm.findings == cold.findings


def test_editing_a_rule_relints_everything(project):
    cold = lint(project)
    rule = project / "rules" / "short-title.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("is short", "is too short"), encoding="utf-8")
    warm = lint(project)
    assert warm.cached == 0
    assert [f.message.replace("too ", "") for f in warm.findings] == [f.message for f in cold.findings]


def test_editing_a_schema_file_a_rule_names_relints_everything(project):
    (project / "rules" / "title.schema.json").write_text(
        '{"properties": {"title": {"items": {"maxLength": 500}}}}', encoding="utf-8")
    (project / "rules" / "long-title.yaml").write_text(
        "id: XS001\nname: long-title\ncategory: schema\nseverity: warning\nmessage: '{error}'\n"
        "description: 'What: a long title.'\ncheck: schema\nschema: title.schema.json\n", encoding="utf-8")
    cold = lint(project)
    assert not [f for f in cold.findings if f.rule == "XS001"]
    assert lint(project).cached == 60
    (project / "rules" / "title.schema.json").write_text(
        '{"properties": {"title": {"items": {"maxLength": 5}}}}', encoding="utf-8")
    assert lint(project).cached == 0  # the rule file is unchanged: its schema file's content counts


def test_settings_that_change_findings_invalidate_and_others_do_not(project):
    lint(project)
    config = project / "provlint.yaml"
    config.write_text("rules: [rules]\nper-path-ignores: {'dumps/001/*': [PV]}\nfail-on: error\n", encoding="utf-8")
    assert lint(project).cached == 60  # applied after the cache
    config.write_text("rules: [rules]\nseverity: {PV001: warning}\n", encoding="utf-8")
    result = lint(project)
    assert result.cached == 0
    assert {f.severity for f in result.findings if f.rule == "PV001"} == {"warning"}
    config.write_text("rules: [rules]\nseverity: {PV001: warning}\nmax-file-size: 100\n", encoding="utf-8")
    assert lint(project).cached == 0


def test_a_corrupted_entry_is_ignored_never_trusted(project):
    cold = lint(project)
    database = next((project / ".provlint_cache").glob("*.sqlite"))
    with sqlite3.connect(database) as connection:
        path, payload = connection.execute("SELECT path, payload FROM entries ORDER BY path LIMIT 1").fetchone()
        forged = payload.replace(b"[]", b"[[]]", 1) if b"[]" in payload else payload + b"x"
        connection.execute("UPDATE entries SET payload = ? WHERE path = ?", (forged, path))
        # Without the kept whole run the next run must read each file's entry: a run that
        # started 2 s after the dumps were written (a loaded machine) is otherwise replayed whole.
        connection.execute("DELETE FROM runs")
        connection.execute("DELETE FROM run_chunks")
    connection.close()
    warm = lint(project)
    assert warm.cached == 59
    assert warm.findings == cold.findings
    database.write_bytes(b"not a database at all" * 100)
    again = lint(project)
    assert again.cached == 0 and again.findings == cold.findings
    assert lint(project).cached == 60


def test_no_cache_writes_nothing_and_clean_removes_the_cache(project):
    done = provlint("check", "dumps", "--no-cache", "--quiet", cwd=project)
    assert done.code == 1
    assert not (project / ".provlint_cache").exists()
    provlint("check", "dumps", "--quiet", cwd=project)
    assert (project / ".provlint_cache" / ".gitignore").is_file()
    cleaned = provlint("clean", cwd=project)
    assert cleaned.code == 0 and "removed" in cleaned.out
    assert not (project / ".provlint_cache").exists()
    assert "no cache" in provlint("clean", cwd=project).out


def test_a_cache_that_cannot_be_written_is_a_warning_not_a_failure(project):
    (project / "blocked").write_text("a file where the cache folder should go", encoding="utf-8")
    done = provlint("check", "dumps", "--cache-dir", "blocked/cache", "--format", "json", cwd=project)
    reference = provlint("check", "dumps", "--no-cache", "--format", "json", cwd=project)
    assert done.code == 1
    assert "warning: cache not written" in done.err
    assert done.json()["findings"] == reference.json()["findings"]
