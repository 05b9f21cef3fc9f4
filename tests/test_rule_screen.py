"""The document screen matches a long block (a body) on its own and the short blocks
joined; the rules it screens must find in each block what they find without it, user
rules (RE2 and look-around) among them."""

from __future__ import annotations

from conftest import provlint

HEADER = " date 2024-07 https://www.news-today.example.org/world/x.html\n\n"
# A body long enough to be matched apart from the short blocks.
FILLER = "The ministry said on Monday that the talks would resume in the autumn. " * 8


def _rule(number: int, pattern: str) -> str:
    return (f"- id: PH94{number}\n  name: screened-{number}\n  category: placeholder\n  severity: warning\n"
            f"  message: m\n  description: 'What: a. Why: b. How to fix: c.'\n  check: pattern\n"
            f"  target: blocks\n  pattern: '{pattern}'\n")


def test_user_patterns_find_their_matches_in_long_and_short_blocks(tmp_path):
    patterns = ["PLACEHOLDER", "token(?=:)", "(?<=lorem )ipsum"]
    (tmp_path / "screened.yaml").write_text(
        "rules:\n" + "".join(_rule(n, p) for n, p in enumerate(patterns)), encoding="utf-8")
    dump = ["Some title of the article here", "PLACEHOLDER", FILLER + "token: here, lorem ipsum.", "token no"]
    (tmp_path / "a.txt").write_text("\n\n".join(dump) + "\n", encoding="utf-8")
    run = provlint("check", "a.txt", "--rules", "screened.yaml", "--select", "PH94", "--format", "json",
                   cwd=tmp_path)
    assert run.findings() == [(3, "PH940", "warning"), (5, "PH941", "warning"), (5, "PH942", "warning")]
    # Only in the short blocks: the long block is ruled out on its own.
    dump = ["Some title of the article here", FILLER, "PLACEHOLDER token: lorem ipsum"]
    (tmp_path / "b.txt").write_text("\n\n".join(dump) + "\n", encoding="utf-8")
    run = provlint("check", "b.txt", "--rules", "screened.yaml", "--select", "PH94", "--format", "json",
                   cwd=tmp_path)
    assert run.findings() == [(5, "PH940", "warning"), (5, "PH941", "warning"), (5, "PH942", "warning")]


def test_a_credit_in_the_body_is_found_when_a_short_block_names_the_outlet_too(lint):
    body = FILLER + "Officials confirmed the date, according to RT."
    run = lint(HEADER + "RT\n\n" + body + "\n", "--select", "PV004")
    assert [(f["line"], f["rule"]) for f in run.json()["findings"]] == [(5, "PV004")]
    # The outlet named in a short block only: no credit, and the body is not scanned for one.
    short = "The foreign ministry said the talks would resume, according to RT. No statement was issued."
    run = lint(HEADER + short + "\n\n" + FILLER + "\n", "--select", "PV004")
    assert [(f["line"], f["rule"]) for f in run.json()["findings"]] == [(3, "PV004")]
    run = lint(HEADER + "RT\n\n" + FILLER + "\n", "--select", "PV004")
    assert run.json()["findings"] == []


def test_field_rules_search_the_values_that_hold_what_a_match_needs(tmp_path):
    """A field rule's RE2 pattern is run only on values holding the texts every match
    holds (read without format characters, as the pattern reads them); a look-around
    pattern on every value."""
    rule = ("- id: PH95{n}\n  name: field-{n}\n  category: placeholder\n  severity: warning\n  message: m\n"
            "  description: 'What: a. Why: b. How to fix: c.'\n  check: pattern\n  fields: [title, keywords]\n"
            "  pattern: '{p}'\n")
    patterns = ["//\\S+", "x(?=y)", "(?i)todo"]
    (tmp_path / "fields.yaml").write_text(
        "rules:\n" + "".join(rule.format(n=n, p=p) for n, p in enumerate(patterns)), encoding="utf-8")
    for title, expected in [("A title with no link at all", []),
                            ("See /\u200b/example for xy, TODO", ["PH950", "PH951", "PH952"])]:
        (tmp_path / "a.txt").write_text(f"{HEADER}{title}\n\n{FILLER}\n", encoding="utf-8")
        run = provlint("check", "a.txt", "--rules", "fields.yaml", "--select", "PH95", "--format", "json",
                       cwd=tmp_path)
        assert [rule for _, rule, _ in run.findings()] == expected
