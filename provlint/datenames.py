"""The words of dates, from `dates:` specs (`rules/dates.yaml` and users' files): month
and weekday names, ordinal suffixes, connector and wrap-up words, am/pm markers,
time-zone abbreviations, CJK year/month/day marks; and the grammar of the symbols a
date's tokens may spell, built from them. `provlint.dates` reads a text with it.
"""

from __future__ import annotations

import re
from typing import Any

from mypy_extensions import mypyc_attr

# Each grammar compiled in this process, by its source (`DateNames.grammar`).
_GRAMMARS: dict[str, Any] = {}
# The zone designators of ISO 8601 and RFC 2822 themselves; other abbreviations are data.
_UTC_NAMES = ("Z", "UTC", "GMT", "UT")
_TOKEN = re.compile(r"(?P<number>\d+)|(?P<word>[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?)|(?P<mark>\S)")
# Marks that take part in dates; other marks make a text "not a date".
_MARKS = {"-": "-", "−": "-", "–": "-", "—": "-", "/": "/", "／": "/", ".": ".", "．": ".", ":": ":", "：": ":",
          ",": ",", "，": ",", "+": "+", "(": "(", "（": "(", ")": ")", "）": ")", "|": "|", "·": "·"}
# Scripts written without spaces between words (CJK): a word may hold several date words.
_UNSPACED = "\u2e80"
# Keys of a language in `dates:` that list words of one kind, and the kind.
WORD_LISTS = {
    "ordinals": "ordinal", "connectors": "connector", "wrap": "wrap", "year_marks": "year_mark",
    "month_marks": "month_mark", "day_marks": "day_mark", "hour_marks": "hour_mark",
    "minute_marks": "minute_mark", "second_marks": "second_mark", "time_marks": "time_mark",
}


