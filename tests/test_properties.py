"""Property-based tests (hypothesis) of the reader and the whole rule set.

The CI profile runs 1,000 examples per property; for a longer local run:
    HYPOTHESIS_PROFILE=long pytest tests/test_properties.py     (20,000 examples each)
"""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jsonschema

from conftest import FIXTURES, SEED
from provlint.packcache import _checks_patterns
from provlint.patterns import known_patterns as _known_patterns
from re2 import _re2
from provlint.checks.schema import validator_for
from provlint.engine import lint_document
from provlint.readers import read_texts
from provlint.ruleset import load_ruleset

settings.register_profile("ci", max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

RULESET = load_ruleset()
_checks_patterns(RULESET)  # the patterns the checks build, in the pattern cache
CLEAN = [SEED.read_text(encoding="utf-8").replace(
    "/html/head/meta[@name='og:title']/@content /html/head/meta[@name='og:description']/@content\n\n", ""),
    (FIXTURES / "ria_clean.txt").read_text(encoding="utf-8")]
TIMESTAMP_LIKE = ("2022-02-21T08:57+0100", "2023-03-14T12:05+0300")

lines = st.lists(st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.sampled_from(["", " date 2022-02 https://fr.sputniknews.com/20220221/x.html", "2022-02-31T08:57+0100",
                     "2022-02-21T08:57+2500", "Sputnik France feedback.fr@sputniknews.com +74956456601",
                     "{{ x }}", "NaN", "«", "„Zitat", "1920 1080 true", "fr_FR", "21.02.2022, Sputnik"]),
), max_size=40)
newlines = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\n \n"])


def lint(text: str):
    return lint_document(read_texts("p.txt", text, RULESET.table, "dump")[0], RULESET.rules)


@given(lines, newlines, st.booleans())
def test_any_text_reads_and_lints_without_error(parts, newline, bom):
    text = ("\ufeff" if bom else "") + newline.join(parts)
    findings = lint(text)
    line_count = len(read_texts("p.txt", text, RULESET.table, "dump")[0].lines)
    for finding in findings:
        assert finding.rule != "IN000", finding.message
        assert finding.line is None or 1 <= finding.line <= max(line_count, 1)
    assert lint(text) == findings  # same input, same findings


def _timestamp_and_attribution(findings):
    return sorted(f.rule for f in findings if f.category in ("timestamp", "attribution"))


@given(st.sampled_from(range(len(CLEAN))), st.randoms(use_true_random=False))
def test_shuffled_clean_dump_gains_no_timestamp_or_attribution_finding(index, rng: random.Random):
    """Blocks in any order read the same; timestamps keep their relative order, which is
    what says which one is created, published or modified."""
    blocks = CLEAN[index].strip("\n").split("\n\n")
    stamps = [b for b in blocks if b.startswith(TIMESTAMP_LIKE[index][:8])]
    others = [b for b in blocks if b not in stamps]
    rng.shuffle(others)
    slots = sorted(rng.sample(range(len(others) + len(stamps)), len(stamps)))
    shuffled, stamp_iter, other_iter = [], iter(stamps), iter(others)
    for position in range(len(others) + len(stamps)):
        shuffled.append(next(stamp_iter) if position in slots else next(other_iter))
    expected = _timestamp_and_attribution(lint(CLEAN[index]))
    assert _timestamp_and_attribution(lint("\n\n".join(shuffled))) == expected


# The fast validation pass must never accept what jsonschema (the reference) rejects.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 3000) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["fr_FR", "en", "x", "2022-02-01", "2022-2-1", "https://a.b/c", "ftp://x", ""]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["raw", "problem", "offset", "offset_problem", "instant"]), inner, max_size=3),
    max_leaves=8)
field_instances = st.dictionaries(
    st.sampled_from(["url", "locale", "copyright_year", "crawl_date", "dateline_date", "images", "published",
                     "modified", "created", "title"]), st.lists(json_values, max_size=3), max_size=5)
SCHEMA_RULES = [rule for rule in RULESET.rules if rule.check == "schema"]


@given(field_instances)
def test_fast_schema_pass_never_accepts_what_jsonschema_rejects(instance):
    for rule in SCHEMA_RULES:
        validator = validator_for(rule)
        reference = jsonschema.Draft202012Validator(validator.schema)
        if validator.is_valid(instance):
            assert list(reference.iter_errors(instance)) == [], rule.id


