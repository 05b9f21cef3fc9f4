"""The block classification table: data from `rules/blocks.yaml` and users' files.

One module past 300 lines on purpose: the rows and the classification that reads them
change together, so they are not split apart (how a row is screened is `rowscreen.py`)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from mypy_extensions import mypyc_attr
from re2 import _re2

from provlint.datenames import DateNames
from provlint.patterns import Match, Pattern, PatternTimeout, compile_pattern, encoded, match_of
from provlint.readers.plainregex import python_twin
from provlint.readers.residue import Residue, ResiduePattern
from provlint.readers.rowscreen import RowScreen, may_hold_below, probe_mask

MEMO_SIZE = 10_000
MEMO_TEXT = 400
SKETCHED_TEXTS = 32
# A set of more alternatives costs more `in` tests than the row's RE2 call it may spare.
MAX_CHOICES = 16
WIDE = 0x800  # from here on a character takes three or more bytes of UTF-8
_WIDE_LEADS = bytes(1 if byte >= 0xE0 else 0 for byte in range(256))  # the bytes that lead those
_WHOLE = _re2.RE2.Anchor.ANCHOR_BOTH
_ANYWHERE = _re2.RE2.Anchor.UNANCHORED
_TEST_OPTIONS = _re2.RE2.Options()
_TEST_OPTIONS.log_errors = False


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
    # A row naming a rule category (`category: placeholder`) matches the blocks that are
    # nothing but what the category's rules find; the loader fills `residue`.
    category: str | None = None
    residue: Residue | None = None


# Kept with the pack: unpickled without calling __init__ (compiled, mypyc's unpickling
# would otherwise call it with no arguments, and the pack would never load).
@mypyc_attr(serializable=True)
class Row:
    """A row as classification reads it, flattened once per table: its conditions, the
    characters its screen says every match holds, and RE2's core for the row's pattern
    (asked for match or not on the text's bytes, encoded once for all rows)."""

    def __init__(self, entry: KindEntry, screen: RowScreen, engine: str) -> None:
        self.entry = entry
        self.kind = entry.kind
        # -1: no such condition.
        self.max_lines = entry.max_lines if entry.max_lines is not None else -1
        self.min_length = entry.min_length if entry.min_length is not None else -1
        self.max_length = entry.max_length if entry.max_length is not None else -1
        self.lengths = self.min_length >= 0 or self.max_length >= 0
        self.sentences = entry.min_sentences is not None
        self.needs = _needs([need[0] for need in screen.required if len(need) == 1])  # texts every match holds
        self.choices = _choices(screen.required)
        self.pattern = entry.pattern
        self.re2 = engine == "re2"
        self.core: Any = None  # compiled on first use
        self.sketched = 0  # texts its pattern's sketch ruled out before it was compiled
        self.groups: dict[str, int] = {}  # the pattern's named groups by number
        # For a row whose pattern opens with `.*` and has groups: RE2's core of a pattern
        # without groups that says whether it matches (from the text's end backwards), and
        # the `re` twin that then gives the groups (`plainregex`); None for the other rows.
        self.test: Any = None
        self.twin: re.Pattern[str] | None = None


@dataclass
class ContextEntry:
    """One row of `context_kinds`: a block whose content gave it one of `from_kinds`
    becomes `kind` when every condition on its place in the dump holds."""

    kind: str
    from_kinds: list[str]
    content: KindEntry  # pattern and length conditions on the block's own text
    zone: str | None = None
    first: bool = False
    follows: list[str] = field(default_factory=list)
    precedes: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    same_text_as: list[str] = field(default_factory=list)
    min_count: int | None = None
    absent: list[str] = field(default_factory=list)
    absent_in_zone: list[str] = field(default_factory=list)
    differs_from: str | None = None
    after_repeated: str | None = None
    longer_than: str | None = None
    ratio: float = 1.0
    shares_words_with: list[str] = field(default_factory=list)
    min_share: float = 0.5
    names_site: bool = False  # the text is the dump's site's name (`The New Yorker` on newyorker.com)
    source: str = ""


@dataclass
class BylineRules:
    """How an author value splits into the person(s) and the outlet, desk or role."""

    prefix: Pattern | None = None  # `By `, `Von `, `記者 `: dropped
    suffix: Pattern | None = None  # `／台北報導`, `, MD`: dropped
    separators: list[Pattern] = field(default_factory=list)  # person | outlet (a `sep` group marks the separator)
    affiliation: Pattern | None = None  # a last comma-part that is an outlet, desk or role


@dataclass
class BlockTable:
    entries: list[KindEntry] = field(default_factory=list)
    sentence_end: Pattern | None = None
    kind_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    timestamp_roles: list[list[str]] = field(default_factory=list)
    url_dates: list[Pattern] = field(default_factory=list)
    # What a named group's text is read as (`date`, `year`; `text` when not listed).
    group_types: dict[str, str] = field(default_factory=dict)
    # `dates:` specs (rules/dates.yaml, then users'), read into DateNames on first use.
    date_specs: list[dict[str, Any]] = field(default_factory=list)
    _dates: DateNames | None = None
    context: list[ContextEntry] = field(default_factory=list)
    title_zone_ends: list[str] = field(default_factory=list)
    dense_script: Pattern | None = None
    dense_weight: int = 1
    bylines: BylineRules = field(default_factory=BylineRules)
    # Each row's screen (first and last characters, characters needed), built on first use;
    # and the rows a block's first and last characters leave, asked once per pair.
    _screens: list[RowScreen] | None = None
    # Which engine runs each row (only RE2 rows are screened), as a kept pack remembers it
    # (`settle_engines`); without it each row is compiled to know, a fifth of a one-file run's compiling.
    _engines: list[str] | None = None
    _rows_for: dict[tuple[str, str, int, int, int], list[Row]] = field(default_factory=dict)
    _flat: list[Row] = field(default_factory=list)  # the rows as `_classify` reads them, with the screens
    _length_cuts: list[int] = field(default_factory=list)  # lengths where some row's length bound flips
    _line_cap: int = 1  # line counts from here on are alike to every row
    # Publisher, tag, locale, dimension blocks recur across a corpus: classify each text once.
    _memo: dict[tuple[str, int], tuple[str, Match | None]] = field(default_factory=dict)
    # Most blocks are one line: theirs is keyed by the text alone, no tuple made and hashed a block.
    _one_line: dict[str, tuple[str, Match | None]] = field(default_factory=dict)
    # The context rows ask the length of the same short texts again and again.
    _lengths: dict[str, int] = field(default_factory=dict)
    # Whether every character a dense-script match holds is WIDE or past (None: not asked yet).
    _dense_wide: bool | None = None

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
                category=row.get("category"),
            )
            for row in spec.get("block_kinds", [])
        ]
        self.entries = entries + self.entries
        self._screens = None
        self._engines = None
        self._rows_for.clear()
        self._memo.clear()
        self._one_line.clear()
        if "sentence_end" in spec:
            self.sentence_end = compile_pattern(spec["sentence_end"])
        self.kind_fields.update(spec.get("kind_fields", {}))
        if "timestamp_roles" in spec:
            self.timestamp_roles = spec["timestamp_roles"]
        self.url_dates = [compile_pattern(p) for p in spec.get("url_dates", [])] + self.url_dates
        self.group_types.update(spec.get("group_types", {}))
        self.context = [_context_entry(row, source) for row in spec.get("context_kinds", [])] + self.context
        if "title_zone_ends" in spec:
            self.title_zone_ends = list(spec["title_zone_ends"])
        if "dense_script" in spec:
            self.dense_script = compile_pattern(spec["dense_script"]["pattern"])
            self.dense_weight = spec["dense_script"]["weight"]
            self._lengths.clear()
            self._dense_wide = None
        bylines = spec.get("bylines", {})
        for part in ("prefix", "suffix", "affiliation"):
            if part in bylines:
                setattr(self.bylines, part, compile_pattern(bylines[part]))
        if "separators" in bylines:
            self.bylines.separators = [compile_pattern(p) for p in bylines["separators"]]

    @property
    def categories(self) -> list[str]:
        """The rule categories rows name (`category:`), each once."""
        return list(dict.fromkeys(entry.category for entry in self.entries if entry.category is not None))

    def follow_rules(self, patterns: dict[str, list[ResiduePattern]]) -> None:
        """Give each row that names a category the patterns of that category's rules."""
        for entry in self.entries:
            if entry.category is not None:
                entry.residue = Residue(patterns.get(entry.category, []))
        self._memo.clear()
        self._one_line.clear()

    def length(self, stripped: str) -> int:
        """Length in characters, a character of a script written without spaces counting
        `dense_weight` times: such scripts say in one character what others say in two or three."""
        if self.dense_script is None or self.dense_weight == 1 or stripped.isascii():
            return len(stripped)
        short = len(stripped) <= MEMO_TEXT
        if short:
            known = self._lengths.get(stripped)
            if known is not None:
                return known
        if self._lacks_dense(stripped):
            length = len(stripped)
        else:
            dense = sum(end - start for start, end in self.dense_script.spans(stripped))
            length = len(stripped) + dense * (self.dense_weight - 1)
        if short:
            if len(self._lengths) >= MEMO_SIZE:
                self._lengths.clear()
            self._lengths[stripped] = length
        return length

    def _lacks_dense(self, stripped: str) -> bool:
        """Whether the text holds no character of a dense script, as told without searching
        it: the dense pattern matches only WIDE characters, and the text holds none (Latin,
        Cyrillic, Greek, Arabic: most texts that are not ASCII)."""
        wide = self._dense_wide
        if wide is None:
            wide = self._settle_dense()
        return wide and not _holds_wide(stripped)

    def _settle_dense(self) -> bool:
        """Whether a dense-script match holds only WIDE characters (asked of RE2 once)."""
        pattern = self.dense_script
        self._dense_wide = wide = (pattern is not None and pattern.engine == "re2"
                                   and not may_hold_below(pattern.source, WIDE))
        return wide

    def _counted(self, stripped: str) -> bool:
        """Whether the rows' length bounds treat the text as its count of characters: it
        holds no character that weighs more (ASCII, no dense character, or its length
        known), or every length it can weigh falls between the same two of the rows'
        bounds (`_length_cuts`). Then `_rows` screens the rows' lengths once per
        combination and no row asks `fits`. Its length is not counted here: `fits` rarely
        needs it, and counting it costs a search."""
        if self.dense_script is None or self.dense_weight == 1 or stripped.isascii():
            return True
        if self._screens is None:
            self._settle_rows()
        size = len(stripped)
        weight = self.dense_weight
        low, high = (size, size * weight) if weight >= 1 else (size * weight, size)
        cuts = self._length_cuts
        return (bisect_right(cuts, low) == bisect_right(cuts, high) or self._lengths.get(stripped) == size
                or self._lacks_dense(stripped))

    def fits(self, entry: KindEntry, line_count: int, stripped: str, sentences: int = 0) -> bool:
        """Whether the row's conditions other than the pattern hold for this text; its
        `length` is counted only when the bounds on it (each character counting once or
        `dense_weight` times) cannot tell."""
        if (entry.max_lines is not None and line_count > entry.max_lines) or (
                entry.min_sentences is not None and sentences < entry.min_sentences):
            return False
        least, most = entry.min_length, entry.max_length
        if least is None and most is None:
            return True
        size = len(stripped)
        weight = self.dense_weight if self.dense_script is not None else 1
        low, high = (size, size * weight) if weight >= 1 else (size * weight, size)
        if (least is None or low >= least) and (most is None or high <= most):
            return True
        if (least is not None and high < least) or (most is not None and low > most):
            return False
        length = self.length(stripped)
        return (least is None or length >= least) and (most is None or length <= most)

    def add_dates(self, spec: dict[str, Any]) -> None:
        self.date_specs.append(spec)
        self._dates = None

    @property
    def dates(self) -> DateNames:
        """The words of dates; a new object after each change, so parse caches stay right."""
        if self._dates is None:
            self._dates = DateNames(self.date_specs)
        return self._dates

    def settle_engines(self) -> None:
        """Compile each row to learn which engine runs it: once for a pack that is kept."""
        self._engines = [entry.pattern.engine if entry.pattern is not None else "" for entry in self.entries]

    def prepare_screens(self, chars: str) -> None:
        """Each row's screen built now, with its answers for `chars`, and what the dense
        script's characters are: once for a pack that is kept."""
        if self._screens is None:
            self._settle_rows()
        if self._dense_wide is None:
            self._settle_dense()
        for screen in self._screens or []:
            screen.prepare(chars)

    def _screened(self, index: int) -> str | None:
        """The source of the row's pattern if RE2 runs it (the screens read RE2's syntax), else None."""
        pattern = self.entries[index].pattern
        if pattern is None:
            return None
        engine = self._engines[index] if self._engines is not None else pattern.engine
        return pattern.source if engine == "re2" else None

    def _rows(self, stripped: str, line_count: int, exact: bool) -> list[Row]:
        """The rows, in table order, that the text's first and last characters, the probe
        characters it holds (`probe_mask`), its line count and (when its length is its count
        of characters, `exact`) its length leave. Asked once per combination: lengths that
        every row's bounds treat alike, and line counts past every row's `max_lines`, share
        their answer. A long text (a body, that the rows refusing probes rarely see) is not
        probed."""
        if self._screens is None:
            self._settle_rows()
        size = len(stripped)
        mask = probe_mask(stripped) if size <= MEMO_TEXT else 0
        key = (stripped[0], stripped[-1], min(line_count, self._line_cap),
               bisect_right(self._length_cuts, size) if exact else -1, mask)
        rows = self._rows_for.get(key)
        if rows is None:
            screens = self._screens
            assert screens is not None
            if len(self._rows_for) >= MEMO_SIZE:
                self._rows_for.clear()
            first, last = stripped[0], stripped[-1]
            rows = self._rows_for[key] = [
                row for row, screen in zip(self._flat, screens)
                if not screen.refuses & mask and screen.opens(first) and screen.closes(last)
                and not 0 <= row.max_lines < line_count
                and not (exact and ((row.min_length >= 0 and size < row.min_length)
                                    or (row.max_length >= 0 and size > row.max_length)))]
        return rows

    def _settle_rows(self) -> None:
        """Each row's screen and flattened conditions, and where lengths and line counts
        stop mattering to the rows: made on the first classification."""
        self._screens = screens = [RowScreen(self._screened(index)) for index in range(len(self.entries))]
        engines = self._engines
        self._flat = [Row(entry, screen, engines[index] if engines is not None else
                          entry.pattern.engine if entry.pattern is not None else "")
                      for index, (entry, screen) in enumerate(zip(self.entries, screens))]
        cuts = {row.min_length for row in self._flat} | {row.max_length + 1 for row in self._flat}
        self._length_cuts = sorted(cut for cut in cuts if cut >= 0)
        self._line_cap = max((row.max_lines for row in self._flat), default=0) + 1

    def classify(self, stripped: str, line_count: int) -> tuple[str, Match | None]:
        """The kind of the first entry that matches, and its pattern match (for groups)."""
        if len(stripped) > MEMO_TEXT:  # long text (bodies) rarely recurs; keep memory flat
            return self._classify(stripped, line_count)
        if line_count == 1:
            known = self._one_line.get(stripped)
            if known is None:
                if len(self._one_line) >= MEMO_SIZE:
                    self._one_line.clear()
                known = self._one_line[stripped] = self._classify(stripped, 1)
            return known
        key = (stripped, line_count)
        known = self._memo.get(key)
        if known is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            known = self._memo[key] = self._classify(stripped, line_count)
        return known

    def _classify(self, stripped: str, line_count: int) -> tuple[str, Match | None]:
        if not stripped:
            return "text", None
        data = b""  # the text's UTF-8, for the RE2 rows: when one is first tried (a body's, made once for all passes)
        sentences = -1
        # A length in characters is the one the rows bound unless some characters weigh more.
        exact = self._counted(stripped)
        for row in self._rows(stripped, line_count, exact):  # table order: the first that holds wins
            if row.sentences or (row.lengths and not exact):
                entry = row.entry
                # Sentences are counted (a search) only for a text the other conditions let through.
                least = entry.min_sentences
                if not self.fits(entry, line_count, stripped, least if least is not None else 0):
                    continue
                if least is not None:
                    if sentences < 0:
                        sentences = self.sentences(stripped)
                    if sentences < least:
                        continue
            missing = False
            for need in row.needs:
                if need not in stripped:
                    missing = True
                    break
            if missing or (row.choices and not _holds_one_of_each(stripped, row.choices)):
                continue
            entry = row.entry
            if entry.category is not None:
                if entry.residue is not None and entry.residue.covers(stripped):
                    return row.kind, None
                continue
            pattern = row.pattern
            if pattern is None:
                return row.kind, None
            if row.re2:
                core = row.core
                if core is None:
                    # Its sketch answers until it is compiled: for the first texts only, as
                    # a sketch (its classes widened to any character) asked of many new texts
                    # costs more than the row's own pattern. Over a Latin-1 text the Latin-1
                    # sketch's answer is exact, match and groups.
                    if row.sketched < SKETCHED_TEXTS:
                        answered, found = pattern.latin_fullmatch(stripped)
                        if answered:
                            row.sketched += 1
                            if found is None:
                                continue
                            return row.kind, found if pattern.group_names else None
                    if row.sketched < SKETCHED_TEXTS and pattern.cannot_match(stripped, whole=True):
                        row.sketched += 1
                        continue
                    core = row.core = pattern.re2_core()
                    row.groups = {name.decode(): number for name, number in core.NamedCapturingGroups()}
                    if row.groups:
                        _settle_twin(row, pattern.source)
                if not data:
                    data = encoded(stripped)[0]
                twin = row.twin
                if twin is not None:
                    # `re` backtracks: it alone answers for short texts, and none holding `\v`
                    # (not in RE2's `\s`); for the others RE2 says first whether the row matches.
                    if len(stripped) <= MEMO_TEXT and "\v" not in stripped:
                        groups = twin.fullmatch(stripped)
                        if groups is None:
                            continue
                        return row.kind, match_of(stripped, [groups.span(number) for number in range(twin.groups + 1)],
                                                  row.groups)
                    if row.test.Match(_ANYWHERE, data, 0, len(data))[0][0] < 0:
                        continue
                spans = core.Match(_WHOLE, data, 0, len(data))
                if spans[0][0] < 0:
                    continue
                # Only a pattern with groups gives what the match holds.
                return row.kind, _whole_match(stripped, data, spans, row.groups) if row.groups else None
            try:
                found = pattern.fullmatch(stripped)
            except PatternTimeout as exc:  # say which row of which table, for the IN012 finding
                raise PatternTimeout(f"block kind {entry.kind!r} ({entry.source}): {exc}") from None
            if found:
                return row.kind, found
        return "text", None

    def groups_for(self, kind: str, stripped: str) -> Match | None:
        """The match of the first row of `kind` whose pattern has groups and matches: what
        a block that its place (not its content) made `kind` fills."""
        for entry in self.entries:
            if entry.kind == kind and entry.pattern is not None and entry.pattern.group_names:
                found = entry.pattern.fullmatch(stripped)
                if found:
                    return found
        return None

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


