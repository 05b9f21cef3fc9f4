"""The Python API gives the same findings as the command line."""

from __future__ import annotations

import os

import provlint
from conftest import SEED, provlint as run_cli


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
