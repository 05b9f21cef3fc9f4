"""The acceptance lint of the real seed dump (fr.sputniknews.com, 2022-02-21): the one
place that lists its findings. Header 2022-02, URL 20220221, created = published <=
modified and dateline 21.02.2022 agree, so no date finding; publisher and author are
Sputnik's own, so no attribution finding."""

from __future__ import annotations

from conftest import SEED, provlint

SEED_FINDINGS = [
    (1, 15, 1, 135, "PV001", "info",
     "Sputnik France (sputniknews.com): EU broadcast ban since 2022-03-02 (Council Regulation (EU) 2022/350); "
     "state-affiliated media (Council Regulation (EU) 2022/350); US foreign mission since 2024-09-04 (State Department, "
     "Foreign Missions Act); US sanctions since 2024-09-13 (State Department, Executive Order 14024)"),
    (5, 1, 5, 70, "DU001", "info", "title block repeated 2 times (lines 3, 5)"),
    (27, 1, 27, 43, "PH001", "error", "unresolved XPath placeholder \"/html/head/meta[@name='og:title']/@content\""),
    (27, 44, 27, 92, "PH001", "error",
     "unresolved XPath placeholder \"/html/head/meta[@name='og:description']/@content\""),
    (31, 436, 31, 445, "TX001", "info", "sentences glued together at 'année.Les': a paragraph break was lost"),
    (31, 604, 31, 614, "TX001", "info", "sentences glued together at 'Peskov.Les': a paragraph break was lost"),
    (31, 729, 31, 744, "TX001", "info", "sentences glued together at 'Moscou.Escalade': a paragraph break was lost"),
    (31, 753, 31, 763, "TX001", "info", "sentences glued together at 'DonbassCes': a paragraph break was lost"),
    (31, 939, 31, 952, "TX001", "info", "sentences glued together at 'artillerie.Le': a paragraph break was lost"),
    (45, 1, 45, 141, "DU001", "info", "author block repeated 3 times (lines 43, 45, 61)"),
    (51, 1, 51, 85, "DU001", "info", "publisher block repeated 3 times (lines 39, 51, 59)"),
]


def test_seed_exact_findings_sorted_and_stable(tmp_path):
    """Every finding, in order; a block repeated (twice or three times) is DU001, never DU004."""
    first = provlint("check", SEED, "--format", "json", "--no-cache", cwd=tmp_path)
    assert first.code == 1
    findings = [(f["line"], f["column"], f["end_line"], f["end_column"], f["rule"], f["severity"], f["message"])
                for f in first.json()["findings"]]
    assert findings == SEED_FINDINGS
    assert provlint("check", SEED, "--format", "json", "--no-cache", cwd=tmp_path).json() == first.json()
