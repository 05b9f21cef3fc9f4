"""Loading and validating the pack: the rule files and folders named, in order, each
file once; its rules (and `extends:` changes to them) into a Ruleset
(`provlint.rulepack`); its data files (categories, block tables, the source registry,
brands, lexicons, date words) through `provlint.packdata`.

Every problem in every file is collected with its `file:line:col` before the run
stops, so a rule author fixes them all in one pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from provlint import packcache
from provlint.files import RefusedFile, read_regular_file
from provlint.packcache import content_digest, pack_key
from provlint.patterns import compile_pattern
from provlint.problems import Problem, close_matches, schema_problems
from provlint.readers.residue import ResiduePattern
from provlint.rulepack import (
    BUILTIN_RULES, MAX_RULE_FILE_BYTES, REFERENCE_URL, RULE_KEYS, SCHEMAS, Rule, Ruleset, first_sentence,
    schema_validator,
)
from provlint.yamlnodes import YamlError, load_json_object, load_with_marks, mark_of

if TYPE_CHECKING:  # the checks of a pack being built (`packdata`, `rulesites`): imported when it is, not for a kept one
    from provlint.rulesites import RuleSite

# What this module gave before the model and the problems moved out; importers keep working.
__all__ = ["BUILTIN_RULES", "MAX_RULE_FILE_BYTES", "REFERENCE_URL", "RULE_KEYS", "SCHEMAS", "Problem", "Rule",
           "RuleError", "RuleProblem", "Ruleset", "close_matches", "first_sentence", "load_ruleset", "rule_files",
           "schema_problems", "schema_validator"]
# provlint's own folder: the code digest (`provlint.engine.reuse.code_digest`) covers its files.
_PACKAGE = Path(__file__).resolve().parent
# A rule file's problem is the neutral `Problem` (config files have them too).
RuleProblem = Problem


class Extension:
    """A user's change to a loaded rule: `extends: PH001` plus the keys that change."""

    def __init__(self, source: str, line: int, data: dict[str, Any], base: tuple, marks: dict,
                 text: str = "") -> None:
        self.source = source
        self.line = line
        self.data = data
        self.base = base
        self.marks = marks
        self.text = text


