"""The source registry: registered domain (or host) -> outlet, publisher names, owner, flags.

Built from `sources:` lists in YAML (`rules/sources/*.yaml` and users' files).
Lookups are exact on the registered domain, never by substring; an entry with `hosts:`
(one section of a shared domain: arabic.rt.com, a mirror on a blog platform) matches
those hosts and their subdomains only. Entries of a network list (`network:`, `role:`,
`row:`) take their flag and its citation from the list's `networks:` definition.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

# Flag keys before provlint 0.x named with underscores; users' files may still use them.
FLAG_ALIASES = {"eu_broadcast_ban": "eu-broadcast-ban", "state_affiliated": "state-affiliated"}


def _folded_char(char: str) -> str:
    """What folding makes of one character: decomposed, each combining mark dropped,
    each letter or digit kept, anything else a space."""
    return "".join("" if unicodedata.combining(part) else part if part.isalnum() else " "
                   for part in unicodedata.normalize("NFKD", char.casefold()))


# Folding is the same character by character (casefolding is; decomposing is, but for the
# order of combining marks, which are dropped): text of one byte a character in Latin-1 or
# Windows-1251 (Cyrillic) is folded by one `bytes.translate` of its encoding, with that
# codec's table, unless it holds a character that folds to other than one character of
# the codec (µ ß ¼ ½ ¾ in Latin-1, № in Windows-1251: the codec's `odd` pattern).
ONE_BYTE_CODECS = ("latin-1", "cp1251")


def byte_table(codec: str, mapped: Callable[[str], str]) -> tuple[bytes, str]:
    """A `bytes.translate` table of a one-byte codec that maps each character to
    `mapped(character)`, and the characters it cannot map (to other than one character of
    the codec: their bytes are left as they are). A byte the codec does not use maps as a
    space would: it is never in an encoded text."""
    table = bytearray()
    odd = []
    for code in range(256):
        try:
            char = bytes([code]).decode(codec)
        except UnicodeDecodeError:
            char = " "
        result = mapped(char)
        try:
            encoded = result.encode(codec)
        except UnicodeEncodeError:
            encoded = b""
        if len(result) == 1 and len(encoded) == 1:
            table += encoded
        else:
            table.append(code)
            odd.append(char)
    return bytes(table), "".join(odd)


def _fold_table(codec: str) -> tuple[str, bytes, re.Pattern[str] | None]:
    """The codec, its folding table and a pattern of the characters that fold otherwise
    (None when there are none)."""
    table, odd = byte_table(codec, _folded_char)
    return codec, table, re.compile("[" + re.escape(odd) + "]") if odd else None


_FOLD_CODECS = [_fold_table(codec) for codec in ONE_BYTE_CODECS]
# The ASCII characters: `str.translate` of ASCII text runs in C with a table it caches.
_ASCII_FOLD = {code: _folded_char(chr(code)) for code in range(128)}
# A run of characters neither letters, digits, `_` nor white space (the pattern starts with
# a class so that the search skips in C to the next one).
_NOT_WORD_OR_SPACE = re.compile(r"[^\w\s][^\w\s]*")


def marks_between_words(text: str) -> set[str]:
    """The distinct characters of `text` that are neither letters, digits, `_` nor white
    space: what splits its words (`\\w+`), and the only ones that can be combining marks
    (no combining mark is a letter or digit)."""
    return set("".join(_NOT_WORD_OR_SPACE.findall(text)))


def fold_text(text: str) -> str:
    """Text without case, accents, quotes or punctuation: „Rosiya Segodnya“ -> rosiya
    segodnya. Without a Python step per character (it was a third of a corpus signature):
    ASCII by one `str.translate`, Latin-1 and Cyrillic by one `bytes.translate`; other text
    decomposed, then each distinct character neither a letter, a digit nor white space
    replaced by one `str.replace` (a combining mark by nothing, any other by a space)."""
    if text.isascii():
        return " ".join(text.translate(_ASCII_FOLD).split())
    for codec, table, odd in _FOLD_CODECS:
        try:
            encoded = text.encode(codec)
        except UnicodeEncodeError:
            continue
        if odd is None or odd.search(text) is None:
            return " ".join(encoded.translate(table).decode(codec).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    for char in marks_between_words(decomposed):
        decomposed = decomposed.replace(char, "" if unicodedata.combining(char) else " ")
    return " ".join(decomposed.replace("_", " ").split())


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Names compared without case, accents, quotes or punctuation: „Rosiya Segodnya“ == rosiya segodnya.
    Cached: the same few names come again and again (text seen once goes to `fold_text`)."""
    return fold_text(name)


@dataclass
class Source:
    domain: str
    names: list[str] = field(default_factory=list)
    legal_names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    country: str | None = None
    flags: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: str = ""
    hosts: list[str] = field(default_factory=list)
    network: str | None = None

    @property
    def domains(self) -> set[str]:
        return {self.domain, *self.aliases}

    @property
    def label(self) -> str:
        """The outlet's first name; a network list's domains have none but their own."""
        return self.names[0] if self.names else (self.hosts[0] if self.hosts else self.domain)

    @cached_property
    def name_keys(self) -> frozenset[str]:
        return frozenset(name_key(n) for n in [*self.names, *self.legal_names, *([self.parent] if self.parent else [])])


