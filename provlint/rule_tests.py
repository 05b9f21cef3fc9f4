"""Running every rule's `examples`: the same code for `provlint test-rules` and pytest."""

from __future__ import annotations

from dataclasses import dataclass

from provlint.engine import lint_text
from provlint.model import Finding
from provlint.ruleset import Rule, Ruleset


@dataclass
class ExampleResult:
    rule: Rule
    expect: str  # "fail" (must be flagged) or "pass" (must not be)
    index: int
    text: str
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
                f"expected {wanted}, got {got or 'none'}\n    text: {self.text[:120]!r}")


def run_examples(ruleset: Ruleset, rules: list[Rule] | None = None) -> list[ExampleResult]:
    results = []
    for rule in rules if rules is not None else ruleset.rules:
        for expect in ("fail", "pass"):
            for index, text in enumerate(rule.examples.get(expect, [])):
                findings = lint_text(text, ruleset, path=f"<{rule.id} {expect} example {index + 1}>", rules=[rule])
                results.append(ExampleResult(rule, expect, index, text, findings))
    return results
