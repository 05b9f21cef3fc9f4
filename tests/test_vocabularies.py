"""Each closed vocabulary is listed once (`provlint/vocabulary.py`, the categories in
rules/categories.yaml); what cannot import it (the JSON Schemas, the
pre-commit hook, the README, the starter rule) must agree with it."""

from __future__ import annotations

import importlib
import json
import re

from conftest import REPO, provlint
from provlint import vocabulary
from provlint.globs import INPUT_SUFFIXES
from provlint.checks import input as input_check
from provlint.readers import READERS
from provlint.readers.kinds import SUFFIXES
from provlint.reporters import MODULES
from provlint.ruleset import load_ruleset


def schema(name: str) -> dict:
    return json.loads((REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


CONFIG, RULE, BLOCKS = schema("config")["properties"], schema("rule")["properties"], schema("blocks")["properties"]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_severities():
    assert RULE["severity"]["enum"] == CONFIG["fail-on"]["enum"] == CONFIG["min-severity"]["enum"] == list(
        vocabulary.SEVERITIES)
    assert CONFIG["severity"]["additionalProperties"]["enum"] == [*vocabulary.SEVERITIES, "off"]


def test_output_formats():
    assert CONFIG["format"]["enum"] == list(vocabulary.OUTPUT_FORMATS)
    assert set(MODULES) == {*vocabulary.OUTPUT_FORMATS, "statistics"}
    assert all(callable(importlib.import_module(f"provlint.reporters.{module}").report) for module in MODULES.values())
    help_text = provlint("check", "--help").out
    assert f"[{'|'.join(vocabulary.OUTPUT_FORMATS)}]" in "".join(help_text.split())


def test_input_kinds_and_suffixes():
    assert CONFIG["input"]["properties"]["format"]["enum"] == list(vocabulary.INPUT_FORMATS)
    assert list(READERS) == list(vocabulary.INPUT_KINDS)
    assert {suffix: kind for kind, suffixes in vocabulary.INPUT_KINDS.items() for suffix in suffixes} == SUFFIXES
    assert set(INPUT_SUFFIXES) == {*vocabulary.INPUT_SUFFIXES, *(s + ".gz" for s in vocabulary.INPUT_SUFFIXES)}
    hook = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.search(r"files: \(\?i\)\\\.\((.*?)\)", hook)[1].split("|") == [s[1:] for s in vocabulary.INPUT_SUFFIXES]
    include = CONFIG["include"]["description"]
    assert re.findall(r"\*(\.\w+)", include) == list(vocabulary.INPUT_SUFFIXES)
    walked = re.search(r"A folder walk reads the files whose names end in (.*?) \(", README, re.DOTALL)[1]
    assert re.findall(r"`(\.\w+)`", walked) == list(vocabulary.INPUT_SUFFIXES)


def test_input_facts():
    """Each fact is an option of the `input` check, documented in its DOC, and reported by one built-in rule."""
    facts = list(vocabulary.INPUT_FACTS)
    assert RULE["fact"]["enum"] == facts
    assert [fact for fact in facts if f"`{fact}`" not in input_check.DOC] == []
    reported = sorted(rule.options["fact"] for rule in load_ruleset().rules if rule.check == "input")
    assert reported == sorted(facts)


def test_timestamp_roles():
    assert BLOCKS["timestamp_roles"]["items"]["items"]["enum"] == list(vocabulary.TIMESTAMP_ROLES)
    assert set(vocabulary.TIMESTAMP_ROLES) <= set(CONFIG["input"]["properties"]["fields"]["propertyNames"]["enum"])


def test_categories():
    """The categories are data (rules/categories.yaml, each with its description); the rule
    schema offers the same to editors, the built-in rules use each, and the README's rule
    table and the starter rule's comment name the same."""
    from provlint.cli import STARTER_RULE

    pack = load_ruleset()
    categories = list(pack.categories)
    assert RULE["category"]["examples"] == categories
    assert all(category.description for category in pack.categories.values())
    assert sorted({rule.category for rule in pack.rules}) == sorted(categories)
    assert re.search(r"category: placeholder +# (.*)", STARTER_RULE)[1].split(" | ") == categories
    assert set(re.findall(r"^\| [A-Z]{2}\d{3}.*? \| (\w+) \|", README, re.MULTILINE)) == set(categories)
