"""The rule model: a `Rule` and the pack it belongs to (`Ruleset`: the rules, their
categories, the block table, the source registry and the lexicons), as the loader
(`provlint.ruleset`) builds them and the engine and the check kinds read them. Nothing
here loads or checks a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from provlint.lexicons import Lexicons
from provlint.patterns import Pattern
from provlint.readers.blocktable import BlockTable
from provlint.sources import Registry
from provlint.validation import Validator

MAX_RULE_FILE_BYTES = 1_000_000


def _builtin_dir(name: str) -> Path:
    """Built-in data: inside the wheel (provlint/_builtin/...) or at the top of a checkout."""
    packaged = Path(__file__).parent / "_builtin" / name
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / name


BUILTIN_RULES = _builtin_dir("rules")
SCHEMAS = _builtin_dir("schemas")
# The rule reference (docs/reference.md): a section per built-in rule and per check kind.
REFERENCE_URL = "https://github.com/provlint/provlint/blob/main/docs/reference.md"
# The keys every rule has; the other keys are options of its check kind.
RULE_KEYS = ("id", "name", "category", "severity", "selection", "message", "description", "check", "examples",
             "tests", "extends", "enabled")
# A full stop after these is no sentence end.
ABBREVIATIONS = frozenset({"e.g", "i.e", "cf", "vs", "approx", "incl", "fig", "mr", "mrs", "dr", "st"})


def first_sentence(text: str) -> str:
    """`text` up to its first sentence end: a full stop and a space, not after an
    abbreviation (`e.g.`) or an initial (`J. Doe`)."""
    start = 0
    while (end := text.find(". ", start)) > 0:
        word = text[:end].rsplit(None, 1)[-1].lstrip("(`'\"").casefold()
        if word not in ABBREVIATIONS and not (len(word) == 1 and word.isalpha()):
            return text[: end + 1]
        start = end + 2
    return text


@dataclass
class Rule:
    id: str
    name: str
    category: str
    severity: str
    message: str
    description: str
    check: str
    options: dict[str, Any]
    source: str
    line: int = 1
    examples: dict[str, list[Any]] = field(default_factory=dict)  # each a dump, or blocks by kind
    tests: list[dict[str, Any]] = field(default_factory=list)
    pattern: Pattern | None = None
    # `default` rules run unless ignored; `strict` ones (absence, house style) only when
    # selected, as ruff's opt-in rules.
    selection: str = "default"
    # What its check kind's `prepare(rule, pack)` built once at load (a schema validator,
    # the source registry, the pattern screen): the check's third argument; None for kinds
    # without `prepare`.
    prepared: Any = field(default=None, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def summary(self) -> str:
        """The first sentence of the description's "What:" part."""
        text = " ".join(self.description.split()).removeprefix("What:").strip()
        return first_sentence(text.split(" Why:")[0])

    @property
    def help_uri(self) -> str:
        """The rule's section of the reference: a built-in rule's own, else its check kind's."""
        if Path(self.source).resolve().is_relative_to(BUILTIN_RULES.resolve()):
            return f"{REFERENCE_URL}#{self.id.lower()}-{self.name}"
        return f"{REFERENCE_URL}#{self.check}"


@dataclass(frozen=True)
class Category:
    """A category a pack declares (`categories:`): what kind of problem its rules report."""

    name: str
    description: str
    source: str = ""
    line: int = 1


@dataclass
class Ruleset:
    rules: list[Rule] = field(default_factory=list)
    # The categories declared (rules/categories.yaml, then users'), in declaration order.
    categories: dict[str, Category] = field(default_factory=dict)
    table: BlockTable = field(default_factory=BlockTable)
    sources: Registry = field(default_factory=Registry)
    # Known outlets that influence operations clone (`brands:`): what look-alike domains imitate.
    brands: Registry = field(default_factory=Registry)
    lexicons: Lexicons = field(default_factory=Lexicons)
    # Rule files given again under another name -> the file actually loaded.
    aliases: dict[Path, Path] = field(default_factory=dict)
    # (path, SHA-256) of every rule, table, registry and lexicon file loaded: the cache's key.
    files: list[tuple[str, str]] = field(default_factory=list)

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}


@cache
def schema_validator(name: str) -> Validator:
    """One of provlint's own schemas (`rule.schema.json`…), compiled once."""
    return Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))
