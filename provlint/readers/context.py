"""The block table's `context_kinds` rows: where content alone cannot tell a block's kind
(a byline and a headline are both short capitalised text), what the flattened order of a
dump tells: neighbours, repeats, and where a block stands relative to the titles and
the body.
"""

from __future__ import annotations

import re
from collections import Counter

from provlint.model import Block
from provlint.readers.blocktable import BlockTable, ContextEntry
from provlint.sameness import names_site

_WORD = re.compile(r"[^\W_]+")


# More blocks than an article flattens to (a concatenation, a live blog): the context
# rows, which compare blocks with each other, are skipped and content alone decides.
MAX_CONTEXT_BLOCKS = 300
MIN_SHARED_WORDS = 4  # fewer words say too little about what a text shares with another
# A teaser retells the opening of the body; all of a long body would share some words
# with any headline.
OPENING = 600


class Layout:
    """Where the blocks of a dump stand, as the context rows ask: the title zone (from the
    first title before the body to the first block of a `title_zone_ends` kind), the tail
    (after the body), the blocks of each kind and of each text. Built when a row first
    needs it and kept up to date as rows change kinds (`moved`), so every row sees the
    kinds the rows before it gave."""

    def __init__(self, blocks: list[Block], table: BlockTable, texts: list[str] | None = None) -> None:
        self.blocks = blocks
        self.table = table
        self.texts = texts if texts is not None else [block.text.strip() for block in blocks]
        # How many blocks hold each text (a plain dict counted in a loop: a Counter's
        # constructor is Python code, and this runs once a dump), and the most any holds.
        self.counts: dict[str, int] = {}
        counts = self.counts
        most = 0
        for text in self.texts:
            count = counts.get(text, 0) + 1
            counts[text] = count
            if count > most:
                most = count
        self.most = most
        self._with_text: dict[str, list[int]] | None = None
        # The first block of the article: a header or a bare link to the page comes before it.
        self.first = 0
        for index, block in enumerate(blocks):
            if block.kind != "header" and block.kind != "url":
                self.first = index
                break
        self._site: tuple[str, ...] | None = None
        self._words: dict[int, set[str]] = {}
        self._keys: dict[int, str] = {}
        # The title zone's blocks, zone_start <= index < zone_end (two ints: compiled, a
        # range is an object to make and to ask); empty when zone_end is 0.
        self.zone_start = 0
        self.zone_end = 0
        self.tail_start = len(blocks)
        self.of_kind: dict[str, list[int]] = {}
        self.dirty = True

    def refresh(self) -> None:
        if not self.dirty:
            return
        self.dirty = False
        blocks = self.blocks
        of_kind: dict[str, list[int]] = {}
        self.of_kind = of_kind
        for index, block in enumerate(blocks):
            indices = of_kind.get(block.kind)
            if indices is None:
                of_kind[block.kind] = [index]
            else:
                indices.append(index)
        self._zones()

    def moved(self, index: int, old: str) -> None:
        """Block `index` has left kind `old` for another: its index moves between the two
        kinds' lists (new lists, as a refresh makes), not every block counted again."""
        of_kind = self.of_kind
        kept = [other for other in of_kind[old] if other != index]
        if kept:
            of_kind[old] = kept
        else:
            del of_kind[old]
        kind = self.blocks[index].kind
        indices = of_kind.get(kind)
        of_kind[kind] = [index] if indices is None else sorted([*indices, index])
        self._zones()

    def _zones(self) -> None:
        """The title zone and the tail, from the kinds' lists."""
        blocks, of_kind = self.blocks, self.of_kind
        bodies = of_kind.get("body")
        body = bodies[0] if bodies else len(blocks)
        self.tail_start = body + 1
        self.zone_start = self.zone_end = 0
        titles = of_kind.get("title")
        if titles and titles[0] < body:  # the first title before the body (indices ascend)
            start = titles[0]
            ends = self.table.title_zone_ends
            end = start + 1
            while end < len(blocks) and blocks[end].kind not in ends:
                end += 1
            self.zone_start, self.zone_end = start, end

    def indices(self, kinds: list[str]) -> list[int]:
        """Blocks of these kinds, in dump order: a list never changed (a refresh makes new
        lists), so a caller may go through it as kinds change."""
        if len(kinds) == 1:
            return self.of_kind.get(kinds[0], [])
        return [index for index, block in enumerate(self.blocks) if block.kind in kinds]

    def with_text(self, text: str) -> list[int]:
        """The blocks of this text."""
        if self._with_text is None:
            self._with_text = {}
            for index, other in enumerate(self.texts):
                self._with_text.setdefault(other, []).append(index)
        return self._with_text[text]

    def key(self, index: int) -> str:
        if index not in self._keys:
            self._keys[index] = title_key(self.texts[index])
        return self._keys[index]

    def words(self, index: int) -> set[str]:
        if index not in self._words:
            self._words[index] = content_words(self.texts[index], self.table)
        return self._words[index]

    def site(self) -> tuple[str, ...]:
        """The registered domain and its label of the dump's URL (the header's, else the
        first link's), as a title's site-name suffix is told."""
        if self._site is None:
            from provlint.readers.fields import host_and_path, registered_domain

            url = next((block.groups.get("url") or block.groups.get("link") or "" for block in self.blocks
                        if block.kind in ("header", "url")), "")
            host = host_and_path(url)[0] if url else ""
            domain, _, label = registered_domain(host) if host else ("", "", "")
            self._site = tuple(name for name in (domain, label) if name)
        return self._site

    def in_zone(self, index: int, zone: str | None) -> bool:
        if zone == "title":
            return self.in_title_zone(index)
        if zone == "outside_title":
            return self.zone_end > 0 and not self.in_title_zone(index)
        if zone == "tail":
            return index >= self.tail_start
        if zone == "head":  # between the title zone and the body
            return index < self.tail_start - 1 and not self.in_title_zone(index)
        return True

    def in_title_zone(self, index: int) -> bool:
        return self.zone_start <= index < self.zone_end

    def neighbour(self, index: int, step: int, skip: list[str]) -> str | None:
        """The kind of the nearest block before (step -1) or after (step 1), `skip` kinds skipped."""
        index += step
        while 0 <= index < len(self.blocks):
            if self.blocks[index].kind not in skip:
                return self.blocks[index].kind
            index += step
        return None


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


