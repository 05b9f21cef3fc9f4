from __future__ import annotations

from collections.abc import Callable
from typing import Any

from provlint.checks.base import FIELDS, TARGET, end_words, finding, fold_space, shared_pass, shorten, target_fields, text_of
from provlint.model import Block, Document, FieldValue, Finding
from provlint.rulepack import Rule

DOC = """`duplicate`: the same normalised block or field value occurs more than `max` times.

Values count as repeats only when read from the same place of the format: a dump's
blocks all are, while a page's og:title and JSON-LD headline are two sources stating one
fact, not a repeat (the `conflict` rules compare sources). On a page or record they must
also be of one kind: a section that is also a keyword, or an outlet that is both author
and publisher, states two facts. One finding per group of
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
    return _check(rule, document, _settings(rule), {})


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The duplicate rules in one pass: a block two rules read has its end words found once."""
    return shared_pass(rules, _settings, _check)


def _span(item: Block | FieldValue) -> tuple[int, int, int, int]:
    """Where a text stands: (line, column, end line, end column); a page's or record's
    value is not at column 1."""
    if isinstance(item, Block):
        end_line, end_column = item.position(len(item.text))
        return item.line, item.column, end_line, end_column
    return item.line, item.column, item.end_line, item.end_column or 0


def _check(rule: Rule, document: Document, settings: Settings, ends: dict[str, str]) -> list[Finding]:
    """`ends`: the end words of each text, shared by the rules of a pass."""
    limit, min_length, by_fields, kinds = settings
    same_ends: list[list[Place]]
    if by_fields:
        places: list[Place] = [(text_of(value), value.origin, value, name) for name, value in target_fields(rule, document)]
        usual = places[0][1] if places else ""
        same_ends = [[places[i] for i in group]
                     for group in _repeats([_key(text, origin, min_length, ends, usual) for text, origin, _, _ in places])]
    else:
        blocks = document.blocks
        usual = _source(blocks[0]) if blocks else ""
        # A dump's block (most) is its own source: no call or string made for it.
        keys = [_key(block.text, block.origin if block.origin == "block" else _source(block), min_length, ends, usual)
                if kinds is None or block.kind in kinds else None for block in blocks]
        same_ends = [[(blocks[i].text, _source(blocks[i]), blocks[i], blocks[i].kind) for i in group]
                     for group in _repeats(keys)]
    return _reported(rule, document, settings, [places for places in same_ends if len(places) > limit])


def _source(block: Block) -> str:
    """Where a block's repeats are counted: a dump's blocks all together; a page's or
    record's values within their field, as the same value under two fields (a section
    that is also a keyword, an outlet that is author and publisher) is no repeat."""
    return block.origin if block.origin == "block" else f"{block.origin}\0{block.kind}"


def _key(text: str, origin: str, min_length: int, ends: dict[str, str], usual: str) -> str | None:
    """What a text is grouped by: its origin and end words (texts that fold alike have the
    same, found once per text for the rules of a pass); None when it is too short to count
    (folding white space only shortens a text). The end words alone stand for the `usual`
    origin (a dump's blocks all have one): no string is made for most texts, and none of
    another origin's keys, with its one more NUL, is the same."""
    if len(text) < min_length:
        return None
    words = ends.get(text)
    if words is None:
        found = end_words(text)
        words = ends[text] = found[0] + "\0" + found[1] if found is not None else "\0"
    return words if origin == usual else origin + "\0" + words


def _repeats(keys: list[str | None]) -> list[list[int]]:
    """The indices of the keys met more than once (None: not counted), a group for each,
    in the order of their first: most texts repeat none, and make no place."""
    first: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key is None:
            continue
        seen = first.get(key)
        if seen is None:
            first[key] = index
            continue
        group = repeated.get(key)
        if group is None:
            repeated[key] = [seen, index]
        else:
            group.append(index)
    return sorted(repeated.values())


def _reported(rule: Rule, document: Document, settings: Settings, same_ends: list[list[Place]]) -> list[Finding]:
    """The rule's findings among its texts that share origin and end words with more than
    `max` others: only these are folded."""
    limit, min_length, _, _ = settings
    groups: dict[tuple[str, str], list[tuple[int, int, int, int, str]]] = {}
    placed: dict[tuple[str, str], set[tuple[int, int]]] = {}  # the (line, column) of each group's places
    for candidates in same_ends:
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
