"""Reading the date and time spellings of dumps, records and pages, and comparing them.

The numeric grammar is here: ISO 8601 extended and basic, day-first dotted dates,
slash dates whose numbers decide the order, year-first dotted and CJK dates, times
with colons or hour marks, UTC offsets. The words are data (`dates:` in
`rules/dates.yaml` and users' files, read into `DateNames`): month and weekday names,
ordinal suffixes, connector and wrap-up words, am/pm markers, time-zone abbreviations,
CJK year/month/day marks.

A text is cut into tokens (numbers, words, marks); each token becomes one symbol, and
the symbols must spell a date from start to end: anything else around a date makes the
text "not a date", which is no problem. A recognised date that names no real instant
(2021-02-31, month 13, hour 25) keeps its `problem` (e.g. "day is out of range for
month") for rules to report.

`same_instant` and `before` are the one place that decides whether two timestamps name
the same instant and which comes first, at the precision both carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

import regex

# What a timestamp carries, coarsest first.
DAY, MINUTE, SECOND, FRACTION = "day", "minute", "second", "fraction"
NO_OFFSET = "no UTC offset"  # `offset_problem` of a time of day written without an offset
# Real UTC offsets, in minutes: -12:00 to +14:00 in whole quarter hours.
EARLIEST_OFFSET, LATEST_OFFSET, OFFSET_STEP = -12 * 60, 14 * 60, 15
# The zone designators of ISO 8601 and RFC 2822 themselves; other abbreviations are data.
_UTC_NAMES = ("Z", "UTC", "GMT", "UT")
# A date spelled in more characters than this is not a date (and never costs a long match).
MAX_DATE_TEXT = 120

# The common case needs no tokens: ISO 8601 extended (2022-02-21T08:57:00.123+01:00).
# It reads exactly as the general grammar below would.
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[Tt ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r" ?(?:(?P<zone>[Zz])|(?P<sign>[+-])(?P<off_hours>\d{2})(?::?(?P<off_minutes>\d{2}))?)?)?",
    re.ASCII,
)
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
_DURATION = re.compile(r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[smhdw]|sec|min|hours?|days?|weeks?)")
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "hours": 3600,
                 "d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800,
                 "weeks": 604800}


@dataclass(frozen=True)
class Timestamp:
    """A timestamp as read. `instant` is None when the text names no real instant: then
    `problem` says why when the text is a recognised date (2021-02-31), and is None
    when it is not a date at all. `instant` is aware when the text gave a UTC offset,
    naive (a wall clock in an unknown zone) otherwise."""

    raw: str
    instant: datetime | None
    precision: str | None  # DAY, MINUTE, SECOND or FRACTION; None when not a date
    offset: str | None  # "+01:00" ("+00:00" for Z, UTC, GMT); None without a usable offset
    problem: str | None = None
    offset_problem: str | None = None  # NO_OFFSET, or "impossible UTC offset +25:00"

    @property
    def has_time(self) -> bool:
        return self.precision is not None and self.precision != DAY

    @property
    def naive(self) -> bool:
        """A readable value without a UTC offset (a date alone, or a wall-clock time)."""
        return self.instant is not None and self.instant.tzinfo is None

    @property
    def local_date(self) -> date | None:
        """The calendar date in the value's own offset (what a dateline or URL shows)."""
        return self.instant.date() if self.instant else None


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
        self.grammar = _grammar(classes)

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


def _grammar(classes: dict[str, str]) -> Any:
    """The shapes a date's symbols may spell, from start to end."""

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
    return regex.compile(rf"{lead}(?:{'|'.join(shapes)}){wrap}?")


def _offset_minutes(text: str) -> int:
    """'+05:30' -> 330 (the schema guarantees the shape)."""
    sign = -1 if text[0] == "-" else 1
    return sign * (int(text[1:3]) * 60 + int(text[4:6]))


@lru_cache(maxsize=1)
def _no_names() -> DateNames:
    return DateNames()


@lru_cache(maxsize=8192)  # a corpus repeats its dates (created = published); Timestamp is immutable
def parse_timestamp(text: str, names: DateNames | None = None) -> Timestamp:
    """`text` as a Timestamp, reading words with `names` (numeric spellings only without)."""
    raw = text.strip()
    found = _ISO.fullmatch(raw)
    if found is not None:
        parts: dict[str, str | None] = found.groupdict()
        parts["zone_minutes"] = "0" if parts.pop("zone") else None
        return _build(raw, parts, raw[found.start("sign"):] if parts["sign"] else None)
    if len(raw) > MAX_DATE_TEXT:
        return Timestamp(raw, None, None, None)
    return _parse_words(raw, names or _no_names())


