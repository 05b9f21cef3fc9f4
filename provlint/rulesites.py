"""What a rule names that must exist, checked once every file of the pack is loaded (the
block kinds, fields and categories exist only once all files are read): its category,
its check kind's options and choices (`OPTIONS_SCHEMA`), its message's placeholders, the
fields and block kinds it names. Each problem at its `file:line:col`, with a did-you-mean.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from provlint.problems import Problem, close_matches, suggest
from provlint.readers.blocktable import BlockTable
from provlint.rulepack import RULE_KEYS
from provlint.yamlnodes import mark_of


@dataclass
class RuleSite:
    """A rule as written (valid or not), kept by the loader for the checks here."""

    source: str
    data: dict[str, Any]
    base: tuple
    marks: dict
    text: str
    rejected: set[str]  # keys the schema rejected: their values are not read

    def where(self, path: tuple = ()) -> tuple[int, int]:
        return mark_of(self.marks, self.base + path)


def site_problems(site: RuleSite, table: BlockTable, fields: list[str], categories: list[str]) -> list[Problem]:
    """What a rule names that does not exist: a category no file declares, options of
    another check kind, choices, message values, fields, block kinds (the table is
    complete only now)."""
    from provlint.checks import CHOICES, FIELD_OPTIONS, OPTIONS, REQUIRED, VALUES

    data, rejected = site.data, site.rejected
    rule_id = data.get("id")
    who = f"{rule_id}: " if isinstance(rule_id, str) else ""
    found: list[Problem] = []

    def report(path: tuple, message: str) -> None:
        line, column = site.where(path)
        found.append(Problem(site.source, line, column, who + message))

    category = data.get("category")
    if isinstance(category, str) and "category" not in rejected and category not in categories:
        report(("category",), unknown_category(category, categories))
    check = data.get("check") if "check" not in rejected else None
    kind: str = check if isinstance(check, str) else ""
    takes = OPTIONS.get(kind) if kind else None
    if takes is not None:
        for key in data:
            owners = [name for name, names in OPTIONS.items() if key in names]
            if key in RULE_KEYS or key in takes or key in rejected or not owners:
                continue  # a key no kind takes is the schema's to report
            report((key, "<key>"), f"unknown key {key!r} for check {kind} (an option of {', '.join(owners)})"
                                   f"{suggest(key, takes)}; {kind} takes {', '.join(takes)}")
        for key in REQUIRED[kind]:
            if key not in data:
                report(("check",), f"check {kind!r} requires {key!r}")
        for key, choices in CHOICES[kind].items():
            value = data.get(key)
            if isinstance(value, str) and key not in rejected and value not in choices:
                report((key,), f"{key}: {value!r} is not one of {', '.join(choices)} (check {kind})"
                               f"{suggest(value, choices)}")
        if isinstance(data.get("message"), str) and "message" not in rejected:
            found += _placeholder_problems(site, data["message"], kind, VALUES[kind], who)
    for key in FIELD_OPTIONS:
        if key not in data or key in rejected or (takes is not None and key not in takes):
            continue
        for path, name in _named_fields(key, data[key]):
            if name not in fields and not (key == "not_after" and _is_date(name)):
                report(path, f"unknown field {name!r} in {key}{suggest(name, fields, 'known fields')}")
    kinds = table.kinds
    target = data.get("target")
    if isinstance(target, list) and "target" not in rejected:
        for index, name in enumerate(target):
            if isinstance(name, str) and name not in kinds:
                report(("target", index), f"unknown block kind {name!r} in target{suggest(name, kinds, 'known kinds')}")
    examples = data.get("examples")
    if isinstance(examples, dict) and "examples" not in rejected:
        parts = kinds + sorted({role for roles in table.timestamp_roles for role in roles})
        for expect, items in examples.items():
            for index, example in enumerate(items if isinstance(items, list) else []):
                for name in example if isinstance(example, dict) else ():
                    if name not in parts:
                        report(("examples", expect, index, name, "<key>"),
                               f"unknown block kind {name!r} in {expect} example #{index + 1}"
                               f"{suggest(name, parts, 'known kinds and timestamp roles')}")
    return found


def unknown_category(name: str, declared: list[str]) -> str:
    """The problem of a category no loaded file declares (a rule's, or a block-kind row's)."""
    return (f"category: {name!r} is not one of {', '.join(declared)} (a pack declares its own under "
            f"`categories:`){suggest(name, declared)}")


def _named_fields(key: str, value: Any) -> Iterator[tuple[tuple, str]]:
    """(path, field name) for each field an option's value names."""
    if isinstance(value, str):
        yield (key,), value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield (key, index), item
            elif isinstance(item, list):  # `required`: any one of these
                yield from (((key, index, inner), name) for inner, name in enumerate(item) if isinstance(name, str))


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _placeholder_problems(site: RuleSite, message: str, kind: str, values: dict[str, str],
                          who: str) -> list[Problem]:
    """`{placeholders}` in the message that the check kind does not fill (they would be
    printed as written), each at its place in the file."""
    import string

    line, column = site.where(("message",))
    try:
        parsed = list(string.Formatter().parse(message))
    except ValueError as exc:
        return [Problem(site.source, line, column,
                            f"{who}message: {exc} (write {{{{ and }}}} for a literal brace)")]
    found = []
    offered = f"check {kind} gives {', '.join('{' + name + '}' for name in values)}"
    for _, name, _, conversion in parsed:
        if name is None:
            continue
        if name in values and conversion in (None, "r", "s", "a"):
            continue
        place = _find_after(site.text, (line, column), "{" + name)
        if name not in values:
            hint = close_matches(name, values)
            suggestion = f"; did you mean {{{hint[0]}}}?" if hint else ""
            problem = f"message: unknown placeholder {{{name}}}{suggestion} ({offered})"
        else:
            problem = f"message: {{{name}!{conversion}}}: unknown conversion !{conversion} (use !r, !s or !a)"
        found.append(Problem(site.source, *(place or (line, column)), who + problem))
    return found


def _find_after(text: str, start: tuple[int, int], needle: str) -> tuple[int, int] | None:
    """Line and column of `needle`'s first occurrence at or after (line, column) in `text`."""
    line, column = start
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    found = text.find(needle, offset + column - 1)
    if found < 0:
        return None
    return text.count("\n", 0, found) + 1, found - text.rfind("\n", 0, found)