# Kept with the pack: unpickled without calling __init__ (compiled, mypyc's unpickling would
# call it with no arguments, and each run compiled the grammar of no words before the kept one).
@mypyc_attr(serializable=True)
class DateNames:
    """The words of dates, from `dates:` specs (the built-in file first, then users').

    Matching ignores case and a trailing dot (`Jan`, `jan.`); a phrase of several words
    (`mis à jour`, `a. m.`) counts as one word. A word given two different meanings of
    one kind (two month numbers, two offsets, am and pm) is ambiguous and not read.
    Immutable once built: `parse_timestamp` caches its answers per DateNames.
    """

    def __init__(self, specs: list[dict[str, Any]] | None = None) -> None:
        meanings: dict[tuple[str, ...], dict[str, Any]] = {}
        ambiguous: set[tuple[tuple[str, ...], str]] = set()

        def add(text: str, kind: str, value: Any) -> None:
            key = phrase_key(text)
            if not key:
                return
            known = meanings.setdefault(key, {})
            if kind in known and known[kind] != value:
                ambiguous.add((key, kind))
            known[kind] = value

        for name in _UTC_NAMES:
            add(name, "zone", 0)
        for spec in specs or []:
            for language in spec.get("languages", {}).values():
                for number, names in enumerate(language.get("months", []), start=1):
                    for name in names:
                        add(name, "month", number)
                for names in language.get("weekdays", []):
                    for name in names:
                        add(name, "weekday", True)
                for list_name, kind in WORD_LISTS.items():
                    for name in language.get(list_name, []):
                        add(name, kind, True)
                for marker in ("am", "pm"):
                    for name in language.get(marker, []):
                        add(name, "ampm", marker)
            for name, offset in spec.get("zones", {}).items():
                add(name, "zone", _offset_minutes(offset))
        for key, kind in ambiguous:
            del meanings[key][kind]
        self.meanings = {key: kinds for key, kinds in meanings.items() if kinds}
        self.longest = max((len(key) for key in self.meanings), default=1)
        self.unspaced = {key[0] for key in self.meanings if len(key) == 1 and _is_unspaced(key[0])}
        # One symbol per combination of kinds a word has (`mar` is a month and a weekday).
        combinations = sorted({frozenset(kinds) for kinds in self.meanings.values()}, key=sorted)
        symbol_of = {kinds: chr(0xE000 + index) for index, kinds in enumerate(combinations)}
        self.symbols = {key: symbol_of[frozenset(kinds)] for key, kinds in self.meanings.items()}
        classes: dict[str, str] = {}
        for kinds, symbol in symbol_of.items():
            for kind in kinds:
                classes[kind] = classes.get(kind, "") + symbol
        self.grammar_source = _grammar(classes)

    @property
    def grammar(self) -> Any:
        """The shapes a date's symbols may spell, compiled (with the `regex` module) on first
        use: most runs read no date in words, and compiling it and importing `regex` were
        a tenth of a one-file run."""
        compiled = _GRAMMARS.get(self.grammar_source)
        if compiled is None:
            import regex  # repeated group names: neither `re` nor RE2 takes them

            compiled = _GRAMMARS[self.grammar_source] = regex.compile(self.grammar_source)
        return compiled

    def tokens(self, text: str) -> list[tuple[str, str, tuple[str, ...]]]:
        """(symbol, text, key) per token: numbers are their digit count ('0' past 9),
        marks themselves, known words a symbol of their kinds, `T` the ISO separator,
        other words '?'."""
        found = [(match.lastgroup or "", match.group()) for match in _TOKEN.finditer(text)]
        result: list[tuple[str, str, tuple[str, ...]]] = []
        index = 0
        while index < len(found):
            kind, piece = found[index]
            if kind == "number":
                result.append((str(len(piece)) if len(piece) < 10 else "0", piece, ()))
            elif kind == "mark":
                result.append((_MARKS.get(piece, "?"), piece, ()))
            else:
                taken = self._phrase(found, index)
                if taken:
                    words = found[index:index + taken]
                    key = tuple(word_key(word) for _, word in words)
                    result.append((self.symbols[key], " ".join(word for _, word in words), key))
                    index += taken
                    continue
                result.extend(self._word(piece))
            index += 1
        return result

    def _phrase(self, found: list[tuple[str, str]], start: int) -> int:
        """How many words from `start` form the longest known phrase (0: none)."""
        for length in range(min(self.longest, len(found) - start), 0, -1):
            words = found[start:start + length]
            if all(kind == "word" for kind, _ in words) and tuple(word_key(w) for _, w in words) in self.symbols:
                return length
        return 0

    def _word(self, word: str) -> list[tuple[str, str, tuple[str, ...]]]:
        key = word_key(word)
        if key == "t":
            return [("T", word, ())]
        if _is_unspaced(key):
            pieces = _segment(key, self.unspaced)
            if pieces:
                return [(self.symbols[(piece,)], piece, (piece,)) for piece in pieces]
        return [("?", word, ())]


def _is_unspaced(word: str) -> bool:
    return all(char >= _UNSPACED for char in word)


def word_key(word: str) -> str:
    """How a word is looked up: case folded, one apostrophe, no trailing dot."""
    return word.casefold().replace("’", "'").rstrip(".")


def phrase_key(text: str) -> tuple[str, ...]:
    """The lookup key of a vocabulary entry: its words (marks dropped); () if it holds a number."""
    found = [(match.lastgroup, match.group()) for match in _TOKEN.finditer(text)]
    if any(kind == "number" for kind, _ in found):
        return ()
    return tuple(word_key(word) for kind, word in found if kind == "word" and word_key(word))


