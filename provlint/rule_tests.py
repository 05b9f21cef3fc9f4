"""Running every rule's `examples`: the same code for `provlint test-rules` and pytest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provlint.engine import lint_corpus_texts, lint_document, lint_text
from provlint.model import Finding
from provlint.readers import read_path
from provlint.readers.dump import read_blocks
from provlint.rulepack import Rule, Ruleset


def example_parts(example: dict[str, Any]) -> list[tuple[str, str]]:
    """(block kind or timestamp role, text) for each block an example mapping gives."""
    return [(kind, text) for kind, texts in example.items()
            for text in (texts if isinstance(texts, list) else [texts])]


def show_example(example: str | dict[str, Any] | list[str]) -> str:
    """An example as a dump would hold it: a mapping's blocks as `kind: text` lines; a
    corpus's documents one after the other, each under a `--- document N ---` line."""
    if isinstance(example, str):
        return example
    if isinstance(example, list):
        return "\n".join(f"--- document {number} ---\n{text}" for number, text in enumerate(example, start=1))
    return "\n".join(f"{kind}: {text}" for kind, text in example_parts(example))


@dataclass
class ExampleResult:
    rule: Rule
    expect: str  # "fail" (must be flagged) or "pass" (must not be)
    index: int
    text: str | dict[str, Any] | list[str]  # a whole dump, blocks by kind, or a corpus of dumps
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


@dataclass(frozen=True)
class Expected:
    """One `expect` entry, `LINE[:COL]:ID[ MESSAGE]` (`file:ID` for a file-level finding): the
    column and the message are checked only where the entry gives them."""

    line: int | None
    column: int | None
    rule: str
    message: str | None

    @classmethod
    def parse(cls, entry: str) -> Expected:
        place, _, message = entry.partition(" ")
        *where, rule = place.split(":")
        line = None if where[0] == "file" else int(where[0])
        return cls(line, int(where[1]) if len(where) > 1 else None, rule, message or None)

    def matches(self, finding: Finding) -> bool:
        return (finding.line == self.line and finding.rule == self.rule
                and self.column in (None, finding.column) and self.message in (None, finding.message))


def shown(finding: Finding, column: bool, message: bool) -> str:
    """A finding as an `expect` entry would give it."""
    place = "file" if finding.line is None else str(finding.line)
    if column and finding.line is not None:
        place += f":{finding.column}"
    return f"{place}:{finding.rule}" + (f" {finding.message}" if message else "")


@dataclass
class FixtureResult:
    """A `tests:` entry: a dump file and the exact findings expected in it, every one."""

    rule: Rule
    file: str
    expected: list[str]
    found: list[Finding]
    problem: str = ""

    def _matched(self) -> tuple[list[str], list[Finding]]:
        """(expected entries no finding matched, findings no entry matched); the entries
        that say most are matched first, so a bare LINE:ID cannot take the finding that a
        LINE:COL:ID entry names."""
        left = sorted(self.found)
        missing = []
        entries = [(entry, Expected.parse(entry)) for entry in self.expected]
        for entry, wanted in sorted(entries, key=lambda pair: (pair[1].column is None) + (pair[1].message is None)):
            match = next((f for f in left if wanted.matches(f)), None)
            if match is None:
                missing.append(entry)
            else:
                left.remove(match)
        return sorted(missing, key=_order), left

    @property
    def got(self) -> list[str]:
        """The findings, with columns and messages where the expected entries use them."""
        parsed = [Expected.parse(e) for e in self.expected]
        column = any(e.column is not None for e in parsed)
        message = any(e.message is not None for e in parsed)
        return [shown(f, column, message) for f in sorted(self.found)]

    @property
    def ok(self) -> bool:
        return not self.problem and self._matched() == ([], [])

    def explain(self) -> str:
        if self.problem:
            return f"{self.rule.id} fixture {self.file} ({self.rule.source}): {self.problem}"
        missing, extra = self._matched()
        unexpected = [shown(f, True, True) for f in extra]
        return (f"{self.rule.id} fixture {self.file} ({self.rule.source}): expected {self.expected}, got {self.got}"
                f"\n    missing: {missing or '-'}; unexpected: {unexpected or '-'}")


def run_fixtures(ruleset: Ruleset, rules: list[Rule] | None = None) -> list[FixtureResult]:
    """Each fixture runs the rule and every rule its `expect` names, and must give exactly those findings."""
    by_id = ruleset.by_id()
    results = []
    for rule in rules if rules is not None else ruleset.rules:
        for case in rule.tests:
            expected = sorted(case["expect"], key=_order)
            path = Path(rule.source).parent / case["file"]
            ids = {rule.id} | {Expected.parse(entry).rule for entry in expected}
            unknown = sorted(i for i in ids if i not in by_id)
            if unknown or not path.is_file():
                problem = f"no rule {', '.join(unknown)}" if unknown else f"no such file {path}"
                results.append(FixtureResult(rule, case["file"], expected, [], problem))
                continue
            chosen = [by_id[i] for i in sorted(ids)]
            found = [f for document in read_path(path, ruleset.table, str(path)) for f in lint_document(document, chosen)]
            results.append(FixtureResult(rule, case["file"], expected, found))
    return results


def _order(entry: str) -> tuple[int, int, str]:
    place = entry.partition(" ")[0].split(":")
    line = int(place[0]) if place[0].isdigit() else 0
    return (line, int(place[1]) if len(place) > 2 else 0, entry)


def run_examples(ruleset: Ruleset, rules: list[Rule] | None = None) -> list[ExampleResult]:
    results = []
    for rule in rules if rules is not None else ruleset.rules:
        for expect in ("fail", "pass"):
            for index, example in enumerate(rule.examples.get(expect, [])):
                path = f"<{rule.id} {expect} example {index + 1}>"
                if isinstance(example, dict):
                    findings = lint_document(read_blocks(path, example_parts(example), ruleset.table), [rule])
                elif isinstance(example, list):
                    texts = [(f"<{rule.id} {expect} example {index + 1}, document {number}>", text)
                             for number, text in enumerate(example, start=1)]
                    findings = lint_corpus_texts(texts, ruleset, [rule])
                else:
                    findings = lint_text(example, ruleset, path=path, rules=[rule])
                results.append(ExampleResult(rule, expect, index, example, findings))
    return results


def untested(rules: list[Rule]) -> list[Rule]:
    """Rules with neither examples nor fixtures: `test-rules` can say nothing about them."""
    return [rule for rule in rules if not any(rule.examples.get(expect) for expect in ("fail", "pass"))
            and not rule.tests]
