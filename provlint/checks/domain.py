from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from provlint.checks.base import at_value, source_place
from provlint.checks.pattern import Screen, pack_screen
from provlint.model import Document, FieldValue, Finding
from provlint.patterns import Pattern, compile_pattern, longest_first, spaced
from provlint.readers.fields import host_and_path, registered_domain
from provlint.rulepack import Rule, Ruleset
from provlint.sources import FLAG_ALIASES, Registry, Source, name_key

DOC = """`domain`: the document's registered domain against the source registry (`sources:`).

Options: `report`, one of
  `flagged`    the outlet carries registry flags (e.g. an EU broadcast ban): one finding
               at the URL naming the outlet, each flag and its act or evidence;
               `flags` limits which flags count;
  `publisher`  a publisher block's e-mail, homepage, host-like name or outlet name
               points to another owner than the URL's domain (the same name under
               another public suffix, and a registry entry's aliases, agree);
               `evidence: registry` reports only what the registry backs (the
               URL's domain, the claimed domain or the name is a registered
               outlet's), `evidence: claims` only the other claims (a parent
               company's or a syndication partner's domain looks the same), default
               both;
  `mirror`     the URL's domain is not in the registry, but a publisher block names a
               registered outlet or its owner (Rossiya Segodnya on an unknown site);
  `canonical`  a URL the page gives for itself (canonical link, og:url, JSON-LD url, a
               dump's link block) or a source link in its text (`Source: https://…`,
               the cue words are the lexicons' `sources` lists) is a registered
               outlet's, while another URL the page gives for itself is on a domain
               neither that outlet's nor its owner's other outlets'.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["report"],
    "properties": {
        "report": {"enum": ["flagged", "publisher", "mirror", "canonical"], "description": "What to report."},
        "flags": {"type": "array", "items": {"type": "string"},
                  "description": "With `report: flagged`: which registry flags count."},
        "evidence": {"enum": ["any", "registry", "claims"],
                     "description": ("With `report: publisher`: only what the source registry backs, only the other "
                                     "claims, or both.")},
    },
}
VALUES = {"outlet": "the registered outlet's name", "domain": "the URL's registered domain",
          "flags": "the outlet's flags with their acts", "value": "the publisher value", "claim": "what it claims",
          "other": "the other domain", "parent": "the outlet's owner", "what": "where the URL stands"}


@dataclass
class Context:
    """What a domain rule reads besides the document: the registry, and for `canonical`
    the pattern of a source link in the text."""

    registry: Registry
    source_link: Pattern | None = None
    # The pack's one screen of the blocks, which holds `source_link`: a document whose
    # blocks hold no source link (most) is not looked at block by block.
    pack_screen: Screen | None = None
    # For `flagged`, each (domain, subdomain) met: its outlet and the flags the rule
    # reports, written out (None: no such outlet or flag); a corpus has few outlets.
    flagged: dict[tuple[str, str], tuple[Source, str] | None] = field(default_factory=dict)


def prepare(rule: Rule, pack: Ruleset) -> Context:
    words = pack.lexicons.phrases("sources") if rule.options.get("report") == "canonical" else []
    if not words:
        return Context(pack.sources)
    cues = "|".join(spaced(word) for word in longest_first(words))
    source_link = compile_pattern(
        rf"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:{cues})\s*:\s*(?P<link>https?://[^\s<>\"]+[^\s<>\".,;:!?)\]])")
    screen = pack_screen(pack)
    screen.add(source_link)
    return Context(pack.sources, source_link, screen)


def check(rule: Rule, document: Document, context: Context) -> Iterator[Finding]:
    domains = document.values("domain")
    if not domains:
        return
    yield from _report(rule, document, context, domains[0])


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The domain rules in one pass: a document without a domain (every report reads
    it) is passed over once for them all."""
    chosen = list(rules)

    def run(document: Document) -> list[Finding]:
        findings: list[Finding] = []
        domains = document.values("domain")
        if not domains:
            return findings
        for rule in chosen:
            findings.extend(_report(rule, document, rule.prepared, domains[0]))
        return findings

    return run


