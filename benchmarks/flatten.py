"""Turn real HTML pages into realistic dumps in the seed's layout, run by hand.

    python benchmarks/flatten.py PAGE.html                 # the dump on stdout
    python benchmarks/flatten.py --out DIR [FOLDER …]      # every page of the folders (default ../shared/realworld)
    python benchmarks/flatten.py --excerpt PAGE            # the body cut to a sentence or two (test fixtures)

A dump is what a scraper writes when it flattens a page's schema.org data to text, one
value per block (as `seeds/000_f05103ceb859ce66.txt` shows). The values come from
the page's own JSON-LD article (else its microdata article item) and Open Graph, exactly
as the page writes them (bylines and dates as written), in the seed's order:

    ` date YYYY-MM URL` header; name; headline; description; dateCreated; datePublished;
    dateModified; section and tags; image; body; tags again; publisher; year; author(s),
    twice; genre; locale; publisher; image dimensions `W H true`; publisher; author(s);
    keywords

The publisher block is `NAME EMAIL-or-HOMEPAGE [PHONE] [LEGAL NAME] [LOGO W H]`, the author
block `NAME [AVATAR URL]`, repeated where microdata flattening repeats them. A block the
page does not have is left out, as real dumps miss blocks. The crawl month of the header
is the latest month of the page's own ISO dates (a scraper crawls after the last edit);
without one, the URL stands alone as the first block. The body is the page's
`articleBody`, else the article text its benchmark records (the zyte benchmark's
`ground-truth.json`, newspaper4k's `metadata/*.json`). Where a page lacks an Open Graph
tag, its Twitter card equivalent (and for the description, `<meta name="description">`)
stands in. A page with neither a schema.org article nor an Open Graph or Twitter title
gives no dump.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import html

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from realpages import ARTICLE_TYPES, DEFAULT_FOLDER, decode_page, pages_in, schema_types  # noqa: E402

# Microdata values by element, as the WHATWG microdata spec says.
URL_ATTRIBUTE = {"a": "href", "area": "href", "link": "href", "audio": "src", "embed": "src", "iframe": "src",
                 "img": "src", "source": "src", "track": "src", "video": "src", "object": "data"}
# What stands in for an Open Graph key on pages without it (Twitter cards fall back the other way).
OPEN_GRAPH_EQUIVALENTS = {"og:title": ["twitter:title"], "og:description": ["twitter:description", "description"],
                          "og:url": ["twitter:url"], "og:image": ["twitter:image", "twitter:image:src"]}
ISO_MONTH = re.compile(r"\b((?:19|20)\d{2})-(0[1-9]|1[0-2])\b")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")
EXCERPT_START, EXCERPT_LENGTH = 80, 400


@dataclass
class Article:
    """The values of one page's article, each as the page writes it."""

    url: str | None = None
    names: list[str] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    body: str | None = None
    publishers: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    locales: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    return " ".join(text.split())


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def texts(value: Any) -> list[str]:
    """The text values of a property: strings as written; an item by its name or @value."""
    found = []
    for item in as_list(value):
        if isinstance(item, dict):
            item = item.get("name", item.get("@value"))
            found.extend(texts(item))
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool) and fold(str(item)):
            found.append(fold(str(item)))
    return found


# ---- JSON-LD

def json_ld_nodes(root: Any) -> list[dict]:
    """Every node of the page's JSON-LD scripts: top-level objects, lists and @graph members."""
    nodes: list[dict] = []

    def walk(data: Any) -> None:
        if isinstance(data, list):
            for item in data:
                walk(item)
        elif isinstance(data, dict):
            if "@graph" in data:
                walk(data["@graph"])
            if "@type" in data:
                nodes.append(data)

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                walk(json.loads(script.text))
            except ValueError:
                continue
    return nodes


def identified(nodes: list[dict]) -> dict[str, dict]:
    """Nodes by @id, nested ones included, so that {"@id": …} references can be resolved."""
    by_id: dict[str, dict] = {}

    def walk(data: Any) -> None:
        if isinstance(data, list):
            for item in data:
                walk(item)
        elif isinstance(data, dict):
            if isinstance(data.get("@id"), str) and len(data) > 1:
                by_id.setdefault(data["@id"], data)
            for value in data.values():
                walk(value)

    walk(nodes)
    return by_id


def resolved(value: Any, by_id: dict[str, dict]) -> list[Any]:
    return [by_id.get(item["@id"], item) if isinstance(item, dict) and set(item) <= {"@id", "@type"}
            and isinstance(item.get("@id"), str) else item for item in as_list(value)]


