"""The words a body's MinHash reads: always `re.findall(r"\\w+", text.casefold())`,
whichever way `_spaced` finds them (a one-byte codec's table, or UTF-8 words found
without casefolding the text)."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from provlint.checks.corpus import _CODECS, _FOLD_MOVES_WORDS, _folds_words_apart, _spaced, minhash


def words(text: str) -> list[str]:
    """The words `_spaced` gives, as text: each casefolded when decoded, as `_word_hash` does."""
    spaced, codec = _spaced(text)
    return [word.decode(_CODECS[codec], "surrogatepass").casefold() for word in spaced.split(b" ") if word]


def expected(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def test_the_characters_whose_casefold_crosses_a_word_boundary_are_those_pinned():
    """`_FOLD_MOVES_WORDS` is every character that casefolds to a character on the other
    side of `\\w` than itself, in this Python's Unicode; and casefolding twice is
    casefolding once (the words of UTF-8 text are casefolded only when first met)."""
    word = re.compile(r"\w")
    moves = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        folded = char.casefold()
        assert folded.casefold() == folded
        if any(bool(word.match(part)) != bool(word.match(char)) for part in folded):
            moves.append(char)
    if unicodedata.unidata_version == "14.0.0":
        assert "".join(moves) == _FOLD_MOVES_WORDS
    else:  # not the Unicode the list is for: every such text is casefolded whole
        assert _folds_words_apart("plain text", b"plain text ")


# Letters whose casefold is longer, not of the encodings' tables, a mark that folds to a
# letter, letters that casefold to a letter and a mark, fullwidth letters and digits, marks
# between words and within them, scripts with and without spaces.
PIECES = ["ß", "ẞ", "µ", "İ", "ı", "i", "I", "ς", "Σ", "σ", "ΐ", "ΰ", "ǰ", "ẖ", "ῷ", "\u0345", "\u0307", "\u0301",
          "Ａ", "ｚ", "０", "Ǆ", "ǅ", "ﬁ", "Ⅻ", "ⓐ", "Ⓐ", "_", "'", "’", "«", "»", "—", "…", "№", "。", "、", "「",
          "\u00a0", "\u3000", "\t", "\n", " ", "  ", ".", ",", "-", "€", "½", "²", "٣", "\udc80",
          "İstanbul", "ıslak", "Straße", "ΣΟΦΊΑ ς", "Москва", "Ёлка", "ЇЖАК", "L’ŒUVRE", "éte",
          "政府は月曜日に法案を承認した", "費用は43億円", "مرحبا", "שלום", "नमस्ते", "ภาษาไทย", "한국어", "Ａｂｃ１２"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40))
def test_the_words_are_those_of_the_regular_expression_over_the_casefolded_text(pieces):
    text = "".join(pieces)
    assert words(text) == expected(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30), st.sampled_from(["", " ", "。"]))
def test_the_minhash_of_mixed_scripts_is_that_of_the_casefolded_text(pieces, between):
    """Words found without casefolding give the values of the words of the casefolded text."""
    text = between.join(pieces)
    folded = " ".join(expected(text))
    assert minhash(text, 1) == minhash(folded, 1)
    assert minhash(text, 3) == minhash(folded, 3)


def first_codec(text: str) -> str:
    for codec in _CODECS[:-1]:
        try:
            text.encode(codec)
        except UnicodeEncodeError:
            continue
        return codec
    return _CODECS[-1]


def test_the_codec_is_the_first_that_encodes_the_text():
    """Skipping the codecs that cannot encode the character the one before failed at
    chooses what trying each in turn chose."""
    texts = ["plain", "Télé", "Москва", "L’été", "L’œuvre «x»", "“Москва”", "Москва é", "東京", "ıx", "€ Жx",
             "’’ Ж", "é ’", "\udc80 x", "x \udc80", "Ж \udc80", "İstanbul", ""]
    assert [_CODECS[_spaced(text)[1]] for text in texts] == [first_codec(text) for text in texts]
