"""Every built-in rule documents itself and its examples hold (the `test-rules` code)."""

from __future__ import annotations

import pytest

from conftest import provlint
from provlint.rule_tests import run_examples
from provlint.ruleset import load_ruleset

RULESET = load_ruleset()


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda rule: rule.id)
def test_rule_is_documented(rule):
    assert rule.description.strip()
    for part in ("What:", "Why:", "How to fix:"):
        assert part in rule.description, f"{rule.id} description lacks {part!r}"
    assert rule.examples.get("pass"), f"{rule.id} has no pass example"
    if rule.check != "input":  # input facts come from files on disk, tested in test_checks
        assert rule.examples.get("fail"), f"{rule.id} has no fail example"


@pytest.mark.parametrize("result", run_examples(RULESET),
                         ids=lambda r: f"{r.rule.id}-{r.expect}-{r.index + 1}")
def test_rule_example(result):
    assert result.ok, result.explain()


def test_test_rules_command_on_builtins(tmp_path):
    run = provlint("test-rules", cwd=tmp_path)
    assert run.code == 0, run.out
    assert " 0 failed" in run.out


def test_test_rules_reports_a_wrong_example(tmp_path):
    rule = tmp_path / "mine.yaml"
    rule.write_text(
        "id: PH901\nname: todo-marker\ncategory: placeholder\nseverity: warning\n"
        "message: 'TODO left in {kind}'\ndescription: 'What: a TODO. Why: unfinished. How to fix: finish.'\n"
        "check: pattern\ntarget: blocks\npattern: 'TODO'\n"
        "examples:\n  fail: ['TODO: write the lead']\n  pass: ['nothing to do', 'TODO again']\n",
        encoding="utf-8")
    run = provlint("test-rules", rule, cwd=tmp_path)
    assert run.code == 1
    assert "PH901 pass example #2" in run.out and "2 passed, 1 failed" in run.out
