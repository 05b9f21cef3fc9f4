from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from typing import Any

from provlint.checks.base import FIELDS, TARGET, finding, joined_blocks, source_place, target_fields, text_of
from provlint.model import Block, Document, Finding
from provlint.patterns import Pattern, PatternSet, compile_pattern
from provlint.readers.rowscreen import shape_of
from provlint.visible import Visible, format_characters, visible
from provlint.rulepack import Rule, Ruleset

DOC = """`pattern`: a regular expression over blocks or fields; one finding per match.

Options: `pattern` (RE2 syntax; look-around falls back to `regex` with a timeout),
`target` (`blocks`, a list of block kinds) or `fields` (field names); `unique: true`
reports a match only when its text occurs once in the block (a word the text repeats,
such as `SoftBank` or `WikiLeaks`, is a name, not an accident; in a block longer than
100,000 characters, once among the block's matches).

Patterns match the text without its format characters (zero-width spaces and joiners,
the word joiner, soft hyphens, byte order marks, bidi controls: Unicode category Cf),
which print nothing and would otherwise hide a placeholder from its pattern; the finding
points at the match in the text as written, and its message names the invisible
characters inside the match.

Every block-pattern rule of the rule set is first matched as one RE2 set over the
document's blocks; a rule scans the blocks only when its pattern occurs there.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["pattern"],
    "properties": {
        "pattern": {"type": "string", "minLength": 1,
                    "description": "RE2 regular expression; look-around falls back to `regex` with a timeout."},
        "target": {**TARGET, "description": "`blocks`, `fields`, or a list of block kinds."},
        "fields": {**FIELDS, "description": "Field names to match instead of blocks."},
        "unique": {"type": "boolean", "description": "Report a match only when its text occurs once in the block."},
        "residue": {"enum": ["match", "block"],
                    "description": "For a block kind that follows the rule's category (`category:` in `block_kinds`): "
                                   "`match` (default), a block its matches cover is of that kind; `block`, a block "
                                   "that opens with a match is (filler whose marker stands for the text after it)."},
    },
}
VALUES = {"match": "the matched text", "kind": "the block kind, or the field's name"}
# Past this length a match's text is looked for again only among the block's matches:
# searching the whole block once per match would cost its length times the matches.
MAX_UNIQUE_SCAN = 100_000
FORMAT_CHARACTER = compile_pattern(r"\p{Cf}")


class Screen:
    """Every block-pattern rule of the pack as one RE2 set, shared by them all and built
    on first use (a run that lints nothing never compiles it), with the patterns other
    kinds add (`add`: the phrases and credit rules'), so that a document's blocks are
    matched once for them all. The set also tells whether a text holds format
    characters, which a rule's pattern must not see."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self._set: PatternSet | None = None

    def add(self, pattern: Pattern) -> None:
        """Screen `pattern` too; one added after the set was built is not screened."""
        if self._set is None and pattern not in self.patterns:
            self.patterns.append(pattern)

    def get(self) -> PatternSet:
        if self._set is None:
            self._set = PatternSet([*self.patterns, FORMAT_CHARACTER], parts=True)
        return self._set

    def may_occur(self, pattern: Pattern, document: Document) -> bool:
        """Whether `pattern` may match in some block of the document (False: surely not),
        from the set matched once per document for every rule that reads it. True when
        the set cannot tell: the pattern is not screened, or a block holds format
        characters (the set then reads the blocks without them, the pattern with)."""
        patterns = self.get()
        number = patterns.position(pattern)
        if number is None:
            return True
        return number in _document_hits(patterns, document) or bool(document.memo["pattern-formats"])

    def ruled_out(self, pattern: Pattern, document: Document) -> list[int]:
        """The blocks `pattern` surely does not match in, among those the screen matched
        on their own (the long ones, `_hits`): a rule whose pattern occurs in a short block
        (an outlet's name in its publisher block) does not scan the body for it."""
        patterns = self.get()
        number = patterns.position(pattern)
        if number is None:
            return []
        _document_hits(patterns, document)
        if document.memo["pattern-formats"]:
            return []
        return [index for index, found in enumerate(_block_hits(document)) if found is not None and number not in found]


class Prepared:
    """A pattern rule's options as its check reads them, and the pack's one screen."""

    def __init__(self, rule: Rule, screen: Screen) -> None:
        self.screen = screen
        self.fields = "fields" in rule.options or rule.options.get("target") == "fields"
        target = rule.options.get("target", "blocks")
        self.blocks = target == "blocks" or isinstance(target, list)
        self.kinds = set(target) if isinstance(target, list) else None
        self.unique = bool(rule.options.get("unique"))
        # For a field rule: texts every match holds, one of each tuple (`needs_of`); None: not read yet.
        self.needs: list[tuple[str, ...]] | None = None


def needs_of(pattern: Pattern) -> list[tuple[str, ...]]:
    """Texts every match of an RE2 pattern holds, one of each tuple, as the block table's
    row screens read them (`shape_of`: what it cannot read requires nothing): a value
    that holds none of one (most author names hold no `//` nor `www.`) is not searched,
    each test a C-level `in`, not an RE2 call. Nothing for a `regex` (look-around) pattern."""
    if pattern.engine != "re2":
        return []
    return [tuple(need) for need in shape_of(pattern.source).required if all(need)]


def prepare(rule: Rule, pack: Ruleset) -> Prepared:
    """The rule's options and the pack's one screen."""
    return Prepared(rule, pack_screen(pack))


def pack_screen(pack: Ruleset) -> Screen:
    """The pack's one screen: the first rule prepared that reads it (a pattern, phrases or
    credit rule) builds it, the others share it."""
    for other in pack.rules:
        prepared = other.prepared
        screen = prepared.screen if isinstance(prepared, Prepared) else getattr(prepared, "pack_screen", None)
        if isinstance(screen, Screen):
            return screen
    return Screen([other.pattern for other in pack.rules
                   if other.check == "pattern" and other.pattern is not None
                   and "fields" not in other.options and other.options.get("target") != "fields"])


def _visible_blocks(screen: PatternSet, document: Document) -> list[Visible | None]:
    """Each block's text without format characters (None: it has none), made once for all
    rules; a document the screen finds no format character in (most) has none to remove."""
    memo = document.memo
    shown: list[Visible | None] | None = memo.get("visible-blocks")
    if shown is None:
        formats = memo.get("pattern-formats")
        if formats is None:
            _document_hits(screen, document)
            formats = memo["pattern-formats"]
        shown = memo["visible-blocks"] = [visible(block.text) for block in document.blocks] if formats \
            else [None] * len(document.blocks)
    return shown


def _hits(screen: PatternSet, document: Document) -> tuple[frozenset[int], bool]:
    """The numbers of the patterns that may match in some block, and whether some block
    holds format characters. A long block (a body) is matched on its own and the others
    joined by blank lines, one set match for them all; the long block's own answer is
    kept for the rules whose pattern the document may hold (`_block_hits`), which would
    otherwise match it again. A document without format characters (most) is its own
    visible text, and is not looked at block by block for them."""
    texts = [block.text for block in document.blocks]
    longest = screen.MEMO_TEXT
    apart = {index: screen.hits(text) for index, text in enumerate(texts) if len(text) > longest}
    hits, ascii_only = screen.joined_hits([text for text in texts if len(text) <= longest] if apart else texts)
    if apart:
        hits = hits.union(*apart.values())
        ascii_only = ascii_only and all(texts[index].isascii() for index in apart)
    if not ascii_only:
        formats = screen.position(FORMAT_CHARACTER)
        # Format characters are looked for apart when the set screens nothing.
        held = formats in hits if formats is not None else FORMAT_CHARACTER.search(joined_blocks(document)) is not None
        if held:
            document.memo["pattern-formats"] = True
            joined = "\n\n".join(shown.text if shown else block.text
                                  for block, shown in zip(document.blocks, _visible_blocks(screen, document), strict=True))
            return screen.hits(joined), True
    if apart:
        in_blocks = _block_hits(document)
        for index, found in apart.items():
            in_blocks[index] = found
    return hits, False


def _document_hits(screen: PatternSet, document: Document) -> frozenset[int]:
    """`_hits`, matched once per document for all the pattern rules (they share one screen)."""
    memo = document.memo
    hits: frozenset[int] | None = memo.get("pattern-hits")
    if hits is None:
        hits, memo["pattern-formats"] = _hits(screen, document)
        memo["pattern-hits"] = hits
    return hits


def _block_hits(document: Document) -> list[frozenset[int] | None]:
    """For each block, the numbers of the patterns that may match in it (None: not asked
    yet): asked only of a document where some pattern occurs, and only of the blocks a
    rule reads, so that its rule scans only the blocks its pattern occurs in."""
    return document.derived("pattern-block-hits", lambda: [None] * len(document.blocks))


def _matches(pattern: Pattern, text: str, shown: Visible | None, in_block: bool = False,
             unique: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) in `text` of each match of the pattern in its visible text; in a block,
    empty matches say nothing and are left out."""
    searched = shown.text if shown else text
    # Positions only: a match's groups are never read here.
    found = [(start, end) for start, end in pattern.every_span(searched) if end > start or not in_block]
    if unique:
        counts = Counter(searched[start:end] for start, end in found)
        found = [(start, end) for start, end in found if counts[searched[start:end]] == 1
                 and (len(searched) > MAX_UNIQUE_SCAN or searched.count(searched[start:end]) == 1)]
    for start, end in found:
        yield (shown.start(start), shown.end(end)) if shown else (start, end)


def _found(rule: Rule, document: Document, matched: str, line: int, column: int | None, end_line: int,
           end_column: int | None, kind: str) -> Finding:
    result = finding(rule, document, line, column, end_line, end_column, match=matched, kind=kind)
    hidden = format_characters(matched) if not matched.isascii() else []
    if hidden:
        result = dataclasses.replace(result, message=f"{result.message} (hidden by invisible {', '.join(hidden)})")
    return result


class PatternPass:
    """The pattern rules in one pass (`prepare_group`): the document-wide screen is
    matched once, and a block rule whose pattern it rules out is not run at all."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        # Each rule's number in its screen (None: not screened), found on the first document.
        self.numbers: list[int | None] | None = None

    def __call__(self, document: Document) -> list[Finding]:
        numbers = self.numbers
        if numbers is None:
            numbers = self.numbers = [_screened(rule) for rule in self.rules]
        findings: list[Finding] = []
        # The pack's one screen, matched for the first screened rule.
        screen: PatternSet | None = None
        hits: frozenset[int] = frozenset()
        for rule, number in zip(self.rules, numbers, strict=True):
            prepared = rule.prepared
            if number is None:
                findings.extend(check(rule, document, prepared))
                continue
            patterns = prepared.screen.get()
            if patterns is not screen:
                screen, hits = patterns, _document_hits(patterns, document)
            if number in hits:
                findings.extend(_in_blocks(rule, document, prepared, patterns, number))
        return findings


def _screened(rule: Rule) -> int | None:
    """The rule's number in the screen its block check reads; None when it has no screen to skip by."""
    prepared = rule.prepared
    if rule.pattern is None or prepared.fields or not prepared.blocks:
        return None
    return prepared.screen.get().position(rule.pattern)


def prepare_group(rules: list[Rule]) -> PatternPass:
    return PatternPass(rules)


def check(rule: Rule, document: Document, prepared: Prepared) -> Iterator[Finding]:
    assert rule.pattern is not None
    if prepared.fields:
        needs = prepared.needs
        if needs is None:
            needs = prepared.needs = needs_of(rule.pattern)
        for name, value in target_fields(rule, document):
            text = text_of(value)
            shown = visible(text)
            searched = shown.text if shown else text
            if not all(any(part in searched for part in need) for need in needs):
                continue
            for start, end in _matches(rule.pattern, text, shown):
                column = value.column + start if "\n" not in text[:start] else None
                yield _found(rule, document, text[start:end], value.line, column, value.line,
                             column + end - start if column else None, name)
        return
    if not prepared.blocks:
        return
    patterns = prepared.screen.get()
    number = patterns.position(rule.pattern)
    # The document-wide screen, matched once for every rule: most rules stop here.
    if number is not None and number not in _document_hits(patterns, document):
        return
    yield from _in_blocks(rule, document, prepared, patterns, number)


def _in_blocks(rule: Rule, document: Document, prepared: Prepared, patterns: PatternSet,
               number: int | None) -> Iterator[Finding]:
    """A block rule's findings where the screen (`number` in `patterns`, None: not screened)
    did not rule its pattern out of the document."""
    assert rule.pattern is not None
    kinds, unique = prepared.kinds, prepared.unique
    in_blocks = _block_hits(document) if number is not None else None
    block: Block
    for index, (block, shown) in enumerate(zip(document.blocks, _visible_blocks(patterns, document), strict=True)):
        if kinds is not None and block.kind not in kinds:
            continue
        if in_blocks is not None:
            hits = in_blocks[index]
            if hits is None:
                hits = in_blocks[index] = patterns.hits(shown.text if shown else block.text)
            if number not in hits:
                continue
        for start, end in _matches(rule.pattern, block.text, shown, in_block=True, unique=unique):
            line, column, end_line, end_column = source_place(document, block, start, end)
            yield _found(rule, document, block.text[start:end], line, column, end_line, end_column, block.kind)
