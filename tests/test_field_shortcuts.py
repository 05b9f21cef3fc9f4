"""The field builder's shortcuts (issue 20) against the paths they skip: a plain URL's
host and path read with str methods as urlsplit reads them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provlint.readers.fields import host_and_path


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

