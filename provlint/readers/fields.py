"""Classified blocks -> the normalised `fields` (README, "How a dump is read"), each value with its place."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from provlint.dates import parse_timestamp
from provlint.timestamps import calendar_date, make_date
from provlint.model import Block, Document, FieldValue
from provlint.patterns import compile_pattern
from provlint.readers.blocktable import BlockTable, BylineRules
from provlint.vocabulary import TIMESTAMP_ROLES

# The fields the readers make beyond what the block table names (`kind_fields`, the named
# groups of its patterns, `timestamp_roles`): the timestamps of structured readers by
# role, and what is derived from other values. `field_names` adds the table's.
DERIVED_FIELDS = (*TIMESTAMP_ROLES, "utc_offsets", "domain", "subdomain", "url_date", "author_names",
                  "publisher_domains", "page_text", "operator_id")

# A publisher name that is itself a host name (`Ria.ru`, `Www.rtl.de`, `Yahoo.co.jp`).
_HOST_NAME = compile_pattern(r"(?i)(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # The bundled public-suffix snapshot only: no network, no cache on disk.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def registered_domain(host_or_url: str) -> tuple[str, str, str]:
    """(registered domain, subdomain, name) of a host or URL: ('sputniknews.com', 'fr', 'sputniknews')."""
    parts = _extractor()(host_or_url)
    return parts.top_domain_under_public_suffix.lower(), parts.subdomain.lower(), parts.domain.lower()


@lru_cache(maxsize=4096)
def private_domain(host_or_url: str) -> tuple[str, str]:
    """(registered domain, name) with private suffixes counted as suffixes: ('bild.eu.com',
    'bild') of bild.eu.com, whose registered domain is eu.com."""
    parts = _extractor()(host_or_url, include_psl_private_domains=True)
    return parts.top_domain_under_public_suffix.lower(), parts.domain.lower()


def _block_value(block: Block, value: object, raw: str | None = None) -> FieldValue:
    text = block.text
    last_break = text.rfind("\n")
    first = text if last_break < 0 else text[: text.find("\n")]
    last = text[last_break + 1 :]
    return FieldValue(
        value=value,
        raw=raw if raw is not None else text.strip(),
        line=block.line,
        end_line=block.end_line,
        column=len(first) - len(first.lstrip()) + block.column,
        end_column=block.end_column or len(last.rstrip()) + (block.column if last_break < 0 else 1),
        origin=block.origin,
    )


def _group_value(block: Block, name: str, value: object) -> FieldValue:
    start, end = block.group_spans[name]
    line, column = block.position(start)
    end_line, end_column = block.position(end)
    return FieldValue(value=value, raw=block.groups[name], line=line, end_line=end_line,
                      column=column, end_column=end_column, origin=block.origin)


def build_fields(document: Document, table: BlockTable) -> None:
    timestamps: list[Block] = []
    for block in document.blocks:
        if block.kind == "timestamp":
            timestamps.append(block)
            continue
        spec = table.kind_fields.get(block.kind)
        if spec and spec.get("record"):
            record = _block_value(block, dict(block.groups))
            document.add(spec["field"], record)
            if spec["field"] == "authors":
                _add_author_name(document, block, record, table.bylines)
            continue
        if spec:
            _add_text(document, block, spec)
        for name, text in block.groups.items():
            document.add(name, _group_value(block, name, text))
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
        document.add(spec["field"], _block_value(block, block.text.strip()))
        return
    offset = 0
    for part in block.text.split(separator):
        item = part.strip()
        if item:
            start = offset + part.index(item)
            line, column = block.position(start)
            document.add(spec["field"], FieldValue(item, item, line, line, column, column + len(item),
                                                          origin=block.origin))
        offset += len(part) + len(separator)


def _add_timestamps(document: Document, blocks: list[Block], table: BlockTable) -> None:
    """Roles by order among timestamps without one; a structured reader names its roles."""
    unnamed = [b for b in blocks if "role" not in b.groups]
    roles = dict(zip(map(id, unnamed), table.roles(len(unnamed))))
    for block in blocks:
        role = block.groups.get("role") or roles[id(block)]
        stamp = parse_timestamp(block.text, table.dates)
        value = _block_value(block, stamp)
        value.problem = stamp.problem
        document.add(role, value)
        if stamp.offset is not None:
            offset = _block_value(block, stamp.offset)
            offset.extra["role"] = role
            document.add("utc_offsets", offset)


def _as_date(value: FieldValue, name: str, table: BlockTable) -> None:
    """A day, or a month (`2021-05`) spanning its days: `extra["end"]` is the last day."""
    label = name.replace("_", " ")
    month = _YEAR_MONTH.fullmatch(value.raw)
    if month:
        start = make_date(int(month.groups["year"] or 0), int(month.groups["month"] or 0), 1)
        end = _month_end(start) if start is not None else None
        problem = None if start is not None else f"impossible {label} {value.raw}"
    else:
        stamp = parse_timestamp(value.raw, table.dates)
        start = end = calendar_date(stamp)
        problem = None if start is not None else (
            f"impossible {label} {value.raw}" if stamp.problem else f"{label} {value.raw!r} is not a date")
    value.value, value.problem = start, problem
    if end is not None:
        value.extra["end"] = end


def _as_year(value: FieldValue, name: str, table: BlockTable) -> None:
    if value.raw.isdigit() and len(value.raw) == 4:
        value.value = int(value.raw)
    else:
        value.value, value.problem = None, f"{name.replace('_', ' ')} {value.raw!r} is not a year"


# How a named group's text is read, by its type in the block table's `group_types`.
_NORMALISERS = {"date": _as_date, "year": _as_year}
_YEAR_MONTH = compile_pattern(r"(?P<year>\d{4})-(?P<month>\d{1,2})")


def _normalise(document: Document, table: BlockTable) -> None:
    for name, kind in table.group_types.items():
        normalise = _NORMALISERS.get(kind)
        if normalise is not None:
            for value in document.values(name):
                normalise(value, name, table)
    urls = document.values("url") or document.values("link")
    if urls:
        _add_url_facts(document, urls[0], table)
    for publisher in document.values("publisher"):
        _add_publisher_domains(document, publisher)


def parse_byline(text: str, rules: BylineRules) -> tuple[str, str, int]:
    """(person or persons, outlet/desk/role, where the person starts in `text`) of a byline:
    `By Jill Disis, CNN Business` -> ('Jill Disis', 'CNN Business', 3). What no rule
    recognises is all name."""
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
    document.add("author_names", FieldValue(name, name, line, line, column, column + len(name), origin=block.origin))


def _month_end(start: date) -> date:
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def host_and_path(url: str) -> tuple[str, str]:
    """A URL's host and path; ("", "") for text urlsplit rejects (`http://[evil/`)."""
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
        value = FieldValue(domain, url.raw, url.line, url.end_line, url.column, url.end_column, origin=url.origin)
        value.extra["label"] = label
        document.add("domain", value)
    if subdomain:
        document.add("subdomain", FieldValue(subdomain, url.raw, url.line, url.end_line, url.column, url.end_column,
                                                  origin=url.origin))
    path_start = url.raw.find(path, url.raw.find(hostname)) if path else -1
    for pattern in table.url_dates:
        found = pattern.search(path)
        if not found:
            continue
        parts = found.groups
        day = make_date(int(parts["year"] or 0), int(parts["month"] or 0), int(parts["day"] or 0))
        if day is None:
            continue
        column = url.column + max(path_start, 0) + found.start
        document.add("url_date", FieldValue(day, found.text, url.line, url.line, column, column + len(found.text),
                                                 origin=url.origin))
        return


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
                           origin=publisher.origin)
        value.extra.update(claim=what, label=label)
        text = document.lines[publisher.line - 1]
        position = text.find(raw)
        if position >= 0:
            value.column, value.end_column = position + 1, position + 1 + len(raw)
        document.add("publisher_domains", value)
