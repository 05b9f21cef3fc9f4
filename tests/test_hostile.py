"""Files that used to end a whole run (issue 16): each gets findings, every other file is
answered. The hostile corpus is tests/fixtures/hostile/ (every file in it, so more can
be dropped in) plus what is too big to commit, generated here."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest

import provlint as api
from conftest import FIXTURES, SEED, provlint
from provlint.engine import CHUNK
from provlint.readers import jsontext

HOSTILE = FIXTURES / "hostile"
GOOD = [SEED, FIXTURES / "ria_clean.txt", *sorted((FIXTURES / "realworld-dumps").glob("*.txt")),
        *sorted((FIXTURES / "inputs").iterdir())]
DEEP = "[" * 100_000 + "]" * 100_000  # the reproduction: RecursionError in json


def deep_graph_page(graph: str) -> str:
    return ('<!doctype html>\n<html><head><title>A page of news {{ title }}</title>\n'
            f'<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": {graph}}}</script>\n'
            '</head><body><article><p>Body text of the page.</p></article></body></html>\n')


def generated_hostile_files() -> dict[str, str]:
    """Hostile files too big to commit."""
    return {
        "generated-deep.json": DEEP,
        "generated-deep.jsonl": '{"title": "A record before the deep one"}\n' + DEEP + "\n",
        "generated-deep-no-suffix": DEEP,
        "generated-deep-graph.html": deep_graph_page("[" * 5000 + "]" * 5000),
    }


def findings_of(run) -> list[dict]:
    return run.json()["findings"]


def belongs_to(finding: dict, name: str) -> bool:
    """A finding of file `name`, or of one of its records (`x.jsonl:3`, `x.json#/articles/1`)."""
    return finding["path"] == name or finding["path"].startswith((f"{name}:", f"{name}#"))


def places(run) -> list[tuple]:
    return [(f["line"], f["column"], f["rule"], f["severity"]) for f in findings_of(run)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hostile_corpus_among_good_dumps(tmp_path, jobs):
    mixed, clean = tmp_path / "mixed", tmp_path / "clean"
    mixed.mkdir()
    clean.mkdir()
    good_names = []
    for copy in range(2):  # enough files that --jobs 2 forks workers (more than CHUNK)
        for path in GOOD:
            name = f"good{copy}-{path.name}"
            good_names.append(name)
            shutil.copyfile(path, mixed / name)
            shutil.copyfile(path, clean / name)
    hostile_names = []
    for path in sorted(HOSTILE.iterdir()):
        hostile_names.append(path.name)
        shutil.copy2(path, mixed / path.name, follow_symlinks=False)
    for name, text in generated_hostile_files().items():
        hostile_names.append(name)
        (mixed / name).write_text(text, encoding="utf-8")
    assert len(good_names) + len(hostile_names) > CHUNK
    junit = tmp_path / "report.xml"
    # Hostile files are named too: a walk reads only dump suffixes, a file named is always read.
    arguments = ["check", ".", *hostile_names, "--format", "json", "--jobs", jobs, "--output-format", f"junit={junit}"]
    run = provlint(*arguments, cwd=mixed)
    assert run.code == 1
    assert "internal error" not in run.out + run.err
    assert run.json()["files_checked"] == len(good_names) + len(hostile_names)
    checked = {suite.get("name") for suite in ET.parse(junit).getroot().iter("testsuite")}
    for name in hostile_names:
        assert name in checked or any(belongs_to(f, name) for f in findings_of(run)), name
    good_findings = [f for f in findings_of(run) if any(belongs_to(f, name) for name in good_names)]
    clean_run = provlint("check", ".", "--format", "json", "--jobs", jobs, cwd=clean)
    assert good_findings == findings_of(clean_run)
    # Cached now: the rerun answers the same, and no hostile result broke the cache.
    rerun = provlint(*arguments, cwd=mixed)
    assert rerun.code == 1 and findings_of(rerun) == findings_of(run)


def test_a_malformed_url_is_read_as_a_value(tmp_path):
    # urlsplit().hostname raised ValueError (`Invalid IPv6 URL`) outside the rules' isolation.
    names = ["malformed-url.txt", "url-bracket.json", "url-control.json"]
    for name in names:
        shutil.copyfile(HOSTILE / name, tmp_path / name)
    run = provlint("check", ".", "--format", "json", "--exit-zero", cwd=tmp_path)
    assert run.code == 0 and run.json()["files_checked"] == 3
    assert [(f["path"], f["line"], f["rule"]) for f in findings_of(run)] == [
        (name, None, rule) for name in sorted(names) for rule in ("AT001", "AT002")]


def test_json_nested_too_deep_is_invalid_json(tmp_path):
    (tmp_path / "deep.json").write_text(DEEP, encoding="utf-8")
    (tmp_path / "deep.jsonl").write_text('{"title": "Fine {{ title }}"}\n' + DEEP + "\n", encoding="utf-8")
    (tmp_path / "deep").write_text(DEEP, encoding="utf-8")  # no suffix: named, sniffed as JSON
    run = provlint("check", "deep.json", "deep.jsonl", "deep", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in findings_of(run)] == [
        ("deep", 1, 201, "IN008"), ("deep.json", 1, 201, "IN008"), ("deep.jsonl:1", 1, 1, "AT001"),
        ("deep.jsonl:1", 1, 1, "AT002"), ("deep.jsonl:1", 1, 17, "PH002"), ("deep.jsonl:2", 2, 201, "IN008")]
    assert {f["message"] for f in findings_of(run) if f["rule"] == "IN008"} == {
        "invalid JSON: nested deeper than 200 levels"}


def test_a_deep_json_ld_graph_is_not_read_and_the_page_is(tmp_path):
    (tmp_path / "deep.html").write_text(deep_graph_page("[" * 5000 + "]" * 5000), encoding="utf-8")
    (tmp_path / "flat.html").write_text(deep_graph_page("[]"), encoding="utf-8")
    run = provlint("check", ".", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    page = [(None, None, "AT001", "info"), (None, None, "AT002", "info"), (2, 35, "PH002", "error")]
    unread = [(3, 1, "IN015", "info")]  # the script, reported as invalid JSON-LD (issue 16)
    assert [(f["path"], *place) for f, place in zip(findings_of(run), places(run))] == [
        (name, *place) for name, found in (("deep.html", page + unread), ("flat.html", page))
        for place in found]
    assert [f["message"] for f in findings_of(run) if f["rule"] == "IN015"] == [
        "invalid JSON-LD, ignored: nested deeper than 200 levels (at line 3, column 281)"]


def test_an_integer_of_5000_digits_stays_text(tmp_path):
    # int() refuses more than 4,300 digits: "Exceeds the limit (4300 digits)" ended the run.
    run = provlint("check", HOSTILE / "long-integer.json", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert places(run) == [(None, None, "AT001", "info"), (None, None, "AT002", "info"), (1, 32, "PH002", "error")]


def test_a_lone_surrogate_is_a_warning_and_the_record_is_checked(tmp_path):
    names = ["lone-surrogate-fields.json", "lone-surrogate-jsonld.html", "lone-surrogate-url.json"]
    for name in names:
        shutil.copyfile(HOSTILE / name, tmp_path / name)
    run = provlint("check", ".", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert [(f["path"], *place) for f, place in zip(findings_of(run), places(run))] == [
        ("lone-surrogate-fields.json", None, None, "AT001", "info"),
        ("lone-surrogate-fields.json", None, None, "AT002", "info"),
        ("lone-surrogate-fields.json", 1, 26, "IN013", "warning"),
        ("lone-surrogate-fields.json", 1, 33, "PH002", "error"),  # past the 6 characters of `\ud83d`
        ("lone-surrogate-fields.json", 1, 91, "PH005", "error"),
        # JSON-LD in a page: read as U+FFFD, not reported (a page's scripts are no records)
        ("lone-surrogate-jsonld.html", None, None, "AT001", "info"),
        ("lone-surrogate-jsonld.html", 3, 120, "PH002", "error"),
        # in `url`, the reporter died mid-output
        ("lone-surrogate-url.json", None, None, "AT001", "info"),
        ("lone-surrogate-url.json", None, None, "AT002", "info"),
        ("lone-surrogate-url.json", 1, 32, "PH002", "error"),
        ("lone-surrogate-url.json", 1, 85, "IN013", "warning")]
    assert findings_of(run)[2]["message"] == "unpaired surrogate escape \\ud83d in a JSON string: read as U+FFFD"


def test_a_lone_surrogate_switches_off_no_rule(tmp_path):
    """A record with a lone surrogate gets every finding the same record with U+FFFD gets
    (PH001-PH005, TX001 and TX002 raised internal errors on it), plus IN013."""
    body = ("La ville a vot\\u00e9.Les {escape} habitants /html/head/meta[@name='og:title']/@content "
            "attendent {{{{ body }}}} lorem ipsum dolor sit amet.")
    record = '{{"title": "Un titre {{{{ title }}}} assez long {escape}", "url": "https://example.com/{escape}", ' \
             '"content": "' + body + '"}}\n'
    escapes = ["\\ud800", "\\udfff", "\\ud83d\\ud83d"]  # a high half, a low half, two high halves
    (tmp_path / "lone.jsonl").write_text("".join(record.format(escape=escape) for escape in escapes),
                                         encoding="utf-8")
    (tmp_path / "whole.jsonl").write_text("".join(record.format(escape="\\ufffd" * escape.count("u"))
                                                  for escape in escapes), encoding="utf-8")
    run = provlint("check", ".", "--select", "ALL", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    by_file: dict[str, list[tuple]] = {"lone.jsonl": [], "whole.jsonl": []}
    for finding, place in zip(findings_of(run), places(run)):
        by_file[finding["path"].split(":")[0]].append((finding["path"].split(":")[1], *place))
    assert [f for f in by_file["lone.jsonl"] if f[3] != "IN013"] == by_file["whole.jsonl"]
    assert {"PH001", "PH002", "PH005", "TX001"} <= {f[3] for f in by_file["whole.jsonl"]}
    assert [f for f in by_file["lone.jsonl"] if f[3] == "IN013"] == [
        (str(line), line, 44, "IN013", "warning") for line in (1, 2, 3)]
    assert "IN000" not in {f[3] for f in by_file["lone.jsonl"]}


SLOW_KIND = "block_kinds:\n  - kind: paywall\n    pattern: '(?=\\w)(a|a)+b'\n"  # look-around: the fallback engine


def test_a_block_kind_pattern_that_times_out_is_a_finding_for_its_file(tmp_path, seed_text):
    (tmp_path / "kinds.yaml").write_text(SLOW_KIND, encoding="utf-8")
    (tmp_path / "slow.txt").write_text("A title that is long enough\n\n" + "a" * 40 + "\n", encoding="utf-8")
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    run = provlint("check", ".", "--rules", "kinds.yaml", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    [slow] = [f for f in findings_of(run) if f["path"] == "slow.txt"]
    assert (slow["line"], slow["column"], slow["rule"], slow["severity"]) == (3, 1, "IN012", "error")
    assert slow["message"] == ("classify failed at line 3: PatternTimeout: block kind 'paywall' (kinds.yaml): "
                               "pattern '(?=\\\\w)(a|a)+b' took longer than 1s; nothing else in this file was checked")
    alone = provlint("check", "seed.txt", "--rules", "kinds.yaml", "--format", "json", cwd=tmp_path)
    assert [f for f in findings_of(run) if f["path"] == "seed.txt"] == findings_of(alone)


def test_a_reader_stage_that_fails_is_named_in_the_finding(tmp_path):
    # A URL date pattern is used while building the fields, after classification.
    (tmp_path / "dates.yaml").write_text("block_kinds: []\nurl_dates:\n  - '(?=\\w)(a|a)+b'\n", encoding="utf-8")
    (tmp_path / "slow.txt").write_text(" date 2022-02 https://example.com/" + "a" * 40 + "\n\nA title long enough\n",
                                       encoding="utf-8")
    run = provlint("check", "slow.txt", "--rules", "dates.yaml", "--format", "json", cwd=tmp_path)
    assert run.code == 1 and places(run) == [(None, None, "IN012", "error")]
    assert findings_of(run)[0]["message"].startswith("fields failed: PatternTimeout: pattern ")


def test_the_api_reads_hostile_text_without_raising():
    findings = api.lint_text(DEEP, path="deep.json")
    assert [(f.line, f.column, f.rule) for f in findings] == [(1, 201, "IN008")]


@pytest.mark.parametrize("pyproject, code", [
    ('[project]\nname = "corpus"\nx = ' + "[" * 5000 + "]" * 5000 + "\n", 1),  # some other tool's: ignored
    ('[tool.provlint]\nselect = ["PH"]\nx = ' + "{a = " * 3000 + "1" + "}" * 3000 + "\n", 2),
    ('[tool.provlint]\nselect = ["PH"\n', 2),  # broken TOML that configures provlint is no longer skipped
])
def test_a_deeply_nested_pyproject_found_by_discovery(tmp_path, seed_text, pyproject, code):
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    run = provlint("check", "seed.txt", "--format", "concise", cwd=tmp_path)
    assert run.code == code and "internal error" not in run.err
    if code == 2:
        assert "pyproject.toml:" in run.err and "invalid TOML" in run.err
        assert "invalid configuration; nothing was checked" in run.err
    else:
        assert "seed.txt:27:1: PH001 error" in run.out


@pytest.mark.parametrize("config, place", [
    ("select: " + "[" * 900 + "]" * 900 + "\n", "1:109"),
    ("".join(" " * depth + "k:\n" for depth in range(900)) + " " * 900 + "v\n", "102:102"),
])
def test_a_deeply_nested_yaml_config(tmp_path, seed_text, config, place):
    (tmp_path / "provlint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    run = provlint("check", "seed.txt", cwd=tmp_path)
    assert run.code == 2 and "internal error" not in run.err
    assert f"provlint.yaml:{place}: nested deeper than 100 levels" in run.err


def test_nesting_counts_brackets_outside_strings_only():
    assert jsontext.too_deep_at(json.dumps({"text": "[" * 500})) is None
    assert jsontext.too_deep_at('{"a": ' + "[" * 200 + "]" * 200 + "}") == 205
    assert jsontext.too_deep_at('"\\"' + "[" * 300 + '"') is None  # an escaped quote ends no string


def test_only_unpaired_surrogate_escapes_are_replaced():
    text = '["\\ud83d\\ude00", "\\\\ud800", "\\ud800", "\\udc00x", "\\ud83d\\ud83d\\ude00"]'
    cleaned, offsets = jsontext.lone_surrogates(text)
    assert len(cleaned) == len(text)
    assert json.loads(cleaned) == ["\U0001f600", "\\ud800", "\ufffd", "\ufffdx", "\ufffd\U0001f600"]
    assert offsets == [text.index('"\\ud800"') + 1, text.index("\\udc00x"), text.index('"\\ud83d\\ud83d') + 1]
