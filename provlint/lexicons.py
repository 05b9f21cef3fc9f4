"""Attribution cue lexicons: which phrases attribute a claim, and which marks quote,
per language.

Built from `lexicons:` in YAML (`rules/lexicons/attribution.yaml` and users' files).
Each language's cues compile into one RE2 alternation, so a body is scanned once per
cue type, whatever the number of cues. Quotation marks (`quotes:`) are read in every
language, with a language's own added.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from provlint.patterns import MAX_SET_TEXT, Pattern, PatternSet, compile_pattern, longest_first

CUE_TYPES = ("vague", "reporting")
# Phrase lists that are no attribution cues: read by the rules that name them (`credit`,
# `phrases`), never by the attribution check.
PHRASE_LISTS = ("credits", "sources", "artefacts")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Cue:
    kind: str  # "vague" or "reporting"
    text: str
    start: int
    end: int


class QuoteMarks:
    """Pairs of quotation marks: each opening with its closing marks, in the order given,
    and the expression that finds a quotation between a pair (not between `inner` ones)."""

    def __init__(self, pairs: list[tuple[str, str]], inner: set[str]) -> None:
        self.closings: dict[str, list[str]] = {}
        for opening, closing in pairs:
            marks = self.closings.setdefault(opening, [])
            if closing not in marks:
                marks.append(closing)
        outer = [(opening, marks) for opening, marks in self.closings.items() if opening not in inner]
        self.openings = tuple(opening for opening, _ in outer)
        self.marks = tuple(dict.fromkeys(mark for opening, marks in self.closings.items() for mark in (opening, *marks)))
        self.quotation = re.compile("|".join(
            f"{re.escape(opening)}([^{re.escape(''.join(dict.fromkeys([opening, *marks])))}]+)[{re.escape(''.join(marks))}]"
            for opening, marks in outer) or "(?!)")

    def counts(self, text: str) -> dict[str, int]:
        """How often each mark occurs in `text`."""
        # Each mark counted once, and only when it occurs: `in` finds a character with
        # memchr, `count` steps through the whole text in Python's loop.
        return {mark: text.count(mark) if mark in text else 0 for mark in self.marks}

    def unbalanced(self, text: str) -> list[str]:
        """The pairs (`«»`) whose marks do not pair up in `text`. A mark that closes itself
        (`"`) pairs by its parity. A mark that also closes another quotation open in the
        text is counted with that one (`“` after German `„`), and a pair whose closing
        marks open other quotations counts only where its opening occurs."""
        counts = self.counts(text)
        if not any(counts.values()):  # most texts without quotation marks: nothing to pair
            return []
        problems = []
        for opening, marks in self.closings.items():
            if opening in marks:
                if counts[opening] % 2:
                    problems.append(opening + marks[0])
                continue
            if any(opening in others and other != opening and counts[other] for other, others in self.closings.items()):
                continue
            if not counts[opening] and any(mark in self.closings for mark in marks):
                continue
            if counts[opening] != sum(counts[mark] for mark in marks):
                problems.append(opening + marks[0])
        return problems


@dataclass
class Language:
    code: str
    cues: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in CUE_TYPES})
    guess_words: set[str] = field(default_factory=set)
    guess_letters: str = ""
    quotes: list[tuple[str, str]] = field(default_factory=list)  # added to the pairs every language reads
    inner_quotes: set[str] = field(default_factory=set)
    phrases: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in PHRASE_LISTS})
    _patterns: dict[str, list[Pattern]] | None = None
    # The cue set, the cue kinds of each of its patterns, and the (kind, pattern) pairs
    # the set cannot screen: built once.
    _screen: tuple[PatternSet, dict[int, tuple[str, ...]], list[tuple[str, Pattern]]] | None = None

    def patterns(self) -> dict[str, list[Pattern]]:
        if self._patterns is None:
            self._patterns = {kind: _compile(self.cues[kind]) for kind in CUE_TYPES}
        return self._patterns

    def cue_kinds(self, text: str) -> frozenset[str]:
        """The kinds of the cues in `text`, from one RE2 set match over all the language's
        cues: the set answers without finding where each cue starts and ends, which is most
        of the cost of a search that succeeds. There is a cue, and a vague one, exactly when
        `find` finds one; a reporting cue may be one inside a vague cue, which `find` drops.
        Kinds left out have no cue: `find` over the others finds the same cues."""
        if self._screen is None:
            pairs = [(kind, pattern) for kind in CUE_TYPES for pattern in self.patterns()[kind]]
            screen = PatternSet(pattern for _, pattern in pairs)
            kinds_of: dict[int, tuple[str, ...]] = {}
            for kind, pattern in pairs:
                number = screen.position(pattern)
                if number is not None and kind not in kinds_of.get(number, ()):
                    kinds_of[number] = (*kinds_of.get(number, ()), kind)
            self._screen = screen, kinds_of, [(kind, pattern) for kind, pattern in pairs
                                              if screen.position(pattern) is None]
        screen, kinds_of, unscreened = self._screen
        if len(text) > MAX_SET_TEXT:  # too long for the set to be trusted
            return frozenset(kind for kind in CUE_TYPES if any(pattern.search(text) for pattern in self.patterns()[kind]))
        found = {kind for number in screen.hits(text) for kind in kinds_of[number]}
        found.update(kind for kind, pattern in unscreened if kind not in found and pattern.search(text))
        return frozenset(found)

    def find(self, text: str, kinds: tuple[str, ...] = CUE_TYPES) -> list[Cue]:
        """Cues of `kinds` in `text`, vague first; a reporting cue inside a vague one is not
        counted. Vague cues come out the same whether or not reporting ones are asked for."""
        found: list[Cue] = []
        for kind in kinds:
            for pattern in self.patterns()[kind]:
                # Accepted cues never overlap, so sorted by start they are sorted by end too.
                starts, ends = [c.start for c in found], [c.end for c in found]
                added = []
                for start, end in pattern.every_span(text, "cue"):
                    after = bisect.bisect_right(ends, start)  # the first cue ending after `start`
                    if after < len(starts) and starts[after] < end:
                        continue
                    added.append(Cue(kind, text[start:end], start, end))
                if added:
                    found = sorted(found + added, key=lambda c: c.start)
        return found


def _compile(entries: list[str]) -> list[Pattern]:
    phrases = [e for e in entries if not e.startswith("re:")]
    patterns = [compile_pattern(e[3:].strip()) for e in entries if e.startswith("re:")]
    if phrases:
        # Longest first, so "selon des sources" wins over "selon"; letters around a cue end it.
        alternatives = "|".join(re.escape(p) for p in longest_first(phrases))
        patterns.insert(0, compile_pattern(rf"(?i)(?:^|[^\p{{L}}\p{{N}}])(?P<cue>{alternatives})(?:[^\p{{L}}\p{{N}}]|$)"))
    return patterns


@dataclass
class Lexicons:
    languages: dict[str, Language] = field(default_factory=dict)
    opinion_sections: set[str] = field(default_factory=set)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # read in every language
    inner_quotes: set[str] = field(default_factory=set)
    _marks: dict[str, QuoteMarks] = field(default_factory=dict)  # per language, built once
    # Every character a guess counts (its words' and letters'), as one class, built once.
    _guessed_characters: re.Pattern[str] | None = None

    def extend(self, spec: dict, origin: str) -> None:
        for code, entry in spec.get("lexicons", {}).items():
            language = self.languages.setdefault(code, Language(code))
            for kind in CUE_TYPES:
                language.cues[kind].extend(entry.get(kind, []))
            for name in PHRASE_LISTS:
                language.phrases[name].extend(entry.get(name, []))
            language.guess_words.update(w.casefold() for w in entry.get("guess", []))
            language.guess_letters += entry.get("letters", "")
            language.quotes.extend((opening, closing) for opening, closing in entry.get("quotes", []))
            language.inner_quotes.update(entry.get("inner_quotes", []))
            language._patterns = language._screen = None
        self.opinion_sections.update(s.casefold() for s in spec.get("opinion_sections", []))
        self.quotes.extend((opening, closing) for opening, closing in spec.get("quotes", []))
        self.inner_quotes.update(spec.get("inner_quotes", []))
        self._marks.clear()
        self._guessed_characters = None

    def quote_marks(self, language: Language) -> QuoteMarks:
        """The quotation marks read in `language`'s texts: every language's, then its own."""
        marks = self._marks.get(language.code)
        if marks is None:
            marks = self._marks[language.code] = QuoteMarks(self.quotes + language.quotes,
                                                            self.inner_quotes | language.inner_quotes)
        return marks

    def phrases(self, name: str) -> list[str]:
        """Every language's entries of the phrase list `name`, each once, in load order."""
        return list(dict.fromkeys(entry for language in self.languages.values() for entry in language.phrases[name]))

    def guess(self, text: str) -> str | None:
        """The language whose common words are most frequent in `text`, if clearly ahead."""
        sample = text[:5000].casefold()
        if self._guessed().search(sample) is None:  # no language scores (Japanese, Thai…): no words to split
            return None
        words = _WORD.findall(sample)
        if len(words) < 8:
            return None
        counts = Counter(words)  # each word looked up once, not once per language
        scores = sorted(((sum(counts.get(w, 0) for w in lang.guess_words)
                          + sum(sample.count(letter) for letter in lang.guess_letters), code)
                         for code, lang in self.languages.items()), reverse=True)
        if not scores or scores[0][0] < 3 or (len(scores) > 1 and scores[0][0] < 1.5 * scores[1][0]):
            return None
        return scores[0][1]

    def _guessed(self) -> re.Pattern[str]:
        """A class of every character of the languages' guess words and letters: a text
        holding none scores nothing in any language."""
        found = self._guessed_characters
        if found is None:
            characters = sorted({char for language in self.languages.values()
                                 for char in "".join(language.guess_words) + language.guess_letters})
            found = self._guessed_characters = re.compile(
                "[" + "".join(re.escape(char) for char in characters) + "]" if characters else "(?!)")
        return found
