"""HTML pages, read by the specs of the metadata they carry, each value keeping the line
and column it stands at. Parsed with lxml.

- `<title>`, `<link rel=canonical>`, `<base href>` (HTML).
- Open Graph and `article:*` meta tags by the Open Graph protocol: `article:author` is a
  profile URL, `og:site_name` the publisher; `<meta name=author>` is a name (HTML).
  Where nothing else names the author or publisher, the tags analytics services and
  libraries read do (Parse.ly, Sailthru, Dublin Core, the application name); the author
  before a visible byline.
- JSON-LD: every script's `@graph`, `@id` references resolved, and only the page's main
  entity (the article whose url is the page's, else the page's `mainEntity`, else the
  first article), with the Person and Organization nodes it names as author/publisher.
- Microdata by the WHATWG model (`microdata.py`): only the main article item and the
  items it holds as author and publisher; navigation, breadcrumbs and related-article
  items are other items and stay out.
Relative URLs are resolved against `<base>` and the page's URL. Values that disagree
between sources (og:title vs the JSON-LD headline) become repeated fields, so the
ordinary `conflict` rules compare them.

This module reads the HTML and Open Graph parts and assembles the page; the schema.org
parts are read in `html_schema_org`, the byline in `html_byline`, and `html_values`
places each value in the page's text.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from provlint.model import Document, FieldValue
from provlint.readers import microdata
from provlint.readers.blocktable import BlockTable
from provlint.readers.html_byline import SKIPPED_SECTIONS, article_element, byline_values, rel_author_values
from provlint.readers.html_schema_org import json_ld_values, microdata_values
from provlint.readers.html_values import SPLIT_KINDS, URL_LIKE, PageSource, absolute_url, page_value
from provlint.readers.operator_ids import add_operator_ids
from provlint.readers.records import Value, build_document, unparsed_document

# <meta name|property=KEY content=...> -> (block kind, timestamp role)
META = {
    "og:title": ("title", None), "twitter:title": ("title", None),
    "description": ("description", None), "og:description": ("description", None),
    "twitter:description": ("description", None),
    "article:published_time": ("timestamp", "published"), "og:published_time": ("timestamp", "published"),
    "article:modified_time": ("timestamp", "modified"), "og:updated_time": ("timestamp", "modified"),
    "author": ("author", None), "article:author": ("author", None),
    "og:site_name": ("publisher", None), "og:image": ("image", None), "og:url": ("url", None),
    "keywords": ("keywords", None), "news_keywords": ("keywords", None), "article:section": ("section", None),
    "article:tag": ("tag", None), "og:locale": ("locale", None),
}
# Open Graph properties whose value is a URL by the protocol, even where a name is written.
OG_PROFILE_URLS = {"article:author"}
# The title of a server's error page: an HTTP status (RFC 9110's reason phrases, the code
# with or without them, as servers and CDNs word them), nothing else.
ERROR_TITLE = re.compile(
    r"(?:(?:HTTP\s*)?(?:Error\s*)?[45]\d\d\b\s*[-:–|]?\s*)?(?:(?:page\s+)?not\s+found|forbidden|access\s+denied|"
    r"unauthorized|bad\s+request|gone|too\s+many\s+requests|internal\s+server\s+error|bad\s+gateway|"
    r"service\s+(?:temporarily\s+)?unavailable|gateway\s+time-?out)(?:\s*[.!])?|(?:HTTP\s*)?(?:Error\s*)?[45]\d\d",
    re.IGNORECASE)
# An error page or a redirect says little: past this many characters of visible text, a
# page so titled is taken for an article.
MAX_ERROR_TEXT = 2000
# `<meta http-equiv="refresh" content="0;URL='…'">`: a redirect when it is this prompt (a
# news site's home page reloads itself every half hour: `1800;url=…`).
REFRESH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*[;,]\s*url\s*=\s*(.+)", re.IGNORECASE | re.DOTALL)
MAX_REDIRECT_SECONDS = 5
# Where the schema.org readers found values: they read only an article entity or item.
SCHEMA_ORG_ORIGINS = ("json-ld", "microdata")
# Tags that name the article's author or publisher for other readers than browsers and
# social sites (analytics services: Parse.ly, Sailthru; Dublin Core; Advance Local's
# sites; the HTML application name, which a news site gives as its own), and Parse.ly's
# page object (JSON, its `authors` or `author`): read only when no other metadata names
# one, so they credit the article without standing as one more source for the conflict
# rules to compare.
FALLBACK_TAGS = {"author": {"parsely-author", "sailthru.author", "dc.creator", "article_author"},
                 "publisher": {"dc.publisher", "application-name"}}
PARSELY_PAGE = "parsely-page"


def _parse(text: str) -> Any:
    from lxml import etree

    # The text is already decoded: tell libxml2 so, or it reads undeclared bytes as Latin-1.
    # lxml.etree's parser, not lxml.html's: the same tree, without a call into Python for
    # every element object made (lxml.html's element classes), and no reader needs those.
    root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser=etree.HTMLParser(encoding="utf-8"))
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def read_html(path: str, text: str, table: BlockTable) -> list[Document]:
    try:
        root = _parse(text)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types for hopeless input
        return [unparsed_document(path, {"invalid_html": {"message": f"cannot parse HTML: {exc}", "line": 1, "column": 1}},
                                  text)]
    source = PageSource(text)
    elsewhere = _error_page(root, source) or _redirect(root, source)
    if elsewhere is not None:
        return [unparsed_document(path, {"not_the_article": elsewhere}, text)]
    values: list[Value] = []
    page_urls = _page_urls(root)
    base = _base_url(root, page_urls)
    for element in root.iter("title"):
        title = microdata.element_text(element)
        if title.strip() and not _in_svg(element):
            values.append(page_value("title", None, title, source.content(element, title), "title"))
            break  # the document's title is the first <title> (HTML); an SVG's is its own
    for element in root.iter("link"):
        href = element.get("href")
        if "canonical" in (element.get("rel") or "").lower().split() and href and href.strip():
            values.append(page_value("url", None, absolute_url(href, base), source.attribute(element, "href", href),
                                     "link canonical"))
    values.extend(_meta_values(root, source, base))
    json_ld_facts: dict[str, Any] = {}
    values.extend(json_ld_values(source, page_urls, base, json_ld_facts))
    item_values, main_element = microdata_values(root, source, page_urls, base)
    values.extend(item_values)
    locale = root.get("lang")
    if locale and locale.strip() and not any(v.kind == "locale" for v in values):
        values.append(page_value("locale", None, locale, source.attribute(root, "lang", locale), "html lang"))
    article, article_text = article_element(root, main_element)
    values.extend(rel_author_values(article, source, base))
    for kind in FALLBACK_TAGS:
        if not any(value.kind == kind for value in values):
            values.extend(_tagged(root, source, kind))
    if not any(value.kind == "author" for value in values) or _outlet_bylines(values):
        values.extend(byline_values(article, source, table))
    home = _home_page(values, root)
    if home is not None:
        return [unparsed_document(path, {"not_the_article": home}, text)]
    document = build_document(path, path, text, values, table)
    document.facts.update(json_ld_facts)
    add_operator_ids(document, root)
    if article is not None:
        page_text = article_text if article_text is not None else " ".join(
            microdata.element_text(article, SKIPPED_SECTIONS).split())
        if page_text:
            # What a reader of the page sees: what tells whether a title belongs to the page.
            # A field, not a block, so no rule reads the page's text as metadata.
            line = article.sourceline or 1
            document.add("page_text", FieldValue(page_text, page_text[:80], line, line, 1, None, origin="page text"))
    return [document]


def _outlet_bylines(values: list[Value]) -> bool:
    """Whether every author the metadata names is the outlet itself (a publisher's name,
    as Nikkei's JSON-LD credits 日本経済新聞社): the visible byline may name the writer
    (`編集委員 中沢克二`), so it is read too, as another source."""
    outlets = {" ".join(value.text.split()).casefold() for value in values if value.kind == "publisher"}
    authors = [" ".join(value.text.split()).casefold() for value in values if value.kind == "author"]
    return bool(outlets) and bool(authors) and all(author in outlets for author in authors)


def _error_page(root: Any, source: PageSource) -> dict[str, Any] | None:
    """Where a server's error page (`403 Forbidden`, `Page not found`) says so: a page
    titled with an HTTP status alone, with little text besides and no article element.
    None for anything else."""
    title = next((element for element in root.iter("title") if not _in_svg(element)), None)
    if title is None or next(root.iter("article"), None) is not None:
        return None
    words = " ".join(microdata.element_text(title).split())
    if not ERROR_TITLE.fullmatch(words):
        return None
    if _shown_text(root) > MAX_ERROR_TEXT:
        return None
    line, column = source.content(title, words)[:2]
    return {"message": f"the page is a server's error page ({words!r}), not the article", "line": line,
            "column": column}


def _redirect(root: Any, source: PageSource) -> dict[str, Any] | None:
    """Where a page that only sends the reader on (`<meta http-equiv=refresh
    content="0;URL=…">` within MAX_REDIRECT_SECONDS, little text, no article element) says so."""
    if next(root.iter("article"), None) is not None:
        return None
    for element in root.iter("meta"):
        if (element.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        content = element.get("content") or ""
        found = REFRESH.match(content)
        if found is None or float(found.group(1)) > MAX_REDIRECT_SECONDS or _shown_text(root) > MAX_ERROR_TEXT:
            return None
        target = found.group(2).strip().strip("'\"")
        line, column = source.attribute(element, "content", content)[:2]
        return {"message": f"the page only sends the reader on to {target!r} (a redirect), not the article",
                "line": line, "column": column}
    return None


def _home_page(values: list[Value], root: Any) -> dict[str, Any] | None:
    """Where a site's home page says so: every address the page gives for itself (canonical,
    og:url) is a site's root, and nothing in it is an article's (no time, no author, no
    schema.org article, no Open Graph article type)."""
    own = [value for value in values if value.kind == "url" and value.origin in ("link canonical", "meta og:url")]
    if not own or any(value.kind in ("timestamp", "author") or value.origin in SCHEMA_ORG_ORIGINS for value in values) \
            or _og_article(root):
        return None
    for value in own:
        parts = urlsplit(value.text.strip())
        if not parts.netloc or parts.path not in ("", "/"):
            return None
    return {"message": f"the page is the home page of {urlsplit(own[0].text.strip()).netloc}, not an article",
            "line": own[0].line, "column": own[0].column}


def _og_article(root: Any) -> bool:
    """Whether the page's Open Graph type is an article."""
    return any(_meta_key(element) == "og:type" and "article" in (element.get("content") or "").lower()
               for element in root.iter("meta"))


