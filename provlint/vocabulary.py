"""The closed vocabularies of provlint, each listed once: the CLI's choices, the readers'
suffixes, the severity ranks, the timestamp roles and the input facts (the `input`
check's options, the engine's "not parsed" set) are derived from here, and
tests/test_vocabularies.py asserts that the JSON Schemas' enums, the built-in `input`
rules, the pre-commit hook's file pattern and the README agree with it.

Code, not YAML as the rule vocabularies are: the command line needs these before any
YAML is read (`provlint --help` loads no rule), and this module imports nothing. The
rule categories are not here: they are data a pack extends (rules/categories.yaml).
"""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info")  # most severe first
# The report formats `--format` and `format:` accept (`--statistics` is the count table's switch).
OUTPUT_FORMATS = ("full", "concise", "json", "jsonl", "sarif", "github", "gitlab", "junit", "provenance",
                  "provenance-json")
# Each input kind (a reader) with the name endings that choose it; `.gz` may follow any.
INPUT_KINDS: dict[str, tuple[str, ...]] = {"dump": (".txt", ".dump"), "json": (".json",), "jsonl": (".jsonl", ".ndjson"),
                                           "html": (".html", ".htm")}
INPUT_FORMATS = ("auto", *INPUT_KINDS)  # `--input-format`: `auto` chooses by name ending and content
INPUT_SUFFIXES = tuple(suffix for suffixes in INPUT_KINDS.values() for suffix in suffixes)
TIMESTAMP_ROLES = ("created", "published", "modified")
# What a reader (or the engine) notes about a file itself, each reported by an `input`
# rule; True where the file was not parsed, so only `input` rules apply to it.
INPUT_FACTS: dict[str, bool] = {
    "empty": True, "binary": True, "encoding": False, "undecodable": True, "unreadable": True, "too_large": True,
    "crashed": True, "invalid_json": True, "not_a_record": True, "invalid_html": True, "not_the_article": True,
    "encoding_mismatch": False, "read_failed": True, "lone_surrogate": False, "unlistable": True,
    "link_outside": True, "duplicate_key": False, "invalid_json_ld": False, "internal_error": False,
}
