"""`pattern`: a regular expression over blocks or fields; one finding per match.

Options: `pattern` (RE2 syntax; look-around falls back to `regex` with a timeout),
`target` (`blocks`, a list of block kinds) or `fields` (field names).
Message values: `{match}`, `{kind}`.
"""

from __future__ import annotations

from collections.abc import Iterator

from provlint.checks.base import finding, target_blocks, target_fields, text_of
from provlint.model import Document, Finding
from provlint.ruleset import Rule


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
    for block in target_blocks(rule, document):
        for found in rule.pattern.finditer(block.text):
            if not found.text:
                continue
            line, column = block.position(found.start)
            end_line, end_column = block.position(found.end)
            yield finding(rule, document, line, column, end_line, end_column, match=found.text, kind=block.kind)
