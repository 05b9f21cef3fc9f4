"""The article's element in a page, and its byline where the metadata names no author:
the first `<a rel="author">`, else a visible byline (`By Tia Ghose, Staff Writer`).
"""

from __future__ import annotations

import re
from typing import Any

from provlint.readers import microdata
from provlint.readers.blocktable import BlockTable
from provlint.readers.fields import parse_byline
from provlint.readers.html_values import PageSource, absolute_url, page_value
from provlint.readers.records import Value

# Page parts that are not the article's text.
SKIPPED_SECTIONS = {"nav", "header", "footer", "aside", "form", "menu"}
# A name: two words or more (or a script without letter case), not a link's `Posts`.
_NAME_LIKE = re.compile(r"(?=.{2,80}$)(?:\S+(?:\s+\S+)+|[^\x00-\u024f\s]+)")
# Class names of a visible byline: `byline`, `by-line`, `by_line_date`, `author_byline`.
_BYLINE_CLASS = re.compile(r"(?:[a-z]+[-_])?by[-_]?line(?:[-_]date)?")


def article_element(root: Any, main: Any) -> tuple[Any, str | None]:
    """The element holding the article: the main microdata item's, else the <article> or
    <main> with the most text (not a teaser's <article>), else <body>; with its text
    without SKIPPED_SECTIONS, words joined by single spaces, when that was read to choose it."""
    if main is not None:
        return main, None
    candidates = list(root.iter("article", "main")) or list(root.iter("body"))
    if len(candidates) < 2:
        return (candidates[0] if candidates else None), None
    texts = [" ".join(microdata.element_text(element, SKIPPED_SECTIONS).split()) for element in candidates]
    longest = max(range(len(candidates)), key=lambda index: len(texts[index]))
    return candidates[longest], texts[longest]


def rel_author_values(article: Any, source: PageSource, base: str) -> list[Value]:
    """The byline the HTML way: the first `<a rel="author">` of the article (outside its
    navigation, header and footer) links to a page about the author, and its text is the
    name. Later ones are an author box's `Posts` and `Bio`, or related articles' bylines."""
    if article is None:
        return []
    for element in article.iter("a"):
        if "author" not in (element.get("rel") or "").lower().split() or _in_section(element, article):
            continue
        name = " ".join(microdata.element_text(element).split())
        href = (element.get("href") or "").strip()
        # A one-word name counts when the link's address spells it (`/author/vortex/`).
        if not (_NAME_LIKE.fullmatch(name) or (name.isalnum() and name.casefold() in href.casefold())):
            continue
        groups = {"name": name}
        if href:
            groups["url"] = absolute_url(href, base)
        return [page_value("author", None, name, source.content(element, name), "a rel=author", groups)]
    return []


def byline_values(article: Any, source: PageSource, table: BlockTable) -> list[Value]:
    """The visible byline of a page that states its author nowhere else: the first
    element of the article with a byline class (`byline`, `by_line_date`,
    `author_byline`) whose first line opens with a byline prefix (`By`, `Von`, `Par`),
    such as `by Tia Ghose, Staff Writer | October 29, 2014`. Without the prefix a
    byline box may hold share buttons or a date."""
    if article is None:
        return []
    prefix = table.bylines.prefix
    for element in article.xpath("descendant-or-self::*[@class]"):  # libxml2 finds them, not a Python loop
        classes = element.get("class")
        if not classes or not any(_BYLINE_CLASS.fullmatch(token) for token in classes.lower().split()):
            continue
        if _in_section(element, article, SKIPPED_SECTIONS - {"header"}):  # a byline stands in the header
            continue
        text = microdata.element_text(element, {"time"})  # `Name<time>2014-12-22</time>`
        first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
        found = prefix.search(first_line) if prefix is not None else None
        if found is None or found.start != 0:
            continue
        # A linked name is the name: `By <a>Antonio Regalado</a> on December 4, 2014`.
        link = next((" ".join(microdata.element_text(a).split()) for a in element.iter("a")), "")
        if link and first_line[found.end:].lstrip().startswith(link):
            name = link
        else:
            name, _, _ = parse_byline(first_line, table.bylines)
            name, _, _ = parse_byline(name, table.bylines)  # `Tia Ghose, Staff Writer` after a `|`
        if _NAME_LIKE.fullmatch(name):
            return [page_value("author", None, name, source.content(element, name), "byline")]
    return []


def _in_section(element: Any, article: Any, sections: set[str] = SKIPPED_SECTIONS) -> bool:
    """Inside navigation, a header, a footer or an aside of the article (`sections`)."""
    for parent in element.iterancestors():
        if parent is article:
            return False
        if isinstance(parent.tag, str) and parent.tag.lower() in sections:
            return True
    return False
