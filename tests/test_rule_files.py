"""Rule files that load but are wrong: misspelt names are errors at file:line:col, rules
without examples are noted, examples come in the shape a rule targets, a description is
optional, and every rule carries a summary and a link to its reference section."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema

from conftest import FIXTURES, REPO, SEED, provlint
from provlint import ruleschema
from provlint.checks import FIELD_OPTIONS, MODULES, OPTIONS, VALUES
from provlint.readers import read_path
from provlint.readers.fields import field_names
from provlint.ruleset import RULE_KEYS, load_ruleset

HEAD = "category: {category}\nseverity: warning\n"

MISSPELT = """\
rules:
  - id: PH901
    name: todo-marker
    category: placeholder
    severity: warning
    message: "TODO left: {matchh}"
    check: pattern
    target: [body]
    pattern: 'TODO'
    min_vague: 2
  - id: TS901
    name: modified-first
    category: timestamp
    severity: warning
    message: "modified before published (line {before_line})"
    check: order
    before: publishd
    after: modified
  - id: AT901
    name: no-credit
    category: attribution
    severity: info
    message: "{field} missing"
    check: required
    fields: [[authors, lables]]
  - id: TS902
    name: before-the-web
    category: timestamp
    severity: info
    message: "{field} {value} before {bound}"
    check: range
    field: published
    not_before: '1990-01-01'
    not_after: crawl_date
"""


def test_misspelt_names_are_reported_together_at_their_place(tmp_path):
    """A placeholder, a field name and another kind's option, each misspelt, load
    silently on the old loader; now each is an error at its line and column, with a
    did-you-mean, together with an unrelated schema error and an invalid pattern in
    another file of the same pack (not stage by stage), and the run exits 2."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "a.yaml").write_text(MISSPELT, encoding="utf-8")
    (pack / "b.yaml").write_text(
        "id: TX901\nname: broken\ncategory: txt\nseverity: warning\nmessage: '{match}'\ncheck: pattern\n"
        "target: blocks\npattern: 'a(b'\n", encoding="utf-8")
    run = provlint("check", SEED, "--rules", "pack", cwd=tmp_path)
    assert run.code == 2
    errors = [line for line in run.err.splitlines() if line.startswith("error: ")]
    assert errors == [
        "error: pack/a.yaml:6:26: PH901: message: unknown placeholder {matchh}; did you mean {match}? "
        "(check pattern gives {match}, {kind})",
        "error: pack/a.yaml:10:5: PH901: unknown key 'min_vague' for check pattern (an option of attribution); "
        "pattern takes pattern, target, fields, unique, residue",
        "error: pack/a.yaml:17:13: TS901: unknown field 'publishd' in before; did you mean 'published'?",
        "error: pack/a.yaml:25:24: AT901: unknown field 'lables' in fields; did you mean 'labels'?",
        "error: pack/b.yaml:3:11: TX901: category: 'txt' is not one of timestamp, duplicate, placeholder, "
        "attribution, provenance, schema, text, input (a pack declares its own under `categories:`); "
        "did you mean 'text'?",
        "error: pack/b.yaml:8:10: TX901: invalid regular expression: missing )",
    ], run.err
    assert run.err.rstrip().endswith("provlint: 6 problems in rule files; nothing was checked")


def test_fields_of_a_users_block_table_are_known(tmp_path):
    """A field a user's block kind fills (a named group) may be named by a rule; a date
    in `not_after` is a date, not a field."""
    (tmp_path / "kinds.yaml").write_text(
        "block_kinds:\n  - kind: edition\n    max_lines: 1\n    pattern: 'Edition (?P<edition>\\d+)'\n",
        encoding="utf-8")
    (tmp_path / "rule.yaml").write_text(
        "id: TX903\nname: edition-zero\n" + HEAD.format(category="text") +
        "message: 'edition {match}'\ncheck: pattern\nfields: [edition]\npattern: '^0$'\n"
        "examples:\n  fail: [\"A title long enough\\n\\nEdition 0\"]\n  pass: [\"A title long enough\\n\\nEdition 7\"]\n",
        encoding="utf-8")
    run = provlint("test-rules", "kinds.yaml", "rule.yaml", cwd=tmp_path)
    assert (run.code, run.out.splitlines()[-1]) == (0, "2 passed, 0 failed (1 rule)"), run.out + run.err


def test_builtin_rules_pass_every_loader_check():
    """Run time skips checking provlint's own rule files; this is where they are checked."""
    assert load_ruleset(validate_builtin=True).rules