def same_page(value: Any, page_url: str | None) -> bool:
    """Whether a url property names the page (scheme, `www.`, fragment and a trailing slash aside)."""
    def key(url: str) -> str:
        return re.sub(r"^(https?:)?//(www\.)?|/$", "", url.split("#")[0])

    return page_url is not None and any(key(url) == key(page_url) for url in texts(value))


def main_article(nodes: list[dict], page_url: str | None) -> dict | None:
    """The article node: the one whose url is the page, else the first with a headline, else the first."""
    articles = [node for node in nodes if schema_types(node) & ARTICLE_TYPES]
    for node in articles:
        entity = [item.get("@id") if isinstance(item, dict) else item for item in as_list(node.get("mainEntityOfPage"))]
        if same_page(node.get("url"), page_url) or same_page(entity, page_url):
            return node
    with_headline = [node for node in articles if "headline" in node]
    return next(iter(with_headline or articles), None)


# ---- microdata

def microdata_items(root: Any) -> list[dict]:
    """Every item of the page (nested ones too) as a JSON-LD-like dict: an item's properties
    come from its own scope (a nested item is a value, not part of it) and its itemref."""
    items: list[dict] = []

    def value_of(element: Any) -> Any:
        if element.get("itemscope") is not None:
            return item_of(element)
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "meta":
            return element.get("content") or ""
        if tag in URL_ATTRIBUTE:
            return element.get(URL_ATTRIBUTE[tag]) or ""
        if tag in ("data", "meter"):
            return element.get("value") or ""
        if tag == "time" and element.get("datetime"):
            return element.get("datetime")
        return element.text_content()

    def item_of(scope: Any) -> dict:
        item: dict[str, Any] = {"@type": (scope.get("itemtype") or "").split()}
        items.append(item)
        pending = list(scope)
        for reference in (scope.get("itemref") or "").split():
            pending.extend(root.xpath("//*[@id=$ref]", ref=reference)[:1])
        pending.reverse()  # a stack, popped in document order
        seen = {scope}  # an itemref cycle must not loop
        while pending:
            element = pending.pop()
            if not isinstance(element.tag, str) or element in seen:
                continue
            seen.add(element)
            names = (element.get("itemprop") or "").split()
            for name in names:
                item.setdefault(name, []).append(value_of(element))
            if element.get("itemscope") is None:
                pending.extend(reversed(element))
            elif not names:
                item_of(element)
        for name, values in item.items():  # one value stands alone, as in JSON-LD
            if name != "@type" and len(values) == 1:
                item[name] = values[0]
        return item

    for scope in root.xpath("//*[@itemscope and not(@itemprop)]"):
        if not any(ancestor.get("itemscope") is not None for ancestor in scope.iterancestors()):
            item_of(scope)
    return items


# ---- Open Graph

def open_graph(root: Any) -> dict[str, list[str]]:
    """Meta tag values by property (or name), lower-cased, with the Twitter card and plain HTML
    equivalents of an Open Graph key filed under it when the page lacks the Open Graph one."""
    tags: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = meta.get("content")
        if key and content is not None and fold(content):
            tags.setdefault(key, []).append(fold(content))
    for key, equivalents in OPEN_GRAPH_EQUIVALENTS.items():
        tags[key] = tags.get(key) or next((tags[other] for other in equivalents if tags.get(other)), [])
    return tags


def canonical(root: Any) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href").strip()
    return None


# ---- the article

