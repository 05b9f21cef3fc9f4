"""The values of one JSON record: which keys hold which fields (NewsAPI, trafilatura,
newspaper3k/4k, schema.org-like, or a user mapping), and where each value stands in the file's text.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from provlint.readers import jsontext
from provlint.model import line_column, line_starts
from provlint.readers.records import Value
from provlint.vocabulary import TIMESTAMP_ROLES

# field -> dotted paths tried in order. Kinds are the block kinds of rules/blocks.yaml.
NEWSAPI = {
    "title": ["title"], "description": ["description"], "body": ["content"], "url": ["url"],
    "image": ["urlToImage"], "published": ["publishedAt"], "author": ["author"], "publisher": ["source.name"],
}
TRAFILATURA = {
    "title": ["title"], "description": ["description"], "body": ["text", "raw_text"], "url": ["url", "source"],
    "published": ["date"], "author": ["author"], "publisher": ["sitename"], "tag": ["tags", "categories"],
    "image": ["image"], "locale": ["language"], "hostname": ["hostname"],
}
GENERIC = {
    "title": ["headline", "title", "name"], "description": ["description", "summary"],
    "body": ["articleBody", "content", "text", "body"], "url": ["url", "link"], "image": ["image", "urlToImage"],
    "created": ["dateCreated", "created"], "published": ["datePublished", "publishedAt", "published", "date"],
    "modified": ["dateModified", "modified", "updated"], "author": ["author", "author.name", "creator"],
    "publisher": ["publisher.name", "publisher", "source.name", "sitename"], "keywords": ["keywords"],
    "section": ["articleSection", "section"], "locale": ["inLanguage", "language", "locale"],
}
# newspaper3k/4k's Article as saved: its own fields, the page's description and keywords
# (`summary` and `keywords` are its NLP's, made from the text), and authors as a list.
NEWSPAPER = {
    "title": ["title"], "description": ["meta_description"], "body": ["text"], "url": ["url", "canonical_link"],
    "image": ["top_image", "meta_img"], "published": ["publish_date"], "author": ["authors"],
    "publisher": ["meta_site_name"], "keywords": ["meta_keywords"], "locale": ["meta_lang", "language"],
}
FIELD_KINDS = {
    "title": "title", "description": "description", "body": "body", "image": "image", "tag": "tag",
    "keywords": "keywords", "section": "section", "locale": "locale",
}
ACCUMULATE = {"tag"}  # every listed path adds values (trafilatura's tags and categories)


def mapping_for(record: dict[str, Any], user: dict[str, str] | None) -> dict[str, list[str]]:
    if "publishedAt" in record or "urlToImage" in record:
        base = NEWSAPI
    elif "hostname" in record or "raw_text" in record or "sitename" in record:
        base = TRAFILATURA
    elif _saved_by_newspaper(record):
        base = NEWSPAPER
    else:
        base = GENERIC
    merged = dict(base)
    for name, path in (user or {}).items():
        merged[name] = [path]
    return merged


def _get(record: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(record, list):  # e.g. author: [{"name": ...}] -> the first one's
            record = record[0] if record else None
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


def _saved_by_newspaper(record: dict[str, Any]) -> bool:
    return "meta_site_name" in record or "canonical_link" in record or "top_image" in record


# newspaper's date of an article found only in its URL, written as that day's midnight.
_PADDED_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]00:00:00")


def _holds_reprs(record: dict[str, Any]) -> bool:
    """Whether a newspaper record (`_saved_by_newspaper`) was saved with Python's `str()` of
    its fields (as newspaper4k's test data is: `"['Ann Lee']"`, `"'CNN'"`, `"None"`)."""
    return isinstance(record.get("authors"), str)


def _literal(value: Any) -> Any:
    """The value a Python repr writes; anything else as it is."""
    if isinstance(value, str) and (value[:1] in ("'", '"', "[", "{") or value in ("None", "set()")):
        try:
            return ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return value
    return value


def _texts(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [t for item in value for t in _texts(item.get("name") if isinstance(item, dict) else item)]
    if isinstance(value, dict):
        return _texts(value.get("name") or value.get("url") or value.get("@id"))
    return [str(value)]


class Locator:
    """Lines and columns of keys inside the file's text (json keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    def position(self, offset: int) -> tuple[int, int]:
        return line_column(self.starts, offset)

    def key(self, dotted: str, start: int, end: int) -> tuple[int, int]:
        """Position of the value of the last key of `dotted` inside text[start:end]."""
        return self.position(self.value_offset(dotted, start, end))

    def value_offset(self, dotted: str, start: int, end: int) -> int:
        needle = f'"{dotted.split(".")[-1]}"'
        found = self.text.find(needle, start, end)
        if found < 0:
            return start
        colon = self.text.find(":", found + len(needle), end)
        value = colon + 1 if colon >= 0 else found
        while value < end and self.text[value] in " \t\r\n":
            value += 1
        return value

    def value_end(self, offset: int, end: int) -> int:
        """Where the JSON value at `offset` ends (`end` when it cannot be read there)."""
        try:
            return min(jsontext.raw_decode(self.text, offset)[1], end)
        except (ValueError, IndexError, RecursionError):
            return end

    def string(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) offsets of the string `text` as written in text[start:end], quotes
        excluded; None when it is written another way (other escapes, a number)."""
        for written in (json.dumps(text, ensure_ascii=False), json.dumps(text)):
            found = self.text.find(written, start, end)
            if found >= 0:
                return found + 1, found + len(written) - 1
        return None


def record_values(record: dict[str, Any], mapping: dict[str, list[str]], locator: Locator,
                  start: int, end: int) -> list[Value]:
    values: list[Value] = []
    newspaper = _saved_by_newspaper(record)
    reprs = newspaper and _holds_reprs(record)
    for name, paths in mapping.items():
        for dotted in paths:
            found = _get(record, dotted)
            if reprs:
                found = _literal(found)
            texts = _texts(found)
            if newspaper and name in TIMESTAMP_ROLES:  # a date, not a time at midnight without offset
                texts = [padded.group(1) if (padded := _PADDED_DATE.fullmatch(text)) else text for text in texts]
            if not texts:
                continue
            offset = locator.value_offset(dotted, start, end)
            line, column = locator.position(offset)
            if column > 1:
                column += 1  # past the opening quote of a string value
            # Each text where it is written: a list's items each at their own place.
            cursor, stop = offset, locator.value_end(offset, end)
            for text in texts:
                span = locator.string(text, cursor, stop)
                if span is None:
                    values.append(_value(name, dotted, text, line, column))
                    continue
                cursor = span[1]
                value = _value(name, dotted, text, *locator.position(span[0]))
                value.end = locator.position(span[1])
                values.append(value)
            if name not in ACCUMULATE:
                break
    return values


def _value(name: str, key: str, text: str, line: int, column: int) -> Value:
    # Each key is a place of its own (as each meta tag of a page is): the same text under
    # two keys (an author named like the source) is two statements, not a repeated block.
    origin = f"json {key}"
    if name in TIMESTAMP_ROLES:
        return Value("timestamp", text, line, column, {"role": name}, origin)
    if name == "url":
        return Value("url", text, line, column, {"url": text}, origin)
    if name == "hostname":
        return Value("url", text, line, column, {"link": "//" + text}, origin)  # the page URL when none is given
    if name == "author":
        return Value("author", text, line, column, {"name": text}, origin)
    if name == "publisher":
        return Value("publisher", text, line, column, {"name": text}, origin)
    return Value(FIELD_KINDS.get(name, name), text, line, column, origin=origin)
