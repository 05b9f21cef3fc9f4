"""How a file's bytes become text: a byte order mark, else an HTML page's declaration
(the HTML encoding-sniffing prescan), else UTF-8, else detection (charset-normalizer);
UTF-16/32 without a mark, a few bad bytes in UTF-8, and binary files each told apart.
What it finds about the encoding goes into facts, for the input rules."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

from provlint.readers.dump import split_lines
from provlint.readers.kinds import looks_like_html, reader_by_name


@dataclass(init=False)  # `__init__` written out, so that mypyc compiles it (one a file)
class Decoding:
    """How a file's bytes became text. `source`: `utf-8` (valid UTF-8, nothing declared),
    `bom` (its byte order mark), `declared` (an HTML page's <meta charset> or XML
    declaration), `detected` (charset-normalizer), `replaced` (the declared encoding with
    replacement characters for the bytes that do not fit, or UTF-8 but for a few bad
    bytes). `facts` are for the input rules: `encoding` (not UTF-8 with nothing
    declaring it; placed at the first bad byte when some were replaced), `encoding_mismatch` (an HTML
    declaration the bytes contradict), `binary`, `undecodable`."""

    text: str | None
    encoding: str = "utf-8"
    source: str = "utf-8"
    declaration: str = ""  # the tag that declares the encoding, as written
    line: int = 1  # where the declaration stands
    column: int = 1
    facts: dict[str, Any] = field(default_factory=dict)

    def __init__(self, text: str | None, encoding: str = "utf-8", source: str = "utf-8", declaration: str = "",
                 line: int = 1, column: int = 1, facts: dict[str, Any] | None = None) -> None:
        self.text = text
        self.encoding = encoding
        self.source = source
        self.declaration = declaration
        self.line = line
        self.column = column
        self.facts = {} if facts is None else facts


SAMPLE_BYTES = 65536  # how much of a file the NUL-byte tests look at
# UTF-16 and UTF-32 without a byte order mark: (encoding, bytes per code unit, the byte of
# each unit that is NUL for ASCII-range characters). UTF-32 first: its text would also
# show UTF-16's pattern in part.
_WIDE = (("utf-32-le", 4, 3), ("utf-32-be", 4, 0), ("utf-16-le", 2, 1), ("utf-16-be", 2, 0))
_UNIT_BYTES = {encoding: unit for encoding, unit, _ in _WIDE}
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_ESCAPED_BYTE = re.compile(r"[\udc80-\udcff]")  # a byte `surrogateescape` could not decode
_ESCAPED_RUN = re.compile(r"[\udc80-\udcff]+")
_NON_ASCII = bytes(range(0x80, 0x100))
_BOM_FIRST_BYTES = (b"\x00", b"\xfe", b"\xff", b"\xef")  # what a UTF-8, -16 or -32 byte order mark opens with


def decode(name: str, data: bytes, input_format: str = "auto") -> Decoding:
    """A file's text. An HTML page is decoded as the WHATWG encoding-sniffing algorithm
    says (its byte order mark, then the encoding it declares), and a declaration its
    bytes contradict is a fact; anything else, and a page that declares nothing, is
    UTF-8 (a byte order mark allowed), else UTF-16 or UTF-32 (by its byte order mark or
    its NUL bytes), else UTF-8 with a few bad bytes replaced, else what charset-normalizer
    detects, and a fact: dumps and JSON (RFC 8259) have no way to declare another
    encoding."""
    if _is_html(name, data, input_format):
        return _decode_html(data)
    bom_encoding, bom = _read_bom(data)
    # A byte order mark whose bytes do not follow it is there by chance.
    if bom_encoding is not None and bom is not None and _is_wide(data[len(bom):], bom_encoding, declared=True):
        decoding = _decode_wide(data, len(bom), bom_encoding, "bom")
        decoding.declaration = "byte order mark"
        return decoding
    return _decode_undeclared(data)


def _is_html(name: str, data: bytes, input_format: str) -> bool:
    if input_format != "auto":
        return input_format == "html"
    kind = reader_by_name(name)
    if kind is not None:
        return kind == "html"
    bom_encoding, bom = _read_bom(data)
    if bom_encoding is not None and bom is not None:
        return looks_like_html(data[len(bom):len(bom) + 1600].decode(bom_encoding, "ignore"))
    return looks_like_html(data[:400].decode("latin-1"))


def _read_bom(data: bytes) -> tuple[str | None, bytes | None]:
    """w3lib's `read_bom`, imported only for bytes that may open with a byte order mark:
    an import statement a call is most of its cost on a file that does not."""
    if data[:1] not in _BOM_FIRST_BYTES:
        return None, None
    from w3lib.encoding import read_bom

    return read_bom(data)


def _decode_undeclared(data: bytes) -> Decoding:
    """UTF-8; else UTF-16 or UTF-32 without a byte order mark, when its NUL bytes say
    so; else UTF-8 with its few bad bytes replaced, when the rest is UTF-8; else the
    encoding charset-normalizer finds. All but the first are a fact for IN004."""
    wide = _wide_encoding(data)
    if wide is not None:
        return _decode_wide(data, 0, wide, "detected")
    if data.find(0, 0, SAMPLE_BYTES) >= 0:
        return Decoding(None, facts={"binary": "NUL bytes"})
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        # `utf-8-sig` without its codec's Python-level decode function: the mark dropped, then UTF-8.
        return Decoding((data[bom:] if bom else data).decode("utf-8"), source="bom" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start  # counted after the byte order mark
    if _mostly_utf8(data):
        return _decode_replaced(data, bom, "utf-8", first_bad)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return Decoding(None, facts={"undecodable": "not UTF-8 and no text encoding fits"})
    return Decoding(str(best), best.encoding, "detected", facts={"encoding": best.encoding})


def _wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte order mark, told by where the NUL bytes stand: in
    the same byte of every code unit for ASCII-range text (every other byte in UTF-16,
    the high bytes in UTF-32), where binary data has them anywhere; and the start must
    decode to text."""
    # Most files have none: found by a search (memchr, in place) before they are counted
    # (byte by byte: some four instructions a byte).
    if data.find(0, 0, SAMPLE_BYTES) < 0:
        return None
    nuls = data.count(0, 0, SAMPLE_BYTES)
    sample = data[:SAMPLE_BYTES]
    for encoding, unit, lane in _WIDE:
        units = len(sample) // unit
        in_lane = sample[lane:units * unit:unit].count(0)
        # UTF-32: that byte is NUL in every unit; UTF-16: nine NULs in ten are in that byte.
        enough = in_lane == units if unit == 4 else in_lane * 10 >= nuls * 9
        if units >= 2 and enough and _is_wide(data, encoding, declared=False):
            return encoding
    return None


