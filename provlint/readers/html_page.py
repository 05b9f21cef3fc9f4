"""HTML pages, read by the specs of the metadata they carry, each value keeping the line
and column it stands at. Parsed with lxml.

- `<title>`, `<link rel=canonical>`, `<base href>` (HTML).
- Open Graph and `article:*` meta tags by the Open Graph protocol: `article:author` is a
  profile URL, `og:site_name` the publisher; `<meta name=author>` is a name (HTML).
- JSON-LD: every script's `@graph`, `@id` references resolved, and only the page's main
  entity (the article whose url is the page's, else the page's `mainEntity`, else the
  first article), with the Person and Organization nodes it names as author/publisher.
- Microdata by the WHATWG model (`microdata.py`): only the main article item and the
  items it holds as author and publisher; navigation, breadcrumbs and related-article
  items are other items and stay out.
Relative URLs are resolved against `<base>` and the page's URL. Values that disagree
between sources (og:title vs the JSON-LD headline) become repeated fields, so the
ordinary `conflict` rules compare them.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from typing import Any
from urllib.parse import urljoin

from provlint.model import Document, FieldValue
from provlint.readers import jsonld, jsontext, microdata
from provlint.readers.blocktable import BlockTable
from provlint.readers.dump import split_lines
from provlint.readers.fields import parse_byline
from provlint.readers.records import Value, build_document
from provlint.sameness import same_url

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
# schema.org property (JSON-LD or microdata) -> (block kind, timestamp role)
SCHEMA_ORG = {
    "headline": ("title", None), "name": ("title", None), "description": ("description", None),
    "articleBody": ("body", None), "dateCreated": ("timestamp", "created"),
    "datePublished": ("timestamp", "published"), "dateModified": ("timestamp", "modified"),
    "author": ("author", None), "creator": ("author", None), "publisher": ("publisher", None),
    "image": ("image", None), "url": ("url", None), "keywords": ("keywords", None),
    "articleSection": ("section", None), "inLanguage": ("locale", None),
}
PERSON_KINDS = {"author", "publisher"}
# What an article item states beyond a teaser's name, link and image.
ARTICLE_FACTS = {"datePublished", "dateCreated", "dateModified", "author", "creator", "articleBody", "description",
                 "publisher"}
SPLIT_KINDS = {"keywords"}
# Page parts that are not the article's text.
SKIPPED_SECTIONS = {"nav", "header", "footer", "aside", "form", "menu"}
_URL_LIKE = re.compile(r"^(?:https?:)?//\S+$|^www\.\S+$", re.IGNORECASE)
_LD_SCRIPT = re.compile(r"<script\b[^>]*\btype\s*=\s*[\"']?\s*application/ld\+json[^>]*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A name: two words or more (or a script without letter case), not a link's `Posts`.
_NAME_LIKE = re.compile(r"(?=.{2,80}$)(?:\S+(?:\s+\S+)+|[^\x00-\u024f\s]+)")
# Class names of a visible byline: `byline`, `by-line`, `by_line_date`, `author_byline`.
_BYLINE_CLASS = re.compile(r"(?:[a-z]+[-_])?by[-_]?line(?:[-_]date)?")
_SCRIPT_END = re.compile(r"</script\s*>", re.IGNORECASE)
_UNQUOTED = re.compile(r"[^\s>]*")
# Where a value stands: (line, column), or (line, column, end line, end column) when its end is known.
Place = tuple[int, ...]


class _Source:
    """Lines and columns in the page's text; lxml knows only each element's line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [found.end() for found in re.finditer("\n", text)]
        self.used: set[int] = set()  # attribute values already placed (og:title = twitter:title)
        # attribute -> its value (unescaped, stripped) -> where each occurrence's value starts,
        # its first non-space character and past its last, in text order; made once per
        # attribute name.
        self._values: dict[str, dict[str, list[tuple[int, int, int]]]] = {}
        self._first_unused: dict[tuple[str, str], int] = {}

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def region(self, element: Any, lines: int = 40) -> tuple[int, int]:
        """The text from the element's start tag to `lines` lines further. lxml gives the
        line where a start tag ends: one that wraps began on an earlier line."""
        line = min(max(element.sourceline or 1, 1), len(self.starts))
        last = line - 1 + lines
        start, end = self.starts[line - 1], self.starts[last] if last < len(self.starts) else len(self.text)
        if isinstance(element.tag, str):
            tag = re.compile(rf"<{re.escape(element.tag)}\b", re.IGNORECASE)
            line_end = self.starts[line] if line < len(self.starts) else len(self.text)
            if tag.search(self.text, start, line_end) is None:
                opening = [found.start() for found in tag.finditer(self.text, max(0, start - 10_000), start)]
                start = opening[-1] if opening else start
        return start, end

    def attribute(self, element: Any, attribute: str, value: str) -> Place:
        """Where an attribute's value starts and ends in the element's start tag: the first
        value not placed yet, in the lines from the element's, that reads the same. Looked
        up among that value's occurrences, not scanned for: a minified page is one line."""
        start, end = self.region(element)
        wanted = value.strip()
        places = self._occurrences(attribute).get(wanted, [])
        key = (attribute, wanted)
        index = max(bisect_left(places, (start,)), self._first_unused.get(key, 0))
        while index < len(places) and places[index][0] < end:
            begin, first, last = places[index]
            if begin not in self.used:
                self.used.add(begin)
                unused = self._first_unused.get(key, 0)
                while unused < len(places) and places[unused][0] in self.used:
                    unused += 1
                self._first_unused[key] = unused  # values placed in page order are skipped at once
                return self.place(first, last)
            index += 1
        return element.sourceline or 1, 1

    def _occurrences(self, attribute: str) -> dict[str, list[tuple[int, int, int]]]:
        found = self._values.get(attribute)
        if found is None:
            found = self._values[attribute] = {}
            pattern = re.compile(rf"\b{re.escape(attribute)}\s*=\s*([\"']?)", re.IGNORECASE)
            for match in pattern.finditer(self.text):
                begin, quote = match.end(), match.group(1)
                unquoted = _UNQUOTED.match(self.text, begin)
                stop = self.text.find(quote, begin) if quote else unquoted.end() if unquoted else begin
                raw = self.text[begin:stop if stop >= 0 else len(self.text)]
                found.setdefault(html.unescape(raw).strip(), []).append(
                    (begin, begin + len(raw) - len(raw.lstrip()), begin + len(raw.rstrip())))
        return found

    def content(self, element: Any, text: str) -> Place:
        """Where an element's text starts and ends: its first word after the start tag to its last."""
        start, end = self.region(element, 4)
        tag = re.compile(rf"<{re.escape(element.tag)}\b[^>]*>", re.IGNORECASE)
        found = tag.search(self.text, start, end)
        if found is None:
            return element.sourceline or 1, 1
        words = text.split()
        at = self.text.find(words[0], found.end()) if words else -1
        if at < 0:
            return self.position(found.end())
        last = self.text.find(words[-1], at + len(words[0]) if len(words) > 1 else at)
        return self.place(at, last + len(words[-1])) if last >= 0 else self.position(at)

    def span(self, offsets: tuple[int, int] | None, fallback: int) -> Place:
        return self.place(*offsets) if offsets else (fallback, 1)

    def place(self, start: int, end: int) -> Place:
        """(line, column, end line, end column) of text[start:end]."""
        return (*self.position(start), *self.position(end))


