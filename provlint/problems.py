"""Problems in provlint's own input files (rule files, block tables, the config): each
at its `file:line:col`, with a "did you mean …?" where a close option exists.

Neutral ground shared by the rule loader (`provlint.ruleset`) and `provlint.config`:
a config error is a `Problem`, not a rule problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from provlint.validation import Validator
from provlint.yamlnodes import mark_of


@dataclass
class Problem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def close_matches(word: str, options: Iterable[str]) -> list[str]:
    """The one closest option, for "did you mean …?" (difflib loads only when needed)."""
    import difflib

    return difflib.get_close_matches(word, list(options), n=1)


def suggest(word: str, options: Iterable[str], listed: str = "") -> str:
    """"; did you mean 'x'?", else the options under `listed` (when given), else nothing."""
    options = list(options)
    hint = close_matches(word, options)
    if hint:
        return f"; did you mean {hint[0]!r}?"
    return f"; {listed}: {', '.join(options)}" if listed else ""


def schema_problems(shown: str, data: Any, base: tuple, marks: dict, validator: Validator,
                    rule_id: str | None, rejected: set[str] | None = None) -> list[Problem]:
    """Every schema error as a problem at its place; the top-level keys they are about
    (unknown ones included) are added to `rejected`."""
    problems = []
    who = f"{rule_id}: " if rule_id else ""
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = base + tuple(error.absolute_path)
        message = _explain(error)
        if rejected is not None and error.absolute_path:
            rejected.add(str(error.absolute_path[0]))
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list(error.schema.get("properties", {}))
            for key in [k for k in error.instance if k not in allowed]:
                if rejected is not None and not error.absolute_path:
                    rejected.add(str(key))
                line, column = mark_of(marks, path + (key, "<key>"))
                hint = close_matches(str(key), allowed)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; allowed keys: {', '.join(allowed)}"
                problems.append(Problem(shown, line, column, f"{who}unknown key {key!r}{suggestion}"))
            continue
        line, column = mark_of(marks, path)
        where = "/".join(map(str, error.absolute_path)) or "(top level)"
        problems.append(Problem(shown, line, column, f"{who}{where}: {message}"))
    return problems


def _explain(error: Any) -> str:  # a jsonschema.ValidationError
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        hint = close_matches(str(error.instance), options)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        return f"{error.instance!r} is not one of {', '.join(options)}{suggestion}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    return error.message
