from __future__ import annotations

from collections.abc import Callable
from typing import Any

from provlint.checks.base import FIELDS, TARGET, end_words, finding, fold_space, shorten, target_fields, text_of
from provlint.model import Block, Document, FieldValue, Finding
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


# A rule's options, read once: (max, min_length, whether it reads fields, the block kinds
# it reads: None for all).
Settings = tuple[int, int, bool, frozenset[str] | None]
# A text where it was read: (text, origin, the block or field value, block kind or field name).
Place = tuple[str, str, Block | FieldValue, str]


def _settings(rule: Rule) -> Settings:
    target = rule.options.get("target", "blocks")
    kinds = None if target == "blocks" else frozenset(target) if isinstance(target, list) else frozenset()
    return rule.options.get("max", 1), rule.options.get("min_length", 1), "fields" in rule.options, kinds


def check(rule: Rule, document: Document, prepared: None) -> list[Finding]:
    settings = _settings(rule)
    return _reported(rule, document, settings, _same_ends(rule, document, settings))


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The duplicate rules in one pass: the blocks are grouped by end words once for the
    block rules, each of which then reads only the groups of two or more."""
    chosen = [(rule, _settings(rule)) for rule in rules]

    def run(document: Document) -> list[Finding]:
        findings: list[Finding] = []
        repeats: list[list[Place]] | None = None
        for rule, settings in chosen:
            if settings[2]:
                findings += _reported(rule, document, settings, _same_ends(rule, document, settings))
                continue
            if repeats is None:
                repeats = _block_repeats(document)
            findings += _reported(rule, document, settings, _of_rule(repeats, settings))
        return findings

    return run


def _span(item: Block | FieldValue) -> tuple[int, int, int, int]:
    """Where a text stands: (line, column, end line, end column); a page's or record's
    value is not at column 1."""
    if isinstance(item, Block):
        end_line, end_column = item.position(len(item.text))
        return item.line, item.column, end_line, end_column
    return item.line, item.column, item.end_line, item.end_column or 0


def _block_repeats(document: Document) -> list[list[Place]]:
    """The document's blocks that share their origin and end words with another, in
    groups: only these may repeat one another, whatever a rule's kinds and length."""
    same_ends: dict[tuple[str, tuple[str, str]], list[Place]] = {}
    for block in document.blocks:
        text = block.text
        same_ends.setdefault((block.origin, end_words(text) or ("", "")), []).append(
            (text, block.origin, block, block.kind))
    return [places for places in same_ends.values() if len(places) > 1]


def _of_rule(repeats: list[list[Place]], settings: Settings) -> list[list[Place]]:
    """The groups of `_block_repeats` as one block rule reads them: its kinds, its length."""
    _, min_length, _, kinds = settings
    return [[place for place in places if (kinds is None or place[3] in kinds) and len(place[0]) >= min_length]
            for places in repeats]


def _same_ends(rule: Rule, document: Document, settings: Settings) -> list[list[Place]]:
    """The texts the rule reads, grouped by origin and end words."""
    _, min_length, by_fields, kinds = settings
    places: list[Place]
    if by_fields:
        places = [(text_of(v), v.origin, v, name) for name, v in target_fields(rule, document)]
    else:
        places = [(block.text, block.origin, block, block.kind) for block in document.blocks
                  if kinds is None or block.kind in kinds]
    same_ends: dict[tuple[str, tuple[str, str]], list[Place]] = {}
    for place in places:
        text = place[0]
        if len(text) >= min_length:  # folding white space only shortens a text
            same_ends.setdefault((place[1], end_words(text) or ("", "")), []).append(place)
    return list(same_ends.values())


def _reported(rule: Rule, document: Document, settings: Settings, same_ends: list[list[Place]]) -> list[Finding]:
    """The rule's findings among its texts grouped by end words (a text whose end words no
    other shares repeats none)."""
    limit, min_length, _, _ = settings
    groups: dict[tuple[str, str], list[tuple[int, int, int, int, str]]] = {}
    placed: dict[tuple[str, str], set[tuple[int, int]]] = {}  # the (line, column) of each group's places
    for candidates in same_ends:
        if len(candidates) <= limit:
            continue  # too few texts with these end words to repeat: none is folded
        for text, origin, item, kind in candidates:
            line, column, end_line, end_column = _span(item)
            normalised = fold_space(document, text)
            group = groups.setdefault((origin, normalised), [])
            # One element read under several names (itemprop="author creator") is one occurrence;
            # a set, not a scan of the group, as a long file repeats a block thousands of times.
            where = placed.setdefault((origin, normalised), set())
            if len(normalised) >= min_length and (line, column) not in where:
                where.add((line, column))
                group.append((line, column, end_line, end_column, kind))
    findings: list[Finding] = []
    for (_, normalised), occurrences in groups.items():
        if len(occurrences) <= limit:
            continue
        line, column, end_line, end_column, kind = occurrences[limit]
        lines = ", ".join(str(place[0]) for place in occurrences)
        findings.append(finding(rule, document, line, column, end_line, end_column,
                                count=len(occurrences), lines=lines, kind=kind, text=shorten(normalised)))
    return findings
