"""A broken rule file ends the run with exit 2 and file:line:col, never a traceback."""

from __future__ import annotations

import pytest

from conftest import SEED, provlint

GOOD = """id: PH901
name: my-rule
category: placeholder
severity: error
message: "found {match}"
description: "What: x. Why: y. How to fix: z."
check: pattern
target: blocks
pattern: "abc"
"""


@pytest.mark.parametrize("text, expected", [
    ("id: PH901\nname: x\n  bad: [\n", "bad.yaml:3:6: invalid YAML"),
    (GOOD.replace("target: blocks", "tagret: blocks"), "bad.yaml:8:1: PH901: unknown key 'tagret'; did you mean 'target'?"),
    (GOOD.replace("check: pattern", "check: patern"), "bad.yaml:7:8: PH901: check: 'patern' is not one of"),
    (GOOD.replace('pattern: "abc"', 'pattern: "foo(bar"'), "bad.yaml:9:10: PH901: invalid regular expression: missing )"),
    (GOOD.replace("severity: error", "severity: eror"), "did you mean 'error'?"),
    (GOOD.replace("target: blocks", "target: [bdy]"),
     "bad.yaml:8:10: PH901: unknown block kind 'bdy' in target; did you mean 'body'?"),
    (GOOD.replace("id: PH901", "id: PH001"), "duplicate rule id PH001"),
    (GOOD.replace("check: pattern\n", "check: order\n"), "bad.yaml:7:8: PH901: check 'order' requires 'before'"),
])
def test_broken_rule_file(tmp_path, text, expected):
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    run = provlint("check", SEED, "--rules", "bad.yaml", cwd=tmp_path)
    assert run.code == 2
    assert expected in run.err, run.err
    assert "Traceback" not in run.err + run.out


def test_all_problems_reported_in_one_run(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD.replace("check: pattern", "check: patern"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD.replace("PH901", "PH902").replace("severity: error", "severity: eror"),
                                     encoding="utf-8")
    run = provlint("check", SEED, "--rules", tmp_path, cwd=tmp_path)
    assert run.code == 2
    assert "a.yaml:7:8" in run.err and "b.yaml:4:11" in run.err
    assert "2 problems in rule files" in run.err


def test_user_rule_runs(tmp_path):
    (tmp_path / "mine.yaml").write_text(GOOD.replace('"abc"', '"Kremlin"'), encoding="utf-8")
    run = provlint("check", SEED, "--rules", "mine.yaml", "--select", "PH901", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert [(f[0], f[1]) for f in run.findings()] == [(3, "PH901"), (5, "PH901"), (7, "PH901"), (31, "PH901")]


def test_regex_fallback_for_lookaround(tmp_path):
    (tmp_path / "mine.yaml").write_text(GOOD.replace('"abc"', '"(?<=Dmitri )Peskov"'), encoding="utf-8")
    run = provlint("check", SEED, "--rules", "mine.yaml", "--select", "PH901", "--format", "json", cwd=tmp_path)
    assert [(f[0], f[1]) for f in run.findings()] == [(31, "PH901")]


def test_catastrophic_fallback_pattern_times_out_as_a_finding(tmp_path):
    (tmp_path / "mine.yaml").write_text(GOOD.replace('"abc"', '"(?=x)(a+)+$|(\\\\w+\\\\s?)+(?<=!)$"'), encoding="utf-8")
    dump = tmp_path / "dump.txt"
    dump.write_text("a" * 5000 + " b " + "word " * 6000 + "?", encoding="utf-8")
    run = provlint("check", dump, "--rules", "mine.yaml", "--select", "PH901", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    messages = [f["message"] for f in run.json()["findings"]]
    assert any("PH901 gave up" in m and "took longer than" in m for m in messages), messages
