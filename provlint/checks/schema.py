from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from provlint.checks.base import at_value, finding
from provlint.timestamps import Timestamp
from provlint.files import RefusedFile, read_regular_file, schema_file
from provlint.model import Document, FieldValue, Finding
from provlint.rulepack import MAX_RULE_FILE_BYTES, SCHEMAS, Rule, Ruleset
from provlint.validation import Validator

DOC = """`schema`: JSON Schema over the document's fields; one finding per validation error.

Options: `schema`, an inline schema or a file name (looked up in the rule file's folder,
never outside it, then in provlint's `schemas/`, e.g. `article.schema.json`). A `$ref`
resolves inside the schema or to provlint's schemas by their `$id`
(`https://provlint.dev/schemas/article.schema.json`); any other reference (http:,
file:, another file) is a rule-load error, never fetched or read. The instance is the
fields as JSON: `{"title": ["…"], "published": [{"raw", "instant", "offset",
"problem", "offset_problem"}], "crawl_date": ["2022-02-01"], …}`; each finding
points at the value the error is about.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["schema"],
    "properties": {
        "schema": {"type": ["object", "string"],
                   "description": "Inline JSON Schema, or a file name (next to the rule, or in schemas/)."},
    },
}
VALUES = {"field": "the field the error is about", "value": "the failing part", "raw": "the value as written",
          "error": "jsonschema's message"}


def project(value: FieldValue) -> Any:
    """A field value as JSON."""
    stamp = value.value
    if type(stamp) is str:  # most values: checked first
        return stamp
    if isinstance(stamp, Timestamp):
        return {
            "raw": stamp.raw,
            "instant": stamp.instant.isoformat() if stamp.instant else None,
            "offset": stamp.offset,
            "problem": stamp.problem,
            "offset_problem": stamp.offset_problem,
        }
    if isinstance(stamp, (date, datetime)):
        return stamp.isoformat()
    if stamp is None:
        return value.raw
    return stamp


def instance_of(document: Document, names: frozenset[str] | None = None) -> dict[str, list[Any]]:
    """The fields as JSON; only `names` when the schema reads no other (most: the body is
    long and no schema reads it)."""
    return {name: [project(v) for v in values] for name, values in document.fields.items()
            if names is None or name in names}


@lru_cache(maxsize=64)
def _validator(source: str | bytes, shown: str) -> Validator:
    """A schema's JSON text (`shown` as `schema:` names it), compiled; keyed by the text
    itself, so an edited schema file is compiled anew when a process lints again."""
    try:
        schema = json.loads(source)
    except RecursionError:
        raise ValueError(f"schema {shown[:80]!r} is nested too deeply") from None
    validator = Validator(schema)
    reference = validator.unresolved_reference()
    if reference is not None:
        raise ValueError(f"$ref {reference!r} does not resolve: a schema may refer only to its own parts "
                         "and to provlint's schemas (https://provlint.dev/schemas/...); nothing is fetched or read")
    return validator


def validator_for(rule: Rule) -> Validator:
    """The rule's schema, compiled (once per schema text). ValueError or OSError when it
    does not load: the loader reports that at the rule's `schema:`."""
    schema = rule.options["schema"]
    if not isinstance(schema, str):
        inline = json.dumps(schema, sort_keys=True)
        return _validator(inline, inline)
    if schema.lstrip().startswith("{"):
        return _validator(schema, schema)
    path = schema_file(schema, rule.source, SCHEMAS)
    try:
        content = read_regular_file(path, MAX_RULE_FILE_BYTES)
    except RefusedFile as exc:
        raise ValueError(f"schema file {path} {exc}") from None
    return _validator(content, schema)


@dataclass(frozen=True)
class Prepared:
    validator: Validator
    # Rules whose schemas read the same fields share one JSON instance per document:
    # `key` names it among the document's derived values.
    key: str
    names: frozenset[str] | None


def prepare(rule: Rule, pack: Ruleset) -> Prepared:
    validator = validator_for(rule)
    names = validator.reads
    return Prepared(validator, "fields-json:" + (",".join(sorted(names)) if names is not None else "*"), names)


def check(rule: Rule, document: Document, prepared: Prepared) -> Iterator[Finding]:
    validator, names = prepared.validator, prepared.names
    instance = document.derived(prepared.key, lambda: instance_of(document, names))
    for error in validator.iter_errors(instance):
        path = list(error.absolute_path)
        name = path[0] if path else ""
        values = document.values(name) if name else []
        failing = error.instance if not isinstance(error.instance, (dict, list)) else json.dumps(error.instance, ensure_ascii=False)
        if len(path) > 1 and isinstance(path[1], int) and path[1] < len(values):
            place = values[path[1]]
            yield at_value(rule, document, place, field=name, value=failing, raw=place.raw, error=error.message)
        else:
            yield finding(rule, document, None, field=name, value=failing, raw="", error=error.message)
