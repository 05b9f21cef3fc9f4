"""`agree`: two sources of the same fact agree (URL date vs published, publisher vs domain).

Options: `field`, `with`, `compare`: `date` (default; calendar dates, a timestamp
taken in its own UTC offset, within `tolerance`, e.g. '1d') or `equal` (same text,
case-insensitive); `at` (which field the finding points at; default `field`).
Every value of `field` is compared with every value of `with`.
Message values: `{field}`, `{with}`, `{value}`, `{other}`, `{other_line}`, `{days}`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from provlint.checks.base import at_value
from provlint.dates import parse_duration
from provlint.model import Document, Finding
from provlint.ruleset import Rule


def calendar_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    instant = getattr(value, "instant", None)
    return instant.date() if instant else None


def check(rule: Rule, document: Document) -> Iterator[Finding]:
    name, other_name = rule.options["field"], rule.options["with"]
    compare = rule.options.get("compare", "date")
    at = rule.options.get("at", name)
    tolerance_days = parse_duration(rule.options.get("tolerance", 0)).total_seconds() / 86400
    for value in document.values(name):
        for other in document.values(other_name):
            if compare == "equal":
                if str(value.value).casefold() == str(other.value).casefold():
                    continue
                days = None
            else:
                mine, theirs = calendar_date(value.value), calendar_date(other.value)
                if mine is None or theirs is None:
                    continue
                days = (mine - theirs).days
                if abs(days) <= tolerance_days:
                    continue
            target = other if at == other_name else value
            yield at_value(rule, document, target, field=name, value=value.raw, other=other.raw,
                           other_line=other.line, days=days, **{"with": other_name})
