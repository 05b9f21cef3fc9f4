"""Rule selection: which rules a selector covers (--select/--ignore, a config's select,
ignore, severity and per-path-ignores), which run. Apart from the engine so that the
config can check its selectors without loading the engine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provlint.rulepack import Rule


def matches_selector(rule: Rule, selector: str) -> bool:
    """A selector is a rule id (PH001), an id prefix (PH, PH0), a category (placeholder),
    a rule name, a selection (`default`, `strict`) or `ALL`. The one place that decides
    what a selector covers: --select/--ignore, config select/ignore, severity, per-path-ignores."""
    if not selector:
        return False
    if selector == "ALL" or rule.selection == selector.lower():
        return True
    return rule.id.startswith(selector.upper()) or rule.category == selector.lower() or rule.name == selector


def unknown_selector(selector: str, rules: Sequence[Rule]) -> str | None:
    """None when `selector` covers at least one of `rules`; else what is wrong, with the
    closest selector (a mistyped one would otherwise select or ignore nothing, silently)."""
    if any(matches_selector(rule, selector) for rule in rules):
        return None
    from provlint.problems import close_matches

    known = {"ALL"} | {name for rule in rules for name in (rule.id, rule.id[:2], rule.category, rule.name,
                                                           rule.selection)}
    hint = close_matches(selector, known) or close_matches(selector.upper(), known) or close_matches(selector.lower(), known)
    return f"no rule matches {selector!r}" + (f"; did you mean {hint[0]}?" if hint else "")


def select_rules(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = (),
                 extend_select: Iterable[str] = ()) -> list[Rule]:
    """The rules `select` names (without it, the default selection) and those
    `extend_select` names, less those `ignore` names."""
    select, ignore, extend_select = list(select), list(ignore), list(extend_select)
    return [
        rule for rule in rules
        if ((any(matches_selector(rule, s) for s in select) if select else rule.selection == "default")
            or any(matches_selector(rule, s) for s in extend_select))
        and not any(matches_selector(rule, s) for s in ignore)
    ]


# The rule the engine reports a rule's failure on a file with (rules/input.yaml).
INTERNAL_ERROR = "IN000"
