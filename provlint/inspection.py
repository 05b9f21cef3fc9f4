"""`provlint inspect FILE`: how a file was read, for people debugging rules and readers.

The file is read exactly as `provlint check` reads it (same reader choice, decoding,
input mapping and block table). The inspection is one JSON-ready dict, documented in
the README and stable across releases; the rich table is drawn from that same dict:

    {"version", "path", "reader", "encoding": {"name", "source", "declaration"},
     "facts", "documents": [{"path", "facts", "blocks": [...], "fields": {...}}]}
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

from provlint import __version__
from provlint.timestamps import Timestamp
from provlint.escaping import at_line_start, visible
from provlint.model import Block, Document, FieldValue
from provlint.readers import Reading, read_file, read_raw_file
from provlint.readers.blocktable import BlockTable

# In the table, texts longer than this are cut (JSON keeps them whole).
TABLE_TEXT = 80


def inspect_file(path: Path, shown: str, table: BlockTable, max_bytes: int | None = None,
                 input_format: str = "auto", mapping: dict | None = None) -> dict[str, Any]:
    """The inspection of one file; `unreadable` in its facts when it could not be read."""
    raw = read_file(path, max_bytes)
    reading = read_raw_file(shown, raw, table, input_format, mapping)
    file_facts = dict(raw.problem)
    if reading.decoding is not None:
        file_facts.update(reading.decoding.facts)
    return {
        "version": __version__,
        "path": shown,
        "reader": reading.reader,
        "encoding": _encoding(reading),
        "facts": _jsonable(file_facts),
        "documents": [_document(document, file_facts) for document in reading.documents],
    }


def _encoding(reading: Reading) -> dict[str, Any] | None:
    decoding = reading.decoding
    if decoding is None or decoding.text is None:
        return None
    declaration = None
    if decoding.declaration:
        declaration = {"text": decoding.declaration, "line": decoding.line, "column": decoding.column}
    return {"name": decoding.encoding, "source": decoding.source, "declaration": declaration}


def _document(document: Document, file_facts: dict[str, Any]) -> dict[str, Any]:
    roles = _timestamp_roles(document)
    return {
        "path": document.path,
        "facts": _jsonable({key: value for key, value in document.facts.items() if key not in file_facts}),
        "blocks": [_block(block, roles) for block in document.blocks],
        "fields": {name: [_field_value(value) for value in values] for name, values in document.fields.items()},
    }


def _timestamp_roles(document: Document) -> dict[tuple[int, int], str]:
    """(line, column) of each timestamp -> the field it became (created, published, ...):
    a dump's timestamps get their roles from their order, not from their blocks."""
    return {(value.line, value.column): name for name, values in document.fields.items() for value in values
            if isinstance(value.value, Timestamp)}


def _block(block: Block, roles: dict[tuple[int, int], str]) -> dict[str, Any]:
    end_line, end_column = block.position(len(block.text.rstrip()))
    first_line = block.text.split("\n", 1)[0]
    role = block.groups.get("role") or roles.get((block.line, block.column + len(first_line) - len(first_line.lstrip())))
    return {
        "line": block.line, "column": block.column, "end_line": end_line, "end_column": end_column,
        "kind": block.kind, "role": role if block.kind == "timestamp" else None, "origin": block.origin,
        "text": block.text, "groups": dict(block.groups),
    }


def _field_value(value: FieldValue) -> dict[str, Any]:
    return {
        "value": _jsonable(value.value), "raw": value.raw,
        "line": value.line, "column": value.column, "end_line": value.end_line, "end_column": value.end_column,
        "origin": value.origin, "problem": value.problem, "extra": _jsonable(value.extra),
    }


def _jsonable(value: Any) -> Any:
    """Field values as JSON: instants and dates in ISO 8601, a timestamp as its parts."""
    if isinstance(value, Timestamp):
        return {"timestamp": value.raw, "instant": _jsonable(value.instant), "has_time": value.has_time,
                "offset": value.offset, "problem": value.problem, "offset_problem": value.offset_problem}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# The rich table.

