"""Loading and validating YAML rule files (and block tables) into a Ruleset.

Every problem in every file is collected with its `file:line:col` before the run
stops, so a rule author fixes them all in one pass.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from provlint.files import RefusedFile, read_regular_file
from provlint.lexicons import Lexicons
from provlint.patterns import Pattern, PatternError, compile_pattern
from provlint.readers.blocktable import BlockTable
from provlint.sources import Registry
from provlint.validation import Validator
from provlint.yamlnodes import YamlError, load_with_marks, mark_of

MAX_RULE_FILE_BYTES = 1_000_000


def close_matches(word: str, options: Iterable[str]) -> list[str]:
    """The one closest option, for "did you mean …?" (difflib loads only when needed)."""
    import difflib

    return difflib.get_close_matches(word, list(options), n=1)


def _builtin_dir(name: str) -> Path:
    """Built-in data: inside the wheel (provlint/_builtin/...) or at the top of a checkout."""
    packaged = Path(__file__).parent / "_builtin" / name
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / name


BUILTIN_RULES = _builtin_dir("rules")
SCHEMAS = _builtin_dir("schemas")


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
    examples: dict[str, list[str]] = field(default_factory=dict)
    tests: list[dict[str, Any]] = field(default_factory=list)
    pattern: Pattern | None = None
    # `default` rules run unless ignored; `strict` ones (absence, house style) only when
    # selected, as ruff's opt-in rules.
    selection: str = "default"
    # The YAML data the rule runs with (block table, source registry, lexicons).
    data: Ruleset | None = field(default=None, repr=False)
    # What a check kind builds once per run for this rule (a schema validator).
    prepared: dict[str, Any] = field(default_factory=dict, repr=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def summary(self) -> str:
        """The first sentence of the description's "What:" part."""
        text = " ".join(self.description.split()).removeprefix("What:").strip()
        end = text.find(". ")
        return text[: end + 1] if end > 0 else text.split(" Why:")[0]


@dataclass
class Extension:
    """A user's change to a loaded rule: `extends: PH001` plus the keys that change."""

    source: str
    line: int
    data: dict[str, Any]
    base: tuple
    marks: dict


@dataclass
class RuleProblem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class RuleError(Exception):
    """One or more broken rule files; `problems` lists every one found."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Ruleset:
    rules: list[Rule] = field(default_factory=list)
    table: BlockTable = field(default_factory=BlockTable)
    sources: Registry = field(default_factory=Registry)
    lexicons: Lexicons = field(default_factory=Lexicons)
    # Rule files given again under another name -> the file actually loaded.
    aliases: dict[Path, Path] = field(default_factory=dict)
    # (path, SHA-256) of every rule, table, registry and lexicon file loaded: the cache's key.
    files: list[tuple[str, str]] = field(default_factory=list)
    # What check kinds build once per run over all rules (the pattern screen).
    prepared: dict[str, Any] = field(default_factory=dict, repr=False)

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}


@cache
def schema_validator(name: str) -> Validator:
    """One of provlint's own schemas (`rule.schema.json`…), compiled once."""
    return Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def load_ruleset(extra: list[str] | tuple[str, ...] = (), builtin: bool = True) -> Ruleset:
    """Built-in rules plus every rule file or folder in `extra`. Raises RuleError."""
    ruleset = Ruleset()
    problems: list[RuleProblem] = []
    sources = ([BUILTIN_RULES] if builtin else []) + [Path(p) for p in extra]
    files: list[Path] = []
    loaded: dict[str, tuple[Path, bytes]] = {}  # content hash -> the file loaded with that content
    for source in sources:
        if not source.exists():
            problems.append(RuleProblem(str(source), 1, 1, "no such rule file or folder"))
            continue
        for path in rule_files(source):
            content = _read_rule_file(path, problems)
            if content is None:
                continue
            # The same file named twice (`--rules rules/` in a provlint checkout names the
            # built-ins again) is loaded once; its other names point at that copy.
            digest = hashlib.sha256(content).hexdigest()
            if digest in loaded:
                ruleset.aliases[path.resolve()] = loaded[digest][0].resolve()
                continue
            loaded[digest] = (path, content)
            files.append(path)
            ruleset.files.append((str(path.resolve()), digest))
    seen: dict[str, Rule] = {}
    extensions: list[Extension] = []
    for path, content in loaded.values():
        # provlint's own files are validated by its test suite, not on every run.
        validate = not path.resolve().is_relative_to(BUILTIN_RULES.resolve())
        for rule in _load_file(path, content, ruleset, problems, validate):
            if isinstance(rule, Extension):
                extensions.append(rule)
                continue
            if rule.id in seen:
                first = seen[rule.id]
                problems.append(RuleProblem(rule.source, rule.line, 1,
                                            f"duplicate rule id {rule.id}: already defined at {first.source}:{first.line}"))
                continue
            seen[rule.id] = rule
            ruleset.rules.append(rule)
    for extension in extensions:
        _extend(extension, ruleset, seen, problems)
    problems.extend(_unknown_kinds(ruleset))
    if problems:
        order = {str(path): index for index, path in enumerate(files)}
        problems.sort(key=lambda p: (order.get(p.path, -1), p.line, p.column))
        raise RuleError(problems)
    ruleset.rules.sort(key=lambda rule: rule.id)
    for rule in ruleset.rules:
        rule.data = ruleset
    return ruleset


