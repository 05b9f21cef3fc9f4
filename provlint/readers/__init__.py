"""Readers turn files into Documents. A reader never reports: what it notices about
the file itself (empty, binary, another encoding) goes into `document.facts`, and the
`input` rules turn facts into findings.

One reader per input kind, chosen by file name ending, else by sniffing the text;
adding a reader is one module, one line in READERS and its kind in
`provlint.vocabulary.INPUT_KINDS` (CONTRIBUTING.md)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from provlint.model import Document
from provlint.readers.blocktable import BlockTable
from provlint.readers.decoding import Decoding, decode
from provlint.readers.dump import read_dump
from provlint.readers.failure import at_stage
from provlint.readers.kinds import is_gzipped, looks_like_html, reader_by_name
from provlint.readers.records import unparsed_document

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
_NO_INHERIT = getattr(os, "O_CLOEXEC", 0)


def load_shared_data() -> None:
    """Build the public suffix tries now: done before workers fork, once and shared, not
    once per worker. The pack's patterns are not compiled here: a kept pack knows each
    one's engine, so a worker compiles only those its texts need (a few hundred million
    instructions on news dumps), not all of them (1.6 G, in the parent, before any
    worker starts)."""
    from provlint.suffixes import build_tries

    build_tries()


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


def _read_failed(path: str, text: str, error: BaseException, stage: str) -> Document:
    """One document holding why reading failed (the `read_failed` fact, IN012): at the
    line the reader was at when it knows it."""
    failure = at_stage(stage, error)
    message = failure.describe()
    if failure.line is not None and text:
        return unparsed_document(path, {"read_failed": {"message": message, "line": failure.line, "column": 1}}, text)
    return unparsed_document(path, {"read_failed": message}, text)


def read_texts(path: str, text: str, table: BlockTable, input_format: str = "auto",
               mapping: dict | None = None) -> list[Document]:
    """Documents from decoded text: one for a dump or page, one per record for JSON.
    Never raises: a reader that fails gives one document holding why."""
    if "\x00" in text:
        return [unparsed_document(path, {"binary": "NUL bytes"})]
    if not text.strip():
        return [unparsed_document(path, {"empty": True}, text)]
    stage = "detect format"
    try:
        kind = reader_kind(path, text, input_format)
        stage = "parse"
        return READERS[kind](path, text, table, mapping)
    except Exception as exc:  # noqa: BLE001 - isolation: a file that breaks its reader is a finding
        return [_read_failed(path, text, exc, stage)]


@dataclass(init=False)  # `__init__` written out, so that mypyc compiles it (one a file)
class RawFile:
    """A file's bytes as read, or why they were not read (`problem`: facts for the
    input rules). `status` is taken before reading, so a later change shows in it."""

    data: bytes | None
    status: os.stat_result | None = None
    problem: dict[str, str] = field(default_factory=dict)

    def __init__(self, data: bytes | None, status: os.stat_result | None = None,
                 problem: dict[str, str] | None = None) -> None:
        self.data = data
        self.status = status
        self.problem = {} if problem is None else problem


def read_file(path: Path | str, max_bytes: int | None = None) -> RawFile:
    """A regular file's bytes (decompressed, for a name ending in `.gz`); never raises,
    never opens a pipe or device (stat first: opening a device can act on it)."""
    try:
        status = os.stat(path)  # one system call answers both questions below
        if stat.S_ISDIR(status.st_mode):
            return RawFile(None, problem={"unreadable": "is a directory"})
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or device would block or never end: never open it.
            return RawFile(None, status, {"unreadable": "not a regular file (a pipe, socket or device)"})
        if max_bytes is not None and status.st_size > max_bytes:
            # Checked before reading: a huge file is never loaded whole.
            return RawFile(None, status, {"too_large": f"{status.st_size:,} bytes > {max_bytes:,}"})
        data = _read_all(path, status.st_size)
        return gunzipped(RawFile(data, status), max_bytes) if is_gzipped(os.fspath(path)) else RawFile(data, status)
    except OSError as exc:
        reason = f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
        return RawFile(None, problem={"unreadable": reason})


def _read_all(path: Path | str, size: int) -> bytes:
    """A file's bytes through the descriptor alone (no file object: half the cost of
    `open().readall()` on a small file); one read when it still has the size it had."""
    descriptor = os.open(path, os.O_RDONLY | _NO_INHERIT)
    try:
        data = os.read(descriptor, size + 1)
        if len(data) <= size:  # a short read of a regular file is its end
            return data
        parts = [data]  # grown since its status was taken: read on to the end
        while part := os.read(descriptor, 1 << 20):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(descriptor)


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


@dataclass(init=False)  # `__init__` written out, so that mypyc compiles it (one a file)
class Reading:
    """A file as read: its documents, the reader that made them (None when no reader
    ran: unreadable, binary, undecodable or empty), and how its bytes became text."""

    documents: list[Document]
    reader: str | None = None
    decoding: Decoding | None = None

    def __init__(self, documents: list[Document], reader: str | None = None, decoding: Decoding | None = None) -> None:
        self.documents = documents
        self.reader = reader
        self.decoding = decoding


def read_raw(name: str, raw: RawFile, table: BlockTable, input_format: str = "auto",
             mapping: dict | None = None) -> list[Document]:
    """Documents from a file as read: its bytes, or one document holding why they were not."""
    return read_raw_file(name, raw, table, input_format, mapping).documents


def read_raw_file(name: str, raw: RawFile, table: BlockTable, input_format: str = "auto",
                  mapping: dict | None = None) -> Reading:
    """`read_raw`, with the reader and the decoding (what `provlint inspect` shows).
    Never raises: whatever a file does to a reader, it gets a document saying so."""
    if raw.data is None:
        return Reading([unparsed_document(name, raw.problem)])
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
        return Reading([unparsed_document(name, decoding.facts)], decoding=decoding)
    try:
        kind = reader_kind(name, decoding.text, input_format)
    except Exception as exc:
        raise at_stage("detect format", exc) from exc
    documents = read_texts(name, decoding.text, table, kind, mapping)
    for document in documents:
        document.facts.update(decoding.facts)
    unread = len(documents) == 1 and any(key in documents[0].facts for key in ("binary", "empty"))
    return Reading(documents, None if unread else kind, decoding)
