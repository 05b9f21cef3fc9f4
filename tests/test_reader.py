"""The dump reader: content-based block kinds, exact line numbers, any layout."""

from __future__ import annotations

import dataclasses
import random

import pytest

from conftest import FIXTURES
from provlint.readers import read_texts
from provlint.readers.fields import host_and_path, parse_byline
from provlint.ruleset import load_ruleset


@pytest.fixture(scope="module")
def table():
    return load_ruleset().table


def kinds(document):
    return {block.line: block.kind for block in document.blocks}


def test_seed_block_kinds(seed_text, table):
    document = read_texts("seed.txt", seed_text, table, "dump")[0]
    found = kinds(document)
    assert found[1] == "header"
    assert found[3] == found[5] == "title"
    assert found[7] == "description"
    assert [found[n] for n in (9, 11, 13)] == ["timestamp"] * 3
    assert found[27] == "placeholder"
    assert found[29] == "image"
    assert found[31] == "body"
    assert [found[n] for n in (39, 51, 59)] == ["publisher"] * 3
    assert [found[n] for n in (43, 45, 61)] == ["author"] * 3
    assert (found[41], found[47], found[49], found[53], found[63]) == ("year", "section", "locale", "dimensions", "keywords")


def test_seed_fields(seed_text, table):
    document = read_texts("seed.txt", seed_text, table, "dump")[0]
    assert document.values("domain")[0].value == "sputniknews.com"
    assert document.values("subdomain")[0].value == "fr"
    assert str(document.values("url_date")[0].value) == "2022-02-21"
    assert str(document.values("dateline_date")[0].value) == "2022-02-21"
    assert (document.values("dateline_date")[0].line, document.values("dateline_date")[0].column) == (7, 159)
    published = document.values("published")[0]
    assert (published.line, published.value.instant.isoformat()) == (11, "2022-02-21T08:57:00+01:00")
    assert [v.line for v in document.values("created")] == [9]
    assert [v.line for v in document.values("modified")] == [13]
    publisher = document.values("publisher")[0].value
    assert publisher["email"] == "feedback.fr@sputniknews.com" and publisher["phone"] == "+74956456601"
    assert publisher["name"] == "Sputnik France"
    assert document.values("authors")[0].value["name"] == "Irina Tarassova"
    assert [v.value for v in document.values("keywords")][:2] == ["emmanuel macron", "vladimir poutine"]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_and_bom_keep_line_numbers(seed_text, table, newline):
    variant = "\ufeff" + seed_text.replace("\n", newline)
    assert kinds(read_texts("v.txt", variant, table, "dump")[0]) == kinds(read_texts("s.txt", seed_text, table, "dump")[0])


def test_no_header(seed_text, table):
    document = read_texts("v.txt", seed_text.split("\n", 2)[2], table, "dump")[0]
    assert kinds(document)[1] == "title"
    assert document.values("url") == [] and document.values("domain") == []


def test_shuffled_blocks_keep_their_kinds(seed_text, table):
    blocks = seed_text.split("\n\n")
    expected = {text: kind for text, kind in zip(blocks, kinds(read_texts("s", seed_text, table, "dump")[0]).values())}
    shuffled = blocks[:]
    random.Random(7).shuffle(shuffled)
    document = read_texts("v.txt", "\n\n".join(shuffled), table, "dump")[0]
    assert {block.text: block.kind for block in document.blocks} == expected


@pytest.mark.parametrize("raw, expected", [
    ("2022-02-21T08:57:00+01:00", "2022-02-21T08:57:00+01:00"),
    ("2022-02-21 08:57:00Z", "2022-02-21T08:57:00+00:00"),
    ("Mon, 21 Feb 2022 08:57:00 +0100", "2022-02-21T08:57:00+01:00"),
    ("21.02.2022 08:57 +03:00", "2022-02-21T08:57:00+03:00"),
])
def test_timestamp_spellings(table, raw, expected):
    document = read_texts("t.txt", raw, table, "dump")[0]
    assert document.blocks[0].kind == "timestamp"
    assert document.values("published")[0].value.instant.isoformat() == expected


