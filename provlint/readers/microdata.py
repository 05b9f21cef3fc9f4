"""HTML microdata read by the WHATWG model (https://html.spec.whatwg.org/#microdata).

An item's properties are the elements with `itemprop` reached from it without entering
another item (`itemref` honoured); a property's value comes from the attribute the
spec names for its element (`href` of a link, `src` of an image, `datetime` of a time,
`content` of a meta). extruct implements the same model but returns bare values, and
provlint needs the element of every value for its line: hence this small reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from provlint.readers.jsonld import local_name

URL_ATTRIBUTES = {
    "a": "href", "area": "href", "link": "href", "audio": "src", "embed": "src", "iframe": "src", "img": "src",
    "source": "src", "track": "src", "video": "src", "object": "data",
}
VALUE_ATTRIBUTES = {"meta": "content", "data": "value", "meter": "value"}
# Elements whose text is not a value's text, and elements that end a line of text.
SKIPPED_TEXT = {"script", "style", "noscript", "template"}
BLOCK_ELEMENTS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "td", "th", "tr", "ul",
}


@dataclass
class Property:
    name: str
    value: Any  # str, or an Item
    element: Any  # the lxml element the value was read from
    attribute: str | None  # the attribute that held it; None for the element's text


@dataclass
class Item:
    element: Any
    types: set[str]
    properties: list[Property] = field(default_factory=list)
    item_id: str = ""

    def get(self, name: str) -> list[Property]:
        return [prop for prop in self.properties if prop.name == name]


def element_text(element: Any, skipped: set[str] | frozenset[str] = frozenset()) -> str:
    """The text of an element as a reader sees it: scripts and styles (and `skipped`
    elements) left out, block elements on lines of their own (so paragraphs do not run
    together)."""
    from lxml import etree

    left_out = SKIPPED_TEXT | skipped
    parts: list[str] = []
    skipping = 0
    for event, node in etree.iterwalk(element, events=("start", "end")):
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in left_out or not isinstance(node.tag, str):
                skipping += 1
            elif not skipping:
                if tag in BLOCK_ELEMENTS:
                    parts.append("\n")
                if node.text:
                    parts.append(node.text)
            continue
        if tag in left_out or not isinstance(node.tag, str):
            skipping -= 1
        elif not skipping and tag in BLOCK_ELEMENTS:
            parts.append("\n")
        if node is not element and node.tail and not skipping:
            parts.append(node.tail)
    return "".join(parts)


def items(root: Any, base_url: str, types: set[str] | None = None) -> list[Item]:
    """The page's items, in document order, each with its own properties; only items of
    `types` (and the items their properties hold) when given."""
    reader = _Reader(root, base_url)
    found = []
    # The elements with `itemscope`, in document order, found by libxml2: no Python object
    # made for each of a page's thousands of elements.
    for element in root.xpath("descendant-or-self::*[@itemscope]"):
        if types is None or {local_name(t) for t in (element.get("itemtype") or "").split()} & types:
            found.append(reader.item(element, 0))
    return found


class _Reader:
    def __init__(self, root: Any, base_url: str) -> None:
        self.root = root
        self.base_url = base_url
        self._by_id: dict[str, Any] | None = None
        # Keyed by the elements themselves, not id(): lxml makes a new proxy object for an
        # element whenever the last one is gone, so ids are reused.
        self.made: dict[Any, Item] = {}
        self._order: dict[Any, int] | None = None

    @property
    def by_id(self) -> dict[str, Any]:
        """Elements by `id` (the last of several with one id), for `itemref`: made on first use."""
        if self._by_id is None:
            self._by_id = {e.get("id"): e for e in self.root.xpath("descendant-or-self::*[@id]") if e.get("id")}
        return self._by_id

    def order(self, element: Any) -> int:
        if self._order is None:
            self._order = {e: index for index, e in enumerate(self.root.iter())}
        return self._order.get(element, 0)

    def item(self, element: Any, depth: int) -> Item:
        known = self.made.get(element)
        if known is not None:
            return known
        item = self.made[element] = Item(element, {local_name(t) for t in (element.get("itemtype") or "").split()},
                                             item_id=(element.get("itemid") or "").strip())
        if depth > 50:  # items nested this deep are hostile, not metadata
            return item
        for prop_element in self.crawl(element):
            value, attribute = self.value(prop_element, depth)
            for name in (prop_element.get("itemprop") or "").split():
                item.properties.append(Property(local_name(name), value, prop_element, attribute))
        return item

    def crawl(self, root: Any) -> list[Any]:
        """The spec's "crawl the properties": children and itemref targets, not entering items."""
        pending = [child for child in root if isinstance(child.tag, str)]
        pending += [self.by_id[ref] for ref in (root.get("itemref") or "").split() if ref in self.by_id]
        seen = {root}
        results = []
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            if current.get("itemscope") is None:
                pending.extend(child for child in current if isinstance(child.tag, str))
            if (current.get("itemprop") or "").strip():
                results.append(current)
        return sorted(results, key=self.order)

    def value(self, element: Any, depth: int) -> tuple[Any, str | None]:
        tag = element.tag.lower()
        if element.get("itemscope") is not None:
            return self.item(element, depth + 1), None
        if tag in VALUE_ATTRIBUTES:
            attribute = VALUE_ATTRIBUTES[tag]
            return element.get(attribute) or "", attribute
        if tag in URL_ATTRIBUTES:
            attribute = URL_ATTRIBUTES[tag]
            url = (element.get(attribute) or "").strip()
            if not url and element.get("content"):  # lazy-loaded images keep theirs in `content`
                return element.get("content").strip(), "content"
            return (urljoin(self.base_url, url) if url and self.base_url else url), attribute
        if tag == "time" and element.get("datetime") is not None:
            return element.get("datetime"), "datetime"
        # Not in the spec, but in schema.org's examples and read by search engines.
        if element.get("content") is not None:
            return element.get("content"), "content"
        return element_text(element), None