def render(inspection: dict[str, Any], console: Any) -> None:
    """The inspection as tables: the file's header, then per document its blocks and fields.
    Every text is a rich `Text` (never markup), its control characters made visible."""
    from rich.table import Table
    from rich.text import Text

    def cell(text: str) -> Text:
        return Text(visible(text, keep_newlines=True))

    console.print(Text(at_line_start(inspection["path"]), style="bold"))
    console.print(cell(_summary(inspection)))
    for name, value in inspection["facts"].items():
        console.print(cell(f"fact {name}: {_fact(value)}"))
    for document in inspection["documents"]:
        if len(inspection["documents"]) > 1 or document["path"] != inspection["path"]:
            console.print()
            console.print(Text(at_line_start(document["path"]), style="bold"))
        for name, value in document["facts"].items():
            console.print(cell(f"fact {name}: {_fact(value)}"))
        if document["blocks"]:
            blocks = Table(title="blocks", title_justify="left", show_edge=False)
            for column in ("at", "kind", "origin", "text", "groups"):
                blocks.add_column(column, overflow="fold")
            for block in document["blocks"]:
                kind = f"{block['kind']} ({block['role']})" if block["role"] else block["kind"]
                groups = "\n".join(f"{key} = {_short(str(text))}" for key, text in block["groups"].items())
                blocks.add_row(*map(cell, (_span(block), kind, block["origin"], _short(block["text"]), groups)))
            console.print(blocks)
        if document["fields"]:
            fields = Table(title="fields", title_justify="left", show_edge=False)
            for column in ("field", "value", "raw", "at", "origin", "note"):
                fields.add_column(column, overflow="fold")
            for name, values in document["fields"].items():
                for value in values:
                    shown = _shown_value(value["value"])
                    problem = value["problem"] if value["problem"] and value["problem"] not in shown else ""
                    note = "; ".join(filter(None, [problem, *(f"{key} = {_short(str(item))}"
                                                              for key, item in value["extra"].items())]))
                    raw = "(same)" if _short(value["raw"]) == shown else _short(value["raw"])
                    fields.add_row(*map(cell, (name, shown, raw, _span(value), value["origin"], note)))
            console.print(fields)


def _summary(inspection: dict[str, Any]) -> str:
    encoding = inspection["encoding"]
    read = f"encoding {encoding['name']} ({_encoding_source(encoding)})" if encoding else "not read as text"
    reader = inspection["reader"] or "none"
    count = len(inspection["documents"])
    return f"reader {reader} · {read} · {count} document{'s' if count != 1 else ''}"


def _encoding_source(encoding: dict[str, Any]) -> str:
    declaration = encoding["declaration"]
    where = f"{declaration['text']} at {declaration['line']}:{declaration['column']}" if declaration else ""
    return {
        "utf-8": "valid UTF-8" + (f"; the page declares {where}" if where else ""),
        "bom": "byte order mark",
        "declared": f"declared by {where}",
        "detected": "detected" + (f"; the page declares {where}" if where else ", nothing declares it"),
        "replaced": f"declared by {where}, with replacement characters",
    }.get(encoding["source"], encoding["source"])


def _fact(value: Any) -> str:
    if isinstance(value, dict) and "message" in value:
        return f"{value['message']} (line {value.get('line')}, column {value.get('column')})"
    return str(value)


def _shown_value(value: Any) -> str:
    """A field value for the table: a timestamp's instant (or why it is none), a
    record's parts one per line, long texts cut."""
    if isinstance(value, dict) and "timestamp" in value:
        if value["instant"] is None:
            return f"not a date: {value['problem']}" if value["problem"] else "not a date"
        return value["instant"] if value["has_time"] else value["instant"][:10]
    if isinstance(value, dict):
        return "\n".join(f"{key} = {_short(str(item))}" for key, item in value.items())
    return _short(str(value))


def _span(place: dict[str, Any]) -> str:
    """`27:1-92` on one line, `3:1-5:12` across lines, `27:1` without an end."""
    start = f"{place['line']}:{place['column']}"
    if place["end_column"] is None:
        return start
    if place["end_line"] == place["line"]:
        return f"{start}-{place['end_column']}"
    return f"{start}-{place['end_line']}:{place['end_column']}"


def _short(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= TABLE_TEXT:
        return flat
    return f"{flat[:TABLE_TEXT - 1]}… ({len(flat):,} chars)"