def _parse(text: str) -> Any:
    from lxml import html as lxml_html

    # The text is already decoded: tell libxml2 so, or it reads undeclared bytes as Latin-1.
    parser = lxml_html.HTMLParser(encoding="utf-8")
    return lxml_html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)


def read_html(path: str, text: str, table: BlockTable) -> list[Document]:
    try:
        root = _parse(text)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types for hopeless input
        document = Document(path=path, text=text, lines=split_lines(text))
        document.facts["invalid_html"] = {"message": f"cannot parse HTML: {exc}", "line": 1, "column": 1}
        return [document]
    source = _Source(text)
    values: list[Value] = []
    page_urls = _page_urls(root)
    base = _base_url(root, page_urls)
    for element in root.iter("title"):
        title = microdata.element_text(element)
        if title.strip() and not _in_svg(element):
            values.append(_value("title", None, title, source.content(element, title), "title"))
            break  # the document's title is the first <title> (HTML); an SVG's is its own
    for element in root.iter("link"):
        href = element.get("href")
        if "canonical" in (element.get("rel") or "").lower().split() and href and href.strip():
            values.append(_value("url", None, _absolute(href, base), source.attribute(element, "href", href),
                                 "link canonical"))
    values.extend(_meta_values(root, source, base))
    json_ld_facts: dict[str, Any] = {}
    values.extend(_json_ld_values(source, page_urls, base, json_ld_facts))
    microdata_values, main_element = _microdata_values(root, source, page_urls, base)
    values.extend(microdata_values)
    locale = root.get("lang")
    if locale and locale.strip() and not any(v.kind == "locale" for v in values):
        values.append(_value("locale", None, locale, source.attribute(root, "lang", locale), "html lang"))
    article = _article_element(root, main_element)
    values.extend(_rel_author_values(article, source, base))
    if not any(value.kind == "author" for value in values):
        values.extend(_byline_values(article, source, table))
    document = build_document(path, path, text, values, table)
    document.facts.update(json_ld_facts)
    if article is not None:
        page_text = " ".join(microdata.element_text(article, SKIPPED_SECTIONS).split())
        if page_text:
            # What a reader of the page sees: what tells whether a title belongs to the page.
            # A field, not a block, so no rule reads the page's text as metadata.
            line = article.sourceline or 1
            document.add("page_text", FieldValue(page_text, page_text[:80], line, line, 1, None, origin="page text"))
    return [document]


