"""The block classification table: data from `rules/blocks.yaml` and users' files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import re2

from provlint.dates import DateNames
from provlint.patterns import MAX_SET_TEXT, SET_OPTIONS, Match, Pattern, added_to_set, compile_pattern

MEMO_SIZE = 10_000
MEMO_TEXT = 400


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

    def conditions_hold(self, line_count: int, stripped: str, sentences: int) -> bool:
        """The conditions other than the pattern."""
        return not (
            (self.max_lines is not None and line_count > self.max_lines)
            or (self.min_length is not None and len(stripped) < self.min_length)
            or (self.max_length is not None and len(stripped) > self.max_length)
            or (self.min_sentences is not None and sentences < self.min_sentences)
        )


@dataclass
class BlockTable:
    entries: list[KindEntry] = field(default_factory=list)
    sentence_end: Pattern | None = None
    kind_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    timestamp_roles: list[list[str]] = field(default_factory=list)
    url_dates: list[Pattern] = field(default_factory=list)
    # `dates:` specs (rules/dates.yaml, then users'), read into DateNames on first use.
    date_specs: list[dict[str, Any]] = field(default_factory=list)
    _dates: DateNames | None = None
    # All RE2 entry patterns in one RE2 set: one pass per block tells which can match;
    # only those, and the entries the set cannot screen, are tried.
    _set: Any = None
    _set_entries: list[int] = field(default_factory=list)
    _unscreened: list[int] = field(default_factory=list)
    # Publisher, tag, locale, dimension blocks recur across a corpus: classify each text once.
    _memo: dict[tuple[str, int], tuple[str, Match | None]] = field(default_factory=dict)

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
        self._set = None
        self._memo.clear()
        if "sentence_end" in spec:
            self.sentence_end = compile_pattern(spec["sentence_end"])
        self.kind_fields.update(spec.get("kind_fields", {}))
        if "timestamp_roles" in spec:
            self.timestamp_roles = spec["timestamp_roles"]
        self.url_dates = [compile_pattern(p) for p in spec.get("url_dates", [])] + self.url_dates

    def add_dates(self, spec: dict[str, Any]) -> None:
        self.date_specs.append(spec)
        self._dates = None

    @property
    def dates(self) -> DateNames:
        """The words of dates; a new object after each change, so parse caches stay right."""
        if self._dates is None:
            self._dates = DateNames(self.date_specs)
        return self._dates

    def _entry_set(self) -> Any:
        if self._set is None:
            candidates = re2.Set.FullMatchSet(SET_OPTIONS)
            self._set_entries, self._unscreened = [], []
            for index, entry in enumerate(self.entries):
                if entry.pattern is not None and entry.pattern.engine == "re2" \
                        and added_to_set(candidates, entry.pattern.source) is not None:
                    self._set_entries.append(index)
                else:
                    self._unscreened.append(index)
            try:
                candidates.Compile()
            except re2.error:  # too big for a set: every entry is tried
                self._set_entries, self._unscreened = [], list(range(len(self.entries)))
            self._set = candidates
        return self._set

    def classify(self, stripped: str, line_count: int) -> tuple[str, Match | None]:
        """The kind of the first entry that matches, and its pattern match (for groups)."""
        if len(stripped) > MEMO_TEXT:  # long text (bodies) rarely recurs; keep memory flat
            return self._classify(stripped, line_count)
        key = (stripped, line_count)
        known = self._memo.get(key)
        if known is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            known = self._memo[key] = self._classify(stripped, line_count)
        return known

    def _classify(self, stripped: str, line_count: int) -> tuple[str, Match | None]:
        entry_set = self._entry_set()
        if len(stripped) > MAX_SET_TEXT:  # the set is not trusted: every entry is tried
            hits, proven = list(self._set_entries), set()
        else:
            hits = [self._set_entries[i] for i in (entry_set.Match(stripped) or ())]
            proven = set(hits)
        sentences = -1
        for index in sorted(hits + self._unscreened):  # table order: the first that holds wins
            entry = self.entries[index]
            if entry.min_sentences is not None and sentences < 0:
                sentences = self.sentences(stripped)
            if not entry.conditions_hold(line_count, stripped, sentences):
                continue
            if entry.pattern is None:
                return entry.kind, None
            if index in proven and not entry.pattern.group_names:
                return entry.kind, None  # the full-match set already proved it; no groups to read
            found = entry.pattern.fullmatch(stripped)
            if found:
                return entry.kind, found
        return "text", None

    def sentences(self, text: str) -> int:
        if self.sentence_end is None:
            return 0
        return sum(1 for _ in self.sentence_end.spans(text))

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
