"""JSON and JSONL article records: NewsAPI, trafilatura, schema.org-like, or a user mapping.

One document per record. A record's findings carry `file.jsonl:LINE` (JSONL) or
`file.json#/articles/3` (a JSON pointer) as their path, and point at the line where
each value stands in the file. Which keys hold which fields, and where each value
stands, is `json_values`; this module cuts a file into records and notes what is wrong
with each (invalid JSON, repeated keys, lone surrogates, no article).
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from typing import Any

from provlint.model import Document, Record
from provlint.readers import jsontext
from provlint.readers.blocktable import BlockTable
from provlint.readers.dump import split_lines
from provlint.readers.json_values import Locator, mapping_for, record_values
from provlint.readers.notarticle import FACT, NO_FIELDS, json_reason, record_reason
from provlint.readers.records import Value, build_document, unparsed_document

def _invalid(path: str, text: str, fact: str, message: str, line: int, column: int, file: str = "",
             record: Record | None = None) -> Document:
    return unparsed_document(path, {fact: {"message": message, "line": line, "column": column}}, text, file, record)


def _record(pointer: str, locator: Locator, start: int, end: int, values: list[Value] | None = None) -> Record:
    """The record at text[start:end]: its span, and its URL or a hash of its text (white
    space folded) as the identity that survives records inserted before it."""
    url = next((value.text for value in values or [] if value.kind == "url" and "url" in value.groups), "")
    line, column = locator.position(start)
    end_line, end_column = locator.position(end)
    folded = " ".join(locator.text[start:end].split())
    identity = url or "sha256:" + hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return Record(pointer, line, column, end_line, end_column, identity, url)


def _note_lone_surrogate(document: Document, locator: Locator, offsets: list[int], start: int, end: int) -> Document:
    """The first unpaired surrogate escape in the record's text, as a fact for IN013."""
    index = bisect_left(offsets, start)  # offsets in text order: no scan of every record's
    first = offsets[index] if index < len(offsets) and offsets[index] < end else None
    if first is not None:
        line, column = locator.position(first)
        escape = locator.text[first : first + len(jsontext.REPLACEMENT_ESCAPE)]
        document.facts["lone_surrogate"] = {
            "message": f"unpaired surrogate escape {escape} in a JSON string: read as U+FFFD", "line": line,
            "column": column}
    return document


def _note_repeated_keys(documents: list[tuple[Document, int, int]], locator: Locator,
                        repeats: list[tuple[str, int, int]]) -> None:
    """Each key an object repeats, as a `duplicate_key` fact (IN014) of the record holding
    it (the first record, when it stands outside every record), at the later key."""
    starts = [start for _, start, _ in documents]  # records in text order
    for key, earlier, later in repeats:
        index = bisect_right(starts, later) - 1
        inside = index >= 0 and later < documents[index][2]
        holder = documents[index][0] if inside else documents[0][0]
        fact = jsontext.repeated_key_fact(key, *locator.position(later), *locator.position(earlier))
        holder.facts.setdefault("duplicate_key", []).append(fact)


