"""JSON-LD in HTML pages: parsed with the place of every value, the `@graph` flattened,
`@id` references resolved, and the page's main entity chosen.

Python's json module keeps no positions, so a small parser records, for every object and
array, where each of its values starts and ends in the script's text. Real pages wrap
their JSON-LD in HTML comments or CDATA, leave trailing commas and raw control
characters in strings: those are read the way browsers' search-engine consumers read
them. Anything else that does not parse gives no values and a JsonError saying why and
where.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from provlint.readers.jsontext import MAX_DEPTH, MAX_INT_DIGITS, lone_surrogates

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_SPACE = " \t\r\n"
_AT_END = re.compile(r"\s+(?:starting\s+)?at$")
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")


class JsonError(ValueError):
    """Why a script's text is not JSON, and where (`offset` in the text) the parser stopped."""

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


@dataclass
class Positions:
    """Where the values of each object and array stand: (start, end) offsets, keyed by
    the container's id and the member's key or index. Strings start after their quote."""

    spans: dict[int, dict[Any, tuple[int, int]]] = field(default_factory=dict)
    keep: list[Any] = field(default_factory=list)  # containers stay alive while ids are used
    # (key, offset of its previous occurrence, offset of this one) for each key an object
    # repeats: the last value is kept, as JSON parsers do. Offsets of the keys' quotes.
    repeated_keys: list[tuple[str, int, int]] = field(default_factory=list)

    def span(self, container: Any, key: Any) -> tuple[int, int] | None:
        return self.spans.get(id(container), {}).get(key)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.positions = Positions()

    def skip(self, index: int) -> int:
        text = self.text
        while index < len(text):
            char = text[index]
            if char in _SPACE:
                index += 1
            elif text.startswith("//", index):  # comments, which some CMSs leave in
                end = text.find("\n", index)
                index = len(text) if end < 0 else end + 1
            elif text.startswith("/*", index):
                end = text.find("*/", index + 2)
                index = len(text) if end < 0 else end + 2
            else:
                break
        return index

    def value(self, index: int, depth: int) -> tuple[Any, int, int, int]:
        """(value, start, end, next index); strings' start and end exclude the quotes."""
        if depth > MAX_DEPTH:
            raise JsonError(f"nested deeper than {MAX_DEPTH} levels", index)
        index = self.skip(index)
        if index >= len(self.text):
            raise JsonError("unexpected end of the script", index)
        char = self.text[index]
        if char == '"':
            try:
                string, end = json.decoder.scanstring(self.text, index + 1, False)  # type: ignore[attr-defined]
            except ValueError as exc:  # `Unterminated string starting at`: the place is the offset
                reason = _AT_END.sub("", getattr(exc, "msg", str(exc)))
                raise JsonError(reason[:1].lower() + reason[1:], getattr(exc, "pos", index)) from None
            return string, index + 1, end - 1, end
        if char == "{":
            return self.members(index, depth, "}")
        if char == "[":
            return self.members(index, depth, "]")
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, index):
                return literal, index, index + len(word), index + len(word)
        found = _NUMBER.match(self.text, index)
        if found is None:
            raise JsonError(f"unexpected {char!r}", index)
        number = found.group()
        digits = number.lstrip("-")
        parsed: Any = number  # an absurdly long integer stays text
        if any(mark in number for mark in ".eE"):
            parsed = float(number)
        elif len(digits) <= MAX_INT_DIGITS:
            parsed = int(number)
        return parsed, index, found.end(), found.end()

    def members(self, index: int, depth: int, closing: str) -> tuple[Any, int, int, int]:
        start = index
        container: Any = {} if closing == "}" else []
        spans: dict[Any, tuple[int, int]] = {}
        self.positions.spans[id(container)] = spans
        self.positions.keep.append(container)
        keys: dict[str, int] = {}  # where each key stands
        index = self.skip(index + 1)
        while True:
            if index >= len(self.text):
                raise JsonError("unexpected end of the script", index)
            if self.text[index] == closing:  # also after a trailing comma
                return container, start, index + 1, index + 1
            if closing == "}":
                key_at = index
                key, _, _, index = self.value(index, depth + 1)
                if not isinstance(key, str):
                    raise JsonError("object key is not a string", key_at)
                index = self.skip(index)
                if not self.text.startswith(":", index):
                    raise JsonError("expected ':'", index)
                item, item_start, item_end, index = self.value(index + 1, depth + 1)
                if key in keys:
                    self.positions.repeated_keys.append((key, keys[key], key_at))
                keys[key] = key_at
                container[key] = item
                spans[key] = (item_start, item_end)
            else:
                item, item_start, item_end, index = self.value(index, depth + 1)
                spans[len(container)] = (item_start, item_end)
                container.append(item)
            index = self.skip(index)
            if self.text.startswith(",", index):
                index = self.skip(index + 1)
            elif index < len(self.text) and self.text[index] != closing:
                raise JsonError(f"expected ',' or '{closing}'", index)


def parse(text: str) -> tuple[Any, Positions]:
    """The JSON value of a script's text and its positions; JsonError when it is not JSON."""
    cleaned = _WRAPPERS.sub(lambda m: " " * len(m.group()), text)  # same length: offsets hold
    cleaned, _ = lone_surrogates(cleaned)
    parser = _Parser(cleaned)
    try:
        data, _, _, end = parser.value(0, 0)
    except RecursionError:
        raise JsonError(f"nested deeper than {MAX_DEPTH} levels", 0) from None
    rest = parser.skip(end)
    if rest < len(cleaned) and cleaned[rest] != ";":
        raise JsonError("text after the JSON value", rest)
    return data, parser.positions