def _is_wide(data: bytes, encoding: str, declared: bool) -> bool:
    """Whether bytes are UTF-16 or UTF-32 `encoding`: the start decodes (a character cut at
    its end aside) and, unless a byte order mark declares it, holds no control characters
    but white space (a few in a hundred are the most text has)."""
    unit = _UNIT_BYTES.get(encoding)
    if unit is None:
        return False
    sample = data[:SAMPLE_BYTES - SAMPLE_BYTES % unit]
    sample = sample[:len(sample) - len(sample) % unit]
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            return False
        text = sample[:exc.start].decode(encoding)
    return declared or (bool(text) and "\x00" not in text and len(_CONTROLS.findall(text)) * 100 <= len(text))


def _decode_wide(data: bytes, start: int, encoding: str, source: str) -> Decoding:
    """UTF-16 or UTF-32 text from `start`: not UTF-8, a fact for IN004."""
    try:
        return Decoding(data[start:].decode(encoding), encoding, source, facts={"encoding": encoding})
    except UnicodeDecodeError as exc:
        return _decode_replaced(data, start, encoding, exc.start)  # a cut last character, or damage


def _mostly_utf8(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are UTF-8 but for a few bad ones: at least twice as
    many valid multi-byte sequences as places with bad bytes. The non-ASCII letters of a
    legacy encoding (Latin-1, windows-1252, CP1251) almost never form valid sequences, so
    such a file has none or a few against hundreds of bad places."""
    escaped = data.decode("utf-8", "surrogateescape")
    bad_bytes = len(_ESCAPED_BYTE.findall(escaped))
    ascii_bytes = len(data.translate(None, _NON_ASCII))
    multibyte = len(escaped) - ascii_bytes - bad_bytes
    return multibyte >= 2 * len(_ESCAPED_RUN.findall(escaped))


def _decode_replaced(data: bytes, start: int, encoding: str, first: int) -> Decoding:
    """The bytes from `start` in `encoding`, each bad sequence replaced by U+FFFD (`first`:
    the first one's offset from `start`); a fact for IN004 at it, with its byte offset in
    the file."""
    body = data[start:]
    text = body.decode(encoding, "replace")
    replaced = max(1, text.count("\ufffd") - body.count("\ufffd".encode(encoding)))
    line, column = _text_position(body[:first].decode(encoding))
    sequences = "1 bad byte sequence" if replaced == 1 else f"{replaced:,} bad byte sequences"
    message = f"{encoding}, {sequences} replaced by U+FFFD (the first at byte {start + first:,})"
    return Decoding(text, encoding, "replaced", facts={"encoding": {"message": message, "line": line,
                                                                    "column": column}})


def _text_position(before: str) -> tuple[int, int]:
    """1-based line and column just after `before`, lines as the readers count them."""
    lines = split_lines(before)
    return len(lines), len(lines[-1]) + 1


def _decode_html(data: bytes) -> Decoding:
    bom_encoding, bom = _read_bom(data)
    if bom_encoding is not None and bom is not None:
        return _decode_declared(data[len(bom):], bom_encoding, "byte order mark", 0, "bom")
    if _wide_encoding(data) is not None:
        return _decode_undeclared(data)  # no declaration a UTF-16 page's ASCII prescan could read
    if b"\x00" in data[:SAMPLE_BYTES]:
        return Decoding(None, facts={"binary": "NUL bytes"})
    declared = declared_encoding(data)
    if declared is None:
        return _decode_undeclared(data)
    encoding, tag, offset = declared
    if encoding != "utf-8" and not data.isascii() and _is_utf8(data):
        # UTF-8 multi-byte sequences by chance in a legacy encoding are vanishingly rare:
        # the page was re-encoded (or saved) as UTF-8 and its declaration left behind.
        decoding = Decoding(data.decode("utf-8"), "utf-8", "utf-8", tag)
        _place(decoding, data, offset)
        decoding.facts["encoding_mismatch"] = _mismatch(decoding, encoding, "the bytes are UTF-8", "UTF-8")
        return decoding
    return _decode_declared(data, encoding, tag, offset)


def _decode_declared(data: bytes, encoding: str, tag: str, offset: int, source: str = "declared") -> Decoding:
    """Bytes in the encoding a page declares; if they do not fit it, what they are."""
    try:
        decoding = Decoding(data.decode(encoding), encoding, source, tag)
        _place(decoding, data, offset)
        return decoding
    except UnicodeDecodeError as exc:
        bad_line, bad_column = _text_position(data[:exc.start].decode(encoding, "replace"))
    from charset_normalizer import from_bytes

    # A few bad bytes in UTF-8 (or a cut last character in UTF-16 or UTF-32) are damage
    # to that encoding, not a sign of another: a detector would garble the rest.
    kept = _mostly_utf8(data) if encoding == "utf-8" else _is_wide(data, encoding, declared=True)
    best = None if kept else from_bytes(data).best()
    if best is not None and best.encoding != encoding:
        decoding = Decoding(str(best), best.encoding, "detected", tag)
        read_as = f"{best.encoding} (detected)"
    else:
        decoding = Decoding(data.decode(encoding, "replace"), encoding, "replaced", tag)
        read_as = f"{encoding} with replacement characters"
    _place(decoding, data, offset)
    found = f"the bytes are not {encoding} (first at line {bad_line}, column {bad_column})"
    decoding.facts["encoding_mismatch"] = _mismatch(decoding, encoding, found, read_as)
    return decoding


def _mismatch(decoding: Decoding, declared: str, found: str, read_as: str) -> dict[str, Any]:
    return {"message": f"declares {declared} ({decoding.declaration}) but {found}; read as {read_as}",
            "line": decoding.line, "column": decoding.column}


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _place(decoding: Decoding, data: bytes, offset: int) -> None:
    """Line and column of the declaration, from its byte offset (markup before it is ASCII)."""
    decoding.line, decoding.column = _byte_position(data, offset, decoding.encoding)


def _byte_position(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode(encoding, "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


# What the encoding prescan sees of a page: comments and scripts hide the tags in them;
# a meta tag (attribute values quoted or not) or an XML declaration may declare.
_MARKUP = re.compile(
    rb"<!--.*?(?:-->|\Z)"
    rb"|<script\b.*?(?:</script\s*>|\Z)"
    rb"|(?P<tag><\s*meta(?=[\s/>])(?:[^<>\"']|\"[^\"]{0,2048}\"|'[^']{0,2048}')*>?|<\?xml\s[^<>]*>?)",
    re.IGNORECASE | re.DOTALL)
_DECLARES = re.compile(rb"charset|<\?xml\s", re.IGNORECASE)


def declared_encoding(data: bytes) -> tuple[str, str, int] | None:
    """(Python codec, the tag as written, its byte offset) of the encoding an HTML page
    declares, or None. The first meta charset, http-equiv Content-Type or XML
    declaration anywhere in the page counts: the WHATWG prescan looks at the first 1024
    bytes, but the parser still honours a later one (`change the encoding`), and many
    real pages put it after kilobytes of scripts. Labels map as WHATWG maps them (w3lib):
    `iso-8859-1`, `latin1` and `ascii` are windows-1252; a UTF-16 label in a page whose
    markup reads as ASCII means UTF-8; an unknown label is no declaration."""
    if _DECLARES.search(data) is None:
        return None  # most pages without a declaration never spell `charset`: no scan
    from w3lib.encoding import html_body_declared_encoding

    for found in _MARKUP.finditer(data):
        tag = found.group("tag")
        if tag is None or not _DECLARES.search(tag):
            continue
        encoding = html_body_declared_encoding(tag)
        if encoding is not None:
            if encoding.startswith(("utf-16", "utf-32")):
                encoding = "utf-8"
            return encoding, " ".join(tag.decode("latin-1").split())[:120], found.start()
    return None
