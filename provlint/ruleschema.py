"""The rule schema, assembled: the keys every rule has as `schemas/rule.schema.json` writes
them, and each check option as the kinds that take it declare it (`OPTIONS_SCHEMA`).

The kinds' fragments are the one source of the options: the loader validates rules with
the assembled schema, and the shipped file, which editors validate with, is written from
it (`python -m provlint.ruleschema --write`; a test holds the file to it). An option
several kinds take is typed as each of them types it, and allows the values any of them
allows; its description says which kind means what.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from provlint.checks import MODULES, OPTIONS_SCHEMAS
from provlint.rulepack import RULE_KEYS, SCHEMAS
from provlint.validation import Validator

SHIPPED = SCHEMAS / "rule.schema.json"


def option_property(key: str) -> dict[str, Any]:
    """The rule schema's property for option `key`, from the fragments of the kinds that take it."""
    owners = {name: options["properties"][key] for name, options in OPTIONS_SCHEMAS.items()
              if key in options["properties"]}
    first = next(iter(owners.values()))
    spec = {part: value for part, value in first.items() if part != "description"}
    if "enum" in spec:
        spec["enum"] = list(dict.fromkeys(value for fragment in owners.values() for value in fragment.get("enum", [])))
    kinds_by_meaning: dict[str, list[str]] = {}
    for name, fragment in owners.items():
        meaning = fragment["description"].rstrip(".")
        if "enum" in fragment and fragment["enum"] != spec.get("enum"):  # this kind allows fewer values
            meaning += f" ({', '.join(map(str, fragment['enum']))})"
        if meaning[1:2].islower():  # `Field names` reads `field names` after `pattern:`; `RE2` stays
            meaning = meaning[:1].lower() + meaning[1:]
        kinds_by_meaning.setdefault(meaning, []).append(name)
    spec["description"] = "; ".join(f"{', '.join(kinds)}: {meaning}" for meaning, kinds in kinds_by_meaning.items()) + "."
    return spec


def rule_schema() -> dict[str, Any]:
    """The shipped file's keys of every rule, with every kind's options as the kinds declare
    them (in the file's order; an option the file does not have yet comes after)."""
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    options = list(dict.fromkeys(key for fragment in OPTIONS_SCHEMAS.values() for key in fragment["properties"]))
    properties: dict[str, Any] = {}
    for key, spec in shipped["properties"].items():
        if key in options:
            properties[key] = option_property(key)
        elif key in RULE_KEYS:
            properties[key] = spec
    for key in options:
        properties.setdefault(key, option_property(key))
    properties["check"] = {**shipped["properties"]["check"], "enum": list(MODULES)}
    return {**shipped, "properties": properties}


def rendered() -> str:
    """The rule schema as the shipped file holds it."""
    return json.dumps(rule_schema(), indent=2, ensure_ascii=False) + "\n"


@cache
def rule_validator() -> Validator:
    """The assembled rule schema, compiled once."""
    return Validator(rule_schema())


if __name__ == "__main__":
    import sys

    # --write reads the shipped file before rewriting it: `> schemas/rule.schema.json`
    # would empty the file the schema is assembled from before it is read.
    if sys.argv[1:] == ["--write"]:
        text = rendered()
        SHIPPED.write_text(text, encoding="utf-8")
    else:
        print(rendered(), end="")