# -- the graph -------------------------------------------------------------------------

ARTICLE_TYPES = {
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "SatiricalArticle",
    "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "DiscussionForumPosting", "Report",
    "TechArticle", "ScholarlyArticle", "AdvertiserContentArticle", "MedicalScholarlyArticle",
}
PAGE_TYPES = {"WebPage", "ItemPage", "AboutPage", "ProfilePage", "QAPage", "FAQPage", "MedicalWebPage"}


def local_name(name: str) -> str:
    """`https://schema.org/NewsArticle`, `schema:NewsArticle` -> `NewsArticle`."""
    for separator in ("/", "#", ":"):
        if separator in name:
            name = name.rsplit(separator, 1)[-1]
    return name


def types_of(node: Any) -> set[str]:
    kinds = node.get("@type") if isinstance(node, dict) else None
    if isinstance(kinds, str):
        return {local_name(kinds)}
    if isinstance(kinds, list):
        return {local_name(kind) for kind in kinds if isinstance(kind, str)}
    return set()


@dataclass
class Graph:
    """The nodes of every JSON-LD script of a page, with where each script's text starts."""

    roots: list[tuple[dict, int, Positions]] = field(default_factory=list)  # top-level nodes
    by_id: dict[str, dict] = field(default_factory=dict)  # the fullest node of each @id
    every_by_id: dict[str, list[dict]] = field(default_factory=dict)
    script_of: dict[int, tuple[int, Positions]] = field(default_factory=dict)  # id(node or list) -> script

    def add_script(self, data: Any, positions: Positions, offset: int) -> None:
        for node in _top_nodes(data):
            self.roots.append((node, offset, positions))
        self._index(data, offset, positions, 0)

    def _index(self, data: Any, offset: int, positions: Positions, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(data, dict):
            self.script_of[id(data)] = (offset, positions)
            node_id = data.get("@id")
            # The fullest node of an @id wins: references repeat it with nothing but the @id.
            if isinstance(node_id, str):
                self.every_by_id.setdefault(node_id, []).append(data)
                if len(data) > len(self.by_id.get(node_id, {})):
                    self.by_id[node_id] = data
            for value in data.values():
                self._index(value, offset, positions, depth + 1)
        elif isinstance(data, list):
            self.script_of[id(data)] = (offset, positions)
            for value in data:
                self._index(value, offset, positions, depth + 1)

    def resolve(self, node: Any) -> Any:
        """A reference (`{"@id": …}` alone) replaced by the node it names."""
        if isinstance(node, dict) and "@id" in node and len(node) <= 2 and not types_of(node):
            return self.by_id.get(node["@id"], node) if isinstance(node["@id"], str) else node
        return node

    def occurrences(self, node: dict) -> list[dict]:
        """Every node that states something about the same @id, `node` first: a reference
        that also gives a name (`{"@id": …, "name": …}`) and the full Person node both
        name the author."""
        node_id = node.get("@id")
        others = self.every_by_id.get(node_id, []) if isinstance(node_id, str) else []
        return [node] + [other for other in others if other is not node]

    def anonymous_articles(self, main: dict) -> list[dict]:
        """Top-level articles besides `main` that name nothing (no @id, url, headline or
        name): claims about an article of this page with nothing to tie them elsewhere."""
        identity = ("@id", "url", "mainEntityOfPage", "headline", "name")
        return [node for node, _, _ in self.roots if node is not main and types_of(node) & ARTICLE_TYPES
                and not any(node.get(key) for key in identity)]

    def main_entity(self, page_urls: list[str], same_url: Any) -> dict | None:
        """The article the page is about: the one whose url (or @id, or mainEntityOfPage)
        is the page's, else the page node's mainEntity, else the first top-level article."""
        articles = [node for node, _, _ in self.roots if types_of(node) & ARTICLE_TYPES]
        for node, _, _ in self.roots:
            if types_of(node) & PAGE_TYPES:
                main = self.resolve(node.get("mainEntity"))
                if isinstance(main, dict) and types_of(main) & ARTICLE_TYPES and main not in articles:
                    articles.append(main)
        for article in articles:
            claimed = [article.get("url"), article.get("@id"), self.resolve(article.get("mainEntityOfPage"))]
            claimed = [c.get("@id") or c.get("url") if isinstance(c, dict) else c for c in claimed]
            if any(isinstance(c, str) and same_url(c, page) for c in claimed for page in page_urls):
                return article
        for node, _, _ in self.roots:
            if types_of(node) & PAGE_TYPES:
                main = self.resolve(node.get("mainEntity"))
                if isinstance(main, dict) and types_of(main) & ARTICLE_TYPES:
                    return main
        with_headline = [a for a in articles if a.get("headline") or a.get("name")]
        if with_headline or articles:
            return (with_headline or articles)[0]
        pages = [node for node, _, _ in self.roots if types_of(node) & PAGE_TYPES]
        return pages[0] if len(pages) == 1 else None

    def span(self, container: Any, key: Any) -> tuple[int, int] | None:
        """Absolute (start, end) offsets in the page of a member of a node or list."""
        script = self.script_of.get(id(container))
        if script is None:
            return None
        offset, positions = script
        found = positions.span(container, key)
        return (offset + found[0], offset + found[1]) if found else None


def _top_nodes(data: Any) -> list[dict]:
    if isinstance(data, list):
        return [node for item in data for node in _top_nodes(item)]
    if not isinstance(data, dict):
        return []
    graph = data.get("@graph")
    if isinstance(graph, list):
        return [node for node in graph if isinstance(node, dict)] + ([data] if types_of(data) else [])
    if isinstance(graph, dict):
        return [graph]
    return [data]
