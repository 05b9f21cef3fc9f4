"""Readers turn files into Documents. A reader never reports: what it notices about
the file itself (empty, binary, another encoding) goes into `document.facts`, and the
`input` rules turn facts into findings."""

from __future__ import annotations

import stat
from pathlib import Path

from provlint.model import Document
from provlint.readers.blocktable import BlockTable
from provlint.readers.dump import read_dump, split_lines


def _unparsed(path: str, text: str = "", **facts: object) -> Document:
    return Document(path=path, text=text, lines=split_lines(text) if text else [], facts=dict(facts))


def read_text(path: str, text: str, table: BlockTable) -> Document:
    """A Document from text already decoded."""
    if "\x00" in text:
        return _unparsed(path, binary="NUL bytes")
    if not text.strip():
        return _unparsed(path, text, empty=True)
    return read_dump(path, text, table)


def read_path(path: Path, table: BlockTable, shown: str | None = None, max_bytes: int | None = None) -> Document:
    """A Document from a file on disk; never raises for bad input."""
    name = shown or str(path)
    try:
        if path.is_dir():
            return _unparsed(name, unreadable="is a directory")
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or device would block or never end: never open it.
            return _unparsed(name, unreadable="not a regular file (a pipe, socket or device)")
        size = status.st_size
        if max_bytes is not None and size > max_bytes:
            # Checked before reading: a huge file is never loaded whole.
            return _unparsed(name, too_large=f"{size:,} bytes > {max_bytes:,}")
        data = path.read_bytes()
    except OSError as exc:
        return _unparsed(name, unreadable=f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else ""))
    if b"\x00" in data[:65536]:
        return _unparsed(name, binary="NUL bytes")
    try:
        return read_text(name, data.decode("utf-8-sig"), table)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return _unparsed(name, undecodable="not UTF-8 and no text encoding fits")
    document = read_text(name, str(best), table)
    document.facts["encoding"] = best.encoding
    return document
