"""Rules x documents -> findings. Never prints; the CLI and the Python API sit on top."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from provlint.checks import CHECKS
from provlint.model import Document, Finding
from provlint.patterns import PatternTimeout
from provlint.readers import read_path, read_text
from provlint.ruleset import Rule, Ruleset

# File name endings read when a folder is given (a file named explicitly is always read).
DUMP_SUFFIXES = (".txt", ".dump")
# Facts that mean the file was not parsed, so only `input` rules apply to it.
UNPARSED = ("binary", "undecodable", "unreadable", "empty")
MAX_FRAME_LINE = 20_000


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    # (path, line) -> line text around findings, for reporters' code frames.
    source_lines: dict[tuple[str, int], str] = field(default_factory=dict)

    def keep_lines(self, document: Document, findings: list[Finding]) -> None:
        for finding in findings:
            if finding.line is None:
                continue
            for number in range(max(1, finding.line - 1), min(len(document.lines), finding.line + 1) + 1):
                self.source_lines[(document.path, number)] = document.lines[number - 1][:MAX_FRAME_LINE]


def matches_selector(rule: Rule, selector: str) -> bool:
    """A selector is a rule id (PH001), an id prefix (PH, PH0) or a category (placeholder)."""
    return rule.id.startswith(selector.upper()) or rule.category == selector.lower() or rule.name == selector


def select_rules(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    select, ignore = list(select), list(ignore)
    return [
        rule for rule in rules
        if (not select or any(matches_selector(rule, s) for s in select))
        and not any(matches_selector(rule, s) for s in ignore)
    ]


def lint_document(document: Document, rules: Iterable[Rule]) -> list[Finding]:
    """Every rule on one parsed document; a failing check costs one finding, not the run."""
    findings: list[Finding] = []
    unparsed = any(document.facts.get(fact) for fact in UNPARSED)
    for rule in rules:
        if unparsed and rule.check != "input":
            continue
        try:
            findings.extend(CHECKS[rule.check](rule, document))
        except PatternTimeout as exc:
            findings.append(_problem(document, rule, f"{rule.id} gave up: {exc}"))
        except Exception as exc:  # noqa: BLE001 - isolation: one broken check must not end the run
            findings.append(_problem(document, rule, f"internal error in {rule.id}: {type(exc).__name__}: {exc}"))
    return sorted(findings)


def _problem(document: Document, rule: Rule, message: str) -> Finding:
    return Finding(path=document.path, line=None, column=None, rule="IN000", name="internal-error",
                   category="input", severity="error", message=message)


def lint_text(text: str, ruleset: Ruleset, path: str = "<text>", rules: Iterable[Rule] | None = None) -> list[Finding]:
    document = read_text(path, text, ruleset.table)
    return lint_document(document, ruleset.rules if rules is None else rules)


def display_path(path: Path) -> str:
    """Relative to the current folder when inside it, as given otherwise."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def collect_files(paths: Iterable[str], exclude: Iterable[str] = ()) -> list[Path]:
    """Files named, plus dump files found recursively in folders named; sorted, unique."""
    patterns = list(exclude)

    def excluded(path: Path) -> bool:
        text = path.as_posix()
        return any(fnmatch.fnmatch(text, p) or fnmatch.fnmatch(path.name, p) or
                   fnmatch.fnmatch(text, f"*/{p}") for p in patterns)

    found: dict[str, Path] = {}
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for folder, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames
                                     if not d.startswith(".") and not excluded(Path(folder) / d))
                for name in filenames:
                    candidate = Path(folder) / name
                    if name.endswith(DUMP_SUFFIXES) and not excluded(candidate):
                        found.setdefault(os.path.normpath(candidate), candidate)
        elif not excluded(root):
            found.setdefault(os.path.normpath(root), root)
    return [found[key] for key in sorted(found)]


def lint_paths(paths: Iterable[str], ruleset: Ruleset, rules: Iterable[Rule] | None = None,
               exclude: Iterable[str] = ()) -> RunResult:
    chosen = list(ruleset.rules if rules is None else rules)
    result = RunResult()
    for path in collect_files(paths, exclude):
        document = read_path(path, ruleset.table, display_path(path))
        findings = lint_document(document, chosen)
        result.findings.extend(findings)
        result.keep_lines(document, findings)
        result.files_checked += 1
    result.findings.sort()
    return result
