"""Readers turn files into Documents. A reader never reports: what it notices about
the file itself (empty, binary, another encoding) goes into `document.facts`, and the
`input` rules turn facts into findings.

One reader per input kind, chosen by file name ending, else by sniffing the text;
adding a reader is one module, one line in READERS and its kind in
`provlint.vocabulary.INPUT_KINDS` (CONTRIBUTING.md)."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provlint.model import Document
from provlint.readers.blocktable import BlockTable
from provlint.readers.dump import read_dump, split_lines
from provlint.readers.failure import at_stage
from provlint.vocabulary import INPUT_KINDS

Reader = Callable[[str, str, BlockTable, dict | None], list[Document]]


def _dump(path: str, text: str, table: BlockTable, mapping: dict | None) -> list[Document]:
    from provlint.readers.notarticle import FACT, text_reason

    document = read_dump(path, text, table)
    reason = text_reason(text)
    if reason is not None:
        document.facts[FACT] = reason
    return [document]


def _json(path: str, text: str, table: BlockTable, mapping: dict | None) -> list[Document]:
    from provlint.readers.json_records import read_json

    return read_json(path, text, table, mapping)


def _jsonl(path: str, text: str, table: BlockTable, mapping: dict | None) -> list[Document]:
    from provlint.readers.json_records import read_jsonl

    return read_jsonl(path, text, table, mapping)


def _html(path: str, text: str, table: BlockTable, mapping: dict | None) -> list[Document]:
    from provlint.readers.html_page import read_html

    return read_html(path, text, table)


READERS: dict[str, Reader] = {"dump": _dump, "json": _json, "jsonl": _jsonl, "html": _html}
SUFFIXES = {suffix: kind for kind, suffixes in INPUT_KINDS.items() for suffix in suffixes}


def load_shared_data() -> None:
    """Load the public suffix list now: done before workers fork, it is loaded once and
    shared, not once per worker."""
    from provlint.readers.fields import registered_domain

    registered_domain("example.com")


GZIP_SUFFIX = ".gz"  # `feed.jsonl.gz` is read as `feed.jsonl` is, once decompressed


def is_gzipped(name: str) -> bool:
    return name.lower().endswith(GZIP_SUFFIX)


def reader_by_name(name: str) -> str | None:
    """The reader a file name's ending chooses (a `.gz` after it aside), if any."""
    lowered = name.lower()
    if lowered.endswith(GZIP_SUFFIX):
        lowered = lowered[: -len(GZIP_SUFFIX)]
    for suffix, kind in SUFFIXES.items():
        if lowered.endswith(suffix):
            return kind
    return None


def looks_like_html(start: str) -> bool:
    return start.lstrip()[:200].lower().startswith(("<!doctype html", "<html"))


def sniff(name: str, text: str) -> str:
    """The reader for a file: its name's ending, else what its text starts with."""
    kind = reader_by_name(name)
    if kind is not None:
        return kind
    if looks_like_html(text):
        return "html"
    start = text.lstrip()[:1]
    if start in ("{", "["):
        from provlint.readers import jsontext

        cleaned, _ = jsontext.lone_surrogates(text)
        too_deep = False  # JSON too deep to parse is JSON still: its reader says so (IN008)
        try:
            jsontext.loads(cleaned)
            return "json"
        except jsontext.TooDeep:
            too_deep = True
        except ValueError:
            pass
        try:
            first = jsontext.loads(cleaned.lstrip().split("\n", 1)[0])
        except jsontext.TooDeep:
            return "json"
        except ValueError:
            # `{{ title }}` is a dump holding a template, not broken JSON
            return "json" if too_deep else "dump"
        return "jsonl" if isinstance(first, dict) else "json" if too_deep else "dump"
    return "dump"


def reader_kind(name: str, text: str, input_format: str = "auto") -> str:
    """The reader `read_texts` uses: the one forced, else the one `sniff` finds."""
    return sniff(name, text) if input_format == "auto" else input_format