def image_parts(value: Any, by_id: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Image URLs and `W H true` dimension blocks of an image property."""
    urls, dimensions = [], []
    for image in resolved(value, by_id):
        if isinstance(image, str) and image.strip():
            urls.append(image.strip())
        elif isinstance(image, dict):
            urls.extend(url for url in texts(image.get("url") or image.get("contentUrl")) if url)
            width, height = texts(image.get("width"))[:1], texts(image.get("height"))[:1]
            if width and height:
                dimensions.append(f"{width[0]} {height[0]} true")
    return urls, dimensions


def publisher_block(publisher: Any, by_id: dict[str, dict]) -> str | None:
    if not isinstance(publisher, dict):
        return next(iter(texts(publisher)), None)
    name = texts(publisher.get("name"))[:1]
    email = texts(publisher.get("email"))[:1]
    phone = texts(publisher.get("telephone"))[:1] if email else []
    homepage = [] if email else texts(publisher.get("url"))[:1]
    legal_name = texts(publisher.get("legalName"))[:1]
    logo = next(iter(resolved(publisher.get("logo"), by_id)), None)
    size = []
    if isinstance(logo, dict) and texts(logo.get("width")) and texts(logo.get("height")):
        size = [f"{texts(logo.get('width'))[0]} {texts(logo.get('height'))[0]}"]
    parts = [*name, *email, *phone, *homepage, *legal_name, *size]
    return " ".join(parts) if name else None


def author_block(author: Any, by_id: dict[str, dict]) -> str | None:
    if not isinstance(author, dict):
        return next(iter(texts(author)), None)
    name = texts(author.get("name"))[:1]
    avatar = image_parts(author.get("image"), by_id)[0][:1]
    return " ".join([*name, *avatar]) if name else None


def article_of(raw: bytes, url_hint: str | None = None, body_hint: str | None = None) -> Article | None:
    """The page's article from its JSON-LD (else microdata) and Open Graph; None when the page
    has neither a schema.org article nor an Open Graph (or Twitter card) title."""
    root = html.document_fromstring(decode_page(raw).encode("utf-8"), parser=html.HTMLParser(encoding="utf-8"))
    graph = open_graph(root)
    page_url = next(iter(graph.get("og:url", [])), None) or canonical(root) or url_hint
    nodes = json_ld_nodes(root)
    node = main_article(nodes, page_url)
    if node is None:
        node = main_article(microdata_items(root), page_url)
    if node is None and not graph["og:title"]:
        return None
    node = node or {}
    by_id = identified(nodes)
    article = Article()
    urls = [url for url in [*texts(node.get("url")), *graph.get("og:url", []), canonical(root), url_hint]
            if url and re.match(r"https?://", url)]
    article.url = urls[0] if urls else None
    article.names = texts(node.get("name"))[:1] or graph.get("og:title", [])[:1]
    article.headlines = texts(node.get("headline"))[:1]
    article.descriptions = texts(node.get("description"))[:1] or graph.get("og:description", [])[:1]
    article.created = texts(node.get("dateCreated"))[:1]
    article.published = texts(node.get("datePublished"))[:1] or graph.get("article:published_time", [])[:1]
    article.modified = texts(node.get("dateModified"))[:1] or graph.get("article:modified_time", [])[:1]
    article.sections = texts(node.get("articleSection")) or graph.get("article:section", [])
    keywords = node.get("keywords")
    article.tags = graph.get("article:tag", []) or (texts(keywords) if isinstance(keywords, list) else [])
    images, dimensions = image_parts(node.get("image"), by_id)
    article.images = images[:1] or graph.get("og:image", [])[:1]
    og_size = [graph.get("og:image:width", [])[:1], graph.get("og:image:height", [])[:1]]
    article.dimensions = dimensions or ([f"{og_size[0][0]} {og_size[1][0]} true"] if all(og_size) else [])
    body = next(iter(as_list(node.get("articleBody"))), None)
    body = body if isinstance(body, str) and body.strip() else body_hint
    article.body = body_text(body) if body else None
    publishers = [publisher_block(p, by_id) for p in resolved(node.get("publisher"), by_id)]
    article.publishers = [p for p in publishers if p] or graph.get("og:site_name", [])[:1]
    article.years = texts(node.get("copyrightYear"))[:1]
    authors = [author_block(a, by_id) for a in resolved(node.get("author"), by_id)]
    article.authors = [a for a in authors if a] or graph.get("author", [])[:1]
    article.genres = texts(node.get("genre"))[:1]
    article.locales = texts(node.get("inLanguage"))[:1] or graph.get("og:locale", [])[:1]
    article.keywords = ([", ".join(texts(keywords))] if isinstance(keywords, list) else texts(keywords)[:1]) \
        or graph.get("news_keywords", [])[:1] or graph.get("keywords", [])[:1]
    return article


def body_text(body: str) -> str:
    """A body as one block: its lines kept, blank lines (which would end the block) dropped."""
    return "\n".join(line.strip() for line in body.splitlines() if line.strip())


def excerpt_of(text: str, longer_than: int = 0) -> str:
    """The opening sentence or two of a text: up to the first sentence end after EXCERPT_START
    characters (abbreviations and datelines end no sentence that early) and after `longer_than`
    (a body stays longer than the description it opens with), else about EXCERPT_LENGTH
    characters cut at a space."""
    text = fold(text)
    start = max(EXCERPT_START, longer_than + 1)
    for end in SENTENCE_END.finditer(text, start):
        if end.end() <= start + EXCERPT_LENGTH:
            return text[:end.end()]
        break
    if len(text) <= start + EXCERPT_LENGTH:
        return text
    cut = text.rfind(" ", start, start + EXCERPT_LENGTH)
    return text[:cut if cut > 0 else start + EXCERPT_LENGTH]


def shorten(article: Article) -> None:
    """Cut the article's long texts to excerpts: the body always, a description when it is long."""
    article.descriptions = [excerpt_of(text) if len(text) > EXCERPT_LENGTH else text for text in article.descriptions]
    if article.body:
        article.body = excerpt_of(article.body, max(map(len, article.descriptions), default=0))


def blocks_of(article: Article) -> Iterator[str]:
    """The dump's blocks in the seed's order."""
    months = sorted(ISO_MONTH.findall(" ".join([*article.created, *article.published, *article.modified])))
    if article.url:
        yield f" date {months[-1][0]}-{months[-1][1]} {article.url}" if months else article.url
    yield from article.names
    yield from article.headlines
    yield from article.descriptions
    yield from article.created
    yield from article.published
    yield from article.modified
    yield from article.sections
    yield from article.tags
    yield from article.images
    if article.body:
        yield article.body
    yield from article.tags
    yield from article.publishers
    yield from article.years
    yield from article.authors
    yield from article.authors
    yield from article.genres
    yield from article.locales
    yield from article.publishers
    yield from article.dimensions
    yield from article.publishers
    yield from article.authors
    yield from article.keywords


def dump_of(article: Article) -> str:
    return "\n\n".join(blocks_of(article)) + "\n"


def benchmark_truth(page: Path) -> tuple[str | None, str | None]:
    """The page's URL and article text as its benchmark records them, when it does: the zyte
    benchmark's `ground-truth.json` (url, articleBody), newspaper4k's `metadata/PAGE.json` (url, text)."""
    for folder in page.parents:
        truth = folder / "ground-truth.json"
        if truth.is_file():
            record = json.loads(truth.read_text(encoding="utf-8")).get(page.stem, {})
            return record.get("url"), record.get("articleBody")
    metadata = page.parent.parent / "metadata" / f"{page.stem}.json"
    if metadata.is_file():
        record = json.loads(metadata.read_text(encoding="utf-8"))
        return record.get("url"), record.get("text")
    return None, None


def flatten_page(page: Path, excerpt: bool = False) -> str | None:
    """The dump of a page, or None when the page has no article data to flatten."""
    article = article_of(page.read_bytes(), *benchmark_truth(page))
    if article is None:
        return None
    if excerpt:
        shorten(article)
    return dump_of(article)


def flatten_folders(folders: list[Path], out: Path, excerpt: bool = False) -> tuple[int, int]:
    """Write the dump of every page of the folders under `out` (same relative path, `.txt`);
    return (pages, dumps written)."""
    pages = pages_in(folders)
    written = 0
    for page, shown in pages:
        dump = flatten_page(page, excerpt)
        if dump is None:
            continue
        target = out / Path(shown).with_suffix(".txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump, encoding="utf-8")
        written += 1
    return len(pages), written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="pages or folders (default: ../shared/realworld)")
    parser.add_argument("--out", type=Path, help="write one dump per page here instead of printing one page's dump")
    parser.add_argument("--excerpt", action="store_true",
                        help="cut bodies (and long descriptions) to their opening sentences, as test fixtures are")
    args = parser.parse_args(argv)
    paths = args.paths or [DEFAULT_FOLDER]
    if args.out is None:
        if len(paths) != 1 or not paths[0].is_file():
            parser.error("without --out, give one page")
        dump = flatten_page(paths[0], args.excerpt)
        if dump is None:
            print(f"{paths[0]}: no schema.org article or Open Graph data", file=sys.stderr)
            return 1
        sys.stdout.write(dump)
        return 0
    folders = [path for path in paths if path.is_dir()]
    pages, written = flatten_folders(folders, args.out, args.excerpt) if folders else (0, 0)
    for page in (path for path in paths if path.is_file()):
        pages += 1
        dump = flatten_page(page, args.excerpt)
        if dump is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / page.with_suffix(".txt").name).write_text(dump, encoding="utf-8")
            written += 1
    print(f"{written} dumps from {pages} pages in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
