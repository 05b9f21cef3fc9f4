"""Regular expressions that cannot hang the linter.

Patterns compile with google-re2 (linear time). A pattern RE2 cannot take (look-around,
backreferences) falls back to the `regex` module, and every search then runs with a
timeout: a catastrophic pattern costs at most `TIMEOUT_SECONDS` per block, never a hang.
Within a rule's run over one document (see `start_budget`), all its fallback searches
share `RULE_BUDGET_SECONDS`: a pattern slow on each of thousands of small blocks gives
up on the file instead of taking hours.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import re2
from re2 import _re2

TIMEOUT_SECONDS = 1.0
RULE_BUDGET_SECONDS = 3.0
# Seconds left to the fallback searches of the rule running in this thread (`remaining`);
# None or unset outside a rule's run, where only the per-search limit applies.
_BUDGET = threading.local()

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 would print its parse errors to stderr
SET_OPTIONS = re2.Options()
SET_OPTIONS.log_errors = False
SET_OPTIONS.max_mem = 64 << 20
# RE2's set matcher gives up (and answers "no match") when its DFA runs out of memory;
# on texts this long the sets are not trusted and every pattern is tried.
MAX_SET_TEXT = 1_000_000
_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_ANCHOR_BOTH = _re2.RE2.Anchor.ANCHOR_BOTH


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


class PatternTimeout(Exception):
    """A fallback (non-RE2) pattern ran past its time budget."""


def start_budget(seconds: float | None = RULE_BUDGET_SECONDS) -> None:
    """From now on, fallback searches in this thread share `seconds` in all (None: no
    shared budget, the per-search limit only). The engine starts one per rule and document."""
    _BUDGET.remaining = seconds


# `__init__` written out, as model.Block's: compiled, it is native, where the dataclass's
# generated one is a Python function (some 7,000 instructions a match).
@dataclass(slots=True, init=False)
class Match:
    start: int
    end: int
    text: str
    groups: dict[str, str | None]
    spans: dict[str, tuple[int, int]]

    def __init__(self, start: int, end: int, text: str, groups: dict[str, str | None],
                 spans: dict[str, tuple[int, int]]) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.groups = groups
        self.spans = spans


class Pattern:
    """A pattern with one interface over both engines, compiled on first use: a run
    compiles only the patterns it searches with (RE2 takes milliseconds for a pattern of
    large Unicode classes, and most of a one-file run was spent compiling).

    A pattern a kept pack holds knows its engine from the run that kept it, without
    compiling; while one RE2 runs is not compiled, its sketch (`sketch_of`: each Unicode
    class widened to any character, some twenty times cheaper to compile) answers for
    the texts it cannot match: most of the texts a one-file run tries its costliest
    block-table rows on."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: Any = None
        self._engine = ""
        self._groups: dict[str, int] = {}
        # The engine and group names a kept pack gives (it compiled there), while not compiled here.
        self._known = ""
        self._known_groups: list[str] = []
        self._sketch: Any = None  # RE2's core for the sketch; False: none
        self._latin: Any = None  # RE2's core (Latin-1) for the Latin-1 sketch; False: none
        self._latin_groups: dict[str, int] | None = None  # its group numbers by name (the pattern's)
        self._latin_source: Any = None  # the Latin-1 sketch as a kept pack gives it ("": none); None: not known

    def __reduce__(self) -> tuple[Any, tuple[str, str, list[str], str]]:
        """Pickled as its source, engine, group names and Latin-1 sketch (a kept pack,
        `provlint.packcache`): compiled again on use; the sketch is written once, here."""
        engine, groups = (self._engine, list(self._groups)) if self._engine else (self._known, self._known_groups)
        latin = self._latin_source
        if latin is None:
            latin = (latin_sketch_of(self.source) or "") if engine == "re2" else ""
        return kept_pattern, (self.source, engine, groups, latin)

    def compile(self) -> None:
        """Compile now (once). Raises PatternError for a pattern neither engine takes."""
        if self._engine:
            return
        try:
            compiled: Any = re2.compile(self.source, _RE2_OPTIONS)
            engine = "re2"
        except re2.error:
            import regex  # only for what RE2 cannot take

            try:
                compiled = regex.compile(self.source, regex.VERSION0)
            except regex.error as exc:
                raise PatternError(str(exc).split(" at position")[0], self.source, exc.pos) from None
            engine = "regex"
        self._groups = dict(compiled.groupindex)  # the re2 wrapper rebuilds it on each call
        self._compiled, self._engine = compiled, engine

    @property
    def engine(self) -> str:
        """"re2", or "regex" for what RE2 cannot take (look-around, backreferences)."""
        if not self._engine and self._known:
            return self._known
        self.compile()
        return self._engine

    @property
    def group_names(self) -> list[str]:
        if not self._engine and self._known:
            return list(self._known_groups)
        self.compile()
        return list(self._groups)

    def cannot_match(self, text: str, whole: bool = False) -> bool:
        """True when the pattern surely does not match in `text` (the whole of it with
        `whole`), known without compiling it; False when it may (or is compiled).

        Asked first of the Latin-1 sketch (`latin_sketch_of`, read over the text with each
        character past U+00FF made the placeholder), else of the Unicode sketch (`sketch_of`)."""
        if self._engine or self._known != "re2":
            return False
        latin = self._latin
        if latin is None:
            latin = self._latin = _latin_core(self.source, self._latin_source)
        if latin is not False:
            data = _latin_text(text)
            if data is not None:
                return latin.Match(_ANCHOR_BOTH if whole else _UNANCHORED, data, 0, len(data))[0][0] < 0
        sketch = self._sketch
        if sketch is None:
            widened = sketch_of(self.source)
            sketch = None if widened is None else _re2.RE2(widened.encode("utf-8"), _RE2_OPTIONS)
            sketch = self._sketch = sketch if sketch is not None and sketch.ok() else False
        if sketch is False:
            return False
        try:
            data = encoded(text)[0]  # the text's bytes for RE2, made once for every pattern and set
        except UnicodeError:  # a lone surrogate: the pattern itself says what it says of it
            return False
        return sketch.Match(_ANCHOR_BOTH if whole else _UNANCHORED, data, 0, len(data))[0][0] < 0

    def _exact_latin(self, text: str) -> bytes | None:
        """The text's Latin-1 bytes when the pattern is not compiled and its Latin-1 sketch
        reads the text exactly (each character Latin-1, none PLACEHOLDER): the sketch's
        matches are then the pattern's, at the same offsets (a byte a character), so the
        pattern is not compiled for it (RE2 takes milliseconds for one of large Unicode
        classes, most of a one-file run's compiling). None otherwise."""
        if self._engine or self._known != "re2":
            return None
        latin = self._latin
        if latin is None:
            latin = self._latin = _latin_core(self.source, self._latin_source)
        if latin is False:
            return None
        return _latin_exact(text)

    def _latin_group_numbers(self) -> dict[str, int]:
        groups = self._latin_groups
        if groups is None:
            groups = self._latin_groups = {name.decode("latin-1"): number
                                           for name, number in self._latin.NamedCapturingGroups()}
        return groups

    def latin_fullmatch(self, text: str) -> tuple[bool, Match | None]:
        """(True, `fullmatch`) when the Latin-1 sketch reads `text` exactly (the pattern
        not compiled, `_exact_latin`); (False, None) when it cannot say."""
        data = self._exact_latin(text)
        if data is None:
            return False, None
        return True, self._latin_match(text, data, _ANCHOR_BOTH)

    def _latin_match(self, text: str, data: bytes, anchor: Any) -> Match | None:
        """The Latin-1 sketch's first match in `data` (`_exact_latin`'s bytes of `text`)."""
        spans = self._latin.Match(anchor, data, 0, len(data))
        return match_of(text, spans, self._latin_group_numbers()) if spans[0][0] >= 0 else None

    def re2_core(self) -> Any:
        """RE2's compiled core (`Match(anchor, utf8_bytes, start, end)` gives byte spans, the
        first (-1, -1) for no match), None when the `regex` module runs the pattern: for a
        caller asking many patterns whether one text matches, the text encoded once."""
        self.compile()
        return self._compiled._regexp if self._engine == "re2" else None

    def fullmatch(self, text: str) -> Match | None:
        exact, found = self.latin_fullmatch(text)
        if exact:
            return found
        if self.cannot_match(text, whole=True):
            return None
        return next(self._matches(text, _ANCHOR_BOTH, "fullmatch"), None)

    def search(self, text: str) -> Match | None:
        data = self._exact_latin(text)
        if data is not None:
            return self._latin_match(text, data, _UNANCHORED)
        if self.cannot_match(text):
            return None
        return next(self._matches(text, _UNANCHORED, "search"), None)

    def finditer(self, text: str) -> Iterator[Match]:
        data = self._exact_latin(text)
        if data is not None:
            groups = self._latin_group_numbers()
            return iter([match_of(text, spans, groups) for spans in _byte_spans(self._latin, data, _UNANCHORED)])
        if self.cannot_match(text):
            return iter(())
        return self._matches(text, _UNANCHORED, "finditer")

    def spans(self, text: str, group: str | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of each match, or of its `group` when that took part: no Match
        objects, for scans that only need positions."""
        if not self._engine:
            data = self._exact_latin(text)
            if data is not None:
                yield from self._latin_spans(data, group)
                return
            if self.cannot_match(text):
                return
            self.compile()
        index = self._groups.get(group, 0) if group else 0
        if self._engine == "re2":
            for spans in _re2_spans(self._compiled._regexp, text, _UNANCHORED):
                span = spans[index]
                yield span if span[0] >= 0 else spans[0]
            return
        for found in self._regex_calls(text, "finditer"):
            span = found.span(index)
            yield span if span[0] >= 0 else found.span()

    def every_span(self, text: str, group: str | None = None) -> Iterable[tuple[int, int]]:
        """`spans` as a list when RE2 runs the pattern (one generator step a match, not
        two); the `regex` module's searches stay lazy, each under the time budget."""
        if not self._engine:
            data = self._exact_latin(text)
            if data is not None:
                return self._latin_spans(data, group)
            if self.cannot_match(text):
                return ()
            self.compile()
        if self._engine != "re2":
            return self.spans(text, group)
        index = self._groups.get(group, 0) if group else 0
        return [spans[index] if spans[index][0] >= 0 else spans[0]
                for spans in _re2_spans(self._compiled._regexp, text, _UNANCHORED)]

    def occurs(self, text: str) -> bool:
        """Whether the pattern matches somewhere in `text`: one search, no match made."""
        if not self._engine:
            data = self._exact_latin(text)
            if data is not None:
                return bool(self._latin.Match(_UNANCHORED, data, 0, len(data))[0][0] >= 0)
            if self.cannot_match(text):
                return False
            self.compile()
        if self._engine == "re2":
            data = encoded(text)[0]
            return bool(self._compiled._regexp.Match(_UNANCHORED, data, 0, len(data))[0][0] >= 0)
        return next(self._regex_calls(text, "search"), None) is not None

    def _latin_spans(self, data: bytes, group: str | None) -> list[tuple[int, int]]:
        """`every_span` over a text the Latin-1 sketch reads exactly (`_exact_latin`)."""
        index = self._latin_group_numbers().get(group, 0) if group else 0
        return [spans[index] if spans[index][0] >= 0 else spans[0]
                for spans in _byte_spans(self._latin, data, _UNANCHORED)]

    def _matches(self, text: str, anchor: Any, method: str) -> Iterator[Match]:
        self.compile()
        if self._engine == "re2":
            for spans in _re2_spans(self._compiled._regexp, text, anchor):
                yield self._match(text, spans)
            return
        for found in self._regex_calls(text, method):
            yield self._match(text, [found.span(number) for number in range(self._compiled.groups + 1)])

    def _regex_calls(self, text: str, method: str) -> Iterator[Any]:
        """The `regex` module's matches, each search under the per-search limit and within
        the rule's budget (the time spent between matches, by the caller, is not counted)."""
        timeout = self._time_allowed()
        if method == "finditer":
            matches = self._compiled.finditer(text, timeout=timeout)
            while True:
                started = time.monotonic()
                try:
                    found = next(matches, None)
                except TimeoutError:
                    raise self._timed_out(timeout) from None
                finally:
                    _charge(started)
                if found is None:
                    return
                yield found
                self._time_allowed()  # the budget may be spent by now: give up before the next search
        started = time.monotonic()
        try:
            found = getattr(self._compiled, method)(text, timeout=timeout)
        except TimeoutError:
            raise self._timed_out(timeout) from None
        finally:
            _charge(started)
        if found:
            yield found

    def _time_allowed(self) -> float:
        """The next search's timeout: the per-search limit, or what is left of the budget."""
        remaining = getattr(_BUDGET, "remaining", None)
        if remaining is None:
            return TIMEOUT_SECONDS
        if remaining <= 0:
            raise self._timed_out(0.0)
        return min(TIMEOUT_SECONDS, remaining)

    def _timed_out(self, timeout: float) -> PatternTimeout:
        if timeout < TIMEOUT_SECONDS:  # cut short by the budget, not by the per-search limit
            return PatternTimeout(f"pattern {self.source!r} used up the {RULE_BUDGET_SECONDS:g}s a rule's "
                                  "look-around patterns may take on one file; the rest of the file was not searched")
        return PatternTimeout(f"pattern {self.source!r} took longer than {TIMEOUT_SECONDS:g}s")

    def _match(self, text: str, spans: list[tuple[int, int]]) -> Match:
        return match_of(text, spans, self._groups)


def match_of(text: str, spans: list[tuple[int, int]], names: dict[str, int]) -> Match:
    """The Match in `text` of these character spans (the whole match's first, then each
    group's; (-1, -1) for a group that took no part), its groups by `names`."""
    start, end = spans[0]
    groups: dict[str, str | None] = {}
    group_spans: dict[str, tuple[int, int]] = {}
    for name, number in names.items():
        group_start, group_end = spans[number]
        if group_start < 0:
            groups[name] = None
        else:
            groups[name] = text[group_start:group_end]
            group_spans[name] = (group_start, group_end)
    return Match(start, end, text[start:end], groups, group_spans)


def _charge(started: float) -> None:
    """Take the time since `started` off the running rule's budget, if one is running."""
    remaining = getattr(_BUDGET, "remaining", None)
    if remaining is not None:
        _BUDGET.remaining = remaining - (time.monotonic() - started)


# The UTF-8 bytes of the last long texts searched, and whether each is ASCII: a body is
# searched by several rules' patterns and sets, which would each encode it again.
_ENCODED: dict[str, tuple[bytes, bool]] = {}
MAX_ENCODED = 16
MIN_ENCODED_TEXT = 200  # shorter texts cost less to encode than to look up
MAX_ENCODED_TEXT = 1_000_000


def encoded(text: str) -> tuple[bytes, bool]:
    """The text as RE2 reads it (UTF-8), and whether it is ASCII: a long text's made once
    for every pattern, set and block-table row that reads it."""
    if not MIN_ENCODED_TEXT <= len(text) <= MAX_ENCODED_TEXT:
        return (text.encode("ascii"), True) if text.isascii() else (text.encode("utf-8"), False)
    known = _ENCODED.get(text)
    if known is None:
        if len(_ENCODED) >= MAX_ENCODED:
            _ENCODED.clear()
        known = _ENCODED[text] = (text.encode("ascii"), True) if text.isascii() else (text.encode("utf-8"), False)
    return known


def _re2_spans(core: Any, text: str, anchor: Any) -> Iterator[list[tuple[int, int]]]:
    """Each match's group spans in characters, straight from RE2's compiled core.

    google-re2's `finditer`/`search` wrap every match in a generator step, a match object
    and a per-offset decode: 4-10 times the cost of the match itself.
    """
    data, ascii_only = encoded(text)
    return _byte_spans(core, data, anchor, ascii_only)


def _byte_spans(core: Any, data: bytes, anchor: Any, one_byte: bool = True) -> Iterator[list[tuple[int, int]]]:
    """`_re2_spans` over a text's bytes: of one byte a character (ASCII, or Latin-1 for a
    sketch), its byte spans are character spans; else UTF-8 offsets become character
    offsets, counted from the previous offset (linear)."""
    position, end = 0, len(data)
    last_byte = last_char = 0
    while True:
        spans = core.Match(anchor, data, position, end)
        match_start, match_end = spans[0]
        if match_start < 0:
            return
        if one_byte:
            yield spans
        else:
            chars = {-1: -1}
            for offset in sorted({offset for span in spans for offset in span if offset >= 0}):
                last_char += _re2.BytesToCharLen(data, last_byte, offset)
                last_byte = offset
                chars[offset] = last_char
            yield [(chars[start], chars[stop]) for start, stop in spans]
        if anchor is _ANCHOR_BOTH:
            return
        if match_end > match_start:
            position = match_end
        elif match_end == end:
            return
        else:  # an empty match: the next one starts a character later (as in Python's `re`)
            position = match_end + (1 if one_byte else _re2.CharLenToBytes(data, match_end, 1))


# The Latin-1 bytes of the last long texts read exactly by Latin-1 sketches (b"": not such a text).
_LATIN_EXACT: dict[str, bytes] = {}


def _latin_exact(text: str) -> bytes | None:
    """`text` in Latin-1 when each of its characters is Latin-1 and none is PLACEHOLDER
    (a Latin-1 sketch reads it exactly); else None."""
    if not MIN_ENCODED_TEXT <= len(text) <= MAX_ENCODED_TEXT:
        return _latin_bytes(text)
    known = _LATIN_EXACT.get(text)
    if known is None:
        if len(_LATIN_EXACT) >= MAX_ENCODED:
            _LATIN_EXACT.clear()
        found = _latin_bytes(text)
        known = _LATIN_EXACT[text] = b"" if found is None else found
    return known or None


def _latin_bytes(text: str) -> bytes | None:
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return None
    return None if _PLACEHOLDER_BYTE in data else data


class PatternSet:
    """Which of many patterns occur in a text, found in one RE2 pass: a screen that
    spares a `finditer` per pattern on the (many) texts where none of them occurs."""

    MEMO_SIZE = 10_000
    MEMO_TEXT = 400  # longer texts (bodies) rarely recur

    def __init__(self, patterns: Iterable[Pattern], parts: bool = False) -> None:
        """With `parts`, texts are parts joined by blank lines and the set answers whether
        a pattern may match inside some part: `^` and `$` are read at every line start and
        end (a superset of where they match in one part), and a pattern with `\\A` or
        `\\z`, which a joined text cannot answer for, is not screened."""
        # RE2's set core, called directly: the wrapper's `Match` is interpreted Python (two
        # frames for a str), run once per document and per block asked.
        self._set = _re2.Set(_UNANCHORED, SET_OPTIONS)
        self._index: dict[str, int] = {}
        for pattern in patterns:
            if pattern.engine != "re2" or pattern.source in self._index:
                continue
            source = pattern.source
            if parts:
                if "\\A" in source or "\\z" in source:
                    continue
                source = f"(?m:{source})"
            number = added_to_set(self._set, source)
            if number is not None:
                self._index[pattern.source] = number
        if not self._set.Compile():  # too big for a set: nothing is screened, everything is scanned
            self._index = {}
        self._every = frozenset(self._index.values())
        self._memo: dict[str, frozenset[int]] = {}

    def position(self, pattern: Pattern) -> int | None:
        """The pattern's number in the set, None when the set cannot screen it."""
        return self._index.get(pattern.source)

    def hits(self, text: str) -> frozenset[int]:
        if len(text) > self.MEMO_TEXT:
            if len(text) > MAX_SET_TEXT:
                return self._every
            return frozenset(self._set.Match(encoded(text)[0]))
        known = self._memo.get(text)
        if known is None:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            known = self._memo[text] = frozenset(self._set.Match(text.encode("utf-8")))
        return known

    def joined_hits(self, texts: list[str]) -> tuple[frozenset[int], bool]:
        """`hits` of the texts joined by blank lines, and whether they are ASCII: the short
        blocks of a document (`checks.pattern` matches each long one apart), joined and
        encoded at once, not one call each."""
        joined = "\n\n".join(texts)
        if len(joined) <= self.MEMO_TEXT:
            return self.hits(joined), joined.isascii()
        if len(joined) > MAX_SET_TEXT:
            return self._every, joined.isascii()
        # Not `encoded`: nothing else reads the joined text, which would take a place in its memo.
        return frozenset(self._set.Match(joined.encode("utf-8"))), joined.isascii()


def added_to_set(pattern_set: Any, source: str) -> int | None:
    """The pattern's number in an RE2 set (its core, `_re2.Set`), or None when the set
    refuses a pattern RE2 compiles alone (it is then scanned on its own, never screened)."""
    number: int = pattern_set.Add(source.encode("utf-8"))
    return number if number >= 0 else None


def sketch_of(source: str) -> str | None:
    """The pattern with each Unicode property (`\\p{L}`, `\\PN`) and each bracket class
    holding one widened to any character: it matches wherever the pattern does (each
    replaced atom matched one character, and still does), and RE2 compiles it without
    the UTF-8 automata of those classes, their cost. None when nothing is widened or the
    source holds what is not read here (`\\Q…\\E`, an unclosed class)."""
    out: list[str] = []
    at, end, widened = 0, len(source), False
    while at < end:
        char = source[at]
        if char == "\\":
            code = source[at + 1 : at + 2]
            if code in ("p", "P"):
                if source[at + 2 : at + 3] == "{":
                    close = source.find("}", at + 3)
                    if close < 0:
                        return None
                    at = close + 1
                else:
                    at += 3
                out.append(_ANY)
                widened = True
                continue
            if code in ("Q", ""):
                return None
            out.append(source[at : at + 2])
            at += 2
            continue
        if char == "[":
            close, has_property = _class_end(source, at)
            if close < 0:
                return None
            out.append(_ANY if has_property else source[at : close + 1])
            widened = widened or has_property
            at = close + 1
            continue
        out.append(char)
        at += 1
    return "".join(out) if widened else None


_ANY = "(?s:.)"


def _class_end(source: str, start: int) -> tuple[int, bool]:
    """Where the bracket class opening at `start` closes (-1: it does not), and whether
    it holds a Unicode property."""
    at = start + 1
    if source[at : at + 1] == "^":
        at += 1
    if source[at : at + 1] == "]":  # a first `]` is itself a member
        at += 1
    has_property = False
    while at < len(source):
        char = source[at]
        if char == "]":
            return at, has_property
        if char == "\\":
            has_property = has_property or source[at + 1 : at + 2] in ("p", "P")
            at += 2
        elif source.startswith("[:", at):
            close = source.find(":]", at + 2)
            if close < 0:
                return -1, has_property
            at = close + 2
        else:
            at += 1
    return -1, has_property


# The Latin-1 sketch: RE2 compiles a pattern for Latin-1 text (one byte a character)
# without the UTF-8 automata of its Unicode classes and case folds, tens of times faster.
# A text is read as its Latin-1 bytes with each character past U+00FF made PLACEHOLDER,
# and the sketch lets PLACEHOLDER through wherever the pattern could take such a character.
PLACEHOLDER = "\x1a"
_PLACEHOLDER_BYTE = b"\x1a"
_LATIN_OPTIONS = re2.Options()
_LATIN_OPTIONS.log_errors = False
_LATIN_OPTIONS.encoding = re2.Options.Encoding.LATIN1
# Characters past U+00FF whose case folds hold Latin-1 ones (`(?i)\x{212a}` matches `k`),
# and the Latin-1 letters whose folds hold characters past U+00FF (`(?i)k` matches U+212A).
_FOLDS_INTO_LATIN = frozenset("\u0130\u0131\u0178\u017f\u039c\u03bc\u1e9e\u212a\u212b")
_FOLDS_OUT_OF_LATIN = frozenset("iIkKsS\u00b5\u00c5\u00df\u00e5\u00ff")
_CASE_FLAG = re.compile(r"\(\?[a-zA-Z-]*i[a-zA-Z-]*[:)]")
_ESCAPED_CHARS = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}


