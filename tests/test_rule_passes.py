"""The shortcuts of the rule passes (one screen for all pattern rules, spans made in one
loop, messages formatted from a parsed template, time gaps without a trip through UTC)
find exactly what the plain ways find: user rules through the real CLI, matching through
the public pattern functions."""

from __future__ import annotations

import regex

from conftest import SEED, provlint
from provlint.patterns import compile_pattern

TEXT = "Ça «dit» — Ὅμηρος: «x»\nи «ещё» ok"


def test_every_span_is_each_match_in_characters_as_the_lazy_spans_give_it():
    # Non-ASCII text (byte offsets become characters), a group that takes part, one that
    # may not (its match's span then), and empty matches (the next starts a character later).
    cases = [(r"«(?P<q>[^»]*)»", "q"), (r"(?P<w>\p{Lu})?\p{Ll}+", "w"), (r"\s*", None), (r"x*", None), (r"(?m)^", None)]
    for source, group in cases:
        pattern = compile_pattern(source)
        spans = list(pattern.every_span(TEXT, group))
        assert spans == list(pattern.spans(TEXT, group)), source
        expected = [found.span(group) if group and found.span(group)[0] >= 0 else found.span()
                    for found in regex.finditer(source, TEXT, regex.VERSION1)]
        assert spans == expected, source
    assert list(compile_pattern(r"«(?P<q>[^»]*)»").every_span(TEXT, "q")) == [(4, 7), (20, 21), (26, 29)]