# Patterns that mean the same in RE2 and Python's `re` on the texts below (no `\w`,
# `\b` or `$`, whose Unicode and end-of-line readings differ between the two; no
# empty alternative tried before a non-empty one, where Python backtracks and RE2 cannot).
SAMPLE_PATTERNS = ["(?P<word>[a-zé]+)", "(?P<a>x)?(?P<b>y*)", "é|€+", "(?:-|^)", "[^a-z]*", "😀?",
                   "(?i)(?:^|\\s)(?P<cue>selon|заявил)(?:\\s|-)", "(?P<year>[0-9]{4})-(?P<month>[0-9]{2})"]


@given(st.sampled_from(SAMPLE_PATTERNS),
       st.lists(st.sampled_from(list("ab xy1é€😀\n-") + ["2022-02", "selon ", "Заявил "]), max_size=30).map("".join))
def test_direct_re2_matching_agrees_with_python_re(source, text):
    """Patterns call RE2's compiled core and count UTF-8 offsets themselves; every match,
    group and empty match must be where Python's `re` finds it. (google-re2's own
    `finditer` is no reference: it repeats some empty matches.)"""
    import re

    from provlint.patterns import Pattern

    pattern, reference = Pattern(source), re.compile(source)
    ours = [(m.start, m.end, m.groups) for m in pattern.finditer(text)]
    theirs = [(m.start(), m.end(), m.groupdict()) for m in reference.finditer(text)]
    assert ours == theirs
    assert [(m.start, m.end) for m in [pattern.search(text)] if m] == [m.span() for m in [reference.search(text)] if m]
    assert bool(pattern.fullmatch(text)) == bool(reference.fullmatch(text))
    assert list(pattern.spans(text)) == [m.span() for m in reference.finditer(text)]


# Every pattern of the built-in block table and the blocks of the seed and fixture dumps:
# what a run's first classification tries its rows on.
ROW_SOURCES = sorted({entry.pattern.source for entry in [*RULESET.table.entries, *(row.content for row in RULESET.table.context)]
                      if entry.pattern is not None})
BLOCKS = sorted({block.strip() for text in CLEAN for block in text.split("\n\n") if block.strip()})
sketched_rows = st.sampled_from([source for source in ROW_SOURCES if "\\p" in source])


@given(sketched_rows, st.one_of(st.sampled_from(BLOCKS), st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
                                st.lists(st.sampled_from(["By ", "Par ", "Jane", "Doe", "МОСКВА", "| ", "—", "@", "12",
                                                          "2022", ":", " ", "Updated ", "Feb", "\n", "é", "мая"]),
                                         max_size=12).map("".join)))
def test_a_sketch_rules_out_only_texts_the_pattern_does_not_match(source, text):
    """A row a kept pack holds is not compiled while its sketch (each Unicode class widened
    to any character) says it cannot match: the pattern itself never matches there."""
    from provlint.patterns import Pattern, kept_pattern

    sketched, reference = Pattern(source), kept_pattern(source, "re2", [])
    sketched._known = "re2"  # as a kept pack gives it, before it is compiled
    reference.compile()
    if sketched.cannot_match(text, whole=True):
        assert reference.fullmatch(text) is None
    if sketched.cannot_match(text):
        assert reference.search(text) is None and list(reference.spans(text)) == []
    assert not sketched._compiled


def test_sketches_widen_only_unicode_classes():
    from provlint.patterns import sketch_of

    assert sketch_of("\\p{Lu}[\\p{L}\\p{Mn}'.-]*(?: \\pL+){1,3}") == "(?s:.)(?s:.)*(?: (?s:.)+){1,3}"
    assert sketch_of("[^\\p{Lu}\\s]x[]\\PN][[:alpha:]\\p{Greek}][a-z\\]]") == "(?s:.)x(?s:.)(?s:.)[a-z\\]]"
    assert sketch_of("(?i:by)\\s*\\p{^Greek}{2}") == "(?i:by)\\s*(?s:.){2}"
    assert sketch_of("[a-z]+\\\\p{L}") is None  # an escaped backslash, then letters: nothing to widen
    assert sketch_of("\\Q\\p{L}\\E") is None
    assert sketch_of("[\\p{L}") is None
    assert len(ROW_SOURCES) > 30 and all(sketch_of(source) is None or "\\p{" not in sketch_of(source)
                                         for source in ROW_SOURCES)


# Every pattern of the built-in pack and of what its checks build, and some whose case
# folds cross U+00FF (`(?i)k` takes the Kelvin sign, `(?i)\x{17f}` takes `s`).
PACK_SOURCES = sorted({*ROW_SOURCES, *(rule.pattern.source for rule in RULESET.rules if rule.pattern is not None),
                       *(pattern.source for pattern in _known_patterns()), *SAMPLE_PATTERNS,
                       "(?i)straße", "(?i)[a-z]+", "(?i)\\x{212a}", "(?i)[ſ]", "[a-ž]+", "(?i)[^a-ž]", "[\\x{2000}-\\x{206f}]",
                       "[^\\x00-\\x1f]+", "…|[.!?…]\\s+\\p{Lu}", "(?P<x>\\x{e9}|\\351)\\b"})
