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
from pathlib import Path
from typing import Any

_SURROGATES = "\ud800-\udfff"
_UNICODE_CONTROLS = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff"
_HOSTILE = re.compile(f"[\x00-\x08\x0a-\x1f{_UNICODE_CONTROLS}{_SURROGATES}]")
_HOSTILE_KEEPING_NEWLINES = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_UNICODE_CONTROLS}{_SURROGATES}]")
_LONE_SURROGATE = re.compile(f"[{_SURROGATES}]")
# What `json.dumps(ensure_ascii=False)` leaves raw (it escapes C0 controls itself).
_JSON_UNSAFE = re.compile(f"[{_UNICODE_CONTROLS}]")
_SHORT = {"\n": "\\n", "\r": "\\r"}


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
    return _LONE_SURROGATE.sub(_escape, text) if not text.isascii() else text


def visible(text: str, keep_newlines: bool = False) -> str:
    """`text` as a terminal, a CI log or an XML document may show it: every control,
    bidirectional control and lone surrogate escaped. `keep_newlines` leaves line feeds
    and carriage returns to a format that escapes them itself (GitHub's %0A)."""
    pattern = _HOSTILE_KEEPING_NEWLINES if keep_newlines else _HOSTILE
    return pattern.sub(_escape, text)


def at_line_start(text: str) -> str:
    """`visible(text)` for the start of an output line: a name beginning with `::` would
    be a GitHub Actions workflow command there (the runner reads one after leading
    white space), so it is given a `./` before it."""
    shown = visible(text)
    return "./" + shown if shown.lstrip().startswith("::") else shown


def json_text(value: Any, indent: int | None = None, sort_keys: bool = False) -> str:
    """JSON that is valid UTF-8 and safe to print: characters a terminal acts on are
    JSON escapes (the value is unchanged), lone surrogates are spelled as `visible`
    spells them (`\\xff`), since UTF-8 cannot hold them."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    # Inside a JSON string the escape's backslash is itself escaped.
    return _LONE_SURROGATE.sub(lambda m: "\\" + _escape(m), text)


# -- paths: the one way a path is shown to the user -----------------------------------

def display_path(path: str | Path) -> str:
    """Relative to the current folder when inside it, as given otherwise."""
    try:
        # For a relative path, normpath is what relpath gives, without two abspath calls.
        shown = os.path.normpath(path) if not os.path.isabs(path) else os.path.relpath(path)
        return shown if not shown.startswith("..") else str(path)
    except ValueError:
        return str(path)


def shown_path(path: str) -> str:
    """How findings show a path from collect_files, which normalises: a relative path
    inside this folder as it is (display_path's relpath costs two abspath calls). Bytes
    of the name that are not UTF-8 are escaped (`bad\\xff.txt`): every output, the
    cache and the baseline then hold the same valid text."""
    return escape_undecodable(path if not path.startswith((os.sep, "..")) else display_path(path))
