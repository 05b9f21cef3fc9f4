from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any
from datetime import date

from provlint.checks.base import at_value, place_of, shared_pass
from provlint.model import Document, FieldValue, Finding
from provlint.rulepack import Rule
from provlint.timestamps import calendar_date, parse_duration

DOC = """`range`: a date lies within bounds.

Options: `field`; `not_before` (a date, '1995-01-01'); `not_after` (a date or a date
field such as `crawl_date`, whose period end counts: a crawl month ends on its last
day); `tolerance` added to `not_after` ('1d'). A timestamp is taken in its own UTC
offset.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["field"],
    "properties": {
        "field": {"type": "string", "description": "The field whose dates are checked."},
        "not_before": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                       "description": "Earliest allowed date, YYYY-MM-DD."},
        "not_after": {"type": "string", "description": "Latest allowed date, or a date field such as crawl_date."},
        "tolerance": {"type": ["string", "number"],
                      "description": "Added to `not_after`: '1d', '12h', '30m' or seconds."},
    },
}
VALUES = {"field": "the field", "value": "its value as written", "bound": "the bound it crosses",
          "bound_line": "the bound's line, when it is a field"}


Bound = tuple[date, str, FieldValue | None]
# A rule's options, read once: (field, tolerance in whole days, `not_before` as written and
# as a date, `not_after` as written, `not_after` as a date when it is one).
Settings = tuple[str, int, str | None, date | None, str | None, date | None]


def _settings(rule: Rule) -> Settings:
    lower = rule.options.get("not_before")
    upper = rule.options.get("not_after")
    try:
        upper_date = date.fromisoformat(upper) if upper is not None else None
    except ValueError:  # not a date: a date field such as crawl_date
        upper_date = None
    return (rule.options["field"], parse_duration(rule.options.get("tolerance", 0)).days, lower,
            date.fromisoformat(lower) if lower else None, upper, upper_date)


def check(rule: Rule, document: Document, prepared: None) -> list[Finding]:
    return _check(rule, document, _settings(rule), {})


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The range rules in one pass: each field's days are read once for all the rules."""
    return shared_pass(rules, _settings, _check)


def _days(document: Document, name: str) -> list[tuple[int, FieldValue]]:
    """(day as an ordinal, value) of each value of the field that has a calendar date."""
    found: list[tuple[int, FieldValue]] = []
    for value in document.fields.get(name, ()):
        day = calendar_date(value.value)
        if day is not None:
            found.append((day.toordinal(), value))
    return found


def _upper_bounds(document: Document, settings: Settings) -> list[Bound]:
    """(last allowed day, the bound as written, the field value it comes from)."""
    bound, bound_date = settings[4], settings[5]
    if bound is None:
        return []
    if bound_date is not None:
        return [(bound_date, bound, None)]
    bounds: list[Bound] = []
    for value in document.values(bound):
        end = value.extra.get("end") or calendar_date(value.value)
        if end is not None:
            bounds.append((end, value.raw, value))
    return bounds


def _check(rule: Rule, document: Document, settings: Settings,
           days: dict[str, list[tuple[int, FieldValue]]]) -> list[Finding]:
    """`days`: each field's dated values, shared by the rules of a pass."""
    name, tolerance_days, lower, lower_date, _, _ = settings
    dated = days.get(name)
    if dated is None:
        dated = days[name] = _days(document, name)
    if not dated:
        return []
    findings: list[Finding] = []
    lowest = lower_date.toordinal() if lower_date else None
    # The first bound (in file order) a date passes is among the bounds earlier than every
    # bound before them: found by bisection, however many bounds a long file holds.
    tightening = _tightening(_upper_bounds(document, settings))
    latest = [-(upper.toordinal() + tolerance_days) for upper, _, _ in tightening]  # as date + timedelta counts
    for day, value in dated:
        if lowest is not None and day < lowest:
            findings.append(at_value(rule, document, value, field=name, value=value.raw, bound=lower, bound_line=None))
            continue
        passed = bisect_right(latest, -day)
        if passed < len(tightening):
            _, shown, source = tightening[passed]
            related = (place_of(source, rule.options["not_after"]),) if source is not None else ()
            findings.append(at_value(rule, document, value, related, field=name, value=value.raw, bound=shown,
                                     bound_line=source.line if source is not None else None))
    return findings


def _tightening(bounds: list[Bound]) -> list[Bound]:
    """The bounds earlier than every bound before them, in file order (so latest first)."""
    kept: list[Bound] = []
    for bound in bounds:
        if not kept or bound[0] < kept[-1][0]:
            kept.append(bound)
    return kept