def _meta_key(element: Any) -> str:
    """A meta tag's name: its `property` (Open Graph), else its `name`, in lower case."""
    return (element.get("property") or element.get("name") or "").strip().lower()


def _shown_text(root: Any) -> int:
    """How many characters of text the page's body shows (scripts and styles left out)."""
    return sum(len(text.strip()) for text in root.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))


def _tagged(root: Any, source: PageSource, kind: str) -> list[Value]:
    """The authors or publishers (`kind`) the first of FALLBACK_TAGS (and for authors,
    PARSELY_PAGE) names; a name with no letter (a CMS's user id) names nobody."""
    tags = FALLBACK_TAGS[kind]
    for element in root.iter("meta"):
        key = _meta_key(element)
        content = element.get("content") or ""
        names = [content] if key in tags else _parsely_authors(content) if key == PARSELY_PAGE and kind == "author" else []
        names = [name.strip() for name in names if any(char.isalpha() for char in name)]
        if names:
            place = source.attribute(element, "content", content)
            return [page_value(kind, None, name, source.part(place, name)[0], f"meta {key}") for name in names]
    return []


def _parsely_authors(content: str) -> list[str]:
    try:
        page = json.loads(content)
    except ValueError:
        return []
    authors = page.get("authors") or page.get("author") if isinstance(page, dict) else None
    if isinstance(authors, str):
        return [authors]
    return [author for author in authors if isinstance(author, str)] if isinstance(authors, list) else []


