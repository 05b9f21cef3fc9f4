"""Running every rule's `examples`: the same code for `provlint test-rules` and pytest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provlint.engine import lint_document, lint_text
from provlint.model import Finding
from provlint.readers import read_path
from provlint.readers.dump import read_blocks
from provlint.rulepack import Rule, Ruleset


def example_parts(example: dict[str, Any]) -> list[tuple[str, str]]:
    """(block kind or timestamp role, text) for each block an example mapping gives."""
    return [(kind, text) for kind, texts in example.items()
            for text in (texts if isinstance(texts, list) else [texts])]


def show_example(example: str | dict[str, Any]) -> str:
    """An example as a dump would hold it: a mapping's blocks as `kind: text` lines."""
    if isinstance(example, str):
        return example
    return "\n".join(f"{kind}: {text}" for kind, text in example_parts(example))


@dataclass
class ExampleResult:
    rule: Rule
    expect: str  # "fail" (must be flagged) or "pass" (must not be)
    index: int
    text: str | dict[str, Any]  # a whole dump, or blocks by kind
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        if any(f.rule == "IN000" for f in self.findings):
            return False
        flagged = any(f.rule == self.rule.id for f in self.findings)
        return flagged if self.expect == "fail" else not flagged

    def explain(self) -> str:
        got = "; ".join(f"{f.line}:{f.rule} {f.message}" for f in self.findings if f.rule in (self.rule.id, "IN000"))
        wanted = "at least one finding" if self.expect == "fail" else "no finding"
        return (f"{self.rule.id} {self.expect} example #{self.index + 1} ({self.rule.source}): "
                f"expected {wanted}, got {got or 'none'}\n    text: {show_example(self.text)[:120]!r}")


@dataclass
class FixtureResult:
    """A `tests:` entry: a dump file and the exact LINE:ID findings expected in it."""

    rule: Rule
    file: str
    expected: list[str]
    got: list[str]
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem and self.expected == self.got

    def explain(self) -> str:
        if self.problem:
            return f"{self.rule.id} fixture {self.file} ({self.rule.source}): {self.problem}"
        missing = [e for e in self.expected if e not in self.got]
        extra = [g for g in self.got if g not in self.expected]
        return (f"{self.rule.id} fixture {self.file} ({self.rule.source}): expected {self.expected}, got {self.got}"
                f"\n    missing: {missing or '-'}; unexpected: {extra or '-'}")


def run_fixtures(ruleset: Ruleset, rules: list[Rule] | None = None) -> list[FixtureResult]:
    """Each fixture runs the rule and every rule its `expect` names, and must give exactly those findings."""
    by_id = ruleset.by_id()
    results = []
    for rule in rules if rules is not None else ruleset.rules:
        for case in rule.tests:
            expected = sorted(case["expect"], key=_order)
            path = Path(rule.source).parent / case["file"]
            ids = {rule.id} | {entry.split(":", 1)[1] for entry in expected}
            unknown = sorted(i for i in ids if i not in by_id)
            if unknown or not path.is_file():
                problem = f"no rule {', '.join(unknown)}" if unknown else f"no such file {path}"
                results.append(FixtureResult(rule, case["file"], expected, [], problem))
                continue
            chosen = [by_id[i] for i in sorted(ids)]
            found = [f for document in read_path(path, ruleset.table, str(path)) for f in lint_document(document, chosen)]
            got = sorted((f"{f.line if f.line is not None else 'file'}:{f.rule}" for f in found), key=_order)
            results.append(FixtureResult(rule, case["file"], expected, got))
    return results


def _order(entry: str) -> tuple[int, str]:
    line, _, rule = entry.partition(":")
    return (int(line) if line.isdigit() else 0, rule)


def run_examples(ruleset: Ruleset, rules: list[Rule] | None = None) -> list[ExampleResult]:
    results = []
    for rule in rules if rules is not None else ruleset.rules:
        for expect in ("fail", "pass"):
            for index, example in enumerate(rule.examples.get(expect, [])):
                path = f"<{rule.id} {expect} example {index + 1}>"
                if isinstance(example, dict):
                    findings = lint_document(read_blocks(path, example_parts(example), ruleset.table), [rule])
                else:
                    findings = lint_text(example, ruleset, path=path, rules=[rule])
                results.append(ExampleResult(rule, expect, index, example, findings))
    return results


def untested(rules: list[Rule]) -> list[Rule]:
    """Rules with neither examples nor fixtures: `test-rules` can say nothing about them."""
    return [rule for rule in rules if not any(rule.examples.get(expect) for expect in ("fail", "pass"))
            and not rule.tests]
