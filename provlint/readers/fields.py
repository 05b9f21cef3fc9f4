"""Classified blocks -> the normalised `fields` (README, "How a dump is read"), each value with its place."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from provlint.dates import parse_timestamp
from provlint.datenames import DateNames
from provlint.timestamps import calendar_date, make_date
from provlint.model import Block, Document, FieldValue
from provlint.patterns import Pattern, compile_pattern
from provlint.readers.blocktable import BlockTable, BylineRules
from provlint.readers.plainregex import bounded_twin
from provlint.suffixes import split_host
from provlint.vocabulary import TIMESTAMP_ROLES

# The fields the readers make beyond what the block table names (`kind_fields`, the named
# groups of its patterns, `timestamp_roles`): the timestamps of structured readers by
# role, and what is derived from other values. `field_names` adds the table's.
DERIVED_FIELDS = (*TIMESTAMP_ROLES, "utc_offsets", "domain", "subdomain", "url_date", "author_names",
                  "publisher_domains", "page_text", "operator_id")

# A publisher name that is itself a host name (`Ria.ru`, `Www.rtl.de`, `Yahoo.co.jp`).
_HOST_NAME = compile_pattern(r"(?i)(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")


@lru_cache(maxsize=4096)
def registered_domain(host_or_url: str) -> tuple[str, str, str]:
    """(registered domain, subdomain, name) of a host or URL: ('sputniknews.com', 'fr', 'sputniknews')."""
    subdomain, name, suffix = split_host(host_or_url)
    return (f"{name}.{suffix}" if name and suffix else "").lower(), subdomain.lower(), name.lower()


@lru_cache(maxsize=4096)
def private_domain(host_or_url: str) -> tuple[str, str]:
    """(registered domain, name) with private suffixes counted as suffixes: ('bild.eu.com',
    'bild') of bild.eu.com, whose registered domain is eu.com."""
    _, name, suffix = split_host(host_or_url, private=True)
    return (f"{name}.{suffix}" if name and suffix else "").lower(), name.lower()


def _stripped(text: str) -> str:
    """The text without surrounding white space; the text itself when it has none (most
    blocks: no copy of a long body made)."""
    return text.strip() if text[:1].isspace() or text[-1:].isspace() else text


def _block_value(block: Block, value: object, raw: str | None = None) -> FieldValue:
    text = block.text
    last_break = text.rfind("\n")
    if last_break < 0:  # one line, as most blocks are
        column = (len(text) - len(text.lstrip()) if text[:1].isspace() else 0) + block.column
        end_column = block.end_column or (len(text.rstrip()) if text[-1:].isspace() else len(text)) + block.column
    else:
        first = text[: text.find("\n")]
        column = len(first) - len(first.lstrip()) + block.column
        end_column = block.end_column or len(text[last_break + 1 :].rstrip()) + 1
    return FieldValue(value, _stripped(text) if raw is None else raw, block.line, block.end_line, column, end_column,
                      None, {}, block.origin)


def _group_value(block: Block, name: str, value: object) -> FieldValue:
    start, end = block.group_spans[name]
    line, column = block.position(start)
    end_line, end_column = block.position(end)
    return FieldValue(value, block.groups[name], line, end_line, column, end_column, None, {}, block.origin)


def build_fields(document: Document, table: BlockTable) -> None:
    timestamps: list[Block] = []
    kind_fields = table.kind_fields
    add = document.add
    for block in document.blocks:
        kind = block.kind
        if kind == "timestamp":
            timestamps.append(block)
            continue
        spec = kind_fields.get(kind)
        if spec:
            if spec.get("record"):
                record = _block_value(block, dict(block.groups))
                add(spec["field"], record)
                if spec["field"] == "authors":
                    _add_author_name(document, block, record, table.bylines)
                continue
            _add_text(document, block, spec)
        if block.groups:
            for name, text in block.groups.items():
                add(name, _group_value(block, name, text))
    if timestamps:
        _add_timestamps(document, timestamps, table)
    _normalise(document, table)


def field_names(table: BlockTable) -> list[str]:
    """Every field a reader can fill with this table: what rules may name."""
    records = {kind for kind, spec in table.kind_fields.items() if spec.get("record")}
    names = [spec["field"] for spec in table.kind_fields.values()]
    names += [role for roles in table.timestamp_roles for role in roles]
    # A named group fills the field of its name, except in a record (its parts) or a timestamp.
    names += [group for entry in table.entries if entry.pattern is not None and entry.kind not in records
              and entry.kind != "timestamp" for group in entry.pattern.group_names]
    return sorted(set(names).union(DERIVED_FIELDS))


def _add_text(document: Document, block: Block, spec: dict) -> None:
    separator = spec.get("split")
    if not separator:
        text = _stripped(block.text)
        document.add(spec["field"], _block_value(block, text, text))
        return
    offset = 0
    for part in block.text.split(separator):
        item = part.strip()
        if item:
            start = offset + part.index(item)
            line, column = block.position(start)
            document.add(spec["field"], FieldValue(item, item, line, line, column, column + len(item), None, {},
                                                   block.origin))
        offset += len(part) + len(separator)


def _add_timestamps(document: Document, blocks: list[Block], table: BlockTable) -> None:
    """Roles by order among timestamps without one; a structured reader names its roles."""
    unnamed = 0
    for block in blocks:
        if not block.groups.get("role"):
            unnamed += 1
    in_order = table.roles(unnamed)
    taken = 0  # the roles of `in_order` given so far
    names = table.dates
    add = document.add
    for block in blocks:
        role = block.groups.get("role")
        if not role:  # a `role` group that matched nothing names none either
            role = in_order[taken]
            taken += 1
        stamp = parse_timestamp(block.text, names)
        value = _block_value(block, stamp)
        value.problem = stamp.problem
        add(role, value)
        if stamp.offset is not None:  # where the timestamp stands: its place, not worked out again
            add("utc_offsets", FieldValue(stamp.offset, value.raw, value.line, value.end_line, value.column,
                                          value.end_column, None, {"role": role}, value.origin))


def _as_date(value: FieldValue, name: str, table: BlockTable) -> None:
    """A day, or a month (`2021-05`) spanning its days: `extra["end"]` is the last day."""
    key = (value.raw, name, table.dates)
    known = _DATES.get(key)
    if known is None:
        if len(_DATES) >= _DATES_SIZE:
            _DATES.clear()
        known = _DATES[key] = _read_date(value.raw, name, table.dates)
    start, end, problem = known
    value.value, value.problem = start, problem
    if end is not None:
        value.extra["end"] = end


# _read_date's answers by text, field and the date words that read it: a corpus repeats
# its crawl dates and datelines. Cleared when full.
_DATES: dict[tuple[str, str, DateNames], tuple[date | None, date | None, str | None]] = {}
_DATES_SIZE = 4096


def _read_date(raw: str, name: str, names: DateNames) -> tuple[date | None, date | None, str | None]:
    """(first day, last day, problem) of a date field's text."""
    label = name.replace("_", " ")
    month = _YEAR_MONTH.fullmatch(raw)
    if month:
        start = make_date(int(month[1]), int(month[2]), 1)
        end = _month_end(start) if start is not None else None
        return start, end, None if start is not None else f"impossible {label} {raw}"
    stamp = parse_timestamp(raw, names)
    day = calendar_date(stamp)
    return day, day, None if day is not None else (
        f"impossible {label} {raw}" if stamp.problem else f"{label} {raw!r} is not a date")


