"""Every check kind, through the real CLI and the built-in YAML rules, on real dump text.

Each case edits the seed dump the way a broken scraper would, in several layouts
(CRLF, BOM, no header, shuffled blocks, Cyrillic), and asserts the exact findings of
the rule under test: (line, rule, severity).
"""

from __future__ import annotations

import random

import pytest

from conftest import FIXTURES

PUBLISHER = "Sputnik France feedback.fr@sputniknews.com +74956456601 MIA „Rosiya Segodnya“ 252 60"
AUTHOR = ("Irina Tarassova https://cdnnfr1.img.sputniknews.com/img/103489/56/1034895676_0:0:605:604_100x100"
          "_80_0_0_11351d894eebce89dcfdcf2c87236147.jpg")


def blocks(text: str) -> list[str]:
    return text.split("\n\n")


def replace_block(text: str, index: int, new: str) -> str:
    parts = blocks(text)
    parts[index] = new
    return "\n\n".join(parts)


def drop(text: str, value: str) -> str:
    return "\n\n".join(b for b in blocks(text) if b != value)


def only(run, rule: str):
    return [f for f in run.findings() if f[1] == rule]


# -- pattern -------------------------------------------------------------------------

def test_pattern_xpath_on_crlf_bom(lint, seed_text):
    run = lint("\ufeff" + seed_text, "--select", "PH001", newline="\r\n")
    assert run.findings() == [(27, "PH001", "error"), (27, "PH001", "error")]
    columns = [f["column"] for f in run.json()["findings"]]
    assert columns == [1, 44]


def test_pattern_template_variable_in_cyrillic_dump(lint):
    text = (FIXTURES / "ria_clean.txt").read_text(encoding="utf-8")
    text = replace_block(text, 2, "{{ article.description }}")
    assert only(lint(text), "PH002") == [(5, "PH002", "error")]


@pytest.mark.parametrize("literal, flagged", [("undefined", True), ("NaN", True), ("[Removed]", True),
                                              ("Nan", False), ("none", False)])
def test_pattern_empty_literal_is_whole_block_and_case_sensitive(lint, seed_text, literal, flagged):
    text = replace_block(seed_text, 23, literal)  # the section block, line 47
    assert only(lint(text), "PH004") == ([(47, "PH004", "error")] if flagged else [])


def test_clean_cyrillic_dump_has_no_placeholder_or_timestamp_findings(lint):
    run = lint((FIXTURES / "ria_clean.txt").read_text(encoding="utf-8"))
    assert [f for f in run.findings() if f[2] != "info"] == []


XPATHS = "/html/head/meta[@name='og:title']/@content /html/head/meta[@name='og:description']/@content"


