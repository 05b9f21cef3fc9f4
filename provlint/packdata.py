"""The pack's data files, each recognised by its top-level key and checked by its schema:
categories, block tables (`block_kinds:`, `context_kinds:`), the source registry
(`sources:`), cloned brands (`brands:`), lexicons and date words; and the problems a
pattern or a schema finds in any pack file, at its `file:line:col`. Rule entries
themselves are `provlint.ruleset`'s."""

from __future__ import annotations

from typing import Any

from provlint.patterns import PatternError, compile_pattern
from provlint.problems import Problem, schema_problems
from provlint.rulepack import Category, Ruleset, schema_validator
from provlint.ruleschema import rule_validator
from provlint.yamlnodes import mark_of


def load_data_file(shown: str, data: dict, marks: dict, ruleset: Ruleset, problems: list[Problem],
                   followed: list[tuple[str, int, int, str]], validate: bool) -> bool:
    """Load `data` into the pack if it is a data file (True), else leave it (a rule file)."""
    if "block_kinds" in data or "context_kinds" in data:
        load_table(shown, data, marks, ruleset, problems, followed, validate)
        return True
    if "sources" in data:
        errors = schema_errors(validate, shown, data, (), marks, "sources.schema.json", None)
        problems.extend(errors)
        if not errors:
            ruleset.sources.add_networks(data.get("networks", {}))
        for index, entry in enumerate([] if errors else data["sources"]):
            problem = ruleset.sources.add(entry, shown)
            if problem:
                line, column = mark_of(marks, ("sources", index))
                problems.append(Problem(shown, line, column, problem))
        return True
    if "brands" in data:
        errors = schema_errors(validate, shown, data, (), marks, "brands.schema.json", None)
        problems.extend(errors)
        for entry in [] if errors else data["brands"]:
            ruleset.brands.add({**entry, "flags": {"cloned": {"label": "cloned by influence operations",
                                                              "source": entry["source"]}}}, shown)
        return True
    if "lexicons" in data:
        errors = schema_errors(validate, shown, data, (), marks, "lexicon.schema.json", None)
        bad = [] if errors or not validate else [
            pattern_problem(shown, ("lexicons", code, kind, i), cue[3:].strip().replace("{outlet}", "X"), marks, None)
            for code, entry in data["lexicons"].items() for kind in ("reporting", "vague", "artefacts", "credits")
            for i, cue in enumerate(entry.get(kind, [])) if cue.startswith("re:")
        ]
        problems.extend(errors + [b for b in bad if b])
        if not errors and not any(bad):
            ruleset.lexicons.extend(data, shown)
        return True
    if "dates" in data:
        errors = schema_errors(validate, shown, data, (), marks, "dates.schema.json", None)
        problems.extend(errors)
        if not errors:
            ruleset.table.add_dates(data["dates"])
        return True
    return False


def load_categories(shown: str, entries: Any, marks: dict, ruleset: Ruleset, problems: list[Problem],
                     validate: bool) -> None:
    errors = schema_errors(validate, shown, {"categories": entries}, (), marks, "categories.schema.json", None)
    if errors:
        problems.extend(errors)
        return
    for index, entry in enumerate(entries):
        line, column = mark_of(marks, ("categories", index, "name"))
        known = ruleset.categories.get(entry["name"])
        if known is not None:
            problems.append(Problem(shown, line, column,
                                        f"category {entry['name']} is already declared at {known.source}:{known.line}"))
            continue
        ruleset.categories[entry["name"]] = Category(entry["name"], entry["description"], shown, line)


def load_table(shown: str, data: dict, marks: dict, ruleset: Ruleset, problems: list[Problem],
                followed: list[tuple[str, int, int, str]], validate: bool) -> None:
    errors = schema_errors(validate, shown, data, (), marks, "blocks.schema.json", None)
    for index, row in enumerate([] if errors else data.get("block_kinds", [])):
        if "category" in row:
            line, column = mark_of(marks, ("block_kinds", index, "category"))
            followed.append((shown, line, column, row["category"]))
            if "pattern" in row:
                line, column = mark_of(marks, ("block_kinds", index, "pattern"))
                errors.append(Problem(shown, line, column, f"block kind {row['kind']!r}: a row that follows a "
                                                               "category (`category:`) takes no `pattern`"))
    if errors:
        problems.extend(errors)
        return
    patterns: list[tuple[tuple[str | int, ...], Any]] = [
        (("block_kinds", i, "pattern"), row["pattern"]) for i, row in enumerate(data.get("block_kinds", []))
        if "pattern" in row]
    patterns += [(("url_dates", i), p) for i, p in enumerate(data.get("url_dates", []))]
    patterns += [(("context_kinds", i, "pattern"), row["pattern"])
                 for i, row in enumerate(data.get("context_kinds", [])) if "pattern" in row]
    bylines = data.get("bylines", {})
    patterns += [(("bylines", part), bylines[part]) for part in ("prefix", "suffix", "affiliation") if part in bylines]
    patterns += [(("bylines", "separators", i), p) for i, p in enumerate(bylines.get("separators", []))]
    if "dense_script" in data:
        patterns.append((("dense_script", "pattern"), data["dense_script"]["pattern"]))
    if "sentence_end" in data:
        patterns.append((("sentence_end",), data["sentence_end"]))
    # provlint's own patterns are checked by its tests; a run compiles those it uses, when it uses them.
    bad = [problem for path, source in patterns
           if validate and (problem := pattern_problem(shown, path, source, marks, None))]
    if bad:
        problems.extend(bad)
        return
    ruleset.table.extend(data, shown)


def pattern_problem(shown: str, path: tuple, source: str, marks: dict, rule_id: str | None) -> Problem | None:
    try:
        compile_pattern(source).compile()
    except PatternError as exc:
        line, column = mark_of(marks, path)
        who = f"{rule_id}: " if rule_id else ""
        caret = "\n    ".join(exc.caret().splitlines())
        return Problem(shown, line, column, f"{who}invalid regular expression: {exc}\n    {caret}")
    return None


def schema_errors(validate: bool, shown: str, data: Any, base: tuple, marks: dict, schema: str,
                     rule_id: str | None, rejected: set[str] | None = None) -> list[Problem]:
    if not validate:
        return []
    validator = rule_validator() if schema == "rule.schema.json" else schema_validator(schema)
    return schema_problems(shown, data, base, marks, validator, rule_id, rejected)
