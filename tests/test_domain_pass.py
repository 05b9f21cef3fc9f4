"""The domain, credit and look-alike checks' shortcuts: each answers the common case early
(a page with one URL, a name only its own outlet bears) and must find exactly what the
long way finds."""

from __future__ import annotations

import pytest

HEADER = " date 2024-07 https://www.news-today.example.org/world/x.html\n\n"


def found(run, rule: str) -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["message"]) for f in run.json()["findings"] if f["rule"] == rule]


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


def test_split_space_is_the_white_space_str_split_takes():
    import re2

    from provlint.checks.credit import SPLIT_SPACE

    pattern = re2.compile(SPLIT_SPACE)
    assert [code for code in range(0x110000) if not 0xD800 <= code < 0xE000
            and bool(pattern.fullmatch(chr(code))) != chr(code).isspace()] == []


@pytest.mark.parametrize("name, following, other, hidden", [
    ("Sputnik France", " ", "Sputnik", True), ("RT", " ", "RT France", False), ("RT", "V", "TV Centre", True),
    ("RT", ".", "TV Centre", False), ("RT", "", "TV Centre", False), ("Channel One Russia", " ", "Russia Today", True),
    ("Channel One Russia", ",", "Russia Today", False), ("Russia Today", " ", "Channel One Russia", False),
    ("Rossiya RTR", " ", "RT", True), ("RIA Novosti", " ", "Rossiya RTR", False), ("abc", "d", "bcd", True),
    ("abc", "d", "cd", True), ("abc", "e", "cd", False),
])
def test_names_a_match_may_hide(name, following, other, hidden):
    from provlint.checks.credit import hidden_by

    assert hidden_by(name, following, other) is hidden


def test_a_block_naming_only_the_pages_outlets_is_not_searched_for_credits():
    from provlint.checks.credit import _own_names_only
    from provlint.ruleset import load_ruleset

    credits = next(rule for rule in load_ruleset().rules if rule.id == "PV004").prepared
    assert _own_names_only(credits, "The talks resume.", "example.org")
    assert _own_names_only(credits, "21.02.2022, Sputnik France. Selon Sputnik, RIA\u00a0Novosti", "sputniknews.com")
    assert not _own_names_only(credits, "Selon Sputnik, les pourparlers reprennent.", "example.org")
    assert not _own_names_only(credits, "according to RT", "sputniknews.com")
    # `Channel One Russia` is the page's, but a match of it may hide `Russia Today` (RT's),
    # and `RT` may hide `TV Centre`.
    assert _own_names_only(credits, "Channel One Russia, 2024", "1tv.ru")
    assert not _own_names_only(credits, "Channel One Russia Today", "1tv.ru")
    assert _own_names_only(credits, "RT reported. RT", "rt.com")
    assert not _own_names_only(credits, "RTV Centre", "rt.com")
    # Names written with any white space `str.split` takes are read as names.
    assert not _own_names_only(credits, "according to RIA\u00a0Novosti", "example.org")


@pytest.mark.parametrize("text, expected", [
    ("MOSCOW (Sputnik) - Talks resume.", []),
    ("Talks resume, according to RT. Officials declined to comment.",
     [(3, 15, "'according to RT' credits RT (rt.com) on a page of sputniknews.com")]),
])
def test_an_outlets_page_credits_only_other_outlets(lint, text, expected):
    run = lint(" date 2022-02 https://fr.sputniknews.com/20220221/x.html\n\n" + text + "\n", "--select", "PV004")
    assert found(run, "PV004") == expected
