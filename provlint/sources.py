"""The source registry: registered domain -> outlet, publisher names, owner, flags.

Built from `sources:` lists in YAML (`rules/sources/*.yaml` and users' files).
Lookups are exact on the registered domain, never by substring.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Names compared without case, accents, quotes or punctuation: „Rosiya Segodnya“ == rosiya segodnya."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


@dataclass
class Source:
    domain: str
    names: list[str]
    legal_names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    country: str | None = None
    flags: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: str = ""

    @property
    def domains(self) -> set[str]:
        return {self.domain, *self.aliases}

    @cached_property
    def name_keys(self) -> frozenset[str]:
        return frozenset(name_key(n) for n in [*self.names, *self.legal_names, *([self.parent] if self.parent else [])])


@dataclass
class Registry:
    by_domain: dict[str, Source] = field(default_factory=dict)
    # Publisher and author names recur across a corpus; each is looked up once.
    _owners: dict[str, Source | None] = field(default_factory=dict, repr=False)

    def add(self, entry: dict[str, Any], origin: str) -> None:
        source = Source(
            domain=entry["domain"].lower(), names=entry["names"], legal_names=entry.get("legal_names", []),
            aliases=[a.lower() for a in entry.get("aliases", [])], parent=entry.get("parent"),
            country=entry.get("country"), flags=entry.get("flags", {}), origin=origin,
        )
        for domain in source.domains:
            self.by_domain[domain] = source
        self._owners.clear()

    def lookup(self, domain: str) -> Source | None:
        return self.by_domain.get(domain.lower())

    def owner_of_name(self, name: str) -> Source | None:
        """The registered source whose names, legal names or parent include `name`."""
        key = name_key(name)
        if not key:
            return None
        if key not in self._owners:
            if len(self._owners) >= 65536:
                self._owners.clear()
            self._owners[key] = next(
                (source for source in self.by_domain.values()
                 if key in source.name_keys or any(len(known) > 6 and known in key for known in source.name_keys)),
                None)
        return self._owners[key]