def _article_element(root: Any, main: Any) -> Any:
    """The element holding the article: the main microdata item's, else the <article> or
    <main> with the most text (not a teaser's <article>), else <body>."""
    if main is not None:
        return main
    candidates = list(root.iter("article", "main")) or list(root.iter("body"))
    if not candidates:
        return None
    return max(candidates, key=lambda element: len(" ".join(microdata.element_text(element, SKIPPED_SECTIONS).split())))


def _rel_author_values(article: Any, source: _Source, base: str) -> list[Value]:
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
            groups["url"] = _absolute(href, base)
        return [_value("author", None, name, source.content(element, name), "a rel=author", groups)]
    return []


def _byline_values(article: Any, source: _Source, table: BlockTable) -> list[Value]:
    """The visible byline of a page that states its author nowhere else: the first
    element of the article with a byline class (`byline`, `by_line_date`,
    `author_byline`) whose first line opens with a byline prefix (`By`, `Von`, `Par`),
    such as `by Tia Ghose, Staff Writer | October 29, 2014`. Without the prefix a
    byline box may hold share buttons or a date."""
    if article is None:
        return []
    prefix = table.bylines.prefix
    for element in article.iter():
        classes = element.get("class") if isinstance(element.tag, str) else None
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
            return [_value("author", None, name, source.content(element, name), "byline")]
    return []


def _in_section(element: Any, article: Any, sections: set[str] = SKIPPED_SECTIONS) -> bool:
    """Inside navigation, a header, a footer or an aside of the article (`sections`)."""
    for parent in element.iterancestors():
        if parent is article:
            return False
        if isinstance(parent.tag, str) and parent.tag.lower() in sections:
            return True
    return False


def _in_svg(element: Any) -> bool:
    return any(isinstance(parent.tag, str) and parent.tag.lower() == "svg" for parent in element.iterancestors())


def _page_urls(root: Any) -> list[str]:
    """The URLs the page claims for itself: canonical link and og:url."""
    urls = [e.get("href").strip() for e in root.iter("link")
            if "canonical" in (e.get("rel") or "").lower().split() and (e.get("href") or "").strip()]
    urls += [e.get("content").strip() for e in root.iter("meta")
             if (e.get("property") or e.get("name") or "").strip().lower() == "og:url" and (e.get("content") or "").strip()]
    return urls


def _base_url(root: Any, page_urls: list[str]) -> str:
    """What relative URLs resolve against: `<base href>` (itself resolved against the page's
    URL), else the first absolute URL the page claims for itself."""
    page = next((url for url in page_urls if _URL_LIKE.match(url)), "")
    for element in root.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            return urljoin(page, href) if page else href
    return page


def _absolute(url: str, base: str) -> str:
    url = url.strip()
    if not base or _URL_LIKE.match(url) or "://" in url:
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def _value(kind: str, role: str | None, text: str, place: Place, origin: str,
           groups: dict[str, str] | None = None) -> Value:
    text = " ".join(str(text).split())
    line, column = place[:2]
    # A part of a split value (one keyword of several) ends where the whole does not.
    end = (place[2], place[3]) if len(place) == 4 and kind not in SPLIT_KINDS else None
    if kind == "timestamp":
        return Value(kind, text, line, column, {"role": role or "published"}, origin, end)
    if kind == "url":
        return Value(kind, text, line, column, {"url": text}, origin, end)
    if kind in PERSON_KINDS:
        parts = {name: " ".join(part.split()) for name, part in (groups or {"name": text}).items() if part.strip()}
        return Value(kind, text, line, column, parts, origin, end)
    return Value(kind, text, line, column, origin=origin, end=end)


