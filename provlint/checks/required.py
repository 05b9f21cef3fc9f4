from __future__ import annotations

from collections.abc import Callable
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
    return any(value.value not in (None, "", {}, []) for value in document.fields.get(name, ()))


def _entries(rule: Rule) -> list[tuple[list[str], str]]:
    """Each entry of `fields` as (the names any of which will do, how the finding names them)."""
    entries = []
    for entry in rule.options["fields"]:
        names = entry if isinstance(entry, list) else [entry]
        entries.append((names, " or ".join(names)))
    return entries


def check(rule: Rule, document: Document, prepared: None) -> list[Finding]:
    return [finding(rule, document, None, field=shown) for names, shown in _entries(rule)
            if not any(_present(document, name) for name in names)]


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The required rules in one pass, each rule's entries read once."""
    chosen = [(rule, _entries(rule)) for rule in rules]

    def run(document: Document) -> list[Finding]:
        findings: list[Finding] = []
        for rule, entries in chosen:
            for names, shown in entries:
                if not any(_present(document, name) for name in names):
                    findings.append(finding(rule, document, None, field=shown))
        return findings

    return run
