from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from provlint.checks.base import at_value, finding
from provlint.timestamps import Timestamp
from provlint.files import RefusedFile, read_regular_file, schema_file
from provlint.model import Document, FieldValue, Finding
from provlint.rulepack import MAX_RULE_FILE_BYTES, SCHEMAS, Rule, Ruleset
from provlint.validation import DIALECTS_2020, Validator

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


# The ISO text of each day met (`date.isoformat` formats anew each time, and a corpus has
# few crawl and dateline days), and of each text whether a schema's `pattern` finds it.
_ISO_DAYS: dict[date, str] = {}
MAX_KNOWN = 4096


def project(value: FieldValue) -> Any:
    """A field value as JSON."""
    stamp = value.value
    if type(stamp) is str:  # most values: checked first
        return stamp
    if type(stamp) is date:
        text = _ISO_DAYS.get(stamp)
        if text is None:
            if len(_ISO_DAYS) >= MAX_KNOWN:
                _ISO_DAYS.clear()
            text = _ISO_DAYS[stamp] = stamp.isoformat()
        return text
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


class _Unsure(Exception):
    """The direct test cannot decide a value exactly: jsonschema decides."""


# Whether a value is valid, exactly as jsonschema would judge its JSON (`project`); a
# Timestamp stands for its JSON object. Raises _Unsure where that is not certain.
Test = Callable[[Any], bool]

_TIMESTAMP_KEYS = ("raw", "instant", "offset", "problem", "offset_problem")
_ANNOTATIONS = frozenset({"$comment", "title", "description", "default", "examples", "format", "deprecated",
                          "readOnly", "writeOnly"})
_MAX_DEPTH = 32
_TYPES = ("string", "null", "boolean", "object", "array", "number", "integer")


def _shallow(value: FieldValue) -> Any:
    """A field value as `project` makes it, but a Timestamp left as it is."""
    stamp = value.value
    if type(stamp) is str or isinstance(stamp, Timestamp):
        return stamp
    return project(value)


# The JSON types a Python type stands for, where one isinstance test tells (not numbers:
# a bool is an int, and a float may be an integer).
_PLAIN_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "null": (type(None),), "boolean": (bool,),
                                             "object": (dict, Timestamp), "array": (list,)}
_KNOWN_TYPES = (str, bool, int, float, dict, list, Timestamp, type(None))


def _type_test(names: list[str]) -> Test:
    if all(name in _PLAIN_TYPES for name in names):
        accepted = tuple(kind for name in names for kind in _PLAIN_TYPES[name])

        def plain(value: Any) -> bool:
            if isinstance(value, accepted):
                return True
            if isinstance(value, _KNOWN_TYPES):
                return False
            raise _Unsure
        return plain

    def test(value: Any) -> bool:
        for name in names:
            if name == "string":
                if isinstance(value, str):
                    return True
            elif name == "null":
                if value is None:
                    return True
            elif name == "boolean":
                if isinstance(value, bool):
                    return True
            elif name == "object":
                if isinstance(value, (dict, Timestamp)):
                    return True
            elif name == "array":
                if isinstance(value, list):
                    return True
            elif name == "number":
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    return True
            elif name == "integer":
                if isinstance(value, int) and not isinstance(value, bool):
                    return True
                if isinstance(value, float) and value.is_integer():
                    return True
        if not isinstance(value, (str, bool, int, float, dict, list, Timestamp)) and value is not None:
            raise _Unsure
        return False
    return test


def _enum_test(members: list[Any]) -> Test | None:
    """`enum` (and `const`) over strings and null; other values go to jsonschema."""
    if not all(member is None or isinstance(member, str) for member in members):
        return None
    strings = frozenset(member for member in members if isinstance(member, str))
    null = None in members

    def test(value: Any) -> bool:
        if isinstance(value, str):
            return value in strings
        if value is None:
            return null
        raise _Unsure
    return test


def _all(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]

    def test(value: Any) -> bool:
        for part in tests:  # noqa: SIM110 - a loop costs less than all() of a generator, once per value
            if not part(value):
                return False
        return True
    return test


def _array_of(inner: Test) -> Test:
    """`{type: array, items: …}` as one test (how most schemas of fields read: every field
    is a list of its values)."""
    def test(value: Any) -> bool:
        if isinstance(value, list):
            for item in value:  # noqa: SIM110 - a loop costs less than all() of a generator, once per value
                if not inner(item):
                    return False
            return True
        if isinstance(value, _KNOWN_TYPES):
            return False
        raise _Unsure
    return test


