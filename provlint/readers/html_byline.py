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
# Class names of a visible byline: `byline`, `by-line`, `by_line_date`, `author_byline`,
# `ap-story-byline`.
_BYLINE_CLASS = re.compile(r"(?:[a-z]+[-_])*by[-_]?line(?:[-_]date)?")
# Class names of an element that holds the author's name and nothing else: `author`,
# `article-author`, `author-name`, Spanish `autor`, French `auteur`, Italian `autore`.
_AUTHOR_CLASS = re.compile(r"(?:[a-z]+[-_])?(?:author|autor|auteur|autore)s?(?:[-_]name)?")
# Lower-case words a name may hold between its capitalised ones (`Kevin Johnson and
# Kevin McCoy`, `Carolina von Canal`).
_NAME_PARTICLES = {"and", "&", "de", "da", "del", "der", "den", "di", "du", "la", "le", "van", "von", "y", "e", "bin", "al"}


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
    byline box may hold share buttons or a date; an author class (`author`, `autor`)
    holds the name alone (`Kevin Johnson and Kevin McCoy`, `Patricio Candia | Palma`),
    and is read when that is a name. A comment's author is no byline."""
    if article is None:
        return []
    prefix = table.bylines.prefix
    for element in article.xpath("descendant-or-self::*[@class]"):  # libxml2 finds them, not a Python loop
        tokens = (element.get("class") or "").lower().split()
        byline = any(_BYLINE_CLASS.fullmatch(token) for token in tokens)
        author = any(_AUTHOR_CLASS.fullmatch(token) for token in tokens)
        if not (byline or author) or _in_comments(element, article):
            continue
        if _in_section(element, article, SKIPPED_SECTIONS - {"header"}):  # a byline stands in the header
            continue
        text = microdata.element_text(element, {"time"})  # `Name<time>2014-12-22</time>`
        first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
        found = prefix.search(first_line) if prefix is not None else None
        if found is None or found.start != 0:
            name = parse_byline(first_line, table.bylines)[0].strip() if author else ""
            if _is_name(name):
                return [page_value("author", None, name, source.content(element, name), "byline")]
            continue
        # A linked name is the name: `By <a>Antonio Regalado</a> on December 4, 2014`, or
        # `Posted by` with the link on the next line.
        link = next((" ".join(microdata.element_text(a).split()) for a in element.iter("a")), "")
        rest = first_line[found.end:].strip()
        if link and (not rest or rest.startswith(link)):
            name = link
        elif rest:
            name, _, _ = parse_byline(first_line, table.bylines)
            name, _, _ = parse_byline(name, table.bylines)  # `Tia Ghose, Staff Writer` after a `|`
        else:
            continue
        if _NAME_LIKE.fullmatch(name):  # not a one-word handle (`jdadmin`, `Vortex`)
            return [page_value("author", None, name, source.content(element, name), "byline")]
    return []


def _is_name(text: str) -> bool:
    """Whether `text` is a name as a byline writes it without `By`: two to eight words,
    the first and last capitalised and those between too or particles (`and`, `von`), no
    digit (a date); or one word of a script without letter case (`田中太郎`)."""
    words = text.split()
    if not 0 < len(text) <= 80 or any(char.isdigit() for char in text):
        return False
    if len(words) == 1:
        return not any(char.isascii() or char.isupper() or char.islower() for char in text)
    return len(words) <= 8 and words[0][0].isupper() and words[-1][0].isupper() and all(
        word[0].isupper() or word in _NAME_PARTICLES for word in words)


def _in_comments(element: Any, article: Any) -> bool:
    """Inside the readers' comments (an element of the article whose class or id says so)."""
    for part in (element, *element.iterancestors()):
        if part is article:
            return False
        if "comment" in (part.get("class") or "").lower() or "comment" in (part.get("id") or "").lower():
            return True
    return False


def _in_section(element: Any, article: Any, sections: set[str] = SKIPPED_SECTIONS) -> bool:
    """Inside navigation, a header, a footer or an aside of the article (`sections`)."""
    for parent in element.iterancestors():
        if parent is article:
            return False
        if isinstance(parent.tag, str) and parent.tag.lower() in sections:
            return True
    return False
