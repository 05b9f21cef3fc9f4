from __future__ import annotations

from collections.abc import Callable
from typing import Any

from provlint.checks.base import at_value, place_of, shared_pass
from provlint.model import Document, FieldValue, Finding
from provlint.rulepack import Rule
from provlint.timestamps import calendar_date, parse_duration

DOC = """`agree`: two sources of the same fact agree (URL date vs published, publisher vs domain).

Options: `field`, `with`, `compare`: `date` (default; calendar dates, a timestamp
taken in its own UTC offset, within `tolerance`, e.g. '1d') or `equal` (same text,
case-insensitive; for registered domains the name before the public suffix, so
bbc.co.uk agrees with bbc.com); `at` (which field the finding points at; default
`field`).
Every value of `field` is compared with the first value of `with` (the reference),
so a dump holding many articles costs one comparison per value, not one per pair.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["field", "with"],
    "properties": {
        "field": {"type": "string", "description": "The field read."},
        "with": {"type": "string", "description": "The other field."},
        "compare": {"enum": ["date", "equal"], "description": "How the two fields are compared."},
        "tolerance": {"type": ["string", "number"], "description": "How far the two may differ: '1d', '12h', '30m' or seconds."},
        "at": {"type": "string", "description": "Which field the finding points at."},
    },
}
VALUES = {"field": "the field", "with": "the other field", "value": "the field's value as written",
          "other": "the other field's value", "other_line": "its line", "days": "the days between the two dates"}


def _same(value: FieldValue, other: FieldValue) -> bool:
    mine, theirs = str(value.value).casefold(), str(other.value).casefold()
    if mine == theirs:
        return True
    # Registered domains: the same name under another public suffix is the same owner.
    labels = value.extra.get("label"), other.extra.get("label")
    return None not in labels and labels[0] == labels[1]


# A rule's options, read once: (field, with, compare by date, whether the finding is at
# `with`, tolerance in days).
Settings = tuple[str, str, bool, bool, float]


def _settings(rule: Rule) -> Settings:
    name, other_name = rule.options["field"], rule.options["with"]
    return (name, other_name, rule.options.get("compare", "date") != "equal",
            rule.options.get("at", name) == other_name,
            parse_duration(rule.options.get("tolerance", 0)).total_seconds() / 86400)


def check(rule: Rule, document: Document, prepared: None) -> list[Finding]:
    return _check(rule, document, _settings(rule), {})


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The agree rules in one pass: a value two rules compare (published, for TS004 and
    TS006) has its day read once."""
    return shared_pass(rules, _settings, _check)


def _day(value: FieldValue, days: dict[int, int | None]) -> int | None:
    """The value's calendar day as an ordinal; `days` keeps them by the value's identity."""
    key = id(value)
    if key in days:
        return days[key]
    day = calendar_date(value.value)
    found = days[key] = day.toordinal() if day is not None else None
    return found


def _check(rule: Rule, document: Document, settings: Settings, days: dict[int, int | None]) -> list[Finding]:
    name, other_name, by_date, at_other, tolerance_days = settings
    references = document.fields.get(other_name)
    values = document.fields.get(name)
    if not references or not values:
        return []
    other = references[0]  # the reference
    theirs = _day(other, days) if by_date else None
    if by_date and theirs is None:
        return []
    findings: list[Finding] = []
    for value in values:
        if by_date:
            mine = _day(value, days)
            if mine is None or theirs is None:
                continue
            difference: int | None = mine - theirs
            if abs(mine - theirs) <= tolerance_days:
                continue
        else:
            if _same(value, other):
                continue
            difference = None
        target, second = (other, (value, name)) if at_other else (value, (other, other_name))
        shown = other.raw if by_date else str(other.value)
        findings.append(at_value(rule, document, target, (place_of(*second),), field=name, value=value.raw, other=shown,
                                 other_line=other.line, days=difference, **{"with": other_name}))
    return findings