def _is_options(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "options"


def _calls(module: Path) -> tuple[set[str], set[str]]:
    """(message values passed to findings, options read) in a check module's source."""
    values: set[str] = set()
    options: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("finding", "at_value", "_at"):
            for keyword in node.keywords:
                if keyword.arg is not None:
                    values.add(keyword.arg)
                elif isinstance(keyword.value, ast.Dict):
                    values.update(key.value for key in keyword.value.keys if isinstance(key, ast.Constant))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and _is_options(node.func.value):
            options.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and _is_options(node.value) and isinstance(node.slice, ast.Constant):
            options.add(node.slice.value)
        elif isinstance(node, ast.Compare) and any(_is_options(side) for side in node.comparators) \
                and isinstance(node.left, ast.Constant):
            options.add(node.left.value)
    return values, options


def test_each_kind_declares_what_its_code_uses():
    """VALUES are exactly the message values the check passes; OPTIONS hold every option
    it reads; the schema types exactly the rule keys and the declared options."""
    for name, module in MODULES.items():
        # The checkout's source, not module.__file__: an installed wheel's module is compiled.
        values, options = _calls(REPO / "provlint" / "checks" / f"{module.__name__.rsplit('.', 1)[1]}.py")
        assert set(VALUES[name]) == values, name
        assert options <= set(OPTIONS[name]), name
    schema = json.loads((REPO / "schemas" / "rule.schema.json").read_text(encoding="utf-8"))
    declared = {option for names in OPTIONS.values() for option in names}
    assert set(schema["properties"]) == set(RULE_KEYS) | declared
    assert set(FIELD_OPTIONS) <= declared


def test_the_shipped_rule_schema_is_assembled_from_the_kinds_option_schemas():
    """Each kind owns its options (OPTIONS_SCHEMA); schemas/rule.schema.json, which editors
    validate with, is what `python -m provlint.ruleschema` writes from them, and an option
    several kinds take allows the values any of them allows."""
    assert (REPO / "schemas" / "rule.schema.json").read_text(encoding="utf-8") == ruleschema.rendered()
    assert ruleschema.rule_schema()["properties"]["compare"]["enum"] == [
        "text", "casefold", "prefix", "url", "title", "instant", "date", "equal"]


def test_field_vocabulary_covers_what_readers_fill():
    ruleset = load_ruleset()
    known = set(field_names(ruleset.table))
    inputs = [SEED, *sorted((FIXTURES / "inputs").iterdir())]
    filled = {name for path in inputs for document in read_path(path, ruleset.table, str(path))
              for name in document.fields}
    assert {"published", "author_names", "domain", "page_text", "title"} <= filled
    assert filled <= known, filled - known


# -- examples ---------------------------------------------------------------------------

BYLINE_URL = """\
id: AT901
name: byline-is-profile
category: attribution
severity: warning
message: "author {match!r} is a profile link"
check: pattern
fields: [author_names]
pattern: '^https?://\\S+$'
"""


def test_a_rule_without_examples_is_noted_and_can_be_required(tmp_path):
    (tmp_path / "rule.yaml").write_text(BYLINE_URL, encoding="utf-8")
    run = provlint("test-rules", "rule.yaml", cwd=tmp_path)
    assert run.code == 0
    assert run.out.splitlines() == [
        "note: AT901 (rule.yaml:1) has no examples and no fixtures: nothing tests it",
        "0 passed, 0 failed (1 rule, 1 untested)",
    ]
    strict = provlint("test-rules", "--require-examples", "rule.yaml", cwd=tmp_path)
    assert strict.code == 1
    assert strict.out.splitlines()[0] == "FAIL AT901 (rule.yaml:1) has no examples and no fixtures: nothing tests it"


def test_examples_in_the_shape_the_rule_targets(tmp_path):
    """An author or title rule's examples are the block itself (`{author: …}`), not a
    whole dump contrived so that the reader takes one line for a byline; a timestamp
    role names a timestamp block."""
    (tmp_path / "byline.yaml").write_text(
        BYLINE_URL + "examples:\n  fail: [{author: 'https://twitter.com/jdoe'}]\n"
                     "  pass: [{author: 'Jane Doe'}, {author: ['By Jane Doe', 'Reuters']}]\n", encoding="utf-8")
    (tmp_path / "title.yaml").write_text(
        "id: TX904\nname: shouting-title\n" + HEAD.format(category="text") +
        "message: 'title in capitals: {match!r}'\ncheck: pattern\ntarget: [title]\npattern: '^[A-Z ]{12,}$'\n"
        "examples:\n  fail: [{title: MINISTER RESIGNS OVER LEAK}]\n"
        "  pass: [{title: Minister resigns over leak}, 'MINISTER RESIGNS OVER LEAK. He said so. Then he left.']\n",
        encoding="utf-8")
    (tmp_path / "order.yaml").write_text(
        "id: TS903\nname: modified-before-published\n" + HEAD.format(category="timestamp") +
        "message: 'modified {after_value} before {before_value}'\ncheck: order\nbefore: published\nafter: modified\n"
        "examples:\n  fail: [{published: '2022-02-21T10:00:00Z', modified: '2022-02-19T10:00:00Z'}]\n"
        "  pass: [{published: '2022-02-21T10:00:00Z', modified: '2022-02-22T10:00:00Z'}]\n", encoding="utf-8")
    run = provlint("test-rules", "byline.yaml", "title.yaml", "order.yaml", cwd=tmp_path)
    assert (run.code, run.out) == (0, "8 passed, 0 failed (3 rules)\n"), run.out + run.err
    explained = provlint("explain", "AT901", "--rules", "byline.yaml", cwd=tmp_path)
    assert "    author: https://twitter.com/jdoe" in explained.out
    assert "    author: By Jane Doe\n    author: Reuters" in explained.out
    # A wrong example in that shape fails as any other does.
    title = (tmp_path / "title.yaml").read_text(encoding="utf-8")
    (tmp_path / "title.yaml").write_text(title.replace("{title: Minister resigns over leak}", "{title: MINISTER RESIGNS}"),
                                         encoding="utf-8")
    wrong = provlint("test-rules", "title.yaml", cwd=tmp_path)
    assert wrong.code == 1
    assert "FAIL TX904 pass example #1 (title.yaml): expected no finding, got 1:TX904 title in capitals: " \
           "'MINISTER RESIGNS'" in wrong.out


# -- descriptions, summaries, links ----------------------------------------------------

def test_description_is_optional_for_a_custom_rule(tmp_path):
    """The message stands in, as in Semgrep and Vale; built-in rules all keep theirs
    (test_rule_examples.test_rule_is_documented)."""
    (tmp_path / "rule.yaml").write_text(
        "id: PH903\nname: kremlin\n" + HEAD.format(category="placeholder") +
        "message: 'the Kremlin is named'\ncheck: pattern\ntarget: blocks\npattern: 'Kremlin'\n", encoding="utf-8")
    run = provlint("check", SEED, "--rules", "rule.yaml", "--select", "PH903", "--format", "sarif", cwd=tmp_path)
    assert run.code == 1, run.err
    sarif = json.loads(run.out)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    # IN000 runs whatever is selected (it reports a rule that fails on a file).
    rule, internal = sorted(sarif["runs"][0]["tool"]["driver"]["rules"], key=lambda r: r["id"] != "PH903")
    assert internal["id"] == "IN000"
    assert rule["shortDescription"] == {"text": "the Kremlin is named"}
    assert rule["fullDescription"] == {"text": "the Kremlin is named"}
    # A custom rule links to its check kind's section of the reference.
    assert rule["helpUri"] == "https://github.com/provlint/provlint/blob/main/docs/reference.md#pattern"
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in sarif["runs"][0]["results"]] \
        == [3, 5, 7, 31]


