"""The check kinds: one small function per kind, registered here by name.

Each module has `check(rule, document, prepared)`; a kind that needs the pack (the
registry, the lexicons, the other rules) or builds something once per rule also has
`prepare(rule, pack)`, run once at load, whose result is `prepared`. A kind whose rules
read the same fields may also have `prepare_group(rules)`: built once per process from
the kind's selected rules (in order, each with its `prepared`), it returns a pass, a
function of a document that gives the findings of all those rules at once, computing
what they share once. It must find exactly what `check` finds rule by rule: the engine
falls back to `check`, rule by rule, when a pass raises, so that only the broken rule
is reported.

Each module's `DOC` documents the kind; it is a constant, not the docstring, because
modules compiled with mypyc have no docstrings. Each module also owns its options as a
JSON-Schema fragment, `OPTIONS_SCHEMA` (`required` and `properties`, as Spectral's
optionSchemas and yamllint's CONF): the loader checks a rule's keys and choices against
it, `provlint explain` and docs/reference.md list it, and the rule schema's options are
assembled from it (`provlint.ruleschema`, which also writes `schemas/rule.schema.json`,
what editors validate with). `VALUES` names the message values its findings offer,
with what each holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from types import ModuleType
from typing import Any

from provlint.checks import (
    agree, attribution, conflict, contains, corpus, credit, domain, duplicate, input, lookalike, order, pattern, phrases,
    range, required, schema,
)
from provlint.timestamps import parse_duration
from provlint.model import Document, Finding
from provlint.rulepack import Rule, Ruleset

# check(rule, document, prepared): `prepared` is what the kind's `prepare` built (else None).
CheckFunction = Callable[[Rule, Document, Any], Iterable[Finding]]
# A pass over one document for all of a kind's selected rules (`prepare_group`).
GroupPass = Callable[[Document], list[Finding]]

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
    "credit": credit,
    "lookalike": lookalike,
    "phrases": phrases,
    "corpus": corpus,
}
CHECKS: dict[str, CheckFunction] = {name: module.check for name, module in MODULES.items()}
# Kinds that build something once at load from the rule and its pack (Vale's way): the
# check gets it, never the pack itself.
PREPARE: dict[str, Callable[[Rule, Ruleset], Any]] = {
    name: module.prepare for name, module in MODULES.items() if hasattr(module, "prepare")}
# Kinds whose selected rules run as one pass over a document (built once per process).
GROUPS: dict[str, Callable[[list[Rule]], GroupPass]] = {
    name: module.prepare_group for name, module in MODULES.items() if hasattr(module, "prepare_group")}
OPTIONS_SCHEMAS: dict[str, dict[str, Any]] = {name: module.OPTIONS_SCHEMA for name, module in MODULES.items()}
# What the loader reads off each fragment.
REQUIRED: dict[str, tuple[str, ...]] = {name: tuple(schema["required"]) for name, schema in OPTIONS_SCHEMAS.items()}
OPTIONS: dict[str, tuple[str, ...]] = {name: tuple(schema["properties"]) for name, schema in OPTIONS_SCHEMAS.items()}
# The values an option may take in this kind, where the rule schema allows more (`compare`, `report`).
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    name: {key: tuple(spec["enum"]) for key, spec in schema["properties"].items() if "enum" in spec}
    for name, schema in OPTIONS_SCHEMAS.items()}
VALUES: dict[str, dict[str, str]] = {name: module.VALUES for name, module in MODULES.items()}
# Options whose value names fields of the document (`not_after` names a date or a field).
FIELD_OPTIONS = ("fields", "field", "with", "before", "after", "at", "contains", "article", "context", "corroborate",
                 "not_after")


def _declared(name: str) -> str:
    """The options and message values of a kind, as `provlint explain` and the reference show them."""
    required = ", ".join(f"`{key}`" for key in REQUIRED[name])
    optional = ", ".join(f"`{key}`" for key in OPTIONS[name] if key not in REQUIRED[name])
    if required and optional:
        takes = f"Requires {required}; also takes {optional}."
    else:
        takes = f"Requires {required}." if required else f"Takes {optional}."
    values = ", ".join(f"`{{{key}}}` ({meaning})" for key, meaning in VALUES[name].items())
    return f"{takes}\nMessage values: {values}."


DOCS: dict[str, str] = {name: f"{module.DOC.strip()}\n\n{_declared(name)}" for name, module in MODULES.items()}


def prepare(rule: Rule, pack: Ruleset) -> Any:
    """What the rule's check kind builds once from the loaded pack (None when it builds nothing)."""
    build = PREPARE.get(rule.check)
    return build(rule, pack) if build is not None else None


def option_problems(rule: Rule) -> list[tuple[str, str]]:
    """(option key, message) for option values the schema cannot judge alone."""
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
    if rule.check == "schema" and "schema" in rule.options:
        try:
            schema.validator_for(rule)
        except (OSError, ValueError, RecursionError) as exc:
            problems.append(("schema", f"cannot load schema: {exc}"))
    return problems
