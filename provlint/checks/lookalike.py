from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from provlint.checks.base import at_value
from provlint.model import Document, FieldValue, Finding
from provlint.readers.fields import private_domain
from provlint.rulepack import Rule, Ruleset
from provlint.sources import Registry, Source, name_key

DOC = """`lookalike`: the page's domain imitates a known outlet's (`brands:`, rules/brands/).

A domain imitates a brand when its name (the registered domain without its public
suffix, hyphens left out: `spiegel` of spiegel.ltd, `foxnews` of fox-news.in; under a
private suffix such as eu.com, the name left of it) is the brand's on another suffix, or
one edit away from it: a letter added, dropped, changed, or two swapped (`20minuts`).
Short names are one edit away from many innocent words (`welt` and `belt`, `bild` and
`build`, `lemonde` and `lemonade`), so the edit is guarded by the brand name's length:
at `min_edit` letters any edit counts; at `min_end_edit`, an edit of the last letter
(`spiegell`, `t-onlinr`); at any length from `min_equal`, a doubled letter (`weltt`) or
a look-alike letter (`confusables`: `blld` for `bild`). A name shorter than `min_equal`
is never compared, and a digit changed for another digit (`30minutes`) is another name.
A publisher block naming a brand (exactly, without case or punctuation) on a domain not
theirs is reported too, unless the domain is. The brand's own domains and aliases never
match.

Options: `min_edit` (default 8), `min_end_edit` (default 6), `min_equal` (default 3),
`confusables` (groups of letters that look alike: `["il1", "o0"]`).
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": [],
    "properties": {
        "min_edit": {"type": "integer", "minimum": 1,
                       "description": "lookalike: shortest brand name any one edit may change."},
        "min_end_edit": {"type": "integer", "minimum": 1,
                         "description": "lookalike: shortest brand name whose last letter one edit may change."},
        "min_equal": {"type": "integer", "minimum": 1, "description": "lookalike: shortest brand name compared."},
        "confusables": {"type": "array", "items": {"type": "string", "minLength": 2},
                        "description": "lookalike: groups of letters that look alike."},
    },
}
VALUES = {"domain": "the page's registered domain", "outlet": "the imitated outlet's name",
          "other": "the outlet's domain", "how": "how the domain or publisher imitates it",
          "value": "the publisher value, or the domain"}


@dataclass
class Brands:
    labels: dict[str, Source]  # a brand's name without hyphens -> the brand
    names: dict[str, Source]  # a brand's names, compared without case or punctuation
    min_edit: int
    min_end_edit: int
    min_equal: int
    confusable: frozenset[tuple[str, str]]
    # Every brand's own domains, and each label's answer (`imitated`): a corpus has few sites.
    domains: frozenset[str] = frozenset()
    _imitated: dict[str, tuple[Source, str] | None] = field(default_factory=dict)


def plain_label(label: str) -> str:
    return label.replace("-", "")


def prepare(rule: Rule, pack: Ruleset) -> Brands:
    return brands_of(pack.brands, rule.options)


def brands_of(brands: Registry, options: dict[str, Any]) -> Brands:
    labels: dict[str, Source] = {}
    names: dict[str, Source] = {}
    for domain, brand in brands.by_domain.items():
        labels.setdefault(plain_label(domain.split(".", 1)[0]), brand)
        for name in brand.names:
            names.setdefault(name_key(name), brand)
    pairs = {(a, b) for group in options.get("confusables", []) for a in group for b in group if a != b}
    return Brands(labels, names, int(options.get("min_edit", 8)), int(options.get("min_end_edit", 6)),
                  int(options.get("min_equal", 3)), frozenset(pairs),
                  frozenset(domain for brand in labels.values() for domain in brand.domains))


def one_edit(label: str, known: str) -> str | None:
    """How `label` is one edit from `known` (`added`, `dropped`, `changed`, `swapped`), else None."""
    if label == known or abs(len(label) - len(known)) > 1:
        return None
    if len(label) == len(known):
        diffs = [i for i, (a, b) in enumerate(zip(label, known)) if a != b]
        if len(diffs) == 1:
            return "changed"
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and label[diffs[0]] == known[diffs[1]] \
                and label[diffs[1]] == known[diffs[0]]:
            return "swapped"
        return None
    longer, shorter = (label, known) if len(label) > len(known) else (known, label)
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1:] == shorter:
            return "added" if longer is label else "dropped"
    return None


def _edit_at(label: str, known: str) -> int:
    """Where `label` first differs from `known` (the index of the letter added, dropped or changed)."""
    return next((i for i, (a, b) in enumerate(zip(label, known)) if a != b), min(len(label), len(known)))


def _edit_allowed(label: str, known: str, how: str, brands: Brands) -> bool:
    index = _edit_at(label, known)
    if how == "changed":
        if label[index].isdigit() and known[index].isdigit():
            return False
        if (label[index], known[index]) in brands.confusable:
            return True
    if how == "added" and label[index] == label[index - 1 if index > 0 else 1]:
        return True  # a doubled letter: `bildd`, `weltt`, `fazz`
    if len(known) >= brands.min_edit:
        return True
    # A mid-sized name only at its end (`spiegell`, `t-onlinr`): inside it, one edit makes
    # other words (`lemonde`, `lemonade`).
    return len(known) >= brands.min_end_edit and index >= len(known) - 1


def imitated(label: str, brands: Brands) -> tuple[Source, str] | None:
    """The brand `label` imitates, and how; None when it imitates none."""
    known = brands._imitated
    if label not in known:
        if len(known) >= 65536:
            known.clear()
        known[label] = _imitated(label, brands)
    return known[label]


def _imitated(label: str, brands: Brands) -> tuple[Source, str] | None:
    plain = plain_label(label)
    brand = brands.labels.get(plain)
    if brand is not None and len(plain) >= brands.min_equal:
        return brand, "its name under another suffix"
    for known, brand in brands.labels.items():
        if len(known) < brands.min_equal:
            continue
        how = one_edit(plain, known)
        if how is not None and _edit_allowed(plain, known, how, brands):
            return brand, f"its name with a letter {how}"
    return None


# A URL whose host is plain (scheme, `//`, letters, digits, dots and hyphens, then the
# path or nothing): its host is what `private_domain` reads of it.
_PLAIN_HOST = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?:)?//([A-Za-z0-9.-]+)(?:[/?#]|\Z)")


def _private(url: str) -> tuple[str, str]:
    """`private_domain` of the URL, asked of its host where that is plain: its answers are
    kept by host, and a corpus has few hosts but a URL per page."""
    plain = _PLAIN_HOST.match(url)
    return private_domain(plain[1].rstrip(".") if plain is not None else url)


def check(rule: Rule, document: Document, brands: Brands) -> Iterator[Finding]:
    domains = document.values("domain")
    if not domains:
        return
    domain = domains[0]
    if domain.value in brands.domains:
        return
    names = {str(domain.extra.get("label") or ""): domain.value}
    private, label = _private(domain.raw)
    names.setdefault(label, private)
    for label, registered in names.items():
        found = imitated(label, brands) if label else None
        if found is not None:
            brand, how = found
            yield at_value(rule, document, domain, domain=registered, outlet=brand.names[0], other=brand.domain,
                           how=how, value=registered)
            return
    yield from _publishers(rule, document, domain, brands)


def _publishers(rule: Rule, document: Document, domain: FieldValue, brands: Brands) -> Iterator[Finding]:
    for publisher in document.values("publisher"):
        name = publisher.value.get("name") or ""
        brand = brands.names.get(name_key(name))
        if brand is not None and domain.value not in brand.domains:
            yield at_value(rule, document, publisher, domain=domain.value, outlet=brand.names[0], other=brand.domain,
                           how=f"the publisher {name!r} is theirs", value=name)