def _meta_values(root: Any, source: _Source, base: str) -> list[Value]:
    values: list[Value] = []
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = element.get("content")
        if key not in META or content is None or not content.strip():
            continue
        kind, role = META[key]
        origin = f"meta {key}"
        place = source.attribute(element, "content", content)
        if kind in SPLIT_KINDS:
            values.extend(_value(kind, role, part, place, origin) for part in content.split(",") if part.strip())
        elif key in OG_PROFILE_URLS and _URL_LIKE.match(content.strip()):
            values.append(_value(kind, role, content, place, origin, {"url": content.strip()}))
        elif kind in ("url", "image"):
            values.append(_value(kind, role, _absolute(content, base), place, origin))
        else:
            values.append(_value(kind, role, content, place, origin))
    return values


# -- JSON-LD ---------------------------------------------------------------------------

def _json_ld_values(source: _Source, page_urls: list[str], base: str, facts: dict[str, Any]) -> list[Value]:
    """The values of the page's main entity in its JSON-LD; a script that does not parse
    (`invalid_json_ld`, IN015) and keys an object repeats (`duplicate_key`, IN014) go
    into `facts`."""
    graph = jsonld.Graph()
    # Found in the text, not through lxml, which knows only each script's line (a minified
    # page has them all on one); a script inside an HTML comment is not on the page.
    comments = [(found.start(), found.end()) for found in _COMMENT.finditer(source.text)]
    comment_starts = [start for start, _ in comments]
    for tag in _LD_SCRIPT.finditer(source.text):
        before = bisect_right(comment_starts, tag.start()) - 1
        if before >= 0 and tag.start() < comments[before][1]:
            continue
        end = _SCRIPT_END.search(source.text, tag.end())
        script = source.text[tag.end():end.start() if end else len(source.text)]
        if not script.strip():
            continue  # an empty script states nothing, wrongly or not
        try:
            if end is None:
                raise jsonld.JsonError("no </script> end tag", len(script))
            data, positions = jsonld.parse(script)
        except jsonld.JsonError as exc:
            line, column = source.position(tag.end() + exc.offset)
            message = f"invalid JSON-LD, ignored: {exc.reason} (at line {line}, column {column})"
            tag_line, tag_column = source.position(tag.start())
            facts.setdefault("invalid_json_ld", []).append({"message": message, "line": tag_line,
                                                            "column": tag_column})
            continue
        graph.add_script(data, positions, tag.end())
        for key, earlier, later in positions.repeated_keys:
            facts.setdefault("duplicate_key", []).append(jsontext.repeated_key_fact(
                key, *source.position(tag.end() + later), *source.position(tag.end() + earlier)))
    main = graph.main_entity(page_urls, same_url)
    if main is None:
        return []
    values: list[Value] = []
    for node in [main, *graph.anonymous_articles(main)]:
        first = graph.span(node, next(iter(node)))  # the line of the node, for values without a place
        fallback = source.position(first[0])[0] if first else 1
        for key, (kind, role) in SCHEMA_ORG.items():
            if key not in node or (key == "name" and node.get("headline")):
                continue
            for text, groups, span in _ld_texts(graph, node, key, kind):
                if kind in ("url", "image"):
                    text = _absolute(text, base)
                place = source.span(span, fallback)
                if kind in SPLIT_KINDS:
                    values.extend(_value(kind, role, part, place, "json-ld") for part in text.split(",") if part.strip())
                else:
                    values.append(_value(kind, role, text, place, "json-ld", groups))
    return values


def _ld_texts(graph: jsonld.Graph, node: dict, key: str,
              kind: str) -> list[tuple[str, dict[str, str] | None, tuple[int, int] | None]]:
    """(text, record parts, span) of each value of a property: lists, references and
    nested nodes read the way schema.org means them."""
    value = node[key]
    members = list(enumerate(value)) if isinstance(value, list) else [(key, value)]
    container = value if isinstance(value, list) else node
    found: list[tuple[str, dict[str, str] | None, tuple[int, int] | None]] = []
    for member, item in members:
        span = graph.span(container, member)
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = str(item)
            groups = {"url": text} if kind == "publisher" and _URL_LIKE.match(text) else None
            found.append((text, groups, span))
        elif isinstance(item, dict):
            named: list[tuple[str, dict[str, str] | None, tuple[int, int] | None]] = []
            for node in graph.occurrences(item):
                named.extend(value for value in _ld_node(graph, node, kind, span) if value[0] not in {n[0] for n in named})
            # A bare reference gives its node's values; one that names its node adds its own.
            found.extend(named if len(named) <= 1 or kind in PERSON_KINDS else named[:1])
    return found


