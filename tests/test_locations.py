"""Exact locations for records of JSON and JSONL files and for values in HTML pages,
and baselines that survive a record inserted before others (issue 17)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import jsonschema

from conftest import FIXTURES, provlint
from provlint.engine import cache
from provlint.api import run as run_api
from provlint.config import load_settings


def _article(number: int, author: bool = True) -> dict:
    record = {"source": {"id": None, "name": "Example News"}, "title": f"Headline number {number} of the feed",
              "url": f"https://example.com/2022/02/21/story-{number}", "publishedAt": "2022-02-21T08:57:00Z",
              "content": f"Story {number} text."}
    if author:
        record["author"] = "Jane Doe"
    return record


def _feed(tmp_path: Path) -> None:
    """feed.jsonl: six records, the sixth without an author; feed.json: the same as NewsAPI."""
    records = [_article(number, author=number != 6) for number in range(1, 7)]
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (tmp_path / "feed.json").write_text(json.dumps({"status": "ok", "articles": records}, indent=2) + "\n",
                                        encoding="utf-8")


def _record_start(path: Path, needle: str) -> int:
    """The line of the `{` opening the record that holds `needle` in an indented JSON file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    found = next(number for number, line in enumerate(lines) if needle in line)
    return max(number for number in range(found) if lines[number] == "    {") + 1


def test_record_level_finding_points_at_the_record(tmp_path):
    _feed(tmp_path)
    concise = provlint("check", "feed.jsonl", "feed.json", "--select", "AT002", "--format", "concise", cwd=tmp_path)
    start = _record_start(tmp_path / "feed.json", '"Headline number 6')
    assert concise.code == 0  # AT002 is info
    assert concise.out.splitlines()[:2] == [
        f"feed.json:{start}:5: AT002 info no author block: nobody is credited for this article "
        "(record #/articles/5, https://example.com/2022/02/21/story-6)",
        "feed.jsonl:6:1: AT002 info no author block: nobody is credited for this article "
        "(record #/5, https://example.com/2022/02/21/story-6)",
    ]
    sarif = json.loads(provlint("check", "feed.jsonl", "feed.json", "--select", "AT002", "--format", "sarif",
                                cwd=tmp_path).out)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    places = [(location["physicalLocation"]["artifactLocation"]["uri"], location["physicalLocation"]["region"]["startLine"],
               location["physicalLocation"]["region"]["startColumn"], location["logicalLocations"])
              for result in sarif["runs"][0]["results"] for location in result["locations"]]
    assert places == [
        ("feed.json", start, 5, [{"name": "/articles/5", "fullyQualifiedName": "feed.json#/articles/5", "kind": "object"}]),
        ("feed.jsonl", 6, 1, [{"name": "/5", "fullyQualifiedName": "feed.jsonl#/5", "kind": "object"}]),
    ]
    gitlab = json.loads(provlint("check", "feed.jsonl", "--select", "AT002", "--format", "gitlab", cwd=tmp_path).out)
    assert [issue["location"] for issue in gitlab] == [{"path": "feed.jsonl", "lines": {"begin": 6}}]
    github = provlint("check", "feed.jsonl", "--select", "AT002", "--format", "github", cwd=tmp_path).out
    assert github.startswith("::notice file=feed.jsonl,line=6,col=1,endLine=6,")


def test_concise_is_path_line_column_for_every_record(tmp_path):
    _feed(tmp_path)
    (tmp_path / "feed.jsonl").write_text((tmp_path / "feed.jsonl").read_text() + "not json\n", encoding="utf-8")
    run = provlint("check", "feed.jsonl", "--select", "IN008,PV", "--format", "concise", cwd=tmp_path)
    assert run.out.splitlines()[0] == "feed.jsonl:7:1: IN008 error invalid JSON: Expecting value"


def test_records_are_reported_in_line_order(tmp_path):
    """Line 10 of a feed comes after line 9: findings sort by file and line as numbers, in every format."""
    records = [_article(number, author=False) for number in range(1, 13)]
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    concise = provlint("check", "feed.jsonl", "--select", "AT002", "--format", "concise", cwd=tmp_path).out
    assert [int(line.split(":")[1]) for line in concise.splitlines() if line.startswith("feed")] == list(range(1, 13))
    report = provlint("check", "feed.jsonl", "--select", "AT002", "--format", "json", cwd=tmp_path).json()
    assert [finding["line"] for finding in report["findings"]] == list(range(1, 13))


