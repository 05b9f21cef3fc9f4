"""A block kind that follows rules: a `block_kinds` row with `category: placeholder`
names the blocks that are nothing but what that category's block-pattern rules find
(template residue), so a new placeholder family is one rule file, and its blocks are
never read as a second title. The loader hands each such row the patterns of the rules
it loaded; the readers never see a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from provlint.patterns import Pattern, PatternSet, compile_pattern
from provlint.readers.rowscreen import RowScreen
from provlint.visible import visible


@dataclass(frozen=True)
class ResiduePattern:
    """A rule's pattern, and whether a match that opens a block makes all of it residue
    (filler such as lorem ipsum, whose marker stands for the text after it: the rule's
    `residue: block`) or only the text it matches (`residue: match`)."""

    pattern: Pattern
    whole_block: bool = False


class Residue:
    """The patterns of one category's rules, asked whether a block is nothing but their matches."""

    def __init__(self, patterns: list[ResiduePattern]) -> None:
        self.patterns = patterns
        self._screen: PatternSet | None = None
        self._formats: int | None = None  # `_FORMAT`'s number in the screen (None: not screened)
        # Each pattern with its number in the set (None: not screened, always scanned).
        self._numbered: list[tuple[ResiduePattern, int | None]] = []
        self._all_screened = False
        # Each pattern's first-character screen; and, by a text's first character, whether
        # any pattern's match may open with it (every cover has a match at the start).
        self._starts: list[RowScreen] = []
        self._opens: dict[str, bool] = {}
        # By a block's first character: whether it alone rules the block out (it opens no
        # match and is not a format character, which the visible text would drop).
        self._rejects: dict[str, bool] = {}

    def covers(self, stripped: str) -> bool:
        """True when a `whole_block` pattern's match opens the text, or when the matches of
        all the patterns together leave nothing but white space. Matched, as the rules
        match, in the text without its format characters."""
        if not self.patterns:
            return False
        if stripped:  # most blocks are ruled out here, before their visible text is made
            rejected = self._rejects.get(stripped[0])
            if rejected is None:
                first = stripped[0]
                rejected = self._rejects[first] = not (0xD800 <= ord(first) <= 0xDFFF or self._opens_with(first)
                                                       or _FORMAT.fullmatch(first) is not None)
            if rejected:
                return False
        screen = self._screen
        if screen is None:
            # With the format characters: a text the set finds none in is its own visible text,
            # so most texts are read once, not once for them and again for the patterns.
            screen = self._screen = PatternSet([*(entry.pattern for entry in self.patterns), _FORMAT])
            self._numbered = [(entry, screen.position(entry.pattern)) for entry in self.patterns]
            self._all_screened = all(number is not None for _, number in self._numbered)
            self._formats = screen.position(_FORMAT)
        text = stripped
        hits = screen.hits(text)
        if self._formats is None or self._formats in hits:
            shown = visible(stripped)
            if shown is not None:
                text = shown.text.strip()
                if not text or not self._opens_with(text[0]):
                    return False
                hits = screen.hits(text)
        if not hits and self._all_screened:  # most blocks: no pattern occurs
            return False
        spans: list[tuple[int, int]] = []
        for entry, number in self._numbered:
            if number is not None and number not in hits:
                continue
            for start, end in entry.pattern.spans(text):
                if end == start:
                    continue
                if entry.whole_block and start == 0:
                    return True
                spans.append((start, end))
        reached = 0
        for start, end in sorted(spans):
            if start > reached and not text[reached:start].isspace():
                return False
            reached = max(reached, end)
        return bool(spans) and (reached == len(text) or text[reached:].isspace())

    def _opens_with(self, char: str) -> bool:
        """Whether some pattern's match may open with the character."""
        opens = self._opens.get(char)
        if opens is None:
            if not self._starts:
                self._starts = [RowScreen(entry.pattern.source if entry.pattern.engine == "re2" else None)
                                for entry in self.patterns]
            opens = self._opens[char] = any(start.opens(char) for start in self._starts)
        return opens


_FORMAT = compile_pattern(r"\p{Cf}")  # as `visible` finds format characters
