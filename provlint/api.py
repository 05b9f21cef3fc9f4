"""The Python API: what `provlint check` does, for notebooks and pipelines.

    import provlint
    findings = provlint.lint_paths(["corpus/"])            # settings from provlint.yaml, if any
    findings = provlint.lint_text(open("dump.txt").read(), path="dump.txt")

Both return `Finding` dataclasses sorted by path, line, column and rule, and raise
`provlint.ruleset.RuleError` or `provlint.config.ConfigError` for broken rule or
config files. Given a `baseline` (a file `provlint check --write-baseline` wrote), they
return only the findings it does not record, as `provlint check --baseline` reports;
`provlint.baseline.BaselineError` when it is not a baseline.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from provlint.config import (ConfigError, Settings, apply_severity, load_settings, path_ignored, resolve_path_ignores,
                             selector_problems)
from provlint.engine import KEEP_ALL, Keep, Reading, RunResult, Walk, lint_paths as _lint_paths, lint_text as _lint_text, select_rules
from provlint.model import Finding
from provlint.problems import Problem
from provlint.rulepack import Rule, Ruleset
from provlint.ruleset import load_ruleset
from provlint.selection import INTERNAL_ERROR, matches_selector

if TYPE_CHECKING:
    from provlint.engine.cache import Cache


def prepare(settings: Settings, ruleset: Ruleset | None = None) -> tuple[Ruleset, list[Rule]]:
    """The rule set and the rules that run, with selection and severity overrides applied.
    Raises ConfigError for a selector in the config file that matches no rule."""
    ruleset = ruleset or load_ruleset(list(settings["rules"]))
    problems = selector_problems(settings, ruleset.rules)
    if problems:
        raise ConfigError(problems)
    ignore = [*settings["ignore"], *settings["extend-ignore"]]
    rules = select_rules(ruleset.rules, settings["select"], ignore, settings["extend-select"])
    # IN000 reports a rule that failed on a file: selecting other rules must not hide that
    # their findings are missing; only ignoring it does.
    rules += [rule for rule in ruleset.rules if rule.id == INTERNAL_ERROR and rule not in rules
              and not any(matches_selector(rule, selector) for selector in ignore)]
    return ruleset, apply_severity(rules, settings["severity"])


def walk_of(settings: Settings) -> Walk:
    """How `settings` say the paths given are walked."""
    return Walk(tuple(settings.globs("exclude")), settings.input_names(), settings["respect-gitignore"],
                settings["follow-links"], tuple(settings["rules"]), settings["force-exclude"])


def reading_of(settings: Settings, input_format: str | None = None) -> Reading:
    """How `settings` say each file is read; `input_format` (the command line's) wins."""
    return Reading(settings["max-file-size"], input_format or settings["input"].get("format", "auto"),
                   settings["input"].get("fields"))


def cache_refusal(settings: Settings, paths: Iterable[str]) -> str | None:
    """Why the cache folder cannot be used with these inputs, or None when it can."""
    if not settings["cache"]:
        return None
    from provlint.engine.cache import inputs_inside

    held = inputs_inside(settings.cache_folder, paths)
    if not held:
        return None
    return (f"the cache folder {settings.cache_folder} (cache-dir, from {settings.origins['cache-dir']}) holds what "
            f"is checked ({', '.join(map(repr, held))}): its .gitignore would hide it from git and from later runs; "
            "give the cache a folder of its own (the default is .provlint_cache) or turn it off (--no-cache)")


def open_cache(settings: Settings, ruleset: Ruleset, rules: list[Rule], reading: dict) -> Cache | None:
    """The cache for this rule set and these settings, unless `cache: false`."""
    if not settings["cache"]:
        return None
    from provlint.engine.cache import Cache
    from provlint.engine.reuse import scope_of

    return Cache(settings.cache_folder, scope_of(ruleset, rules, reading))


def apply_baseline(result: RunResult, baseline: str | Path) -> None:
    """Leave in `result.findings` (or `result.spilled`) only those the baseline file does
    not record; the others go to `result.suppressed`, and `result.stale` counts its entries
    that no longer occur.
    BaselineError when the file is missing or is no baseline."""
    from provlint import baseline as baselines

    new, result.suppressed, result.stale = baselines.apply(result.in_order(), baselines.load(str(baseline)))
    if result.spilled is not None:
        result.spilled = new
    else:
        result.findings = list(new)


def run(paths: Iterable[str], settings: Settings, input_format: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        ruleset: Ruleset | None = None, runner: Callable | None = None,
        baseline: str | Path | None = None, keep: Keep = KEEP_ALL) -> tuple[RunResult, list[Rule]]:
    """Lint `paths` with `settings`; per-path ignores and then `baseline` applied to the result.
    `keep`: what the report needs of each file besides its findings (code frames, the file list)."""
    paths = list(paths) or ["."]
    refusal = cache_refusal(settings, paths)
    if refusal:
        raise ConfigError([Problem(str(settings.file or "cache-dir"), 1, 1, refusal)])
    ruleset, rules = prepare(settings, ruleset)
    reading = reading_of(settings, input_format)
    cache = open_cache(settings, ruleset, rules, dataclasses.asdict(reading))
    result = _lint_paths(paths, ruleset, rules, walk_of(settings), reading, settings["jobs"], progress, cache, runner,
                         keep)
    if cache is not None and cache.warning:
        result.warnings.append(cache.warning)
    ignores = resolve_path_ignores(settings["per-path-ignores"], ruleset.rules)
    if result.spilled is not None:
        result.spilled = result.spilled.where(lambda f: not path_ignored(f, ignores, settings.root))
    else:
        result.findings = [f for f in result.findings if not path_ignored(f, ignores, settings.root)]
    if baseline is not None:
        apply_baseline(result, baseline)
    return result, rules


def run_stdin(stream: BinaryIO, name: str, settings: Settings, input_format: str | None = None,
              ruleset: Ruleset | None = None, baseline: str | Path | None = None) -> tuple[RunResult, list[Rule]]:
    """Lint what `stream` holds (standard input) as the file `name`: its name chooses the
    reader (`.gz` is decompressed) and is the path findings show. Read up to the size
    cap: more is `too_large`, as for a file."""
    from provlint.readers import RawFile, gunzipped, read_raw
    from provlint.readers.kinds import is_gzipped

    ruleset, rules = prepare(settings, ruleset)
    reading = reading_of(settings, input_format)
    limit = reading.max_bytes
    data = stream.read(limit + 1)
    raw = RawFile(data)
    if len(data) > limit:
        raw = RawFile(None, problem={"too_large": f"more than {limit:,} bytes"})
    elif is_gzipped(name):
        raw = gunzipped(raw, limit)
    result = RunResult(files_checked=1)
    for document in read_raw(name, raw, ruleset.table, reading.input_format, reading.mapping):
        result.add(document, rules)
    ignores = resolve_path_ignores(settings["per-path-ignores"], ruleset.rules)
    result.findings = sorted(f for f in result.findings if not path_ignored(f, ignores, settings.root))
    if baseline is not None:
        apply_baseline(result, baseline)
    return result, rules


def show_files(paths: Iterable[str], settings: Settings, input_format: str | None = None,
               ruleset: Ruleset | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """The files `run` would check, and those found in folders it would skip (with why)."""
    from provlint.engine import show_files as _show_files

    ruleset = ruleset or load_ruleset(list(settings["rules"]))
    return _show_files(list(paths) or ["."], ruleset, walk_of(settings), reading_of(settings, input_format))


def lint_paths(paths: Iterable[str], config: str | Path | None = None, jobs: int | None = None,
               baseline: str | Path | None = None) -> list[Finding]:
    """Findings for files and folders, with the config found from the current folder
    (or the one named); those `baseline` records left out."""
    settings = load_settings(str(config) if config else None)
    if jobs:
        settings.override("jobs", jobs)
    result, _ = run(paths, settings, baseline=baseline)
    return result.findings


def lint_text(text: str, path: str = "<text>", config: str | Path | None = None,
              baseline: str | Path | None = None) -> list[Finding]:
    """Findings for one dump, JSON record or HTML page given as text; those `baseline`
    records left out."""
    settings = load_settings(str(config) if config else None)
    ruleset, rules = prepare(settings)
    ignores = resolve_path_ignores(settings["per-path-ignores"], ruleset.rules)
    result = RunResult(findings=[f for f in _lint_text(text, ruleset, path, rules)
                                 if not path_ignored(f, ignores, settings.root)])
    if baseline is not None:
        apply_baseline(result, baseline)
    return result.findings
