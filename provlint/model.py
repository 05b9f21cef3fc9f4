"""The document model every reader produces and every check reads, the Finding, and a
document's corpus signature."""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from dataclasses import dataclass, field
from collections.abc import Callable
from itertools import accumulate
from typing import Any, NamedTuple

from mypy_extensions import mypyc_attr

from provlint.vocabulary import SEVERITIES

SEVERITY_RANK = {severity: rank for rank, severity in enumerate(reversed(SEVERITIES))}  # info 0 ... error 2


def line_starts(text: str) -> list[int]:
    """Where each line of `text` starts (lines end at `\\n`): summed line lengths, not a
    Python step or match object for each character or line of a long page or feed."""
    return list(accumulate([len(line) + 1 for line in text.split("\n")][:-1], initial=0))


def line_column(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, from where the lines start (`line_starts`)."""
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def split_lines(text: str) -> list[str]:
    """Lines as `\\n` counts them, with CRLF and lone CR read as line breaks too."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


# slots: tens of blocks and field values per document, made and read often; `__init__`
# written out (not the dataclass's): compiled, it is native, where the generated one is a
# Python function (some 3,000 instructions a call).
@dataclass(slots=True, init=False)
class Block:
    """A run of non-blank lines; `text` is those lines joined by newlines, unstripped."""

    text: str
    line: int
    end_line: int
    kind: str = "text"
    groups: dict[str, str] = field(default_factory=dict)
    group_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    column: int = 1  # where the text starts on its first line (values inside JSON or HTML)
    # Where a structured reader found the value (`meta og:title`, `json-ld`, `microdata`);
    # a dump's blocks are `block`.
    origin: str = "block"
    # Where the text's lines start, made on the first `position` call: a long block with
    # many findings is read once, not once per finding.
    line_starts: list[int] | None = field(default=None, repr=False, compare=False)
    # Where the value really ends in the file (past its last character), when its text is
    # not verbatim there (JSON escapes, HTML entities, white space folded).
    end_column: int | None = None

    def __init__(self, text: str, line: int, end_line: int, kind: str = "text", groups: dict[str, str] | None = None,
                 group_spans: dict[str, tuple[int, int]] | None = None, column: int = 1, origin: str = "block",
                 line_starts: list[int] | None = None, end_column: int | None = None) -> None:
        self.text = text
        self.line = line
        self.end_line = end_line
        self.kind = kind
        self.groups = {} if groups is None else groups
        self.group_spans = {} if group_spans is None else group_spans
        self.column = column
        self.origin = origin
        self.line_starts = line_starts
        self.end_column = end_column

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset inside the block text."""
        if offset >= len(self.text) and self.end_column is not None:
            return self.end_line, self.end_column
        starts = self.line_starts
        if starts is None:
            text = self.text
            starts = [0]
            found = text.find("\n")
            while found >= 0:
                starts.append(found + 1)
                found = text.find("\n", found + 1)
            self.line_starts = starts
        if len(starts) == 1 and offset >= 0:  # one line, as most blocks are
            return self.line, offset + self.column
        newlines = bisect_right(starts, offset) - 1
        column = offset - starts[newlines] + 1
        return self.line + newlines, column + (self.column - 1 if newlines == 0 else 0)


@dataclass(slots=True, init=False)  # `__init__` written out: see Block
class FieldValue:
    """One occurrence of a metadata field, with where it came from.

    `value` is the normalised value (str, datetime, date or a dict for records such as
    a publisher); `raw` the text as written; `problem` why a value could not be
    normalised (an impossible date), for rules to report.
    """

    value: Any
    raw: str
    line: int
    end_line: int
    column: int = 1
    end_column: int | None = None
    problem: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    origin: str = "block"  # the block's origin, or what a field was derived from

    def __init__(self, value: Any, raw: str, line: int, end_line: int, column: int = 1, end_column: int | None = None,
                 problem: str | None = None, extra: dict[str, Any] | None = None, origin: str = "block") -> None:
        self.value = value
        self.raw = raw
        self.line = line
        self.end_line = end_line
        self.column = column
        self.end_column = end_column
        self.problem = problem
        self.extra = {} if extra is None else extra
        self.origin = origin


@dataclass(slots=True)
class Record:
    """Where one record of a JSON or JSONL file stands, and what identifies it.

    Findings about the record as a whole point at its span and name it; `identity`
    (its URL, else a hash of its text) keys baselines, so inserting a record does
    not renumber the findings of the others."""

    pointer: str  # a JSON pointer: `#/articles/3` (JSON), `#/5` (the sixth record of a JSONL file)
    line: int
    column: int
    end_line: int
    end_column: int
    identity: str
    url: str = ""


@dataclass(init=False)  # `__init__` written out: see Block
class Document:
    path: str
    text: str
    # The text's lines (`split_lines`), None until `lines` is first read: most dumps are
    # cut into blocks without them, and read one line (`line`) or none.
    _lines: list[str] | None = field(repr=False, compare=False)
    blocks: list[Block] = field(default_factory=list)
    fields: dict[str, list[FieldValue]] = field(default_factory=dict)
    # What the reader noticed about the file itself (empty, binary, encoding, ...).
    facts: dict[str, Any] = field(default_factory=dict)
    # The file on disk; `path` may name a record inside it (file.jsonl:12, file.json#/articles/3).
    file: str = ""
    # Values several rules derive from the same document (the fields as JSON, the body's
    # language and cues), computed once per document, not once per rule.
    memo: dict[str, Any] = field(default_factory=dict, repr=False)
    # Set when the document is one record of a JSON or JSONL file.
    record: Record | None = None

    def __init__(self, path: str, text: str, lines: list[str] | None, blocks: list[Block] | None = None,
                 fields: dict[str, list[FieldValue]] | None = None, facts: dict[str, Any] | None = None,
                 file: str = "", memo: dict[str, Any] | None = None, record: Record | None = None) -> None:
        self.path = path
        self.text = text
        self._lines = lines
        self.blocks = [] if blocks is None else blocks
        self.fields = {} if fields is None else fields
        self.facts = {} if facts is None else facts
        self.file = file or path
        self.memo = {} if memo is None else memo
        self.record = record

    @property
    def lines(self) -> list[str]:
        """The text's lines (`split_lines`), split when first read."""
        lines = self._lines
        if lines is None:
            lines = self._lines = split_lines(self.text)
        return lines

    def line(self, number: int) -> str:
        """Line `number` (from 1) of `lines`, "" for none. While the text is not split, a
        dump's block that starts on that line gives it: such a block's text is its lines
        joined as they stand."""
        if self._lines is None:
            for block in self.blocks:
                if block.line == number and block.origin == "block" and block.column == 1:
                    end = block.text.find("\n")
                    return block.text if end < 0 else block.text[:end]
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        memo = self.memo
        if key in memo:
            return memo[key]
        made = memo[key] = compute()
        return made

    # Neither makes an empty list it does not return (`get(name, [])` and `setdefault`
    # would, on every call: a few dozen a document).
    def values(self, name: str) -> list[FieldValue]:
        found = self.fields.get(name)
        return found if found is not None else []

    def add(self, name: str, value: FieldValue) -> None:
        found = self.fields.get(name)
        if found is None:
            self.fields[name] = [value]
        else:
            found.append(value)


# A plain Python class even when this module is compiled: findings are pickled between
# processes and hashed, which mypyc's frozen dataclasses do not support.
@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class Finding:
    """One problem at one place. Sorts by path, line, column, rule (file-level first)."""

    path: str
    line: int | None
    column: int | None
    rule: str
    end_line: int | None = None
    end_column: int | None = None
    name: str = field(default="", compare=False)
    category: str = field(default="", compare=False)
    severity: str = field(default="warning", compare=False)
    message: str = field(default="", compare=False)
    # Stable across edits that move blocks: rule, path and the block's text, not the line.
    fingerprint: str = field(default="", compare=False)
    # The file on disk when `path` names a record inside it.
    file: str = field(default="", compare=False)
    # Other places the finding is about (the published value a modified date is compared
    # with): (line, column, end line, end column, what stands there).
    related: tuple[tuple[int, int | None, int | None, int | None, str], ...] = field(default=(), compare=False)
    # The JSON pointer of the record inside `file` (`#/articles/3`), for record files.
    record: str = field(default="", compare=False)
    # Places in other files the finding is about (the original of a laundered copy): (file,
    # line, column, end line, end column, what stands there).
    others: tuple[tuple[str, int, int | None, int | None, int | None, str], ...] = field(default=(), compare=False)
    # The values the message was made with, as text, for reports that group findings by
    # what they are about (`--format provenance`); kept by the kinds that report
    # provenance only, to keep findings small. ("check", kind and report) comes first.
    values: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def file_path(self) -> str:
        return self.file or self.path

    def sort_key(self) -> tuple:
        # By file, not by `path`: a record's path ends in its line as text, and line 10 of a
        # feed comes after line 9, not before line 2.
        return (self.file_path, self.line or 0, self.column or 0, self.rule, self.message)

    def __lt__(self, other: Finding) -> bool:
        return self.sort_key() < other.sort_key()

    def with_others(self, others: tuple[tuple[str, int, int | None, int | None, int | None, str], ...],
                    record: str = "") -> Finding:
        """This finding with places in other files (and the record it is about)."""
        return dataclasses.replace(self, others=others, record=record)

    def as_record(self) -> list[Any]:
        """Every field in order, as the cache stores it."""
        return [getattr(self, name) for name in self.__dataclass_fields__]

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
        }


