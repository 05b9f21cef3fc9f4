"""The files you meant (issue 17): a folder walk lints the articles in it, and skips the
files that share their name endings but hold none (a JSON Schema, a requirements.txt,
provlint's own reports, a rule folder's broken fixtures); a file named is always linted."""

from __future__ import annotations

import shutil

import pytest

from conftest import CORPUS, FIXTURES, REPO, SEED, provlint
from provlint.cli import STARTER_RULE

INPUTS = FIXTURES / "inputs"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A repository as a CI job checks it out: articles of every kind next to files that
    are not articles, and a rule folder (named in the config) with a broken fixture.
    Shared by the tests of this module, which run without the cache or with their own."""
    tmp_path = tmp_path_factory.mktemp("project")
    (tmp_path / "data").mkdir()
    shutil.copy(SEED, tmp_path / "data" / "seed.txt")
    for name in ("newsapi.json", "records.jsonl", "clean.html"):
        shutil.copy(INPUTS / name, tmp_path / "data" / name)
    shutil.copy(REPO / "schemas" / "config.schema.json", tmp_path / "data" / "config.schema.json")
    (tmp_path / "requirements.txt").write_text("# tools\nclick>=8.0\nrequests==2.31.0\npyyaml\n\n-r dev.txt\n",
                                                encoding="utf-8")
    (tmp_path / "tsconfig.json").write_text('{"compilerOptions": {"strict": true}}\n', encoding="utf-8")
    rules = tmp_path / "provlint-rules"
    (rules / "fixtures").mkdir(parents=True)
    (rules / "fixtures" / "broken.txt").write_text("A title long enough to be one\n\nTK\n", encoding="utf-8")
    (rules / "fixtures" / "broken.json").write_text('{"title": "x"', encoding="utf-8")
    (tmp_path / "provlint.yaml").write_text("rules: [provlint-rules/]\n", encoding="utf-8")
    (rules / "editorial-marker.yaml").write_text(STARTER_RULE, encoding="utf-8")
    # provlint's own reports, written where a CI job keeps its artefacts.
    reports = tmp_path / "reports"
    reports.mkdir()
    written = provlint("check", "data/seed.txt", "--no-cache", "--output", "reports/full.txt", "--format", "full",
                       "--output-format", "json=reports/provlint.json", "--output-format", "sarif=reports/sarif.json",
                       "--output-format", "jsonl=reports/findings.jsonl", "--output-format", "gitlab=reports/gl.json",
                       "--output-format", "concise=reports/concise.txt", cwd=tmp_path)
    assert written.code == 1, written.err
    return tmp_path


ARTICLES = ["data/clean.html", "data/newsapi.json", "data/records.jsonl", "data/seed.txt"]
SKIPPED = [
    ("data/config.schema.json", "a JSON Schema"),
    ("reports/concise.txt", "a provlint report"),
    ("reports/findings.jsonl", "a provlint report"),
    ("reports/full.txt", "a provlint report"),
    ("reports/gl.json", "a GitLab code quality report"),
    ("reports/provlint.json", "a provlint report"),
    ("reports/sarif.json", "a SARIF log"),
    ("requirements.txt", "a pip requirements file"),
    ("tsconfig.json", "JSON with none of the article fields (title, url, body, published, author, publisher, …)"),
]


def test_a_folder_walk_lints_only_the_articles(project):
    run = provlint("check", ".", "--no-cache", "--format", "json", cwd=project)
    assert run.code == 1
    assert run.json()["files_checked"] == 4
    assert {f["path"].split("#")[0].split(":")[0] for f in run.json()["findings"]} <= set(ARTICLES)
    assert run.err == ("provlint: skipped 9 files that hold no article, found in folders walked "
                       "(--show-files lists them with why)\n")


def test_show_files_lists_the_files_checked_and_those_skipped_with_why(project):
    run = provlint("check", "--show-files", cwd=project)
    assert run.code == 0 and run.err == ""
    assert run.out.splitlines() == ARTICLES + [f"{path}  (skipped: {why})" for path, why in SKIPPED]


def test_files_named_are_linted_whatever_they_hold(project):
    run = provlint("check", "requirements.txt", "data/config.schema.json", "provlint-rules/fixtures/broken.json",
                   "--no-cache", "--format", "json", "--select", "AT001,IN", cwd=project)
    assert run.code == 1 and run.err == ""
    assert [(f["path"], f["rule"]) for f in run.json()["findings"]] == [
        ("data/config.schema.json", "AT001"),
        ("provlint-rules/fixtures/broken.json", "IN008"),
        ("requirements.txt", "AT001"),
    ]


def test_a_file_named_then_found_in_a_folder_is_skipped_despite_the_cache(project, tmp_path):
    cache = ("--cache-dir", tmp_path / "cache")
    named = provlint("check", "requirements.txt", "--format", "json", "--select", "AT001", *cache, cwd=project)
    assert [f["rule"] for f in named.json()["findings"]] == ["AT001"]
    walked = provlint("check", ".", "--format", "json", "--select", "AT001", *cache, cwd=project)
    assert "requirements.txt" not in {f["path"] for f in walked.json()["findings"]}
    assert walked.json()["files_checked"] == 4


def test_a_rule_folder_from_the_config_is_no_input_but_can_be_named(project):
    walked = provlint("check", "--show-files", cwd=project)
    assert "provlint-rules" not in walked.out
    named = provlint("check", "--show-files", "provlint-rules", cwd=project)
    assert named.out.splitlines() == ["provlint-rules/fixtures/broken.json", "provlint-rules/fixtures/broken.txt"]


@pytest.mark.parametrize("text", [
    "Titel\n\nflask\ndjango\n",  # bare words, nothing pinned
    "click>=8.0\nrequests==2.31.0\nA title of an article\n",
    "2 findings in the text\n",
])
def test_text_like_a_requirements_file_or_a_report_but_not_one_is_linted(tmp_path, text):
    (tmp_path / "notes.txt").write_text(text, encoding="utf-8")
    run = provlint("check", "--show-files", ".", cwd=tmp_path)
    assert run.out == "notes.txt\n"


def test_every_real_dump_record_and_page_is_linted(tmp_path):
    """The seed, the test fixtures and the sample corpus: nothing of them is skipped."""
    folders = [FIXTURES / "inputs", FIXTURES / "realworld-dumps", SEED.parent]
    if CORPUS.is_dir():
        folders.append(CORPUS)
    run = provlint("check", "--show-files", "--no-gitignore", *folders, cwd=tmp_path)
    endings = (".txt", ".json", ".jsonl", ".html")
    found = sorted(str(path) for folder in folders for path in folder.rglob("*")
                   if path.suffix in endings and ".provlint_cache" not in path.parts)
    assert sorted(line.split("  (skipped:")[0] for line in run.out.splitlines()) == found
    skipped = [line for line in run.out.splitlines() if "(skipped:" in line]
    corpus_labels = [f"{CORPUS / 'labels.json'}  (skipped: JSON with none of the article fields (title, url, body, "
                     "published, author, publisher, …))"]
    assert skipped == (corpus_labels if CORPUS.is_dir() else [])
    if CORPUS.is_dir():
        assert sum(line.startswith(str(CORPUS)) and line.endswith(".txt") for line in run.out.splitlines()) == 30


# Gzip-compressed inputs and standard input.

def gzipped(path, data: bytes) -> None:
    import gzip

    path.write_bytes(gzip.compress(data, mtime=0))


def test_gzipped_inputs_are_read_as_their_plain_selves(tmp_path):
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    for source, name in ((SEED, "seed.txt"), (INPUTS / "records.jsonl", "feed.jsonl"),
                         (INPUTS / "newsapi.json", "news.json"), (INPUTS / "conflicting.html", "page.html")):
        shutil.copy(source, plain / name)
        gzipped(packed / f"{name}.gz", source.read_bytes())
    expected = provlint("check", ".", "--no-cache", "--format", "json", cwd=plain).json()
    run = provlint("check", ".", "--no-cache", "--format", "json", cwd=packed)
    assert run.code == 1 and run.json()["files_checked"] == 4

    def located(findings):
        return sorted((f["path"].replace(".gz", ""), f["line"] or 0, f["column"] or 0, f["rule"]) for f in findings)

    assert located(run.json()["findings"]) == located(expected["findings"])
    assert {f["path"].split(":")[0].split("#")[0] for f in run.json()["findings"]} == {
        "seed.txt.gz", "feed.jsonl.gz", "news.json.gz", "page.html.gz"}


def test_a_gzip_bomb_is_refused_unread(tmp_path):
    # 50 MB of zeros compress to about 50 kB: past the cap once decompressed.
    gzipped(tmp_path / "bomb.txt.gz", b"A title\n\n" + b"0" * 50_000_000)
    (tmp_path / "cut.jsonl.gz").write_bytes(__import__("gzip").compress(b'{"title": "x"}\n')[:12])
    run = provlint("check", ".", "--no-cache", "--format", "json", "--max-file-size", "1000000", cwd=tmp_path)
    assert run.code == 1
    assert [(f["path"], f["line"], f["rule"], f["message"]) for f in run.json()["findings"]] == [
        ("bomb.txt.gz", None, "IN006",
         "file too large (more than 1,000,000 bytes once decompressed): skipped without reading it"),
        ("cut.jsonl.gz", None, "IN005", "cannot read the file: gzip file cut short"),
    ]


def test_standard_input_is_read_as_the_file_named(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    expected = provlint("check", SEED, "--no-cache", "--format", "json", cwd=tmp_path).json()["findings"]
    run = provlint("check", "-", "--stdin-filename", "corpus/seed.txt", "--format", "json", cwd=tmp_path, stdin=text)
    assert run.code == 1 and run.json()["files_checked"] == 1
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in run.json()["findings"]] == [
        ("corpus/seed.txt", f["line"], f["column"], f["rule"]) for f in expected]
    records = (INPUTS / "records.jsonl").read_text(encoding="utf-8")
    feed = provlint("check", "-", "--stdin-filename", "feed.jsonl", "--format", "json", "--select", "IN008",
                    cwd=tmp_path, stdin=records)
    assert feed.code == 1 and [(f["path"].split(":")[0], f["line"], f["rule"]) for f in feed.json()["findings"]] == [
        ("feed.jsonl", 3, "IN008")]


def test_standard_input_goes_alone(tmp_path):
    run = provlint("check", "-", "other.txt", cwd=tmp_path, stdin="")
    assert run.code == 2 and "`-` (standard input) cannot be checked together with other paths" in run.err


# The pre-commit hook.

def test_the_pre_commit_hook_checks_the_articles_among_the_files_staged(project):
    """As pre-commit runs the hook: the staged files its `files` pattern takes, named
    after its entry, in one process (`require_serial`)."""
    import re
    import shlex

    import yaml

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["require_serial"] is True
    staged = sorted(str(path.relative_to(project)) for path in project.rglob("*")
                    if path.is_file() and ".provlint_cache" not in path.parts)
    staged += ["feed.JSONL.gz", "page.htm.gz", "notes.md", "tool.py", "provlint.sarif", "junit.xml"]
    taken = [name for name in staged if re.search(hook["files"], name)]
    assert sorted(set(staged) - set(taken)) == [
        "junit.xml", "notes.md", "provlint-rules/editorial-marker.yaml", "provlint.sarif", "provlint.yaml",
        "tool.py"]
    existing = [name for name in taken if (project / name).is_file()]
    entry = shlex.split(hook["entry"])
    assert entry[0] == "provlint"
    run = provlint(*entry[1:], "--no-cache", "--format", "json", *existing, cwd=project)
    assert run.code == 1 and run.json()["files_checked"] == 4
    assert {f["path"].split("#")[0].split(":")[0] for f in run.json()["findings"]} <= set(ARTICLES)


# include / extend-include, extend-select / extend-ignore, exclude relative to the config.

PLACEHOLDER_DUMP = "A title that is long enough\n\n/html/head/meta[@name='og:title']/@content\n"


def test_exclude_is_relative_to_the_config_file_and_gitignore_style(tmp_path):
    (tmp_path / "provlint.yaml").write_text('exclude: ["archive/", "data/old/*.txt"]\n', encoding="utf-8")
    for name in ("data/new.txt", "data/old/a.txt", "data/old/keep.json", "data/sub/archive/b.txt",
                 "archive/c.txt", "archived/d.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(PLACEHOLDER_DUMP, encoding="utf-8")
    (tmp_path / "data" / "old" / "keep.json").write_text('{"title": "A title that is long enough", "url": "x"}',
                                                           encoding="utf-8")
    from_root = provlint("check", "--show-files", cwd=tmp_path)
    assert from_root.out.splitlines() == ["archived/d.txt", "data/new.txt", "data/old/keep.json"]
    from_data = provlint("check", "--show-files", ".", cwd=tmp_path / "data")
    assert from_data.out.splitlines() == ["new.txt", "old/keep.json"]
    run = provlint("check", ".", "--no-cache", "--format", "json", "--select", "PH001", cwd=tmp_path / "data")
    assert [(f["path"], f["line"], f["rule"]) for f in run.json()["findings"]] == [("new.txt", 3, "PH001")]


def test_include_and_extend_include_choose_the_files_a_walk_reads(tmp_path):
    for name in ("a.txt", "b.dump", "c.md", "d.json"):
        (tmp_path / name).write_text(PLACEHOLDER_DUMP, encoding="utf-8")
    (tmp_path / "provlint.yaml").write_text('include: ["*.dump"]\nextend-include: ["*.md"]\n', encoding="utf-8")
    assert provlint("check", "--show-files", cwd=tmp_path).out.splitlines() == ["b.dump", "c.md"]
    (tmp_path / "provlint.yaml").write_text('extend-include: ["*.md"]\n', encoding="utf-8")
    assert provlint("check", "--show-files", cwd=tmp_path).out.splitlines() == ["a.txt", "b.dump", "c.md", "d.json"]
    run = provlint("check", "c.md", "--no-cache", "--format", "json", "--select", "PH001", cwd=tmp_path)
    assert [(f["path"], f["line"], f["rule"]) for f in run.json()["findings"]] == [("c.md", 3, "PH001")]


def test_extend_select_and_extend_ignore_add_to_the_selection(tmp_path):
    (tmp_path / "dump.txt").write_text(SEED.read_text(encoding="utf-8") + "\n\nPaulina Dedaj\n\nJohn Smith "
                                       "https://cdn.example.com/img/js.jpg\n", encoding="utf-8")
    (tmp_path / "provlint.yaml").write_text("extend-select: [AT011]\nextend-ignore: [TX001, PV]\n", encoding="utf-8")
    run = provlint("check", "dump.txt", "--no-cache", "--format", "json", cwd=tmp_path)
    rules = sorted({f["rule"] for f in run.json()["findings"]})
    assert "AT011" in rules and "PH001" in rules and "DU001" in rules
    assert not {"TX001", "PV001"} & set(rules)
    # A selection on the command line replaces the config's, its extension included (as in ruff).
    only = provlint("check", "dump.txt", "--no-cache", "--format", "json", "--select", "PH001", cwd=tmp_path)
    assert {f["rule"] for f in only.json()["findings"]} == {"PH001"}
    both = provlint("check", "dump.txt", "--no-cache", "--format", "json", "--select", "PH001",
                    "--extend-select", "AT011", cwd=tmp_path)
    assert {f["rule"] for f in both.json()["findings"]} == {"PH001", "AT011"}


def test_json_ld_the_reader_cannot_map_is_still_linted(tmp_path):
    (tmp_path / "graph.json").write_text('{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle"}]}',
                                         encoding="utf-8")
    assert provlint("check", "--show-files", cwd=tmp_path).out == "graph.json\n"
