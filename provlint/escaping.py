"""How input text (dump lines, values in messages, file names) is spelled in outputs.

One convention, as Python's repr and git's quoted paths have it: what a terminal, a
CI log or an XML parser would act on, hide or reorder is shown as an escape.
`\\n` and `\\r` are line breaks; `\\xNN` is a byte: another ASCII control character,
or a byte of a file name that is not UTF-8 (which Python carries as a lone surrogate);
`\\uNNNN` is a Unicode character: a C1 control, a bidirectional control ("Trojan
Source": U+202E and the others), a line or paragraph separator, or one of the two
characters XML 1.0 forbids (U+FFFE, U+FFFF). Everything else, tab and every script
included, is shown as it is.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

_SURROGATES = "\ud800-\udfff"
_UNICODE_CONTROLS = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff"
# The patterns' sources, each compiled on first use (`_pattern`): a run writes one format and
# needs one or two of them, and `re` compiles a class of far code points slowly (2-4 M
# instructions each, a hundredth of a one-file run).
_HOSTILE = f"[\x00-\x08\x0a-\x1f{_UNICODE_CONTROLS}{_SURROGATES}]"
_HOSTILE_KEEPING_NEWLINES = f"[\x00-\x08\x0b\x0c\x0e-\x1f{_UNICODE_CONTROLS}{_SURROGATES}]"
_LONE_SURROGATE = f"[{_SURROGATES}]"
# What `json.dumps(ensure_ascii=False)` leaves raw (it escapes C0 controls itself).
_JSON_UNSAFE = f"[{_UNICODE_CONTROLS}]"
_SHORT = {"\n": "\\n", "\r": "\\r"}


@cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in _SHORT:
        return _SHORT[character]
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode carries it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def escape_undecodable(text: str) -> str:
    """`text` with its lone surrogates (the bytes of a file name that are not UTF-8)
    escaped, so that it can be written as UTF-8: `bad\\udcff.txt` -> `bad\\xff.txt`."""
    return _pattern(_LONE_SURROGATE).sub(_escape, text) if not text.isascii() else text


def visible(text: str, keep_newlines: bool = False) -> str:
    """`text` as a terminal, a CI log or an XML document may show it: every control,
    bidirectional control and lone surrogate escaped. `keep_newlines` leaves line feeds
    and carriage returns to a format that escapes them itself (GitHub's %0A)."""
    return _pattern(_HOSTILE_KEEPING_NEWLINES if keep_newlines else _HOSTILE).sub(_escape, text)


def at_line_start(text: str) -> str:
    """`visible(text)` for the start of an output line: a name beginning with `::` would
    be a GitHub Actions workflow command there (the runner reads one after leading
    white space), so it is given a `./` before it."""
    shown = visible(text)
    return "./" + shown if shown.lstrip().startswith("::") else shown


def json_text(value: Any, indent: int | None = None, sort_keys: bool = False, floats: bool = True) -> str:
    """JSON that is valid UTF-8 and safe to print: characters a terminal acts on are
    JSON escapes (the value is unchanged), lone surrogates are spelled as `visible`
    spells them (`\\xff`), since UTF-8 cannot hold them. A value known to hold no float
    (`floats=False`: orjson writes NaN as null, `json` as NaN) is written by orjson."""
    if indent == 2 and not floats:
        text = _orjson_text(value, sort_keys)
        if text is not None:
            return text
    text = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    text = _pattern(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    # Inside a JSON string the escape's backslash is itself escaped.
    return _pattern(_LONE_SURROGATE).sub(lambda m: "\\" + _escape(m), text)


def _utf8_forms(characters: str) -> list[bytes]:
    """The UTF-8 encodings of the characters of a regular expression's class (`a-z` ranges)."""
    expanded = re.sub(r"(.)-(.)", lambda m: "".join(map(chr, range(ord(m[1]), ord(m[2]) + 1))), characters)
    return [character.encode("utf-8") for character in expanded]


@cache
def _json_unsafe_utf8() -> list[tuple[bytes, re.Pattern[bytes]]]:
    """For each byte sequence that the UTF-8 of a character JSON leaves raw starts with, that
    sequence and a pattern of the characters: a pattern led by a literal is a fast scan.
    Made on first use: only the orjson-written reports need it."""
    forms: dict[bytes, list[bytes]] = {}
    for form in _utf8_forms(_UNICODE_CONTROLS):
        forms.setdefault(form[:2] if len(form) == 3 else form[:1], []).append(form)
    return [(lead, re.compile(b"|".join(map(re.escape, group)))) for lead, group in sorted(forms.items())]



def _orjson_text(value: Any, sort_keys: bool) -> str | None:
    """What `json_text(value, indent=2)` writes by the standard module, fifty times
    faster; None for what orjson refuses (a lone surrogate, which UTF-8 cannot hold, a key
    that is not text, an integer past 64 bits, anything `json` cannot write either), which
    the standard module then writes (or fails on as it always did)."""
    import orjson

    option = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
              | orjson.OPT_PASSTHROUGH_SUBCLASS | (orjson.OPT_SORT_KEYS if sort_keys else 0))
    try:
        data = orjson.dumps(value, option=option)
    except TypeError:  # orjson.JSONEncodeError
        return None
    for lead, pattern in _json_unsafe_utf8():
        if lead in data:  # most reports hold none of them
            data = pattern.sub(lambda m: f"\\u{ord(m.group().decode()):04x}".encode("ascii"), data)
    return data.decode("utf-8")


# -- paths: the one way a path is shown to the user -----------------------------------

def display_path(path: str | Path) -> str:
    """Relative to the current folder when inside it, as given otherwise."""
    try:
        # relpath is lexical: a relative path is what normpath gives, an absolute one below
        # the current folder its tail, without relpath's two abspath calls and splits.
        shown = os.path.normpath(path)
        if os.path.isabs(shown):
            here = os.getcwd()
            inside = shown.startswith(here) and shown[len(here) : len(here) + 1] == os.sep and here != os.sep
            shown = shown[len(here) + 1 :] if inside else os.path.relpath(shown)
        return shown if not shown.startswith("..") else str(path)
    except ValueError:
        return str(path)


def shown_path(path: str) -> str:
    """How findings show a path from collect_files, which normalises: a relative path
    inside this folder as it is (display_path's relpath costs two abspath calls). Bytes
    of the name that are not UTF-8 are escaped (`bad\\xff.txt`): every output, the
    cache and the baseline then hold the same valid text."""
    return escape_undecodable(path if not path.startswith((os.sep, "..")) else display_path(path))
