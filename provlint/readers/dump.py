"""Flattened article dumps: blank-line separated blocks -> Document.

Blocks are classified by what they contain (the block table), never by position, so
other scrapers' block orders, missing blocks, CRLF and BOMs read the same.
"""

from __future__ import annotations

from provlint.model import Block, Document
from provlint.readers.blocktable import BlockTable
from provlint.readers.fields import build_fields


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


def read_dump(path: str, text: str, table: BlockTable) -> Document:
    text = text.removeprefix("\ufeff")
    lines = split_lines(text)
    blocks = split_blocks(lines)
    for block in blocks:
        classify(block, table)
    refine(blocks)
    document = Document(path=path, text=text, lines=lines, blocks=blocks)
    build_fields(document, table)
    return document