class Signature(NamedTuple):
    """What the corpus pass (the `corpus` check kind) knows of one document, made where
    the document is read and kept in the cache with its findings: no text beyond the few
    words that may credit another outlet."""

    path: str
    file: str
    record: str
    domain: str
    place: tuple[int, int, int, int]  # the domain's URL
    published: int | None  # seconds since 1970, UTC; a time without offset read as UTC
    published_raw: str
    published_place: tuple[int, int, int, int] | None
    minhash: bytes  # BINS 32-bit values, empty when the body is too short
    body_place: tuple[int, int, int, int] | None
    body_line: str  # the text of the body's first line, for code frames
    links: tuple[tuple[str, str], ...]  # (registered domain, how: canonical or link)
    # The body's head and tail and its short blocks as they are, folded only when the
    # document is found to be a copy (`corpus.credit_text`); none without a MinHash.
    credit: tuple[str, ...]
    names: tuple[str, ...]  # the publisher names the document gives
    operator_ids: tuple[tuple[str, str, int, int, int, int], ...]  # (kind, id, line, column, end line, end column)
    url: str = ""  # the address the domain is read from: the same document scraped twice has one


def signature_from_record(record: list[Any]) -> Signature:
    """A signature from its fields as JSON holds them, the MinHash in hex; ValueError or
    TypeError when they are damaged."""
    if not isinstance(record, list) or len(record) != len(Signature._fields):
        raise ValueError("not a signature")
    parts = list(record)
    parts[4] = tuple(parts[4])
    parts[7] = tuple(parts[7]) if parts[7] is not None else None
    parts[8] = bytes.fromhex(parts[8])
    parts[9] = tuple(parts[9]) if parts[9] is not None else None
    parts[11] = tuple(tuple(link) for link in parts[11])
    if not isinstance(parts[12], list):  # an older record's credit, one folded string: not its characters
        raise ValueError("not a signature")
    parts[12] = tuple(parts[12])
    parts[13] = tuple(parts[13])
    parts[14] = tuple(tuple(item) for item in parts[14])
    return Signature(*parts)
