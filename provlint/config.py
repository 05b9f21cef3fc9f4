"""Configuration: provlint.yaml, .provlint.yaml or [tool.provlint] in pyproject.toml.

Found by walking up from the current folder (or named with --config), validated with
`schemas/config.schema.json`; command-line flags win over the file. Every effective
setting remembers where it came from, for `provlint config`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from provlint.byvalue import ByValue
from provlint.escaping import display_path
from provlint.files import RefusedFile, read_regular_file
from provlint.problems import Problem, schema_problems
from provlint.rulepack import MAX_RULE_FILE_BYTES, Rule, schema_validator
from provlint.yamlnodes import YamlError, load_with_marks, mark_of

CONFIG_NAMES = ("provlint.yaml", ".provlint.yaml", "pyproject.toml")
CACHE_DIR = ".provlint_cache"
_TOOL_TABLE = re.compile(r"tool\s*\.\s*[\"']?provlint\b")
# The CPUs this process may use (a container's share), not all the machine has.
CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
DEFAULTS: dict[str, Any] = {
    "rules": [],
    "select": [],
    "extend-select": [],
    "ignore": [],
    "extend-ignore": [],
    "severity": {},
    "per-path-ignores": {},
    "exclude": [],
    "include": None,  # None: the input name endings (.txt, .json, .html, … and each .gz)
    "extend-include": [],
    "respect-gitignore": True,
    "follow-links": False,
    "force-exclude": False,
    "fail-on": "warning",
    "min-severity": "info",
    "format": None,
    "jobs": CPUS,
    "max-file-size": 10_000_000,
    "input": {},
    "cache": True,
    "cache-dir": CACHE_DIR,
}


class ConfigError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class Settings(ByValue):
    """The settings in force: each value, where it came from, and the config file's marks."""

    _compared = ("values", "origins", "root", "file", "from_file", "marks")

    def __init__(self, values: dict[str, Any] | None = None, origins: dict[str, str] | None = None,
                 root: Path | None = None, file: Path | None = None, from_file: dict[str, Any] | None = None,
                 marks: dict[tuple, tuple[int, int]] | None = None) -> None:
        self.values = dict(DEFAULTS) if values is None else values
        self.origins = dict.fromkeys(DEFAULTS, "default") if origins is None else origins
        self.root = Path.cwd() if root is None else root
        self.file = file
        self.from_file = {} if from_file is None else from_file  # the values the config file set
        # Where each value of the config file stands (key path -> line, column), for file:line:col errors.
        self.marks = {} if marks is None else marks

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def cache_folder(self) -> Path:
        """`cache-dir`, relative to the config file's folder (or the current one)."""
        return self.root / self.values["cache-dir"]

    def globs(self, key: str) -> list[tuple[str, str]]:
        """The globs of `exclude`, `include` or `extend-include`, each with the folder it is
        relative to: the config file's for those the file sets (as for per-path-ignores),
        the current folder's for those given on the command line."""
        if self.values[key] is None:
            return []
        here = os.getcwd()
        from_file = set(self.from_file.get(key) or ())
        return [(glob, str(self.root) if glob in from_file else here) for glob in self.values[key]]

    def input_names(self) -> Any:
        """What a walk reads (globs.InputNames), or None for the default name endings."""
        if self.values["include"] is None and not self.values["extend-include"]:
            return None
        from provlint.globs import InputNames

        include = self.globs("include") if self.values["include"] is not None else None
        return InputNames(include, self.globs("extend-include"))

    def override(self, key: str, value: Any, origin: str = "command line") -> None:
        self.values[key] = value
        self.origins[key] = origin


