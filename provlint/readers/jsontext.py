"""JSON text as scraped corpora hold it, made safe to parse: nesting bounded before the
parser recurses, integers of any length kept as text, and unpaired surrogate escapes
(`\\ud800`, half an emoji cut by a truncating exporter) read as U+FFFD, since no text
holding a lone surrogate can be encoded, matched or printed.
"""

from __future__ import annotations

import json
import json.decoder  # named in full: compiled, a base class needs its own module imported
import re
from typing import Any

from mypy_extensions import mypyc_attr

MAX_DEPTH = 200  # deeper JSON is hostile, not an article record or metadata
MAX_INT_DIGITS = 100  # a longer integer stays text (int() refuses 4,300 digits and more)
REPLACEMENT_ESCAPE = "\\ufffd"  # as long as the `\ud800` it replaces: offsets hold

# A `\u` escape of a surrogate not preceded by an odd number of backslashes (`\\ud800`
# is a backslash and the text `ud800`), a high one with the low one that may follow it.
_SURROGATE_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*(?P<escape>\\u(?P<high>[dD][89abAB][0-9a-fA-F]{2})(?P<low>\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    r"|\\u[dD][c-fC-F][0-9a-fA-F]{2})")
# A complete string, or one bracket: what the nesting count looks at.
_NESTING_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


@mypyc_attr(native_class=False)  # compiled, a native class may not extend a Python one
class TooDeep(json.decoder.JSONDecodeError):
    """JSON nested deeper than MAX_DEPTH; its position is the first bracket too deep."""


def _integer(digits: str) -> int | str:
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else digits


_DECODER = json.JSONDecoder(parse_int=_integer)


def too_deep_at(text: str, start: int = 0, end: int | None = None) -> int | None:
    """Offset of the first bracket nested deeper than MAX_DEPTH in text[start:end], or None.
    Counted without recursion; strings are skipped whole, so brackets in them do not count."""
    end = len(text) if end is None else end
    if text.count("[", start, end) + text.count("{", start, end) <= MAX_DEPTH:
        return None  # the common case: too few brackets to nest that deep
    depth = 0
    for token in _NESTING_TOKEN.finditer(text, start, end):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return token.start()
        elif bracket in ("]", "}"):
            depth -= 1
    return None


def lone_surrogates(text: str) -> tuple[str, list[int]]:
    """The text with each unpaired surrogate escape replaced by `\\ufffd` (same length, so
    offsets hold), and the offsets of those escapes."""
    if "\\ud" not in text and "\\uD" not in text:
        return text, []
    offsets = [found.start("escape") for found in _SURROGATE_ESCAPE.finditer(text)
               if found.group("high") is None or found.group("low") is None]
    if not offsets:
        return text, []
    pieces, last = [], 0
    for offset in offsets:
        pieces += [text[last:offset], REPLACEMENT_ESCAPE]
        last = offset + len(REPLACEMENT_ESCAPE)
    pieces.append(text[last:])
    return "".join(pieces), offsets


class KeyWatch:
    """An `object_pairs_hook` that notes whether some object repeats a key: json keeps the
    last value of a repeated key and drops the others without a word."""

    def __init__(self) -> None:
        self.repeated = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        record = dict(pairs)
        if len(record) < len(pairs):
            self.repeated = True
        return record


def loads(text: str, watch: KeyWatch | None = None) -> Any:
    """`json.loads`, with nesting bounded (TooDeep) and long integers kept as text; with
    `watch`, repeated keys are noted in it. The text should have been through
    `lone_surrogates`."""
    deep = too_deep_at(text)
    if deep is not None:
        raise TooDeep(f"nested deeper than {MAX_DEPTH} levels", text, deep)
    decoder = _DECODER if watch is None else json.JSONDecoder(parse_int=_integer, object_pairs_hook=watch)
    return decoder.decode(text)


def repeated_key_fact(key: str, line: int, column: int, earlier_line: int, earlier_column: int) -> dict[str, Any]:
    """The `duplicate_key` fact (IN014) of a key repeated at (line, column), the same for
    JSON records and JSON-LD."""
    message = (f"duplicate key {json.dumps(key, ensure_ascii=False)}: its value replaces the one at line "
               f"{earlier_line}, column {earlier_column} (JSON keeps only the last)")
    return {"message": message, "line": line, "column": column}


# A complete string, or a bracket or colon: what the key scan looks at.
_KEY_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:]')


def repeated_keys(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(key, offset of its previous occurrence, offset of this one) for each key an object
    repeats in text[start:end], JSON that `loads` has accepted; offsets are those of the
    keys' opening quotes. Scanned without recursion, one token at a time."""
    end = len(text) if end is None else end
    objects: list[dict[str, int] | None] = []  # the keys of each open object (None: an array)
    repeats: list[tuple[str, int, int]] = []
    string: tuple[str, int] | None = None  # the last string, a key if a colon follows
    for token in _KEY_TOKEN.finditer(text, start, end):
        mark = token.group()
        if mark[0] == '"':
            string = (mark, token.start())
            continue
        if mark == ":" and string is not None and objects and objects[-1] is not None:
            key = json.loads(string[0]) if "\\" in string[0] else string[0][1:-1]
            seen = objects[-1]
            if key in seen:
                repeats.append((key, seen[key], string[1]))
            seen[key] = string[1]
        elif mark in "[{":
            objects.append({} if mark == "{" else None)
        elif mark in "]}" and objects:
            objects.pop()
        string = None
    return repeats


def raw_decode(text: str, index: int) -> tuple[Any, int]:
    """One value starting at `index` of a text `loads` has accepted, and where it ends."""
    return _DECODER.raw_decode(text, index)
