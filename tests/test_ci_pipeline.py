"""The README's GitHub workflow and GitLab job, run here as far as they run off a hosted
runner: their provlint commands, read from the README, on a repository that mixes articles
(a dump, NewsAPI JSON, JSONL plain and gzipped, an HTML page) with files that hold none (a
JSON Schema, a requirements.txt, a rule folder with a broken fixture). Only the articles are
linted, every finding stands on the text it names, each report parses, and a baseline
survives a record inserted at the top of a feed."""

from __future__ import annotations

import gzip
import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, REPO, SEED, provlint
from provlint.cli import STARTER_RULE

INPUTS = FIXTURES / "inputs"
ARTICLES = {"corpus/seed.txt", "corpus/feeds/newsapi.json", "corpus/feeds/records.jsonl",
            "corpus/feeds/archive.jsonl.gz", "corpus/pages/conflicting.html"}
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def readme_commands() -> dict[str, list[list[str]]]:
    """The provlint commands of the README's GitHub workflow and GitLab job."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    github, gitlab = (yaml.safe_load(block) for block in
                      re.findall(r"```yaml\n(.*?)```", text[text.index("## provlint in CI"):], re.S)[:2])
    steps = [step["run"] for step in github["jobs"]["provlint"]["steps"] if "run" in step]
    return {"github": [shlex.split(run)[1:] for run in steps if run.startswith("provlint ")],
            "gitlab": [shlex.split(line)[1:] for line in gitlab["provlint"]["script"] if line.startswith("provlint ")]}


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    for folder in ("feeds", "pages", "schemas", "provlint-rules/fixtures"):
        (corpus / folder).mkdir(parents=True)
    shutil.copy(SEED, corpus / "seed.txt")
    shutil.copy(INPUTS / "newsapi.json", corpus / "feeds" / "newsapi.json")
    shutil.copy(INPUTS / "records.jsonl", corpus / "feeds" / "records.jsonl")
    (corpus / "feeds" / "archive.jsonl.gz").write_bytes(gzip.compress((INPUTS / "records.jsonl").read_bytes()))
    shutil.copy(INPUTS / "conflicting.html", corpus / "pages" / "conflicting.html")
    shutil.copy(REPO / "schemas" / "config.schema.json", corpus / "schemas" / "article.schema.json")
    (corpus / "requirements.txt").write_text("rich>=13\nrequests==2.31.0\n", encoding="utf-8")
    (corpus / "provlint-rules" / "editorial-marker.yaml").write_text(STARTER_RULE, encoding="utf-8")
    (corpus / "provlint-rules" / "fixtures" / "broken.txt").write_text("A title long enough\n\nTK\n", encoding="utf-8")
    (tmp_path / "provlint.yaml").write_text("rules: [corpus/provlint-rules/]\n", encoding="utf-8")
    return tmp_path


def file_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8").split("\n")


def assert_exact_places(repository: Path, findings: list[tuple[str, int, int, int | None, int | None, str, str, str | None]]):
    """Each finding (path, line, column, end line, end column, rule, message, record pointer)
    stands on what it names: a value the message quotes is the text of its region, a
    record-level finding starts at its record's `{` and names the record, and a timestamp
    finding stands on the timestamp it names."""
    for path, line, column, end_line, end_column, rule, message, record in findings:
        lines = file_lines(repository / path)
        at = lines[line - 1][column - 1:]
        region = lines[line - 1][column - 1:end_column - 1] if end_line == line and end_column else None
        quoted = re.search(r"""'([^']+)'|"([^"]+)\"""", message)
        stamp = re.match(r"(?:second )?(?:published|modified)(?: value)? (\S+)", message)
        if record is not None and rule in ("AT001", "AT002"):
            assert at.startswith("{") and record in message, (path, line, rule)
        elif stamp:
            assert region == stamp.group(1), (path, line, rule)
        elif quoted and rule not in ("IN008", "IN009", "DU001"):
            assert region == (quoted.group(1) or quoted.group(2)), (path, line, rule, region)
        if record is not None and path.endswith(".json"):
            assert record.startswith("/articles/")