def find_config(start: Path) -> Path | None:
    """The nearest provlint.yaml, .provlint.yaml or pyproject.toml with [tool.provlint]."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether a pyproject.toml configures provlint. One that TOML cannot read counts when
    it spells a `tool.provlint` table, so the user hears why (`_read` says), and is
    ignored when it does not: it is some other tool's."""
    import tomllib  # here, as in `_toml` and `_read`: only a pyproject.toml needs it

    try:
        text = read_regular_file(path, MAX_RULE_FILE_BYTES).decode("utf-8")
    except RefusedFile:
        return True  # too large to tell: read as the config, it gets the error naming the file
    except (OSError, UnicodeDecodeError):
        return False
    try:
        return "provlint" in _toml(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return _TOOL_TABLE.search(text) is not None


def _toml(text: str) -> dict[str, Any]:
    """tomllib's reading; nesting too deep for its recursive parser is a decode error."""
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None


def load_settings(config: str | None = None, start: Path | None = None) -> Settings:
    """Defaults, then the config file's values (rules paths resolved against its folder)."""
    settings = Settings(root=start or Path.cwd())
    path = Path(config) if config else find_config(settings.root)
    if path is None:
        return settings
    if not path.exists():
        raise ConfigError([Problem(str(path), 1, 1, "no such config file")])
    data, settings.marks = _read(path)
    settings.file, settings.root = path, path.resolve().parent
    shown = _shown(path)
    for key, value in data.items():
        if key == "rules":
            value = [str((settings.root / rule).resolve()) if not Path(rule).is_absolute() else rule for rule in value]
        if key == "cache-dir":
            value = str(settings.root / value)
        settings.override(key, value, shown)
        settings.from_file[key] = value
    return settings


def _shown(path: Path | None) -> str:
    """The config file as messages and `provlint config` name it."""
    return "(no config file)" if path is None else display_path(path)


def _read(path: Path) -> tuple[dict[str, Any], dict[tuple, tuple[int, int]]]:
    shown = str(path)
    try:
        text = read_regular_file(path, MAX_RULE_FILE_BYTES).decode("utf-8")
    except RefusedFile as exc:
        raise ConfigError([Problem(shown, 1, 1, f"config file {exc}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(shown, 1, 1, f"cannot read config file: {exc}")]) from None
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = _toml(text).get("tool", {}).get("provlint", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([Problem(shown, getattr(exc, "lineno", 1) or 1, getattr(exc, "colno", 1) or 1,
                                           f"invalid TOML: {exc}")]) from None
        marks = _toml_marks(text, data)
    else:
        try:
            data, marks = load_with_marks(text)
        except YamlError as exc:
            raise ConfigError([Problem(shown, exc.line, exc.column, exc.message)]) from None
        data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError([Problem(shown, 1, 1, "the configuration must be a mapping of settings")])
    if isinstance(data.get("severity"), dict):
        # YAML 1.1 reads a bare `off` as false; that is what the user meant.
        data["severity"] = {k: "off" if v is False else v for k, v in data["severity"].items()}
    problems = schema_problems(shown, data, (), marks, schema_validator("config.schema.json"), None)
    if problems:
        raise ConfigError(problems)
    return data, marks


def _toml_marks(text: str, data: dict[str, Any]) -> dict[tuple, tuple[int, int]]:
    """Lines of [tool.provlint] keys (tomllib keeps no positions): enough for file:line errors."""
    marks: dict[tuple, tuple[int, int]] = {}
    table: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.strip("[] ")
            if table.startswith("tool.provlint"):
                sub = table[len("tool.provlint"):].lstrip(".").strip('"')
                if sub:
                    marks.setdefault((sub,), (number, 1))
                    marks.setdefault((sub, "<key>"), (number, 1))
            continue
        if table is None or not table.startswith("tool.provlint") or "=" not in stripped:
            continue
        key = stripped.split("=", 1)[0].strip().strip('"')
        sub = table[len("tool.provlint"):].lstrip(".").strip('"')
        path = (sub, key) if sub else (key,)
        marks.setdefault(path, (number, 1))
        marks.setdefault(path + ("<key>",), (number, 1))
    marks.setdefault((), (1, 1))
    return marks


def apply_severity(rules: list[Any], overrides: dict[str, str]) -> list[Any]:
    """Rules with per-rule severity overrides applied; `off` removes a rule."""
    from provlint.selection import matches_selector

    kept = []
    for rule in rules:
        level = None
        for selector, value in overrides.items():
            if matches_selector(rule, selector):
                level = value
        if level == "off":
            continue
        if level is not None:
            rule.severity = level
        kept.append(rule)
    return kept


def selector_problems(settings: Settings, rules: Sequence[Rule]) -> list[Problem]:
    """Every selector the config file gives (select, extend-select, ignore, extend-ignore,
    severity, per-path-ignores) that matches none of `rules`, at its file:line:col with a
    did-you-mean; whether or not the command line overrides or extends it. The command
    line's own selectors are the command line's to check."""
    from provlint.selection import unknown_selector

    given = settings.from_file
    places: list[tuple[tuple, str]] = []
    for key in ("select", "extend-select", "ignore", "extend-ignore"):
        places += [((key, index), selector) for index, selector in enumerate(given.get(key, []))]
    places += [(("severity", selector, "<key>"), selector) for selector in given.get("severity", {})]
    places += [(("per-path-ignores", pattern, index), selector)
               for pattern, selectors in given.get("per-path-ignores", {}).items() for index, selector in enumerate(selectors)]
    problems = []
    for where, selector in places:
        message = unknown_selector(selector, rules)
        if message is not None:
            line, column = mark_of(settings.marks, where)
            problems.append(Problem(_shown(settings.file), line, column, f"{where[0]}: {message}"))
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


PathIgnores = list[tuple[str, frozenset[str]]]


def resolve_path_ignores(per_path: dict[str, list[str]], rules: Sequence[Rule]) -> PathIgnores:
    """Each per-path-ignores glob with the ids of the rules its selectors cover: the same
    selectors, matched the same way, as --select (IN000, an internal error, included)."""
    from provlint.selection import matches_selector

    return [(pattern, frozenset(rule.id for rule in rules if any(matches_selector(rule, s) for s in selectors)))
            for pattern, selectors in per_path.items()]


def path_ignored(finding: Any, ignores: PathIgnores, root: Path) -> bool:
    """Whether a per-path-ignores glob (relative to the config's folder) covers the finding."""
    import fnmatch

    if not ignores:
        return False
    try:
        relative = Path(finding.file_path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = Path(finding.file_path).as_posix()
    for pattern, ids in ignores:
        if finding.rule in ids and (fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*")):
            return True
    return False