def _whole_match(text: str, data: bytes, spans: list[tuple[int, int]], groups: dict[str, int]) -> Match:
    """The Match of RE2's byte spans of a whole-text match (as `Pattern.fullmatch` gives it)."""
    if len(data) != len(text):  # not ASCII: byte offsets to character offsets
        spans = [(len(data[:start].decode("utf-8")), len(data[:end].decode("utf-8"))) if start >= 0 else (start, end)
                 for start, end in spans]
    return match_of(text, spans, groups)


def _settle_twin(row: Row, source: str) -> None:
    """The row's `test` core and `re` twin, when its pattern has them (`python_twin`)."""
    twin = python_twin(source)
    if twin is None:
        return
    test = _re2.RE2(twin[0].encode("utf-8"), _TEST_OPTIONS)
    if test.ok() and test.NumberOfCapturingGroups() == 0:
        row.test, row.twin = test, twin[1]


def _needs(texts: list[str]) -> list[str]:
    """The texts a row's matches all hold, as classification looks for them: each once,
    and a longer one's first character first when it is no letter or digit (`/` of `//`):
    a character is found by one `memchr`, where a longer text is searched for through all
    of a body that lacks it."""
    firsts = [text[0] for text in texts if len(text) > 1 and not text[0].isalnum()]
    return sorted(dict.fromkeys([*firsts, *texts]), key=len)


