"""Flattened article dumps: blank-line separated blocks -> Document.

Blocks are classified by what they contain (the block table), so other scrapers' block
orders, missing blocks, CRLF and BOMs read the same. Where content alone cannot tell
(a byline and a headline are both short capitalised text), the `context_kinds` rows of
the table then use what the flattened order tells (`context.py`).
"""

from __future__ import annotations

from bisect import bisect_left

from provlint.model import Block, Document, split_lines
from provlint.readers.blocktable import BlockTable
from provlint.readers.context import apply_context, set_kind
from provlint.readers.failure import at_stage
from provlint.readers.fields import build_fields


def split_text(text: str, lines: list[str] | None = None) -> list[Block]:
    """The blocks of a text, whose `lines` (`split_lines`) are given or split here when
    needed. Where only empty lines separate blocks (no CR, no line of white space: most
    dumps) the text is cut at each `\\n\\n`, without a step per line; otherwise line by
    line (`split_blocks`). A line of white space is blank, though `\\n\\n` does not find it."""
    if "\r" in text:
        return _line_by_line(text, lines)
    blocks: list[Block] = []
    line = 1  # the line each part starts on
    for part in text.split("\n\n"):
        if "\n" not in part:  # one line, as most blocks are: nothing to cut off
            if part:
                if part.isspace():  # a line of white space is blank
                    return _line_by_line(text, lines)
                blocks.append(Block(part, line, line))
        else:
            # Every line of the text that is not empty is one of a part's lines.
            if any(map(str.isspace, part.split("\n"))):
                return _line_by_line(text, lines)
            newlines = part.count("\n")
            text_start = len(part) - len(part.lstrip("\n"))  # the rest of a run of three or more `\n`
            block_text = part[text_start:].rstrip("\n")  # the `\n` that ends the text
            if block_text:
                start = line + text_start
                # The part's line breaks but those before and after the text.
                inside = newlines - (len(part) - len(block_text))
                blocks.append(Block(block_text, start, start + inside))
            line += newlines
        line += 2
    return blocks


def _line_by_line(text: str, lines: list[str] | None) -> list[Block]:
    return split_blocks(lines if lines is not None else split_lines(text))


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


def classify(block: Block, table: BlockTable, stripped: str) -> None:
    """The block's kind by its content (`stripped`: its text without surrounding white space)."""
    block.kind, found = table.classify(stripped, block.end_line - block.line + 1)
    if found is not None and found.groups:
        lead = len(block.text) - len(block.text.lstrip())
        block.groups = {k: v for k, v in found.groups.items() if v is not None}
        block.group_spans = {k: (s + lead, e + lead) for k, (s, e) in found.spans.items()}


def refine(blocks: list[Block], texts: list[str]) -> None:
    """A title-sized block that extends another title (title + credit line) is body text.
    `texts`: the blocks' stripped texts."""
    titles = {text for block, text in zip(blocks, texts) if block.kind == "title"}
    lengths = sorted({len(text) for text in titles})
    # Looked up by each title's prefixes of a title's length, not title by title: a
    # concatenation of thousands of dumps has thousands of titles.
    extended = {text for text in titles
                if any(text[:length] in titles for length in lengths[:bisect_left(lengths, len(text))])}
    for block, text in zip(blocks, texts):
        if block.kind == "title" and text in extended:
            block.kind = "body"


def read_dump(path: str, text: str, table: BlockTable) -> Document:
    text = text.removeprefix("\ufeff")
    # Most dumps (no CR) are cut at blank lines, and their lines split only if read.
    lines = split_lines(text) if "\r" in text else None
    blocks = split_text(text, lines)
    texts = [block.text.strip() for block in blocks]
    for block, stripped in zip(blocks, texts):
        try:
            classify(block, table, stripped)
        except Exception as exc:  # a user's block kind pattern that times out, say
            raise at_stage("classify", exc, block.line) from exc
    try:
        refine(blocks, texts)
        apply_context(blocks, table, texts)
    except Exception as exc:
        raise at_stage("classify", exc) from exc
    document = Document(path=path, text=text, lines=lines, blocks=blocks)
    try:
        build_fields(document, table)
    except Exception as exc:
        raise at_stage("fields", exc) from exc
    return document


def read_blocks(path: str, parts: list[tuple[str, str]], table: BlockTable) -> Document:
    """A document given block by block, as a rule example in the shape the rule targets
    (`{title: "…"}`): each (kind, text) is one block of that kind, in order; a timestamp
    role (`published`) is a timestamp block in that role. Blank lines inside a text do
    not split it."""
    roles = {role for row in table.timestamp_roles for role in row}
    parts = [(kind, "\n".join(line for line in split_lines(text) if line.strip())) for kind, text in parts]
    parts = [(kind, text) for kind, text in parts if text]
    text = "\n\n".join(text for _, text in parts) + "\n"
    lines = split_lines(text)
    blocks = split_blocks(lines)
    for block, (kind, _) in zip(blocks, parts):
        if kind in roles:
            block.kind, block.groups = "timestamp", {"role": kind}
        else:
            set_kind(block, kind, block.text.strip(), table)
    document = Document(path=path, text=text, lines=lines, blocks=blocks)
    build_fields(document, table)
    return document
