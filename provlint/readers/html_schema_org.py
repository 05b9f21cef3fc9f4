"""The schema.org values of a page: its main article in the JSON-LD scripts and in the
microdata, with the Person and Organization nodes it names as author and publisher.

- JSON-LD: every script's `@graph`, `@id` references resolved, and only the page's main
  entity (the article whose url is the page's, else the page's `mainEntity`, else the
  first article).
- Microdata by the WHATWG model (`microdata.py`): only the main article item and the
  items it holds as author and publisher; navigation, breadcrumbs and related-article
  items are other items and stay out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from provlint.readers import jsonld, jsontext, microdata
from provlint.readers.html_values import PERSON_KINDS, SPLIT_KINDS, URL_LIKE, PageSource, Place, absolute_url, page_value
from provlint.readers.records import Value
from provlint.sameness import same_url

# schema.org property (JSON-LD or microdata) -> (block kind, timestamp role)
SCHEMA_ORG = {
    "headline": ("title", None), "name": ("title", None), "description": ("description", None),
    "articleBody": ("body", None), "dateCreated": ("timestamp", "created"),
    "datePublished": ("timestamp", "published"), "dateModified": ("timestamp", "modified"),
    "author": ("author", None), "creator": ("author", None), "publisher": ("publisher", None),
    "image": ("image", None), "url": ("url", None), "keywords": ("keywords", None),
    "articleSection": ("section", None), "inLanguage": ("locale", None),
}
# What an article item states beyond a teaser's name, link and image.
ARTICLE_FACTS = {"datePublished", "dateCreated", "dateModified", "author", "creator", "articleBody", "description",
                 "publisher"}
_LD_SCRIPT = re.compile(r"<script\b[^>]*\btype\s*=\s*[\"']?\s*application/ld\+json[^>]*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT_END = re.compile(r"</script\s*>", re.IGNORECASE)


# -- JSON-LD ---------------------------------------------------------------------------

def json_ld_values(source: PageSource, page_urls: list[str], base: str, facts: dict[str, Any]) -> list[Value]:
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
                    text = absolute_url(text, base)
                place = source.span(span, fallback)
                if kind in SPLIT_KINDS:
                    values.extend(page_value(kind, role, part, place, "json-ld") for part in text.split(",") if part.strip())
                else:
                    values.append(page_value(kind, role, text, place, "json-ld", groups))
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
            groups = {"url": text} if kind == "publisher" and URL_LIKE.match(text) else None
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

def microdata_values(root: Any, source: PageSource, page_urls: list[str], base: str) -> tuple[list[Value], Any]:
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
            values.extend(page_value(kind, role, part, place, "microdata") for part in text.split(",") if part.strip())
        elif kind in PERSON_KINDS and prop.attribute in ("href", "src"):
            values.append(page_value(kind, role, text, place, "microdata", {"url": text}))
        else:
            values.append(page_value(kind, role, text, place, "microdata"))
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


def _property_place(source: PageSource, prop: microdata.Property, text: str) -> Place:
    if prop.attribute is not None and prop.element.get(prop.attribute) is not None:
        return source.attribute(prop.element, prop.attribute, prop.element.get(prop.attribute))
    return source.content(prop.element, text)


def _item_value(source: PageSource, prop: microdata.Property, kind: str, role: str | None) -> list[Value]:
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
            return [page_value(kind, role, names[0].value, _property_place(source, names[0], names[0].value),
                               "microdata", groups)]
        if urls:
            return [page_value(kind, role, urls[0].value, _property_place(source, urls[0], urls[0].value), "microdata",
                               {"url": urls[0].value})]
        return []
    if kind == "image":
        found = urls or [p for p in item.get("contentUrl") if isinstance(p.value, str) and p.value.strip()]
        if found:
            return [page_value(kind, role, found[0].value, _property_place(source, found[0], found[0].value), "microdata")]
    return []
