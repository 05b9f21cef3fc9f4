"""A user's rule pack extends what the built-in pack declares, with no code: a new
placeholder family is one rule file (its blocks are then read as placeholders, not as
titles), and a pack may declare its own categories."""

from __future__ import annotations

from conftest import provlint

# A title, a byline, then a block that is nothing but two tokens of a family no
# built-in rule knows: read as a title, it would be a second title (DU002).
DUMP = """\
 date 2023-05 https://example.org/2023/05/15/council-budget

Council approves the new budget

By Jane Doe

<<<OG_TITLE>>> <<<OG_DESCRIPTION>>>

2023-05-15T10:00:00+02:00

The council approved the budget on Monday. It passed by seven votes to two. The mayor said the vote was close.

Example Times press@example.org
"""

FAMILY = """\
id: PH950
name: angle-token
category: placeholder
severity: error
message: "unresolved angle-bracket token {match!r}"
check: pattern
pattern: '<<<[A-Z_]+>>>'
"""


def _findings(run) -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["rule"]) for f in run.json()["findings"]]


def test_a_new_placeholder_family_is_one_rule_file(tmp_path):
    (tmp_path / "a.txt").write_text(DUMP, encoding="utf-8")
    (tmp_path / "family.yaml").write_text(FAMILY, encoding="utf-8")
    without = provlint("check", "a.txt", "--format", "json", "--no-cache", cwd=tmp_path)
    assert _findings(without) == [(7, 1, "DU002")]
    run = provlint("check", "a.txt", "--rules", "family.yaml", "--format", "json", "--no-cache", cwd=tmp_path)
    assert run.code == 1
    assert _findings(run) == [(7, 1, "PH950"), (7, 16, "PH950")]
    blocks = provlint("inspect", "a.txt", "--rules", "family.yaml", "--format", "json", cwd=tmp_path).json()
    kinds = {block["line"]: block["kind"] for block in blocks["documents"][0]["blocks"]}
    assert kinds[7] == "placeholder"


def test_ignoring_the_family_hides_its_findings_not_how_blocks_are_read(tmp_path):
    """Reading follows the rules loaded, not those selected: the block stays a placeholder."""
    (tmp_path / "a.txt").write_text(DUMP, encoding="utf-8")
    (tmp_path / "family.yaml").write_text(FAMILY, encoding="utf-8")
    run = provlint("check", "a.txt", "--rules", "family.yaml", "--ignore", "PH950", "--format", "json",
                   "--no-cache", cwd=tmp_path)
    assert run.code == 0 and _findings(run) == []


def test_filler_that_opens_a_block_is_a_placeholder_block(tmp_path):
    """PH005 (`residue: block`) matches only its marker, yet the block it opens is filler whole."""
    (tmp_path / "a.txt").write_text(DUMP.replace("<<<OG_TITLE>>> <<<OG_DESCRIPTION>>>", "Lorem ipsum dolor sit amet"),
                                    encoding="utf-8")
    run = provlint("check", "a.txt", "--format", "json", "--no-cache", cwd=tmp_path)
    assert _findings(run) == [(7, 1, "PH005")]


LAUNDERING = """\
categories:
  - name: laundering
    description: Wire copy passed off as the outlet's own reporting.
rules:
  - id: LA001
    name: wire-credit
    category: laundering
    severity: warning
    message: "wire credit {match!r} in the body"
    check: pattern
    target: [body]
    pattern: '\\((?:AFP|AP|Reuters)\\)'
"""
BUILTIN_CATEGORIES = "timestamp, duplicate, placeholder, attribution, provenance, schema, text, input"


def test_a_pack_declares_its_own_category(tmp_path):
    (tmp_path / "a.txt").write_text(DUMP.replace("The council approved", "PARIS (AFP) The council approved"),
                                    encoding="utf-8")
    (tmp_path / "laundering.yaml").write_text(LAUNDERING, encoding="utf-8")
    run = provlint("check", "a.txt", "--rules", "laundering.yaml", "--select", "laundering", "--format", "json",
                   "--no-cache", cwd=tmp_path)
    assert run.code == 1
    assert [(f["line"], f["column"], f["rule"], f["category"]) for f in run.json()["findings"]] == [
        (11, 7, "LA001", "laundering")]
    sarif = provlint("check", "a.txt", "--rules", "laundering.yaml", "--select", "LA001", "--format", "sarif",
                     "--no-cache", cwd=tmp_path).json()
    [descriptor] = [rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"] if rule["id"] == "LA001"]
    assert descriptor["properties"]["tags"] == ["laundering"]
    listed = provlint("rules", "--rules", "laundering.yaml", "--select", "laundering", cwd=tmp_path)
    assert "LA001" in listed.out and "laundering" in listed.out


def test_a_category_no_file_declares_is_an_error_at_its_place(tmp_path):
    (tmp_path / "a.txt").write_text(DUMP, encoding="utf-8")
    undeclared = LAUNDERING.split("rules:\n", 1)[1].replace("  - id", "id").replace("\n    ", "\n")
    (tmp_path / "undeclared.yaml").write_text(undeclared, encoding="utf-8")
    run = provlint("check", "--rules", "undeclared.yaml", "a.txt", cwd=tmp_path)
    assert run.code == 2
    assert run.err.splitlines()[0] == (
        f"error: undeclared.yaml:3:11: LA001: category: 'laundering' is not one of {BUILTIN_CATEGORIES} "
        "(a pack declares its own under `categories:`)")
    (tmp_path / "misspelt.yaml").write_text(LAUNDERING.replace("category: laundering", "category: launderin"),
                                            encoding="utf-8")
    run = provlint("check", "--rules", "misspelt.yaml", "a.txt", cwd=tmp_path)
    assert run.code == 2
    assert run.err.splitlines()[0] == (
        f"error: misspelt.yaml:7:15: LA001: category: 'launderin' is not one of {BUILTIN_CATEGORIES}, laundering "
        "(a pack declares its own under `categories:`); did you mean 'laundering'?")


def test_a_block_kind_follows_a_declared_category_only(tmp_path):
    (tmp_path / "a.txt").write_text(DUMP, encoding="utf-8")
    (tmp_path / "kinds.yaml").write_text(
        "block_kinds:\n  - kind: laundered\n    category: laundring\n"
        "  - kind: wire\n    category: placeholder\n    pattern: 'x'\n", encoding="utf-8")
    run = provlint("check", "--rules", "kinds.yaml", "a.txt", cwd=tmp_path)
    assert run.code == 2
    assert [line for line in run.err.splitlines() if line.startswith("error: ")] == [
        f"error: kinds.yaml:3:15: category: 'laundring' is not one of {BUILTIN_CATEGORIES} "
        "(a pack declares its own under `categories:`)",
        "error: kinds.yaml:6:14: block kind 'wire': a row that follows a category (`category:`) takes no `pattern`",
    ]