def _in_svg(element: Any) -> bool:
    return any(isinstance(parent.tag, str) and parent.tag.lower() == "svg" for parent in element.iterancestors())


def _page_urls(root: Any) -> list[str]:
    """The URLs the page claims for itself: canonical link and og:url."""
    urls = [e.get("href").strip() for e in root.iter("link")
            if "canonical" in (e.get("rel") or "").lower().split() and (e.get("href") or "").strip()]
    urls += [e.get("content").strip() for e in root.iter("meta")
             if _meta_key(e) == "og:url" and (e.get("content") or "").strip()]
    return urls


def _base_url(root: Any, page_urls: list[str]) -> str:
    """What relative URLs resolve against: `<base href>` (itself resolved against the page's
    URL), else the first absolute URL the page claims for itself."""
    page = next((url for url in page_urls if URL_LIKE.match(url)), "")
    for element in root.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            return urljoin(page, href) if page else href
    return page


def _meta_values(root: Any, source: PageSource, base: str) -> list[Value]:
    values: list[Value] = []
    for element in root.iter("meta"):
        key = _meta_key(element)
        content = element.get("content")
        if key not in META or content is None or not content.strip():
            continue
        kind, role = META[key]
        origin = f"meta {key}"
        place = source.attribute(element, "content", content)
        if kind in SPLIT_KINDS:
            after = 0
            for part in content.split(","):
                if part.strip():
                    part_place, after = source.part(place, part.strip(), after)
                    values.append(page_value(kind, role, part, part_place, origin))
        elif key in OG_PROFILE_URLS and URL_LIKE.match(content.strip()):
            values.append(page_value(kind, role, content, place, origin, {"url": content.strip()}))
        elif kind in ("url", "image"):
            values.append(page_value(kind, role, absolute_url(content, base), place, origin))
        else:
            values.append(page_value(kind, role, content, place, origin))
    return values
