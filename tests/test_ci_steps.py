"""What a CI step relies on besides the findings: the commands load the rules `check`
loads, nothing found is not a pass, JUnit fails only what fails the run, reports are
readable, and a closed pipe is not an error."""

from __future__ import annotations

import json

from conftest import SEED, provlint


def test_explain_rules_and_test_rules_load_the_configs_rules(tmp_path):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    assert provlint("init", cwd=project).code == 0
    explained = provlint("explain", "PH901", cwd=project)
    assert explained.code == 0 and explained.out.splitlines()[0].strip() == "PH901 editorial-marker"
    listed = provlint("rules", "--select", "PH9", "--format", "json", cwd=project)
    assert listed.code == 0 and [rule["id"] for rule in listed.json()] == ["PH901"]
    # --config names the file from elsewhere; without it, elsewhere has only the built-in rules.
    assert provlint("explain", "PH901", "--config", project / "provlint.yaml", cwd=elsewhere).code == 0
    assert provlint("explain", "PH901", cwd=elsewhere).code == 2
    # The project's own rule, broken: test-rules without PATHS runs its examples too.
    rule = project / "provlint-rules" / "editorial-marker.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("a déclaré lundi", "a déclaré TK"), encoding="utf-8")
    tested = provlint("test-rules", cwd=project)
    assert tested.code == 1
    assert tested.out.splitlines()[0].startswith("FAIL PH901 pass example #1 ")
    # The starter file's own advice names the folder the config names too: its rules run once.
    named = provlint("test-rules", "provlint-rules/", cwd=project)
    assert named.code == 1 and named.out.splitlines()[-1] == "1 passed, 1 failed (1 rule)"


def test_no_input_file_at_all_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "README.md").write_text("# not an input\n", encoding="utf-8")
    (tmp_path / "notes" / "draft.txt").write_text("skipped\n", encoding="utf-8")
    expected = ("provlint: warning: no input files found under {} (dumps, JSON, JSONL or HTML pages, less excluded "
                "and git-ignored files); nothing was checked")
    cases = [(["empty"], "empty"), (["notes", "--exclude", "*.txt"], "notes"),
             (["empty", "notes/", "--exclude", "draft.txt"], "empty, notes/")]
    for flags, where in cases:
        run = provlint("check", *flags, "--output", "report.json", "--write-baseline", "baseline.json", cwd=tmp_path)
        assert run.code == 2 and run.out == ""
        assert run.err.splitlines() == [expected.format(where)]
        assert not (tmp_path / "report.json").exists() and not (tmp_path / "baseline.json").exists()
    assert provlint("check", "notes", "--format", "json", cwd=tmp_path).json()["files_checked"] == 1


def test_junit_fails_only_what_fails_the_run(tmp_path):
    import xml.etree.ElementTree as ET

    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    # One rule twice on one line, and two records of one file with the same record-level findings.
    (tmp_path / "twice.txt").write_text("2022-02-21T08:57+0100\n\n{{title}} {{title}}\n", encoding="utf-8")
    articles = [{"title": "A headline long enough here", "url": f"https://example.org/{name}", "content": "Body."}
                for name in "ab"]
    (tmp_path / "news.json").write_text(json.dumps({"status": "ok", "articles": articles}), encoding="utf-8")

    def junit(*flags: str) -> ET.Element:
        return ET.fromstring(provlint("check", ".", "--format", "junit", *flags, cwd=tmp_path).out)

    def failing(suite: ET.Element) -> list[str]:
        return [case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None]

    root = junit()
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert failing(suites["seed.txt"]) == ["PH001 27:1", "PH001 27:44"]
    assert failing(suites["twice.txt"]) == ["PH002 3:1", "PH002 3:11"]
    # Record-level findings stand on their record's `{` (both records are on line 1), the record in the class name.
    assert [(case.get("name"), case.get("classname")) for case in suites["news.json"].iter("testcase")] == [
        ("AT001 1:31", "news.json#/articles/0"), ("AT002 1:31", "news.json#/articles/0"),
        ("AT001 1:125", "news.json#/articles/1"), ("AT002 1:125", "news.json#/articles/1")]
    assert [(s.get("tests"), s.get("failures")) for s in suites.values()] == [("4", "0"), ("11", "2"), ("4", "2")]
    assert (root.get("tests"), root.get("failures")) == ("19", "4")
    # An info finding is a passing test case that carries it, not a failure nor a skip.
    info = next(case for case in suites["seed.txt"].iter("testcase") if case.get("name") == "PV001 1:15")
    assert info.find("failure") is None and info.find("skipped") is None
    assert info.find("system-out").text.startswith("seed.txt:1:15: PV001 Sputnik France (sputniknews.com): EU broadcast ban")
    # --fail-on info: every finding fails; --fail-on error: the errors alone.
    assert junit("--fail-on", "info").get("failures") == "19"
    assert junit("--fail-on", "error").get("failures") == "4"


def test_a_closed_pipe_ends_the_run_quietly(tmp_path):
    """`provlint check … | head`: the reader left; exit 0 without a word, as ruff and ripgrep do."""
    import os
    import subprocess
    import sys

    from conftest import NO_NETWORK

    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    env = dict(os.environ, PYTHONPATH=str(NO_NETWORK))
    for args in (["check", "seed.txt", "--format", "concise"], ["check", "seed.txt", "--format", "full"], ["rules"]):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the first line is written
        try:
            completed = subprocess.run([sys.executable, "-m", "provlint", *args], cwd=tmp_path, stdout=write_end,
                                       stderr=subprocess.PIPE, text=True, env=env, timeout=300)
        finally:
            os.close(write_end)
        assert (completed.returncode, completed.stderr) == (0, ""), args


def test_reports_and_baselines_are_written_with_the_umasks_mode(tmp_path):
    import os
    import stat

    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    previous = os.umask(0o027)  # inherited by the provlint process
    try:
        run = provlint("check", "seed.txt", "--output", "report.txt", "--output-format", "sarif=report.sarif",
                       "--write-baseline", "baseline.json", cwd=tmp_path)
    finally:
        os.umask(previous)
    assert run.code == 1
    for name in ("report.txt", "report.sarif", "baseline.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640, name
