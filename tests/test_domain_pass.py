"""The domain, credit and look-alike checks' shortcuts: each answers the common case early
(a page with one URL, a name only its own outlet bears) and must find exactly what the
long way finds."""

from __future__ import annotations

import pytest

from provlint.checks.domain import _LINK_AFTER_COLON, _link_after_colon

HEADER = " date 2024-07 https://www.news-today.example.org/world/x.html\n\n"


def found(run, rule: str) -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["message"]) for f in run.json()["findings"] if f["rule"] == rule]


@pytest.mark.parametrize("text", [
    "", "no link here", "https://www.rt.com/x/", "see https://a.example/x: https://b.example/y",
    "Source: https://www.rt.com/x/", "Source:\n\n  HTTP://www.rt.com/x/", "a:b:c https://x", "Quelle : Https://de.rt.com/",
    "Source:https://x", "Source: ftp://x", "Source: https:/x", "Source: httpſ://x", ":https://a :: http://b",
    "https://a.example/x?u=https://b.example/ Source:\u00a0https://c.example/",
])
def test_a_link_after_a_colon_is_found_where_the_search_finds_one(text):
    assert _link_after_colon(text) == (_LINK_AFTER_COLON.search(text) is not None)


def test_a_page_with_one_url_and_a_source_link_on_another_outlet(lint):
    text = "The talks resume in the autumn.\n\nSource: https://www.rt.com/news/1-talks/\n"
    assert found(lint(HEADER + text, "--select", "PV003"), "PV003") == [
        (5, 9, "source link 'https://www.rt.com/news/1-talks/' names RT (rt.com), but the page is on example.org: "
               "a copy of the outlet's article?")]
    # A colon ending one block and a link opening the next is no source link.
    text = "The talks resume in the autumn. Source:\n\nhttps://www.rt.com/news/1-talks/\n"
    assert found(lint(HEADER + text, "--select", "PV003"), "PV003") == [
        (5, 1, "link 'https://www.rt.com/news/1-talks/' names RT (rt.com), but the page is on example.org: "
               "a copy of the outlet's article?")]


def test_an_outlets_page_with_no_other_url_is_no_copy(lint):
    run = lint(" date 2022-02 https://fr.sputniknews.com/20220221/x.html\n\nThe talks resume.\n", "--select", "PV003")
    assert found(run, "PV003") == []
