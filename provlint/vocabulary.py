"""The closed vocabularies of provlint, each listed once: the CLI's choices, the readers'
suffixes, the severity ranks and the timestamp roles are derived from here, and
tests/test_vocabularies.py asserts that the JSON Schemas' enums, the `input` check's
facts, the pre-commit hook's file pattern and the README agree with it.

Code, not YAML as the rule vocabularies are: the command line needs these before any
YAML is read (`provlint --help` loads no rule), and this module imports nothing. The
rule categories are not here: they are data a pack extends (rules/categories.yaml).
"""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info")  # most severe first
# The report formats `--format` and `format:` accept (`--statistics` is the count table's switch).
OUTPUT_FORMATS = ("full", "concise", "json", "jsonl", "sarif", "github", "gitlab", "junit")
# Each input kind (a reader) with the name endings that choose it; `.gz` may follow any.
INPUT_KINDS: dict[str, tuple[str, ...]] = {"dump": (".txt", ".dump"), "json": (".json",), "jsonl": (".jsonl", ".ndjson"),
                                           "html": (".html", ".htm")}
INPUT_FORMATS = ("auto", *INPUT_KINDS)  # `--input-format`: `auto` chooses by name ending and content
INPUT_SUFFIXES = tuple(suffix for suffixes in INPUT_KINDS.values() for suffix in suffixes)
TIMESTAMP_ROLES = ("created", "published", "modified")
