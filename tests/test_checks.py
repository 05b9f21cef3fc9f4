"""What a rule's file fixture cannot say, through the real CLI.

The cases of each check kind are dumps in rules/cases/, listed under the rules they show
with every finding they give, column and message where those matter (`tests:` in
rules/*.yaml, run by `provlint test-rules` and in-process by tests/test_rule_examples.py).
Here: where findings end, rules a user writes, and files that are not dumps.
"""

from __future__ import annotations

from conftest import FIXTURES, REPO, provlint


def test_clean_cyrillic_dump_has_no_placeholder_or_timestamp_findings(lint):
    run = lint((FIXTURES / "ria_clean.txt").read_text(encoding="utf-8"))
    assert [f for f in run.findings() if f[2] != "info"] == []


def test_invisible_characters_are_inside_the_spans_of_the_text_as_written(tmp_path):
    # rules/cases/invisible-characters.txt: each XPath block hides one invisible character in
    # `html` and two in `head` (lines 15-25); the byline's URL hides one (line 35). A finding
    # spans the characters as written, invisible ones included (the fixture checks columns
    # and messages).
    case = REPO / "rules" / "cases" / "invisible-characters.txt"
    run = provlint("check", case, "--format", "json", "--no-cache", "--select", "PH001,AT009", cwd=tmp_path)
    assert [(f["line"], f["column"], f["end_line"], f["end_column"], f["rule"]) for f in run.json()["findings"]] == [
        *((line, column, line, end, "PH001") for line in range(15, 27, 2) for column, end in ((1, 46), (47, 97))),
        (35, 1, 35, 26, "AT009")]


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


def test_empty_binary_and_other_encodings(tmp_path):
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


def test_user_schemas_judged_from_the_fields_give_jsonschemas_findings(lint, seed_text, tmp_path):
    # The schema check tests the common keywords on the fields themselves and asks
    # jsonschema only about documents that fail there (or schemas with other keywords):
    # every user schema keeps jsonschema's findings and messages, valid or not.
    (tmp_path / "schemas.yaml").write_text("""rules:
  - {id: XS010, name: recent-copyright, category: schema, severity: warning, check: schema, message: "{error}",
     description: "What: a recent year.", schema: {properties: {copyright_year: {items: {type: integer, minimum: 2023}}}}}
  - {id: XS011, name: paris-offsets, category: schema, severity: warning, check: schema, message: "{error}",
     description: "What: Paris offsets.",
     schema: {$defs: {stamp: {items: {properties: {offset: {enum: ["+01:00", null]}, problem: {type: "null"}}}}},
              properties: {published: {$ref: "#/$defs/stamp"}, modified: {$ref: "#/$defs/stamp"}}}}
  - {id: XS012, name: not-paris, category: schema, severity: warning, check: schema, message: "{error}",
     description: "What: not Paris.", schema: {properties: {utc_offsets: {items: {not: {const: "+01:00"}}}}}}
  - {id: XS013, name: french-or-german, category: schema, severity: warning, check: schema, message: "{error}",
     description: "What: a locale.", schema: {properties: {locale: {items: {anyOf: [{pattern: "^fr"}, {pattern: "^de"}]}}}}}
  - {id: XS014, name: two-sections, category: schema, severity: warning, check: schema, message: "{error}",
     description: "What: sections.", schema: {properties: {section: {minItems: 2}}}}
  - {id: XS015, name: crawl-day, category: schema, severity: warning, check: schema, message: "{error}",
     description: "What: the crawl day.",
     schema: {properties: {crawl_date: {items: {type: string, maxLength: 10, pattern: "^2022-02-01$"}}}}}
  - {id: XS016, name: publisher-url, category: schema, severity: warning, check: schema, message: "{error}",
     description: "What: publisher.", schema: {properties: {publisher: {items: {required: [email, phone]}}}}}
""", encoding="utf-8")
    run = lint(seed_text, "--rules", "schemas.yaml", "--select", "XS")
    assert [(f["rule"], f["line"], f["message"]) for f in run.json()["findings"]] == [
        ("XS014", None, "['Actus'] is too short"),
        *(("XS012", line, "'+01:00' should not be valid under {'const': '+01:00'}") for line in (9, 11, 13)),
        ("XS010", 41, "2022 is less than the minimum of 2023"),
    ]


def test_shipped_schemas_are_judged_from_the_fields_and_other_keywords_by_jsonschema():
    from provlint.checks.schema import direct_test
    from provlint.ruleset import load_ruleset

    pack = load_ruleset()
    shipped = {rule.id: rule.prepared.valid for rule in pack.rules if rule.check == "schema"}
    assert sorted(shipped) == ["SC001", "TS001", "TS008", "TS010"]
    assert all(test is not None for test in shipped.values())
    assert direct_test({"properties": {"tags": {"uniqueItems": True}}}) is None
    assert direct_test({"$schema": "http://json-schema.org/draft-07/schema#", "properties": {}}) is None


def test_description_swallowing_the_body_is_found_through_folded_space_and_only_then(lint):
    # The contains check folds and looks for a body only when the description holds its
    # first and last words as written; folding still joins a body wrapped over lines.
    case = (REPO / "rules" / "cases" / "description-holds-body.txt").read_text(encoding="utf-8")
    body = ("The harbour authority announced on Sunday that the last two night crossings on the harbour line will be"
            " dropped from 1 June. Fewer than thirty passengers a night used them last winter, according to it")
    assert case.count(body) == 2
    head, description, tail = case.partition(body)
    wrapped = head + description + tail.replace(body, body.replace(" on the ", "\non  the "))
    changed = head + description + tail.replace(body, body.replace(" on Sunday ", " on Monday "))
    found = [[(f["rule"], f["line"]) for f in lint(text, "--select", "DU005").json()["findings"]]
             for text in (case, wrapped, changed)]
    assert found == [[("DU005", 5)], [("DU005", 5)], []]
