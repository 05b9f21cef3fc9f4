"""Defects injected into real pages, and whether provlint finds them, run by hand.

    python benchmarks/inject.py [FOLDER …]          # default ../shared/realworld
    python benchmarks/inject.py --seed 3 --keep /tmp/injected   # keep the modified pages

Each defect goes into a copy of one page (one defect per copy, written to a temporary
folder, never next to the page), on a line of its own, and that line is recorded. provlint
then checks the copies through its CLI (`--provlint CMD`), and a defect counts as found
when a finding of its expected rule (or category) at error or warning severity is on the
recorded line. The report gives the recall per kind and overall; "elsewhere" counts the
misses where the copy has a finding of the expected rule that the unmodified page does not
(a conflict reported on the page's own value rather than the injected one); then the misses,
each with those findings. Kinds, and what they expect:

    xpath-og-title             og:title is `/html/head/meta[@name='og:title']/@content`   placeholder
    template-og-description    og:description holds a template variable                  placeholder
    placeholder-meta-author    <meta name="author"> is a placeholder                     placeholder
    placeholder-jsonld-author  the JSON-LD article's author name is a placeholder        placeholder
    modified-before-published  article:modified_time N days before article:published_time  TS003
    second-published           a published value one year off the page's own              DU003
    unrelated-og-title         og:title of another page of the set                        DU002

A tag is replaced where the page has it and added before `</head>` where it does not.
Pages where a kind makes no sense are skipped and counted, with the reason: no JSON-LD
article author to change; no ISO 8601 published date of the page's own (where the specs put
one) for a second date to contradict, or to put modified before (a page with no published
date at all gets one of ours); no other title for an unrelated og:title to disagree with.
Injected text is ASCII (other characters as character references or JSON escapes) and the
rest of the page keeps its bytes, so a page keeps its encoding. Seeded and deterministic. Exits 0: recall is a measurement, not a gate.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import html as html_parser

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import flatten  # noqa: E402
from realpages import (  # noqa: E402
    ARTICLE_TYPES,
    DEFAULT_FOLDER,
    Finding,
    check,
    decode_page,
    pages_in,
    provlint_command,
    provlint_version,
    schema_types,
)

# Where a tag in the page's text is not a tag: comments, and the raw text of script, style,
# textarea and title elements.
NOT_MARKUP = re.compile(r"<!--.*?-->|<(script|style|textarea|title)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
META_TAG = re.compile(r"""<meta\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
HEAD_START = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
BODY_START = re.compile(r"<body\b", re.IGNORECASE)
CANONICAL = re.compile(r"""<link\b[^>]*\brel\s*=\s*["']?canonical\b[^>]*\bhref\s*=\s*["']([^"']+)""", re.IGNORECASE)
TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
JSON_LD = re.compile(r"""(<script\b[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>)(.*?)</script\s*>""",
                     re.IGNORECASE | re.DOTALL)
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Meta tags that carry the publication date, the standard one first.
PUBLISHED_META = ("article:published_time", "og:published_time", "pubdate", "publishdate", "publish-date", "date",
                  "dc.date.issued", "parsely-pub-date", "sailthru.date")
PUBLICATION_DATE_MENTION = re.compile(r"datePublished|published_time|pubdate|publish-?date|date\.issued", re.IGNORECASE)
# Where the specs put an article's publication date (Open Graph, schema.org), as own_published names them.
STANDARD_PUBLISHED = {"article:published_time", "json-ld", "microdata"}
ITEMPROP_PUBLISHED = re.compile(r"""\bitemprop\s*=\s*["']?datePublished\b""", re.IGNORECASE)
STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')

XPATH_TITLE = "/html/head/meta[@name='og:title']/@content"
DESCRIPTION_PLACEHOLDERS = ["{{ article.description }}", "%%description%%", "${description}", "{% block description %}",
                            "[[description]]", "__DESCRIPTION__", "%DESCRIPTION%", "{{ page.summary | truncate(160) }}"]
AUTHOR_PLACEHOLDERS = ["{{ article.author }}", "%%author%%", "${author}", "/html/head/meta[@name='author']/@content",
                       "[[author]]", "__AUTHOR__", "{{ author.name }}", "%AUTHOR_NAME%"]