latin_pieces = st.lists(st.sampled_from([*"ab xy1éÉ€😀\n-.,:;!?'’“”„«»…–—kKsSſKÅåµμÿŸßẞıİ\x1a\t", "2022-02", "selon ", "Заявил ",
                                         "By ", "Jane Doe", "МОСКВА", "| ", "@", "Updated ", "AFP", "Strategic Culture",
                                         "https://x.com/a.jpg", "année.Les", "Certainly! Here's", "Voici une version"]),
                        max_size=14).map("".join)


@given(st.sampled_from(PACK_SOURCES), st.one_of(st.sampled_from(BLOCKS), latin_pieces,
                                                 st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)))
def test_a_latin_sketch_rules_out_only_texts_the_pattern_does_not_match(source, text):
    """The Latin-1 sketch (characters past U+00FF read as one placeholder) never rules out
    a text the pattern matches, and on a Latin-1 text without the placeholder it answers
    exactly as the pattern does."""
    from provlint.patterns import PLACEHOLDER, Pattern, _latin_core, _latin_text

    reference = Pattern(source)
    if reference.engine != "re2":
        return
    core, data = _latin_core(source), _latin_text(text)
    if core is False:
        return
    exact = text.isascii() or all(char <= "\u00ff" for char in text)
    for anchor, found in ((_re2.RE2.Anchor.UNANCHORED, reference.search(text)),
                          (_re2.RE2.Anchor.ANCHOR_BOTH, reference.fullmatch(text))):
        sketched = core.Match(anchor, data, 0, len(data))[0][0] >= 0
        if found is not None or (exact and PLACEHOLDER not in text):
            assert sketched == (found is not None), (anchor, found)


def test_latin_sketches_keep_latin1_and_take_the_placeholder_for_the_rest():
    from provlint.patterns import Pattern, latin_sketch_of

    # A Unicode property is written out as its Latin-1 members (RE2 would read its whole table).
    assert latin_sketch_of("\\p{Lu}é[.!?…]’") == "[\\x{41}-\\x{5a}\\x{c0}-\\x{d6}\\x{d8}-\\x{de}\x1a]é(?:[.!?]|\x1a)\x1a"
    assert latin_sketch_of("[\\p{L}\\p{Mn}'.-]\\P{Han}\\p{Han}") == (
        "(?:[\\x{41}-\\x{5a}\\x{61}-\\x{7a}\\x{aa}\\x{b5}\\x{ba}\\x{c0}-\\x{d6}\\x{d8}-\\x{f6}\\x{f8}-\\x{ff}'.-]|\x1a)"
        "[\\x{00}-\\x{ff}\x1a][\x1a]")
    assert latin_sketch_of("[а-яa-ž]+[^…]\\x{2026}") == "(?:[a-\\xff]|\x1a)+(?s:.)\x1a"
    assert latin_sketch_of("(?i)(?P<kind>ask)[a-z]") == "(?i)(?P<kind>a(?:s|\x1a)(?:k|\x1a))(?:[a-z]|\x1a)"
    assert latin_sketch_of("[a-z]\\d\\S") == "[a-z]\\d\\S"
    assert latin_sketch_of("(?i)\\p{Greek}") == "(?i)[\\x{b5}\x1a]"  # MICRO SIGN folds with GREEK SMALL MU
    assert latin_sketch_of("(?i)\\p{Ethiopic}") is None  # not known here: RE2 compiles it slowly for Latin-1
    assert latin_sketch_of("(?i)[ſ]") is None  # folds onto `s`
    assert latin_sketch_of("\\Qa\\E") is None
    kept = Pattern("\\p{Lu}x")
    kept._known = "re2"  # as a kept pack gives it
    assert kept.cannot_match("Éx ’y") is False and kept.cannot_match("ex ’y") is True
    assert kept.cannot_match("\ud800x") is False  # a lone surrogate: not for a sketch to say


@given(st.sampled_from(["L", "Lu", "Ll", "Lo", "Mn", "N", "Nd", "Cf", "Cc", "P", "S", "Z", "Zs", "Any", "Latin",
                        "Common", "Greek", "Cyrillic", "Han", "Hangul", "Thai"]),
       st.sampled_from(["\\p{%s}", "\\P{%s}", "\\p{^%s}", "[x\\p{%s}]", "[^\\p{%s}\\s]", "(?i)\\p{%s}",
                        "(?i)[^\\p{%s}\\s]", "(?i:\\P{%s})", "(?i:x)\\p{%s}", "(?i)(?-i:\\p{%s})", "((?i)x)\\p{%s}",
                        "(?i)(?P<g>\\p{%s})", "(?s:(?i:\\p{%s}))"]))
