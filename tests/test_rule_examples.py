"""Every built-in rule documents itself, its examples hold and its file fixtures give exactly
the findings they list (the `test-rules` code, run in this process)."""

from __future__ import annotations

import pytest

from conftest import provlint
from provlint.rule_tests import run_examples, run_fixtures
from provlint.ruleset import BUILTIN_RULES, load_ruleset, rule_files, schema_problems, schema_validator
from provlint.yamlnodes import load_with_marks

RULESET = load_ruleset()
SCHEMA_BY_KEY = {"block_kinds": "blocks.schema.json", "sources": "sources.schema.json",
                 "lexicons": "lexicon.schema.json", "dates": "dates.schema.json",
                 "categories": "categories.schema.json", "brands": "brands.schema.json"}


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


@pytest.mark.parametrize("result", run_fixtures(RULESET), ids=lambda r: f"{r.rule.id}-{r.file}")
def test_rule_fixture(result):
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


TODO_RULE = """id: PH901
name: todo-marker
category: placeholder
severity: warning
message: 'TODO left in {kind}'
description: 'What: a TODO. Why: unfinished. How to fix: finish.'
check: pattern
target: blocks
pattern: 'TODO'
examples:
  fail: ['TODO: write the lead']
  pass: ['nothing to do']
tests:
"""


def todo_rule(folder, tests: str):
    """A rule folder with the PH901 rule, these `tests:` entries and one fixture dump:
    TODO at line 3 column 1 (a title) and line 5 column 25 (a description)."""
    (folder / "cases").mkdir(parents=True)
    (folder / "cases" / "todo.txt").write_text(
        "Harbour ferries change their timetable\n\nTODO: write the lead\n\n"
        "The night crossings end TODO in June, the authority said on Sunday.\n", encoding="utf-8")
    (folder / "mine.yaml").write_text(TODO_RULE + tests, encoding="utf-8")
    return folder


def test_test_rules_reports_a_wrong_fixture(tmp_path):
    """A fixture that misses a finding, names one that is not there, or a file that is not
    there fails `test-rules`, which shows what was expected and what was found."""
    todo_rule(tmp_path / "rules", """  - file: cases/todo.txt
    expect: ["3:PH901", "7:PH901"]
  - file: cases/todo.txt
    expect: ["5:PH901", "3:1:PH901", "5:11:PH901 TODO left in body"]
  - file: cases/missing.txt
    expect: []
""")
    run = provlint("test-rules", "rules", cwd=tmp_path)
    assert run.code == 1
    source = "rules/mine.yaml"
    assert run.out.splitlines() == [
        f"FAIL PH901 fixture cases/todo.txt ({source}): expected ['3:PH901', '7:PH901'], got ['3:PH901', '5:PH901']",
        "    missing: ['7:PH901']; unexpected: ['5:25:PH901 TODO left in description']",
        f"FAIL PH901 fixture cases/todo.txt ({source}): expected ['3:1:PH901', '5:PH901', '5:11:PH901 TODO left in "
        "body'], got ['3:1:PH901 TODO left in title', '5:25:PH901 TODO left in description']",
        "    missing: ['5:11:PH901 TODO left in body']; unexpected: -",
        f"FAIL PH901 fixture cases/missing.txt ({source}): no such file rules/cases/missing.txt",
        "2 passed, 3 failed (1 rule)",
    ]


def test_test_rules_passes_exact_fixtures_with_columns_and_messages(tmp_path):
    """An entry with a column or a message is matched before a bare LINE:ID one, which then
    takes any other finding on its line; a fixture may expect no finding at all."""
    rules = todo_rule(tmp_path / "rules", """  - file: cases/todo.txt
    expect: ["5:PH901", "3:1:PH901 TODO left in title"]
  - file: cases/todo.txt
    expect: ["3:PH901", "5:25:PH901"]
  - file: cases/clean.txt
    expect: []
""")
    (rules / "cases" / "clean.txt").write_text("Harbour ferries change their timetable\n", encoding="utf-8")
    run = provlint("test-rules", "rules", cwd=tmp_path)
    assert (run.code, run.out) == (0, "5 passed, 0 failed (1 rule)\n")
