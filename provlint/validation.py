"""JSON Schema validation in two passes: most instances are valid, so a schema is first
compiled to Python with fastjsonschema (20-40x faster than jsonschema); jsonschema, the
reference implementation, runs only on what that pass rejects, and words the errors.

The fast pass is used only for schemas whose every keyword draft 7 (fastjsonschema) and
2020-12 (jsonschema) read alike, so it can never pass what jsonschema would reject.

A `$ref` resolves inside its schema or to one of provlint's own schemas (by its `$id`,
https://provlint.dev/schemas/...) and nowhere else: nothing is fetched from the network
or read from a file, whatever address a rule pack's schema names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

_ALIKE = frozenset({
    "$schema", "$id", "$comment", "$defs", "definitions", "title", "description", "default", "examples",
    "type", "enum", "const", "properties", "patternProperties", "additionalProperties", "propertyNames",
    "required", "minProperties", "maxProperties", "items", "contains", "minItems", "maxItems", "uniqueItems",
    "pattern", "minLength", "maxLength", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref",
})
_ANNOTATIONS = frozenset({"$ref", "$comment", "title", "description", "default", "examples"})
_SCHEMA_MAPS = ("$defs", "definitions", "properties", "patternProperties")
_SUBSCHEMAS = ("items", "contains", "not", "if", "then", "else", "additionalProperties", "propertyNames")
# Top-level keywords that read no property but those `properties` names.
_READS_NAMED_ONLY = frozenset({"$schema", "$id", "$comment", "$defs", "definitions", "title", "description",
                               "default", "examples", "type", "properties"})


def reads_alike(schema: Any) -> bool:
    """True when draft 7 and 2020-12 give this schema the same meaning."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or not set(schema) <= _ALIKE:
        return False
    # Draft 7 ignores a $ref's siblings, 2020-12 applies them; remote refs are not fetched.
    if "$ref" in schema and (not set(schema) <= _ANNOTATIONS or not str(schema["$ref"]).startswith("#")):
        return False
    if isinstance(schema.get("items"), list):
        return False
    for key, value in schema.items():
        if key in _SCHEMA_MAPS:
            if not isinstance(value, dict) or not all(reads_alike(v) for v in value.values()):
                return False
        elif key in ("allOf", "anyOf", "oneOf"):
            if not isinstance(value, list) or not all(reads_alike(v) for v in value):
                return False
        elif key in _SUBSCHEMAS and not reads_alike(value):
            return False
    return True


@lru_cache(maxsize=64)
def _fast(source: str) -> Callable[[Any], Any] | None:
    schema = json.loads(source)
    if not reads_alike(schema):
        return None
    import fastjsonschema

    try:  # no defaults written into the instance, formats not asserted: as jsonschema does
        return fastjsonschema.compile(schema, use_default=False, use_formats=False, handlers=_NO_RETRIEVAL)
    except Exception:  # noqa: BLE001 - a schema fastjsonschema cannot take just goes without the fast pass
        return None


def _not_retrieved(uri: str) -> Any:
    raise ValueError(f"{uri}: not fetched (a schema refers only to itself and to provlint's schemas)")


# fastjsonschema opens with urllib every scheme it has no handler for; these are all urllib knows.
_NO_RETRIEVAL = dict.fromkeys(("http", "https", "ftp", "file", "data"), _not_retrieved)


@lru_cache(maxsize=1)
def registry() -> Any:
    """provlint's own schemas by their `$id`, and nothing else: `referencing`'s default
    retrieval refuses every other address (http:, file:, a relative path)."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    from provlint.rulepack import SCHEMAS

    schemas = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMAS.glob("*.schema.json"))]
    return Registry().with_resources((schema["$id"], DRAFT202012.create_resource(schema)) for schema in schemas)


@lru_cache(maxsize=64)
def _reference(source: str) -> Any:
    import jsonschema

    schema = json.loads(source)
    validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return validator(schema, registry=registry())


class Validator:
    """One schema, compiled once."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._source = json.dumps(schema, sort_keys=True)
        self.reads = reads(schema)

    def is_valid(self, instance: Any) -> bool:
        """The fast pass; False may still mean valid (the reference decides)."""
        fast = _fast(self._source)
        if fast is None:
            return False
        import fastjsonschema

        try:
            fast(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    def unresolved_reference(self) -> str | None:
        """The first `$ref` or `$dynamicRef` that resolves neither inside the schema nor to
        one of provlint's schemas (None when all do): a rule pack learns it when it loads."""
        if "$ref" not in self._source and "$dynamicRef" not in self._source:
            return None
        if _local_references_resolve(self.schema, self._source):
            return None
        from referencing.exceptions import Unresolvable
        from referencing.jsonschema import DRAFT202012, specification_with

        dialect = self.schema.get("$schema") if isinstance(self.schema, dict) else None
        specification = specification_with(dialect, default=DRAFT202012) if isinstance(dialect, str) else DRAFT202012
        root = specification.create_resource(self.schema)
        pending = [(root, registry().resolver_with_root(root))]
        while pending:  # no recursion: a deep schema must not exhaust the stack
            resource, resolver = pending.pop()
            if isinstance(resource.contents, dict):
                for keyword in ("$ref", "$dynamicRef"):
                    reference = resource.contents.get(keyword)
                    if isinstance(reference, str):
                        try:
                            resolver.lookup(reference)
                        except Unresolvable:
                            return reference
            pending.extend((sub, resolver.in_subresource(sub)) for sub in resource.subresources())
        return None

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        """jsonschema's errors (none when the fast pass accepts the instance)."""
        if self.is_valid(instance):
            return iter(())
        return _reference(self._source).iter_errors(instance)


def _local_references_resolve(schema: Any, source: str) -> bool:
    """True when every `$ref` is a plain JSON pointer into the schema itself ("#/$defs/x")
    that leads somewhere: resolved without importing `referencing` (the pack's own rules
    refer so). Anything else (`$id`, `$dynamicRef`, escapes, other addresses) is left to
    `referencing`: False means only "not sure"."""
    if "$id" in source or "$dynamicRef" in source or "$anchor" in source or "%" in source or "~" in source:
        return False
    dialect = schema.get("$schema") if isinstance(schema, dict) else None
    if dialect is not None and dialect not in DIALECTS_2020:
        return False
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and not _pointer_resolves(schema, reference):
                return False
            pending.extend(node.values())
    return True


# The dialect the pack's schemas are read in, as `$schema` may name it.
DIALECTS_2020 = ("https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#")


def _pointer_resolves(schema: Any, reference: str) -> bool:
    if reference == "#":
        return True
    if not reference.startswith("#/"):
        return False
    target = schema
    for part in reference[2:].split("/"):
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return False
    return True


def reads(schema: Any) -> frozenset[str] | None:
    """The only properties of an object instance the schema can look at, or None for any:
    an object with the other properties left out gets the same errors."""
    if not isinstance(schema, dict) or not set(schema) <= _READS_NAMED_ONLY \
            or schema.get("type", "object") != "object" or not isinstance(schema.get("properties", {}), dict):
        return None
    return frozenset(schema.get("properties", {}))
