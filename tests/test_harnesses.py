"""The real-world harnesses of benchmarks/ on small synthetic pages: the audit's sample and
score (realworld.py), the injections' line bookkeeping (inject.py), the dump's layout
(flatten.py). The harnesses run as scripts, with provlint through its CLI, as by hand.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import shlex
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conftest import NO_NETWORK, REPO

BENCHMARKS = REPO / "benchmarks"
PROVLINT = f"{shlex.quote(sys.executable)} -m provlint"


def module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"harness_{name}", BENCHMARKS / f"{name}.py")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = loaded  # dataclasses look their module up
    spec.loader.exec_module(loaded)
    return loaded


inject = module("inject")
flatten = module("flatten")
realworld = module("realworld")


def harness(script: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    """Run a harness script; the provlint it starts has no network, like every provlint of the tests."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(NO_NETWORK), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, BENCHMARKS / script, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=env)


def page(head: str, body: str = "<p>The council approved the budget on Monday, the mayor said.</p>") -> str:
    return f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n{head}\n</head>\n<body>{body}</body>\n</html>\n'


BUDGET = page(textwrap.dedent("""\
    <title>Council approves the budget | Example News</title>
    <meta property="og:title" content="Council approves the budget">
    <meta property="og:site_name" content="Example News">
    <meta property="article:published_time" content="2021-05-15T13:08:00+02:00">
    <meta name="author" content="Jane Doe">"""))
PLACEHOLDER = page(textwrap.dedent("""\
    <title>Storm closes the port</title>
    <meta property="og:title" content="/html/head/meta[@name='og:title']/@content">"""))


# ---- realworld.py: the report, the audit and its score

@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    (folder / "site").mkdir(parents=True)
    (folder / "site" / "budget.html").write_text(BUDGET, encoding="utf-8")
    (folder / "site" / "storm.htm").write_text(PLACEHOLDER, encoding="utf-8")
    (folder / "site" / "storm.json").write_text('{"title": "metadata, not a page"}', encoding="utf-8")
    (folder / "empty.html").write_text(page(""), encoding="utf-8")
    return folder


