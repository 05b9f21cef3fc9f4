from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from provlint.checks.base import TARGET, finding, shorten, source_place
from provlint.checks.pattern import Screen, pack_screen
from provlint.model import Document, Finding
from provlint.patterns import Pattern, compile_pattern, longest_first, spaced
from provlint.rulepack import Rule, Ruleset
from provlint.sources import Registry, Source

DOC = """`credit`: the text credits a registered outlet (`sources:`) on a page of another domain.

A credit is a cue of the lexicons' `credits` lists (`rules/lexicons/`) with `{outlet}`
standing for one of the registry's outlet names, matched as the registry writes it
(`RT`, never `rt`): `MOSCOW (Sputnik) -`, `/TASS/`, `— РИА Новости.`, `according to
RT`, `selon Sputnik`. A name that a capitalised word or a digit follows continues
another name (`Sputnik V`), one a hyphen follows is another word (`RT-PCR`), and where
the cue starts with the name, one after a capitalised word ends another name
(`Ukrainska Pravda reported`) and one after a letter is inside a word (`ART reported`):
none is a credit. A page on the outlet's own domains, or on a domain of an outlet with the
same owner, credits nobody else; a page without a domain is not judged.

Options: `target` (`blocks` or a list of block kinds; default `[body, description]`),
`ignore_names` (outlet names that are common words: `Россия` is a channel's name and the
country's, `заявила Россия` says Russia stated).
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": [],
    "properties": {
        "target": {**TARGET, "description": "`blocks`, `fields`, or a list of block kinds."},
        "ignore_names": {"type": "array", "items": {"type": "string"},
                   "description": "credit: outlet names that are common words, never taken as credits."},
    },
}
VALUES = {"match": "the credit as written", "outlet": "the credited outlet's name", "other": "the outlet's domain",
          "domain": "the page's registered domain", "kind": "the block kind"}
DEFAULT_TARGET = ["body", "description"]
_NEXT_WORD = re.compile(r"[ \t\u00a0]+(\w)")
_PREVIOUS_WORD = re.compile(r"(\w)[\w'’.-]*[ \t\u00a0]+$")


@dataclass
class Credits:
    """The credit cues with the registry's names put in, and a screen: any name at all."""

    names: dict[str, Source]
    screen: Pattern | None
    cues: list[Pattern]
    registry: Registry
    # For each cue, the folded words (`folded`) every match of it holds; none for a `re:` cue.
    # A cue is compiled only for a block that holds its words: compiling one costs about a
    # millisecond (its word bounds are large Unicode classes), and most never match.
    cue_words: list[tuple[str, ...]] = field(default_factory=list)
    # Each cue's words as a set, and every cue's words once: a block's words are looked
    # for once, not once per cue that holds them.
    needed: list[frozenset[str]] = field(default_factory=list)
    every_word: tuple[str, ...] = ()
    # The pack's one screen of the blocks, which holds `screen`: a document that names no
    # outlet in any block (most) is not looked at block by block.
    pack_screen: Screen | None = None
    # The block kinds read (None: every block).
    kinds: frozenset[str] | None = None
    # Every name with any white space `str.split` takes between its words (`spaced_loosely`),
    # whatever a cue makes of it: a block where each match is a name of the page's own
    # outlets (`_own_names_only`) credits no other, and its cues are not run.
    loose_screen: Pattern | None = None
    # For each name and what follows it, the outlets of the names a match of it may hide;
    # for each (page domain, name, what follows), whether all of those are the domain's.
    _hidden: dict[tuple[str, str], list[Source]] = field(default_factory=dict)
    _own: dict[tuple[str, str, str], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.needed = [frozenset(words) for words in self.cue_words]
        self.every_word = tuple(dict.fromkeys(word for words in self.cue_words for word in words))


# The white space `str.split` takes (`tests/test_domain_pass.py` holds it to `str.isspace`);
# RE2's `\s` is only [\t\n\f\r ].
SPLIT_SPACE = (r"[\t\n\v\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
               r"\x{205f}\x{3000}]")

# Entries each memo of `Credits` keeps at most (emptied then): about 20 MB.
MAX_REMEMBERED = 65536

def spaced_loosely(name: str) -> str:
    """A name as pattern source: its words escaped, any white space `str.split` takes
    between them, so that every text whose split words are the name's matches."""
    return f"{SPLIT_SPACE}+".join(re.escape(word) for word in name.split())


def _name_pattern(names: list[str]) -> str:
    return "|".join(spaced(name) for name in longest_first(names))


def cue_pattern(cue: str, names: str) -> str:
    """One credit cue as an RE2 pattern: a phrase's words match case-insensitively, any
    white space between them; a `re:` cue is taken as written. `{outlet}` is the names."""
    outlet = f"(?P<outlet>{names})"
    if cue.startswith("re:"):
        return cue[3:].strip().replace("{outlet}", outlet)
    parts = []
    for index, literal in enumerate(cue.split("{outlet}")):
        if index:
            parts.append(outlet)
        if literal.strip():
            words = spaced(literal)
            lead = r"\s*" if literal[:1].isspace() else ""
            trail = r"\s*" if literal[-1:].isspace() else ""
            parts.append(f"{lead}(?i:{words}){trail}")
        elif literal:
            parts.append(r"\s+")
    body = "".join(parts)
    start = r"(?:^|[^\p{L}\p{N}])" if cue[:1].isalnum() else ""
    end = r"(?:[^\p{L}\p{N}]|$)" if cue[-1:].isalnum() else ""
    return f"{start}(?P<credit>{body}){end}"


def folded(text: str) -> str:
    """`text` case-folded, one character at a time: characters RE2's `(?i)` takes for one
    another fold alike, so a word a case-insensitive cue matches is in the folded text."""
    return text.casefold()


def cue_words(cue: str) -> tuple[str, ...]:
    """The folded words of a phrase cue, each of which a match holds (none for a `re:` cue)."""
    if cue.startswith("re:"):
        return ()
    return tuple(folded(word) for literal in cue.split("{outlet}") for word in literal.split())


def prepare(rule: Rule, pack: Ruleset) -> Credits:
    ignored = set(rule.options.get("ignore_names", []))
    registry = pack.sources
    # Outlets of a registered domain and of one section of a shared domain (arabic.rt.com).
    outlets = [*registry.by_domain.values(), *registry.by_host.values()]
    names = {name: source for source in outlets for name in source.names if name not in ignored}
    cues = pack.lexicons.phrases("credits")
    if not names or not cues:
        return Credits({}, None, [], pack.sources)
    alternatives = _name_pattern(list(names))
    screen = compile_pattern(f"(?:{alternatives})")
    blocks = pack_screen(pack)
    blocks.add(screen)
    target = rule.options.get("target", DEFAULT_TARGET)
    # A name written with other white space than single spaces is never looked up (a
    # credit's name is its words joined by single spaces): only the others are screened.
    loose = "|".join(spaced_loosely(name) for name in longest_first(names) if name == " ".join(name.split()))
    return Credits(names, screen, [compile_pattern(cue_pattern(cue, alternatives)) for cue in cues], pack.sources,
                   [cue_words(cue) for cue in cues], pack_screen=blocks,
                   kinds=None if target == "blocks" else frozenset(target),
                   loose_screen=compile_pattern(f"(?:{loose})"))


def _owned(source: Source, domain: str, registry: Registry) -> bool:
    """Whether `domain` is the outlet's, or an outlet's with the same owner."""
    if domain in source.domains:
        return True
    other = registry.lookup(domain)
    return other is not None and other.parent is not None and other.parent == source.parent


def _continued(text: str, end: int) -> bool:
    """Whether the name ending at `end` goes on: a letter, digit or hyphen follows (`RT-PCR`),
    or on the same line a capitalised word or a number (`Sputnik V`, `Sputnik Light`)."""
    if end < len(text) and (text[end].isalnum() or text[end] in "-_"):
        return True
    following = _NEXT_WORD.match(text, end)
    return following is not None and (following.group(1).isupper() or following.group(1).isdigit())


def _begun(text: str, start: int) -> bool:
    """Whether the name starting at `start` is the end of another: a letter, digit or hyphen
    before it (`ART`), or a capitalised word on the same line (`Ukrainska Pravda`,
    `Komsomolskaya Pravda`). Read only where the cue starts with the name: `according to
    RT` and `Selon Sputnik` have the cue's own word before it."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_"):
        return True
    previous = _PREVIOUS_WORD.search(text, max(0, start - 60), start)
    return previous is not None and previous.group(1).isupper()


def hidden_by(name: str, following: str, other: str) -> bool:
    """Whether a match of `other` may start inside a match of `name` that `following`
    follows (" " for white space, "" for the text's end): `other` inside `name`, or
    beginning with an end of `name` and going on with `following`. (One that begins with
    all of `name` is longer, and the screen, which tries longer names first, would have
    matched it instead.)"""
    if other in name:
        return True
    return any(other.startswith(name[start:]) and other[len(name) - start:len(name) - start + 1] == following
               for start in range(1, len(name)) if len(other) > len(name) - start)


def _own_name(credits: Credits, name: str, following: str, domain: str) -> bool:
    """Whether `name` (its words joined by single spaces) is a name of an outlet `domain`
    is the page of (`_owned`), and so is every name a match of it may hide (`hidden_by`)."""
    key = (domain, name, following)
    own = credits._own.get(key)
    if own is None:
        hidden = credits._hidden.get((name, following))
        if hidden is None and name in credits.names:
            if len(credits._hidden) >= MAX_REMEMBERED:  # a name by every character that may follow it
                credits._hidden.clear()
            hidden = credits._hidden[(name, following)] = [
                source for other, source in credits.names.items() if hidden_by(name, following, other)]
        own = hidden is not None and all(_owned(source, domain, credits.registry) for source in hidden)
        if len(credits._own) >= MAX_REMEMBERED:
            credits._own.clear()
        credits._own[key] = own
    return own


def _own_names_only(credits: Credits, text: str, domain: str) -> bool:
    """Whether no cue can credit another outlet than the page's in `text` (True, too, when
    it names none). Whatever a cue is, what it credits is a stretch of text whose split
    words are a name's, which `loose_screen` matches; scanning from the left, the screen
    meets a match that starts there or one that hides it. So when each match is one of the
    page's names, and so is each name it may hide, no cue credits another outlet (most
    pages that name an outlet are that outlet's)."""
    assert credits.loose_screen is not None
    for start, end in credits.loose_screen.every_span(text):
        following = text[end:end + 1]
        if not _own_name(credits, " ".join(text[start:end].split()), " " if following.isspace() else following,
                         domain):
            return False
    return True


def check(rule: Rule, document: Document, credits: Credits) -> Iterator[Finding]:
    domains = document.values("domain")
    if not domains or credits.screen is None \
            or (credits.pack_screen is not None and not credits.pack_screen.may_occur(credits.screen, document)):
        return
    domain = domains[0].value
    kinds = credits.kinds
    ruled_out = credits.pack_screen.ruled_out(credits.screen, document) if credits.pack_screen is not None else []
    for index, block in enumerate(document.blocks):
        if (kinds is not None and block.kind not in kinds) or index in ruled_out \
                or _own_names_only(credits, block.text, domain):
            continue
        seen: set[int] = set()
        text = folded(block.text)
        present = {word for word in credits.every_word if word in text}
        for cue, needed in zip(credits.cues, credits.needed):
            if not needed <= present:
                continue
            for found in cue.finditer(block.text):
                start, end = found.spans.get("outlet", (found.start, found.end))
                credit_start, credit_end = found.spans.get("credit", (found.start, found.end))
                if start in seen or _continued(block.text, end) \
                        or (start == credit_start and _begun(block.text, start)):
                    continue
                name = " ".join(block.text[start:end].split())
                source = credits.names.get(name)
                if source is None or _owned(source, domain, credits.registry):
                    continue
                seen.add(start)
                line, column, end_line, end_column = source_place(document, block, credit_start, credit_end)
                yield finding(rule, document, line, column, end_line, end_column,
                              match=shorten(block.text[credit_start:credit_end]), outlet=source.names[0],
                              other=source.domain, domain=domain, kind=block.kind)