def _parse_words(raw: str, names: DateNames) -> Timestamp:
    tokens = names.tokens(raw)
    found = names.grammar.fullmatch("".join(symbol for symbol, _, _ in tokens))
    if found is None:
        return Timestamp(raw, None, None, None)

    def token(group: str) -> str | None:
        start = found.start(group)
        return tokens[start][1] if start >= 0 else None

    def meaning(group: str, kind: str) -> Any:
        start = found.start(group)
        return names.meanings[tokens[start][2]][kind] if start >= 0 else None

    parts: dict[str, str | None] = {name: token(name) for name in (
        "year", "month", "day", "hour", "minute", "second", "fraction", "sign", "off_hours", "off_minutes")}
    if found.start("ymd") >= 0:
        ymd = token("ymd") or ""
        parts.update(year=ymd[:4], month=ymd[4:6], day=ymd[6:])
    if found.start("month_name") >= 0:
        parts["month"] = str(meaning("month_name", "month"))
    if found.start("slash_first") >= 0:
        first, second = int(token("slash_first") or 0), int(token("slash_last") or 0)
        if first <= 12 and second <= 12 and first != second:
            return Timestamp(raw, None, None, None)  # 03/04/2022: April 3 or March 4, not read
        day, month = (first, second) if first > 12 else (second, first)
        parts.update(day=str(day), month=str(month))
    basic = token("hms") or token("hm")
    if basic:
        parts.update(hour=basic[:2], minute=basic[2:4], second=basic[4:] or None)
    if parts["hour"] is not None and found.start("ampm") >= 0:
        parts["hour"] = str(_twelve_hour(int(parts["hour"]), meaning("ampm", "ampm")))
    hhmm = token("off_hhmm")
    if hhmm:
        parts.update(off_hours=hhmm[:2], off_minutes=hhmm[2:])
    zone = meaning("zone", "zone")
    parts["zone_minutes"] = None if zone is None else str(zone)
    start = found.start("zone") if zone is not None else found.start("sign")
    end = max(found.end(group) for group in ("zone", "sign", "off_hours", "off_minutes", "off_hhmm"))
    offset_text = "".join(piece for _, piece, _ in tokens[start:end]) if start >= 0 else None
    return _build(raw, parts, offset_text)


def _twelve_hour(hour: int, marker: str) -> int:
    """A 12-hour clock reading in 24 hours; an hour past 12 is already on a 24-hour clock."""
    if hour > 12:
        return hour
    if marker == "pm":
        return hour % 12 + 12
    return hour % 12


def _build(raw: str, parts: dict[str, str | None], offset_text: str | None) -> Timestamp:
    """A Timestamp from the numbers a shape matched (strings of digits)."""
    hour, second, fraction = parts["hour"], parts["second"], parts["fraction"]
    precision = DAY if hour is None else MINUTE if second is None else SECOND if fraction is None else FRACTION
    tzinfo, offset, offset_problem = _offset(parts, offset_text, hour is not None)
    try:
        instant = datetime(
            int(parts["year"] or 0), int(parts["month"] or 0), int(parts["day"] or 0),
            int(hour or 0), int(parts["minute"] or 0), int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo=tzinfo,
        )
    except ValueError as exc:
        return Timestamp(raw, None, precision, None, problem=str(exc))
    return Timestamp(raw, instant, precision, offset, offset_problem=offset_problem)


def _offset(parts: dict[str, str | None], text: str | None,
            has_time: bool) -> tuple[timezone | None, str | None, str | None]:
    """(tzinfo, "+01:00", offset problem) of the offset a shape matched."""
    zone = parts["zone_minutes"]
    sign, hours, minutes = parts["sign"], parts["off_hours"], parts["off_minutes"]
    if zone is None and sign is None:
        return None, None, NO_OFFSET if has_time else None
    numeric = int(hours or 0) * 60 + int(minutes or 0)
    if sign == "-" and numeric == 0 and zone is None:
        return None, None, NO_OFFSET  # RFC 3339: -00:00 says the offset is unknown
    total = int(zone or 0) + (-numeric if sign == "-" else numeric)
    if int(minutes or 0) >= 60 or total % OFFSET_STEP or not EARLIEST_OFFSET <= total <= LATEST_OFFSET:
        return None, None, f"impossible UTC offset {text}"
    delta = timedelta(minutes=total)
    shown = f"{'-' if total < 0 else '+'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    return (UTC if total == 0 else timezone(delta)), shown, None


# -- sameness and order ----------------------------------------------------------------

