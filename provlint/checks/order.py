from __future__ import annotations

from collections.abc import Iterator

from provlint.checks.base import at_value
from provlint.dates import as_utc, parse_duration
from provlint.model import Document, Finding
from provlint.ruleset import Rule

DOC = """`order`: field `before` must not come after field `after` (created <= published).

Options: `before`, `after` (timestamp fields), `tolerance` ('0', '90s', '1d'),
`at` (which of the two fields the finding points at; default `after`). Every value
of the `at` field is compared, as an instant in UTC, with the first value of the
other field, so a dump with repeated dates costs one comparison per value. Message values: `{before}`, `{after}`,
`{before_value}`, `{after_value}`, `{before_line}`, `{after_line}`.
"""


def check(rule: Rule, document: Document) -> Iterator[Finding]:
    before_name, after_name = rule.options["before"], rule.options["after"]
    tolerance = parse_duration(rule.options.get("tolerance", 0))
    at = rule.options.get("at", after_name)
    before_values, after_values = document.values(before_name), document.values(after_name)
    if at == before_name:
        pairs = [(before, after) for before in before_values for after in after_values[:1]]
    else:
        pairs = [(before, after) for before in before_values[:1] for after in after_values]
    for before, after in pairs:
        early, late = getattr(before.value, "instant", None), getattr(after.value, "instant", None)
        if early is None or late is None or as_utc(early) <= as_utc(late) + tolerance:
            continue
        yield at_value(rule, document, before if at == before_name else after,
                       before=before_name, after=after_name, before_value=before.raw,
                       after_value=after.raw, before_line=before.line, after_line=after.line)
