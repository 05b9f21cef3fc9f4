"""Flattened article dumps: blank-line separated blocks -> Document.

Blocks are classified by what they contain (the block table), so other scrapers' block
orders, missing blocks, CRLF and BOMs read the same. Where content alone cannot tell
(a byline and a headline are both short capitalised text), the `context_kinds` rows of
the table then use what the flattened order tells: neighbours, repeats, and where a
block stands relative to the titles and the body.
"""

from __future__ import annotations

import re
from collections import Counter

from provlint.model import Block, Document
from provlint.readers.blocktable import BlockTable, ContextEntry
from provlint.readers.fields import build_fields

_WORD = re.compile(r"[^\W_]+")


def split_lines(text: str) -> list[str]:
    """Lines as `\\n` counts them, with CRLF and lone CR read as line breaks too."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def split_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    start: int | None = None
    for number, line in enumerate(lines, start=1):
        if line and not line.isspace():  # not blank; no stripped copy made
            if start is None:
                start = number
        elif start is not None:
            blocks.append(Block("\n".join(lines[start - 1 : number - 1]), start, number - 1))
            start = None
    if start is not None:
        blocks.append(Block("\n".join(lines[start - 1 :]), start, len(lines)))
    return blocks


def classify(block: Block, table: BlockTable) -> None:
    stripped = block.text.strip()
    block.kind, found = table.classify(stripped, block.end_line - block.line + 1)
    if found is not None and found.groups:
        lead = len(block.text) - len(block.text.lstrip())
        block.groups = {k: v for k, v in found.groups.items() if v is not None}
        block.group_spans = {k: (s + lead, e + lead) for k, (s, e) in found.spans.items()}


def refine(blocks: list[Block]) -> None:
    """A title-sized block that extends another title (title + credit line) is body text."""
    titles = sorted({b.text.strip() for b in blocks if b.kind == "title"}, key=len)
    extended = {
        text for position, text in enumerate(titles)
        if any(text.startswith(shorter) for shorter in titles[:position] if len(shorter) < len(text))
    }
    for block in blocks:
        if block.kind == "title" and block.text.strip() in extended:
            block.kind = "body"


class Layout:
    """Where the blocks stand: the title zone (from the first title before the body to the
    first block of a `title_zone_ends` kind), the tail (after the body), the texts' counts."""

    def __init__(self, blocks: list[Block], texts: list[str], table: BlockTable) -> None:
        kinds = [block.kind for block in blocks]
        body = kinds.index("body") if "body" in kinds else len(blocks)
        self.tail_start = body + 1
        self.title_zone = range(0)
        start = next((i for i in range(body) if kinds[i] == "title"), None)
        if start is not None:
            end = next((i for i in range(start + 1, len(blocks)) if kinds[i] in table.title_zone_ends), len(blocks))
            self.title_zone = range(start, end)
        self.first = next((i for i, kind in enumerate(kinds) if kind != "header"), 0)
        self.counts = Counter(texts)
        self._words: dict[int, set[str]] = {}

    def words(self, index: int, texts: list[str], table: BlockTable) -> set[str]:
        if index not in self._words:
            self._words[index] = content_words(texts[index], table)
        return self._words[index]

    def in_zone(self, index: int, zone: str | None) -> bool:
        if zone == "title":
            return index in self.title_zone
        if zone == "outside_title":
            return bool(self.title_zone) and index not in self.title_zone
        if zone == "tail":
            return index >= self.tail_start
        return True


MIN_SHARED_WORDS = 4  # fewer words say too little about what a text shares with another
# A teaser retells the opening of the body; all of a long body would share some words
# with any headline.
OPENING = 600


def content_words(text: str, table: BlockTable) -> set[str]:
    """The words of a text that carry meaning, by their first five letters (so `hours`
    meets `hour`, `travelling` meets `travels`): words of four letters or more, casefolded;
    in a script written without spaces, each pair of adjacent characters."""
    words: set[str] = set()
    for word in _WORD.findall(text[:OPENING].casefold()):
        if table.length(word) > len(word):
            words.update(word[i : i + 2] for i in range(len(word) - 1))
        elif len(word) >= 4:
            words.add(word[:5])
    return words