class _NoSketch(Exception):
    """A construct the Latin-1 sketch does not read: the pattern gets none."""


def latin_sketch_of(source: str) -> str | None:
    """The pattern as RE2 reads Latin-1 text, with PLACEHOLDER for every character past
    U+00FF: each atom that could match such a character also matches PLACEHOLDER, and
    such characters in the pattern become PLACEHOLDER. It matches the placeholder text
    wherever the pattern matches the text (exactly where, for a Latin-1 text without
    PLACEHOLDER). None when the source holds what is not read here (`\\Q…\\E`, `\\C`, a
    range ending past U+00FF, a Unicode class not known here where case is ignored: RE2
    compiles those slowly for Latin-1)."""
    folded = _CASE_FLAG.search(source) is not None
    try:
        return "".join(_LatinSketch(source, folded).atoms())
    except (_NoSketch, ValueError, IndexError):
        return None


class _LatinSketch:
    def __init__(self, source: str, folded: bool) -> None:
        self.source = source
        self.folded = folded  # some part is case-insensitive: letters whose folds leave Latin-1 let PLACEHOLDER through
        self.at = 0
        # Whether case is ignored here (`(?i)`, `(?i:…)`), and in each enclosing group: a
        # property's Latin-1 members where it is take the characters its folds bring.
        self.ignoring_case = False
        self.enclosing: list[bool] = []

    def atoms(self) -> Iterator[str]:
        source, end = self.source, len(self.source)
        while self.at < end:
            char = source[self.at]
            if char == "\\":
                text, code = self.escape()
                if code is None:
                    yield self.latin_property(text) if text[1] in "pP" else text
                else:
                    yield self.literal(text, code)
            elif char == "[":
                yield self.bracket()
            elif char == "(" and source.startswith("(?", self.at):
                head = self.group_head()
                self.enter(head)
                yield head
            elif char in "()":
                if char == "(":
                    self.enclosing.append(self.ignoring_case)
                elif self.enclosing:
                    self.ignoring_case = self.enclosing.pop()
                self.at += 1
                yield char
            else:
                self.at += 1
                yield self.literal(char, ord(char))

    def literal(self, text: str, code: int) -> str:
        if code > 0xFF:
            if chr(code) in _FOLDS_INTO_LATIN:
                raise _NoSketch
            return PLACEHOLDER
        if self.folded and chr(code) in _FOLDS_OUT_OF_LATIN:
            return f"(?:{text}|{PLACEHOLDER})"
        return text

    def enter(self, head: str) -> None:
        """Follow a group head's flags: `(?i)` ignores case to the end of the enclosing
        group, `(?i:` within its own; `(?-i` stops ignoring it."""
        ignoring = self.ignoring_case
        if not head.startswith(("(?P<", "(?<")):
            on, _, off = head[2:-1].partition("-")
            ignoring = (ignoring or "i" in on) and "i" not in off
        if head.endswith(")"):
            self.ignoring_case = ignoring
        else:
            self.enclosing.append(self.ignoring_case)
            self.ignoring_case = ignoring

    def latin_property(self, text: str) -> str:
        """A Unicode property (`\\p{Lu}`, `\\PN`) as the class of its Latin-1 members and
        PLACEHOLDER: RE2 reads a property's whole Unicode table even for Latin-1 (most of
        a sketch's compiling); the members written out, it does not."""
        members = _latin_members(text, self.ignoring_case)
        if members is None and self.ignoring_case:
            raise _NoSketch
        return f"[{members}{PLACEHOLDER}]" if members is not None else f"(?:{text}|{PLACEHOLDER})"

    def group_head(self) -> str:
        """`(?:`, `(?i)`, `(?P<name>`, copied whole (flags and names are not atoms)."""
        source, start = self.source, self.at
        close = source.index(">", start) if source.startswith(("(?P<", "(?<"), start) else start + 2
        while source[close] not in ":)>":
            close += 1
        self.at = close + 1
        return source[start : self.at]

    def escape(self) -> tuple[str, int | None]:
        """An escape's text and the character it stands for (None: a class, `\\d`, or an
        assertion, `\\b`; neither takes a character past U+00FF but `\\p` and `\\P`)."""
        source, start = self.source, self.at
        code = source[start + 1]
        if code in "QC":
            raise _NoSketch
        if code in "pP":
            if source[start + 2] == "{":
                self.at = source.index("}", start) + 1
            else:
                self.at = start + 3
            return source[start : self.at], None
        if code == "x":
            if source[start + 2] == "{":
                close = source.index("}", start)
                self.at = close + 1
                return source[start : self.at], int(source[start + 3 : close], 16)
            self.at = start + 4
            return source[start : self.at], int(source[start + 2 : self.at], 16)
        if code in "01234567":
            stop = start + 2
            while stop < start + 4 and source[stop : stop + 1] in tuple("01234567"):
                stop += 1
            self.at = stop
            return source[start:stop], int(source[start + 1 : stop], 8)
        self.at = start + 2
        if code in _ESCAPED_CHARS:
            return source[start : self.at], _ESCAPED_CHARS[code]
        if code.isalnum() or code == "_":
            return source[start : self.at], None
        return source[start : self.at], ord(code)

    def bracket(self) -> str:
        """A bracket class with its members past U+00FF dropped (a range's end brought down
        to U+00FF), as an alternative to PLACEHOLDER: every class may take such a character
        (a negated one, a Unicode class, a case-folded one, or one that listed it)."""
        source = self.source
        self.at += 1
        negated = source[self.at] == "^"
        if negated:
            self.at += 1
        members: list[tuple[str, int | None]] = []
        first = True
        while first or source[self.at] != "]":
            char = source[self.at]
            if char == "\\":
                members.append(self.escape())
            elif source.startswith("[:", self.at):
                close = source.index(":]", self.at) + 2
                members.append((source[self.at : close], None))
                self.at = close
            else:
                members.append((char, ord(char)))
                self.at += 1
            first = False
        self.at += 1
        kept: list[str] = []
        lost = False  # members past U+00FF left out: the placeholder stands for them
        index = 0
        while index < len(members):
            text, code = members[index]
            if index + 2 < len(members) and members[index + 1] == ("-", ord("-")):
                high_text, high = members[index + 2]
                if code is None or high is None:
                    raise _NoSketch
                if high > 0xFF:
                    self.dropped(max(code, 0x100), high)
                    lost = True
                if code <= 0xFF:
                    kept.append(f"{text}-{high_text}" if high <= 0xFF else f"{text}-\\xff")
                index += 3
                continue
            if code is None or code <= 0xFF:
                latin = _latin_members(text, self.ignoring_case) if code is None and text[1] in "pP" else None
                if latin is None and code is None and text[1] in "pP" and self.ignoring_case:
                    raise _NoSketch
                if latin != "":  # none of a property's characters is Latin-1: nothing to keep
                    kept.append(text if latin is None else latin)
            else:
                self.dropped(code, code)
                lost = True
            index += 1
        if not kept:
            return "(?s:.)" if negated else PLACEHOLDER
        bracket = f"[{'^' if negated else ''}{''.join(kept)}]"
        wide = negated or self.folded or lost or any(
            code is None and (text[1] in "pPSWD" or text.startswith("[:^")) for text, code in members)
        return f"(?:{bracket}|{PLACEHOLDER})" if wide else bracket


    def dropped(self, low: int, high: int) -> None:
        """Members from `low` to `high` (past U+00FF) left out of a class: the placeholder
        stands for them, unless case folds bring Latin-1 letters with them."""
        if self.folded and any(low <= ord(char) <= high for char in _FOLDS_INTO_LATIN):
            raise _NoSketch


