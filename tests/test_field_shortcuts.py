"""The field builder's shortcuts (issue 20) against the paths they skip: a plain URL's
host and path read as urlsplit reads them; an ISO 8601 timestamp read in two parts, each
kept by its text, as the date grammar reads it; timestamp roles given by order."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provlint.dates import _parse_words, parse_timestamp
from provlint.readers import read_bytes
from provlint.readers.fields import host_and_path
from provlint.ruleset import load_ruleset


def _as_urlsplit_reads(url: str) -> tuple[str, str]:
    try:
        location = urlsplit(url if "//" in url else "//" + url)
        return location.hostname or "", location.path
    except ValueError:
        return "", ""


URLS = [
    "https://fr.sputniknews.com/20220221/entretien-macron-poutine-1055266666.html",
    "HTTPS://WWW.Spiegel.DE/politik/ausland/a-1234.html?utm_source=x#kommentare",
    "hTtP://ria.ru/20220221/ukraina-1774200000.html",
    "//cdn.example.com/img/1.jpg",
    "https://example.com",
    "https://example.com?q=1/2",
    "https://example.com#a/b?c",
    "https://example.com/a#b?c",
    "https://www.lemonde.fr/international/article/2022/02/21/l-ukraine_6114568_3210.html",
    "https://www.elmundo.es/internacional/2022/02/21/6213a1b2fc6c83d7418b4590.html",
    "https://tass.ru/politika/13786571",
    "https://www.nhk.or.jp/news/html/20220221/k10013494231000.html",
    "https://ru.wikipedia.org/wiki/Путин,_Владимир_Владимирович",
    "https://zh.example.cn/新闻/2022/02/21/一.html",
    "https://example.com/a\u00adb",  # a soft hyphen: not printable, but no control character
    "https://example.com/a\u200bb",
    "https://example.com/a\x7fb",  # DEL is not in \x00-\x20
    "https://example.com/a\u2028b",
    "https://example.com/a\x1fb",
    "https://example.com/a\tb",
    "https://example.com/a\nb",
    "https://example.com/a b",
    "https://example.com/a\u00a0b",
    "https://example.com:8080/a",
    "https://user@example.com/a",
    "https://ex_ample.com/",
    "https://[::1]/a",
    "http://[evil/",
    "http:///path",
    "https:/example.com/a",
    "https//example.com/a",
    "ftp://files.example.com/x",
    "example.com/news/1",
    "example.com",
    " https://example.com/a",
    "https://bücher.example/a",
    "https://xn--bcher-kva.example/%41",
    "https://\u212aelvin.example/a",  # the Kelvin sign lower-cases to `k`
    "\u212a//x.example/a",
    "https://-.-/",
    "https://a..b./x",
    "//",
    "",
]


@pytest.mark.parametrize("url", URLS)
def test_plain_urls_read_as_urlsplit_reads_them(url):
    assert host_and_path(url) == _as_urlsplit_reads(url)


_URL_PARTS = st.sampled_from(["http:", "https:", "HTTP:", "Https:", "//", "/", "?", "#", ":", "@", "[", "]",
                              "example", ".com", "-", "_", "%41", "ü", "Путин", "新闻", "\u212a", " ", "\t",
                              "\n", "\x00", "\x1f", "\x7f", "\u00ad", "\u200b", "\u2028", "\u00a0", "2022", "/a"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_URL_PARTS, max_size=10).map("".join))
def test_any_text_reads_as_urlsplit_reads_it(url):
    assert host_and_path(url) == _as_urlsplit_reads(url)


# ISO 8601 extended is read without tokens, its date and its time of day apart (each kept
# by its text): it must read as the general grammar reads it, problems included, with the
# built-in date words and with a user's.
ISO_TEXTS = [
    "2022-02-21T08:57+0100", "2022-02-21T08:57:00Z", "2019-11-18T17:26:45.327", "2019-11-18 08:54:19",
    "2019-11-19 14:42:55Z", "2018-09-15", "2022-2-1", "2022-02-21t08:57:01.5z", "2022-02-21T08:57 +01:00",
    "2022-02-21T08:57:00,123456789+05:45", "2022-02-21T8:05+01", "2014-12-15T12:56-05:00",
    # what no day or time of day is: the day's problem first, as datetime gives it
    "2022-02-31T08:57", "2022-02-31T25:00", "2022-02-21T25:00", "2022-13-01", "0000-01-01", "2022-02-21T08:57:60",
    "2022-02-21T08:60+01:00",
    # offsets that are none
    "2022-02-21T08:57-00:00", "2022-02-21T08:57+25:00", "2022-02-21T08:57+01:07", "2022-02-21T08:57+0160",
    # not ISO 8601 extended: read by the grammar, or not dates
    "2014-12-18 01:01:00 UTC", "2021-01-03T16:11:00EET", "2022-02-21 T08:57", "2022-02-21T08:57Z extra",
    "2022-02-21T", "2022-02-21 ", " 2022-02-21T08:57Z ", "22022-02-21", "2022-002-21", "2022-02-21T08:5",
    "2022-02-21TT08:57", "２０２２-02-21", "2022-02-21T０8:57", "21.02.2022", "21 février 2022 à 08:57",
    "21. února 2022 08:57 IST", "2022年2月21日 08:57", "Tue, 19 Nov 2019 06:13:48 -0600", "",
]
NAMES = load_ruleset().table.dates
USER_DATES = ("dates:\n  languages:\n    cs:\n      months: [[ledna], [února], [], [], [], [], [], [], [], [],"
              " [listopadu], []]\n  zones:\n    IST: '+05:30'\n")


@pytest.fixture(scope="module")
def date_names(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dates")
    (folder / "dates.yaml").write_text(USER_DATES, encoding="utf-8")
    return [NAMES, load_ruleset([str(folder / "dates.yaml")]).table.dates]


@pytest.mark.parametrize("text", ISO_TEXTS)
def test_iso_texts_read_as_the_grammar_reads_them(text, date_names):
    for names in date_names:
        expected = _parse_words(text.strip(), names)
        # Twice past the memo of whole texts: the second reading takes the parts kept by the first.
        assert parse_timestamp.__wrapped__(text, names) == expected
        assert parse_timestamp.__wrapped__(text, names) == expected


_ISO_PARTS = st.tuples(
    st.sampled_from(["2022", "1999", "0000", "9999", "202"]), st.sampled_from(["-", "."]),
    st.sampled_from(["02", "2", "12", "13", "00", "002"]), st.just("-"), st.sampled_from(["21", "1", "29", "31", "32", "0"]),
    st.sampled_from(["", "T", "t", " ", "  "]), st.sampled_from(["", "08:57", "8:57", "23:59:59", "24:00", "08:57:00.5",
                                                                 "08:57:00,1234567890", "08:5"]),
    st.sampled_from(["", "Z", "z", " Z", "+01:00", "+0100", "+01", "-00:00", "-12:30", "+14:15", "+1", "UTC", " +05:45"]),
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_ISO_PARTS)
def test_any_iso_like_text_reads_as_the_grammar_reads_it(text):
    assert parse_timestamp.__wrapped__(text, NAMES) == _parse_words(text.strip(), NAMES)


# A user's timestamp row whose `role` group may match nothing: such a block names no role
# and takes the next by order, as the timestamps without the group do.
ROLE_ROW = "block_kinds:\n  - kind: timestamp\n    pattern: '(?P<role>(?:updated)?)\\s*\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}'\n"


def test_a_role_group_that_matched_nothing_takes_a_role_by_order(tmp_path):
    (tmp_path / "roles.yaml").write_text(ROLE_ROW, encoding="utf-8")
    table = load_ruleset([str(tmp_path / "roles.yaml")]).table
    dump = "Title of the article\n\n2022-02-21T08:57\n\nupdated 2022-02-21T09:41\n\n2022-02-21T08:58\n"
    document = read_bytes("roles.txt", dump.encode(), table)[0]
    by_order = table.roles(2)
    assert [value.raw for value in document.values(by_order[0])] == ["2022-02-21T08:57"]
    assert [value.raw for value in document.values(by_order[1])] == ["2022-02-21T08:58"]
    assert [value.raw for value in document.values("updated")] == ["updated 2022-02-21T09:41"]
    assert "" not in document.fields
