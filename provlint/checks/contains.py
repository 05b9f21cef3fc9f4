from __future__ import annotations

from collections.abc import Iterator

from provlint.checks.base import at_value, end_words, fold_space, place_of, text_of
from provlint.model import Document, FieldValue, Finding
from provlint.ruleset import Rule

DOC = """`contains`: one field holds another whole (a description that swallowed the body).

Options: `field` (the container), `contains` (the field that must not be inside it),
`min_length` (ignore contained values shorter than this; default 1), `article` (the
field holding the article's whole text, a page's `page_text`: when it is over twice as
long as the container, the contained value is an excerpt such as a cut-short
`<meta itemprop="articleBody">`, and the container did not swallow the article). Text is
compared with white space folded.
"""

REQUIRED = ("field", "contains")
OPTIONAL = ("min_length", "article")
VALUES = {"field": "the container field", "contains": "the contained field", "other_line": "the contained value's line"}


def check(rule: Rule, document: Document) -> Iterator[Finding]:
    name, inner_name = rule.options["field"], rule.options["contains"]
    min_length = rule.options.get("min_length", 1)
    outers = [(outer, fold_space(document, text_of(outer))) for outer in document.values(name)]
    article = max((len(fold_space(document, text_of(v))) for v in document.values(rule.options.get("article", ""))),
                  default=0)
    outers = [(outer, text) for outer, text in outers if article <= 2 * len(text)]
    inners: dict[str, FieldValue] = {}
    for inner in document.values(inner_name):
        text = text_of(inner)
        first, last = end_words(text) or ("", "")
        if not any(first in outer_text and last in outer_text for _, outer_text in outers):
            continue  # its end words are in no container, so neither is it: not folded
        inner_text = fold_space(document, text)
        if len(inner_text) >= min_length:
            inners.setdefault(inner_text, inner)
    for outer, outer_text in outers:
        for inner_text, inner in inners.items():
            if inner_text in outer_text:
                yield at_value(rule, document, outer, (place_of(inner, inner_name),), field=name,
                               contains=inner_name, other_line=inner.line)
                break
