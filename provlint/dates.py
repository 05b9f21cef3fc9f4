"""Parsing the date and time spellings found in dumps, without guessing.

A value that cannot be read as a real instant keeps its raw text and a `problem`
(e.g. "day is out of range for month" for 2021-02-31) so a rule can report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, UTC
from functools import lru_cache

# ISO 8601 and its common relatives: 2022-02-21T08:57+0100, 2022-02-21 08:57:00.123Z, ...
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?)?"
    r"\s*(?P<offset>Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
)
# Day-first dates with a time: 21.02.2022 08:57, 21/02/2022 08:57:00 +0100
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})"
    r"(?:[ T,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"\s*(?P<offset>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
)
_DURATION = re.compile(r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[smhdw]|sec|min|hours?|days?|weeks?)")
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "hours": 3600,
                 "d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800,
                 "weeks": 604800}


@dataclass(frozen=True)
class Timestamp:
    """A parsed timestamp; `instant` is None when the text names no real instant."""

    raw: str
    instant: datetime | None
    has_time: bool
    offset: str | None  # "+01:00", "Z"; None when the value has no offset
    problem: str | None = None
    offset_problem: str | None = None

    @property
    def local_date(self) -> date | None:
        """The calendar date in the value's own offset (what a dateline or URL shows)."""
        return self.instant.date() if self.instant else None


@lru_cache(maxsize=4096)  # a dump repeats its dates (created = published); Timestamp is immutable
def parse_timestamp(text: str) -> Timestamp:
    raw = text.strip()
    found = _ISO.fullmatch(raw) or _DAY_FIRST.fullmatch(raw)
    if found is None:
        return _parse_rfc2822(raw)
    parts = found.groupdict()
    has_time = parts["hour"] is not None
    offset_text = parts["offset"]
    tzinfo, offset, offset_problem = _offset(offset_text, has_time)
    try:
        instant = datetime(
            int(parts["year"]), int(parts["month"]), int(parts["day"]),
            int(parts["hour"] or 0), int(parts["minute"] or 0), int(parts.get("second") or 0),
            int((parts.get("fraction") or "0")[:6].ljust(6, "0")), tzinfo=tzinfo,
        )
    except ValueError as exc:
        return Timestamp(raw, None, has_time, offset, problem=str(exc), offset_problem=offset_problem)
    return Timestamp(raw, instant, has_time, offset, offset_problem=offset_problem)


@lru_cache(maxsize=256)
def _offset(text: str | None, has_time: bool) -> tuple[timezone | None, str | None, str | None]:
    if text is None:
        return None, None, ("no UTC offset" if has_time else None)
    if text in ("Z", "z", "UTC", "GMT"):
        return UTC, "Z", None
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    # Real offsets run from -12:00 to +14:00 in whole quarter hours.
    if hours > 14 or minutes >= 60 or minutes % 15:
        return None, None, f"impossible UTC offset {text}"
    delta = timedelta(hours=hours, minutes=minutes)
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * delta), f"{text[0]}{hours:02d}:{minutes:02d}", None


def _parse_rfc2822(raw: str) -> Timestamp:
    from email.utils import parsedate_to_datetime  # rare spelling: not loaded at start-up

    try:
        instant = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError) as exc:
        return Timestamp(raw, None, False, None, problem=str(exc) or "not a date")
    if instant is None:
        return Timestamp(raw, None, False, None, problem="not a date")
    if instant.tzinfo is None:
        return Timestamp(raw, instant, True, None, offset_problem="no UTC offset")
    offset = instant.strftime("%z")
    return Timestamp(raw, instant, True, f"{offset[:3]}:{offset[3:]}")


def as_utc(instant: datetime) -> datetime:
    """Comparable across values: aware values in UTC, naive ones taken as UTC."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


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
