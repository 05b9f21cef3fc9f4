"""A URL date pattern's `re` twin (`bounded_twin`) finds in an ASCII path what RE2 finds
with the pattern: the same start, text and groups; patterns outside the shared grammar
have none and are searched by RE2 (or `regex`) as before."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from provlint.patterns import compile_pattern
from provlint.readers.fields import _url_date_search
from provlint.readers.plainregex import bounded_twin

REPO = Path(__file__).resolve().parent.parent

def _by_pattern(source: str, text: str) -> tuple[int, str, dict[str, str | None]] | None:
    found = compile_pattern(source).search(text)
    return None if found is None else (found.start, found.text, found.groups)


def _by_twin(source: str, text: str) -> tuple[int, str, dict[str, str | None]] | None:
    twin = bounded_twin(source)
    assert twin is not None, source
    found = twin.search(text)
    return None if found is None else (found.start(), found.group(), found.groupdict())


BUILT_IN = yaml.safe_load((REPO / "rules" / "blocks.yaml").read_text(encoding="utf-8"))["url_dates"]
PATHS = ["/20220221/x-1055266666.html", "/entretenimiento/2022/10/23/el-sincero.html", "/stock/s/2021-05-18/doc-ikmy.shtml",
         "/actu/21/02/2022/article.html", "/story/12345678/", "/a_20221023", "/2022/1/2", "/x-20221332.html",
         "/20220221", "/2022-02-21\n", "/1999/12/31/", "/3/4/2020_", "", "/", "/20220221/20230101/"]


@pytest.mark.parametrize("source", BUILT_IN)
@pytest.mark.parametrize("path", PATHS)
def test_the_built_in_url_dates_have_twins_that_read_as_re2(source, path):
    assert _by_twin(source, path) == _by_pattern(source, path)


@pytest.mark.parametrize("source", [
    "(?=\\w)(a|a)+b",  # look-ahead: the `regex` module's
    "a*", "a+", "x{2,}", "(ab)?", "(?:a|b){2}",  # unbounded repeats, repeated groups
    "\\s", "\\b", "\\pL", "\\x41", "[[a]", "[a&&b]", "[a--b]", "(?i)a", "(?s:.)", "(?P<1a>x)", "é", "a]", "a}",
    "{2}", "?", "a{1001}",
])
def test_patterns_outside_the_shared_grammar_have_no_twin(source):
    assert bounded_twin(source) is None


def test_a_path_that_is_not_ascii_is_searched_by_the_pattern():
    pattern = compile_pattern(BUILT_IN[2])
    assert _url_date_search(pattern, "/新闻/2022/02/21/一.html") == (3, "/2022/02/21/", {
        "year": "2022", "month": "02", "day": "21"})


_ATOMS = st.sampled_from(["a", "b", "1", "2", "/", "-", ".", "\\d", "\\D", "\\w", "\\W", "\\.", "\\/", "[ab]",
                          "[^a]", "[0-9]", "[/_.-]", "[\\d/]", "$", "^"])
_REPEATS = st.sampled_from(["", "", "?", "??", "{2}", "{1,2}", "{0,3}?", "{0,1}"])


@st.composite
def _patterns(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            inner = "|".join(draw(_patterns(depth + 1)) for _ in range(draw(st.integers(1, 3))))
            opening = draw(st.sampled_from(["(", "(?:", "(?P<@>"]))  # each @ numbered below
            parts.append(f"{opening}{inner})")
        else:
            atom = draw(_ATOMS)
            parts.append(atom + ("" if atom in "$^" else draw(_REPEATS)))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(_patterns(), st.text(alphabet="ab12/-._x\n", max_size=20))
def test_twins_of_any_pattern_in_the_grammar_read_as_re2(drawn, text):
    parts = drawn.split("@")
    source = "".join(part + (f"g{number}" if number < len(parts) - 1 else "") for number, part in enumerate(parts))
    assert _by_twin(source, text) == _by_pattern(source, text)

