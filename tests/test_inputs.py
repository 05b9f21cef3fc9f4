"""JSON/JSONL records and HTML pages: every rule works on them unchanged."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURES, SEED, provlint

INPUTS = FIXTURES / "inputs"


@pytest.fixture
def mixed(tmp_path):
    shutil.copy(SEED, tmp_path / "seed.txt")
    for name in ("newsapi.json", "records.jsonl", "trafilatura.json", "clean.html", "conflicting.html",
                 "microdata.html"):
        shutil.copy(INPUTS / name, tmp_path / name)
    return tmp_path


def severe(run):
    return [(f["path"], f["line"], f["rule"]) for f in run.json()["findings"] if f["severity"] != "info"]


def test_one_run_over_every_input_kind(mixed):
    run = provlint("check", ".", "--format", "json", cwd=mixed)
    assert run.code == 1 and run.json()["files_checked"] == 7
    found = severe(run)
    assert ("seed.txt", 27, "PH001") in found
    assert ("newsapi.json#/articles/0", 13, "PH001") in found
    every = [(f["path"], f["line"], f["rule"], f["severity"]) for f in run.json()["findings"]]
    assert ("newsapi.json#/articles/0", 5, "AT002", "info") in every  # the record's `{`
    assert ("newsapi.json#/articles/2", 32, "TS007") in found      # [Removed] record, 1970-01-01
    assert ("newsapi.json#/articles/2", 28, "PH004") in found
    assert ("records.jsonl:2", 2, "PH002") in found
    assert ("records.jsonl:3", 3, "IN008") in found and ("records.jsonl:4", 4, "IN009") in found
    assert ("records.jsonl:5", 5, "AT002", "info") in every      # records after the bad ones still run
    assert ("conflicting.html", 7, "PH001") in found
    assert ("conflicting.html", 10, "TS003") in found               # meta modified days before meta published
    assert ("conflicting.html", 17, "DU003") in found               # JSON-LD datePublished disagrees
    for clean in ("clean.html", "microdata.html", "trafilatura.json", "newsapi.json#/articles/3"):
        assert [f for f in found if f[0] == clean] == [], clean
    truncated = [f for f in run.json()["findings"] if f["rule"] == "TX002"]
    assert [(f["path"], f["line"]) for f in truncated] == [("newsapi.json#/articles/1", 23)]


def test_structured_fields(mixed):
    from provlint.readers import read_path
    from provlint.ruleset import load_ruleset

    table = load_ruleset().table
    [page] = read_path(mixed / "clean.html", table, "clean.html")
    assert [v.line for v in page.values("published")] == [9, 15]
    assert [v.line for v in page.values("modified")] == [10, 16]
    assert page.values("domain")[0].value == "bbc.co.uk"
    assert {v.value["name"] for v in page.values("authors")} == {"Sofia Bettiza"}
    [record] = read_path(mixed / "trafilatura.json", table, "trafilatura.json")
    assert record.values("published")[0].raw == "2022-10-23" and record.values("published")[0].line == 5
    assert record.values("publisher")[0].value["name"] == "Minuto Neuquen"
    assert sorted(v.value for v in record.values("tags")) == ["entretenimiento", "marlene montaner", "stefi roitman"]


def _dump(defect):
    stamps = {"modified": "2022-02-18T09:41+0100"} if defect == "modified" else {}
    lines = [" date 2022-02 https://fr.example.com/20220221/article.html", "Entretien dimanche soir à Paris",
             "/html/head/meta[@name='og:title']/@content" if defect == "xpath" else "Le président a parlé lundi.",
             "2022-02-21T08:57+0100", "2022-02-21T08:57+0100", stamps.get("modified", "2022-02-21T09:41+0100"),
             "Exemple France https://fr.example.com/"]
    if defect != "author":
        lines.append("Irina Tarassova")
    return "\n\n".join(lines) + "\n"


def _record(defect):
    record = {"headline": "Entretien dimanche soir à Paris",
              "description": "/html/head/meta[@name='og:title']/@content" if defect == "xpath"
              else "Le président a parlé lundi.",
              "url": "https://fr.example.com/20220221/article.html",
              "dateCreated": "2022-02-21T08:57:00+01:00", "datePublished": "2022-02-21T08:57:00+01:00",
              "dateModified": "2022-02-18T09:41:00+01:00" if defect == "modified" else "2022-02-21T09:41:00+01:00",
              "publisher": {"name": "Exemple France"}}
    if defect != "author":
        record["author"] = {"name": "Irina Tarassova"}
    return json.dumps(record, ensure_ascii=False, indent=2)


def _page(defect):
    description = "/html/head/meta[@name='og:title']/@content" if defect == "xpath" else "Le président a parlé lundi."
    modified = "2022-02-18T09:41:00+01:00" if defect == "modified" else "2022-02-21T09:41:00+01:00"
    author = "" if defect == "author" else '<meta name="author" content="Irina Tarassova">'
    return f"""<!DOCTYPE html>