def _choices(required: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The sets of alternatives a row screens texts by (a match holds one of each): each
    without the alternatives that hold another (a text holding `RDN` holds `RD`), its
    characters first (each found by a `memchr`), the smallest sets first, none of more
    than MAX_CHOICES."""
    kept = []
    for need in required:
        if len(need) < 2:
            continue
        least = tuple(sorted((text for text in need if not any(other != text and other in text for other in need)),
                             key=len))
        if len(least) <= MAX_CHOICES:
            kept.append(least)
    return sorted(kept, key=len)


def _holds_wide(text: str) -> bool:
    """Whether the text holds a WIDE character: a byte of its UTF-8 (`encoded`, shared with
    the rows' RE2 calls) that leads three or more."""
    try:
        data, ascii_only = encoded(text)
    except UnicodeEncodeError:  # a lone surrogate, itself WIDE
        return True
    return not ascii_only and 1 in data.translate(_WIDE_LEADS)


def _holds_one_of_each(text: str, choices: list[tuple[str, ...]]) -> bool:
    """Whether the text holds one text of each set of alternatives; a longer one that
    opens with a mark (`//`) only when the text holds the mark (as `_needs` has it)."""
    # Loops, not all(any(...)): compiled, each generator is an object made per call.
    for need in choices:
        for alternative in need:
            if len(alternative) > 1 and not alternative[0].isalnum() and alternative[0] not in text:
                continue
            if alternative in text:
                break
        else:
            return False
    return True


def _context_entry(row: dict[str, Any], source: str) -> ContextEntry:
    content = KindEntry(kind=row["kind"], pattern=compile_pattern(row["pattern"]) if "pattern" in row else None,
                        max_lines=row.get("max_lines"), min_length=row.get("min_length"),
                        max_length=row.get("max_length"), source=source)
    return ContextEntry(
        kind=row["kind"], from_kinds=list(row["from"]), content=content, zone=row.get("zone"),
        first=row.get("first", False), follows=list(row.get("follows", [])),
        precedes=list(row.get("precedes", [])), skip=list(row.get("skip", [])),
        same_text_as=list(row.get("same_text_as", [])), min_count=row.get("min_count"),
        absent=list(row.get("absent", [])), absent_in_zone=list(row.get("absent_in_zone", [])), differs_from=row.get("differs_from"),
        after_repeated=row.get("after_repeated"), longer_than=row.get("longer_than"),
        ratio=row.get("ratio", 1.0), shares_words_with=list(row.get("shares_words_with", [])),
        min_share=row.get("min_share", 0.5), names_site=row.get("names_site", False), source=source,
    )