def test_the_report_and_the_audit(pages, tmp_path):
    audit = tmp_path / "audit.yaml"
    run = harness("realworld.py", pages, "--provlint", PROVLINT, "--sample", "50", "--seed", "3", "--audit-out", audit,
                  cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert re.search(r"^3 pages checked \(provlint: 3 files\)", run.stdout, re.MULTILINE)  # the .json is no page
    assert re.search(r"^PH001 \S+: 1 findings on 1 pages$", run.stdout, re.MULTILINE)
    assert "  site/storm.htm:6  error  unresolved XPath placeholder" in run.stdout
    [entry] = [e for e in yaml.safe_load(audit.read_text(encoding="utf-8"))["findings"] if e["rule"] == "PH001"]
    assert entry == {"id": entry["id"], "page": "site/storm.htm", "read_as": "pages", "line": 6,
                     "column": entry["column"], "rule": "PH001",
                     "severity": "error", "message": entry["message"],
                     "text": """<meta property="og:title" content="/html/head/meta[@name='og:title']/@content">""",
                     "verdict": None, "why": None}
    assert "verdict:\n" in audit.read_text(encoding="utf-8")  # an empty slot to fill, not `null`
    again = tmp_path / "again.yaml"
    harness("realworld.py", pages, "--provlint", PROVLINT, "--sample", "50", "--seed", "3", "--audit-out", again,
            cwd=tmp_path)
    assert again.read_text(encoding="utf-8") == audit.read_text(encoding="utf-8")
    score = harness("realworld.py", "--score-audit", audit, cwd=tmp_path)
    assert re.search(r"^precision: 0 true of 0 judged = n/a \(\d+ not judged yet\)$", score.stdout, re.MULTILINE)


def test_the_harness_on_flattened_pages(pages, tmp_path):
    run = harness("realworld.py", pages, "--provlint", PROVLINT, "--flatten", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "\n2 of 3 pages gave a dump\n" in run.stdout  # the page without metadata gives none
    assert re.search(r"^2 dumps checked \(provlint: 2 files\)", run.stdout, re.MULTILINE)
    assert "  site/storm.txt:1  error  unresolved XPath placeholder" in run.stdout


def test_the_sample_is_seeded(tmp_path):
    source = tmp_path / "page.html"
    source.write_text("\n".join(f"line {n} " + "x" * 1000 for n in range(1, 21)), encoding="utf-8")
    findings = [realworld.Shown("page.html", realworld.Finding(source, n, 500, "PH001", "xpath-placeholder",
                                                               "placeholder", "error", f"finding {n}"))
                for n in range(1, 21)]
    info = [realworld.Shown("page.html", realworld.Finding(source, n, 1, "DU001", "repeated-metadata-block",
                                                           "duplicate", "info", f"info {n}")) for n in range(1, 4)]
    runs = [realworld.Run("pages", {source: "page.html"}, 1, findings, info)]
    # Info findings are drawn apart, on request, and keep their severity for the score.
    with_info = realworld.audit_entries(runs, 5, seed=1, info_size=2)
    assert [entry["severity"] for entry in with_info].count("info") == 2
    sample = realworld.audit_entries(runs, 5, seed=1)
    assert sample == realworld.audit_entries(runs, 5, seed=1)
    assert [entry["line"] for entry in sample] != [entry["line"] for entry in realworld.audit_entries(runs, 5, seed=2)]
    assert [entry["id"] for entry in sample] == [1, 2, 3, 4, 5]
    assert [entry["line"] for entry in sample] == sorted(entry["line"] for entry in sample)
    # about 300 characters of the line around the column, marked where cut
    first = sample[0]
    assert first["text"] == "…" + "x" * 300 + "…"


def test_scoring_a_filled_audit(tmp_path):
    audit = tmp_path / "audit.yaml"
    audit.write_text(textwrap.dedent("""\
        findings:
        - {id: 1, page: a.html, line: 3, rule: PH001, verdict: true, why: an XPath where the title belongs}
        - {id: 2, page: a.html, line: 9, rule: DU002, verdict: false, why: the site name after the title}
        - {id: 3, page: b.html, line: 4, rule: DU002, verdict: true, why: a headline of another article}
        - {id: 4, page: b.html, line: 5, rule: PH001, verdict: true, why: a template variable}
        - {id: 5, page: c.html, line: 1, rule: TS003, verdict: , why: }
        """), encoding="utf-8")
    run = harness("realworld.py", "--score-audit", audit, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "error/warning findings",
        "rule    judged  true precision",
        "DU002        2     1     50.0%",
        "PH001        2     2    100.0%",
        "precision: 3 true of 4 judged = 75.0% (1 not judged yet)",
    ]


def test_an_audit_verdict_must_be_true_or_false(tmp_path):
    audit = tmp_path / "audit.yaml"
    audit.write_text("findings:\n- {id: 7, rule: PH001, verdict: maybe}\n", encoding="utf-8")
    run = harness("realworld.py", "--score-audit", audit, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == "id 7: verdict 'maybe' is neither true nor false\n"


# ---- inject.py: every injected value is on the line recorded for it

def injected(text: str, kind: str = "xpath-og-title", others: tuple[str, ...] = ()) -> tuple[str, int, str] | str:
    """One kind injected into a page (with other pages beside it), as inject.py does it: the pages'
    texts are their bytes decoded as latin-1."""
    pages = [inject.Page("page.html", text), *(inject.Page(f"other{n}.html", other) for n, other in enumerate(others))]
    return inject.KINDS[kind][0](pages[0], random.Random(1), inject.corpus_of(pages))


def line(text: str, number: int) -> str:
    return text.split("\n")[number - 1]


def test_a_tag_is_replaced_where_it_was():
    text, number, value = injected(BUDGET)
    assert value == "/html/head/meta[@name='og:title']/@content"
    assert line(text, number) == '<meta property="og:title" content="/html/head/meta[@name=&#x27;og:title&#x27;]/@content">'
    assert number == 7 and 'content="Council approves the budget"' not in text
    assert text.index("og:title") > text.index("<title>")  # where the page had it: after <title>


def test_a_missing_tag_is_added_before_the_end_of_head_not_in_a_comment():
    commented = page('<title>Storm closes the port</title>\n<!-- <meta property="og:title" content="old"> -->')
    text, number, _ = injected(commented)
    assert line(text, number).startswith('<meta property="og:title" content="/html/head/')
    assert line(text, number + 1) == "</head>"
    assert '<!-- <meta property="og:title" content="old"> -->' in text


def test_a_copy_keeps_the_bytes_and_encoding_of_its_page():
    raw = page('<meta charset="windows-1252">\n<title>Caf\xe9 cr\xe8me</title>').encode("cp1252")
    other = page('<title>x</title>\n<meta property="og:title" content="Le président visite l’usine Renault">')
    text, number, value = injected(raw.decode("latin-1"), kind="unrelated-og-title",
                                   others=(other.encode("utf-8").decode("latin-1"),))
    assert value == "Le président visite l’usine Renault"
    copy = text.encode("latin-1")
    assert line(text, number) == '<meta property="og:title" content="Le pr&#233;sident visite l&#8217;usine Renault">'
    assert copy.replace(f"\n{line(text, number)}\n".encode("ascii"), b"") == raw


def test_the_json_ld_author_name_is_replaced_where_it_is_written():
    script = textwrap.dedent("""\
        <script type="application/ld+json">
        {"@context": "https://schema.org", "@graph": [
          {"@type": "Organization", "@id": "#org", "name": "Jane Doe"},
          {"@type": "NewsArticle", "headline": "Council approves the budget",
           "publisher": {"@id": "#org"},
           "author": {"@id": "#jane"}},
          {"@type": "Person", "@id": "#jane",
           "name": "Jane Doe"}
        ]}
        </script>""")
    text, number, value = injected(page(script), kind="placeholder-jsonld-author")
    assert line(text, number) == f'   "name": {json.dumps(value)}}}'  # the Person's name, not the publisher's of the same name
    assert value in inject.AUTHOR_PLACEHOLDERS
    assert injected(page("<title>x</title>"), kind="placeholder-jsonld-author") == "no JSON-LD article with an author name"


def test_modified_before_published_keeps_the_offset_and_adds_what_is_missing():
    text, number, value = injected(BUDGET, kind="modified-before-published")
    days = random.Random(1).randint(2, 30)
    assert value == (datetime.fromisoformat("2021-05-15T13:08:00+02:00") - timedelta(days=days)).isoformat()
    assert line(text, number) == f'<meta property="article:modified_time" content="{value}">'
    undated = page("<title>Storm closes the port</title>")
    text, number, value = injected(undated, kind="modified-before-published")
    assert f'<meta property="article:published_time" content="{inject.FALLBACK_PUBLISHED}">' in text
    assert line(text, number) == f'<meta property="article:modified_time" content="{value}">' and value < "2019-06-14"
    display = page('<meta itemprop="datePublished" content="November 19, 2019">')
    assert injected(display, kind="modified-before-published") == "own published date not found or not ISO 8601"


def test_a_second_published_date_is_a_year_from_the_page_own():
    text, number, value = injected(BUDGET, kind="second-published")
    assert value in ("2020-05-15T13:08:00+02:00", "2022-05-15T13:08:00+02:00")
    assert line(text, number) == f'"datePublished": "{value}"}}'  # as JSON-LD, next to the page's meta tag
    # next to the page's own JSON-LD article, the date goes into that article
    article = '<script type="application/ld+json">\n{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle"}]}\n</script>'
    text, number, value = injected(BUDGET.replace("</head>", f"{article}\n</head>"), kind="second-published")
    assert line(text, number) == f'"datePublished": "{value}",'
    graph = json.loads(re.search(r"ld\+json\">(.*?)</script>", text, re.DOTALL).group(1))["@graph"]
    assert graph == [{"@type": "WebSite"}, {"datePublished": value, "@type": "NewsArticle"}]
    json_ld = page('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-02-29"}</script>')
    text, number, value = injected(json_ld, kind="second-published")
    assert value in ("2019-02-28", "2021-02-28")
    assert line(text, number) == f'<meta property="article:published_time" content="{value}">'
    # microdata counts inside an article item only, as the microdata spec reads it
    stray = '<time itemprop="datePublished" datetime="2020-01-03">3 January 2020</time>'
    assert injected(page("", stray), kind="second-published") == "no ISO 8601 published date where the specs put it"
    item = f'<article itemscope itemtype="https://schema.org/NewsArticle">{stray}</article>'
    text, number, value = injected(page("", item), kind="second-published")
    assert line(text, number) == f'<meta property="article:published_time" content="{value}">'
    assert value in ("2019-01-03", "2021-01-03")


def test_injections_are_seeded_and_deterministic(tmp_path):
    pages = [inject.Page("budget.html", BUDGET), inject.Page("storm.html", PLACEHOLDER)]
    first, skipped = inject.inject_all(pages, 5, tmp_path / "first")
    second, _ = inject.inject_all(pages, 5, tmp_path / "second")
    assert list(first.values()) == list(second.values())
    assert [copy.read_bytes() for copy in first] == [copy.read_bytes() for copy in second]
    for copy, injection in first.items():
        written = line(copy.read_bytes().decode("latin-1"), injection.line)
        assert inject.ascii_attribute(injection.value) in written or json.dumps(injection.value) in written
    assert skipped["placeholder-jsonld-author"] == {"no JSON-LD article with an author name": 2}


def test_the_injection_report(pages, tmp_path):
    run = harness("inject.py", pages, "--provlint", PROVLINT, "--seed", "2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    rows = {fields[0]: fields[1:] for fields in map(str.split, run.stdout.splitlines()) if fields}
    # injected and skipped per kind: 3 pages; one author in JSON-LD nowhere; one dated page; two with a title
    assert [rows["xpath-og-title"][i] for i in (1, 5)] == ["3", "0"]
    assert [rows["placeholder-jsonld-author"][i] for i in (1, 5)] == ["0", "3"]
    assert [rows["second-published"][i] for i in (1, 5)] == ["1", "2"]
    assert [rows["unrelated-og-title"][i] for i in (1, 5)] == ["2", "1"]
    assert rows["overall"][0] == str(3 + 3 + 3 + 0 + 3 + 1 + 2)


# ---- flatten.py: the seed's layout from a page's own data

def test_a_json_ld_page_flattens_in_the_seed_layout(tmp_path):
    source = tmp_path / "budget.html"
    source.write_text(page(textwrap.dedent("""\
        <meta property="og:title" content="Council approves budget | Example News">
        <meta property="article:tag" content="budget"><meta property="article:tag" content="council">
        <script type="application/ld+json">
        {"@context": "https://schema.org", "@graph": [
         {"@type": "Organization", "@id": "#org", "name": "Example News", "url": "https://news.example.com/",
          "logo": {"@type": "ImageObject", "url": "https://news.example.com/logo.png", "width": 600, "height": 60}},
         {"@type": "Person", "@id": "#jane", "name": "By Jane Doe", "image": "https://news.example.com/jane.jpg"},
         {"@type": "NewsArticle", "headline": "Council approves budget", "description": "The council approved the budget.",
          "datePublished": "2021-05-15T13:08:00+02:00", "dateModified": "2021-06-01T09:00:00+02:00",
          "url": "https://news.example.com/2021/05/15/budget", "author": {"@id": "#jane"}, "publisher": {"@id": "#org"},
          "image": {"@type": "ImageObject", "url": "https://news.example.com/budget.jpg", "width": 1200, "height": 675},
          "articleBody": "The council approved the budget on Monday.\\n\\nThe mayor welcomed the vote.",
          "articleSection": "Politics", "inLanguage": "en-GB", "keywords": ["budget", "council"], "copyrightYear": 2021}
        ]}
        </script>""")), encoding="utf-8")
    run = harness("flatten.py", source, cwd=tmp_path)
    publisher, author = "Example News https://news.example.com/ 600 60", "By Jane Doe https://news.example.com/jane.jpg"
    assert run.stdout.split("\n\n") == [
        " date 2021-06 https://news.example.com/2021/05/15/budget", "Council approves budget | Example News",
        "Council approves budget", "The council approved the budget.", "2021-05-15T13:08:00+02:00",
        "2021-06-01T09:00:00+02:00", "Politics", "budget", "council", "https://news.example.com/budget.jpg",
        "The council approved the budget on Monday.\nThe mayor welcomed the vote.", "budget", "council", publisher,
        "2021", author, author, "en-GB", publisher, "1200 675 true", publisher, author, "budget, council\n"]


def test_microdata_is_read_by_the_spec(tmp_path):
    source = tmp_path / "storm.html"
    source.write_text(page("<title>Storm | Example</title>", textwrap.dedent("""\
        <nav itemscope itemtype="https://schema.org/BreadcrumbList"><span itemprop="name">Home</span></nav>
        <article itemscope itemtype="http://schema.org/NewsArticle" itemref="byline">
         <h1 itemprop="headline">Storm closes the port</h1>
         <a itemprop="url" href="https://news.example.org/storm">permalink</a>
         <time itemprop="datePublished" datetime="2020-01-03">3 January 2020</time>
         <div itemprop="publisher" itemscope itemtype="https://schema.org/Organization">
          <meta itemprop="name" content="Example Org"><link itemprop="url" href="https://news.example.org/"></div>
         <aside itemscope itemtype="http://schema.org/NewsArticle"><span itemprop="headline">Related: heatwave</span></aside>
        </article>
        <p id="byline" itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ana Ruiz</span></p>""")),
        encoding="utf-8")
    run = harness("flatten.py", source, cwd=tmp_path)
    publisher = "Example Org https://news.example.org/"
    assert run.stdout.split("\n\n") == [" date 2020-01 https://news.example.org/storm", "Storm closes the port",
                                         "2020-01-03", publisher, "Ana Ruiz", "Ana Ruiz", publisher, publisher, "Ana Ruiz\n"]


def test_a_folder_flattens_page_by_page(pages, tmp_path):
    run = harness("flatten.py", "--out", tmp_path / "dumps", pages, cwd=tmp_path)
    assert run.stdout == f"2 dumps from 3 pages in {tmp_path / 'dumps'}\n"
    assert sorted(path.relative_to(tmp_path / "dumps").as_posix() for path in (tmp_path / "dumps").rglob("*")) == [
        "site", "site/budget.txt", "site/storm.txt"]
    assert (tmp_path / "dumps" / "site" / "storm.txt").read_text(encoding="utf-8") == \
        "/html/head/meta[@name='og:title']/@content\n"


def test_a_page_without_article_data_gives_no_dump(tmp_path):
    source = tmp_path / "empty.html"
    source.write_text(page("<title>Home</title>"), encoding="utf-8")
    run = harness("flatten.py", source, cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (1, "", f"{source}: no schema.org article or Open Graph data\n")


def test_an_excerpt_keeps_a_sentence_or_two_and_outlasts_the_description():
    sentences = "Le conseil a voté le budget lundi. " * 30
    assert flatten.excerpt_of(sentences) == "Le conseil a voté le budget lundi. Le conseil a voté le budget lundi. " \
                                             "Le conseil a voté le budget lundi."
    assert len(flatten.excerpt_of(sentences, longer_than=120)) > 120
    unpunctuated = "ผล DNA ยืนยัน ศพลอยแม่น้ำโขงเป็นคนสนิท " * 40
    cut = flatten.excerpt_of(unpunctuated)
    assert 80 < len(cut) <= 480 and unpunctuated.startswith(cut) and not cut.endswith(" ")
