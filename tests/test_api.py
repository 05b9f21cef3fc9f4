"""The Python API gives the same findings as the command line."""

from __future__ import annotations

import os

import pytest

import provlint
from conftest import SEED, provlint as run_cli
from provlint import api
from provlint.baseline import BaselineError
from provlint.config import load_settings


def test_lint_paths_matches_the_cli(tmp_path):
    cli = [(f["line"], f["rule"]) for f in run_cli("check", SEED, "--format", "json", cwd=tmp_path).json()["findings"]]
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        findings = provlint.lint_paths([str(SEED)])
    finally:
        os.chdir(here)
    assert [(f.line, f.rule) for f in findings] == cli
    assert findings == sorted(findings)


def test_lint_text_with_a_config(tmp_path, seed_text):
    config = tmp_path / "provlint.yaml"
    config.write_text("select: [PH]\nseverity: {PH001: warning}\n", encoding="utf-8")
    findings = provlint.lint_text(seed_text, path="seed.txt", config=config)
    assert [(f.line, f.rule, f.severity) for f in findings] == [(27, "PH001", "warning"), (27, "PH001", "warning")]


def test_the_api_applies_a_baseline_as_the_cli_does(tmp_path, seed_text):
    dump = tmp_path / "seed.txt"
    dump.write_text(seed_text, encoding="utf-8")
    assert run_cli("check", "seed.txt", "--no-cache", "--write-baseline", "baseline.json", cwd=tmp_path).code == 1
    dump.write_text(seed_text + "\n\n/html/head/meta[@name='og:title']/@content\n", encoding="utf-8")
    cli = run_cli("check", "seed.txt", "--no-cache", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    assert [(f["line"], f["rule"]) for f in cli.json()["findings"]] == [(65, "PH001")]
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        findings = provlint.lint_paths(["seed.txt"], baseline="baseline.json")
        from_text = provlint.lint_text(dump.read_text(encoding="utf-8"), path="seed.txt", baseline="baseline.json")
        result, _ = api.run(["seed.txt"], load_settings(), baseline="baseline.json")
        with pytest.raises(BaselineError, match="no such baseline file"):
            provlint.lint_paths(["seed.txt"], baseline="missing.json")
    finally:
        os.chdir(here)
    assert [(f.line, f.rule) for f in findings] == [(65, "PH001")]
    assert from_text == findings
    assert result.findings == findings
    assert len(result.suppressed) == len(provlint.lint_text(seed_text, path="seed.txt")) and result.stale == 0


def test_an_edited_schema_file_is_read_again_in_the_same_process(tmp_path, seed_text):
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "rules").mkdir()
    schema = tmp_path / "rules" / "title.schema.json"
    schema.write_text('{"properties": {"title": {"items": {"maxLength": 500}}}}', encoding="utf-8")
    (tmp_path / "rules" / "long-title.yaml").write_text(
        "id: XS001\nname: long-title\ncategory: schema\nseverity: warning\nmessage: '{error}'\n"
        "description: 'What: a long title.'\ncheck: schema\nschema: title.schema.json\n", encoding="utf-8")
    (tmp_path / "provlint.yaml").write_text("rules: [rules]\nselect: [XS001]\n", encoding="utf-8")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        before = provlint.lint_paths(["seed.txt"])
        schema.write_text('{"properties": {"title": {"items": {"maxLength": 5}}}}', encoding="utf-8")
        after = provlint.lint_paths(["seed.txt"])
    finally:
        os.chdir(here)
    assert before == []
    assert [(f.line, f.rule) for f in after] == [(3, "XS001"), (5, "XS001")]