class RuleError(Exception):
    """One or more broken rule files; `problems` lists every one found."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def load_ruleset(extra: list[str] | tuple[str, ...] = (), builtin: bool = True,
                 validate_builtin: bool = False) -> Ruleset:
    """Built-in rules plus every rule file or folder in `extra`. Raises RuleError.

    Every problem of every file is collected before raising: the schema's, each
    pattern's, each option's, and (once all block tables are merged, `provlint.rulesites`)
    the block kinds, fields and message values each rule names."""
    ruleset = Ruleset()
    problems: list[RuleProblem] = []
    sites: list[RuleSite] = []
    # (file, line, column, category) of each block-kind row that follows a category.
    followed: list[tuple[str, int, int, str]] = []
    sources = ([BUILTIN_RULES] if builtin else []) + [Path(p) for p in extra]
    listed: list[tuple[Path, str]] = []  # each rule file named, with its real path
    for source in sources:
        if not source.exists():
            problems.append(RuleProblem(str(source), 1, 1, "no such rule file or folder"))
            continue
        listed += [(path, str(path.resolve())) for path in rule_files(source)]
    contents: dict[str, bytes | None] = {}  # by the name given: each file read once
    named = [(str(path), real, _key_digest(path, real, contents, problems)) for path, real in listed]
    # The same files (names, places, contents) load to the same pack: kept from an earlier run.
    key = "" if problems else pack_key(named, (builtin, validate_builtin))
    kept = packcache.load(key) if key else None
    if kept is not None:
        return _prepared(kept)
    files: list[Path] = []
    loaded: dict[str, tuple[Path, bytes]] = {}  # content digest -> the file loaded with that content
    for path, real in listed:
        content = contents[str(path)] if str(path) in contents else _read_rule_file(path, problems)
        if content is None:
            continue
        # The same file named twice (`--rules rules/` in a provlint checkout names the
        # built-ins again) is loaded once; its other names point at that copy.
        digest = content_digest(content)
        if digest in loaded:
            ruleset.aliases[Path(real)] = loaded[digest][0].resolve()
            continue
        loaded[digest] = (path, content)
        files.append(path)
        ruleset.files.append((real, digest))
    from provlint.rulesites import site_problems, unknown_category

    seen: dict[str, Rule] = {}
    extensions: list[Extension] = []
    for path, content in loaded.values():
        # provlint's own files are validated by its test suite, not on every run.
        validate = validate_builtin or not path.resolve().is_relative_to(BUILTIN_RULES.resolve())
        for rule in _load_file(path, content, ruleset, problems, sites, followed, validate):
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
        _extend(extension, ruleset, seen, problems, sites)
    if sites:
        from provlint.readers.fields import field_names

        fields = field_names(ruleset.table)
        for site in sites:
            problems.extend(site_problems(site, ruleset.table, fields, list(ruleset.categories)))
    for shown, line, column, name in followed:
        if name not in ruleset.categories:
            problems.append(RuleProblem(shown, line, column, unknown_category(name, list(ruleset.categories))))
    if problems:
        order = {str(path): index for index, path in enumerate(files)}
        problems.sort(key=lambda p: (order.get(p.path, -1), p.line, p.column))
        raise RuleError(problems)
    ruleset.rules.sort(key=lambda rule: rule.id)
    packcache.save(key, ruleset)
    return _prepared(ruleset)


def _key_digest(path: Path, real: str, contents: dict[str, bytes | None], problems: list[RuleProblem]) -> str:
    """How the pack's key knows a rule file: by its content's digest, read now (and kept in
    `contents`); a file of provlint's own package by the code digest the key holds (the
    built-in rules of an installed provlint: a megabyte a run need not read and digest)."""
    from provlint.engine.reuse import CODE_SUFFIXES

    if real.endswith(CODE_SUFFIXES) and Path(real).is_relative_to(_PACKAGE):
        return "in the code digest"
    content = contents[str(path)] = _read_rule_file(path, problems)
    return content_digest(content) if content is not None else ""


def _prepared(ruleset: Ruleset) -> Ruleset:
    """The loaded pack made ready to run: each rule's check prepared, the block table told
    which rules' patterns follow a category."""
    from provlint.checks import prepare

    for rule in ruleset.rules:
        rule.prepared = prepare(rule, ruleset)
    ruleset.table.follow_rules(residue_patterns(ruleset.rules, ruleset.table.categories))
    return ruleset


def residue_patterns(rules: list[Rule], categories: list[str]) -> dict[str, list[ResiduePattern]]:
    """For each category a block kind follows, the patterns of its rules that run over
    all blocks (a rule for some kinds or for fields says nothing of what a block is).
    The rules loaded, not those selected: `--ignore PH004` hides findings but does not
    turn a `null` block into a title, and a file reads the same whichever rules report.
    Only RE2 patterns (linear time): a look-around pattern that times out fails its rule
    on the file (a finding), and must not fail the reading of the whole file."""
    return {category: [ResiduePattern(rule.pattern, rule.options.get("residue") == "block") for rule in rules
                       if rule.category == category and rule.check == "pattern" and rule.pattern is not None
                       and rule.pattern.engine == "re2"
                       and rule.options.get("target", "blocks") == "blocks" and "fields" not in rule.options]
            for category in categories}


def _read_rule_file(path: Path, problems: list[RuleProblem]) -> bytes | None:
    try:
        return read_regular_file(path, MAX_RULE_FILE_BYTES)
    except RefusedFile as exc:
        problems.append(RuleProblem(str(path), 1, 1, f"rule file {exc}"))
        return None
    except OSError as exc:
        problems.append(RuleProblem(str(path), 1, 1, f"cannot read rule file: {exc}"))
        return None


def _extend(extension: Extension, ruleset: Ruleset, seen: dict[str, Rule], problems: list[RuleProblem],
            sites: list[RuleSite]) -> None:
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
    rule = _load_rule(extension.source, merged, extension.base, extension.marks, problems, sites,
                      text=extension.text)
    if isinstance(rule, Rule):
        if rule.id in seen:
            problems.append(RuleProblem(rule.source, rule.line, 1, f"duplicate rule id {rule.id}"))
            return
        seen[rule.id] = rule
        ruleset.rules.append(rule)


