from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from provlint.checks.base import FIELDS, finding
from provlint.model import Document, Finding
from provlint.rulepack import Rule

DOC = """`required`: fields that must be present and non-empty; a file-level finding (line null).

Options: `fields`, a list whose entries are a field name or a list of names of which
any one will do (`[[authors, labels]]`).
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["fields"],
    "properties": {
        "fields": {**FIELDS, "description": "Field names; a list entry means any one of them."},
    },
}
VALUES = {"field": "the missing field; `a or b` for a list entry"}


def _present(document: Document, name: str) -> bool:
    return any(v.value not in (None, "", {}, []) for v in document.values(name))


def check(rule: Rule, document: Document, prepared: None) -> Iterator[Finding]:
    for entry in rule.options["fields"]:
        names = entry if isinstance(entry, list) else [entry]
        if not any(_present(document, name) for name in names):
            yield finding(rule, document, None, field=" or ".join(names))
