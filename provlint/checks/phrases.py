from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from provlint.checks.base import TARGET, finding, shorten, source_place
from provlint.checks.pattern import Screen, pack_screen
from provlint.model import Document, Finding
from provlint.patterns import Pattern, compile_pattern, longest_first, spaced
from provlint.rulepack import Rule, Ruleset

DOC = """`phrases`: a phrase of a lexicon list (`rules/lexicons/`, every language's entries)
that opens a sentence of the text; one finding per phrase.

A phrase matches case-insensitively, any white space between its words; a `re: …` entry
is an RE2 expression. It counts only where a sentence starts: at the start of the block
or of a line, or after `.`, `!`, `?` or `…` and white space. Quoted, it is the text's
subject, not its residue: a phrase inside quotation marks (the lexicons' `quotes`: `"`,
`“`, `«`, `„`, `‘`…) opened on the same line is not reported.

Options: `phrases` (the lexicon list: `artefacts`), `target` (`blocks` or a list of
block kinds; default `[body, description]`).
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["phrases"],
    "properties": {
        "phrases": {"enum": ["artefacts"], "description": "phrases: the lexicon list to look for."},
        "target": {**TARGET, "description": "`blocks`, `fields`, or a list of block kinds."},
    },
}
VALUES = {"match": "the phrase as written", "kind": "the block kind"}
DEFAULT_TARGET = ["body", "description"]
# Where a sentence starts: the block's or a line's start, or after a sentence end.
_SENTENCE_START = r"(?:^|\n|[.!?…]\s+)[ \t]*"


def phrase_pattern(entries: list[str]) -> Pattern | None:
    """The list's entries as one pattern whose group `phrase` is the phrase found."""
    alternatives = [spaced(phrase) for phrase in longest_first(e for e in entries if not e.startswith("re:"))]
    alternatives += [e[3:].strip() for e in entries if e.startswith("re:")]
    if not alternatives:
        return None
    return compile_pattern(f"(?i){_SENTENCE_START}(?P<phrase>{'|'.join(alternatives)})")


@dataclass
class Phrases:
    pattern: Pattern | None
    closings: dict[str, str]  # every language's quotation marks (rules/lexicons/): opening -> closings
    # The pack's one screen of the blocks, which holds the pattern: a document it rules out (most) is not scanned.
    pack_screen: Screen | None = None


def prepare(rule: Rule, pack: Ruleset) -> Phrases:
    closings: dict[str, str] = {}
    pairs = [*pack.lexicons.quotes, *(pair for language in pack.lexicons.languages.values() for pair in language.quotes)]
    for opening, closing in pairs:
        closings[opening] = closings.get(opening, "") + closing
    pattern = phrase_pattern(pack.lexicons.phrases(rule.options.get("phrases", "artefacts")))
    if pattern is None:
        return Phrases(None, closings)
    screen = pack_screen(pack)
    screen.add(pattern)
    return Phrases(pattern, closings, screen)


def quoted(text: str, start: int, closings: dict[str, str]) -> bool:
    """Whether `start` stands inside a quotation opened earlier on its line."""
    line = text[text.rfind("\n", 0, start) + 1 : start]
    open_quote = ""
    for index, char in enumerate(line):
        if open_quote:
            if char in closings[open_quote]:
                open_quote = ""
        elif char in closings:
            # An apostrophe inside a word (`don't`) opens nothing.
            if char == "'" and index > 0 and line[index - 1].isalnum():
                continue
            open_quote = char
    return bool(open_quote)


def check(rule: Rule, document: Document, phrases: Phrases) -> Iterator[Finding]:
    pattern = phrases.pattern
    if pattern is None or (phrases.pack_screen is not None and not phrases.pack_screen.may_occur(pattern, document)):
        return
    target = rule.options.get("target", DEFAULT_TARGET)
    kinds = None if target == "blocks" else set(target)
    for block in document.blocks:
        if kinds is not None and block.kind not in kinds:
            continue
        for start, end in pattern.every_span(block.text, "phrase"):
            if quoted(block.text, start, phrases.closings):
                continue
            line, column, end_line, end_column = source_place(document, block, start, end)
            yield finding(rule, document, line, column, end_line, end_column,
                          match=shorten(block.text[start:end]), kind=block.kind)
