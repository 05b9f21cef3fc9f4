"""Reading the date and time spellings of dumps, records and pages.

The numeric grammar is here: ISO 8601 extended and basic, day-first dotted dates,
slash dates whose numbers decide the order, year-first dotted and CJK dates, times
with colons or hour marks, UTC offsets. The words are data (`dates:` in
`rules/dates.yaml` and users' files, read into `DateNames` by `provlint.datenames`):
month and weekday names, ordinal suffixes, connector and wrap-up words, am/pm markers,
time-zone abbreviations, CJK year/month/day marks.

A text is cut into tokens (numbers, words, marks); each token becomes one symbol, and
the symbols must spell a date from start to end: anything else around a date makes the
text "not a date", which is no problem. A recognised date that names no real instant
(2021-02-31, month 13, hour 25) keeps its `problem` (e.g. "day is out of range for
month") for rules to report.

What is read is a `Timestamp` (`provlint.timestamps`, which also decides whether two
timestamps name the same instant and which comes first).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, TypeVar

from provlint.datenames import DateNames
from provlint.timestamps import (
    DAY, EARLIEST_OFFSET, FRACTION, LATEST_OFFSET, MINUTE, NO_OFFSET, OFFSET_STEP, SECOND, Timestamp,
)

# A date spelled in more characters than this is not a date (and never costs a long match).
MAX_DATE_TEXT = 120

# The common case needs no tokens: ISO 8601 extended (2022-02-21T08:57:00.123+01:00), a
# date, then a time after the first `T`, `t` or space (a date holds none of them). It reads
# exactly as the general grammar below would. The two parts are read apart: a corpus
# repeats its days and its times of day (`_ISO_DATES`, `_ISO_TIMES`).
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_ISO_TIME = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r" ?(?:(?P<zone>[Zz])|(?P<sign>[+-])(?P<off_hours>\d{2})(?::?(?P<off_minutes>\d{2}))?)?",
    re.ASCII,
)


# A day-first dotted date (the dateline's `21.02.2022`): what the grammar reads it as
# (day, month, year; nothing else), without cutting it into tokens.
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_NO_PARTS: dict[str, str | None] = dict.fromkeys((
    "year", "month", "day", "hour", "minute", "second", "fraction", "sign", "off_hours", "off_minutes", "zone_minutes"))


@lru_cache(maxsize=1)
def _no_names() -> DateNames:
    return DateNames()


@lru_cache(maxsize=8192)  # a corpus repeats its dates (created = published); Timestamp is immutable
def parse_timestamp(text: str, names: DateNames | None = None) -> Timestamp:
    """`text` as a Timestamp, reading words with `names` (numeric spellings only without)."""
    raw = text.strip()
    iso = _read_iso(raw)
    if iso is not None:
        return iso
    dotted = _DOTTED.fullmatch(raw)
    if dotted is not None:
        day, month, year = dotted.groups()
        return _build(raw, {**_NO_PARTS, "day": day, "month": month, "year": year}, None)
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


# What the parts of ISO 8601 texts read as, by the part's text: a date's (year, month, day,
# the problem of that day or None), a time's (hour, minute, second, microsecond, precision,
# tzinfo, offset, offset problem, the problem of that time of day or None). Texts of
# other shapes are not kept. Cleared when full.
_IsoDate = tuple[int, int, int, str | None]
_IsoTime = tuple[int, int, int, int, str, timezone | None, str | None, str | None, str | None]
_Part = TypeVar("_Part")
_ISO_DATES: dict[str, _IsoDate] = {}
_ISO_TIMES: dict[str, _IsoTime] = {}
_ISO_PARTS_SIZE = 8192
_NO_TIME: _IsoTime = (0, 0, 0, 0, DAY, None, None, None, None)


def _read_iso(raw: str) -> Timestamp | None:
    """`raw` read as ISO 8601 extended; None when it is not of that shape."""
    cut = len(raw)
    for separator in "Tt ":
        found = raw.find(separator, 0, cut)
        if found >= 0:
            cut = found
    if not 8 <= cut <= 10:  # `YYYY-M-D` to `YYYY-MM-DD`
        return None
    day = _kept(_ISO_DATES, raw[:cut], _read_iso_date)
    if day is None:
        return None
    if cut == len(raw):
        time = _NO_TIME
    else:
        known = _kept(_ISO_TIMES, raw[cut + 1:], _read_iso_time)
        if known is None:
            return None
        time = known
    year, month, day_of_month, day_problem = day
    hour, minute, second, microsecond, precision, tzinfo, offset, offset_problem, time_problem = time
    # `datetime` checks the day before the time of day: its problem comes first.
    problem = day_problem or time_problem
    if problem is not None:
        return Timestamp(raw, None, precision, None, problem=problem)
    instant = datetime(year, month, day_of_month, hour, minute, second, microsecond, tzinfo)  # positional: no keyword parsing
    return Timestamp(raw, instant, precision, offset, offset_problem=offset_problem)


def _kept(memo: dict[str, _Part], text: str, read: Callable[[str], _Part | None]) -> _Part | None:
    """What `read` makes of `text`, kept in `memo` (emptied when full); None, not kept,
    when `text` is not of its shape."""
    known = memo.get(text)
    if known is None:
        known = read(text)
        if known is None:
            return None
        if len(memo) >= _ISO_PARTS_SIZE:
            memo.clear()
        memo[text] = known
    return known


def _read_iso_date(text: str) -> _IsoDate | None:
    """(year, month, day, the problem `datetime` finds in that day) of an ISO 8601 date."""
    found = _ISO_DATE.fullmatch(text)
    if found is None:
        return None
    year, month, day = int(found[1]), int(found[2]), int(found[3])
    try:
        datetime(year, month, day)
    except ValueError as exc:
        return year, month, day, str(exc)
    return year, month, day, None


def _read_iso_time(text: str) -> _IsoTime | None:
    """What an ISO 8601 time of day (after the `T`) reads as: see `_ISO_TIMES`."""
    found = _ISO_TIME.fullmatch(text)
    if found is None:
        return None
    # Declared: compiled, `int` of a str is read natively, of an untyped group a call of `int`.
    hour: str
    minute: str
    second: str | None
    fraction: str | None
    hour, minute, second, fraction, zone, sign, off_hours, off_minutes = found.groups()
    precision = MINUTE if second is None else SECOND if fraction is None else FRACTION
    tzinfo, offset, offset_problem = _offset("0" if zone else None, sign, off_hours, off_minutes,
                                             text[found.start("sign"):] if sign else None, True)
    hours, minutes = int(hour), int(minute)
    seconds = int(second) if second else 0
    microseconds = int(fraction[:6].ljust(6, "0")) if fraction else 0
    problem = None
    # What `datetime` refuses of a time of day (up to six digits of a second always fit),
    # in its words: asked of it only then, on a day that has every time.
    if hours > 23 or minutes > 59 or seconds > 59:
        try:
            datetime(2000, 1, 1, hours, minutes, seconds, microseconds)
        except ValueError as exc:
            problem = str(exc)
    return hours, minutes, seconds, microseconds, precision, tzinfo, offset, offset_problem, problem


def _build(raw: str, parts: dict[str, str | None], offset_text: str | None) -> Timestamp:
    """A Timestamp from the numbers a shape matched (strings of digits)."""
    hour, second, fraction = parts["hour"], parts["second"], parts["fraction"]
    precision = DAY if hour is None else MINUTE if second is None else SECOND if fraction is None else FRACTION
    tzinfo, offset, offset_problem = _offset(parts["zone_minutes"], parts["sign"], parts["off_hours"],
                                             parts["off_minutes"], offset_text, hour is not None)
    try:
        instant = datetime(
            int(parts["year"] or 0), int(parts["month"] or 0), int(parts["day"] or 0),
            int(hour or 0), int(parts["minute"] or 0), int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo,
        )
    except ValueError as exc:
        return Timestamp(raw, None, precision, None, problem=str(exc))
    return Timestamp(raw, instant, precision, offset, offset_problem=offset_problem)


@lru_cache(maxsize=1024)  # a corpus writes few offsets, in few spellings
def _offset(zone: str | None, sign: str | None, hours: str | None, minutes: str | None, text: str | None,
            has_time: bool) -> tuple[timezone | None, str | None, str | None]:
    """(tzinfo, "+01:00", offset problem) of the offset a shape matched: `zone` the minutes
    a zone name stands for, `text` the offset as written (for the problem)."""
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
