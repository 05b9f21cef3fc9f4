from __future__ import annotations

from collections.abc import Callable
from typing import Any

from provlint.checks.base import at_value, describe, place_of, shorten
from provlint.model import Document, FieldValue, Finding
from provlint.rulepack import Rule
from provlint.sameness import (
    content_words, headline_words, is_site_name, looks_like_url, related_headlines, same_headline, same_site, same_url,
    shares_words, title_key,
)
from provlint.timestamps import Timestamp, calendar_date, same_instant

DOC = """`conflict`: a single-valued field has more than one distinct value.

Options: `field`; `compare`: how two values are found to state the same fact (see
`provlint/sameness.py`):
  `text`      white space folded (the default);
  `casefold`  like text, in any case;
  `prefix`    like text, but a value cut short, with or without a trailing ellipsis,
              agrees with the longer one;
  `url`       the same address: scheme, `www.`, the host's case, a default port, a
              trailing slash, the fragment and tracking parameters (`utm_*`) do not
              count, and a relative URL agrees with an absolute one of the same path;
  `title`     the same headline: case, quotes, white space and a site-name prefix or
              suffix (`… | The Outlet`, from og:site_name, the publisher or the domain)
              do not count, and a title cut short agrees with the full one;
  `instant`   timestamps that can name the same instant (`same_instant` in
              `provlint/timestamps.py`): 09:00+01:00 equals 08:00Z, a date alone agrees
              with any time that day, seconds with minutes at minutes, and a time
              without UTC offset with an aware one that some real offset makes equal.
With `compare: title`, `differ` says which differences to report: `unrelated`
(a title that shares few words with the other titles and with the `context` fields,
e.g. `[description, body]`: another article's), `related` (another wording of the
story, such as a social headline), or `any` (the default). With `compare: url`,
`sites` says which to report: URLs on the first one's registered domain (`same`), on
another (`other`: a syndicated copy whose canonical names the original), or `any`. A value that
cannot be compared (an impossible date) is left to other rules. The value most
sources state is the reference (ties: the one the `corroborate` date fields back,
e.g. `[url_date, dateline_date]`); one finding per other distinct value, on its first
occurrence. When nothing tells which of two instants or URLs is wrong, both are
reported. A value is compared with the first 32 distinct values only, so a file of
thousands of articles costs time in proportion to its size.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["field"],
    "properties": {
        "field": {"type": "string", "description": "The field whose values must agree."},
        "compare": {"enum": ["text", "casefold", "prefix", "url", "title", "instant"], "description": "How values are compared."},
        "differ": {"enum": ["any", "unrelated", "related"],
                   "description": ("With `compare: title`: report titles of other articles (unrelated), other "
                                   "wordings of the story (related), or both (any).")},
        "context": {"type": "array", "items": {"type": "string"},
                    "description": ("With `differ`: fields whose text tells which titles belong to the document "
                                    "(description, body).")},
        "corroborate": {"type": "array", "items": {"type": "string"},
                        "description": ("Date fields that tell which of two values is the reference when as many "
                                        "sources state each (url_date, dateline_date).")},
        "sites": {"enum": ["any", "same", "other"],
                  "description": ("With `compare: url`: report URLs on the first one's site (same), on another site "
                                  "(other), or both (any).")},
    },
}
VALUES = {"field": "the field", "value": "the reported value", "other": "the value it differs from",
          "other_line": "that value's line"}


SINGLE_FACTS = {"instant", "url"}
LONG_CONTEXT = 2000  # characters of context past which a title needs half its words in it
# A value is compared with this many distinct values at most: a file holding thousands of
# articles (a concatenated dump) costs time in proportion to its size, not its square.
MAX_COMPARED = 32


def _text(value: FieldValue) -> str:
    return " ".join(str(value.value if isinstance(value.value, str) else value.raw).split())


def _instant(value: FieldValue) -> Timestamp | None:
    stamp = value.value
    return stamp if isinstance(stamp, Timestamp) and stamp.instant is not None else None


def site_names(document: Document) -> tuple[str, ...]:
    """What a title's site-name prefix or suffix may say: the publisher's names and the
    page's domain (`cnbc.com`, `cnbc`)."""
    names = [str(p.value.get("name") or "") for p in document.values("publisher") if isinstance(p.value, dict)]
    for domain in document.values("domain"):
        names += [str(domain.value), str(domain.extra.get("label") or "")]
    return tuple(sorted({name for name in names if name.strip()}))