def _as_year(value: FieldValue, name: str, table: BlockTable) -> None:
    if value.raw.isdigit() and len(value.raw) == 4:
        value.value = int(value.raw)
    else:
        value.value, value.problem = None, f"{name.replace('_', ' ')} {value.raw!r} is not a year"


# Fixed and anchored: `re` with ASCII digits reads it as RE2 would, without RE2's cost a call.
SERVED_AT = "meta og:url"  # the origin of a page's own address, as html_page reads it
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)


def _normalise(document: Document, table: BlockTable) -> None:
    # How a named group's text is read, by its type in the block table's `group_types`
    # (called directly: compiled, a function taken from a dict is called as a Python object).
    for name, kind in table.group_types.items():
        if kind == "date":
            for value in document.values(name):
                _as_date(value, name, table)
        elif kind == "year":
            for value in document.values(name):
                _as_year(value, name, table)
    urls = document.values("url") or document.values("link")
    if urls:
        # A page is where og:url says it is served: a syndicated article's canonical link
        # names the original on another site (space.com's copy of a SpaceNews story).
        _add_url_facts(document, next((url for url in urls if url.origin == SERVED_AT), urls[0]), table)
    for publisher in document.values("publisher"):
        _add_publisher_domains(document, publisher)


# parse_byline's answers by text and the patterns that read it (a table's rules may change
# while it is loaded): a corpus repeats its outlets' bylines. Cleared when full.
_BYLINES: dict[tuple[Any, ...], tuple[str, str, int]] = {}
_BYLINES_SIZE = 4096


