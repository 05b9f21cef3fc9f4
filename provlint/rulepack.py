"""The rule model: a `Rule` and the pack it belongs to (`Ruleset`: the rules, their
categories, the block table, the source registry and the lexicons), as the loader
(`provlint.ruleset`) builds them and the engine and the check kinds read them. Nothing
here loads or checks a file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from provlint.byvalue import ByValue
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


# Rule, Category and Ruleset are written out, not `@dataclass`es: a one-file run spent
# about 3 million instructions on generating and compiling each dataclass's methods.
class Rule(ByValue):
    """A rule as loaded: its keys, and its check kind's options (`options`)."""

    _compared = ("id", "name", "category", "severity", "message", "description", "check", "options", "source",
                 "line", "examples", "tests", "pattern", "selection", "prepared", "raw")
    _shown = _compared[:-2]  # not what the check prepared, nor the rule as written

    def __init__(self, id: str, name: str, category: str, severity: str, message: str, description: str,
                 check: str, options: dict[str, Any], source: str, line: int = 1,
                 examples: dict[str, list[Any]] | None = None, tests: list[dict[str, Any]] | None = None,
                 pattern: Pattern | None = None, selection: str = "default", prepared: Any = None,
                 raw: dict[str, Any] | None = None) -> None:
        self.id = id
        self.name = name
        self.category = category
        self.severity = severity
        self.message = message
        self.description = description
        self.check = check
        self.options = options
        self.source = source
        self.line = line
        self.examples = {} if examples is None else examples  # each a dump, or blocks by kind
        self.tests = [] if tests is None else tests
        self.pattern = pattern
        # `default` rules run unless ignored; `strict` ones (absence, house style) only when
        # selected, as ruff's opt-in rules.
        self.selection = selection
        # What its check kind's `prepare(rule, pack)` built once at load (a schema validator,
        # the source registry, the pattern screen): the check's third argument; None for kinds
        # without `prepare`.
        self.prepared = prepared
        self.raw = {} if raw is None else raw

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


class Category(NamedTuple):
    """A category a pack declares (`categories:`): what kind of problem its rules report."""

    name: str
    description: str
    source: str = ""
    line: int = 1


class Ruleset(ByValue):
    """The loaded pack: its rules and the data files they read."""

    _compared = ("rules", "categories", "table", "sources", "brands", "lexicons", "aliases", "files")

    def __init__(self, rules: list[Rule] | None = None, categories: dict[str, Category] | None = None,
                 table: BlockTable | None = None, sources: Registry | None = None, brands: Registry | None = None,
                 lexicons: Lexicons | None = None, aliases: dict[Path, Path] | None = None,
                 files: list[tuple[str, str]] | None = None) -> None:
        self.rules = [] if rules is None else rules
        # The categories declared (rules/categories.yaml, then users'), in declaration order.
        self.categories = {} if categories is None else categories
        self.table = BlockTable() if table is None else table
        self.sources = Registry() if sources is None else sources
        # Known outlets that influence operations clone (`brands:`): what look-alike domains imitate.
        self.brands = Registry() if brands is None else brands
        self.lexicons = Lexicons() if lexicons is None else lexicons
        # Rule files given again under another name -> the file actually loaded.
        self.aliases = {} if aliases is None else aliases
        # (path, content digest) of every rule, table, registry and lexicon file loaded: the cache's key.
        self.files = [] if files is None else files

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}


@cache
def schema_validator(name: str) -> Validator:
    """One of provlint's own schemas (`rule.schema.json`…), compiled once."""
    return Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))