def _ld_node(graph: jsonld.Graph, item: dict, kind: str,
             span: tuple[int, int] | None) -> list[tuple[str, dict[str, str] | None, tuple[int, int] | None]]:
    if kind in PERSON_KINDS:
        name = item.get("name")
        name = name[0] if isinstance(name, list) and name else name
        url = item.get("url")
        url = url if isinstance(url, str) else ""
        if isinstance(name, str) and name.strip():
            groups = {"name": name}
            if url:  # a record's link, not a claim of its domain: a publisher's is often its parent's
                groups["url"] = url
            return [(name, groups, graph.span(item, "name") or span)]
        if url:
            return [(url, {"url": url}, graph.span(item, "url") or span)]
        return []
    attributes = {"image": ("url", "contentUrl"), "url": ("url", "@id"), "locale": ("alternateName",)}
    for attribute in attributes.get(kind, ("name", "@value")):
        text = item.get(attribute)
        if isinstance(text, str) and text.strip():
            return [(text, None, graph.span(item, attribute) or span)]
    return []


# -- microdata -------------------------------------------------------------------------

def _microdata_values(root: Any, source: _Source, page_urls: list[str], base: str) -> tuple[list[Value], Any]:
    """The main article item's values, and its element."""
    articles = microdata.items(root, base, jsonld.ARTICLE_TYPES)
    main = _main_item(articles, page_urls)
    if main is None:
        return [], None
    values: list[Value] = []
    for prop in main.properties:
        if prop.name not in SCHEMA_ORG or (prop.name == "name" and main.get("headline")):
            continue
        kind, role = SCHEMA_ORG[prop.name]
        if isinstance(prop.value, microdata.Item):
            values.extend(_item_value(source, prop, kind, role))
            continue
        text = str(prop.value)
        if not text.strip():
            continue
        place = _property_place(source, prop, text)
        if kind in SPLIT_KINDS:
            values.extend(_value(kind, role, part, place, "microdata") for part in text.split(",") if part.strip())
        elif kind in PERSON_KINDS and prop.attribute in ("href", "src"):
            values.append(_value(kind, role, text, place, "microdata", {"url": text}))
        else:
            values.append(_value(kind, role, text, place, "microdata"))
    return values, main.element


def _main_item(articles: list[microdata.Item], page_urls: list[str]) -> microdata.Item | None:
    """The article item the page is about: the one whose url or itemid is the page's, else
    the one not held by another item except as its main entity, with the most properties."""
    for item in articles:
        claimed = [item.item_id] + [str(p.value) for p in item.get("url") + item.get("mainEntityOfPage")]
        if any(c and same_url(c, page) for c in claimed for page in page_urls):
            return item
    candidates = [item for item in articles if _own(item) and {p.name for p in item.properties} & ARTICLE_FACTS]
    if not candidates:
        return None
    return max(candidates, key=lambda item: len({p.name for p in item.properties}))


def _own(item: microdata.Item) -> bool:
    """Not held by another item, or held as its main entity (a teaser in a list of related
    articles is held as `itemListElement`, or stands alone with a name and a link)."""
    held = set(map(jsonld.local_name, (item.element.get("itemprop") or "").split()))
    return not held or bool(held & {"mainEntity", "mainEntityOfPage"})


def _property_place(source: _Source, prop: microdata.Property, text: str) -> Place:
    if prop.attribute is not None and prop.element.get(prop.attribute) is not None:
        return source.attribute(prop.element, prop.attribute, prop.element.get(prop.attribute))
    return source.content(prop.element, text)


def _item_value(source: _Source, prop: microdata.Property, kind: str, role: str | None) -> list[Value]:
    """An item held as a property: a Person or Organization (author, publisher) gives its
    name and URL; an ImageObject its URL."""
    item = prop.value
    names = [p for p in item.get("name") if isinstance(p.value, str) and p.value.strip()]
    urls = [p for p in item.get("url") if isinstance(p.value, str) and p.value.strip()]
    if kind in PERSON_KINDS:
        if names:
            groups = {"name": names[0].value}
            if urls:
                groups["url"] = urls[0].value
            return [_value(kind, role, names[0].value, _property_place(source, names[0], names[0].value),
                           "microdata", groups)]
        if urls:
            return [_value(kind, role, urls[0].value, _property_place(source, urls[0], urls[0].value), "microdata",
                           {"url": urls[0].value})]
        return []
    if kind == "image":
        found = urls or [p for p in item.get("contentUrl") if isinstance(p.value, str) and p.value.strip()]
        if found:
            return [_value(kind, role, found[0].value, _property_place(source, found[0], found[0].value), "microdata")]
    return []