def _read_rule_file(path: Path, problems: list[RuleProblem]) -> bytes | None:
    try:
        return read_regular_file(path, MAX_RULE_FILE_BYTES)
    except RefusedFile as exc:
        problems.append(RuleProblem(str(path), 1, 1, f"rule file {exc}"))
        return None
    except OSError as exc:
        problems.append(RuleProblem(str(path), 1, 1, f"cannot read rule file: {exc}"))
        return None


def _extend(extension: Extension, ruleset: Ruleset, seen: dict[str, Rule], problems: list[RuleProblem]) -> None:
    """Apply `extends: ID`: replace the base rule's keys, or switch it off (`enabled: false`)."""
    target = extension.data["extends"]
    base = seen.get(target)
    if base is None:
        hint = close_matches(target, seen)
        line, column = mark_of(extension.marks, extension.base + ("extends",))
        suggestion = f"; did you mean {hint[0]}?" if hint else ""
        problems.append(RuleProblem(extension.source, line, column, f"extends unknown rule {target}{suggestion}"))
        return
    ruleset.rules.remove(base)
    del seen[target]
    if extension.data.get("enabled") is False:
        return
    merged = {**base.raw, **{k: v for k, v in extension.data.items() if k not in ("extends", "enabled")}}
    rule = _load_rule(extension.source, merged, extension.base, extension.marks, problems)
    if isinstance(rule, Rule):
        if rule.id in seen:
            problems.append(RuleProblem(rule.source, rule.line, 1, f"duplicate rule id {rule.id}"))
            return
        seen[rule.id] = rule
        ruleset.rules.append(rule)


def _unknown_kinds(ruleset: Ruleset) -> list[RuleProblem]:
    """Block kinds a rule targets must exist in the (merged) block table."""
    kinds = ruleset.table.kinds
    problems = []
    for rule in ruleset.rules:
        target = rule.options.get("target")
        for kind in target if isinstance(target, list) else []:
            if kind not in kinds:
                hint = close_matches(kind, kinds)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; known kinds: {', '.join(kinds)}"
                problems.append(RuleProblem(rule.source, rule.line, 1,
                                            f"{rule.id}: unknown block kind {kind!r} in target{suggestion}"))
    return problems


def _load_file(path: Path, content: bytes, ruleset: Ruleset, problems: list[RuleProblem],
               validate: bool = True) -> list[Rule | Extension]:
    shown = str(path)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(RuleProblem(shown, 1, 1, f"cannot read rule file: {exc}"))
        return []
    try:
        data, marks = load_with_marks(text)
    except YamlError as exc:
        problems.append(RuleProblem(shown, exc.line, exc.column, exc.message))
        return []
    if not isinstance(data, dict):
        problems.append(RuleProblem(shown, 1, 1, "expected a rule (a mapping with `id`), `rules:`, `block_kinds:`, "
                                                 "`context_kinds:`, `sources:`, `lexicons:` or `dates:`"))
        return []
    if "block_kinds" in data or "context_kinds" in data:
        _load_table(shown, data, marks, ruleset, problems, validate)
        return []
    if "sources" in data:
        errors = _schema_problems(validate, shown, data, (), marks, "sources.schema.json", None)
        problems.extend(errors)
        for entry in [] if errors else data["sources"]:
            ruleset.sources.add(entry, shown)
        return []
    if "lexicons" in data:
        errors = _schema_problems(validate, shown, data, (), marks, "lexicon.schema.json", None)
        bad = [] if errors else [
            _pattern_problem(shown, ("lexicons", code, kind, i), cue[3:].strip(), marks, None)
            for code, entry in data["lexicons"].items() for kind in ("reporting", "vague")
            for i, cue in enumerate(entry.get(kind, [])) if cue.startswith("re:")
        ]
        problems.extend(errors + [b for b in bad if b])
        if not errors and not any(bad):
            ruleset.lexicons.extend(data, shown)
        return []
    if "dates" in data:
        errors = _schema_problems(validate, shown, data, (), marks, "dates.schema.json", None)
        problems.extend(errors)
        if not errors:
            ruleset.table.add_dates(data["dates"])
        return []
    if "rules" in data and "id" not in data:
        items = data["rules"] if isinstance(data["rules"], list) else []
        if not items:
            line, column = mark_of(marks, ("rules",))
            problems.append(RuleProblem(shown, line, column, "`rules:` must be a non-empty list of rules"))
        return [r for i, item in enumerate(items)
                if (r := _load_rule(shown, item, ("rules", i), marks, problems, validate))]
    rule = _load_rule(shown, data, (), marks, problems, validate)
    return [rule] if rule else []