def title_key(text: str) -> str:
    """A title as compared: case, runs of spaces and a trailing ellipsis or stop dropped."""
    return " ".join(text.casefold().rstrip(" .…").split())


def same_title(one: str, other: str) -> bool:
    """Two title keys say the same: equal, or one cut short of the other."""
    return one.startswith(other) or other.startswith(one)


def _holds(rule: ContextEntry, index: int, layout: Layout) -> bool:
    """Whether the row's other conditions hold for the block (`apply_context` asks the
    cheap ones first: its kind, first place, count, zone and neighbours)."""
    blocks, texts, table = layout.blocks, layout.texts, layout.table
    text = texts[index]
    content = rule.content
    if not table.fits(content, blocks[index].end_line - blocks[index].line + 1, text):
        return False
    if content.pattern is not None and content.pattern.fullmatch(text) is None:
        return False
    if rule.same_text_as and not any(i != index and blocks[i].kind in rule.same_text_as
                                     for i in layout.with_text(text)):
        return False
    if rule.absent and any(i != index for i in layout.indices(rule.absent)):
        return False
    if rule.absent_in_zone and any(i != index and layout.in_zone(i, rule.zone)
                                   for i in layout.indices(rule.absent_in_zone)):
        return False
    if rule.differs_from:
        # Outside the title zone only the zone's titles count: a byline repeated three
        # times differs from the title although its copies are title-like too.
        outside = layout.zone_end > 0 and not layout.in_title_zone(index)
        key = layout.key(index)
        if any(i != index and same_title(layout.key(i), key) for i in layout.of_kind.get(rule.differs_from, ())
               if not outside or layout.in_title_zone(i)):
            return False
    if rule.names_site and not (layout.site() and names_site(text, layout.site())):
        return False
    if rule.after_repeated:
        earlier = Counter(texts[i] for i in layout.of_kind.get(rule.after_repeated, ()) if i < index)
        if not any(count > 1 for count in earlier.values()):
            return False
    if rule.longer_than:
        reference = next((i for i in layout.of_kind.get(rule.longer_than, ()) if i < index), None)
        if reference is None or table.length(text) < rule.ratio * table.length(texts[reference]):
            return False
    if rule.shares_words_with:
        words = content_words(text, table)
        known = set().union(*(layout.words(i) for i in layout.indices(rule.shares_words_with) if i != index))
        if len(words) < MIN_SHARED_WORDS or len(words & known) < rule.min_share * len(words):
            return False
    return True


