from __future__ import annotations

from collections.abc import Iterator

from provlint.checks.base import at_value, end_words, fold_space, text_of
from provlint.model import Document, Finding
from provlint.ruleset import Rule

DOC = """`contains`: one field holds another whole (a description that swallowed the body).

Options: `field` (the container), `contains` (the field that must not be inside it),
`min_length` (ignore contained values shorter than this; default 1), `article` (the
field holding the article's whole text, a page's `page_text`: when it is over twice as
long as the container, the contained value is an excerpt such as a cut-short
`<meta itemprop="articleBody">`, and the container did not swallow the article). Text is
compared with white space folded; values that repeat are compared once, and the first
64 distinct contained values only are looked for (a file of thousands of articles
costs time in proportion to its size). Message values: `{field}`, `{contains}`,
`{other_line}`.
"""

MAX_INNERS = 64


def check(rule: Rule, document: Document) -> Iterator[Finding]:
    name, inner_name = rule.options["field"], rule.options["contains"]
    min_length = rule.options.get("min_length", 1)
    article = max((len(fold_space(document, text_of(v))) for v in document.values(rule.options.get("article", ""))),
                  default=0)
    outer_texts: dict[str, str] = {}  # each container's text, folded once however often it repeats
    for outer in document.values(name):
        text = text_of(outer)
        if text not in outer_texts:
            outer_texts[text] = fold_space(document, text)
    folded_outers = {folded for folded in outer_texts.values() if article <= 2 * len(folded)}
    inners: dict[str, int] = {}
    seen: set[str] = set()
    for inner in document.values(inner_name):
        text = text_of(inner)
        if text in seen:
            continue
        if len(seen) == MAX_INNERS:
            break
        seen.add(text)
        first, last = end_words(text) or ("", "")
        if not any(first in outer_text and last in outer_text for outer_text in folded_outers):
            continue  # its end words are in no container, so neither is it: not folded
        inner_text = fold_space(document, text)
        if len(inner_text) >= min_length:
            inners.setdefault(inner_text, inner.line)
    holds = {outer_text: next((line for inner_text, line in inners.items() if inner_text in outer_text), None)
             for outer_text in folded_outers}
    for outer in document.values(name):
        line = holds.get(outer_texts[text_of(outer)])
        if line is not None:
            yield at_value(rule, document, outer, field=name, contains=inner_name, other_line=line)
