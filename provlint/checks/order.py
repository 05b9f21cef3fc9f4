"""`order`: field `before` must not come after field `after` (created <= published).

Options: `before`, `after` (timestamp fields), `tolerance` ('0', '90s', '1d'),
`at` (which of the two fields the finding points at; default `after`). Values are
compared as instants in UTC. Message values: `{before}`, `{after}`,
`{before_value}`, `{after_value}`, `{before_line}`, `{after_line}`.
"""

from __future__ import annotations

from collections.abc import Iterator

from provlint.checks.base import at_value
from provlint.dates import as_utc, parse_duration
from provlint.model import Document, Finding
from provlint.ruleset import Rule


def check(rule: Rule, document: Document) -> Iterator[Finding]:
    before_name, after_name = rule.options["before"], rule.options["after"]
    tolerance = parse_duration(rule.options.get("tolerance", 0))
    at = rule.options.get("at", after_name)
    for before in document.values(before_name):
        for after in document.values(after_name):
            early, late = getattr(before.value, "instant", None), getattr(after.value, "instant", None)
            if early is None or late is None or as_utc(early) <= as_utc(late) + tolerance:
                continue
            yield at_value(rule, document, before if at == before_name else after,
                           before=before_name, after=after_name, before_value=before.raw,
                           after_value=after.raw, before_line=before.line, after_line=after.line)