# Scripts without a Latin-1 character: a property of one is PLACEHOLDER alone.
_SCRIPTS_PAST_LATIN = frozenset((
    "Arabic", "Armenian", "Bengali", "Cyrillic", "Devanagari", "Georgian", "Greek", "Han", "Hangul", "Hebrew",
    "Hiragana", "Katakana", "Khmer", "Lao", "Myanmar", "Tamil", "Thai"))
_CATEGORIES = frozenset((
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
    "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs"))
_LATIN_MEMBERS: dict[tuple[str, bool], str | None] = {}
# The characters past U+00FF that case folding takes for Latin-1 letters (besides their
# upper and lower case): `k` is KELVIN SIGN too, `s` LONG S, `µ` GREEK SMALL MU.
_FOLD_PARTNERS = {"k": "\u212a", "s": "\u017f", "\u00e5": "\u212b", "\u00df": "\u1e9e", "\u00b5": "\u03bc"}
_GREEK_FOLDS = frozenset("\u039c\u03bc")


def _fold_orbit(char: str) -> set[str]:
    """`char` and the characters case folding takes for it (RE2's simple folds)."""
    orbit = {char}
    for _ in range(2):
        for member in list(orbit):
            for other in (member.lower(), member.upper(), _FOLD_PARTNERS.get(member.lower(), "")):
                if len(other) == 1:
                    orbit.add(other)
    return orbit


