from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from provlint.checks.base import at_value, end_words, fold_space, place_of, text_of
from provlint.model import Document, FieldValue, Finding
from provlint.rulepack import Rule

DOC = """`contains`: one field holds another whole (a description that swallowed the body).

Options: `field` (the container), `contains` (the field that must not be inside it),
`min_length` (ignore contained values shorter than this; default 1), `article` (the
field holding the article's whole text, a page's `page_text`: when it is over twice as
long as the container, the contained value is an excerpt such as a cut-short
`<meta itemprop="articleBody">`, and the container did not swallow the article). Text is
compared with white space folded. A value is looked for only in the containers that hold
its rarest inner word (the first 64 of them), so a file of thousands of articles costs
time in proportion to its size.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["field", "contains"],
    "properties": {
        "field": {"type": "string", "description": "The container field."},
        "contains": {"type": "string", "description": "The field that must not be inside `field`."},
        "min_length": {"type": "integer", "minimum": 0, "description": "Ignore shorter values."},
        "article": {"type": "string",
                    "description": ("The field holding the article's whole text (a page's page_text); when it is over"
                                    " twice as long as `field`, the contained value is an excerpt, not the whole "
                                    "body.")},
    },
}
VALUES = {"field": "the container field", "contains": "the contained field", "other_line": "the contained value's line"}
MAX_CANDIDATES = 64


def check(rule: Rule, document: Document, prepared: None) -> Iterator[Finding]:
    name, inner_name = rule.options["field"], rule.options["contains"]
    containers = document.values(name)
    if not containers:
        return
    candidates = _candidates(document.values(inner_name), {text_of(outer) for outer in containers})
    if not candidates:
        return
    min_length = rule.options.get("min_length", 1)
    article = max((len(fold_space(document, text_of(v))) for v in document.values(rule.options.get("article", ""))),
                  default=0)
    outer_texts: dict[str, str] = {}  # each container's text, folded once however often it repeats
    for outer in containers:
        text = text_of(outer)
        if text not in outer_texts:
            outer_texts[text] = fold_space(document, text)
    outers = list(dict.fromkeys(folded for folded in outer_texts.values() if article <= 2 * len(folded)))
    inners: dict[str, FieldValue] = {}  # each contained text, folded, and its first value
    for inner in candidates:
        inner_text = fold_space(document, text_of(inner))
        if len(inner_text) >= min_length:
            inners.setdefault(inner_text, inner)
    holds = _first_held(list(inners), outers) if outers and inners else {}
    contained = list(inners.values())
    for outer in containers:
        index = holds.get(outer_texts[text_of(outer)])
        if index is not None:
            inner = contained[index]
            yield at_value(rule, document, outer, (place_of(inner, inner_name),), field=name,
                           contains=inner_name, other_line=inner.line)


def _candidates(inners: list[FieldValue], containers: set[str]) -> list[FieldValue]:
    """The contained values some container may hold: a text folded inside another has its
    first and last words inside it as written (words keep their characters when white
    space folds), so most bodies are never folded nor looked for. A value without words
    folds to nothing and is kept (an empty text is inside every other)."""
    kept = []
    for inner in inners:
        ends = end_words(text_of(inner))
        if ends is None or any(ends[0] in outer and ends[1] in outer for outer in containers):
            kept.append(inner)
    return kept


def _first_held(inners: list[str], outers: list[str]) -> dict[str, int]:
    """For each outer text that holds an inner one, the index of the first inner it holds.
    A text inside another holds all its words but the first and last whole, so each inner
    text is looked for only in the outers that hold its rarest inner word."""
    postings: dict[str, list[int]] = {}
    for number, outer in enumerate(outers):
        for word in set(outer.split(" ")):
            postings.setdefault(word, []).append(number)
    every = list(range(len(outers)))
    held: dict[str, int] = {}
    for index, inner in enumerate(inners):
        words = inner.split(" ")[1:-1]  # the end words may be cut from longer ones
        candidates = min((postings.get(word, []) for word in words), key=len) if words else every
        for number in candidates[:MAX_CANDIDATES]:
            outer = outers[number]
            if outer not in held and inner in outer:
                held[outer] = index
    return held