def read_jsonl(path: str, text: str, table: BlockTable, user: dict[str, str] | None = None) -> list[Document]:
    documents = []
    lines = split_lines(text)
    locator = Locator(text)
    cleaned, surrogates = jsontext.lone_surrogates(text)
    offset = 0
    reasons: set[str | None] = set()
    index = 0  # records so far: blank lines are not records
    for number, line in enumerate(cleaned.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        record_path = f"{path}:{number}"
        watch = jsontext.KeyWatch()
        pointer, index = f"#/{index}", index + 1
        span = (start + len(line) - len(line.lstrip()), start + len(line.rstrip()))
        try:
            record = jsontext.loads(line, watch)
        except json.JSONDecodeError as exc:
            documents.append(_invalid(record_path, text, "invalid_json", f"invalid JSON: {exc.msg}", number, exc.colno,
                                      path, _record(pointer, locator, *span)))
            continue
        if not isinstance(record, dict):
            documents.append(_invalid(record_path, text, "not_a_record",
                                      f"record is a JSON {type(record).__name__}, not an object", number, 1, path,
                                      _record(pointer, locator, *span)))
            continue
        reasons.add(record_reason(record))
        values = record_values(record, mapping_for(record, user), locator, start, offset)
        document = build_document(record_path, path, text, values, table, lines)
        document.record = _record(pointer, locator, *span, values)
        documents.append(_note_lone_surrogate(document, locator, surrogates, start, offset))
        if watch.repeated:
            _note_repeated_keys([(document, start, offset)], locator, jsontext.repeated_keys(cleaned, start, offset))
    return _note_not_an_article(documents, reasons.pop() if len(reasons) == 1 else None)


def _note_not_an_article(documents: list[Document], reason: str | None, linked_data: bool = False) -> list[Document]:
    """Mark every record of a file that holds no article (`reason`, or no record with any
    of the article fields) with the `not_an_article` fact: a folder walk skips the
    file. JSON that does not parse is left to be reported, and so is JSON-LD
    (`linked_data`: an `@context`), which may be an article this reader cannot map."""
    if not documents or any("invalid_json" in document.facts for document in documents):
        return documents
    if reason is None and not any(document.blocks for document in documents) and not linked_data:
        reason = NO_FIELDS
    if reason is not None:
        for document in documents:
            document.facts[FACT] = reason
    return documents


def read_json(path: str, text: str, table: BlockTable, user: dict[str, str] | None = None) -> list[Document]:
    cleaned, surrogates = jsontext.lone_surrogates(text)
    watch = jsontext.KeyWatch()
    try:
        data = jsontext.loads(cleaned, watch)
    except json.JSONDecodeError as exc:
        return [_invalid(path, text, "invalid_json", f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)]
    lines = split_lines(text)
    locator = Locator(text)
    placed: list[tuple[Document, int, int]] = []  # each document and where its record stands
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        pointer, items = "/articles", data["articles"]
        array_start = text.find("[", text.find('"articles"'))
    elif isinstance(data, list):
        pointer, items, array_start = "", data, text.find("[")
    elif isinstance(data, dict):
        values = record_values(data, mapping_for(data, user), locator, 0, len(text))
        document = _note_lone_surrogate(build_document(path, path, text, values, table, lines), locator, surrogates,
                                        0, len(text))
        placed.append((document, 0, len(text)))
        reason = json_reason(data) or record_reason(data)
        linked_data = "@context" in data
    else:
        return _note_not_an_article([_invalid(path, text, "not_a_record",
                                              f"JSON {type(data).__name__}, not a record or a list of records", 1, 1)],
                                    None)
    if not placed:
        reason = json_reason(data)
        linked_data = any(isinstance(item, dict) and "@context" in item for item in items)
        for index, (item, start, end) in enumerate(_items(cleaned, array_start, len(items))):
            record_path = f"{path}#{pointer}/{index}"
            line, column = locator.position(start)
            if not isinstance(item, dict):
                document = _invalid(record_path, text, "not_a_record",
                                    f"record is a JSON {type(item).__name__}, not an object", line, column, path,
                                    _record(f"#{pointer}/{index}", locator, start, end))
            else:
                values = record_values(item, mapping_for(item, user), locator, start, end)
                document = _note_lone_surrogate(build_document(record_path, path, text, values, table, lines), locator,
                                                surrogates, start, end)
                document.record = _record(f"#{pointer}/{index}", locator, start, end, values)
            placed.append((document, start, end))
    if watch.repeated and placed:
        _note_repeated_keys(placed, locator, jsontext.repeated_keys(cleaned))
    return _note_not_an_article([document for document, _, _ in placed], reason, linked_data)


def _items(text: str, array_start: int, count: int) -> list[tuple[Any, int, int]]:
    """(item, start offset, end offset) of each element of the JSON array at array_start."""
    items, position = [], array_start + 1
    for _ in range(count):
        while text[position] in " \t\r\n,":
            position += 1
        item, end = jsontext.raw_decode(text, position)
        items.append((item, position, end))
        position = end
    return items