def parse_byline(text: str, rules: BylineRules) -> tuple[str, str, int]:
    """(person or persons, outlet/desk/role, where the person starts in `text`) of a byline:
    `By Jill Disis, CNN Business` -> ('Jill Disis', 'CNN Business', 3). What no rule
    recognises is all name."""
    key = (text, rules.prefix, rules.suffix, rules.affiliation, *rules.separators)
    known = _BYLINES.get(key)
    if known is None:
        if len(_BYLINES) >= _BYLINES_SIZE:
            _BYLINES.clear()
        known = _BYLINES[key] = _parse_byline(text, rules)
    return known


def _parse_byline(text: str, rules: BylineRules) -> tuple[str, str, int]:
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    if rules.prefix is not None:
        found = rules.prefix.search(text[start:end])
        if found is not None and found.start == 0 and found.end < end - start:
            start += found.end
    if rules.suffix is not None:
        found = rules.suffix.search(text[start:end])
        if found is not None and found.start > 0 and found.end == end - start:
            end = start + found.start
    byline = text[start:end]
    parts = byline.split(",")
    if len(parts) > 1 and all("|" in part for part in parts):  # `NAME | OUTLET, NAME | OUTLET`
        pairs = [[side.strip() for side in part.split("|", 1)] for part in parts]
        return ", ".join(name for name, _ in pairs), ", ".join(dict.fromkeys(o for _, o in pairs if o)), start
    for separator in rules.separators:
        found = separator.search(byline)
        if found is None:
            continue
        cut, resume = found.spans.get("sep", (found.start, found.end))
        if byline[:cut].strip():
            return byline[:cut].strip(), byline[resume:].strip(), start
    head, comma, last = byline.rpartition(",")
    if comma and head.strip() and rules.affiliation is not None and rules.affiliation.fullmatch(last.strip()):
        return head.strip(), last.strip(), start
    return byline.strip(" ,;"), "", start


def _add_author_name(document: Document, block: Block, record: FieldValue, rules: BylineRules) -> None:
    """The person an author record names, without `By` or the outlet, where it stands."""
    parts = record.value
    raw = parts.get("name") or parts.get("email")
    if not raw or not raw.strip():
        return
    name, affiliation, offset = parse_byline(raw, rules) if parts.get("name") else (raw.strip(), "", 0)
    if not name:
        return
    if parts.get("name"):
        parts["name"] = name
        if affiliation:
            parts["affiliation"] = affiliation
    group = "name" if parts.get("name") else "email"
    start = block.group_spans[group][0] + offset if group in block.group_spans else 0
    line, column = block.position(start)
    document.add("author_names", FieldValue(name, name, line, line, column, column + len(name), None, {}, block.origin))


def _month_end(start: date) -> date:
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


# An http(s) URL with a plain host and no white space or control characters: its host and
# path read without urlsplit, as urlsplit reads them (the host lower-cased; the path up to `?`
# or `#`). Anything else (ports, user info, IPv6, other schemes) goes through urlsplit.
_PLAIN_URL = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?:)?//([A-Za-z0-9.-]+)([/?#][^\x00-\x20]*)?", re.ASCII)