def same_title(one: str, other: str) -> bool:
    """Two title texts say the same: equal but for case and spaces, or one cut short of the other."""
    one, other = (" ".join(t.casefold().rstrip(" .…").split()) for t in (one, other))
    return one.startswith(other) or other.startswith(one)


def _holds(rule: ContextEntry, index: int, blocks: list[Block], texts: list[str], layout: Layout,
           table: BlockTable) -> bool:
    text = texts[index]
    if not layout.in_zone(index, rule.zone):
        return False
    if rule.first and index != layout.first:
        return False
    if rule.min_count is not None and layout.counts[text] < rule.min_count:
        return False
    if rule.follows:
        before = next((b for b in reversed(blocks[:index]) if b.kind not in rule.skip), None)
        if before is None or before.kind not in rule.follows:
            return False
    if rule.precedes:
        after = next((b for b in blocks[index + 1 :] if b.kind not in rule.skip), None)
        if after is None or after.kind not in rule.precedes:
            return False
    others = [(i, b) for i, b in enumerate(blocks) if i != index]  # a few dozen blocks
    if rule.same_text_as and not any(b.kind in rule.same_text_as and texts[i] == text for i, b in others):
        return False
    if rule.absent and any(b.kind in rule.absent for _, b in others):
        return False
    if rule.absent_in_zone and any(b.kind in rule.absent_in_zone and layout.in_zone(i, rule.zone) for i, b in others):
        return False
    # Outside the title zone only the zone's titles count: a byline repeated three times
    # differs from the title although its copies are title-like too.
    outside = bool(layout.title_zone) and index not in layout.title_zone
    if rule.differs_from and any(b.kind == rule.differs_from and same_title(texts[i], text)
                                 for i, b in others if not outside or i in layout.title_zone):
        return False
    if rule.after_repeated:
        earlier = [texts[i] for i in range(index) if blocks[i].kind == rule.after_repeated]
        if not any(earlier.count(t) > 1 for t in earlier):
            return False
    if rule.longer_than:
        reference = next((texts[i] for i in range(index) if blocks[i].kind == rule.longer_than), None)
        if reference is None or table.length(text) < rule.ratio * table.length(reference):
            return False
    if rule.shares_words_with:
        words = content_words(text, table)
        known = set().union(*(layout.words(i, texts, table) for i, b in others if b.kind in rule.shares_words_with))
        if len(words) < MIN_SHARED_WORDS or len(words & known) < rule.min_share * len(words):
            return False
    content = rule.content
    if not content.conditions_hold(blocks[index].end_line - blocks[index].line + 1, table.length(text), 0):
        return False
    return content.pattern is None or content.pattern.fullmatch(text) is not None


def apply_context(blocks: list[Block], table: BlockTable) -> None:
    """The `context_kinds` rows, in order, each over every block whose kind is one it
    takes; a row sees the kinds the rows before it gave."""
    texts = [block.text.strip() for block in blocks]
    for rule in table.context:
        candidates = [i for i, block in enumerate(blocks) if block.kind in rule.from_kinds]
        layout = Layout(blocks, texts, table) if candidates else None
        for index in candidates:
            block = blocks[index]
            if layout is not None and block.kind in rule.from_kinds and _holds(rule, index, blocks, texts, layout, table):
                _set_kind(block, rule.kind, texts[index], table)


def _set_kind(block: Block, kind: str, stripped: str, table: BlockTable) -> None:
    block.kind, block.groups, block.group_spans = kind, {}, {}
    found = table.groups_for(kind, stripped)
    lead = len(block.text) - len(block.text.lstrip())
    if found is not None:
        block.groups = {k: v for k, v in found.groups.items() if v is not None}
        block.group_spans = {k: (s + lead, e + lead) for k, (s, e) in found.spans.items()}
    elif table.kind_fields.get(kind, {}).get("record"):  # a record names what it holds
        block.groups, block.group_spans = {"name": stripped}, {"name": (lead, lead + len(stripped))}


def read_dump(path: str, text: str, table: BlockTable) -> Document:
    text = text.removeprefix("\ufeff")
    lines = split_lines(text)
    blocks = split_blocks(lines)
    for block in blocks:
        classify(block, table)
    refine(blocks)
    apply_context(blocks, table)
    document = Document(path=path, text=text, lines=lines, blocks=blocks)
    build_fields(document, table)
    return document