@pytest.mark.parametrize("url, expected", [
    ("https://fr.sputniknews.com/20220221/x-1055266666.html", "2022-02-21"),
    ("https://www.minutoneuquen.com/entretenimiento/2022/10/23/el-sincero.html", "2022-10-23"),
    ("https://finance.sina.com.cn/stock/s/2021-05-18/doc-ikmy.shtml", "2021-05-18"),
    ("https://example.fr/actu/21/02/2022/article.html", "2022-02-21"),
    ("https://example.com/story/12345678/", None),
])
def test_url_dates(table, url, expected):
    document = read_texts("u.txt", f" date 2022-02 {url}", table, "dump")[0]
    found = document.values("url_date")
    assert (str(found[0].value) if found else None) == expected


def test_cyrillic_dump(table):
    document = read_texts("ria.txt", (FIXTURES / "ria_clean.txt").read_text(encoding="utf-8"), table, "dump")[0]
    found = kinds(document)
    assert found[3] == "title" and found[5] == "description" and found[19] == "body"
    assert found[21] == "publisher" and found[25] == "author" and found[13] == "tag"
    assert str(document.values("dateline_date")[0].value) == "2023-03-14"
    assert document.values("domain")[0].value == "ria.ru"


def test_user_length_bounds_count_dense_characters_twice(tmp_path):
    """A row's length conditions read the weighted length (a Han character counts twice)
    also where the plain length alone would decide otherwise: 6 characters are 12, and
    5 are 10, within `max_length: 10`."""
    (tmp_path / "kinds.yaml").write_text(
        "block_kinds:\n"
        "  - kind: section\n    max_lines: 1\n    max_length: 10\n    pattern: '\\p{Han}+'\n"
        "  - kind: label\n    max_lines: 1\n    min_length: 12\n    pattern: '\\p{Han}+'\n", encoding="utf-8")
    table = load_ruleset([str(tmp_path / "kinds.yaml")]).table
    document = read_texts("han.txt", "新聞速報\n\n新聞速報速報\n\n新聞速報速\n", table, "dump")[0]
    assert [block.kind for block in document.blocks] == ["section", "label", "section"]


@pytest.mark.parametrize("url, expected", [
    ("https://Fr.SputnikNews.com/20220221/x.html?utm=1#top", ("fr.sputniknews.com", "/20220221/x.html")),
    ("HTTP://example.com", ("example.com", "")),
    ("https://example.com#a?b", ("example.com", "")),
    ("https://example.com/a#b?c", ("example.com", "/a")),
    ("//cdn.example.com/img/1.jpg", ("cdn.example.com", "/img/1.jpg")),
    ("example.com/news/1", ("example.com", "/news/1")),  # no `//`: read as if written `//example.com/...`
    ("example.com/a//b", ("", "example.com/a//b")),
    ("https://ex_ample.com/", ("ex_ample.com", "/")),
    ("https://xn--bcher-kva.example/%41", ("xn--bcher-kva.example", "/%41")),
    ("example.com", ("example.com", "")),
    ("https://user@Example.com:8080/a", ("example.com", "/a")),
    ("https://example.com/a b/ü", ("example.com", "/a b/ü")),
    ("https://example.com/a\tb", ("example.com", "/ab")),
    (" https://example.com/a", ("example.com", "/a")),
    ("ftp://files.example.com/x", ("files.example.com", "/x")),
    ("https://[::1]/a", ("::1", "/a")),
    ("http://[evil/", ("", "")),
])
def test_host_and_path_reads_as_urlsplit(url, expected):
    assert host_and_path(url) == expected


def test_byline_reading_follows_a_change_of_the_table(table):
    # Bylines are remembered by text and by the patterns that read them, so a table whose
    # byline rules change reads the same text anew.
    bylines = dataclasses.replace(table.bylines)
    assert parse_byline("By Jill Disis, CNN Business", bylines) == ("Jill Disis", "CNN Business", 3)
    bylines.prefix = None
    assert parse_byline("By Jill Disis, CNN Business", bylines)[2] == 0