def _report(rule: Rule, document: Document, context: Context, domain: FieldValue) -> Iterable[Finding]:
    """The report the rule asks for (handed on, not run through another generator)."""
    report = rule.options.get("report", "flagged")
    if report == "flagged":
        return _flagged(rule, document, domain, context)
    if report == "publisher":
        return _publisher(rule, document, domain, context.registry)
    if report == "mirror":
        return _mirror(rule, document, domain, context.registry)
    return _canonical(rule, document, context)


def _outlet_name(document: Document, source: Source) -> str:
    """The outlet as the dump names it, when that name is one of the registry's."""
    known = {name_key(n) for n in source.names}
    for publisher in document.values("publisher"):
        name = publisher.value.get("name") or ""
        if name_key(name) in known:
            return name
    return source.label


def _flag_text(key: str, flag: dict) -> str:
    label = flag.get("label", key.replace("_", " ").replace("-", " "))
    parts = [label]
    since = flag.get("applied") or flag.get("since")
    if since:
        parts.append(f"since {since}")
    # Every flag is shown with its citation: the act when there is one, else the source;
    # and whether the registry could check it all (its `note` says what is missing).
    unchecked = "; not fully verified" if flag.get("verified") is False else ""
    parts.append(f"({flag.get('act') or flag['source']}{unchecked})")
    return " ".join(parts)


def _subdomain(document: Document, domain: FieldValue) -> str:
    """The subdomain of the URL the domain came from (the first URL may have none)."""
    return next((s.value for s in document.values("subdomain")
                 if s.line == domain.line and s.column == domain.column), "")


def _flagged(rule: Rule, document: Document, domain: FieldValue, context: Context) -> Iterator[Finding]:
    key = (domain.value, _subdomain(document, domain))
    if key in context.flagged:
        found = context.flagged[key]
    else:
        if len(context.flagged) >= MAX_REGISTERED:
            context.flagged.clear()
        found = context.flagged[key] = _flags(rule, context.registry.lookup(*key))
    if found is not None:
        source, flags = found
        yield at_value(rule, document, domain, outlet=_outlet_name(document, source), domain=domain.value,
                       parent=source.parent or "", flags=flags)


def _flags(rule: Rule, source: Source | None) -> tuple[Source, str] | None:
    """The outlet and the flags of it the rule reports, written out; None without them."""
    if source is None:
        return None
    wanted = rule.options.get("flags")
    if wanted is not None:
        wanted = {FLAG_ALIASES.get(name, name) for name in wanted}
    flags = {k: v for k, v in source.flags.items() if wanted is None or k in wanted}
    if not flags:
        return None
    return source, "; ".join(_flag_text(k, v) for k, v in flags.items())


def _same_owner(claimed: FieldValue, domain: FieldValue, registry: Registry) -> bool:
    claimed_label, label = str(claimed.extra.get("label") or ""), str(domain.extra.get("label") or "")
    if claimed.value == domain.value or claimed_label == label:
        return True
    # A brand written like a host (`Parse.ly` on parsely.com, `Smithsonian.com` on
    # smithsonianmag.com) names the site, not another domain.
    if claimed.extra.get("claim") == "name" and claimed_label and label \
            and (label.startswith(claimed_label) or claimed_label.startswith(label)):
        return True
    source = registry.lookup(domain.value)
    return source is not None and claimed.value in source.domains


def _publisher(rule: Rule, document: Document, domain: FieldValue, registry: Registry) -> Iterator[Finding]:
    source = registry.lookup(domain.value)
    outlet = f" ({source.label})" if source else ""
    claims_by_line: dict[int, list[FieldValue]] = {}
    for claimed in document.values("publisher_domains"):
        claims_by_line.setdefault(claimed.line, []).append(claimed)
    evidence = rule.options.get("evidence", "any")
    for publisher in document.values("publisher"):
        wrong = next((c for c in claims_by_line.get(publisher.line, []) if not _same_owner(c, domain, registry)), None)
        name = publisher.value.get("name") or ""
        if wrong is not None:
            registered = source is not None or registry.lookup(wrong.value) is not None
            if evidence == "any" or registered == (evidence == "registry"):
                yield at_value(rule, document, wrong, value=name or wrong.raw, claim=wrong.raw, other=wrong.value,
                               domain=domain.value, outlet=outlet)
            continue
        if evidence == "claims":
            continue
        owner = registry.owner_of_name(name)
        if source is not None and owner is not None and owner is not source and owner.parent != source.parent:
            yield at_value(rule, document, publisher, value=name, claim=owner.domain, other=owner.domain,
                           domain=domain.value, outlet=outlet)


