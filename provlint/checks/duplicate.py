from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from provlint.checks.base import FIELDS, TARGET, end_words, finding, fold_space, shorten, target_blocks, target_fields, text_of
from provlint.model import Document, Finding
from provlint.rulepack import Rule

DOC = """`duplicate`: the same normalised block or field value occurs more than `max` times.

Values count as repeats only when read from the same place of the format: a dump's
blocks all are, while a page's og:title and JSON-LD headline are two sources stating one
fact, not a repeat (the `conflict` rules compare sources). One finding per group of
repeats, on the first occurrence past `max`; the message lists every line. Options:
`target` (block kinds) or `fields`, `max` (default 1), `min_length` (ignore shorter
values).
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": [],
    "properties": {
        "target": {**TARGET, "description": "`blocks`, `fields`, or a list of block kinds."},
        "fields": {**FIELDS, "description": "Field names whose values are compared instead of blocks."},
        "max": {"type": "integer", "minimum": 1, "description": "How many occurrences are allowed."},
        "min_length": {"type": "integer", "minimum": 0, "description": "Ignore shorter texts."},
    },
}
VALUES = {"count": "how many times the text occurs", "lines": "the lines it occurs on",
          "kind": "the block kind, or the field's name", "text": "the repeated text, shortened"}


def check(rule: Rule, document: Document, prepared: None) -> Iterator[Finding]:
    limit = rule.options.get("max", 1)
    min_length = rule.options.get("min_length", 1)
    groups: dict[tuple[str, str], list[tuple[int, int, int, int, str]]] = {}
    placed: dict[tuple[str, str], set[tuple[int, int]]] = {}  # the (line, column) of each group's places
    if "fields" in rule.options:
        places = [(text_of(v), v.line, v.column, v.end_line, v.end_column or 0, name, v.origin)
                  for name, v in target_fields(rule, document)]
    else:
        places = []
        for block in target_blocks(rule, document):
            # Where the value stands (a page's or record's value is not at column 1).
            end_line, end_column = block.position(len(block.text))
            places.append((block.text, block.line, block.column, end_line, end_column, block.kind, block.origin))
    same_ends: dict[tuple[str, tuple[str, str]], list[tuple[str, int, int, int, int, str, str]]] = {}
    for place in places:
        if len(place[0]) >= min_length:  # folding white space only shortens a text
            same_ends.setdefault((place[6], end_words(place[0]) or ("", "")), []).append(place)
    for candidates in same_ends.values():
        if len(candidates) <= limit:
            continue  # too few texts with these end words to repeat: none is folded
        for text, line, column, end_line, end_column, kind, origin in candidates:
            normalised = fold_space(document, text)
            group = groups.setdefault((origin, normalised), [])
            # One element read under several names (itemprop="author creator") is one occurrence;
            # a set, not a scan of the group, as a long file repeats a block thousands of times.
            where = placed.setdefault((origin, normalised), set())
            if len(normalised) >= min_length and (line, column) not in where:
                where.add((line, column))
                group.append((line, column, end_line, end_column, kind))
    for (_, normalised), occurrences in groups.items():
        if len(occurrences) <= limit:
            continue
        line, column, end_line, end_column, kind = occurrences[limit]
        lines = ", ".join(str(place[0]) for place in occurrences)
        yield finding(rule, document, line, column, end_line, end_column,
                      count=len(occurrences), lines=lines, kind=kind, text=shorten(normalised))
