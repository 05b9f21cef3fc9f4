"""The check kinds: one small function per kind, registered here by name.

Each module's `DOC` documents its options; `provlint explain` shows it. It is a
constant, not the docstring, because modules compiled with mypyc have no docstrings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from types import ModuleType

from provlint.checks import (
    agree, attribution, conflict, contains, domain, duplicate, input, order, pattern, range, required, schema,
)
from provlint.dates import parse_duration
from provlint.model import Document, Finding
from provlint.ruleset import Rule

CheckFunction = Callable[[Rule, Document], Iterator[Finding]]

MODULES: dict[str, ModuleType] = {
    "pattern": pattern,
    "required": required,
    "duplicate": duplicate,
    "conflict": conflict,
    "order": order,
    "agree": agree,
    "range": range,
    "schema": schema,
    "contains": contains,
    "input": input,
    "domain": domain,
    "attribution": attribution,
}
CHECKS: dict[str, CheckFunction] = {name: module.check for name, module in MODULES.items()}
DOCS: dict[str, str] = {name: module.DOC.strip() for name, module in MODULES.items()}


def option_problems(rule: Rule) -> list[tuple[str, str]]:
    """(option key, message) for options the schema cannot judge alone."""
    problems: list[tuple[str, str]] = []
    for key in ("tolerance", "at_most"):
        if key in rule.options:
            try:
                parse_duration(rule.options[key])
            except ValueError as exc:
                problems.append((key, str(exc)))
    bound = rule.options.get("not_before")
    for key in ("not_before",):
        if bound is not None:
            try:
                date.fromisoformat(bound)
            except ValueError:
                problems.append((key, f"not a date: {bound!r} (use YYYY-MM-DD)"))
    if rule.check == "schema":
        try:
            schema.validator_for(rule)
        except (OSError, ValueError, RecursionError) as exc:
            problems.append(("schema", f"cannot load schema: {exc}"))
    return problems
