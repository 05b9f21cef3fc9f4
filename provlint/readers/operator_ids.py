"""The ids a site's operator puts in its pages: analytics, ad and tag-manager accounts and
search-engine site verifications. Two registered domains sharing one are likely run by
the same people (the `corpus` check's `report: operator`). Set as the field `operator_id`;
the reader never reports."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from provlint.model import Document, FieldValue
from provlint.model import line_starts

FIELD = "operator_id"
# (what the id is, the literal every match starts with, the pattern whose first group is
# the id). Google Analytics 4 ids (G-…) are short and generic, so only where the gtag
# snippet names them. A pattern led by `\b` or a look-behind is tried at every character
# of the page (milliseconds on a 250 kB page); tried only where its literal stands
# (`str.find`), it finds the same matches: no match can hold the start of another.
_IN_TEXT = (
    ("Google Analytics", "UA-", re.compile(r"\b(UA-\d{4,10}-\d{1,4})\b")),
    ("Google Analytics", "gtag", re.compile(r"(?:gtag/js\?id=|gtag\(\s*['\"]config['\"]\s*,\s*['\"])(G-[A-Z0-9]{6,12})\b")),
    ("Google AdSense", "ca-pub-", re.compile(r"\bca-(pub-\d{10,20})\b")),
    ("Google AdSense", "pub-", re.compile(r"(?<![\w-])(pub-\d{16})\b")),
    ("Google Tag Manager", "GTM-", re.compile(r"\b(GTM-[A-Z0-9]{4,9})\b")),
)
# <meta name="…" content="…"> of site verifications.
VERIFICATIONS = {"google-site-verification": "Google site verification", "yandex-verification": "Yandex verification",
                 "facebook-domain-verification": "Facebook domain verification",
                 "msvalidate.01": "Bing site verification"}


def add_operator_ids(document: Document, root: Any) -> None:
    """Each operator id of the page once, where it first stands, as an `operator_id` value
    (`value` the id, `extra["kind"]` what it is)."""
    text = document.text
    starts: list[int] = []
    seen: set[str] = set()

    def add(kind: str, identifier: str, start: int, length: int) -> None:
        if identifier in seen:
            return
        seen.add(identifier)
        if not starts:
            starts.extend(line_starts(text))
        line = bisect_right(starts, start)
        column = start - starts[line - 1] + 1
        value = FieldValue(identifier, text[start : start + length], line, line, column, column + length, origin="page")
        value.extra["kind"] = kind
        document.add(FIELD, value)

    for kind, literal, pattern in _IN_TEXT:
        for found in _matches_at(literal, pattern, text):
            add(kind, found.group(1), found.start(1), len(found.group(1)))
    for element in root.iter("meta"):
        name = (element.get("name") or "").strip().lower()
        content = (element.get("content") or "").strip()
        if name in VERIFICATIONS and content and len(content) <= 200:
            at = text.find(content)
            add(VERIFICATIONS[name], f"{name}:{content}", max(at, 0), len(content) if at >= 0 else 0)


def _matches_at(literal: str, pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose matches start with `literal`, tried only
    where the literal stands."""
    position = text.find(literal)
    while position >= 0:
        found = pattern.match(text, position)
        if found is not None:
            yield found
            position = text.find(literal, found.end())
        else:
            position = text.find(literal, position + 1)