def host_and_path(url: str) -> tuple[str, str]:
    """A URL's host and path; ("", "") for text urlsplit rejects (`http://[evil/`)."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:
        rest = plain[2]
        if not rest:
            return plain[1].lower(), ""
        cut = len(rest)
        for mark in "?#":
            found = rest.find(mark)
            if 0 <= found < cut:
                cut = found
        return plain[1].lower(), rest[:cut]
    try:
        location = urlsplit(url if "//" in url else "//" + url)
        return location.hostname or "", location.path
    except ValueError:
        return "", ""


def _add_url_facts(document: Document, url: FieldValue, table: BlockTable) -> None:
    hostname, path = host_and_path(url.raw)
    if not hostname:
        return
    domain, subdomain, label = registered_domain(hostname)
    if domain:
        document.add("domain", FieldValue(domain, url.raw, url.line, url.end_line, url.column, url.end_column, None,
                                          {"label": label}, url.origin))
    if subdomain:
        document.add("subdomain", FieldValue(subdomain, url.raw, url.line, url.end_line, url.column, url.end_column,
                                             None, {}, url.origin))
    for pattern in table.url_dates:
        found = _url_date_search(pattern, path)
        if found is None:
            continue
        start, text, parts = found
        day = make_date(int(parts["year"] or 0), int(parts["month"] or 0), int(parts["day"] or 0))
        if day is None:
            continue
        path_start = url.raw.find(path, url.raw.find(hostname))  # `path` is not empty: a day was read in it
        column = url.column + max(path_start, 0) + start
        document.add("url_date", FieldValue(day, text, url.line, url.line, column, column + len(text),
                                            None, {}, url.origin))
        return


def _url_date_search(pattern: Pattern, path: str) -> tuple[int, str, dict[str, str | None]] | None:
    """(start, text, groups by name) of the pattern's first match in a URL's path: by its
    `re` twin (`bounded_twin`) when it has one and the path is ASCII (RE2 through its
    binding costs ~25 K instructions on a short path, `re` a few K), else by the pattern."""
    source = pattern.source
    if source not in _TWINS:
        _TWINS[source] = bounded_twin(source)
    twin = _TWINS[source]
    if twin is not None and path.isascii():
        plain = twin.search(path)
        return None if plain is None else (plain.start(), plain.group(), plain.groupdict())
    found = pattern.search(path)
    return None if found is None else (found.start, found.text, found.groups)


# The URL date patterns' `re` twins by source (None: none): a table has a few.
_TWINS: dict[str, re.Pattern[str] | None] = {}


@lru_cache(maxsize=4096)  # a corpus repeats its outlets' publisher blocks
def _domain_claims(email: str, homepage: str, name: str) -> tuple[tuple[str, str, str, str], ...]:
    """(what, raw, registered domain, label) for each domain a publisher claims."""
    claims = []
    if email:
        claims.append(("e-mail", email, email.rsplit("@", 1)[-1]))
    if homepage:
        claims.append(("homepage", homepage, host_and_path(homepage)[0]))
    if _HOST_NAME.fullmatch(name):
        claims.append(("name", name, name))
    found = []
    for what, raw, host in claims:
        domain, _, label = registered_domain(host)
        if domain:
            found.append((what, raw, domain, label))
    return tuple(found)


def _add_publisher_domains(document: Document, publisher: FieldValue) -> None:
    """Registered domains a publisher block claims: its e-mail, homepage or host-like name."""
    parts = publisher.value
    for what, raw, domain, label in _domain_claims(parts.get("email") or "", parts.get("homepage") or "",
                                                   parts.get("name") or ""):
        value = FieldValue(domain, raw, publisher.line, publisher.end_line, publisher.column, publisher.end_column,
                           None, {"claim": what, "label": label}, publisher.origin)
        text = document.line(publisher.line)
        position = text.find(raw)
        if position >= 0:
            value.column, value.end_column = position + 1, position + 1 + len(raw)
        document.add("publisher_domains", value)