def _same(compare: str, names: tuple[str, ...]) -> Callable[[FieldValue, FieldValue], bool]:
    if compare == "instant":
        return lambda one, other: same_instant(one.value, other.value)
    if compare == "url":
        return lambda one, other: same_url(_text(one), _text(other))
    if compare == "title":
        keys: dict[int, tuple[str, str]] = {}  # a title is compared with many: its key is made once

        def keyed(value: FieldValue) -> tuple[str, str]:
            found = keys.get(id(value))
            if found is None:
                text = _text(value)
                found = keys[id(value)] = (text, title_key(text, names))
            return found

        return lambda one, other: same_headline(*keyed(one), *keyed(other))
    if compare == "prefix":
        def cut(value: FieldValue) -> str:
            return _text(value).rstrip(".…").rstrip()

        return lambda one, other: cut(one).startswith(cut(other)) or cut(other).startswith(cut(one))
    if compare == "casefold":
        return lambda one, other: _text(one).casefold() == _text(other).casefold()
    return lambda one, other: _text(one) == _text(other)


def _comparable(value: FieldValue, compare: str, names: tuple[str, ...]) -> bool:
    """Values a comparison cannot judge are left to other rules: an impossible date, a URL
    field holding a sentence (SC001 says so), a title that is only the site's name."""
    if compare == "instant":
        return _instant(value) is not None
    if compare == "url":
        return looks_like_url(_text(value))
    if compare == "title":
        return bool(title_key(_text(value), names)) and not is_site_name(_text(value), names)
    return True


def _relations(context: list[str], document: Document, titles: list[FieldValue],
               names: tuple[str, ...]) -> list[str | None]:
    """For each distinct title: `related` when it shares words with another title or with
    the `context` fields (description, body, page text, the URL's words); `unrelated`
    (another article's) when it shares few while the context vouches for another title;
    None when the context vouches for none: another article's headline and this story's
    standfirst then look alike."""
    text = " ".join(_text(v) for field in context for v in document.values(field))
    # A headline uses words its article does not: a third of them in a description or a
    # short body vouches for it; a whole page holds any title's common words, so there
    # half of them must be in it.
    share = 1 / 3 if len(text) <= LONG_CONTEXT else 1 / 2
    context_words = content_words(text)
    vouched = [bool(context_words) and shares_words(_text(title), context_words, names, share) for title in titles]
    words = [headline_words(_text(title), names) for title in titles]
    relations: list[str | None] = []
    for index in range(len(titles)):
        others = [other for other in range(min(len(titles), MAX_COMPARED + 1)) if other != index][:MAX_COMPARED]
        if vouched[index] or any(related_headlines(words[index], words[other]) for other in others):
            relations.append("related")
        else:
            relations.append("unrelated" if any(vouched) else None)
    return relations


def _corroboration(corroborate: tuple[str, ...], document: Document, value: FieldValue) -> int:
    """How many of the `corroborate` date fields fall within a day of the value's date."""
    day = calendar_date(value.value)
    if day is None:
        return 0
    backing = 0
    for name in corroborate:
        other = next((calendar_date(v.value) for v in document.values(name) if calendar_date(v.value)), None)
        backing += other is not None and abs((other - day).days) <= 1
    return backing


class _Shared:
    """What the conflict rules of one pass over a document share: the site's names, each
    comparison's memory of title keys, and the ranked distinct values of each field as
    each way of comparing sees them (DU002 and DU007 read the same titles, DU006 and DU008
    the same URLs)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.names: tuple[str, ...] | None = None
        self.sames: dict[str, Callable[[FieldValue, FieldValue], bool]] = {}
        self.rankings: dict[tuple[str, str, tuple[str, ...]], tuple[list[FieldValue], bool]] = {}
        self.relations: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], list[str | None]] = {}

    def site_names(self) -> tuple[str, ...]:
        if self.names is None:
            self.names = site_names(self.document)
        return self.names


# A rule's options, read once: (field, compare, differ, sites, corroborate, context).
Settings = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]]


def _settings(rule: Rule) -> Settings:
    options = rule.options
    return (options["field"], options.get("compare", "text"), options.get("differ", "any"), options.get("sites", "any"),
            tuple(options.get("corroborate", [])), tuple(options.get("context", [])))


def check(rule: Rule, document: Document, prepared: None) -> list[Finding]:
    return _check(rule, _settings(rule), _Shared(document))


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The conflict rules in one pass: rules reading the same field the same way share its
    ranked distinct values."""
    chosen = [(rule, _settings(rule)) for rule in rules]

    def run(document: Document) -> list[Finding]:
        findings: list[Finding] = []
        shared = _Shared(document)
        for rule, settings in chosen:
            findings += _check(rule, settings, shared)
        return findings

    return run


