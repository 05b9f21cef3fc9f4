from __future__ import annotations

from collections.abc import Iterator

from provlint.checks.base import finding, target_fields, text_of
from provlint.model import Document, Finding
from provlint.patterns import Pattern, PatternSet
from provlint.ruleset import Rule

DOC = """`pattern`: a regular expression over blocks or fields; one finding per match.

Options: `pattern` (RE2 syntax; look-around falls back to `regex` with a timeout),
`target` (`blocks`, a list of block kinds) or `fields` (field names); `unique: true`
reports a match only when its text occurs once in the block (a word the text repeats,
such as `SoftBank` or `WikiLeaks`, is a name, not an accident).

Every block-pattern rule of the rule set is first matched as one RE2 set over the
document's blocks; a rule scans the blocks only when its pattern occurs there.
"""

REQUIRED = ("pattern",)
OPTIONAL = ("target", "fields", "unique")
VALUES = {"match": "the matched text", "kind": "the block kind, or the field's name"}


def _screen(rule: Rule) -> PatternSet | None:
    if rule.data is None:
        return None
    prepared = rule.data.prepared
    if "pattern-screen" not in prepared:
        prepared["pattern-screen"] = PatternSet(
            (other.pattern for other in rule.data.rules
             if other.check == "pattern" and other.pattern is not None and "fields" not in other.options
             and other.options.get("target") != "fields"), parts=True)
    return prepared["pattern-screen"]


def _screened_out(screen: PatternSet, pattern: Pattern, document: Document) -> bool:
    """True when the document-wide screen proves the rule's pattern matches in no block."""
    number = screen.position(pattern)
    return number is not None and number not in document.derived(
        "pattern-hits", lambda: screen.hits("\n\n".join(b.text for b in document.blocks)))


def check(rule: Rule, document: Document) -> Iterator[Finding]:
    assert rule.pattern is not None
    if "fields" in rule.options or rule.options.get("target") == "fields":
        for name, value in target_fields(rule, document):
            text = text_of(value)
            for found in rule.pattern.finditer(text):
                column = value.column + found.start if "\n" not in text[: found.start] else None
                yield finding(rule, document, value.line, column, value.line,
                              column + len(found.text) if column else None, match=found.text, kind=name)
        return
    target = rule.options.get("target", "blocks")
    if target != "blocks" and not isinstance(target, list):
        return
    kinds = set(target) if isinstance(target, list) else None
    unique = bool(rule.options.get("unique"))
    screen = _screen(rule)
    if screen is not None and _screened_out(screen, rule.pattern, document):
        return
    for block in document.blocks:
        if kinds is not None and block.kind not in kinds:
            continue
        for found in rule.pattern.finditer(block.text):
            if not found.text or (unique and block.text.count(found.text) > 1):
                continue
            line, column = block.position(found.start)
            end_line, end_column = block.position(found.end)
            yield finding(rule, document, line, column, end_line, end_column, match=found.text, kind=block.kind)
