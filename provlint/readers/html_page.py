"""HTML pages: <title>, canonical link, meta tags (Open Graph, article:*), JSON-LD and
microdata, each value keeping the line of the element it came from. Parsed with lxml.

Values that disagree between sources (og:title vs JSON-LD headline, meta vs JSON-LD
dates) become repeated fields, so the ordinary `conflict` rules report them.
"""

from __future__ import annotations

import json
from typing import Any

from provlint.model import Document
from provlint.readers.blocktable import BlockTable
from provlint.readers.json_records import _texts
from provlint.readers.records import Value, build_document

# <meta name|property=KEY content=...> -> (block kind, role or group)
META = {
    "og:title": ("title", None), "twitter:title": ("title", None),
    "description": ("description", None), "og:description": ("description", None),
    "article:published_time": ("timestamp", "published"), "og:published_time": ("timestamp", "published"),
    "article:modified_time": ("timestamp", "modified"), "og:updated_time": ("timestamp", "modified"),
    "author": ("author", "name"), "article:author": ("author", "name"),
    "og:site_name": ("publisher", "name"), "og:image": ("image", None), "og:url": ("url", "url"),
    "keywords": ("keywords", None), "news_keywords": ("keywords", None), "article:section": ("section", None),
    "article:tag": ("tag", None), "og:locale": ("locale", None),
}
# JSON-LD / microdata property -> (block kind, role or group)
SCHEMA_ORG = {
    "headline": ("title", None), "name": ("title", None), "description": ("description", None),
    "articleBody": ("body", None), "dateCreated": ("timestamp", "created"),
    "datePublished": ("timestamp", "published"), "dateModified": ("timestamp", "modified"),
    "author": ("author", "name"), "publisher": ("publisher", "name"), "image": ("image", None),
    "url": ("url", "url"), "keywords": ("keywords", None), "articleSection": ("section", None),
    "inLanguage": ("locale", None),
}
ARTICLE_TYPES = {"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                 "BlogPosting", "WebPage", "LiveBlogPosting"}


def _value(kind: str, extra: str | None, text: str, line: int) -> Value:
    text = " ".join(str(text).split())
    if kind == "timestamp":
        return Value(kind, text, line, 1, {"role": extra or "published"})
    if kind in ("author", "publisher"):
        return Value(kind, text, line, 1, {"name": text})
    if kind == "url":
        return Value(kind, text, line, 1, {"url": text})
    return Value(kind, text, line)


def read_html(path: str, text: str, table: BlockTable) -> list[Document]:
    from lxml import html

    try:
        root = html.fromstring(text.encode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - lxml raises several types for hopeless input
        document = Document(path=path, text=text, lines=text.split("\n"))
        document.facts["invalid_html"] = {"message": f"cannot parse HTML: {exc}", "line": 1, "column": 1}
        return [document]
    values: list[Value] = []
    for element in root.iter("title"):
        if element.text_content().strip():
            values.append(_value("title", None, element.text_content(), element.sourceline or 1))
    for element in root.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
            values.append(_value("url", "url", element.get("href"), element.sourceline or 1))
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = element.get("content")
        if key in META and content is not None and content.strip():
            kind, extra = META[key]
            parts = content.split(",") if kind == "keywords" else [content]
            values.extend(_value(kind, extra, part, element.sourceline or 1) for part in parts if part.strip())
    for script in root.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            values.extend(_json_ld(script.text, script.sourceline or 1))
    for element in root.iter():
        prop = element.get("itemprop") if isinstance(element.tag, str) else None
        if prop in SCHEMA_ORG:
            kind, extra = SCHEMA_ORG[prop]
            content = element.get("content") or element.get("datetime") or element.text_content()
            if content and content.strip():
                values.append(_value(kind, extra, content, element.sourceline or 1))
    locale = root.get("lang")
    if locale and not any(v.kind == "locale" for v in values):
        values.append(_value("locale", None, locale, root.sourceline or 1))
    return [build_document(path, path, text, values, table)]


def _json_ld(source: str, first_line: int) -> list[Value]:
    try:
        data = json.loads(source)
    except json.JSONDecodeError:
        return []
    values: list[Value] = []
    for node in _article_nodes(data):
        for key, (kind, extra) in SCHEMA_ORG.items():
            if key == "name" and "headline" in node:
                continue
            for text in _texts(node.get(key)):
                values.append(_value(kind, extra, text, first_line + _line_of(source, f'"{key}"')))
    return values


def _article_nodes(data: Any) -> list[dict]:
    if isinstance(data, list):
        return [node for item in data for node in _article_nodes(item)]
    if not isinstance(data, dict):
        return []
    if "@graph" in data:
        return _article_nodes(data["@graph"])
    kinds = data.get("@type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    return [data] if kinds & ARTICLE_TYPES or "headline" in data else []


def _line_of(source: str, needle: str) -> int:
    found = source.find(needle)
    return source.count("\n", 0, found) if found >= 0 else 0
