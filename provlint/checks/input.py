from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from provlint.checks.base import finding
from provlint.model import Document, Finding
from provlint.rulepack import Rule
from provlint.vocabulary import INPUT_FACTS

DOC = """`input`: facts the reader noted about the file itself (empty, binary, re-encoded).

Options: `fact`, one of `empty`, `binary`, `encoding`, `undecodable`, `unreadable`,
`too_large`, `crashed` (the worker process died on it), `invalid_json`, `not_a_record`,
`invalid_html` (these three point at the parser's line and column), `not_the_article`
(an HTML page that is a server's error page, a redirect or a site's home page; at what
says so), `encoding_mismatch`
(an HTML page's declared encoding that its bytes contradict; points at the declaration),
`read_failed` (a reader stage raised; names the stage, and its line when known),
`lone_surrogate` (an unpaired surrogate escape in a JSON string; points at it),
`unlistable` (a folder that could not be listed), `link_outside` (a symbolic link in a
folder whose target is outside the paths checked; the value is the target),
`duplicate_key` (a key an object of a JSON record or JSON-LD script repeats; one finding
at each later key), `invalid_json_ld` (a JSON-LD script of a page that does not parse;
at the script), `internal_error` (a rule failed on the file: the engine's IN000, never a
reader's). `encoding` points at the first bad byte when some were replaced.
Other findings are file-level (line null).
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["fact"],
    "properties": {
        "fact": {"enum": list(INPUT_FACTS), "description": "The reader's fact to report."},
    },
}
VALUES = {"value": "what the reader noted (the encoding, the parser's message)"}


def check(rule: Rule, document: Document, prepared: None) -> Iterator[Finding]:
    value = document.facts.get(rule.options["fact"])
    for fact in value if isinstance(value, list) else [value]:  # a list: the same fact at several places
        if isinstance(fact, dict):  # a fact with a place: the parser's line and column
            yield finding(rule, document, fact["line"], fact["column"], value=fact["message"])
        elif fact:
            yield finding(rule, document, None, value=fact)
