from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import Any
from datetime import date

from provlint.checks.base import at_value, place_of
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


def _upper_bounds(rule: Rule, document: Document) -> list[tuple[date, str, FieldValue | None]]:
    """(last allowed day, the bound as written, the field value it comes from)."""
    bound = rule.options.get("not_after")
    if bound is None:
        return []
    try:
        return [(date.fromisoformat(bound), bound, None)]
    except ValueError:
        pass
    bounds: list[tuple[date, str, FieldValue | None]] = []
    for value in document.values(bound):
        end = value.extra.get("end") or calendar_date(value.value)
        if end is not None:
            bounds.append((end, value.raw, value))
    return bounds


def check(rule: Rule, document: Document, prepared: None) -> Iterator[Finding]:
    name = rule.options["field"]
    tolerance = parse_duration(rule.options.get("tolerance", 0))
    lower = rule.options.get("not_before")
    lower_date = date.fromisoformat(lower) if lower else None
    # The first bound (in file order) a date passes is among the bounds earlier than every
    # bound before them: found by bisection, however many bounds a long file holds.
    tightening = _tightening(_upper_bounds(rule, document))
    latest = [-(upper.toordinal() + tolerance.days) for upper, _, _ in tightening]  # as date + timedelta counts
    value: FieldValue
    for value in document.values(name):
        day = calendar_date(value.value)
        if day is None:
            continue
        if lower_date and day < lower_date:
            yield at_value(rule, document, value, field=name, value=value.raw, bound=lower, bound_line=None)
            continue
        passed = bisect_right(latest, -day.toordinal())
        if passed < len(tightening):
            _, shown, source = tightening[passed]
            related = (place_of(source, rule.options["not_after"]),) if source is not None else ()
            yield at_value(rule, document, value, related, field=name, value=value.raw, bound=shown,
                           bound_line=source.line if source is not None else None)


Bound = tuple[date, str, FieldValue | None]


def _tightening(bounds: list[Bound]) -> list[Bound]:
    """The bounds earlier than every bound before them, in file order (so latest first)."""
    kept: list[Bound] = []
    for bound in bounds:
        if not kept or bound[0] < kept[-1][0]:
            kept.append(bound)
    return kept