def _mirror(rule: Rule, document: Document, domain: FieldValue, registry: Registry) -> Iterator[Finding]:
    if registry.lookup(domain.value) is not None:
        return
    for publisher in document.values("publisher"):
        for part in ("legal_name", "name"):
            owner = registry.owner_of_name(publisher.value.get(part) or "")
            if owner is not None:
                yield at_value(rule, document, publisher, value=publisher.value.get(part), outlet=owner.label,
                               parent=owner.parent or owner.label, domain=domain.value, other=owner.domain)
                break


# What every match of `Context.source_link` holds (its words, white space and the link's
# scheme, case-insensitive as the whole pattern is): Python's `\s` takes in RE2's.
_LINK_AFTER_COLON = re.compile(r":\s*https?://", re.IGNORECASE)


def _source_links(document: Document, context: Context) -> list[FieldValue]:
    """`Source: https://…` in any block, where it stands."""
    pattern = context.source_link
    if pattern is None or (context.pack_screen is not None and not context.pack_screen.may_occur(pattern, document)):
        return []
    links = []
    for block in document.blocks:
        # A source link has `:` before its `http(s)://`; a block that merely holds a link
        # (most blocks with one) is not searched.
        if "://" not in block.text or _LINK_AFTER_COLON.search(block.text) is None:
            continue
        for found in pattern.finditer(block.text):
            start, end = found.spans["link"]
            line, column, end_line, end_column = source_place(document, block, start, end)
            links.append(FieldValue(block.text[start:end], block.text[start:end], line, end_line, column, end_column,
                                    origin="source link"))
    return links


def _where(value: FieldValue) -> str:
    return {"block": "link", "source link": "source link"}.get(value.origin, value.origin)


def _owns(source: Source, domain: str, registry: Registry) -> bool:
    if domain in source.domains:
        return True
    other = registry.lookup(domain)
    return other is not None and other.parent is not None and other.parent == source.parent


# The registered domain of each host a URL names: a corpus has few sites.
_REGISTERED: dict[str, str] = {}
MAX_REGISTERED = 65536


def _registered(url: str) -> str:
    """The registered domain of a URL's host ("" for none)."""
    host = host_and_path(url)[0]
    domain = _REGISTERED.get(host)
    if domain is None:
        if len(_REGISTERED) >= MAX_REGISTERED:
            _REGISTERED.clear()
        domain = _REGISTERED[host] = registered_domain(host)[0]
    return domain


def _canonical(rule: Rule, document: Document, context: Context) -> Iterator[Finding]:
    registry = context.registry
    own = [*document.values("url"), *document.values("link")]
    source_links = _source_links(document, context)
    # One URL (most pages: no link block, no source link) is the site its outlet is on.
    if len(own) + len(source_links) < 2:
        return
    claims = [(value, _registered(value.raw)) for value in own]
    sites = [domain for _, domain in claims if domain]
    links = [(value, _registered(value.raw)) for value in source_links]
    reported: set[tuple[int, int]] = set()
    for value, domain in [*claims, *links]:
        source = registry.lookup(domain) if domain else None
        if source is None or (value.line, value.column) in reported:
            continue
        elsewhere = next((site for site in sites if not _owns(source, site, registry)), None)
        if elsewhere is None:
            continue
        reported.add((value.line, value.column))
        yield at_value(rule, document, value, what=_where(value), value=value.raw, outlet=source.names[0],
                       other=domain, domain=elsewhere)
