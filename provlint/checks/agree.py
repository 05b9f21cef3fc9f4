from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from provlint.checks.base import at_value, place_of
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


def check(rule: Rule, document: Document, prepared: None) -> Iterator[Finding]:
    name, other_name = rule.options["field"], rule.options["with"]
    compare = rule.options.get("compare", "date")
    at = rule.options.get("at", name)
    tolerance_days = parse_duration(rule.options.get("tolerance", 0)).total_seconds() / 86400
    references = document.values(other_name)[:1]
    for value in document.values(name):
        for other in references:
            if compare == "equal":
                if _same(value, other):
                    continue
                days = None
            else:
                mine, theirs = calendar_date(value.value), calendar_date(other.value)
                if mine is None or theirs is None:
                    continue
                days = (mine - theirs).days
                if abs(days) <= tolerance_days:
                    continue
            target, second = (other, (value, name)) if at == other_name else (value, (other, other_name))
            shown = other.raw if compare == "date" else str(other.value)
            yield at_value(rule, document, target, (place_of(*second),), field=name, value=value.raw, other=shown,
                           other_line=other.line, days=days, **{"with": other_name})
