"""The acceptance lint of the real seed dump (fr.sputniknews.com, 2022-02-21)."""

from __future__ import annotations

from conftest import SEED, provlint


def test_seed_exact_findings(tmp_path):
    run = provlint("check", SEED, "--format", "json", cwd=tmp_path)
    assert run.code == 1
    findings = run.findings()
    placeholders = [f for f in findings if f[1].startswith("PH")]
    assert placeholders == [(27, "PH001", "error"), (27, "PH001", "error")]
    assert (51, "DU001", "info") in findings  # publisher block, lines 39, 51, 59
    assert (45, "DU001", "info") in findings  # author block, lines 43, 45, 61
    messages = {f["line"]: f["message"] for f in run.json()["findings"] if f["rule"] == "DU001"}
    assert "39, 51, 59" in messages[51] and "43, 45, 61" in messages[45]
    glued = [f for f in run.json()["findings"] if f["rule"] == "TX001"]
    assert {f["line"] for f in glued} == {31}
    assert any("Peskov.Les" in f["message"] for f in glued)
    assert any("DonbassCes" in f["message"] for f in glued)


def test_seed_dates_and_attribution_are_clean(tmp_path):
    """Header 2022-02, URL 20220221, created = published <= modified, dateline 21.02.2022."""
    run = provlint("check", SEED, "--format", "json", cwd=tmp_path)
    severe = [f for f in run.json()["findings"]
              if f["category"] in ("timestamp", "attribution") and f["severity"] in ("error", "warning")]
    assert severe == []


def test_findings_sorted_and_stable(tmp_path):
    first = provlint("check", SEED, "--format", "json", cwd=tmp_path).json()["findings"]
    second = provlint("check", SEED, "--format", "json", cwd=tmp_path).json()["findings"]
    assert first == second
    keys = [(f["path"], f["line"] or 0, f["column"] or 0, f["rule"]) for f in first]
    assert keys == sorted(keys)