def test_the_readme_github_workflow(repository):
    [command] = readme_commands()["github"]
    run = provlint(*command, cwd=repository)
    assert run.code == 1, run.err
    sarif = json.loads((repository / "provlint.sarif").read_text(encoding="utf-8"))
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    places = []
    for result in results:
        [location] = result["locations"]
        region = location["physicalLocation"]["region"]
        logical = location.get("logicalLocations")
        places.append((location["physicalLocation"]["artifactLocation"]["uri"], region["startLine"],
                       region["startColumn"], region.get("endLine"), region.get("endColumn"), result["ruleId"],
                       result["message"]["text"], logical[0]["name"] if logical else None))
    assert {place[0] for place in places} == ARTICLES  # the JSON Schema, requirements.txt and the rule folder are not read
    assert_exact_places(repository, places)
    # The annotations on the run stand where the SARIF results do.
    annotations = [re.match(r"::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),", line)
                   for line in run.out.splitlines()]
    assert all(annotations) and len(annotations) == len(results)
    assert [(a[2], int(a[3]), int(a[4])) for a in annotations] == [place[:3] for place in places]
    # Every record-level finding of a feed names its record as a logical location too.
    records = [place for place in places if place[5] == "AT002" and place[0] != "corpus/seed.txt"]
    assert {(place[0], place[7]) for place in records} == {
        ("corpus/feeds/newsapi.json", "/articles/0"), ("corpus/feeds/newsapi.json", "/articles/2"),
        ("corpus/feeds/records.jsonl", "/4"), ("corpus/feeds/archive.jsonl.gz", "/4")}


def test_the_readme_gitlab_job(repository):
    [command] = readme_commands()["gitlab"]
    run = provlint(*command, cwd=repository)
    assert run.code == 1, run.err
    concise = [re.fullmatch(r"(\S+):(\d+):(\d+): ([A-Z]{2}\d{3}) (error|warning|info) (.+)", line)
               for line in run.out.splitlines()[:-1]]
    assert all(concise), run.out
    issues = json.loads((repository / "gl-code-quality.json").read_text(encoding="utf-8"))
    assert len(issues) == len(concise)
    for issue in issues:
        assert issue["check_name"] and issue["description"] and issue["severity"] in GITLAB_SEVERITIES
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == \
        [(match[1], int(match[2])) for match in concise]
    assert {issue["location"]["path"] for issue in issues} == ARTICLES
    suites = ET.parse(repository / "provlint-junit.xml").getroot()
    failing = [match for match in concise if match[5] in ("error", "warning")]  # provlint.yaml's fail-on: warning
    assert int(suites.get("tests")) == len(concise) and int(suites.get("failures")) == len(failing) > 0
    for suite in suites:
        names = [(case.get("classname"), case.get("name")) for case in suite]
        assert len(set(names)) == len(names)


def test_a_baseline_survives_a_record_inserted_at_the_top(repository):
    assert provlint("check", "corpus/", "--write-baseline", "provlint-baseline.json", cwd=repository).code == 1
    new = {"source": {"name": "Reuters"}, "author": "Jane Roe", "title": "Ports reopen after the storm",
           "url": "https://www.reuters.com/world/ports-reopen", "publishedAt": "2024-03-02T10:00:00Z",
           "content": "The ports reopened on Saturday, the harbour master said. {{ body_extra }}"}
    feeds = repository / "corpus" / "feeds"
    news = json.loads((feeds / "newsapi.json").read_text(encoding="utf-8"))
    news["articles"].insert(0, new)
    (feeds / "newsapi.json").write_text(json.dumps(news, indent=2, ensure_ascii=False), encoding="utf-8")
    records = json.dumps(new) + "\n" + (feeds / "records.jsonl").read_text(encoding="utf-8")
    (feeds / "records.jsonl").write_text(records, encoding="utf-8")
    (feeds / "archive.jsonl.gz").write_bytes(gzip.compress(records.encode("utf-8")))
    run = provlint("check", "corpus/", "--baseline", "provlint-baseline.json", "--format", "json", cwd=repository)
    assert run.code == 1
    # Only the new records' placeholder; newsapi.json was written anew with other indentation too.
    assert [(f["path"], f["line"], f["rule"]) for f in run.json()["findings"]] == [
        ("corpus/feeds/archive.jsonl.gz:1", 1, "PH002"), ("corpus/feeds/newsapi.json#/articles/0", 13, "PH002"),
        ("corpus/feeds/records.jsonl:1", 1, "PH002")]
    assert "no longer occur" not in run.err