# A date for pages that have none of their own: modified-before-published adds both tags.
FALLBACK_PUBLISHED = "2019-06-14T09:30:00+00:00"


@dataclass(frozen=True)
class Injection:
    """One defect in one copy of a page, and the line of the injected value in the copy."""

    kind: str
    page: str
    line: int
    value: str


@dataclass(frozen=True)
class Tag:
    """A tag in a page's text: where it starts and ends, and its attributes (values unescaped)."""

    start: int
    end: int
    attributes: dict[str, str]


@dataclass(frozen=True)
class Page:
    """A page's text decoded byte for byte (latin-1), so that a copy keeps the page's bytes."""

    name: str
    raw: str

    def readable(self) -> str:
        """The page's text as a browser reads it, for the values taken from it."""
        return decode_page(self.raw.encode("latin-1"))


@dataclass(frozen=True)
class Corpus:
    """What an injection may take from the other pages: the og:title of each page that has one
    (at least 15 characters), by page name."""

    og_titles: dict[str, str]


# ---- reading the page's text

def markup_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in NOT_MARKUP.finditer(text)]


def in_spans(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def attributes(tag: str) -> dict[str, str]:
    inside = re.sub(r"^<\w+|/?>$", "", tag)
    found: dict[str, str] = {}
    for match in ATTRIBUTE.finditer(inside):
        value = next((group for group in match.groups()[1:] if group is not None), "")
        found.setdefault(match.group(1).lower(), html.unescape(value))
    return found


def meta_tags(text: str, key: str) -> list[Tag]:
    """The page's <meta> tags whose property (or name) is `key`, outside comments and scripts."""
    spans = markup_spans(text)
    tags = []
    for match in META_TAG.finditer(text):
        if in_spans(match.start(), spans):
            continue
        found = attributes(match.group())
        if (found.get("property") or found.get("name") or "").strip().lower() == key:
            tags.append(Tag(match.start(), match.end(), found))
    return tags


def head_end(text: str) -> int:
    """Where a tag is added: before </head>, else after <head>, else before <body>, else at the top."""
    spans = markup_spans(text)
    for pattern, take_end in ((HEAD_END, False), (HEAD_START, True), (BODY_START, False)):
        for match in pattern.finditer(text):
            if not in_spans(match.start(), spans):
                return match.end() if take_end else match.start()
    return 0


def json_ld_scripts(text: str) -> Iterator[tuple[int, Any]]:
    """(offset of the script's content, its data) for every JSON-LD script that parses."""
    spans = [span for span in markup_spans(text) if text.startswith("<!--", span[0])]
    for match in JSON_LD.finditer(text):
        if in_spans(match.start(), spans):
            continue
        try:
            yield match.start(2), json.loads(match.group(2))
        except ValueError:
            continue


def json_ld_nodes(data: Any) -> Iterator[dict]:
    """Every object of a JSON-LD script that has a @type: top-level, in lists and in @graph."""
    if isinstance(data, list):
        for item in data:
            yield from json_ld_nodes(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from json_ld_nodes(data["@graph"])
        if "@type" in data:
            yield data


def is_article(node: dict) -> bool:
    return bool(schema_types(node) & ARTICLE_TYPES)


def json_ld_articles(data: Any) -> Iterator[dict]:
    return (node for node in json_ld_nodes(data) if is_article(node))


def own_published(page: Page) -> list[tuple[str, str]]:
    """The page's own publication dates, each with where it is: a meta key, json-ld (an article),
    json-ld-other (another node), microdata (an article item's property, by the microdata spec),
    itemprop (any other itemprop="datePublished")."""
    found = [(key, tag.attributes["content"].strip()) for key in PUBLISHED_META for tag in meta_tags(page.raw, key)
             if tag.attributes.get("content", "").strip()]
    for _, data in json_ld_scripts(page.raw):
        nodes = sorted(json_ld_nodes(data), key=lambda node: not is_article(node))
        found.extend(("json-ld" if is_article(node) else "json-ld-other", node["datePublished"].strip()) for node in nodes
                     if isinstance(node.get("datePublished"), str) and node["datePublished"].strip())
    if ITEMPROP_PUBLISHED.search(page.raw):
        root = html_parser.document_fromstring(page.readable().encode("utf-8"),
                                               parser=html_parser.HTMLParser(encoding="utf-8"))
        items = [item for item in flatten.microdata_items(root) if is_article(item)]
        found.extend(("microdata", value) for item in items for value in flatten.texts(item.get("datePublished")))
        for match in ITEMPROP_PUBLISHED.finditer(page.raw):
            tag = attributes(page.raw[page.raw.rfind("<", 0, match.start()):page.raw.find(">", match.end()) + 1])
            value = (tag.get("content") or tag.get("datetime") or "").strip()
            if value:
                found.append(("itemprop", value))
    return found


def dated(page: Page) -> bool:
    """Whether the page names a publication date somewhere, read or not."""
    return bool(PUBLICATION_DATE_MENTION.search(page.raw))


def other_titles(page: Page) -> bool:
    """Whether the page has a title besides og:title (<title>, or a JSON-LD headline)."""
    if any(fold(title) for title in TITLE.findall(page.raw)):
        return True
    return any(isinstance(article.get("headline"), str) for _, data in json_ld_scripts(page.raw)
               for article in json_ld_articles(data))


def fold(text: str) -> str:
    return " ".join(text.split())


# ---- writing the copy

def ascii_attribute(value: str) -> str:
    """An attribute value as ASCII: markup characters escaped, others as character references."""
    return html.escape(value, quote=True).encode("ascii", "xmlcharrefreplace").decode("ascii")


def line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def set_meta(page: Page, key: str, value: str, attribute: str = "property") -> tuple[str, int]:
    """The page with every `key` meta tag removed and one with `value` on a line of its own, where
    the first one was (else before </head>); returns the text and that line."""
    text = page.raw
    tags = meta_tags(text, key)
    for tag in reversed(tags):  # the newlines a removed tag spanned stay, so no other line moves
        text = text[:tag.start] + "\n" * text.count("\n", tag.start, tag.end) + text[tag.end:]
    position = tags[0].start if tags else head_end(text)
    new_tag = f'<meta {attribute}="{key}" content="{ascii_attribute(value)}">'
    return text[:position] + "\n" + new_tag + "\n" + text[position:], line_at(text, position) + 1


def parsed(value: str) -> datetime | None:
    """An ISO 8601 date or timestamp (extended or basic format) in years a page can mean."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if 1995 <= moment.year <= 2100 else None


def shifted_year(value: str, years: int) -> str | None:
    """An ISO date string with its year moved, written as before (29 February becomes the 28th)."""
    match = ISO_DATE.match(value)
    if not match or parsed(value) is None:
        return None
    day = "28" if (match.group(2), match.group(3)) == ("02", "29") else match.group(3)
    return f"{int(match.group(1)) + years:04d}-{match.group(2)}-{day}{value[match.end():]}"


def days_before(value: str, days: int) -> str | None:
    """An ISO timestamp `days` earlier, in the same offset (a date stays a date)."""
    moment = parsed(value)
    if moment is None:
        return None
    earlier = moment - timedelta(days=days)
    if len(value.strip()) in (8, 10):
        return earlier.date().isoformat()
    written = earlier.isoformat(sep=" " if " " in value.strip() else "T")
    return written.replace("+00:00", "Z") if value.strip().endswith("Z") else written


# ---- the kinds: each gives the copy's text, the injected value's line and the value, or why
# the kind makes no sense on this page

Edit = tuple[str, int, str]
Injector = Callable[[Page, random.Random, Corpus], "Edit | str"]


def xpath_og_title(page: Page, rng: random.Random, corpus: Corpus) -> Edit:
    return (*set_meta(page, "og:title", XPATH_TITLE), XPATH_TITLE)


def template_og_description(page: Page, rng: random.Random, corpus: Corpus) -> Edit:
    placeholder = rng.choice(DESCRIPTION_PLACEHOLDERS)
    own = next((tag.attributes.get("content", "") for tag in meta_tags(page.readable(), "og:description")), "")
    # Half alone (the whole value is residue), half after the page's own description.
    value = f"{fold(own)} {placeholder}" if own.strip() and rng.random() < 0.5 else placeholder
    return (*set_meta(page, "og:description", value), value)


def placeholder_meta_author(page: Page, rng: random.Random, corpus: Corpus) -> Edit:
    placeholder = rng.choice(AUTHOR_PLACEHOLDERS)
    return (*set_meta(page, "author", placeholder, attribute="name"), placeholder)


def placeholder_jsonld_author(page: Page, rng: random.Random, corpus: Corpus) -> Edit | str:
    """The name of a JSON-LD article's first author, replaced where the script writes it."""
    placeholder = rng.choice(AUTHOR_PLACEHOLDERS)
    for offset, data in json_ld_scripts(page.raw):
        names = first_author_names(data)
        end = page.raw.lower().find("</script", offset)
        for literal in STRING_LITERAL.finditer(page.raw, offset, end):
            try:
                if json.loads(literal.group()) not in names:
                    continue
            except ValueError:
                continue
            text = page.raw[:literal.start()] + json.dumps(placeholder) + page.raw[literal.end():]
            try:
                edited = json.loads(text[offset:text.lower().find("</script", offset)])
            except ValueError:
                continue
            # The literal was the author's name only if the article's author now has the placeholder
            # (the same name may also be written as a publisher, an editor, a Person node …).
            if placeholder in first_author_names(edited):
                return text, line_at(text, literal.start()), placeholder
    return "no JSON-LD article with an author name"


def first_author_names(data: Any) -> set[str]:
    """The names of the first author of each JSON-LD article in a script, @id references resolved."""
    by_id: dict[str, dict] = {}
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if isinstance(node.get("@id"), str) and len(node) > 1:
                by_id.setdefault(node["@id"], node)
            stack.extend(node.values())
    names = set()
    for article in json_ld_articles(data):
        author = article.get("author")
        first = author[0] if isinstance(author, list) and author else author
        if isinstance(first, dict) and "name" not in first and isinstance(first.get("@id"), str):
            first = by_id.get(first["@id"], first)
        name = first.get("name") if isinstance(first, dict) else first
        if isinstance(name, str) and name.strip():
            names.add(name)
    return names


def modified_before_published(page: Page, rng: random.Random, corpus: Corpus) -> Edit | str:
    days = rng.randint(2, 30)
    own = next(((source, value) for source, value in own_published(page) if parsed(value)), None)
    if own is None and dated(page):
        return "own published date not found or not ISO 8601"
    text = page.raw
    published = own[1] if own else FALLBACK_PUBLISHED
    if own is None or own[0] != "article:published_time":
        # No article:published_time: add one with the page's own date (a date of ours on an undated page).
        text, _ = set_meta(page, "article:published_time", published)
    modified = days_before(published, days)
    assert modified is not None
    text, line = set_meta(Page(page.name, text), "article:modified_time", modified)
    return text, line, modified


def second_published(page: Page, rng: random.Random, corpus: Corpus) -> Edit | str:
    years = rng.choice((-1, 1))
    # A second value contradicts the page only next to a date that a reader following the specs
    # reads; the page's JSON-LD or microdata date is contradicted by a meta tag, and its meta tag
    # by its JSON-LD article.
    own = sorted(((source, value) for source, value in own_published(page)
                  if source in STANDARD_PUBLISHED and shifted_year(value, years)),
                 key=lambda candidate: candidate[0] == "article:published_time")
    if not own:
        return "no ISO 8601 published date where the specs put it"
    source, value = own[0]
    other = shifted_year(value, years)
    assert other is not None
    if source != "article:published_time":
        return (*set_meta(page, "article:published_time", other), other)
    return json_ld_date(page, other)


def json_ld_date(page: Page, published: str) -> Edit:
    """`published` as the datePublished of the page's JSON-LD article, on a line of its own; a JSON-LD
    article of this page (its URL and title) is added when the page has none."""
    decoder = json.JSONDecoder()
    member = f'\n"datePublished": {json.dumps(published)},\n'
    for offset, data in json_ld_scripts(page.raw):
        articles = list(json_ld_articles(data))
        end = page.raw.lower().find("</script", offset)
        for brace in (match.start() for match in re.finditer(r"\{", page.raw[offset:end])):
            try:
                node, _ = decoder.raw_decode(page.raw, offset + brace)
            except ValueError:
                continue
            if node in articles and node:
                text = page.raw[:offset + brace + 1] + member + page.raw[offset + brace + 1:]
                return text, line_at(text, offset + brace + 1) + 1, published
    position = head_end(page.raw)
    readable = page.readable()
    about = {"@context": "https://schema.org", "@type": "NewsArticle"}
    url = next((tag.attributes.get("content", "") for tag in meta_tags(readable, "og:url")), "") or \
        next((html.unescape(match.group(1)) for match in CANONICAL.finditer(readable)), "")
    title = next((tag.attributes.get("content", "") for tag in meta_tags(readable, "og:title")), "") or \
        next((html.unescape(title) for title in TITLE.findall(readable)), "")
    about |= {key: fold(value) for key, value in (("url", url), ("headline", title)) if fold(value)}
    script = (f'<script type="application/ld+json">\n{json.dumps(about)[:-1]},\n'
              f'"datePublished": {json.dumps(published)}}}\n</script>')
    text = page.raw[:position] + "\n" + script + "\n" + page.raw[position:]
    return text, line_at(page.raw, position) + 3, published


def unrelated_og_title(page: Page, rng: random.Random, corpus: Corpus) -> Edit | str:
    """og:title set to the og:title of another page, one that shares no start with this page's titles."""
    if not other_titles(page):
        return "no title besides og:title"
    own = {fold(tag.attributes.get("content", "")).casefold() for tag in meta_tags(page.readable(), "og:title")}
    own |= {fold(html.unescape(title)).casefold() for title in TITLE.findall(page.readable())}
    own.discard("")
    donors = [title for name, title in corpus.og_titles.items() if name != page.name
              and not any(title.casefold()[:15] in mine or mine[:15] in title.casefold() for mine in own)]
    if not donors:
        return "no other page's og:title differs enough"
    title = rng.choice(donors)
    return (*set_meta(page, "og:title", title), title)


KINDS: dict[str, tuple[Injector, str]] = {
    "xpath-og-title": (xpath_og_title, "placeholder"),
    "template-og-description": (template_og_description, "placeholder"),
    "placeholder-meta-author": (placeholder_meta_author, "placeholder"),
    "placeholder-jsonld-author": (placeholder_jsonld_author, "placeholder"),
    "modified-before-published": (modified_before_published, "TS003"),
    "second-published": (second_published, "DU003"),
    "unrelated-og-title": (unrelated_og_title, "DU002"),
}


def load_pages(folders: list[Path]) -> list[Page]:
    return [Page(shown, path.read_bytes().decode("latin-1")) for path, shown in pages_in(folders)]


def corpus_of(pages: list[Page]) -> Corpus:
    og_titles = {}
    for page in pages:
        title = fold(next((tag.attributes.get("content", "") for tag in meta_tags(page.readable(), "og:title")), ""))
        if len(title) >= 15:
            og_titles[page.name] = title
    return Corpus(og_titles)


def inject_all(pages: list[Page], seed: int, root: Path) -> tuple[dict[Path, Injection], dict[str, Counter[str]]]:
    """Every injection that makes sense, seeded per page and kind, each written as a copy under
    `root/KIND/`; returns the copies and, per kind, why pages were skipped."""
    corpus = corpus_of(pages)
    copies: dict[Path, Injection] = {}
    skipped: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, (inject, _) in KINDS.items():
        (root / kind).mkdir(parents=True, exist_ok=True)
        for page in pages:
            result = inject(page, random.Random(f"{seed}:{kind}:{page.name}"), corpus)
            if isinstance(result, str):
                skipped[kind][result] += 1
                continue
            text, line, value = result
            copy = root / kind / f"{len(copies):05d}{Path(page.name).suffix}"
            copy.write_bytes(text.encode("latin-1"))
            copies[copy] = Injection(kind, page.name, line, value)
    return copies, skipped


def expected(finding: Finding, expect: str) -> bool:
    return finding.severe and expect in (finding.rule, finding.category)


def signature(finding: Finding) -> tuple[str, str]:
    """A finding as the same on a page and on its modified copy, where lines have moved."""
    return finding.rule, re.sub(r"\blines? \d+(?:, \d+)*", "line #", finding.message)


@dataclass
class Outcome:
    """What provlint said about one injection."""

    injection: Injection
    on_line: bool        # a finding of the expected rule at error/warning on the injected line
    elsewhere: list[Finding]  # findings of the expected rule the page did not have, on other lines


def outcomes(copies: dict[Path, Injection], findings: list[Finding], original: dict[str, list[Finding]]) -> list[Outcome]:
    on_copy = defaultdict(list)
    for finding in findings:
        on_copy[finding.path].append(finding)
    results = []
    for copy, injection in copies.items():
        expect = KINDS[injection.kind][1]
        mine = [finding for finding in on_copy[copy] if expected(finding, expect)]
        before = Counter(signature(finding) for finding in original[injection.page] if expected(finding, expect))
        new = []
        for finding in mine:
            if before[signature(finding)]:
                before[signature(finding)] -= 1
            else:
                new.append(finding)
        results.append(Outcome(injection, any(finding.line == injection.line for finding in mine),
                               [finding for finding in new if finding.line != injection.line]))
    return results


def report(results: list[Outcome], skipped: dict[str, Counter[str]]) -> None:
    print(f"{'kind':<27} {'expects':<12} {'injected':>8} {'on line':>7} {'recall':>7} {'elsewhere':>9} {'skipped':>7}")
    for kind, (_, expect) in KINDS.items():
        mine = [result for result in results if result.injection.kind == kind]
        found = sum(result.on_line for result in mine)
        elsewhere = sum(not result.on_line and bool(result.elsewhere) for result in mine)
        recall = f"{found / len(mine):.1%}" if mine else "n/a"
        print(f"{kind:<27} {expect:<12} {len(mine):>8} {found:>7} {recall:>7} {elsewhere:>9} "
              f"{sum(skipped[kind].values()):>7}")
    found = sum(result.on_line for result in results)
    elsewhere = sum(not result.on_line and bool(result.elsewhere) for result in results)
    print(f"{'overall':<27} {'':<12} {len(results):>8} {found:>7} {found / max(1, len(results)):>7.1%} {elsewhere:>9}")
    print("(on line: found at error/warning on the injected line; elsewhere: not on it, but a finding of the")
    print(" expected rule the unmodified page does not have is on another line)")
    for kind in KINDS:
        if skipped[kind]:
            print(f"skipped {kind}: " + "; ".join(f"{reason} ({count})" for reason, count in skipped[kind].most_common()))
    for kind, (_, expect) in KINDS.items():
        misses = [result for result in results if result.injection.kind == kind and not result.on_line]
        if misses:
            print(f"\nmissed {kind} ({len(misses)}):")
        for result in misses:
            injection = result.injection
            said = ", ".join(f"{finding.rule}@{finding.line}" for finding in result.elsewhere[:5])
            print(f"  {injection.page}:{injection.line} {injection.value!r} — "
                  + (f"new {expect} on another line: {said}" if said else f"no new {expect} at error/warning"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of pages (default: ../shared/realworld)")
    parser.add_argument("--provlint", help="the provlint command (default: provlint on PATH, else python -m provlint)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the modified pages here (a new folder) instead of a temporary one")
    args = parser.parse_args(argv)
    folders = [folder.resolve() for folder in args.folders or [DEFAULT_FOLDER]]
    if args.keep and (args.keep.exists() or any(args.keep.resolve().is_relative_to(f) for f in folders)):
        parser.error("--keep must name a new folder outside the pages' folders")
    command = provlint_command(args.provlint)
    print(f"provlint: {' '.join(command)} ({provlint_version(command)}); seed {args.seed}")
    pages = load_pages(folders)
    shown = dict(pages_in(folders))
    original: dict[str, list[Finding]] = defaultdict(list)
    for finding in check(command, list(shown))[1]:
        original[shown[finding.path]].append(finding)
    with tempfile.TemporaryDirectory(prefix="provlint-injected-") as temporary:
        copies, skipped = inject_all(pages, args.seed, args.keep or Path(temporary))
        findings = check(command, list(copies))[1]
    report(outcomes(copies, findings, original), skipped)
    return 0


if __name__ == "__main__":
    sys.exit(main())