_STEPS = {DAY: timedelta(days=1), MINUTE: timedelta(minutes=1), SECOND: timedelta(seconds=1),
          FRACTION: timedelta(seconds=1)}  # sub-second parts never make a difference


def same_instant(a: Timestamp, b: Timestamp) -> bool:
    """Whether `a` and `b` can be the same instant, at the precision both carry.

    - A date alone agrees with any time that day in the other value's own offset.
    - Minutes against seconds compare at minutes; sub-second parts never count.
    - `Z`, `+00:00`, `+0000` and `GMT` are one offset.
    - A naive value is a wall clock in an unknown zone: it agrees with an aware value
      when some real UTC offset (-12:00..+14:00, whole quarter hours) makes them equal.
    - Two naive values compare their wall clocks.
    False when either is not a readable date.
    """
    if a.instant is None or b.instant is None or a.precision is None or b.precision is None:
        return False
    if DAY in (a.precision, b.precision):
        return a.instant.date() == b.instant.date()
    step = max(_STEPS[a.precision], _STEPS[b.precision])
    try:
        first, second = _floor(_wall_or_utc(a.instant), step), _floor(_wall_or_utc(b.instant), step)
    except OverflowError:  # the last day of year 9999 west of UTC: no real article there
        return False
    if a.naive == b.naive:
        return first == second
    # The naive value's wall clock minus the aware value's UTC is the offset that would make them equal.
    offset = (first - second) if a.naive else (second - first)
    minutes = offset.total_seconds() / 60
    return minutes % OFFSET_STEP == 0 and EARLIEST_OFFSET <= minutes <= LATEST_OFFSET


def before(a: Timestamp, b: Timestamp, tolerance: timedelta = timedelta(0)) -> bool | None:
    """Whether `a` is earlier than `b` by more than `tolerance`, at the precision both carry.

    True when it holds for every instant each value may mean (a date covers its whole
    day, in the other value's offset when that one has one; a minute its whole minute),
    so 10:00 is before 10:01 but not before 10:00:30. A naive value against an aware one
    is tried under every real UTC offset: True or False only when all agree, None when
    the answer depends on the offset. None too when either is not a readable date.
    """
    if a.instant is None or b.instant is None or a.precision is None or b.precision is None:
        return None
    mixed = a.naive != b.naive and a.has_time and b.has_time
    assumed = [timedelta(minutes=EARLIEST_OFFSET), timedelta(minutes=LATEST_OFFSET)] if mixed else [timedelta(0)]
    try:
        verdicts = {_start(b.instant, b.precision, a.instant, offset) - _start(a.instant, a.precision, b.instant, offset)
                    - _STEPS[a.precision] >= tolerance for offset in assumed}
    except OverflowError:  # year 1 or 9999 against an offset: no real article there to order
        return None
    return verdicts.pop() if len(verdicts) == 1 else None


def _start(instant: datetime, precision: str, other: datetime, assumed: timedelta) -> datetime:
    """Where the span a value may mean starts, as a naive datetime in the frame both values
    share: UTC when either is aware, wall clocks otherwise. A naive time against an aware
    value is read with the `assumed` offset; a date alone takes the other value's offset."""
    if instant.tzinfo is not None:
        return _wall_or_utc(instant)
    if other.tzinfo is None:
        return instant
    if precision == DAY:
        return instant - (other.utcoffset() or timedelta(0))
    return instant - assumed


def _wall_or_utc(instant: datetime) -> datetime:
    """An aware instant in UTC, a naive one as it is; both naive datetimes."""
    return instant.astimezone(UTC).replace(tzinfo=None) if instant.tzinfo is not None else instant


def _floor(moment: datetime, step: timedelta) -> datetime:
    if step >= _STEPS[DAY]:
        return moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if step >= _STEPS[MINUTE]:
        return moment.replace(second=0, microsecond=0)
    return moment.replace(microsecond=0)


@lru_cache(maxsize=256)  # rules ask for their tolerance on every document
def parse_duration(text: str | int | float) -> timedelta:
    """'1d', '36h', '2 days', 90 (seconds) -> timedelta. Raises ValueError otherwise."""
    if isinstance(text, (int, float)):
        return timedelta(seconds=text)
    total = 0.0
    rest = text.strip()
    position = 0
    for found in _DURATION.finditer(rest):
        if rest[position:found.start()].strip():
            break
        total += float(found["amount"]) * _UNIT_SECONDS[found["unit"]]
        position = found.end()
    if position == 0 or rest[position:].strip():
        raise ValueError(f"not a duration: {text!r} (try '1d', '12h', '30m')")
    return timedelta(seconds=total)


def make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