def _unparsed(path: str, text: str = "", **facts: object) -> Document:
    return Document(path=path, text=text, lines=split_lines(text) if text else [], facts=dict(facts))


def read_text(path: str, text: str, table: BlockTable) -> Document:
    """A Document from dump text already decoded."""
    return read_texts(path, text, table, "dump")[0]


def _read_failed(path: str, text: str, error: BaseException, stage: str) -> Document:
    """One document holding why reading failed (the `read_failed` fact, IN012): at the
    line the reader was at when it knows it."""
    failure = at_stage(stage, error)
    message = failure.describe()
    if failure.line is not None and text:
        return _unparsed(path, text, read_failed={"message": message, "line": failure.line, "column": 1})
    return _unparsed(path, text, read_failed=message)


def read_texts(path: str, text: str, table: BlockTable, input_format: str = "auto",
               mapping: dict | None = None) -> list[Document]:
    """Documents from decoded text: one for a dump or page, one per record for JSON.
    Never raises: a reader that fails gives one document holding why."""
    if "\x00" in text:
        return [_unparsed(path, binary="NUL bytes")]
    if not text.strip():
        return [_unparsed(path, text, empty=True)]
    stage = "detect format"
    try:
        kind = reader_kind(path, text, input_format)
        stage = "parse"
        return READERS[kind](path, text, table, mapping)
    except Exception as exc:  # noqa: BLE001 - isolation: a file that breaks its reader is a finding
        return [_read_failed(path, text, exc, stage)]


@dataclass
class RawFile:
    """A file's bytes as read, or why they were not read (`problem`: facts for the
    input rules). `status` is taken before reading, so a later change shows in it."""

    data: bytes | None
    status: os.stat_result | None = None
    problem: dict[str, str] = field(default_factory=dict)


def read_file(path: Path, max_bytes: int | None = None) -> RawFile:
    """A regular file's bytes (decompressed, for a name ending in `.gz`); never raises,
    never opens a pipe or device."""
    try:
        status = path.stat()  # one system call answers both questions below
        if stat.S_ISDIR(status.st_mode):
            return RawFile(None, problem={"unreadable": "is a directory"})
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or device would block or never end: never open it.
            return RawFile(None, status, {"unreadable": "not a regular file (a pipe, socket or device)"})
        if max_bytes is not None and status.st_size > max_bytes:
            # Checked before reading: a huge file is never loaded whole.
            return RawFile(None, status, {"too_large": f"{status.st_size:,} bytes > {max_bytes:,}"})
        with open(path, "rb", buffering=0) as handle:  # unbuffered: half the cost of read_bytes
            data = handle.readall()
        return gunzipped(RawFile(data, status), max_bytes) if is_gzipped(path.name) else RawFile(data, status)
    except OSError as exc:
        reason = f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
        return RawFile(None, problem={"unreadable": reason})


def gunzipped(raw: RawFile, max_bytes: int | None) -> RawFile:
    """A gzip file's bytes decompressed (every member, as gzip does), never more than
    `max_bytes` + 1 of them: a small file that decompresses to gigabytes (a gzip bomb) is
    `too_large`, not read; one that is not gzip or is cut short is `unreadable`."""
    import zlib

    assert raw.data is not None
    parts: list[bytes] = []
    size, rest = 0, raw.data
    while rest:
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)  # gzip header and trailer
        budget = max_bytes + 1 - size if max_bytes is not None else 0  # 0: no limit
        try:
            part = inflater.decompress(rest, budget)
        except zlib.error as exc:
            return RawFile(None, raw.status, {"unreadable": f"not a valid gzip file ({exc})"})
        size += len(part)
        if max_bytes is not None and size > max_bytes:
            return RawFile(None, raw.status, {"too_large": f"more than {max_bytes:,} bytes once decompressed"})
        if not inflater.eof:
            return RawFile(None, raw.status, {"unreadable": "gzip file cut short"})
        parts.append(part)
        rest = inflater.unused_data
        if not rest.strip(b"\0"):  # zeros after the last member pad a tape block
            break
    return RawFile(b"".join(parts), raw.status)


