"""What spares block classification and the not-an-article test their searches (issue 20):
each is a necessary condition, so a text it lets through is searched as before and one it
stops could never have matched. Compared here with the searches themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from provlint.readers.blocktable import _choices, _needs
from provlint.readers.dump import split_lines, split_text
from provlint.readers.notarticle import _OPTION, _REQUIREMENT, _lines, _may_be_pip, text_reason
from provlint.readers.rowscreen import may_hold_below
from provlint.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
DUMPS = [ROOT / "seeds", ROOT / "tests" / "fixtures" / "realworld-dumps", ROOT / "tests" / "fixtures" / "inputs"]


def _dump_texts() -> list[str]:
    return [path.read_text(encoding="utf-8", errors="replace")
            for folder in DUMPS for path in sorted(folder.rglob("*.txt"))]


@pytest.mark.parametrize("source, below", [
    (r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]+", False),
    (r"\p{Han}{2,}(?:\s*\p{Katakana})?", True),  # `\s`
    (r"[\p{L}]+", True),
    (r"\p{Greek}", True),
    (r"x(?=y)", True),  # not read: may hold anything
    (r".+", True),
    (r"[\x{3040}-\x{30ff}]", False),
])
def test_what_a_dense_pattern_may_hold_is_asked_of_its_atoms(source, below):
    assert may_hold_below(source, 0x800) is below


def test_texts_read_alike_with_and_without_the_dense_shortcut():
    """Every block of the dumps, and texts of many scripts around the rows' length bounds:
    the kind, the groups and the length are what the dense pattern's search gives."""
    fast, slow = load_ruleset().table, load_ruleset().table
    slow._dense_wide = False  # never taken: every length is searched
    texts = []
    for text in _dump_texts():
        texts += [(block.text.strip(), block.end_line - block.line + 1) for block in split_text(text, split_lines(text))]
    words = ["Реформа", "changement", "Ελλάδα", "تغيير", "改革", "변화", "ок", "déjà", "Zürich", "Jill Disis,"]
    for size in range(1, 60):
        for word in words:
            texts.append((" ".join([word] * size), 1))
            texts.append((" ".join([word] * size) + ".", 1))
            texts.append(("Par " + " ".join([word.capitalize()] * (size % 4 + 1)), 1))
    assert all(fast.length(text) == slow.length(text) for text, _ in texts)
    for text, lines in texts:
        kind, found = fast.classify(text, lines)
        assert (kind, found) == slow.classify(text, lines), text


def test_sets_of_alternatives_drop_those_holding_another_and_the_largest():
    many = tuple(f"word{i:02}" for i in range(17))
    assert _choices([("RDN", "MD", "RD"), ("Editor",), many, ("...", "…", ".")]) == [("MD", "RD"), ("…", ".")]


def test_needed_texts_are_looked_for_each_once_characters_first_a_leading_mark_before_its_text():
    assert _needs(["date", "-", "-"]) == ["-", "date"]
    assert _needs(["//"]) == ["/", "//"]
    assert _needs(["https://", ".", "@", "."]) == [".", "@", "https://"]
    assert _needs([" ", " "]) == [" "]


def test_no_line_an_option_or_a_requirement_matches_is_ruled_out():
    lines = ["click>=8.0", "requests==2.31.0 ; python_version >= '3.9'", "pkg[a,b] ~= 1.2, != 1.3  # see https://x.org/",
             "-e git+https://github.com/x/y.git#egg=y", "--index-url https://pypi.org/simple", "name; os_name == 'nt:x'",
             "pyyaml", "a", "0", "pkg # comment: one", "date 2021-03 https://example.com/a", "Reform No. 300: what changes",
             "MPs will vote", "Zürich", "é", "x/y", "x:y", "x==1 /", "-", "--a b:c", "name;", "name #", "name#x"]
    for text in _dump_texts():
        lines += [line.strip() for line in text.splitlines() if line.strip()][:40]
    for line in lines:
        if _OPTION.fullmatch(line) or _REQUIREMENT.fullmatch(line):
            assert _may_be_pip(line), line


def test_dumps_are_no_requirements_files_and_reports_still_are():
    assert all(text_reason(text) is None for text in _dump_texts())
    assert text_reason("-r base.txt\nflask==3.0 ; python_version >= '3.9'\n# pinned: yes\n") == "a pip requirements file"
    assert text_reason("a.txt:1:1: AT001 no author\n\n3 findings (1 error, 2 warnings, 0 info) in 2 files\n") \
        == "a provlint report"


@pytest.mark.parametrize("text, kind", [
    ("Lo\u200brem ipsum dolor sit amet, consectetur. " * 20, "placeholder"),  # a match only once the ZWSP is dropped
    ("nu\u200bll", "placeholder"),
    ("{{title}} \u2060{{subtitle}}", "placeholder"),
    ("Le texte a été adopté par 63 voix, a indiqué le ministère. " * 10, "body"),
    ("Le texte\u00ad a été adopté par 63 voix, a indiqué le ministère. " * 10, "body"),
    ("null value", "tag"),
])
def test_placeholder_blocks_are_read_in_their_visible_text(text, kind):
    """The placeholder rules' screen finds format characters too: a text it finds none in
    is matched as it is, one holding some without them."""
    assert load_ruleset().table.classify(text, 1)[0] == kind


def test_lines_are_split_as_splitlines_splits_them():
    """`_lines` splits the first line and a character first: any text, any line breaks."""
    breaks = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\u2028", "\x85", "\n\n"]
    pieces = ["a", "bb", "  ", "x" * 90, "y" * 300, ""]
    for first in pieces:
        for one in breaks:
            for second in pieces:
                for other in breaks:
                    text = first + one + second + other + "z" * 700 + one + "end"
                    assert list(_lines(text)) == text.splitlines()
                    assert list(_lines(text[: len(first) + 1])) == text[: len(first) + 1].splitlines()
