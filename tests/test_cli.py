"""The command line as users and CI drive it: formats, selection, exit codes."""

from __future__ import annotations

import json

import pytest

from conftest import SEED, provlint


def test_concise_is_the_default_off_a_terminal(tmp_path):
    run = provlint("check", SEED, cwd=tmp_path)
    assert run.code == 1
    lines = run.out.strip().splitlines()
    assert lines[0].startswith(f"{SEED}:1:15: PV001 info Sputnik France (sputniknews.com): EU broadcast ban")
    assert lines[2].endswith("PH001 error unresolved XPath placeholder \"/html/head/meta[@name='og:title']/@content\"")
    assert lines[2].startswith(f"{SEED}:27:1: ")
    assert lines[-1] == "11 findings (2 errors, 0 warnings, 9 info) in 1 file"
    assert "\x1b[" not in run.out  # no colour when not a terminal


def test_full_format_shows_code_frames_and_summary(tmp_path):
    run = provlint("check", SEED, "--format", "full", cwd=tmp_path)
    assert "   27 │ /html/head/meta[@name='og:title']/@content" in run.out
    assert "│ " + "^" * len("/html/head/meta[@name='og:title']/@content") + "\n" in run.out
    assert "Findings by rule" in run.out and "PH001" in run.out
    assert run.out.rstrip().endswith("11 findings (2 errors, 0 warnings, 9 info) in 1 file")


def test_json_contract(tmp_path):
    report = provlint("check", SEED, "--format", "json", cwd=tmp_path).json()
    assert report["files_checked"] == 1 and report["version"]
    assert set(report["findings"][0]) == {"path", "line", "column", "end_line", "end_column", "rule", "name",
                                          "category", "severity", "message"}
    assert report["summary"]["errors"] == 2 and report["summary"]["by_rule"]["PH001"] == 2


def test_jsonl(tmp_path):
    run = provlint("check", SEED, "--format", "jsonl", cwd=tmp_path)
    rows = [json.loads(line) for line in run.out.splitlines()]
    assert len(rows) == 11 and rows[2]["rule"] == "PH001"


@pytest.mark.parametrize("flags, rules", [
    (["--select", "PH"], {"PH001"}),
    (["--select", "duplicate"], {"DU001"}),
    (["--select", "TX001,PH001"], {"TX001", "PH001"}),
    (["--ignore", "text", "--ignore", "DU"], {"PH001", "PV001"}),
])
def test_select_and_ignore(tmp_path, flags, rules):
    run = provlint("check", SEED, "--format", "json", *flags, cwd=tmp_path)
    assert {f[1] for f in run.findings()} == rules


@pytest.mark.parametrize("flags, code", [
    ([], 1),
    (["--select", "DU,TX,PV"], 0),       # info only: below the default --fail-on warning
    (["--select", "DU,TX,PV", "--fail-on", "info"], 1),
    (["--exit-zero"], 0),
    (["--select", "TS"], 0),
])
def test_exit_codes(tmp_path, flags, code):
    assert provlint("check", SEED, "--quiet", *flags, cwd=tmp_path).code == code


def test_usage_errors_exit_2(tmp_path):
    assert provlint("check", tmp_path / "missing", cwd=tmp_path).code == 2
    assert provlint("check", SEED, "--format", "xml", cwd=tmp_path).code == 2


def test_output_file(tmp_path):
    target = tmp_path / "report.json"
    run = provlint("check", SEED, "--format", "json", "--output", target, cwd=tmp_path)
    assert run.code == 1 and run.out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["files_checked"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name != ".provlint_cache"] == ["report.json"]  # no temp file left


def test_folder_recursion_and_exclude(tmp_path, seed_text):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "a" / "two.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "a" / "notes.md").write_text("# not a dump", encoding="utf-8")
    report = provlint("check", "a", "--format", "json", cwd=tmp_path).json()
    assert report["files_checked"] == 2
    assert sorted({f["path"] for f in report["findings"]}) == ["a/b/one.txt", "a/two.txt"]
    assert provlint("check", "a", "--format", "json", "--exclude", "b", cwd=tmp_path).json()["files_checked"] == 1


def test_rules_and_explain(tmp_path):
    listing = provlint("rules", cwd=tmp_path)
    assert listing.code == 0 and "PH001" in listing.out and "xpath-placeholder" in listing.out
    explained = provlint("explain", "ph001", cwd=tmp_path)
    assert explained.code == 0
    assert "How to fix" in explained.out and "/html/head/meta[@name='og:title']/@content" in explained.out
    unknown = provlint("explain", "PH01", cwd=tmp_path)
    assert unknown.code == 2 and "did you mean" in unknown.err


def test_version_says_whether_the_hot_path_is_compiled(tmp_path):
    from provlint import __version__
    from provlint import patterns as compiled_in_a_wheel

    run = provlint("--version", cwd=tmp_path)
    build = "pure Python" if compiled_in_a_wheel.__file__.endswith(".py") else "compiled"
    assert run.code == 0 and run.out.strip() == f"provlint {__version__} ({build})"
