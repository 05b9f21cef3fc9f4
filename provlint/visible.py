"""Text as it shows: format characters (Unicode category Cf) print nothing, so a pattern
matches the text without them and a finding points back into the text as written.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from provlint.patterns import compile_pattern


class Visible:
    """A text without its format characters (Unicode category Cf: zero-width space and
    joiners, word joiner, byte order mark, soft hyphen, bidi controls), which print
    nothing and so can hide a match from a pattern, and the way back to offsets in the
    text: patterns match the visible text, findings point into the text."""

    def __init__(self, text: str, runs: list[tuple[int, int]]) -> None:
        self.original = text
        parts, removed_at, removed = [], [], []
        kept, total = 0, 0
        for start, end in runs:
            parts.append(text[kept:start])
            total += end - start
            removed_at.append(start - (total - (end - start)))  # where the run stood in the visible text
            removed.append(total)
            kept = end
        parts.append(text[kept:])
        self.text = "".join(parts)
        self._removed_at = removed_at
        self._removed = removed  # characters removed up to and including each run

    def start(self, offset: int) -> int:
        """The text's offset of a match starting at `offset` of the visible text (past the
        format characters before it)."""
        index = bisect_right(self._removed_at, offset)
        return offset + (self._removed[index - 1] if index else 0)

    def end(self, offset: int) -> int:
        """The text's offset of a match ending at `offset` of the visible text (before the
        format characters after it)."""
        index = bisect_left(self._removed_at, offset)
        return offset + (self._removed[index - 1] if index else 0)


def visible(text: str) -> Visible | None:
    """The text without its format characters, or None when it has none (most texts)."""
    if text.isascii():
        return None
    runs = list(compile_pattern(r"\p{Cf}+").spans(text))
    return Visible(text, runs) if runs else None


def format_characters(text: str) -> list[str]:
    """The format characters in a text, each once, as `U+200D ZERO WIDTH JOINER`."""
    import unicodedata

    found = dict.fromkeys(text[start:end] for start, end in compile_pattern(r"\p{Cf}").spans(text))
    return [f"U+{ord(char):04X} {unicodedata.name(char, 'FORMAT CHARACTER')}" for char in found]