def test_summaries_are_whole_sentences_and_rules_link_to_their_reference(tmp_path):
    run = provlint("check", SEED, "--select", "ALL", "--format", "sarif", cwd=tmp_path)
    sarif = json.loads(run.out)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DU007"]["shortDescription"]["text"] == (
        "the document gives the same story two differently worded titles, e.g. an og:title written for social "
        "media next to the page's headline.")
    assert rules["PV001"]["shortDescription"]["text"].endswith("a spoof of a news site (Doppelganger) or part of a "
                                                               "laundering network (Portal Kombat, RT mirrors).")
    assert rules["PH001"]["helpUri"] == \
        "https://github.com/provlint/provlint/blob/main/docs/reference.md#ph001-xpath-placeholder"
    # Each built-in rule's link is a heading of the reference (GitHub's anchor of `### PH001 name`).
    reference = (REPO / "docs" / "reference.md").read_text(encoding="utf-8")
    anchors = {line[4:].lower().replace(" ", "-") for line in reference.splitlines() if line.startswith("### ")}
    assert {rule["helpUri"].rsplit("#", 1)[1] for rule in rules.values()} <= anchors | {"pattern"}
    full = provlint("check", SEED, "--format", "full", cwd=tmp_path)
    assert "What a rule checks, why, and how to fix it: provlint explain PH001" in full.out


def test_a_secondary_place_is_shown_and_sent_as_a_related_location(tmp_path):
    """TS003 says "before published (line 5)": the full report shows that line too, and
    SARIF carries it as a relatedLocation, so code scanning can point at both."""
    (tmp_path / "ts.txt").write_text(
        " date 2022-02 https://example.org/2022/02/21/a\n\nA title long enough to be a title\n\n"
        "2022-02-21T10:00:00Z\n\n2022-02-19T10:00:00Z\n\n"
        "The body. It has sentences. Three of them at least, which makes it a body of text here.\n",
        encoding="utf-8")
    full = provlint("check", "ts.txt", "--select", "TS003", "--format", "full", cwd=tmp_path)
    assert full.code == 1
    assert ("  7:1     error   TS003  modified 2022-02-19T10:00:00Z is before published 2022-02-21T10:00:00Z (line 5)\n"
            "        7 │ 2022-02-19T10:00:00Z\n"
            "          │ ^^^^^^^^^^^^^^^^^^^^\n"
            "          ╰ published, line 5:\n"
            "        5 │ 2022-02-21T10:00:00Z\n"
            "          │ --------------------\n") in full.out
    run = provlint("check", "ts.txt", "--select", "TS003", "--format", "sarif", cwd=tmp_path)
    sarif = json.loads(run.out)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    (result,) = sarif["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == \
        {"startLine": 7, "startColumn": 1, "endLine": 7, "endColumn": 21}
    assert result["relatedLocations"] == [{
        "id": 1, "message": {"text": "published"},
        "physicalLocation": {"artifactLocation": {"uri": "ts.txt", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 5, "startColumn": 1, "endLine": 5, "endColumn": 21}},
    }]