@dataclass
class Registry:
    by_domain: dict[str, Source] = field(default_factory=dict)
    # Entries for one section of a shared domain (arabic.rt.com, x.medium.com), by host.
    by_host: dict[str, Source] = field(default_factory=dict)
    # Network lists by id: name, list, commit, licence and what each role's flag is.
    networks: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Publisher and author names recur across a corpus; each is looked up once.
    _owners: dict[str, Source | None] = field(default_factory=dict, repr=False)
    # Only named sources can own a publisher name: thousands of network domains have none.
    _named: dict[str, Source] = field(default_factory=dict, repr=False)
    # Network rows not yet looked up, by registered domain and by host (see `add`).
    _pending: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict, repr=False)
    _pending_hosts: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict, repr=False)
    # Each (domain, subdomain) looked up, with its answer: every domain and credit rule of
    # a document asks about the same few domains, and a corpus about few outlets.
    _found: dict[tuple[str, str], Source | None] = field(default_factory=dict, repr=False)

    def add_networks(self, networks: dict[str, dict[str, Any]]) -> None:
        self.networks.update(networks)

    def add(self, entry: dict[str, Any], origin: str) -> str | None:
        """Register one entry; a problem message when it names an unknown network or role.

        A network list's row (no names, no flags of its own) is kept as it is and becomes a
        Source when first looked up: the lists hold thousands of rows, a run meets a few."""
        network = entry.get("network")
        if network is not None:
            definition = self.networks.get(network)
            if definition is None:
                return f"unknown network {network!r}: define it under `networks:` first"
            if entry.get("role", "") not in definition["roles"]:
                return f"unknown role {entry.get('role')!r} of network {network!r}"
            if not (entry.get("names") or entry.get("flags") or entry.get("legal_names") or entry.get("parent")):
                hosts = entry.get("hosts")
                table, pending = (self.by_host, self._pending_hosts) if hosts else (self.by_domain, self._pending)
                for key in hosts or [entry["domain"], *entry.get("aliases", ())]:
                    key = key.lower()
                    pending[key] = (entry, origin)
                    table.pop(key, None)
                    self._named.pop(key, None)
                self._found.clear()
                return None
        source = self._source(entry, origin)
        table = self.by_host if source.hosts else self.by_domain
        pending = self._pending_hosts if source.hosts else self._pending
        named = bool(source.names or source.legal_names or source.parent)
        for key in source.hosts or [source.domain, *source.aliases]:
            table[key] = source
            pending.pop(key, None)
            if named:
                self._named[key] = source
            else:
                self._named.pop(key, None)  # a replaced outlet no longer owns its names
        self._owners.clear()
        self._found.clear()
        return None

    def _source(self, entry: dict[str, Any], origin: str) -> Source:
        given = entry.get("flags")
        flags = {FLAG_ALIASES.get(key, key): value for key, value in given.items()} if given else {}
        network = entry.get("network")
        if network is not None:
            definition = self.networks[network]
            role = definition["roles"][entry["role"]]
            if role["flag"] not in flags:
                flags[role["flag"]] = _network_flag(definition, role, entry)
        return Source(
            domain=entry["domain"].lower(), names=entry.get("names") or [], legal_names=entry.get("legal_names") or [],
            aliases=[a.lower() for a in entry.get("aliases", [])], parent=entry.get("parent"),
            country=entry.get("country"), flags=flags, origin=origin,
            hosts=[h.lower() for h in entry.get("hosts", [])], network=network,
        )

    def _get(self, table: dict[str, Source], pending: dict[str, tuple[dict[str, Any], str]], key: str) -> Source | None:
        found = table.get(key)
        if found is None and key in pending:
            entry, origin = pending[key]
            found = self._source(entry, origin)
            for other in found.hosts or [found.domain, *found.aliases]:
                if pending.get(other, (None, ""))[0] is entry:
                    del pending[other]
                    table[other] = found
        return found

    def lookup(self, domain: str, subdomain: str = "") -> Source | None:
        """The entry for a registered domain; with its subdomain, a host entry first."""
        asked = (domain, subdomain)
        if asked in self._found:
            return self._found[asked]
        if len(self._found) >= 65536:
            self._found.clear()
        found = self._found[asked] = self._lookup(domain, subdomain)
        return found

    def _lookup(self, domain: str, subdomain: str) -> Source | None:
        domain = domain.lower()
        if subdomain and (self.by_host or self._pending_hosts):
            labels = subdomain.lower().split(".")
            for start in range(len(labels)):
                found = self._get(self.by_host, self._pending_hosts, ".".join([*labels[start:], domain]))
                if found is not None:
                    return found
        return self._get(self.by_domain, self._pending, domain)

    def owner_of_name(self, name: str) -> Source | None:
        """The registered source whose names, legal names or parent include `name`."""
        key = name_key(name)
        if not key:
            return None
        if key not in self._owners:
            if len(self._owners) >= 65536:
                self._owners.clear()
            self._owners[key] = next(
                (source for source in self._named.values()
                 if key in source.name_keys or any(len(known) > 6 and known in key for known in source.name_keys)),
                None)
        return self._owners[key]


def _network_flag(network: dict[str, Any], role: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """A network row's flag, citing the list, its commit and the row."""
    rows = entry.get("rows") or [entry["row"]]
    where = f"row {rows[0]}" if len(rows) == 1 else "rows " + ", ".join(str(r) for r in rows)
    flag: dict[str, Any] = {
        "label": role["label"],
        "source": f"{network['list']} (commit {network['commit']}), {where}: {role['description']}",
        "network": network["name"],
    }
    for key in ("registered", "target", "note"):
        if key in entry:
            flag[key] = entry[key]
    return flag
