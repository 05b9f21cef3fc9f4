"""The block classification table: data from `rules/blocks.yaml` and users' files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from provlint.model import Block
from provlint.patterns import Match, Pattern, compile_pattern


@dataclass
class KindEntry:
    """One row of the table: a block kind and the conditions that recognise it."""

    kind: str
    pattern: Pattern | None = None
    max_lines: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_sentences: int | None = None
    source: str = ""

    def match(self, block: Block, stripped: str, sentences: int) -> Match | None | bool:
        """The pattern match (or True when there is no pattern) if every condition holds."""
        if self.max_lines is not None and block.end_line - block.line + 1 > self.max_lines:
            return None
        if self.min_length is not None and len(stripped) < self.min_length:
            return None
        if self.max_length is not None and len(stripped) > self.max_length:
            return None
        if self.min_sentences is not None and sentences < self.min_sentences:
            return None
        if self.pattern is None:
            return True
        return self.pattern.fullmatch(stripped)


@dataclass
class BlockTable:
    entries: list[KindEntry] = field(default_factory=list)
    sentence_end: Pattern | None = None
    kind_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    timestamp_roles: list[list[str]] = field(default_factory=list)
    url_dates: list[Pattern] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        seen = dict.fromkeys(entry.kind for entry in self.entries)
        seen.update(dict.fromkeys(["timestamp", "text"]))
        return list(seen)

    def extend(self, spec: dict[str, Any], source: str) -> None:
        """Merge one YAML table; later (user) entries are tried before earlier ones."""
        entries = [
            KindEntry(
                kind=row["kind"],
                pattern=compile_pattern(row["pattern"]) if "pattern" in row else None,
                max_lines=row.get("max_lines"),
                min_length=row.get("min_length"),
                max_length=row.get("max_length"),
                min_sentences=row.get("min_sentences"),
                source=source,
            )
            for row in spec.get("block_kinds", [])
        ]
        self.entries = entries + self.entries
        if "sentence_end" in spec:
            self.sentence_end = compile_pattern(spec["sentence_end"])
        self.kind_fields.update(spec.get("kind_fields", {}))
        if "timestamp_roles" in spec:
            self.timestamp_roles = spec["timestamp_roles"]
        self.url_dates = [compile_pattern(p) for p in spec.get("url_dates", [])] + self.url_dates

    def sentences(self, text: str) -> int:
        if self.sentence_end is None:
            return 0
        return sum(1 for _ in self.sentence_end.finditer(text))

    def roles(self, count: int) -> list[str]:
        """Role of each of `count` timestamps in block order."""
        if count == 0 or not self.timestamp_roles:
            return []
        if count <= len(self.timestamp_roles):
            return list(self.timestamp_roles[count - 1])
        longest = max(self.timestamp_roles, key=len)
        middle = longest[len(longest) // 2]
        head, tail = longest[: len(longest) // 2], longest[len(longest) // 2 + 1 :]
        return head + [middle] * (count - len(head) - len(tail)) + tail