def _has_property(char: str, name: str) -> bool:
    """Whether `char` (Latin-1, or a fold of one) has the property `name` (one known here)."""
    if name == "Any":
        return True
    if name in _CATEGORIES:
        return unicodedata.category(char).startswith(name)
    # The Latin script's: the letters but MICRO SIGN (Common), and their folds but MU (Greek).
    latin = unicodedata.category(char).startswith("L") and char != "\u00b5" and char not in _GREEK_FOLDS
    if name == "Latin":
        return latin
    if name == "Common":
        return char <= "\u00ff" and not latin
    return name == "Greek" and char in _GREEK_FOLDS


def _latin_members(escape: str, ignoring_case: bool = False) -> str | None:
    """The Latin-1 characters of a property escape (`\\p{Lu}`, `\\pL`, `\\P{Han}`,
    `\\p{^Greek}`) as bracket-class members (with `ignoring_case`, those whose case folds
    have the property, as RE2 reads it under `(?i)`); None for a property not known here
    (the general categories, `Any`, and the scripts above are)."""
    known = (escape, ignoring_case)
    if known in _LATIN_MEMBERS:
        return _LATIN_MEMBERS[known]
    name = escape[3:-1] if escape[2:3] == "{" else escape[2:]
    negated = escape[1] == "P"
    if name.startswith("^"):
        name, negated = name[1:], not negated
    codes: set[int] | None = None
    if name in _CATEGORIES or name in _SCRIPTS_PAST_LATIN or name in ("Any", "Latin", "Common"):
        codes = {code for code in range(0x100)
                 if any(_has_property(char, name) for char in (_fold_orbit(chr(code)) if ignoring_case else {chr(code)}))}
    members: str | None = None
    if codes is not None:
        if negated:
            codes = set(range(0x100)) - codes
        members = "".join(f"\\x{{{low:02x}}}" if low == high else f"\\x{{{low:02x}}}-\\x{{{high:02x}}}"
                          for low, high in _ranges(sorted(codes)))
    _LATIN_MEMBERS[known] = members
    return members


