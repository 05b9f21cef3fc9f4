"""The rule passes' shortcuts (issue 20) answer exactly as the plain computation they spare.

Each shortcut skips work for most texts; these tests hold it to the plain way of doing
the same, on texts written to reach both sides of every shortcut and on hypothesis's.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provlint.checks.pattern import pack_screen
from provlint.lexicons import Lexicons
from provlint.ruleset import load_ruleset

settings.register_profile("shortcuts", max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))

RULESET = load_ruleset()
LEXICONS = RULESET.lexicons
_WORD = re.compile(r"\w+")
# Characters of every kind a guess or a quotation reads: Latin with its folds (ẞ, ſ, K),
# Cyrillic, CJK, the quotation marks, spaces and punctuation.
CHARACTERS = "aeilnorstu ÄäßẞſKkñ¿иыэъёіїєґ日本語。、«»‹›“”„\"'.,\n"
texts = st.text(st.sampled_from(CHARACTERS), max_size=200) | st.text(max_size=60)


def plain_guess(lexicons: Lexicons, text: str) -> str | None:
    """`Lexicons.guess` as it read before its shortcuts: every word looked up in every language."""
    sample = text[:5000].casefold()
    words = _WORD.findall(sample)
    if len(words) < 8:
        return None
    scores = sorted(((sum(w in lang.guess_words for w in words)
                      + sum(sample.count(letter) for letter in lang.guess_letters), code)
                     for code, lang in lexicons.languages.items()), reverse=True)
    if not scores or scores[0][0] < 3 or (len(scores) > 1 and scores[0][0] < 1.5 * scores[1][0]):
        return None
    return scores[0][1]


def user_lexicons() -> Lexicons:
    """The built-in lexicons and a user's Japanese one, whose guess words are CJK."""
    lexicons = Lexicons()
    for code, language in LEXICONS.languages.items():
        lexicons.extend({"lexicons": {code: {"guess": sorted(language.guess_words),
                                             "letters": language.guess_letters}}}, "built-in")
    lexicons.extend({"lexicons": {"ja": {"guess": ["日本", "語"], "letters": "。"}}}, "user")
    return lexicons


GUESSED = [
    "日本語の文章です。" * 20,
    "Le maire a dit que la ville est en colère et que les travaux sont pour la semaine prochaine.",
    "The mayor said that the city is angry and that the works are for the next week, in the end.",
    "Мэр сказал, что это был его выбор и что он уже решил, как быть после выборов и для кого.",
    "DIE STRASSE IST GESPERRT UND DER VERKEHR WIRD ÜBER DIE BRÜCKE UMGELEITET, SAGT DIE POLIZEI MIT NACHDRUCK.",
    "ſ K " * 10,
    "",
]


def test_guess_as_plain() -> None:
    for text in GUESSED:
        assert LEXICONS.guess(text) == plain_guess(LEXICONS, text), text
    japanese = user_lexicons()
    for text in GUESSED:
        assert japanese.guess(text) == plain_guess(japanese, text), text
    assert japanese.guess(GUESSED[0]) == "ja"


def test_guess_without_lexicons() -> None:
    assert Lexicons().guess(GUESSED[1]) is None


def test_guess_follows_extend() -> None:
    """A lexicon added after a guess is read by the next one."""
    lexicons = Lexicons()
    assert lexicons.guess(GUESSED[0]) is None
    lexicons.extend({"lexicons": {"ja": {"guess": ["日本語の文章です"]}}}, "user")
    assert lexicons.guess(GUESSED[0]) == "ja"


@settings(settings.get_profile("shortcuts"))
@given(texts)
def test_guess_as_plain_on_any_text(text: str) -> None:
    assert LEXICONS.guess(text) == plain_guess(LEXICONS, text)
    japanese = user_lexicons()
    assert japanese.guess(text) == plain_guess(japanese, text)


@settings(settings.get_profile("shortcuts"))
@given(texts, st.sampled_from(sorted(LEXICONS.languages)))
def test_quotation_marks_counted_as_plain(text: str, code: str) -> None:
    """`QuoteMarks.counts` (what `unbalanced` pairs) counts only the marks that occur: the
    same counts as counting every mark."""
    marks = LEXICONS.quote_marks(LEXICONS.languages[code])
    assert marks.counts(text) == {mark: text.count(mark) for mark in marks.marks}


SCREEN_TEXTS = ["Lorem ipsum dolor", "{{ headline }}", "Ce texte\u00a0est «cité».", "Текст [+1234 chars]",
                "hidden\u200bmark", "x" * 450, "Body " * 120 + "l'année.Les dirigeants", "", "undefined"]


@settings(settings.get_profile("shortcuts"))
@given(st.lists(st.sampled_from(SCREEN_TEXTS) | texts, max_size=8))
def test_joined_hits_as_joined_text(blocks: list[str]) -> None:
    """The screen's match over the blocks' own bytes joined is its match of the joined text."""
    screen = pack_screen(RULESET).get()
    joined = "\n\n".join(blocks)
    assert screen.joined_hits(blocks) == (screen.hits(joined), joined.isascii())
