"""Readers turn files into Documents. A reader never reports: what it notices about
the file itself (empty, binary, another encoding) goes into `document.facts`, and the
`input` rules turn facts into findings.

One reader per input kind, chosen by file name ending, else by sniffing the text;
adding a reader is one module and one line in READERS."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from provlint.model import Document
from provlint.readers.blocktable import BlockTable
from provlint.readers.dump import read_dump, split_lines

Reader = Callable[[str, str, BlockTable, dict | None], list[Document]]


def _dump(path: str, text: str, table: BlockTable, mapping: dict | None) -> list[Document]:
    return [read_dump(path, text, table)]


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
SUFFIXES = {".txt": "dump", ".dump": "dump", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".html": "html", ".htm": "html"}


def load_shared_data() -> None:
    """Load the public suffix list now: done before workers fork, it is loaded once and
    shared, not once per worker."""
    from provlint.readers.fields import registered_domain

    registered_domain("example.com")


def sniff(name: str, text: str) -> str:
    """The reader for a file: its name's ending, else what its text starts with."""
    for suffix, kind in SUFFIXES.items():
        if name.lower().endswith(suffix):
            return kind
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html")):
        return "html"
    if start.startswith(("{", "[")):
        import json

        try:
            json.loads(text)
            return "json"
        except ValueError:
            pass
        try:
            first = json.loads(text.lstrip().split("\n", 1)[0])
            return "jsonl" if isinstance(first, dict) else "dump"
        except ValueError:
            return "dump"  # `{{ title }}` is a dump holding a template, not broken JSON
    return "dump"


def _unparsed(path: str, text: str = "", **facts: object) -> Document:
    return Document(path=path, text=text, lines=split_lines(text) if text else [], facts=dict(facts))


def read_text(path: str, text: str, table: BlockTable) -> Document:
    """A Document from dump text already decoded."""
    return read_texts(path, text, table, "dump")[0]


def read_texts(path: str, text: str, table: BlockTable, input_format: str = "auto",
               mapping: dict | None = None) -> list[Document]:
    """Documents from decoded text: one for a dump or page, one per record for JSON."""
    if "\x00" in text:
        return [_unparsed(path, binary="NUL bytes")]
    if not text.strip():
        return [_unparsed(path, text, empty=True)]
    kind = sniff(path, text) if input_format == "auto" else input_format
    return READERS[kind](path, text, table, mapping)


@dataclass
class RawFile:
    """A file's bytes as read, or why they were not read (`problem`: facts for the
    input rules). `status` is taken before reading, so a later change shows in it."""

    data: bytes | None
    status: os.stat_result | None = None
    problem: dict[str, str] = field(default_factory=dict)


def read_file(path: Path, max_bytes: int | None = None) -> RawFile:
    """A regular file's bytes; never raises, never opens a pipe or device."""
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
            return RawFile(handle.readall(), status)
    except OSError as exc:
        reason = f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
        return RawFile(None, problem={"unreadable": reason})


def read_path(path: Path, table: BlockTable, shown: str | None = None, max_bytes: int | None = None,
              input_format: str = "auto", mapping: dict | None = None) -> list[Document]:
    """Documents from a file on disk; never raises for bad input."""
    return read_raw(shown or str(path), read_file(path, max_bytes), table, input_format, mapping)


def read_raw(name: str, raw: RawFile, table: BlockTable, input_format: str = "auto",
             mapping: dict | None = None) -> list[Document]:
    """Documents from a file as read: its bytes, or one document holding why they were not."""
    if raw.data is None:
        return [_unparsed(name, **raw.problem)]
    return read_bytes(name, raw.data, table, input_format, mapping)


def read_bytes(name: str, data: bytes, table: BlockTable, input_format: str = "auto",
               mapping: dict | None = None) -> list[Document]:
    """Documents from a file's bytes: UTF-8, else the encoding charset-normalizer finds."""
    if b"\x00" in data[:65536]:
        return [_unparsed(name, binary="NUL bytes")]
    try:
        return read_texts(name, data.decode("utf-8-sig"), table, input_format, mapping)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return [_unparsed(name, undecodable="not UTF-8 and no text encoding fits")]
    documents = read_texts(name, str(best), table, input_format, mapping)
    for document in documents:
        document.facts["encoding"] = best.encoding
    return documents
