"""Regular expressions that cannot hang the linter.

Patterns compile with google-re2 (linear time). A pattern RE2 cannot take (look-around,
backreferences) falls back to the `regex` module, and every search then runs with a
timeout: a catastrophic pattern costs at most `TIMEOUT_SECONDS` per block, never a hang.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import re2

TIMEOUT_SECONDS = 1.0

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 would print its parse errors to stderr
SET_OPTIONS = re2.Options()
SET_OPTIONS.log_errors = False
SET_OPTIONS.max_mem = 64 << 20


class PatternError(ValueError):
    """An invalid regular expression; `position` is the 0-based offset of the fault."""

    def __init__(self, message: str, pattern: str, position: int | None) -> None:
        super().__init__(message)
        self.pattern = pattern
        self.position = position

    def caret(self) -> str:
        """The pattern with a caret under the failing position, for error messages."""
        if self.position is None:
            return self.pattern
        return f"{self.pattern}\n{' ' * self.position}^"


class PatternTimeout(RuntimeError):
    """A fallback (non-RE2) pattern ran past its time budget."""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    groups: dict[str, str | None]
    spans: dict[str, tuple[int, int]]


class Pattern:
    """A compiled pattern with one interface over both engines."""

    def __init__(self, source: str) -> None:
        self.source = source
        try:
            self._compiled: Any = re2.compile(source, _RE2_OPTIONS)
            self.engine = "re2"
        except re2.error:
            import regex  # only for what RE2 cannot take

            try:
                self._compiled = regex.compile(source, regex.VERSION0)
            except regex.error as exc:
                raise PatternError(str(exc).split(" at position")[0], source, exc.pos) from None
            self.engine = "regex"
        self._groups = dict(self._compiled.groupindex)  # the re2 wrapper rebuilds it on each call

    def _call(self, method: str, text: str) -> Any:
        if self.engine == "re2":
            return getattr(self._compiled, method)(text)
        try:
            return getattr(self._compiled, method)(text, timeout=TIMEOUT_SECONDS)
        except TimeoutError:
            raise PatternTimeout(
                f"pattern {self.source!r} took longer than {TIMEOUT_SECONDS:g}s"
            ) from None

    def fullmatch(self, text: str) -> Match | None:
        found = self._call("fullmatch", text)
        return self._match(found) if found else None

    def search(self, text: str) -> Match | None:
        found = self._call("search", text)
        return self._match(found) if found else None

    def finditer(self, text: str) -> Iterator[Match]:
        if self.engine == "re2":
            for found in self._compiled.finditer(text):
                yield self._match(found)
            return
        try:
            for found in self._compiled.finditer(text, timeout=TIMEOUT_SECONDS):
                yield self._match(found)
        except TimeoutError:
            raise PatternTimeout(
                f"pattern {self.source!r} took longer than {TIMEOUT_SECONDS:g}s"
            ) from None

    def spans(self, text: str, group: str | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of each match, or of its `group` when that took part: no Match
        objects, for scans that only need positions."""
        index = self._groups.get(group) if group else None
        iterator = self._compiled.finditer(text) if self.engine == "re2" else \
            self._compiled.finditer(text, timeout=TIMEOUT_SECONDS)
        try:
            for found in iterator:
                span = found.span(index) if index is not None else (-1, -1)
                yield span if span[0] >= 0 else found.span()
        except TimeoutError:
            raise PatternTimeout(
                f"pattern {self.source!r} took longer than {TIMEOUT_SECONDS:g}s"
            ) from None

    def _match(self, found: Any) -> Match:
        if not self._groups:
            start, end = found.span()
            return Match(start, end, found.group(0), {}, {})
        groups = {name: found.group(number) for name, number in self._groups.items()}
        spans = {name: found.span(number) for name, number in self._groups.items() if groups[name] is not None}
        return Match(found.start(), found.end(), found.group(0), groups, spans)


class PatternSet:
    """Which of many patterns occur in a text, found in one RE2 pass: a screen that
    spares a `finditer` per pattern on the (many) texts where none of them occurs."""

    MEMO_SIZE = 10_000
    MEMO_TEXT = 400  # longer texts (bodies) rarely recur

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self._set = re2.Set.SearchSet(SET_OPTIONS)
        self._index: dict[str, int] = {}
        for pattern in patterns:
            if pattern.engine == "re2" and pattern.source not in self._index:
                try:
                    self._index[pattern.source] = self._set.Add(pattern.source)
                except ValueError:  # RE2 compiled it alone but the set refuses it: scan it always
                    continue
        self._set.Compile()
        self._memo: dict[str, frozenset[int]] = {}

    def screens(self, pattern: Pattern) -> bool:
        return pattern.source in self._index

    def may_match(self, pattern: Pattern, hits: frozenset[int]) -> bool:
        """False only when the set pass proved the pattern absent from the text of `hits`."""
        index = self._index.get(pattern.source)
        return index is None or index in hits

    def hits(self, text: str) -> frozenset[int]:
        if len(text) > self.MEMO_TEXT:
            return frozenset(self._set.Match(text) or ())
        known = self._memo.get(text)
        if known is None:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            known = self._memo[text] = frozenset(self._set.Match(text) or ())
        return known


_CACHE: dict[str, Pattern] = {}


def compile_pattern(source: str) -> Pattern:
    """Compile once per run; rules and block kinds share identical patterns."""
    pattern = _CACHE.get(source)
    if pattern is None:
        pattern = _CACHE[source] = Pattern(source)
    return pattern