def test_a_latin_sketch_writes_a_property_out_as_re2_reads_it(name, form):
    """A property's Latin-1 members written out are the Latin-1 characters RE2's own
    property takes, for every one of the 256 (the placeholder taken as well): where case
    is ignored, those whose case folds have the property (`(?i)\\p{Lu}` takes `ÿ`, a fold
    of `Ÿ`, and `(?i)\\p{Greek}` takes `µ`, a fold of `μ`), and only there."""
    from provlint.patterns import _LATIN_OPTIONS, PLACEHOLDER, latin_sketch_of

    source = form.replace("%s", name)
    sketch = latin_sketch_of(source)
    assert sketch is not None and "\\p" not in sketch and "\\P" not in sketch
    # What the pattern takes is what RE2 reads in UTF-8 (for Latin-1, RE2 folds case within Latin-1 only).
    ours, theirs = _re2.RE2(sketch.encode("latin-1"), _LATIN_OPTIONS), _re2.RE2(source.encode(), _re2.RE2.Options())
    for code in range(0x100):
        text = ("x" if source.startswith(("(?i:x)", "((?i)x)")) else "") + chr(code)
        latin, utf8 = text.encode("latin-1"), text.encode("utf-8")
        matched = ours.Match(_re2.RE2.Anchor.ANCHOR_BOTH, latin, 0, len(latin))[0][0] >= 0
        if chr(code) == PLACEHOLDER:
            assert matched
        else:
            assert matched == (theirs.Match(_re2.RE2.Anchor.ANCHOR_BOTH, utf8, 0, len(utf8))[0][0] >= 0), hex(code)


@given(st.sampled_from(PACK_SOURCES), st.one_of(st.sampled_from(BLOCKS), latin_pieces,
                                                 st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)))
def test_an_uncompiled_pattern_answers_a_latin1_text_as_the_compiled_one(source, text):
    """A pattern a kept pack holds answers a Latin-1 text (without the placeholder) with
    its Latin-1 sketch, uncompiled: every match, group and offset as the compiled pattern
    gives them; other texts it answers compiled, the same."""
    from provlint.patterns import PLACEHOLDER, Pattern, _latin_core

    reference = Pattern(source)
    if reference.engine != "re2":
        return
    kept = Pattern(source)
    kept._known, kept._known_groups = "re2", reference.group_names  # as a kept pack gives it, not compiled

    def answers(pattern: Pattern) -> tuple:
        found, whole = pattern.search(text), pattern.fullmatch(text)
        return ([(m.start, m.end, m.text, m.groups, m.spans) for m in pattern.finditer(text)],
                found and (found.start, found.end, found.groups, found.spans),
                whole and (whole.start, whole.end, whole.groups, whole.spans),
                list(pattern.spans(text)), list(pattern.every_span(text)), pattern.occurs(text),
                [list(pattern.spans(text, name)) for name in reference.group_names])

    assert answers(kept) == answers(reference)
    if _latin_core(source) is not False and all(char <= "\u00ff" for char in text) and PLACEHOLDER not in text:
        assert not kept._compiled


SPACES = ["", " ", "  ", "\n", "\t", "\u00a0", "\u2009", "\r\n", "\u3000 "]
words = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=6),
                 max_size=8)


@given(words, st.lists(st.sampled_from(SPACES), min_size=18, max_size=18), st.text(max_size=8), st.text(max_size=8))
def test_duplicate_and_contains_fold_only_what_could_match(parts, spaces, before, after):
    """The duplicate and contains checks fold white space only in texts whose end words
    allow a match. That is exact only if folding never changes a text's end words, and a
    text folded inside another keeps its end words inside it: here any re-spacing of the
    same words, alone or inside other text."""
    from provlint.checks.base import end_words, fold_space
    from provlint.model import Document

    def fold(text: str) -> str:
        return fold_space(Document(path="dump.txt", text=text, lines=[]), text)

    text = " ".join(parts)
    between = [space or " " for space in spaces[1 : len(parts)]] + [""]  # words stay apart
    respaced = spaces[0] + "".join(word + space for word, space in zip(parts, between)) + spaces[-1]
    assert fold(respaced) == fold(text)
    assert end_words(respaced) == end_words(text)
    outer = fold(before + " " + respaced + " " + after)
    if fold(text):
        assert fold(text) in outer
        first, last = end_words(respaced)
        assert first in outer and last in outer
