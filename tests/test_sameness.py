"""The words two titles are compared by (provlint.sameness)."""

from __future__ import annotations

from provlint.sameness import content_words, title_key


def test_content_words_pair_the_characters_of_scripts_written_without_spaces():
    # Thai and CJK words give their character pairs (a Thai vowel sign is no word character:
    # `ประชุม` is two words, the second of one character); Latin and Cyrillic words of four
    # characters or more their first six.
    assert content_words("Budgets passed: совет одобрил 東京都 ประชุม, 2024 vote") == {
        "budget", "passed", "совет", "одобри", "東京", "京都", "ปร", "ระ", "ะช", "ม", "2024", "vote"}


def test_a_title_with_a_character_reference_reads_as_its_character():
    assert title_key("Council &amp; mayor agree &#8211; Example News", ("Example News",)) == title_key(
        "Council & mayor agree – Example News", ("Example News",))


def test_a_title_escaped_twice_over_is_the_same_title():
    # ok.co.uk (newspaper4k ok.co.uk1.html): og:title `Sean Penn &amp;amp;#039;proposes…`
    # (read by the HTML parser as `&amp;#039;`) beside twitter:title `Sean Penn &#039;proposes…`.
    assert title_key("Sean Penn &amp;#039;proposes to Charlize Theron&amp;#039;") == title_key(
        "Sean Penn 'proposes to Charlize Theron'")
    assert title_key("Fish &amp;amp; chips") == title_key("Fish & chips")