def read_path(path: Path, table: BlockTable, shown: str | None = None, max_bytes: int | None = None,
              input_format: str = "auto", mapping: dict | None = None) -> list[Document]:
    """Documents from a file on disk; never raises for bad input."""
    return read_raw(shown or str(path), read_file(path, max_bytes), table, input_format, mapping)


@dataclass
class Reading:
    """A file as read: its documents, the reader that made them (None when no reader
    ran: unreadable, binary, undecodable or empty), and how its bytes became text."""

    documents: list[Document]
    reader: str | None = None
    decoding: Decoding | None = None


def read_raw(name: str, raw: RawFile, table: BlockTable, input_format: str = "auto",
             mapping: dict | None = None) -> list[Document]:
    """Documents from a file as read: its bytes, or one document holding why they were not."""
    return read_raw_file(name, raw, table, input_format, mapping).documents


def read_raw_file(name: str, raw: RawFile, table: BlockTable, input_format: str = "auto",
                  mapping: dict | None = None) -> Reading:
    """`read_raw`, with the reader and the decoding (what `provlint inspect` shows).
    Never raises: whatever a file does to a reader, it gets a document saying so."""
    if raw.data is None:
        return Reading([_unparsed(name, **raw.problem)])
    try:
        return _read_data(name, raw.data, table, input_format, mapping)
    except Exception as exc:  # noqa: BLE001 - isolation: a file that breaks its reader is a finding
        return Reading([_read_failed(name, "", exc, "read")])


def read_bytes(name: str, data: bytes, table: BlockTable, input_format: str = "auto",
               mapping: dict | None = None) -> list[Document]:
    """Documents from a file's bytes, decoded as `decode` says; never raises."""
    return read_raw_file(name, RawFile(data), table, input_format, mapping).documents


def _read_data(name: str, data: bytes, table: BlockTable, input_format: str, mapping: dict | None) -> Reading:
    try:
        decoding = decode(name, data, input_format)
    except Exception as exc:
        raise at_stage("decode", exc) from exc
    if decoding.text is None:
        return Reading([_unparsed(name, **decoding.facts)], decoding=decoding)
    try:
        kind = reader_kind(name, decoding.text, input_format)
    except Exception as exc:
        raise at_stage("detect format", exc) from exc
    documents = read_texts(name, decoding.text, table, kind, mapping)
    for document in documents:
        document.facts.update(decoding.facts)
    unread = len(documents) == 1 and any(key in documents[0].facts for key in ("binary", "empty"))
    return Reading(documents, None if unread else kind, decoding)


@dataclass
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
    from w3lib.encoding import read_bom

    bom_encoding, bom = read_bom(data)
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
    from w3lib.encoding import read_bom

    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None and bom is not None:
        return looks_like_html(data[len(bom):len(bom) + 1600].decode(bom_encoding, "ignore"))
    return looks_like_html(data[:400].decode("latin-1"))


def _decode_undeclared(data: bytes) -> Decoding:
    """UTF-8; else UTF-16 or UTF-32 without a byte order mark, when its NUL bytes say
    so; else UTF-8 with its few bad bytes replaced, when the rest is UTF-8; else the
    encoding charset-normalizer finds. All but the first are a fact for IN004."""
    wide = _wide_encoding(data)
    if wide is not None:
        return _decode_wide(data, 0, wide, "detected")
    if b"\x00" in data[:SAMPLE_BYTES]:
        return Decoding(None, facts={"binary": "NUL bytes"})
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return Decoding(data.decode("utf-8-sig"), source="bom" if bom else "utf-8")
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
    sample = data[:SAMPLE_BYTES]
    nuls = sample.count(0)
    if nuls == 0:
        return None
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
    from w3lib.encoding import read_bom

    bom_encoding, bom = read_bom(data)
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