def _load_file(path: Path, content: bytes, ruleset: Ruleset, problems: list[RuleProblem], sites: list[RuleSite],
               followed: list[tuple[str, int, int, str]], validate: bool = True) -> list[Rule | Extension]:
    from provlint.packdata import load_categories, load_data_file

    shown = str(path)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(RuleProblem(shown, 1, 1, f"cannot read rule file: {exc}"))
        return []
    # provlint's own files are validated by the test suite, so the fast JSON path
    # (generated network lists) needs no marks; others keep every position for errors.
    fast = None if validate else load_json_object(text)
    try:
        data, marks = (fast, {}) if fast is not None else load_with_marks(text)
    except YamlError as exc:
        problems.append(RuleProblem(shown, exc.line, exc.column, exc.message))
        return []
    if not isinstance(data, dict):
        problems.append(RuleProblem(shown, 1, 1, "expected a rule (a mapping with `id`), `rules:`, `categories:`, "
                                                 "`block_kinds:`, `context_kinds:`, `sources:`, `brands:`, `lexicons:` "
                                                 "or `dates:`"))
        return []
    if "categories" in data:  # alone, or next to the rules that use them
        load_categories(shown, data["categories"], marks, ruleset, problems, validate)
        data = {key: value for key, value in data.items() if key != "categories"}
        if not data:
            return []
    if load_data_file(shown, data, marks, ruleset, problems, followed, validate):
        return []
    if "rules" in data and "id" not in data:
        items = data["rules"] if isinstance(data["rules"], list) else []
        if not items:
            line, column = mark_of(marks, ("rules",))
            problems.append(RuleProblem(shown, line, column, "`rules:` must be a non-empty list of rules"))
        return [r for i, item in enumerate(items)
                if (r := _load_rule(shown, item, ("rules", i), marks, problems, sites, validate, text))]
    rule = _load_rule(shown, data, (), marks, problems, sites, validate, text)
    return [rule] if rule else []


def _load_rule(shown: str, data: Any, base: tuple, marks: dict, problems: list[RuleProblem],
               sites: list[RuleSite], validate: bool = True, text: str = "") -> Rule | Extension | None:
    """The rule, or None with every problem it has added to `problems`; a valid rule's
    vocabulary checks wait in `sites` until every file is loaded."""
    from provlint.packdata import pattern_problem, schema_errors
    from provlint.rulesites import RuleSite

    if isinstance(data, dict) and "extends" in data:
        errors = schema_errors(validate, shown, data, base, marks, "rule.schema.json", data.get("extends"))
        problems.extend(errors)
        return None if errors else Extension(shown, mark_of(marks, base)[0], data, base, marks, text)
    rule_id = data.get("id") if isinstance(data, dict) else None
    who = f"{rule_id}: " if isinstance(rule_id, str) else ""
    # Keys the schema rejects are left out of the checks below, which read their values.
    rejected: set[str] = set()
    errors = schema_errors(validate, shown, data, base, marks, "rule.schema.json", rule_id, rejected)
    if not isinstance(data, dict):
        problems.extend(errors)
        return None
    if validate:
        sites.append(RuleSite(shown, data, base, marks, text, rejected))
    options = {k: v for k, v in data.items() if k not in RULE_KEYS and k not in rejected}
    if validate and isinstance(data.get("pattern"), str) and "pattern" not in rejected:
        problem = pattern_problem(shown, base + ("pattern",), data["pattern"], marks, rule_id)
        if problem:
            errors.append(problem)
    line, _ = mark_of(marks, base)
    message: str = data["message"] if isinstance(data.get("message"), str) else ""
    rule = Rule(
        id=str(rule_id), name=str(data.get("name")), category=str(data.get("category")),
        severity=str(data.get("severity")), message=message,
        # A rule without a description is described by its message, as in Semgrep and Vale.
        description=str(data.get("description") or message), check=str(data.get("check")),
        options=options, source=shown, line=line, examples=data.get("examples", {}), raw=dict(data),
        tests=data.get("tests", []), selection=data.get("selection", "default"),
    )
    from provlint.checks import option_problems

    for key, explanation in option_problems(rule):
        key_line, column = mark_of(marks, base + (key,))
        errors.append(RuleProblem(shown, key_line, column, f"{who}{explanation}"))
    problems.extend(errors)
    if errors:
        return None
    if "pattern" in data:
        rule.pattern = compile_pattern(data["pattern"])
    return rule
