"""The Timestamp model: what a timestamp read from a dump carries (its instant, precision
and UTC offset, or the problem that keeps it from naming one), and the one place that
decides whether two timestamps name the same instant (`same_instant`), which comes first
(`before`), and on which calendar day one falls (`calendar_date`). Durations of rule
options (`tolerance: 1d`) are read here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

# What a timestamp carries, coarsest first.
DAY, MINUTE, SECOND, FRACTION = "day", "minute", "second", "fraction"
NO_OFFSET = "no UTC offset"  # `offset_problem` of a time of day written without an offset
# Real UTC offsets, in minutes: -12:00 to +14:00 in whole quarter hours.
EARLIEST_OFFSET, LATEST_OFFSET, OFFSET_STEP = -12 * 60, 14 * 60, 15
_DURATION = re.compile(r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[smhdw]|sec|min|hours?|days?|weeks?)")
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "hours": 3600,
                 "d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800,
                 "weeks": 604800}


# `__init__` written out: compiled, it is native, where the generated one is a Python
# function (some 10,000 instructions a timestamp; a dump reads two or three).
@dataclass(frozen=True, init=False)
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

    def __init__(self, raw: str, instant: datetime | None, precision: str | None, offset: str | None,
                 problem: str | None = None, offset_problem: str | None = None) -> None:
        # Frozen: set past the dataclass's `__setattr__`, as its generated `__init__` does.
        object.__setattr__(self, "raw", raw)
        object.__setattr__(self, "instant", instant)
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "offset", offset)
        object.__setattr__(self, "problem", problem)
        object.__setattr__(self, "offset_problem", offset_problem)

    @property
    def has_time(self) -> bool:
        return self.precision is not None and self.precision != DAY

    @property
    def naive(self) -> bool:
        """A readable value without a UTC offset (a date alone, or a wall-clock time)."""
        return self.instant is not None and self.instant.tzinfo is None


def calendar_date(value: Any) -> date | None:
    """The calendar day of a field's value: a Timestamp's in its own offset (what a
    dateline or URL shows), a date's itself; None for anything else."""
    if isinstance(value, Timestamp):
        return value.instant.date() if value.instant else None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


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
        return calendar_date(a) == calendar_date(b)
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
    gaps = lead(a, b)
    if gaps is None:
        return None
    if gaps[0] >= tolerance:
        return True
    return False if gaps[1] < tolerance else None


def lead(a: Timestamp, b: Timestamp) -> tuple[timedelta, timedelta] | None:
    """How far `a` is certainly earlier than `b` (`before` compares it with a tolerance):
    the least and the greatest gap, over the UTC offsets a naive time is tried under,
    between the end of the span `a` may mean and the start of `b`'s. None when either is
    not a readable date."""
    first, second = a.instant, b.instant
    if first is None or second is None or a.precision is None or b.precision is None:
        return None
    step = _STEPS[a.precision]
    zone, other_zone = first.tzinfo, second.tzinfo
    # Both naive (wall clocks), or both at fixed offsets away from the calendar's ends
    # (where a shift to UTC overflows): the gap is the plain difference, as `_start`
    # would make it through UTC.
    if (zone is None and other_zone is None) or (
            type(zone) is timezone and type(other_zone) is timezone and 1 < first.year < 9999 and 1 < second.year < 9999):
        gap = second - first - step
        return gap, gap
    try:
        if a.naive != b.naive and a.has_time and b.has_time:
            gaps = [_start(second, b.precision, first, offset) - _start(first, a.precision, second, offset)
                    - step for offset in _REAL_OFFSETS]
            return min(gaps), max(gaps)
        gap = _start(second, b.precision, first, _NO_OFFSET) - _start(first, a.precision, second, _NO_OFFSET) - step
    except OverflowError:  # year 1 or 9999 against an offset: no real article there to order
        return None
    return gap, gap


_NO_OFFSET = timedelta(0)
_REAL_OFFSETS = (timedelta(minutes=EARLIEST_OFFSET), timedelta(minutes=LATEST_OFFSET))


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