@pytest.mark.parametrize("invisible, name", [
    ("\u200b", "ZERO WIDTH SPACE"), ("\u200c", "ZERO WIDTH NON-JOINER"), ("\u200d", "ZERO WIDTH JOINER"),
    ("\u2060", "WORD JOINER"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"), ("\u00ad", "SOFT HYPHEN")])
def test_invisible_characters_do_not_hide_a_placeholder(lint, seed_text, invisible, name):
    # Inside `html` and `head`, where the pattern needs the letters together: found, at
    # the columns of the text as written, and the message names what hid it.
    hidden = XPATHS.replace("/html/", f"/ht{invisible}ml/", 1).replace("/head/", f"/he{invisible}{invisible}ad/", 2)
    run = lint(replace_block(seed_text, 13, hidden), "--select", "PH001")
    second = hidden.index(" /ht") + 2
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in run.json()["findings"]] == [
        (27, 1, 27, second - 1), (27, second, 27, len(hidden) + 1)]
    code = f"U+{ord(invisible):04X}"
    assert [f["message"] for f in run.json()["findings"]] == [
        f"unresolved XPath placeholder {hidden[:second - 2]!r} (hidden by invisible {code} {name})",
        f"unresolved XPath placeholder {hidden[second - 1:]!r} (hidden by invisible {code} {name})"]


def test_invisible_characters_do_not_hide_other_patterns(lint, seed_text):
    text = replace_block(seed_text, 13, "Publié par {\u200b{ author.name }}")
    text = replace_block(text, 15, blocks(text)[15].replace("de l'année.", "de l'ann\u00e9e\u200b.\u200d"))
    run = lint(text, "--select", "PH002,TX001")
    assert [(f["line"], f["column"], f["rule"]) for f in run.json()["findings"]] == [
        (27, 12, "PH002"), (31, 436, "TX001"), (31, 606, "TX001"), (31, 731, "TX001"), (31, 755, "TX001"),
        (31, 941, "TX001")]
    assert [f["message"] for f in run.json()["findings"][:2]] == [
        "unresolved template variable '{\\u200b{ author.name }}' (hidden by invisible U+200B ZERO WIDTH SPACE)",
        "sentences glued together at 'année\\u200b.\\u200dLes': a paragraph break was lost (hidden by invisible "
        "U+200B ZERO WIDTH SPACE, U+200D ZERO WIDTH JOINER)"]


def test_invisible_characters_do_not_hide_a_field_pattern(lint, seed_text):
    byline = "htt\u200bps://twitter.com/jdoe https://cdn.example.com/img/avatar.jpg"
    run = lint(seed_text.replace(AUTHOR, byline), "--select", "AT009")
    assert [(f["line"], f["column"], f["end_column"], f["message"]) for f in run.json()["findings"]][:1] == [
        (43, 1, 26, "author 'htt\\u200bps://twitter.com/jdoe' is a URL, not a name (hidden by invisible U+200B "
                    "ZERO WIDTH SPACE)")]


# -- required ------------------------------------------------------------------------

def test_required_publisher_missing(lint, seed_text):
    run = lint(drop(seed_text, PUBLISHER))
    assert only(run, "AT001") == [(None, "AT001", "info")]


def test_required_author_missing_without_header(lint, seed_text):
    text = drop(seed_text, AUTHOR).split("\n", 2)[2]
    run = lint(text)
    assert only(run, "AT002") == [(None, "AT002", "info")]
    assert only(run, "AT001") == []


# -- duplicate -----------------------------------------------------------------------

def test_duplicate_long_block_three_times(lint, seed_text):
    description = blocks(seed_text)[3]
    parts = blocks(seed_text)
    parts[3:4] = [description] * 3
    run = lint("\n\n".join(parts))
    assert only(run, "DU004") == [(11, "DU004", "warning")]
    assert "lines 7, 9, 11" in [f for f in run.json()["findings"] if f["rule"] == "DU004"][0]["message"]


def test_duplicate_repeats_twice_are_not_warnings(lint, seed_text):
    assert only(lint(seed_text), "DU004") == []


# -- conflict ------------------------------------------------------------------------

def test_conflicting_titles(lint, seed_text):
    text = replace_block(seed_text, 2, "Hawks arrest Rwandan fugitive Fulgence Kayishema in Paarl")
    assert only(lint(text), "DU002") == [(5, "DU002", "error")]


def test_conflicting_published_values_after_timezone_normalisation(lint, seed_text):
    parts = blocks(seed_text)
    same_instant = parts[:6] + ["2022-02-21T07:57Z"] + parts[6:]
    assert only(lint("\n\n".join(same_instant)), "DU003") == []
    other_instant = parts[:6] + ["2022-02-15T07:57+0100"] + parts[6:]
    assert only(lint("\n\n".join(other_instant)), "DU003") == [(13, "DU003", "error")]


# -- order ---------------------------------------------------------------------------

def test_modified_days_before_published(lint, seed_text):
    text = replace_block(seed_text, 6, "2022-02-18T09:41+0100")
    assert only(lint(text), "TS003") == [(13, "TS003", "error")]
    assert only(lint(text), "TS011") == []


def test_modified_hours_before_published_is_the_lesser_rule(lint, seed_text):
    # 23 hours: a scheduled post edited the day before it went out.
    text = replace_block(seed_text, 6, "2022-02-20T09:41+0100")
    run = lint(text)
    assert only(run, "TS003") == [] and only(run, "TS011") == [(13, "TS011", "info")]


def test_created_after_published_in_shuffled_dump(lint, seed_text):
    text = replace_block(seed_text, 4, "2022-02-21T10:57+0100")
    parts = blocks(text)
    stamps = [p for p in parts if p.startswith("2022-02-")]
    others = [p for p in parts if not p.startswith("2022-02-")]
    random.Random(1).shuffle(others)
    shuffled = others[:10] + stamps + others[10:]  # timestamps keep their relative order
    run = lint("\n\n".join(shuffled))
    assert only(run, "TS002") == [(21, "TS002", "warning")]


# -- agree ---------------------------------------------------------------------------

def test_published_far_from_url_date(lint, seed_text):
    text = seed_text.replace("2022-02-21T08:57+0100", "2022-02-06T08:57+0100")
    assert only(lint(text), "TS004") == [(11, "TS004", "error")]


def test_utc_value_one_day_off_the_url_date_is_tolerated(lint, seed_text):
    text = seed_text.replace("2022-02-21T08:57+0100", "2022-02-20T22:30Z").replace(
        "2022-02-21T09:41+0100", "2022-02-20T23:30Z")
    run = lint(text)
    assert only(run, "TS004") == [] and only(run, "TS006") == []


def test_dateline_disagrees_with_published(lint, seed_text):
    text = seed_text.replace("21.02.2022, Sputnik France", "15.01.2022, Sputnik France")
    run = lint(text)
    assert only(run, "TS006") == [(7, "TS006", "error")]
    assert [f["column"] for f in run.json()["findings"] if f["rule"] == "TS006"] == [159]


def test_publisher_of_another_outlet(lint, seed_text):
    text = seed_text.replace(PUBLISHER, "Reuters https://www.reuters.com/")
    assert only(lint(text), "AT003") == [(39, "AT003", "warning"), (51, "AT003", "warning"), (59, "AT003", "warning")]


# -- range ---------------------------------------------------------------------------

def test_published_after_crawl_month(lint, seed_text):
    text = seed_text.replace(" date 2022-02 ", " date 2022-01 ")
    assert only(lint(text), "TS005") == [(11, "TS005", "error")]


def test_epoch_published(lint, seed_text):
    text = replace_block(seed_text, 5, "1970-01-01T00:00:00Z")
    assert only(lint(text), "TS007") == [(11, "TS007", "error")]


# -- schema --------------------------------------------------------------------------

def test_impossible_date(lint, seed_text):
    text = replace_block(seed_text, 5, "2022-02-30T08:57+0100")
    run = lint(text)
    assert only(run, "TS001") == [(11, "TS001", "error")]
    [message] = [f["message"] for f in run.json()["findings"] if f["rule"] == "TS001"]
    assert message == "published timestamp '2022-02-30T08:57+0100' is not a real date: day is out of range for month"


def test_offset_problems(lint, seed_text):
    text = replace_block(seed_text, 6, "2022-02-21T09:41")
    assert only(lint(text), "TS008") == [(13, "TS008", "info")]
    text = replace_block(seed_text, 6, "2022-02-21T09:41+0107")
    run = lint(text)
    assert only(run, "TS010") == [(13, "TS010", "warning")] and only(run, "TS008") == []


def test_malformed_field_value(lint, seed_text):
    text = replace_block(seed_text, 20, "1875")
    assert only(lint(text), "SC001") == [(41, "SC001", "warning")]


def test_user_schemas_see_the_fields_they_name_and_required_sees_all(lint, seed_text, tmp_path):
    # A schema that names its properties is given only those fields; one with `required`
    # (or any keyword about other properties) is given every field.
    (tmp_path / "schemas.yaml").write_text("""rules:
  - {id: XS001, name: short-title, category: schema, severity: warning, check: schema,
     message: "{error}", description: "What: a short title.",
     schema: {properties: {title: {items: {maxLength: 60}}}}}
  - {id: XS002, name: has-summary, category: schema, severity: warning, check: schema,
     message: "{error}", description: "What: a summary field.",
     schema: {required: [keywords, summary]}}
  - {id: XS003, name: has-keywords, category: schema, severity: warning, check: schema,
     message: "{error}", description: "What: keywords.",
     schema: {required: [keywords, body]}}
""", encoding="utf-8")
    run = lint(seed_text, "--rules", "schemas.yaml", "--select", "XS")
    assert [(f["rule"], f["line"], f["message"]) for f in run.json()["findings"]] == [
        ("XS002", None, "'summary' is a required property"),
        ("XS001", 3, "'Entretien Macron-Poutine dimanche soir: le Kremlin révèle des détails' is too long"),
        ("XS001", 5, "'Entretien Macron-Poutine dimanche soir: le Kremlin révèle des détails' is too long"),
    ]


# -- contains ------------------------------------------------------------------------

def test_description_swallows_body(lint, seed_text):
    body = blocks(seed_text)[15]
    text = replace_block(seed_text, 3, body + " 21.02.2022, Sputnik France")
    assert only(lint(text), "DU005") == [(7, "DU005", "warning")]


# -- input ---------------------------------------------------------------------------

def test_empty_binary_and_other_encodings(tmp_path):
    from conftest import provlint

    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\x00\x00\x00\x0dIHDR")
    (tmp_path / "cp1251.txt").write_bytes(
        (FIXTURES / "ria_clean.txt").read_text(encoding="utf-8").encode("cp1251", "replace"))
    run = provlint("check", tmp_path, "--format", "json", cwd=tmp_path)
    by_file = {}
    for finding in run.json()["findings"]:
        by_file.setdefault(finding["path"], []).append((finding["rule"], finding["severity"]))
    assert by_file["empty.txt"] == [("IN001", "warning")]
    assert by_file["blob.txt"] == [("IN002", "error")]
    assert ("IN004", "warning") in by_file["cp1251.txt"]
    assert run.json()["files_checked"] == 3
