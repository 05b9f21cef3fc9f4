"""Documents from structured sources (JSON records, HTML pages).

A structured reader knows what each value is, so instead of classifying blocks it
hands over (kind, text, line, column) blocks: every rule that targets blocks or
fields then works unchanged, and fields are built by the same code as for dumps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from provlint.model import Block, Document, Record
from provlint.readers.blocktable import BlockTable
from provlint.readers.dump import split_lines
from provlint.readers.failure import at_stage
from provlint.readers.fields import build_fields


@dataclass
class Value:
    """One value found in a record or page, with where it stands in the file."""

    kind: str  # a block kind: title, description, body, timestamp, author, publisher, url, ...
    text: str
    line: int
    column: int = 1
    groups: dict[str, str] = field(default_factory=dict)
    origin: str = "json"  # where in the file it was found: `json title`, `meta og:title`, `json-ld`, `microdata`
    end: tuple[int, int] | None = None  # (line, column) just past the value in the file, when known


def unparsed_document(path: str, facts: dict[str, Any], text: str = "", file: str = "",
                      record: Record | None = None) -> Document:
    """A document with no values, only what kept it from being read (`facts`, which the
    `input` rules report): a file that is empty, binary, broken or crashed its worker, or
    a record that does not parse. The one way such a document is built."""
    return Document(path=path, text=text, lines=split_lines(text) if text else [], facts=dict(facts), file=file,
                    record=record)


def build_document(path: str, file: str, text: str, values: list[Value], table: BlockTable,
                   lines: list[str] | None = None) -> Document:
    document = Document(path=path, text=text, lines=lines if lines is not None else split_lines(text), file=file)
    for value in sorted(values, key=lambda v: (v.line, v.column)):  # blocks in line order, as in a dump
        flat = " ".join(value.text.split())  # one line: JSON escapes keep a value on its line
        if not flat:
            continue
        end_line, end_column = value.end or (value.line, None)
        block = Block(flat, value.line, end_line, kind=value.kind, origin=value.origin, end_column=end_column)
        block.groups = dict(value.groups)
        block.group_spans = {name: (0, len(flat)) for name in block.groups if name != "role"}
        block.column = value.column
        document.blocks.append(block)
    try:
        build_fields(document, table)
    except Exception as exc:
        raise at_stage("fields", exc) from exc
    return document
