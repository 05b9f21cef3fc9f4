from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from provlint.checks.base import at_value, place_of, shared_pass
from provlint.timestamps import Timestamp, lead, parse_duration
from provlint.model import Document, FieldValue, Finding
from provlint.rulepack import Rule

DOC = """`order`: field `before` must not come after field `after` (created <= published).

Options: `before`, `after` (timestamp fields), `tolerance` ('0', '90s', '1d': a gap up
to this is not reported), `at_most` (a gap certainly beyond this is left to another
rule: two rules can split small gaps from large ones), `at` (which of the two fields
the finding points at; default `after`). A finding needs the wrong order to hold at the
precision both values carry (a date alone covers its whole day; 10:00 is not before
10:00:30) and, for a time without UTC offset against one with, under every real
offset. Every value of the `at` field is compared with each distinct value of the other
(the first 32) that its own source states (a page's meta tags, its JSON-LD; else all
of them), and reported only when the order is wrong against each: where two sources
disagree on a publication time (DU003), a modification time after either reading is
no contradiction. The message names the first value compared with.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["before", "after"],
    "properties": {
        "before": {"type": "string", "description": "The field that must come first."},
        "after": {"type": "string", "description": "The field that must come second."},
        "tolerance": {"type": ["string", "number"],
                      "description": "How far `after` may precede `before`: '1d', '12h', '30m' or seconds."},
        "at_most": {"type": ["string", "number"],
                    "description": "Gaps certainly larger than this are left to another rule ('1d')."},
        "at": {"type": "string", "description": "Which field the finding points at."},
    },
}
VALUES = {"before": "the `before` field's name", "after": "the `after` field's name",
          "before_value": "the `before` value as written", "after_value": "the `after` value as written",
          "before_line": "the `before` value's line", "after_line": "the `after` value's line"}


MAX_OTHERS = 32  # distinct values of the other field compared with: a file repeating dates costs no more

# A rule's options, read once: (before, after, tolerance, at_most, whether the finding is at `before`).
Settings = tuple[str, str, timedelta, timedelta | None, bool]
Leads = dict[tuple[int, int], tuple[timedelta, timedelta] | None]


def _settings(rule: Rule) -> Settings:
    before_name, after_name = rule.options["before"], rule.options["after"]
    limit = rule.options.get("at_most")
    return (before_name, after_name, parse_duration(rule.options.get("tolerance", 0)),
            parse_duration(limit) if limit is not None else None, rule.options.get("at", after_name) == before_name)


def check(rule: Rule, document: Document, prepared: None) -> list[Finding]:
    return _check(rule, document, _settings(rule), {})


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The order rules in one pass: rules comparing the same two values (TS003 and TS011
    both compare published with modified) work out how far apart they are once."""
    return shared_pass(rules, _settings, _check)


def _check(rule: Rule, document: Document, settings: Settings, leads: Leads) -> list[Finding]:
    """`leads`: how far each pair of values (by identity) is apart, shared by the rules of a pass."""
    before_name, after_name, tolerance, at_most, at_before = settings
    before_values, after_values = document.fields.get(before_name), document.fields.get(after_name)
    if not before_values or not after_values:
        return []
    # Every value of the `at` field against each distinct timestamp of the other that its
    # own source states (a page's meta tags, its JSON-LD), else against each: where sources
    # disagree on that one (published 04:31-06:00 in the JSON-LD, 04:31+00:00 in the meta
    # tags: DU003's finding), the order is wrong only if it is for every reading.
    at_values, others = (before_values, after_values) if at_before else (after_values, before_values)
    distinct: dict[str, FieldValue] = {}
    for other in others:
        if isinstance(other.value, Timestamp) and len(distinct) < MAX_OTHERS:
            distinct.setdefault(other.raw, other)
    if not distinct:
        return []
    readings = list(distinct.values())
    sources = [_source(other) for other in readings]
    findings: list[Finding] = []
    for value in at_values:
        if not isinstance(value.value, Timestamp):
            continue
        source = _source(value)
        compared = [other for other, stated in zip(readings, sources) if stated == source] or readings
        if not all(_wrong(value, other, at_before, tolerance, at_most, leads) for other in compared):
            continue
        early, late = (value, compared[0]) if at_before else (compared[0], value)
        other, other_name = (late, after_name) if at_before else (early, before_name)
        findings.append(at_value(rule, document, value, (place_of(other, other_name),),
                                 before=before_name, after=after_name, before_value=early.raw,
                                 after_value=late.raw, before_line=early.line, after_line=late.line))
    return findings


def _source(value: FieldValue) -> str:
    """What stated a value: `meta` (`meta article:published_time`), `json-ld`, a dump's `block`."""
    origin = value.origin
    space = origin.find(" ")
    return origin if space < 0 else origin[:space]


def _wrong(value: FieldValue, other: FieldValue, at_before: bool, tolerance: timedelta, at_most: timedelta | None,
           leads: Leads) -> bool:
    """Whether the value that should come second is certainly earlier than the first, by
    at least `tolerance` and not by more than `at_most`."""
    early, late = (value, other) if at_before else (other, value)
    key = (id(late), id(early))
    if key in leads:
        gaps = leads[key]
    else:
        gaps = leads[key] = lead(late.value, early.value)
    return gaps is not None and gaps[0] >= tolerance and (at_most is None or gaps[0] < at_most)