def _segment(word: str, known: set[str]) -> list[str] | None:
    """`word` as a run of known words (`日星期一` -> 日, 星期一), fewest pieces; None if it is not."""
    if len(word) > 40:
        return None
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(end):
            before = best[start]
            if before is not None and word[start:end] in known:
                candidate = before + [word[start:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(word)]


def _grammar(classes: dict[str, str]) -> str:
    """The source of the shapes a date's symbols may spell, from start to end."""

    def kind(name: str) -> str:
        return f"[{classes[name]}]" if name in classes else "(?!)"

    month, weekday, connector, ordinal, wrap = (kind(k) for k in ("month", "weekday", "connector", "ordinal", "wrap"))
    ampm, zone, time_mark = kind("ampm"), kind("zone"), kind("time_mark")
    year_mark, month_mark, day_mark = kind("year_mark"), kind("month_mark"), kind("day_mark")
    hour_mark, minute_mark, second_mark = kind("hour_mark"), kind("minute_mark"), kind("second_mark")
    small = "[12]"  # a number of one or two digits
    dates = [
        rf"(?P<year>4)-(?P<month>{small})-(?P<day>{small})",
        r"(?P<ymd>8)",
        rf"(?P<year>4)/(?P<month>{small})/(?P<day>{small})",
        rf"(?P<year>4)\.(?P<month>{small})\.(?P<day>{small})\.?",
        rf"(?P<year>4){year_mark}(?P<month>{small}){month_mark}(?P<day>{small}){day_mark}",
        rf"(?P<day>{small})\.(?P<month>{small})\.(?P<year>4)",
        rf"(?P<slash_first>{small})/(?P<slash_last>{small})/(?P<year>4)",
        rf"(?P<slash_first>{small})-(?P<slash_last>{small})-(?P<year>4)",
        rf"(?P<day>{small})(?:{ordinal}|\.)?{connector}*(?P<month_name>{month}),?{connector}*(?P<year>4){year_mark}?",
        rf"(?P<day>{small})-(?P<month_name>{month})-(?P<year>4)",
        rf"(?P<month_name>{month}){connector}*(?P<day>{small}){ordinal}?,?(?P<year>4){year_mark}?",
    ]
    date = "(?:" + "|".join(dates) + rf")(?:\({weekday}\)|{weekday})?"
    time = (
        rf"(?P<ampm>{ampm})?"
        rf"(?:(?P<hour>{small}):(?P<minute>2)(?::(?P<second>2)(?:[.,](?P<fraction>[1-9]))?)?"
        rf"|(?P<hour>{small}){hour_mark}(?P<minute>{small}){minute_mark}?(?:(?P<second>{small}){second_mark})?)"
        rf"(?P<ampm>{ampm})?{time_mark}?"
    )
    basic_time = r"(?:(?P<hms>6)(?:[.,](?P<fraction>[1-9]))?|(?P<hm>4))"
    numeric_offset = rf"(?:(?P<sign>[+-])(?:(?P<off_hours>{small})(?::(?P<off_minutes>2))?|(?P<off_hhmm>4)))"
    offset = rf"(?:(?P<zone>{zone}){numeric_offset}?|{numeric_offset})(?:\([^()]*\))?"
    between = rf"(?:[,|·-]|{connector})*"
    lead = rf"(?:{wrap}[:|-]?)?{connector}*(?:{weekday}[,.]?{connector}*)?"
    shapes = [
        rf"{date}(?:(?:T(?:{basic_time}|{time})|{between}{time})(?:{offset})?)?",  # date first
        rf"{time}(?:{offset}{between}(?:{weekday}[,.]?)?{date}|{between}(?:{weekday}[,.]?)?{date}(?:{offset})?)",
        # time first, the offset after either: 8:31 PM, Feb 17, 2018; 08:57, 21 февраля 2022 МСК
        rf"(?P<month_name>{month})(?P<day>{small}){time}{offset}(?P<year>4)",  # Java: Jan 02 16:35:00 EST 2015
    ]
    return rf"{lead}(?:{'|'.join(shapes)}){wrap}?"


def _offset_minutes(text: str) -> int:
    """'+05:30' -> 330 (the schema guarantees the shape)."""
    sign = -1 if text[0] == "-" else 1
    return sign * (int(text[1:3]) * 60 + int(text[4:6]))