def _ranking(shared: _Shared, name: str, compare: str, corroborate: tuple[str, ...]) -> tuple[list[FieldValue], bool]:
    """The field's distinct values, the reference first (the value most sources state,
    then the one the `corroborate` dates back), and whether nothing tells which of the
    first two is wrong (a single fact stated two ways, as often each); fewer than two
    values when nothing conflicts."""
    document = shared.document
    values = document.fields.get(name)
    if not values or len(values) < 2:
        return [], False
    names = shared.site_names() if compare == "title" else ()
    same = shared.sames.get(compare)
    if same is None:
        same = shared.sames[compare] = _same(compare, names)
    distinct: list[FieldValue] = []
    support: list[int] = []  # how many values state each distinct one
    # The distinct value a text agrees with, for texts that repeat; -1 for a text that
    # cannot be compared (whether it can depends on its text alone, but for instants).
    agreement: dict[str, int] = {}
    by_text = compare != "instant"
    for value in values:
        if not by_text and not _comparable(value, compare, names):
            continue
        text = _text(value)
        agreeing = agreement.get(text)
        if agreeing is None:
            if by_text and not _comparable(value, compare, names):
                agreement[text] = -1
                continue
            agreeing = next((index for index, other in enumerate(distinct[:MAX_COMPARED]) if same(value, other)),
                            None)
            if agreeing is None:
                agreeing = len(distinct)
                distinct.append(value)
                support.append(0)
            agreement[text] = agreeing
        elif agreeing < 0:
            continue
        support[agreeing] += 1
    if len(distinct) < 2:
        return distinct, False
    # The value most sources state is the reference, then the one the page's other dates
    # back (`corroborate`: the URL's date, the dateline).
    weight = [(support[index], _corroboration(corroborate, document, value)) for index, value in enumerate(distinct)]
    ranked = sorted(range(len(distinct)), key=lambda index: weight[index], reverse=True)  # stable: file order
    # A single fact (an instant, the page's address) stated two ways with nothing to tell
    # which is wrong: each is reported, on its line. Names and offsets may differ rightly.
    undecided = compare in SINGLE_FACTS and weight[ranked[0]] == weight[ranked[1]]
    return [distinct[index] for index in ranked], undecided


def _check(rule: Rule, settings: Settings, shared: _Shared) -> list[Finding]:
    name, compare, differ, sites, corroborate, context = settings
    key = (name, compare, corroborate)
    ranking = shared.rankings.get(key)
    if ranking is None:
        ranking = shared.rankings[key] = _ranking(shared, name, compare, corroborate)
    distinct, undecided = ranking
    if len(distinct) < 2:
        return []
    document = shared.document
    if sites != "any":
        first = _text(distinct[0])
        wanted = [v for v in distinct[1:] if same_site(first, _text(v)) == (sites == "same")]
        tied = undecided and bool(wanted) and wanted[0] is distinct[1]
        reported = distinct[:1] + wanted if tied else wanted
        distinct = distinct[:1] + wanted
    elif differ == "any":
        reported = distinct if undecided else distinct[1:]
    else:
        relations = shared.relations.get((*key, context))
        if relations is None:
            names = shared.site_names() if compare == "title" else ()
            relations = shared.relations[(*key, context)] = _relations(list(context), document, distinct, names)
        reported = [value for value, relation in zip(distinct, relations) if relation == differ]
        if differ == "related":
            reported = [value for value in reported if value is not distinct[0]]
    findings: list[Finding] = []
    for value in reported:
        reference = next(other for other in distinct if other is not value)
        findings.append(at_value(rule, document, value, (place_of(reference, f"other {name}"),),
                                 field=name, value=shorten(describe(value.value)),
                                 other=shorten(describe(reference.value)), other_line=reference.line))
    return findings