def test_baseline_survives_an_inserted_record(tmp_path):
    records = [_article(number, author=number != 6) for number in range(1, 7)]
    records[2]["description"] = "{{ article.description }}"
    records[3].pop("url")  # no URL: known by its content
    records[3]["author"] = None
    inserted = _article(0, author=False)
    inserted["description"] = "{{ article.description }}"
    for name, write in (("feed.jsonl", lambda rs: "".join(json.dumps(r) + "\n" for r in rs)),
                        ("feed.json", lambda rs: json.dumps({"articles": rs}, indent=2) + "\n")):
        path = tmp_path / name
        path.write_text(write(records), encoding="utf-8")
        written = provlint("check", name, "--select", "AT002,PH002", "--write-baseline", "baseline.json",
                           "--format", "json", cwd=tmp_path)
        assert sorted(rule for _, rule, _ in written.findings()) == ["AT002", "AT002", "PH002"]
        path.write_text(write(records[:1] + [inserted] + records[1:]), encoding="utf-8")
        run = provlint("check", name, "--select", "AT002,PH002", "--baseline", "baseline.json", "--format", "json",
                       cwd=tmp_path)
        new = [(f["rule"], f["path"]) for f in run.json()["findings"]]
        pointer = f"{name}:2" if name.endswith("jsonl") else f"{name}#/articles/1"
        assert sorted(new) == [("AT002", pointer), ("PH002", pointer)], name


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>A page</title>
  <meta name="author" content="Tom &amp; Jerry">
  <meta name="author" content="Tom &amp; Jerry">
  <meta property="og:title"
        content="{{ page.title }} and
                 more words">
</head>
<body><article><p>Text</p></article></body>
</html>
"""

RECORD = """{"articles": [
  {"title": "A headline long enough",
   "author": ["Jane Doe",
              "Jane \\u00e9 Doe",
              "Jane \\u00e9 Doe"],
   "url": "https://example.com/a"}
]}
"""


def _places(run) -> list[tuple]:
    return [(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in run.json()["findings"]]


def test_html_values_keep_their_real_place(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    run = provlint("check", "page.html", "--select", "DU001,PH002", "--format", "json", cwd=tmp_path)
    # DU001 on the second author's value, entity included; PH002 where the wrapped tag's value stands.
    assert _places(run) == [("DU001", 6, 32, 6, 47), ("PH002", 8, 18, 8, 34)]
    full = provlint("check", "page.html", "--select", "DU001", "--format", "full", cwd=tmp_path).out
    assert '        6 │   <meta name="author" content="Tom &amp; Jerry">\n' \
           f'          │ {" " * 31}{"^" * 15}\n' in full


def test_json_duplicate_spans_the_value(tmp_path):
    (tmp_path / "feed.json").write_text(RECORD, encoding="utf-8")
    run = provlint("check", "feed.json", "--select", "DU001", "--format", "json", cwd=tmp_path)
    assert _places(run) == [("DU001", 5, 16, 5, 31)]  # the third author's string, escape included


def _cached_feed(tmp_path: Path) -> Path:
    """feed.json and feed.jsonl, old enough for their mtime to vouch for their content."""
    _feed(tmp_path)
    (tmp_path / "provlint.yaml").write_text("select: [AT002]\n", encoding="utf-8")
    for name in ("feed.json", "feed.jsonl"):
        path = tmp_path / name
        os.utime(path, (path.stat().st_atime - 3600, path.stat().st_mtime - 3600))
    return tmp_path


def _lint_feed(project: Path):
    result, _ = run_api([str(project / "feed.json"), str(project / "feed.jsonl")], load_settings(start=project))
    return result


def _record_places(result, project: Path) -> list[tuple]:
    return [(f.path.removeprefix(f"{project}{os.sep}"), f.line, f.column, f.end_line, f.end_column, f.record, f.message)
            for f in result.findings]


def test_a_record_finding_from_the_cache_keeps_its_record(tmp_path):
    project = _cached_feed(tmp_path)
    cold = _lint_feed(project)
    assert [(name, record) for name, *_, record, _ in _record_places(cold, project)] == [
        ("feed.json#/articles/5", "#/articles/5"), ("feed.jsonl:6", "#/5")]
    warm = _lint_feed(project)
    assert warm.cached == 2
    assert _record_places(warm, project) == _record_places(cold, project)


def test_a_cache_entry_whose_record_pointer_disagrees_with_its_path_is_not_trusted(tmp_path):
    project = _cached_feed(tmp_path)
    cold = _lint_feed(project)
    database = project / ".provlint_cache" / cache.DATABASE
    with sqlite3.connect(database) as connection:
        path, scope, size, mtime_ns, digest, payload = connection.execute(
            "SELECT path, scope, size, mtime_ns, digest, payload FROM entries WHERE path LIKE '%feed.json'").fetchone()
        connection.execute("DELETE FROM runs")  # else the whole run kept is replayed, reading no entry
    connection.close()
    body = payload.replace(b'"#/articles/5"', b'"#/articles/0"')
    forger = cache.Cache(database.parent, scope)  # holds the key: only the pointer can tell
    forger.put(path, size, mtime_ns, digest, body)
    forger.save()
    warm = _lint_feed(project)
    assert warm.cached == 1  # feed.jsonl
    assert _record_places(warm, project) == _record_places(cold, project)
