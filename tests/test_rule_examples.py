"""Every built-in rule documents itself and its examples hold (the `test-rules` code)."""

from __future__ import annotations

import pytest

from conftest import provlint
from provlint.rule_tests import run_examples
from provlint.ruleset import BUILTIN_RULES, load_ruleset, rule_files, schema_problems, schema_validator
from provlint.yamlnodes import load_with_marks

RULESET = load_ruleset()
SCHEMA_BY_KEY = {"block_kinds": "blocks.schema.json", "sources": "sources.schema.json",
                 "lexicons": "lexicon.schema.json", "dates": "dates.schema.json"}


@pytest.mark.parametrize("path", rule_files(BUILTIN_RULES), ids=lambda p: p.relative_to(BUILTIN_RULES).as_posix())
def test_builtin_file_matches_its_schema(path):
    """Run time skips validating provlint's own files; this is where they are validated."""
    data, marks = load_with_marks(path.read_text(encoding="utf-8"))
    key = next((k for k in SCHEMA_BY_KEY if k in data), None)
    if key:
        problems = schema_problems(str(path), data, (), marks, schema_validator(SCHEMA_BY_KEY[key]), None)
    else:
        items = [((), data)] if "id" in data else [(("rules", i), item) for i, item in enumerate(data["rules"])]
        problems = [problem for base, item in items
                    for problem in schema_problems(str(path), item, base, marks, schema_validator("rule.schema.json"),
                                                   item.get("id"))]
    assert problems == []


def test_builtin_validation_catches_a_broken_rule():
    data, marks = load_with_marks("id: PH999\nname: x\n")
    assert schema_problems("x.yaml", data, (), marks, schema_validator("rule.schema.json"), "PH999")


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