def _ranges(codes: list[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive codes as (first, last)."""
    start = previous = -2
    for code in codes:
        if code != previous + 1:
            if start >= 0:
                yield start, previous
            start = code
        previous = code
    if start >= 0:
        yield start, previous


def _latin_core(source: str, sketch: str | None = None) -> Any:
    """RE2's core for the pattern's Latin-1 sketch (`sketch`, when already written: "" for
    none); False when it has none."""
    if sketch is None:
        sketch = latin_sketch_of(source)
    if not sketch:
        return False
    core = _re2.RE2(sketch.encode("latin-1"), _LATIN_OPTIONS)
    return core if core.ok() else False


class _Surrogate(Exception):
    pass


def _placeholders(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    if any(0xD800 <= ord(char) <= 0xDFFF for char in error.object[error.start : error.end]):  # no surrogate literal: mypyc refuses one
        raise _Surrogate
    return PLACEHOLDER * (error.end - error.start), error.end


codecs.register_error("provlint-placeholder", _placeholders)


def _latin_text(text: str) -> bytes | None:
    """The text as the Latin-1 sketch reads it; None for a text with a lone surrogate."""
    try:
        return text.encode("latin-1", "provlint-placeholder")
    except _Surrogate:
        return None


_CACHE: dict[str, Pattern] = {}


def longest_first(texts: Iterable[str]) -> list[str]:
    """The distinct texts, longest first and ties by text: an alternation of them tries
    `Sputnik News` before `Sputnik`, and every process writes the same source (set order
    would differ, and a pack keeps its patterns by source)."""
    return sorted(sorted(set(texts)), key=len, reverse=True)


def spaced(phrase: str) -> str:
    """A phrase as pattern source: its words escaped, any white space between them."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def compile_pattern(source: str) -> Pattern:
    """The pattern of `source`, compiled on first use, once per run: rules and block
    kinds share identical patterns. `Pattern.compile` checks it at once."""
    pattern = _CACHE.get(source)
    if pattern is None:
        pattern = _CACHE[source] = Pattern(source)
    return pattern


def kept_pattern(source: str, engine: str, groups: list[str], latin: str | None = None) -> Pattern:
    """A pattern as a kept pack gives it back: `compile_pattern`'s, knowing its engine
    and group names when the pack's run had compiled it, and its Latin-1 sketch (`latin`,
    "" for none) when written there."""
    pattern = compile_pattern(source)
    if not pattern._engine and engine:
        pattern._known, pattern._known_groups = engine, groups
        if pattern._latin_source is None:
            pattern._latin_source = latin
    return pattern


def known_patterns() -> list[Pattern]:
    """Every pattern made so far (kept with a pack: unpickled, each is known again)."""
    return list(_CACHE.values())


def compile_known() -> None:
    """Compile every pattern made so far: a process about to fork workers (or test runs)
    compiles them once, not once in each child."""
    for pattern in list(_CACHE.values()):
        with contextlib.suppress(PatternError):  # reported where the pattern is used
            pattern.compile()
