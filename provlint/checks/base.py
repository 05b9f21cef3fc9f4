"""What every check kind shares: choosing targets and building findings."""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING
from typing import Any

from provlint.model import Block, Document, FieldValue, Finding, line_column, line_starts
from provlint.rulepack import Rule


# Option schemas (JSON Schema) that several kinds share; each kind adds its description.
TARGET: dict[str, Any] = {"oneOf": [{"enum": ["blocks", "fields"]},
                                    {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
FIELDS: dict[str, Any] = {"type": "array", "minItems": 1,
                          "items": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}}


class _Lenient(string.Formatter):
    """Formats a rule's message; an unknown placeholder stays as written, never raises."""

    def get_value(self, key: Any, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        return "{" + str(key) + "}"

    def get_field(self, field_name: str, args: Any, kwargs: Mapping[str, Any]) -> tuple[Any, str]:
        # No attribute or index access: a rule file must not reach into Python objects.
        return self.get_value(field_name, args, kwargs), field_name


_FORMATTER = _Lenient()


# Each message template read once: its literal texts and its plain fields, each (literal,
# name, conversion): `{name}` or `{name!r}` (`!s`, `!a`), no format spec (name "" after
# the last literal); None for a template only `_Lenient` can format.
_TEMPLATES: dict[str, list[tuple[str, str, str]] | None] = {}
MAX_TEMPLATES = 4096
_CONVERSIONS: dict[str, Callable[[Any], str]] = {"": format, "r": repr, "s": str, "a": ascii}


def _template(template: str) -> list[tuple[str, str, str]] | None:
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError:
        return None
    parts: list[tuple[str, str, str]] = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            parts.append((literal, "", ""))
        elif name and not name.isdigit() and not spec and (conversion or "") in _CONVERSIONS:
            parts.append((literal, name, conversion or ""))
        else:
            return None
    return parts


def format_message(template: str, values: dict[str, Any]) -> str:
    if template in _TEMPLATES:
        parts = _TEMPLATES[template]
    else:
        if len(_TEMPLATES) >= MAX_TEMPLATES:
            _TEMPLATES.clear()
        parts = _TEMPLATES[template] = _template(template)
    try:
        if parts is None:
            return _FORMATTER.vformat(template, (), values)
        # What `_Lenient` makes of plain fields, without its calls per field: an unknown
        # name stands as written, converted as a value would be.
        pieces: list[str] = []
        for literal, name, conversion in parts:
            pieces.append(literal)
            if name:
                value = values[name] if name in values else "{" + name + "}"
                pieces.append(format(_CONVERSIONS[conversion](value), ""))
        return "".join(pieces)
    except (ValueError, TypeError):
        return template


# The kinds whose findings keep their message values (`Finding.values`): what the
# provenance report groups by.
KEEP_VALUES = ("domain", "corpus")


# Every field of a Finding in its order, with its default (None for those without), for
# `finding`: a finding's fields keep the order its constructor gives them.
_FINDING_DEFAULTS: dict[str, Any] = {
    name: None if spec.default is MISSING else spec.default for name, spec in Finding.__dataclass_fields__.items()}


def finding(rule: Rule, document: Document, line: int | None, column: int | None = None,
            end_line: int | None = None, end_column: int | None = None,
            related: tuple[tuple[int, int | None, int | None, int | None, str], ...] = (), **values: Any) -> Finding:
    """A finding of `rule`, its message made with `values`. Made as `Finding(...)` makes it,
    its fields set at once: the frozen dataclass's constructor sets each of its sixteen
    fields through `object.__setattr__`, and every field is a plain value no one checks."""
    made = object.__new__(Finding)
    fields = made.__dict__
    fields.update(_FINDING_DEFAULTS)
    # Each set on its own, a C call each: `update` with keywords builds a dict of them first.
    fields["path"] = document.path
    fields["line"] = line
    fields["column"] = column
    fields["end_line"] = end_line
    fields["end_column"] = end_column
    fields["rule"] = rule.id
    fields["name"] = rule.name
    fields["category"] = rule.category
    fields["severity"] = rule.severity
    fields["message"] = format_message(rule.message, values)
    fields["file"] = document.file
    fields["related"] = related
    if rule.check in KEEP_VALUES:
        fields["values"] = (("check", f"{rule.check} {rule.options.get('report', '')}"),
                            *((key, str(value)) for key, value in values.items()))
    else:
        fields["values"] = ()
    return made


def shared_pass(rules: list[Rule], settings_of: Callable[[Rule], Any],
                check_with: Callable[[Rule, Document, Any, dict], list[Finding]]) -> Callable[[Document], list[Finding]]:
    """A kind's rules in one pass over a document (its `prepare_group`): each rule's
    settings read once per process, and one dict per document in which the rules share
    what they work out (a field's days, the gap between two values)."""
    chosen = [(rule, settings_of(rule)) for rule in rules]

    def run(document: Document) -> list[Finding]:
        findings: list[Finding] = []
        shared: dict = {}
        for rule, settings in chosen:
            findings += check_with(rule, document, settings, shared)
        return findings

    return run


def at_value(rule: Rule, document: Document, place: FieldValue,
             related: tuple[tuple[int, int | None, int | None, int | None, str], ...] = (), **values: Any) -> Finding:
    """A finding pointing at where a field value was read."""
    return finding(rule, document, place.line, place.column, place.end_line, place.end_column, related, **values)


def place_of(value: FieldValue, what: str) -> tuple[int, int | None, int | None, int | None, str]:
    """A secondary place of a finding: another value it is about (`related`)."""
    return (value.line, value.column, value.end_line, value.end_column, what)


def target_blocks(rule: Rule, document: Document) -> Iterator[Block]:
    target = rule.options.get("target", "blocks")
    if target == "blocks":
        yield from document.blocks
    elif isinstance(target, list):
        kinds = set(target)
        yield from (block for block in document.blocks if block.kind in kinds)


def target_fields(rule: Rule, document: Document) -> Iterator[tuple[str, FieldValue]]:
    names = rule.options.get("fields")
    if names is None and rule.options.get("target") == "fields":
        names = list(document.fields)
    for name in names or []:
        for value in document.values(name):
            yield name, value


def source_place(document: Document, block: Block, start: int, end: int) -> tuple[int, int, int, int]:
    """Where `block.text[start:end]` stands in the file: (line, column, end line, end
    column). A dump's block is the file's text as written. A value read from JSON or HTML
    may not be (entities and escapes decoded, white space folded, an element's lines
    joined into one): unless the file holds the text where the value's place says, the
    same occurrence of it is looked for between where the value starts and ends."""
    line, column = block.position(start)
    end_line, end_column = block.position(end)
    if block.origin == "block":
        return line, column, end_line, end_column
    return in_source(document, block.text, start, end, (line, column, end_line, end_column),
                     (block.line, block.column, block.end_line, block.end_column))


def in_source(document: Document, text: str, start: int, end: int, placed: tuple[int, int, int, int],
              region: tuple[int, int, int, int | None]) -> tuple[int, int, int, int]:
    """`source_place` for `text[start:end]`, a piece of a value read from (line, column)
    to (end line, end column: None for the end of that line) in `region`, which `placed`
    says where it stands, when the value is the file's text as written."""
    line, column, end_line, end_column = placed
    matched = text[start:end]
    if not matched or (line == end_line and document.line(line)[column - 1 : end_column - 1] == matched):
        return placed
    source, starts = document.derived("source-starts", lambda: _source_starts(document))
    first_line, first_column, last_line, last_column = region
    if not 0 < first_line <= last_line <= len(starts):
        return placed
    first = starts[first_line - 1] + first_column - 1
    last = starts[last_line] if last_line < len(starts) else len(source)
    if last_column is not None:
        last = starts[last_line - 1] + last_column - 1
    found = _occurrence(source, matched, text.count(matched, 0, start), first, last)
    if found < 0:  # an element's end is not always known: its text may run past `last`
        found = _occurrence(source, matched, text.count(matched, 0, start), first, len(source))
    if found < 0:
        return placed
    return (*line_column(starts, found), *line_column(starts, found + len(matched)))


def _occurrence(source: str, matched: str, before: int, first: int, last: int) -> int:
    """Where in source[first:last] `matched` occurs for the time after `before` others; -1."""
    found = source.find(matched, first, last)
    for _ in range(before):
        if found < 0:
            break
        found = source.find(matched, found + len(matched), last)
    return found


def _source_starts(document: Document) -> tuple[str, list[int]]:
    """The file's text with its lines (`Document.lines`) joined by `\n`, and where each starts."""
    source = "\n".join(document.lines)
    return source, line_starts(source)


def joined_blocks(document: Document) -> str:
    """Every block's text, joined by blank lines, made once per document: a search over it
    tells whether any block may hold what a rule looks for."""
    return document.derived("joined-blocks", lambda: "\n\n".join([block.text for block in document.blocks]))


def fold_space(document: Document, text: str) -> str:
    """`text` with every run of white space one space and none at the ends. Several rules
    fold the same body, so each text is folded once per document."""
    folded: dict[str, str] = document.derived("folded-texts", dict)
    result = folded.get(text)
    if result is None:
        result = folded[text] = " ".join(text.split())
    return result


def end_words(text: str) -> tuple[str, str] | None:
    """The first and last words of `text` (None when it has none). Texts that fold to the
    same string have the same end words, and a text folded inside another has its end
    words inside it: a cheap test that spares folding most long texts."""
    head = text.split(None, 1)
    if not head:
        return None
    return head[0], text.rsplit(None, 1)[-1]


def text_of(value: FieldValue) -> str:
    return value.value if isinstance(value.value, str) else value.raw


def describe(value: Any) -> str:
    """A value as a message shows it."""
    if hasattr(value, "raw"):
        return value.raw
    return str(value)


def shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
