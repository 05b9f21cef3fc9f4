"""Writing custom rules: the tutorial runs verbatim, init scaffolds, errors guide.

The tutorial's ```sh blocks are run in order, in an empty folder, by bash with the
installed provlint on PATH.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import NO_NETWORK, REPO, SEED, provlint
from provlint.docgen import reference

TUTORIAL = REPO / "docs" / "writing-rules.md"


def test_tutorial_commands_run_verbatim(tmp_path):
    blocks = re.findall(r"```sh\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 5
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(NO_NETWORK))
    outputs = []
    for block in blocks:
        done = subprocess.run(["bash", "-e", "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, (block, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        outputs.append(done.stdout)
    assert "passed, 0 failed" in outputs[2]
    assert outputs[3].count("PH902 error unresolved Drupal token '[node:title]'") == 2
    assert outputs[4].strip() == "1"


def test_reference_is_generated_from_the_schema():
    assert (REPO / "docs" / "reference.md").read_text(encoding="utf-8") == reference(), \
        "docs/reference.md is stale: run `python -m provlint.docgen > docs/reference.md`"


def test_init_then_test_rules_and_check(tmp_path):
    assert provlint("init", cwd=tmp_path).code == 0
    assert provlint("test-rules", "provlint-rules/", cwd=tmp_path).code == 0
    (tmp_path / "d.txt").write_text("A title long enough\n\nLe ministre a déclaré TK que la réforme serait votée. "
                                    "Elle entrera en vigueur en mai. Les syndicats protestent.\n", encoding="utf-8")
    run = provlint("check", "d.txt", "--select", "PH901", "--format", "json", cwd=tmp_path)
    assert run.findings() == [(3, "PH901", "warning")]
    again = provlint("init", cwd=tmp_path)
    assert again.code == 2 and "already exists" in again.err


def test_init_into_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "corpus"\n', encoding="utf-8")
    assert provlint("init", "--pyproject", cwd=tmp_path).code == 0
    assert "[tool.provlint]" in (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    shown = provlint("config", cwd=tmp_path).out
    assert "# pyproject.toml" in shown


def test_breaking_a_builtin_example_names_the_rule_and_example(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    text = (rules / "placeholder.yaml").read_text(encoding="utf-8")
    (rules / "placeholder.yaml").write_text(text.replace('pass: ["Nan", ', 'pass: ["NaN", '), encoding="utf-8")
    clean = provlint("test-rules", REPO / "rules", cwd=tmp_path)
    assert clean.code == 0
    broken = provlint("test-rules", "--no-builtin", rules, cwd=tmp_path)
    assert broken.code == 1
    assert "FAIL PH004 pass example #1" in broken.out and "expected no finding" in broken.out


def test_five_mistakes_reported_together(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    good = ("id: {id}\nname: my-rule\ncategory: placeholder\nseverity: error\nmessage: m\n"
            "description: 'What: a. Why: b. How to fix: c.'\ncheck: pattern\ntarget: blocks\npattern: 'x'\n")
    (folder / "a.yaml").write_text(good.format(id="PH911").replace("target:", "tagret:"), encoding="utf-8")
    (folder / "b.yaml").write_text(good.format(id="PH912").replace("check: pattern", "check: patern"), encoding="utf-8")
    (folder / "c.yaml").write_text(good.format(id="PH913").replace("pattern: 'x'", "pattern: 'a(b'"), encoding="utf-8")
    (folder / "d.yaml").write_text(good.format(id="PH914").replace("target: blocks", "target: [bdy]"), encoding="utf-8")
    (folder / "e.yaml").write_text(good.format(id="PH915").replace("category: placeholder", "category: placehoder"),
                                   encoding="utf-8")
    run = provlint("test-rules", folder, cwd=tmp_path)
    assert run.code == 2 and "Traceback" not in run.err
    expected = [
        "a.yaml:8:1: PH911: unknown key 'tagret'; did you mean 'target'?",
        "b.yaml:7:8: PH912: check: 'patern' is not one of",
        "did you mean 'pattern'?",
        "c.yaml:9:10: PH913: invalid regular expression: missing )",
        "d.yaml:8:10: PH914: unknown block kind 'bdy' in target; did you mean 'body'?",
        "e.yaml:3:11: PH915: category: 'placehoder' is not one of",
        "did you mean 'placeholder'?",
    ]
    for part in expected:
        assert part in run.err, (part, run.err)
    assert "5 problems in rule files" in run.err


def test_extends_changes_or_switches_off_a_builtin(tmp_path):
    (tmp_path / "over.yaml").write_text(
        "rules:\n  - extends: TX001\n    enabled: false\n  - extends: PH001\n    severity: warning\n", encoding="utf-8")
    run = provlint("check", SEED, "--rules", "over.yaml", "--format", "json", cwd=tmp_path)
    rules = {(f[1], f[2]) for f in run.findings()}
    assert ("PH001", "warning") in rules and not any(rule == "TX001" for rule, _ in rules)
    (tmp_path / "bad.yaml").write_text("extends: PH01\nseverity: info\n", encoding="utf-8")
    bad = provlint("check", SEED, "--rules", "bad.yaml", cwd=tmp_path)
    assert bad.code == 2 and "bad.yaml:1:10: extends unknown rule PH01; did you mean PH001?" in bad.err


def test_user_block_kinds_and_cues(tmp_path):
    (tmp_path / "kinds.yaml").write_text(
        "block_kinds:\n  - kind: paywall\n    pattern: '(?i)subscribe to read.*'\n", encoding="utf-8")
    (tmp_path / "paywall.yaml").write_text(
        "id: TX902\nname: paywall-teaser\ncategory: text\nseverity: warning\nmessage: paywall teaser\n"
        "description: 'What: a. Why: b. How to fix: c.'\ncheck: pattern\ntarget: [paywall]\npattern: '.+'\n",
        encoding="utf-8")
    (tmp_path / "dump.txt").write_text("A title that is long enough\n\nSubscribe to read the full story\n",
                                       encoding="utf-8")
    run = provlint("check", "dump.txt", "--rules", "kinds.yaml", "--rules", "paywall.yaml", "--select", "TX902",
                   "--format", "json", cwd=tmp_path)
    assert run.findings() == [(3, "TX902", "warning")]
    (tmp_path / "cues.yaml").write_text("lexicons:\n  it:\n    reporting: [ha dichiarato]\n    guess: [il, la, di, che]\n",
                                        encoding="utf-8")
    body = ("it_IT\n\nIl ponte è crollato lunedì. Il traffico è stato deviato. Le riparazioni costeranno milioni. "
            "I residenti sono arrabbiati. La città non ha fissato una data.\n")
    (tmp_path / "it.txt").write_text(body, encoding="utf-8")
    run = provlint("check", "it.txt", "--rules", "cues.yaml", "--select", "AT004", "--format", "json", cwd=tmp_path)
    assert run.findings() == [(3, "AT004", "info")]


def test_redos_pattern_is_linear_and_lookahead_falls_back(tmp_path):
    good = ("id: PH920\nname: redos\ncategory: placeholder\nseverity: error\nmessage: m\n"
            "description: 'What: a. Why: b. How to fix: c.'\ncheck: pattern\ntarget: blocks\npattern: '{p}'\n")
    (tmp_path / "redos.yaml").write_text(good.format(p="(a+)+$"), encoding="utf-8")
    (tmp_path / "a.txt").write_text("a" * 50_000 + "!", encoding="utf-8")
    run = provlint("check", "a.txt", "--rules", "redos.yaml", "--select", "PH920", "--format", "json", cwd=tmp_path)
    assert run.code == 0 and run.findings() == []
    (tmp_path / "redos.yaml").write_text(good.format(p="token(?=:)"), encoding="utf-8")
    (tmp_path / "b.txt").write_text("token: yes, token no", encoding="utf-8")
    run = provlint("check", "b.txt", "--rules", "redos.yaml", "--select", "PH920", "--format", "json", cwd=tmp_path)
    assert run.findings() == [(1, "PH920", "error")]


def test_anchored_patterns_find_matches_in_any_block(tmp_path):
    """Pattern rules are screened with one RE2 set over the whole document; `^`, `$`,
    `\\A` and `\\z` still mean the start and end of each block, as the rule language says."""
    rule = ("- id: PH93{n}\n  name: anchored-{n}\n  category: placeholder\n  severity: warning\n  message: m\n"
            "  description: 'What: a. Why: b. How to fix: c.'\n  check: pattern\n  target: blocks\n"
            "  pattern: '{p}'\n")
    patterns = ["^TODO", "TBD$", "\\Aadmin\\z", "^only(?:$)"]
    (tmp_path / "anchored.yaml").write_text(
        "rules:\n" + "".join(rule.format(n=n, p=p) for n, p in enumerate(patterns)), encoding="utf-8")
    dump = ["Some title of the article here", "TODO fill in", "first line\nTODO not at the block start",
            "the ending is TBD", "admin", "only\nonly"]
    (tmp_path / "a.txt").write_text("\n\n".join(dump) + "\n", encoding="utf-8")
    run = provlint("check", "a.txt", "--rules", "anchored.yaml", "--select", "PH93", "--format", "json",
                   cwd=tmp_path)
    assert run.findings() == [(3, "PH930", "warning"), (8, "PH931", "warning"), (10, "PH932", "warning")]