def apply_context(blocks: list[Block], table: BlockTable, texts: list[str] | None = None) -> None:
    """The `context_kinds` rows, in order, each over every block whose kind is one it
    takes; a row sees the kinds the rows before it gave. `texts`: the blocks' stripped
    texts, when the caller has them."""
    if not table.context or len(blocks) > MAX_CONTEXT_BLOCKS:
        return
    layout = Layout(blocks, table, texts)
    texts, counts = layout.texts, layout.counts
    most = layout.most  # no row asking more repeats than this can hold
    for rule in table.context:
        # A row asking for another block of the same text (`same_text_as`) asks for a repeat
        # (no `max()`: compiled, that is a call of the builtin with boxed ints).
        least = rule.min_count or 0
        if rule.same_text_as and least < 2:
            least = 2
        if most < least:
            continue
        if layout.dirty:
            layout.refresh()
        if rule.zone in ("title", "outside_title") and layout.zone_end == 0:
            continue  # no block is in the title zone, nor outside one
        from_kinds = rule.from_kinds
        if rule.first:  # only the first block can take it
            # A list, not a Sequence: compiled, a list is gone through by index, not by an iterator.
            candidates: list[int] = [layout.first] if blocks and blocks[layout.first].kind in from_kinds else []
        elif len(from_kinds) == 1:
            candidates = layout.of_kind.get(from_kinds[0], [])  # kept as it is while kinds change below
        else:
            # The blocks of those kinds now, in order: only the block at hand changes kind below.
            # Most dumps hold one of a row's kinds or none: no set made and sorted then.
            of_kind = layout.of_kind
            present: list[list[int]] = []
            for kind in from_kinds:
                indices = of_kind.get(kind)  # one look-up, not `in` and then `[]`
                if indices is not None:
                    present.append(indices)
            if not present:
                continue
            if len(present) == 1:
                candidates = present[0]
            elif len(present) == 2 and present[0] is not present[1]:
                # Two kinds' blocks (a row naming one kind twice has its list twice): no
                # index in both, so the two lists sorted as one, without a set.
                candidates = present[0] + present[1]
                candidates.sort()
            else:
                candidates = sorted({index for indices in present for index in indices})
        zone, follows, precedes = rule.zone, rule.follows, rule.precedes
        # Each candidate is of one of the row's kinds until the row reaches it: only the
        # block at hand changes kind below, and no index comes twice.
        for index in candidates:
            # The conditions most blocks fail, asked before the others (`_holds`).
            if least and counts[texts[index]] < least:
                continue
            if zone is not None and not layout.in_zone(index, zone):
                continue
            if follows and layout.neighbour(index, -1, rule.skip) not in follows:
                continue
            if precedes and layout.neighbour(index, 1, rule.skip) not in precedes:
                continue
            if _holds(rule, index, layout):
                old = blocks[index].kind
                set_kind(blocks[index], rule.kind, texts[index], table)
                layout.moved(index, old)


def set_kind(block: Block, kind: str, stripped: str, table: BlockTable) -> None:
    block.kind, block.groups, block.group_spans = kind, {}, {}
    found = table.groups_for(kind, stripped)
    lead = len(block.text) - len(block.text.lstrip())
    if found is not None:
        block.groups = {k: v for k, v in found.groups.items() if v is not None}
        block.group_spans = {k: (s + lead, e + lead) for k, (s, e) in found.spans.items()}
    elif table.kind_fields.get(kind, {}).get("record"):  # a record names what it holds
        block.groups, block.group_spans = {"name": stripped}, {"name": (lead, lead + len(stripped))}