<html lang="fr"><head>
<title>Entretien dimanche soir à Paris</title>
<link rel="canonical" href="https://fr.example.com/20220221/article.html">
<meta property="og:description" content="{description}">
<meta property="og:site_name" content="Exemple France">
<meta property="article:published_time" content="2022-02-21T08:57:00+01:00">
<meta property="article:modified_time" content="{modified}">
{author}
</head><body></body></html>
"""


@pytest.mark.parametrize("defect, rule", [("xpath", "PH001"), ("modified", "TS003"), ("author", "AT002")])
@pytest.mark.parametrize("kind", ["dump.txt", "record.json", "page.html"])
def test_same_defect_same_rule_in_every_input_kind(tmp_path, defect, rule, kind):
    make = {"dump.txt": _dump, "record.json": _record, "page.html": _page}[kind]
    (tmp_path / kind).write_text(make(defect), encoding="utf-8")
    clean = provlint("check", kind, "--format", "json", cwd=tmp_path)
    assert rule in {f[1] for f in clean.findings()}
    (tmp_path / kind).write_text(make(None), encoding="utf-8")
    assert rule not in {f[1] for f in provlint("check", kind, "--format", "json", cwd=tmp_path).findings()}


def test_one_text_under_two_keys_is_no_repeated_block(tmp_path):
    """NewsAPI gives an outlet's own name as author and '[Removed]' for every field of a
    withdrawn article: each key is a statement of its own (AT010 and PH004 say what is
    wrong), not a block a scraper repeated. A key listing one name twice is a repeat."""
    articles = [
        {"source": {"id": "bbc-news", "name": "BBC News"}, "author": "BBC News",
         "title": "Storm closes ports along the coast", "url": "https://www.bbc.co.uk/news/uk-1"},
        {"source": {"id": None, "name": "[Removed]"}, "author": None, "title": "[Removed]",
         "description": "[Removed]", "url": "https://removed.com", "content": "[Removed]"},
        {"source": {"name": "Reuters"}, "author": ["Jane Roe", "Jane Roe"],
         "title": "Ports reopen after the storm", "url": "https://www.reuters.com/world/ports-2"},
    ]
    text = json.dumps({"status": "ok", "articles": articles})
    (tmp_path / "news.json").write_text(text, encoding="utf-8")
    run = provlint("check", "news.json", "--format", "json", "--select", "DU001", cwd=tmp_path)
    second = text.index('"Jane Roe"', text.index('"Jane Roe"') + 1) + 2  # 1-based, past the quote
    assert [(f["line"], f["column"], f["rule"], f["message"]) for f in run.json()["findings"]] == [
        (1, second, "DU001", "author block repeated 2 times (lines 1, 1)")]


def test_invalid_json_file_points_at_the_parser_position(tmp_path):
    (tmp_path / "broken.json").write_text('{\n  "title": "x",\n  "url": oops\n}\n', encoding="utf-8")
    (tmp_path / "fine.json").write_text('{"title": "Un titre assez long", "author": "A B"}', encoding="utf-8")
    run = provlint("check", ".", "--format", "json", cwd=tmp_path)
    broken = [f for f in run.json()["findings"] if f["path"] == "broken.json"]
    assert [(f["rule"], f["line"], f["column"]) for f in broken] == [("IN008", 3, 10)]
    assert any(f["path"] == "fine.json" for f in run.json()["findings"])


def test_record_paths_in_machine_formats(mixed):
    sarif = json.loads(provlint("check", "records.jsonl", "--format", "sarif", cwd=mixed).out)
    location = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "PH002")["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "records.jsonl"
    assert location["physicalLocation"]["region"]["startLine"] == 2
    github = provlint("check", "records.jsonl", "--format", "github", cwd=mixed).out
    assert "::error file=records.jsonl,line=2,col=142," in github
    root = ET.fromstring(provlint("check", "records.jsonl", "--format", "junit", cwd=mixed).out)
    [suite] = root.iter("testsuite")
    assert suite.get("name") == "records.jsonl"
    assert "records.jsonl:2" in {case.get("classname") for case in suite.iter("testcase")}


def test_user_field_mapping_from_config(tmp_path):
    (tmp_path / "provlint.yaml").write_text("input:\n  fields:\n    published: meta.pubDate\n    title: meta.headline\n",
                                            encoding="utf-8")
    (tmp_path / "export.jsonl").write_text(
        '{"meta": {"headline": "A headline that is long", "pubDate": "1970-01-01T00:00:00Z"}, "url": "https://example.org/a"}\n',
        encoding="utf-8")
    run = provlint("check", "export.jsonl", "--format", "json", cwd=tmp_path)
    assert ("export.jsonl:1", 1, "TS007") in severe(run)


def test_input_format_can_be_forced(tmp_path):
    (tmp_path / "page.txt").write_text(_page("xpath"), encoding="utf-8")
    run = provlint("check", "page.txt", "--input-format", "html", "--format", "json", cwd=tmp_path)
    assert ("page.txt", 5, "PH001") in severe(run)


# -- what JSON parsers drop without a word (issue 16) ---------------------------------

def input_findings(run) -> list[tuple]:
    return [(f["path"], f["line"], f["column"], f["rule"], f["severity"], f["message"])
            for f in run.json()["findings"] if f["rule"].startswith("IN")]


def test_duplicate_json_keys_are_reported_at_the_later_key(tmp_path):
    (tmp_path / "record.json").write_text(
        '{"title": "Reform No. 12: what changes",\n "author": "Sam Clarke",\n "author": "BBC News"}\n', encoding="utf-8")
    (tmp_path / "records.jsonl").write_text(
        '{"title": "Reform No. 12: what changes", "author": "Sam Clarke"}\n'
        '{"title": "Reform No. 13", "title": "Reform No. 13: what changes", "title": "Reform No. 14"}\n',
        encoding="utf-8")
    (tmp_path / "articles.json").write_text(
        '{"status": "ok", "articles": [\n'
        ' {"title": "Reform No. 12: what changes", "source": {"name": "BBC News"}},\n'
        ' {"title": "Reform No. 13: what changes", "source": {"id": "bbc", "name": "BBC News",\n'
        '                                                     "name": "BBC"}}],\n'
        ' "status": "error"}\n', encoding="utf-8")
    run = provlint("check", ".", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    kept = "its value replaces the one at line {}, column {} (JSON keeps only the last)"
    assert input_findings(run) == [
        ("articles.json#/articles/1", 4, 54, "IN014", "warning", 'duplicate key "name": ' + kept.format(3, 67)),
        ("articles.json#/articles/0", 5, 2, "IN014", "warning", 'duplicate key "status": ' + kept.format(1, 2)),
        ("record.json", 3, 2, "IN014", "warning", 'duplicate key "author": ' + kept.format(2, 2)),
        ("records.jsonl:2", 2, 28, "IN014", "warning", 'duplicate key "title": ' + kept.format(2, 2)),
        ("records.jsonl:2", 2, 68, "IN014", "warning", 'duplicate key "title": ' + kept.format(2, 28))]
    # The record is still checked, with the value JSON keeps.
    authors = [f for f in run.json()["findings"] if f["path"] == "record.json" and f["rule"] == "AT002"]
    assert authors == []


def test_duplicate_keys_in_json_ld(tmp_path):
    (tmp_path / "page.html").write_text(
        '<!DOCTYPE html>\n<html><head><title>Reform No. 12: what changes</title>\n'
        '<script type="application/ld+json">\n'
        '{"@type": "NewsArticle", "headline": "Reform No. 12: what changes",\n'
        ' "author": {"@type": "Person", "name": "Sam Clarke"}, "headline": "Reform No. 13"}\n'
        '</script></head><body><article><p>Text of the article.</p></article></body></html>\n', encoding="utf-8")
    run = provlint("check", "page.html", "--format", "json", cwd=tmp_path)
    assert input_findings(run) == [
        ("page.html", 5, 55, "IN014", "warning",
         'duplicate key "headline": its value replaces the one at line 4, column 26 (JSON keeps only the last)')]


def test_invalid_json_ld_is_reported_at_info(tmp_path):
    (tmp_path / "page.html").write_text(
        '<!DOCTYPE html>\n<html><head><title>Reform No. 12: what changes</title>\n'
        '  <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Un "titre""}</script>\n'
        '<!-- <script type="application/ld+json">{not JSON, but commented out}</script> -->\n'
        '<script type="application/ld+json">  </script>\n'
        '<meta name="author" content="Sam Clarke">\n'
        '</head><body><article><p>Text of the article.</p>\n'
        '<script type="application/ld+json">{"@type": "BreadcrumbList",\n', encoding="utf-8")
    run = provlint("check", "page.html", "--format", "json", cwd=tmp_path)
    assert run.code == 0  # info: below the default --fail-on
    assert input_findings(run) == [
        ("page.html", 3, 3, "IN015", "info",
         "invalid JSON-LD, ignored: expected ',' or '}' (at line 3, column 80)"),
        ("page.html", 8, 1, "IN015", "info",
         "invalid JSON-LD, ignored: no </script> end tag (at line 9, column 1)")]
    # The rest of the page is read as before: its title and author.
    assert not any(f["rule"] in ("AT002", "SC001") for f in run.json()["findings"])


def test_a_newspaper_article_as_saved(tmp_path):
    """newspaper4k's saved articles (its test data, cnn_001.json and chinese_article_001.json
    in ../shared/realworld): the outlet in `meta_site_name`, the authors as Python's
    `str()` of a list, a `summary` its NLP made from the text, which is no description,
    and a date found in the URL written as that day's midnight, which is no time."""
    text = ("Justice Samuel Alito is the tip of the spear for conservatives challenging the Biden "
            "administration, and Solicitor General Elizabeth Prelogar has been his target in court.")
    article = {"url": "https://www.cnn.com/2023/11/06/politics/alito-prelogar-supreme-court-analysis/index.html",
               "title": "Alito and Prelogar: The nonstop sparring match", "movies": "[]", "tags": "None",
               "authors": "['Joan Biskupic']", "publish_date": "2023-11-06T00:00:00", "summary": text,
               "meta_description": "Justice Samuel Alito is the tip of the spear for conservatives.",
               "meta_lang": "en", "meta_site_name": "CNN", "canonical_link": "", "text": text}
    (tmp_path / "cnn_001.json").write_text(json.dumps(article, indent=1), encoding="utf-8")
    run = provlint("check", "cnn_001.json", "--format", "json", "--select", "ALL", cwd=tmp_path)
    assert run.json()["findings"] == []
    article["authors"] = "[]"
    (tmp_path / "cnn_001.json").write_text(json.dumps(article, indent=1), encoding="utf-8")
    run = provlint("check", "cnn_001.json", "--format", "json", "--select", "AT", cwd=tmp_path)
    assert [f["rule"] for f in run.json()["findings"]] == ["AT002"]