def _load_table(shown: str, data: dict, marks: dict, ruleset: Ruleset, problems: list[RuleProblem],
                validate: bool) -> None:
    errors = _schema_problems(validate, shown, data, (), marks, "blocks.schema.json", None)
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
    bad = [problem for path, source in patterns if (problem := _pattern_problem(shown, path, source, marks, None))]
    if bad:
        problems.extend(bad)
        return
    ruleset.table.extend(data, shown)


def _load_rule(shown: str, data: Any, base: tuple, marks: dict,
               problems: list[RuleProblem], validate: bool = True) -> Rule | Extension | None:
    if isinstance(data, dict) and "extends" in data:
        errors = _schema_problems(validate, shown, data, base, marks, "rule.schema.json", data.get("extends"))
        problems.extend(errors)
        return None if errors else Extension(shown, mark_of(marks, base)[0], data, base, marks)
    rule_id = data.get("id") if isinstance(data, dict) else None
    errors = _schema_problems(validate, shown, data, base, marks, "rule.schema.json", rule_id)
    if errors:
        problems.extend(errors)
        return None
    line, _ = mark_of(marks, base)
    known = {"id", "name", "category", "severity", "message", "description", "check", "examples", "tests", "selection"}
    rule = Rule(
        id=data["id"], name=data["name"], category=data["category"], severity=data["severity"],
        message=data["message"], description=data["description"], check=data["check"],
        options={k: v for k, v in data.items() if k not in known},
        source=shown, line=line, examples=data.get("examples", {}), raw=dict(data),
        tests=data.get("tests", []), selection=data.get("selection", "default"),
    )
    if "pattern" in data:
        problem = _pattern_problem(shown, base + ("pattern",), data["pattern"], marks, rule_id)
        if problem:
            problems.append(problem)
            return None
        rule.pattern = compile_pattern(data["pattern"])
    from provlint.checks import option_problems

    for key, message in option_problems(rule):
        line, column = mark_of(marks, base + (key,))
        problems.append(RuleProblem(shown, line, column, f"{rule.id}: {message}"))
        return None
    return rule


def _pattern_problem(shown: str, path: tuple, source: str, marks: dict, rule_id: str | None) -> RuleProblem | None:
    try:
        compile_pattern(source)
    except PatternError as exc:
        line, column = mark_of(marks, path)
        who = f"{rule_id}: " if rule_id else ""
        caret = "\n    ".join(exc.caret().splitlines())
        return RuleProblem(shown, line, column, f"{who}invalid regular expression: {exc}\n    {caret}")
    return None


def _schema_problems(validate: bool, shown: str, data: Any, base: tuple, marks: dict, schema: str,
                     rule_id: str | None) -> list[RuleProblem]:
    return schema_problems(shown, data, base, marks, schema_validator(schema), rule_id) if validate else []


def schema_problems(shown: str, data: Any, base: tuple, marks: dict, validator: Validator,
                     rule_id: str | None) -> list[RuleProblem]:
    problems = []
    who = f"{rule_id}: " if rule_id else ""
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = base + tuple(error.absolute_path)
        message = _explain(error)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list(error.schema.get("properties", {}))
            for key in [k for k in error.instance if k not in allowed]:
                line, column = mark_of(marks, path + (key, "<key>"))
                hint = close_matches(str(key), allowed)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; allowed keys: {', '.join(allowed)}"
                problems.append(RuleProblem(shown, line, column, f"{who}unknown key {key!r}{suggestion}"))
            continue
        line, column = mark_of(marks, path)
        where = "/".join(map(str, error.absolute_path)) or "(top level)"
        problems.append(RuleProblem(shown, line, column, f"{who}{where}: {message}"))
    return problems


def _explain(error: Any) -> str:  # a jsonschema.ValidationError
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        hint = close_matches(str(error.instance), options)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        return f"{error.instance!r} is not one of {', '.join(options)}{suggestion}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    return error.message