def _items(inner: Test) -> Test:
    def test(value: Any) -> bool:
        if isinstance(value, list):
            for item in value:
                if not inner(item):
                    return False
        return True
    return test


class _Compiler:
    """Turns the common keywords of a 2020-12 schema into direct tests (None for a
    schema with any other keyword: it goes to jsonschema whole)."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def node(self, schema: Any, depth: int) -> Test | None:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return None
        if schema.get("type") in ("array", ["array"]) and "items" in schema \
                and set(schema) - _ANNOTATIONS == {"type", "items"}:
            inner = self.node(schema["items"], depth + 1)
            return _array_of(inner) if inner is not None else None
        tests: list[Test] = []
        for key, spec in schema.items():
            test = self.keyword(key, spec, depth)
            if test is None:
                return None
            if test is not _ANNOTATION:
                tests.append(test)
        return _all(tests) if tests else (lambda value: True)

    def keyword(self, key: str, spec: Any, depth: int) -> Test | None:
        if key in _ANNOTATIONS:
            return _ANNOTATION
        if key == "type":
            names = [spec] if isinstance(spec, str) else spec
            if not isinstance(names, list) or not all(name in _TYPES for name in names):
                return None
            return _type_test(names)
        if key == "enum":
            return _enum_test(spec) if isinstance(spec, list) else None
        if key == "const":
            return _enum_test([spec])
        if key == "pattern":
            return _pattern_test(spec)
        if key in ("minLength", "maxLength", "minItems", "maxItems"):
            return _size_test(key, spec)
        if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            return _bound_test(key, spec)
        if key == "$ref":
            return self.reference(spec, depth)
        if key in ("not", "items"):
            inner = self.node(spec, depth + 1)
            if inner is None:
                return None
            if key == "not":
                return lambda value: not inner(value)
            return _items(inner)
        if key in ("allOf", "anyOf", "oneOf"):
            if not isinstance(spec, list) or not spec:
                return None
            parts = [self.node(part, depth + 1) for part in spec]
            if any(part is None for part in parts):
                return None
            tests = [part for part in parts if part is not None]
            if key == "allOf":
                return _all(tests)
            if key == "anyOf":
                return lambda value: any(test(value) for test in tests)
            return lambda value: sum(1 for test in tests if test(value)) == 1
        if key == "properties":
            return self.properties(spec, depth)
        if key == "required":
            if not isinstance(spec, list) or not all(isinstance(name, str) for name in spec):
                return None
            return _required_test(spec)
        if key in ("$defs", "definitions") and depth == 0:
            return _ANNOTATION
        return None

    def reference(self, spec: Any, depth: int) -> Test | None:
        if not isinstance(spec, str) or "~" in spec or "%" in spec:
            return None
        for prefix, container in (("#/$defs/", "$defs"), ("#/definitions/", "definitions")):
            name = spec[len(prefix):]
            if spec.startswith(prefix) and "/" not in name:
                defined = self.root.get(container)
                if isinstance(defined, dict) and name in defined:
                    return self.node(defined[name], depth + 1)
        return None

    def properties(self, spec: Any, depth: int) -> Test | None:
        if not isinstance(spec, dict):
            return None
        parts: list[tuple[str, Test]] = []
        for name, schema in spec.items():
            part = self.node(schema, depth + 1)
            if part is None:
                return None
            parts.append((name, part))

        stamp_parts = [(name, part) for name, part in parts if name in _TIMESTAMP_KEYS]

        def test(value: Any) -> bool:
            if isinstance(value, Timestamp):
                for name, part in stamp_parts:
                    if not part(value.instant.isoformat() if value.instant else None) if name == "instant" \
                            else not part(getattr(value, name)):
                        return False
            elif isinstance(value, dict):
                for name, part in parts:
                    if name in value and not part(value[name]):
                        return False
            return True
        return test


_ANNOTATION: Test = lambda value: True  # noqa: E731 - a marker: the keyword tests nothing


def _pattern_test(spec: Any) -> Test | None:
    if not isinstance(spec, str):
        return None
    try:
        search = re.compile(spec).search  # what jsonschema runs: `re.search`
    except (re.error, RecursionError, OverflowError):
        return None
    # Each text's answer, kept: a locale or a day recurs across a corpus.
    known: dict[str, bool] = {}

    def test(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        found = known.get(value)
        if found is None:
            if len(known) >= MAX_KNOWN:
                known.clear()
            found = known[value] = search(value) is not None
        return found
    return test


def _size_test(key: str, spec: Any) -> Test | None:
    if not isinstance(spec, int) or isinstance(spec, bool):
        return None
    sized = _is_string if key.endswith("Length") else _is_array
    if key.startswith("min"):
        return lambda value: not sized(value) or len(value) >= spec
    return lambda value: not sized(value) or len(value) <= spec


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _is_array(value: Any) -> bool:
    return isinstance(value, list)


def _bound_test(key: str, spec: Any) -> Test | None:
    if not isinstance(spec, (int, float)) or isinstance(spec, bool):
        return None

    def test(value: Any) -> bool:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return True
        if key == "minimum":
            return value >= spec
        if key == "maximum":
            return value <= spec
        if key == "exclusiveMinimum":
            return value > spec
        return value < spec
    return test


def _required_test(names: list[str]) -> Test:
    def test(value: Any) -> bool:
        if isinstance(value, dict):
            return all(name in value for name in names)
        if isinstance(value, Timestamp):
            return all(name in _TIMESTAMP_KEYS for name in names)
        return True
    return test


def direct_test(schema: Any) -> DirectTest | None:
    """A test that a document's fields are valid under `schema`, made of its fields
    directly (no JSON instance, no jsonschema): True exactly when jsonschema finds no
    error. None for a schema it cannot judge alike (another dialect, other keywords, a
    `$ref` beyond its own `$defs`, a top level that reads more than the fields it names)."""
    if not isinstance(schema, dict) or schema.get("$schema", DIALECTS_2020[0]) not in DIALECTS_2020:
        return None
    if not set(schema) <= {"$schema", "$id", "$defs", "definitions", "type", "properties", "required"} | _ANNOTATIONS:
        return None
    if schema.get("type", "object") != "object":
        return None
    compiler = _Compiler(schema)
    fields = schema.get("properties", {})
    if not isinstance(fields, dict):
        return None
    tests: list[tuple[str, Test]] = []
    for name, field_schema in fields.items():
        test = compiler.node(field_schema, 1)
        if test is None:
            return None
        tests.append((name, test))
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
        return None

    return DirectTest(required, tests)


class DirectTest:
    """Whether a document's fields are valid under a schema (`direct_test`); raises
    _Unsure where only jsonschema can tell."""

    def __init__(self, required: list[str], tests: list[tuple[str, Test]]) -> None:
        self.required = required
        self.tests = tests

    def valid(self, document: Document, shallow: dict[str, list[Any]]) -> bool:
        """`shallow`: each field's values as the tests read them, made once per document
        for all the schema rules that read the field."""
        present = document.fields
        for name in self.required:
            if name not in present:
                return False
        for name, test in self.tests:
            values = present.get(name)
            if values is None:
                continue
            made = shallow.get(name)
            if made is None:
                made = shallow[name] = [_shallow(value) for value in values]
            if not test(made):
                return False
        return True


@dataclass(frozen=True)
class Prepared:
    validator: Validator
    # Rules whose schemas read the same fields share one JSON instance per document:
    # `key` names it among the document's derived values.
    key: str
    names: frozenset[str] | None
    # Most documents are valid: this says so from the fields themselves (None: only jsonschema can).
    valid: DirectTest | None = None


def prepare(rule: Rule, pack: Ruleset) -> Prepared:
    validator = validator_for(rule)
    names = validator.reads
    return Prepared(validator, "fields-json:" + (",".join(sorted(names)) if names is not None else "*"), names,
                    direct_test(validator.schema))


def check(rule: Rule, document: Document, prepared: Prepared) -> Iterator[Finding]:
    return _judged(rule, document, prepared, {})


def _judged(rule: Rule, document: Document, prepared: Prepared, shallow: dict[str, list[Any]]) -> Iterator[Finding]:
    """No finding when the direct test says the fields are valid; else jsonschema's errors."""
    if prepared.valid is not None:
        try:
            if prepared.valid.valid(document, shallow):
                return iter(())
        except _Unsure:
            pass
    return _errors(rule, document, prepared)


def prepare_group(rules: list[Rule]) -> Callable[[Document], list[Finding]]:
    """The schema rules in one pass: the fields their direct tests read are made into
    test values once per document for them all."""
    chosen: list[tuple[Rule, Prepared]] = [(rule, rule.prepared) for rule in rules]

    def run(document: Document) -> list[Finding]:
        findings: list[Finding] = []
        shallow: dict[str, list[Any]] = {}
        for rule, prepared in chosen:
            findings.extend(_judged(rule, document, prepared, shallow))
        return findings

    return run


def _errors(rule: Rule, document: Document, prepared: Prepared) -> Iterator[Finding]:
    """jsonschema's errors for the document, one finding each."""
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