def test_user_pattern_rules_on_one_text_each_report_past_invisible_characters(tmp_path):
    # Two user rules match the same block: the pack's screen holds the first; the second
    # (`\A`) cannot be screened on joined blocks, so it runs first of the pass, before the
    # screen has said whether the document holds format characters, and must still match
    # the block's visible text. Messages: plain fields, escaped braces, and a conversion
    # (formatted the long way).
    (tmp_path / "mine.yaml").write_text(r"""rules:
  - {id: XP002, name: curly-start, category: placeholder, severity: warning, check: pattern, target: blocks,
     pattern: '\A\{\{', message: "starts with {match!r}", description: "What: a. Why: b. How to fix: c."}
  - {id: XP001, name: curly, category: placeholder, severity: warning, check: pattern, target: blocks,
     pattern: '\{\{\w+\}\}', message: "placeholder {match} ({{literal}}) in {kind}",
     description: "What: a. Why: b. How to fix: c."}
""", encoding="utf-8")
    text = SEED.read_text(encoding="utf-8").rstrip("\n") + "\n\n\u200b{{name}} stays\n"
    (tmp_path / "dump.txt").write_text(text, encoding="utf-8")
    line = text.count("\n")
    run = provlint("check", "dump.txt", "--rules", "mine.yaml", "--select", "XP", "--format", "json", "--no-cache",
                   cwd=tmp_path)
    assert [(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"], f["message"])
            for f in run.json()["findings"]] == [
        ("XP001", line, 2, line, 10, "placeholder {{name}} ({literal}) in text"),
        ("XP002", line, 2, line, 4, "starts with '{{'"),
    ]


def test_order_reads_each_fixed_offset_of_two_aware_times(tmp_path):
    # Published 10:00 at +05:00 is 05:00 UTC: modified 06:00 UTC is after it (a gap of
    # wall clocks alone would put it four hours before), 04:00 UTC an hour before.
    def dump(modified: str) -> str:
        return "\n\n".join([" date 2019-11 https://example.com/2019/11/19/story.html", "A headline long enough to be one",
                            "2019-11-20T10:00:00+05:00", "2019-11-20T10:00:00+05:00", modified]) + "\n"

    found = []
    for modified in ("2019-11-20T06:00:00+00:00", "2019-11-20T04:00:00Z"):
        (tmp_path / "d.txt").write_text(dump(modified), encoding="utf-8")
        run = provlint("check", "d.txt", "--format", "json", "--select", "TS003,TS011", "--no-cache", cwd=tmp_path)
        found.append([(f["line"], f["rule"]) for f in run.json()["findings"]])
    assert found == [[], [(9, "TS011")]]


def test_duplicate_rules_share_the_groups_of_blocks_and_each_reads_its_own(tmp_path):
    # The blocks are grouped by end words once for both rules: the title rule sees only
    # the titles (two, spaced differently), the other rule every block of 20 characters
    # or more (the short block, three times, is below it; the titles, twice, within `max`).
    (tmp_path / "dup.yaml").write_text("""rules:
  - {id: XD001, name: title-twice, category: duplicate, severity: warning, check: duplicate, target: [title], max: 1,
     message: "{kind} repeated {count} times (lines {lines})", description: "What: a. Why: b. How to fix: c."}
  - {id: XD002, name: text-thrice, category: duplicate, severity: warning, check: duplicate, target: blocks, max: 2,
     min_length: 20, message: "{kind} repeated {count} times (lines {lines})", description: "What: a. Why: b. How to fix: c."}
""", encoding="utf-8")
    paragraph = "The minister spoke on Monday in Moscow about the talks."
    blocks = [" date 2019-11 https://example.com/2019/11/19/story.html", "A headline  long enough to be one",
              "A headline long enough to be one", paragraph, paragraph.replace(" in Moscow", "\nin Moscow"), paragraph,
              "Short one", "Short one", "Short one"]
    (tmp_path / "dup.txt").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    run = provlint("check", "dup.txt", "--rules", "dup.yaml", "--select", "XD", "--format", "json", "--no-cache",
                   cwd=tmp_path)
    assert [(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"], f["message"])
            for f in run.json()["findings"]] == [
        ("XD001", 5, 1, 5, 33, "title repeated 2 times (lines 3, 5)"),
        ("XD002", 12, 1, 12, 56, "description repeated 3 times (lines 7, 9, 12)"),
    ]


def test_phrases_credit_and_source_links_are_screened_with_the_pattern_rules_once_per_document(lint):
    # The phrases (PH006), credit (PV004) and source-link (PV003) patterns join the pattern
    # rules' one screen of the blocks: a document it rules out is not scanned block by
    # block. With a format character in a block the screen reads the blocks without it,
    # and cannot rule a pattern out.
    from provlint.readers import read_texts
    from provlint.ruleset import load_ruleset

    pack = load_ruleset()
    by_id = {rule.id: rule for rule in pack.rules}
    screen = by_id["PH001"].prepared.screen
    assert by_id["PH006"].prepared.pack_screen is screen
    assert by_id["PV004"].prepared.pack_screen is screen
    assert by_id["PV003"].prepared.pack_screen is screen
    phrase, outlet, link = by_id["PH006"].prepared.pattern, by_id["PV004"].prepared.screen, by_id["PV003"].prepared.source_link
    head = " date 2024-07 https://www.news-today.example.org/world/x.html\n\n"
    plain = "The ministry said on Monday that the talks would resume in the autumn. Officials declined to comment.\n"
    credited = ("Certainly! Here's a rewritten version of the article. The ministry said on Monday that the talks would "
                "resume in the autumn, according to RT. Officials declined to comment on the date. No statement was "
                "issued. Source: https://www.rt.com/news/1-talks/\n")

    def document(text):
        return read_texts("dump.txt", head + text, pack.table, "auto")[0]

    assert [screen.may_occur(pattern, document(plain)) for pattern in (phrase, outlet, link)] == [False, False, False]
    assert [screen.may_occur(pattern, document(credited)) for pattern in (phrase, outlet, link)] == [True, True, True]
    hidden = document(plain + "\nA note\u200b.\n")
    assert [screen.may_occur(pattern, hidden) for pattern in (phrase, outlet, link)] == [True, True, True]
    for body in (credited, credited + "\nA note\u200b.\n"):
        run = lint(head + body, "--select", "PH006,PV004,PV003", "--no-cache")
        assert [(f["rule"], f["line"], f["column"]) for f in run.json()["findings"]] == [
            ("PH006", 3, 1), ("PV004", 3, 126), ("PV003", 3, 219)]



def test_lookalike_reads_the_private_suffix_of_any_url(lint):
    # bild.eu.com: eu.com is a private suffix, so the name is `bild` (PV005). A plain
    # host is looked up as it stands, in any case and with a trailing dot; a URL with
    # user info or a port is read the long way, alike.
    for url in ("https://bild.eu.com/x.html", "https://BILD.eu.com./x.html", "http://user@bild.eu.com/x.html",
                "https://bild.eu.com:8080/x.html", "//bild.eu.com"):
        run = lint(f" date 2024-07 {url}\n\nA headline long enough to be one\n", "--select", "PV005", "--no-cache")
        assert [(f["rule"], f["line"], f["message"]) for f in run.json()["findings"]] == [
            ("PV005", 1, "bild.eu.com looks like Bild (bild.de): its name under another suffix")], url


def test_vague_cues_of_a_users_language_are_screened_with_the_blocks(tmp_path):
    # A user's lexicon adds a language: its vague cues join the pack's screen of the
    # blocks, so a body holding one is still scanned (AT006), a cue in the title alone
    # says nothing of the body, and a JSON body (no block of the dump's) is scanned as before.
    (tmp_path / "mine.yaml").write_text("""lexicons:
  xx:
    reporting: [quoth]
    vague: [word on the street]
""", encoding="utf-8")
    head = " date 2024-07 https://www.news-today.example.org/world/x.html\n\n"
    said = "The deal is close, word on the street has it. The minister quoth a meeting. Markets rose."
    cases = {
        "cue.txt": head + "xx_XX\n\n" + said + "\n",
        "title.txt": head + "Word on the street: a deal\n\nxx_XX\n\nThe deal is close. The minister quoth a meeting.\n",
        "record.json": '{"url": "https://example.org/x", "inLanguage": "xx", "headline": "A deal", "articleBody": "'
                       + said + '"}',
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = provlint("check", *cases, "--rules", str(tmp_path), "--select", "AT006", "--format", "json", "--no-cache",
                   cwd=tmp_path)
    assert [(f["path"], f["rule"], f["line"], f["column"], f["message"]) for f in run.json()["findings"]] == [
        ("cue.txt", "AT006", 5, 20, "vague source (xx): 'word on the street'"),
        ("record.json", "AT006", 1, 111, "vague source (xx): 'word on the street'")]
