from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from provlint.checks.base import at_value, place_of
from provlint.timestamps import Timestamp, before, parse_duration
from provlint.model import Document, Finding
from provlint.rulepack import Rule

DOC = """`order`: field `before` must not come after field `after` (created <= published).

Options: `before`, `after` (timestamp fields), `tolerance` ('0', '90s', '1d': a gap up
to this is not reported), `at_most` (a gap certainly beyond this is left to another
rule: two rules can split small gaps from large ones), `at` (which of the two fields
the finding points at; default `after`). A finding needs the wrong order to hold at the
precision both values carry (a date alone covers its whole day; 10:00 is not before
10:00:30) and, for a time without UTC offset against one with, under every real
offset. Every value of the `at` field is compared with the first value of the other
field, so a dump with repeated dates costs one comparison per value.
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


def check(rule: Rule, document: Document, prepared: None) -> Iterator[Finding]:
    before_name, after_name = rule.options["before"], rule.options["after"]
    tolerance = parse_duration(rule.options.get("tolerance", 0))
    limit = rule.options.get("at_most")
    at_most = parse_duration(limit) if limit is not None else None
    at = rule.options.get("at", after_name)
    before_values, after_values = document.values(before_name), document.values(after_name)
    if at == before_name:
        pairs = [(early, late) for early in before_values for late in after_values[:1]]
    else:
        pairs = [(early, late) for early in before_values[:1] for late in after_values]
    for early, late in pairs:
        first, second = early.value, late.value
        if not isinstance(first, Timestamp) or not isinstance(second, Timestamp):
            continue
        # Wrong order: the value that should come second is certainly earlier.
        if before(second, first, tolerance) is not True:
            continue
        if at_most is not None and before(second, first, at_most) is True:
            continue
        other, other_name = (late, after_name) if at == before_name else (early, before_name)
        yield at_value(rule, document, early if at == before_name else late, (place_of(other, other_name),),
                       before=before_name, after=after_name, before_value=early.raw,
                       after_value=late.raw, before_line=early.line, after_line=late.line)
