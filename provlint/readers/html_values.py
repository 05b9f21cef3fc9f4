"""Where a page's values stand, and how a value read from a page becomes a record value.

lxml knows only the line of each element; `PageSource` finds the line and column of an
attribute's value or an element's text in the page's own text. Shared by the readers of
the page's parts (`html_page`, `html_schema_org`, `html_byline`).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from provlint.model import line_column, line_starts
from provlint.readers.records import Value

PERSON_KINDS = {"author", "publisher"}
SPLIT_KINDS = {"keywords"}
URL_LIKE = re.compile(r"^(?:https?:)?//\S+$|^www\.\S+$", re.IGNORECASE)
_UNQUOTED = re.compile(r"[^\s>]*")
# Where a value stands: (line, column), or (line, column, end line, end column) when its end is known.
Place = tuple[int, ...]


class PageSource:
    """Lines and columns in the page's text; lxml knows only each element's line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)
        self.used: set[int] = set()  # attribute values already placed (og:title = twitter:title)
        # attribute -> its value (unescaped, stripped) -> where each occurrence's value starts,
        # its first non-space character and past its last, in text order; made once per
        # attribute name.
        self._values: dict[str, dict[str, list[tuple[int, int, int]]]] = {}
        self._first_unused: dict[tuple[str, str], int] = {}
        self._folded: str | None = None

    def position(self, offset: int) -> tuple[int, int]:
        return line_column(self.starts, offset)

    def region(self, element: Any, lines: int = 40) -> tuple[int, int]:
        """The text from the element's start tag to `lines` lines further. lxml gives the
        line where a start tag ends: one that wraps began on an earlier line."""
        line = min(max(element.sourceline or 1, 1), len(self.starts))
        last = line - 1 + lines
        start, end = self.starts[line - 1], self.starts[last] if last < len(self.starts) else len(self.text)
        if isinstance(element.tag, str):
            tag = re.compile(rf"<{re.escape(element.tag)}\b", re.IGNORECASE)
            line_end = self.starts[line] if line < len(self.starts) else len(self.text)
            if tag.search(self.text, start, line_end) is None:
                opening = [found.start() for found in tag.finditer(self.text, max(0, start - 10_000), start)]
                start = opening[-1] if opening else start
        return start, end

    def attribute(self, element: Any, attribute: str, value: str) -> Place:
        """Where an attribute's value starts and ends in the element's start tag: the first
        value not placed yet, in the lines from the element's, that reads the same. Looked
        up among that value's occurrences, not scanned for: a minified page is one line."""
        start, end = self.region(element)
        wanted = value.strip()
        places = self._occurrences(attribute).get(wanted, [])
        key = (attribute, wanted)
        index = max(bisect_left(places, (start,)), self._first_unused.get(key, 0))
        while index < len(places) and places[index][0] < end:
            begin, first, last = places[index]
            if begin not in self.used:
                self.used.add(begin)
                unused = self._first_unused.get(key, 0)
                while unused < len(places) and places[unused][0] in self.used:
                    unused += 1
                self._first_unused[key] = unused  # values placed in page order are skipped at once
                return self.place(first, last)
            index += 1
        return element.sourceline or 1, 1

    def _occurrences(self, attribute: str) -> dict[str, list[tuple[int, int, int]]]:
        found = self._values.get(attribute)
        if found is None:
            found = self._values[attribute] = {}
            pattern = re.compile(rf"\b{re.escape(attribute)}\s*=\s*([\"']?)", re.IGNORECASE)
            for match in self._attribute_matches(attribute, pattern):
                begin, quote = match.end(), match.group(1)
                unquoted = _UNQUOTED.match(self.text, begin)
                stop = self.text.find(quote, begin) if quote else unquoted.end() if unquoted else begin
                raw = self.text[begin:stop if stop >= 0 else len(self.text)]
                found.setdefault(html.unescape(raw).strip(), []).append(
                    (begin, begin + len(raw) - len(raw.lstrip()), begin + len(raw.rstrip())))
        return found

    def _attribute_matches(self, attribute: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """`pattern.finditer(text)` for the pattern of an ASCII attribute name, tried only where
        the name stands in the lower-cased text: a pattern led by `\\b` is otherwise tried at
        every character of the page, each attribute name again."""
        folded = self._lowered()
        if not folded or not attribute.isascii():
            yield from pattern.finditer(self.text)
            return
        name = attribute.lower()
        position = folded.find(name)
        while position >= 0:
            found = pattern.match(self.text, position)
            if found is not None:
                yield found
                position = folded.find(name, found.end())
            else:
                position = folded.find(name, position + 1)

    def _lowered(self) -> str:
        """The text lower-cased, where that finds every place IGNORECASE matches an ASCII name:
        each character stays at its offset, and none is one of the two (dotless i, long s)
        that IGNORECASE matches to an ASCII letter other than its lower case. Else ""."""
        if self._folded is None:
            folded = self.text.lower()
            if len(folded) != len(self.text) or "\u0131" in self.text or "\u017f" in self.text:
                folded = ""
            self._folded = folded
        return self._folded

    def content(self, element: Any, text: str) -> Place:
        """Where an element's text starts and ends: its first word after the start tag to its last."""
        start, end = self.region(element, 4)
        tag = re.compile(rf"<{re.escape(element.tag)}\b[^>]*>", re.IGNORECASE)
        found = tag.search(self.text, start, end)
        if found is None:
            return element.sourceline or 1, 1
        words = text.split()
        at = self.text.find(words[0], found.end()) if words else -1
        if at < 0:
            return self.position(found.end())
        last = self.text.find(words[-1], at + len(words[0]) if len(words) > 1 else at)
        return self.place(at, last + len(words[-1])) if last >= 0 else self.position(at)

    def span(self, offsets: tuple[int, int] | None, fallback: int) -> Place:
        return self.place(*offsets) if offsets else (fallback, 1)

    def part(self, whole: Place, text: str, after: int = 0) -> tuple[Place, int]:
        """Where `text`, a piece of a value placed at `whole`, stands when the file holds it
        as written (no entity or escape in it), looked for past `after` characters of the
        value; else the whole value's place. Also how far into the value it ends."""
        if len(whole) < 4:
            return whole, after
        start = self.starts[whole[0] - 1] + whole[1] - 1
        end = self.starts[whole[2] - 1] + whole[3] - 1
        found = self.text.find(text, start + after, end) if text else -1
        if found < 0:
            return whole, after
        return self.place(found, found + len(text)), found + len(text) - start

    def place(self, start: int, end: int) -> Place:
        """(line, column, end line, end column) of text[start:end]."""
        return (*self.position(start), *self.position(end))


def absolute_url(url: str, base: str) -> str:
    url = url.strip()
    if not base or URL_LIKE.match(url) or "://" in url:
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def page_value(kind: str, role: str | None, text: str, place: Place, origin: str,
               groups: dict[str, str] | None = None) -> Value:
    text = " ".join(str(text).split())
    line, column = place[:2]
    # A part of a split value (one keyword of several) ends where the whole does not.
    end = (place[2], place[3]) if len(place) == 4 and kind not in SPLIT_KINDS else None
    if kind == "timestamp":
        return Value(kind, text, line, column, {"role": role or "published"}, origin, end)
    if kind == "url":
        return Value(kind, text, line, column, {"url": text}, origin, end)
    if kind in PERSON_KINDS:
        parts = {name: " ".join(part.split()) for name, part in (groups or {"name": text}).items() if part.strip()}
        return Value(kind, text, line, column, parts, origin, end)
    return Value(kind, text, line, column, origin=origin, end=end)
