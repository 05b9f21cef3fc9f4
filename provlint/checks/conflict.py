from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from urllib.parse import urlsplit

from provlint.checks.base import at_value, describe, shorten
from provlint.dates import as_utc
from provlint.model import Document, FieldValue, Finding
from provlint.ruleset import Rule

DOC = """`conflict`: a single-valued field has more than one distinct value.

Options: `field`; `compare`: `text` (white space folded, the default), `casefold`,
`prefix` (like text, but a value cut short, with or without a trailing ellipsis,
agrees with the longer one), `url` (scheme, `www.`, case of the host, a trailing
slash and the fragment do not count), or `instant` (timestamps compared in UTC, so
09:00+01:00 equals 08:00Z). A value that
cannot be compared (an impossible date) is left to other rules. One finding per
distinct conflicting value, on its first occurrence. Message values: `{field}`,
`{value}`, `{other}`, `{other_line}`.
"""


def comparable(value: FieldValue, compare: str) -> Any:
    if compare == "instant":
        instant = getattr(value.value, "instant", None)
        return as_utc(instant) if instant else None
    text = " ".join(str(value.value if isinstance(value.value, str) else value.raw).split())
    if compare == "prefix":
        return text.rstrip(".…").rstrip()
    if compare == "url":
        location = urlsplit(text if "//" in text else "//" + text)
        host = (location.hostname or "").removeprefix("www.")
        return f"{host}{location.path.rstrip('/')}?{location.query}"
    return text.casefold() if compare == "casefold" else text


def _known(key: Any, seen: dict[Any, FieldValue], compare: str) -> bool:
    if key in seen:
        return True
    return compare == "prefix" and any(key.startswith(other) or other.startswith(key) for other in seen)


def check(rule: Rule, document: Document) -> Iterator[Finding]:
    name = rule.options["field"]
    compare = rule.options.get("compare", "text")
    seen: dict[Any, FieldValue] = {}
    for value in document.values(name):
        key = comparable(value, compare)
        if key is None or _known(key, seen, compare):
            continue
        if seen:
            first = next(iter(seen.values()))
            yield at_value(rule, document, value, field=name, value=shorten(describe(value.value)),
                           other=shorten(describe(first.value)), other_line=first.line)
        seen[key] = value
