from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date, datetime, UTC
from struct import Struct
from typing import Any, Final, NamedTuple

from mypy_extensions import i64

from provlint.checks.base import finding
from provlint.dates import Timestamp
from provlint.model import Document, Finding, Signature
from provlint.readers.fields import host_and_path, registered_domain
from provlint.rulepack import Rule
from provlint.sources import ONE_BYTE_CODECS, Registry, byte_table, fold_text, marks_between_words, name_key

DOC = """`corpus`: what only the whole corpus shows, found after every file was read.

Each document with a URL leaves a small signature (its registered domain, publication
instant, a MinHash of its body, the domains it links to and names it credits, the
operator ids of a page), kept in the cache with its findings: a re-run rebuilds the
corpus index from the cache without reading unchanged files again. Options: `report`,
one of
  `copies`    the same or a near-identical body (word `shingle`s of the body, estimated
              Jaccard similarity at least `threshold`, bodies of `min_words` words or
              more) on two or more registered domains: one finding on each later copy,
              at its body, naming the earliest by publication time (then path), its
              domain and registry flags, and whether the copy credits it (a canonical
              or other URL of its domain, a link to it in the body, or its outlet's name
              or domain in the body's opening or closing words or a short block);
  `burst`     one registered domain published more than `max` documents within one
              hour: one finding per burst, at the publication time of the document
              past `max`;
  `operator`  the same analytics, advertising, tag-manager or site-verification id in
              pages of two or more registered domains: one finding on each page of a
              domain other than the first (by path) to use it.
"""

OPTIONS_SCHEMA: dict[str, Any] = {
    "required": ["report"],
    "properties": {
        "report": {"enum": ["copies", "burst", "operator"], "description": "What to report."},
        "threshold": {"type": "number", "minimum": 0, "maximum": 1,
                      "description": "With `report: copies`: the least estimated Jaccard similarity of two bodies."},
        "shingle": {"type": "integer", "minimum": 1, "maximum": 10,
                    "description": "With `report: copies`: words per shingle (default 3)."},
        "min_words": {"type": "integer", "minimum": 1,
                      "description": "With `report: copies`: shorter bodies are not compared (default 40)."},
        "max": {"type": "integer", "minimum": 1, "description": "How many occurrences are allowed."},
    },
}
VALUES = {"original": "the earliest copy's path", "domain": "the registered domain (the earlier copy's, or the burst's)",
          "flags": "the earlier copy's registry flags, with their acts, or nothing",
          "similarity": "the estimated Jaccard similarity", "credit": "how the copy credits the original, or that it does not",
          "published": "the original's publication time, or `unknown`",
          "site": "the copy's registered domain", "count": "how many documents",
          "max": "the allowed number", "start": "the first publication time", "end": "the last publication time",
          "kind": "what the operator id is", "value": "the operator id", "others": "the other domains that use it"}

# One MinHash value per bin: one hash per shingle, its top bits choosing the bin (one
# permutation hashing, Li, Owen and Zhang 2012), empty bins filled from the next bin
# (densification, Shrivastava 2017). A shingle's hash is made from its words' hashes (each
# word's blake2b of 4 bytes, kept per process): the sum of its words' hashes times fixed
# odd multipliers, mod 2**32 (a polynomial hash of the word hashes), then MurmurHash3's
# 32-bit finalizer (fmix32, a bijection whose every output bit depends on every input bit:
# the least in a bin is not ordered by a linear function of the words' hashes). One pass
# over the bytes of the body's words on 64-bit integers (`i64`: plain machine arithmetic
# once compiled, each product masked to 32 bits at once, so Python's integers give the same
# values), keeping the least of each bin; for shingles of three words (the default) the
# last three word hashes kept in machine integers.
# Deterministic on every machine (never the salted `hash()`): the same words give the same
# values in every process.
BINS: Final = 64
BAND_ROWS = 4  # 16 bands of 4 values: a pair at 0.8 similarity shares one band with probability 0.9998
_EMPTY: Final = 0xFFFFFFFF
_FILL_STEP: Final = 0x9E3779B1
# A shingle's hash is 32 bits: its top 30 are the value kept, whose top 6 choose the bin.
_KEY_SHIFT: Final = 2
_BIN_SHIFT: Final = 24
# (The multipliers: blake2b of `provlint shingle word {position}`, 4 bytes little-endian,
# shifted right by 4, made odd; not chosen by any measure.)
_WORD_MULTIPLIERS: Final = [0x332B011, 0x95BB1D3, 0xF1C4D8F, 0xEE7E40F, 0x024047D, 0x3AB2C7D, 0x7A25AD3, 0x410398F,
                            0xFF9992F, 0xD15D3DF]
_PACK_BINS: Final = Struct(f"<{BINS}I").pack


def _word_char(char: str) -> str:
    """What the word split makes of a character: a word character casefolded, any other a space."""
    return char.casefold() if char.isalnum() or char == "_" else " "


# The words (`\w+` of the casefolded body) are read from one bytes object, `_spaced`: the
# words with a space after each, in one encoding. Every character `\w` does not match is
# white space or one of `marks_between_words`, so the words are the body's split once
# those are spaces. Text of one byte a character in Latin-1 (ASCII too), Windows-1251
# (Cyrillic) or Windows-1252 (Latin-1's letters with typographic quotes and dashes: French,
# German or Spanish as published, tried last) is its encoding through one
# `bytes.translate`, which makes each other character a space and casefolds each letter
# that folds to one letter of the encoding (those that do not, such as µ and ß, are
# casefolded with their word, when it is first met). An encoding is tried only if it
# holds the character the one before failed at (Japanese fails Latin-1 at its first
# character and tries no other: each failure raises, and Windows-125x encode slowly).
# Other text is its words found by one `str.replace` for each mark (or, when it has few
# spaces: Chinese, Japanese, by `\w+` in the runs that are not one word), in UTF-8, not
# casefolded (their words are, when first met) unless it holds one of _FOLD_MOVES_WORDS.
_WORD_CODECS: Final = [(codec, byte_table(codec, _word_char)[0]) for codec in (*ONE_BYTE_CODECS, "cp1252")]
_OTHER_CODEC: Final = "utf-8"
_CODECS: Final = [*(codec for codec, _ in _WORD_CODECS), _OTHER_CODEC]
_CODEC_CHARS: Final = [bytes(range(256)).decode(codec, "ignore") for codec, _ in _WORD_CODECS]  # what each encodes
_WORD = re.compile(r"\w+")
_LONG_WORDS: Final = 12  # fewer spaces than one in _LONG_WORDS characters: words by `\w+`
# The marks between most words of text with few spaces (ideographic comma and full stop,
# fullwidth comma): once they are spaces, most runs between spaces are one word each,
# which `str.isalnum` tells at a few instructions a character (`\w+` takes ~170).
_CLAUSE_MARKS: Final = "\u3001\u3002\uff0c"
# The characters that casefold to characters on the other side of `\w` (a letter to a
# letter and a combining mark: İ to i and U+0307, which splits its word; the mark U+0345
# to ι, which joins two), for Unicode 14 (Python 3.11; a test compares them with every
# character's casefold); under another Unicode every such text is casefolded whole
# (_FOLD_PINNED). Without them `\w+` of a text and of its casefold are the same
# words but for their case. All but U+0345 are word characters, so none is in a text
# whose words' UTF-8 holds none of their first bytes (_FOLD_LEADS: each looked for by
# memchr, faster than a pattern or a `bytes.translate` over the text; the characters
# themselves only when one is there).
_FOLD_MOVES_WORDS: Final = ("\u0130\u01f0\u0345\u0390\u03b0\u1e96\u1e97\u1e98\u1e99\u1f50\u1f52\u1f54\u1f56"
                            "\u1fb6\u1fb7\u1fc6\u1fc7\u1fd2\u1fd3\u1fd6\u1fd7\u1fe2\u1fe3\u1fe4\u1fe6\u1fe7"
                            "\u1ff6\u1ff7")
_FOLD_PINNED: Final = unicodedata.unidata_version == "14.0.0"
_FOLD_LEADS: Final = [bytes([lead]) for lead in sorted({char.encode(_OTHER_CODEC)[0] for char in _FOLD_MOVES_WORDS
                                                          if char.isalnum()})]
_SPACE: Final = 0x20
# Each word's hash is kept per process, looked up by the word's bytes as integers, not
# as a `str` or `bytes` made for each word (hashing those would cost more than the
# MinHash): a word of up to _PART bytes is its bytes big-endian in one integer (no byte of
# a word is zero or a space, so different words give different integers), the codec's
# index above them; one of up to 2 * _PART bytes its first _PART bytes and the rest. They
# are found in an open-addressing table of _SLOTS slots, emptied when it holds MAX_WORDS
# words (at most half full); a longer word by its bytes, in a dict per codec (emptied at
# MAX_WORDS too).
_PART: Final = 7
_CODEC_SHIFT: Final = 8 * _PART
MAX_WORDS: Final = 16384
_SLOTS: Final = 2 * MAX_WORDS
_SLOT_SHIFT: Final = 40  # a slot is bits 40..54 of a product: they depend on every byte of the word
_HEAD_MIX: Final = 0x2545F4914F6CDD1D
_TAIL_MIX: Final = 0x1B873593A2C3D5E7


def _word_hash(spaced: bytes, start: i64, end: i64, codec: i64) -> int:
    """The hash of the word at `spaced[start:end]`: blake2b of 4 bytes of its UTF-8, little-endian."""
    word = spaced[start:end].decode(_CODECS[codec], "surrogatepass").casefold()
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=4).digest(), "little")


class _WordHashes:
    """The hashes of the words met, by their bytes (the table the comment above describes)."""

    def __init__(self) -> None:
        self.heads: list[int] = [0] * _SLOTS  # 0: an empty slot
        self.tails: list[int] = [0] * _SLOTS
        self.hashes: list[int] = [0] * _SLOTS
        self.used: i64 = 0
        self.long: list[dict[bytes, int]] = [{} for _ in _CODECS]

    def of(self, spaced: bytes, start: i64, end: i64, head: i64, tail: i64, codec: i64) -> i64:
        """The hash of the word at `spaced[start:end]`, whose first bytes are `head`, the
        next `tail` (when it is short enough to be found by them)."""
        if end - start > 2 * _PART:
            word = spaced[start:end]
            known = self.long[codec]
            found = known.get(word)
            if found is not None:
                return found
            if len(known) >= MAX_WORDS:
                known.clear()
            hashed = known[word] = _word_hash(spaced, start, end, codec)
            return hashed
        head |= codec << _CODEC_SHIFT
        heads = self.heads
        slot: i64 = ((head * _HEAD_MIX + tail * _TAIL_MIX) >> _SLOT_SHIFT) & (_SLOTS - 1)
        while True:
            held: i64 = heads[slot]
            if held == head:
                held_tail: i64 = self.tails[slot]
                if held_tail == tail:
                    return self.hashes[slot]
            elif held == 0:
                break
            slot = (slot + 1) & (_SLOTS - 1)
        if self.used >= MAX_WORDS:
            heads[:] = [0] * _SLOTS
            self.used = 0
            slot = ((head * _HEAD_MIX + tail * _TAIL_MIX) >> _SLOT_SHIFT) & (_SLOTS - 1)
        hashed = _word_hash(spaced, start, end, codec)
        heads[slot] = head
        self.tails[slot] = tail
        self.hashes[slot] = hashed
        self.used += 1
        return hashed


_KNOWN: Final = _WordHashes()

_HOST: Final = re.compile(r"(?i)\b(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:/\S*)?")
# Every host `_HOST` finds holds a dot and a letter `(?i)[a-z]` matches (these four
# besides ASCII), and no white space: it is searched for only in the runs between spaces
# that hold one (found by `str.find` of each dot: a pattern's search took ~10
# instructions a character of the body).
_HOST_LETTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\u0130\u0131\u017f\u212a")
HEAD_CHARS: Final = 200
TAIL_CHARS: Final = 300
SHORT_BLOCK: Final = 120
# What a copy's credit is read in (`credit_text`): the folded head and tail of its body and
# its short blocks, ` | ` between, cut at CREDIT_CHARS. Folded only for the few copies
# found: a signature keeps the parts as they are, the first CREDIT_PARTS of them. Each part
# after the first adds its ` | ` whatever it folds to (even to nothing), so the first
# CREDIT_PARTS fold to at least 3 * (CREDIT_PARTS - 1) >= CREDIT_CHARS characters, and no
# later part reaches the cut.
CREDIT_CHARS: Final = 2 * (HEAD_CHARS + TAIL_CHARS)
CREDIT_PARTS: Final = -(-CREDIT_CHARS // 3) + 1
CREDIT_KINDS: Final = ("timestamp", "url", "image", "locale", "dimensions", "year", "keywords", "tag", "section")


class Settings(NamedTuple):
    shingle: int = 3
    min_words: int = 40


def settings(rules: Sequence[Rule]) -> Settings:
    """How signatures are made, from the first `copies` rule (defaults without one)."""
    for rule in rules:
        if rule.check == "corpus" and rule.options.get("report") == "copies":
            return Settings(int(rule.options.get("shingle", 3)), int(rule.options.get("min_words", 40)))
    return Settings()


def check(rule: Rule, document: Document, prepared: None) -> Iterator[Finding]:
    """Nothing per document: the engine's corpus pass reports (`corpus_findings`)."""
    return iter(())


def _key(value: i64) -> i64:
    """What a shingle keeps of its sum of products: fmix32 of its low 32 bits, the top 30."""
    value &= 0xFFFFFFFF
    value ^= value >> 16
    value = (value * 0x85EBCA6B) & 0xFFFFFFFF
    value ^= value >> 13
    value = (value * 0xC2B2AE35) & 0xFFFFFFFF
    return (value ^ (value >> 16)) >> _KEY_SHIFT


def _spaced(text: str) -> tuple[bytes, i64]:
    """The words of `text` (`re.findall(r"\\w+", text.casefold())`), each followed by a
    space, in bytes of one codec, and the codec's index in _CODECS; a word whose letters the
    codec's table does not fold is casefolded when decoded (`_word_hash`)."""
    index: i64 = 0
    failed_at = ""  # the character the codec tried last could not encode
    for codec, table in _WORD_CODECS:
        if failed_at in _CODEC_CHARS[index]:
            try:
                return text.encode(codec).translate(table) + b" ", index
            except UnicodeEncodeError as error:
                failed_at = text[error.start]
        index += 1
    spaced = _other_words(text)
    if _folds_words_apart(text, spaced):
        spaced = _other_words(text.casefold())
    return spaced, index


def _folds_words_apart(text: str, spaced: bytes) -> bool:
    """Whether `text` (its words `spaced`, in UTF-8) holds one of _FOLD_MOVES_WORDS."""
    return not _FOLD_PINNED or "\u0345" in text or (any(lead in spaced for lead in _FOLD_LEADS)
                                and any(char in text for char in _FOLD_MOVES_WORDS))


def _other_words(text: str) -> bytes:
    """The words of text no one-byte codec encodes, each followed by a space, in UTF-8."""
    if text.count(" ") * _LONG_WORDS < len(text):  # Chinese, Japanese: few words, long
        for char in _CLAUSE_MARKS:
            text = text.replace(char, " ")
        found: list[str] = []
        for part in text.split():
            if part.isalnum():  # one word: each character `\w` (a letter or digit)
                found.append(part)
            else:
                found += _WORD.findall(part)
    else:
        for char in marks_between_words(text):
            text = text.replace(char, " ")
        found = text.split()
    found.append("")
    return " ".join(found).encode(_OTHER_CODEC, "surrogatepass")


def minhash(text: str, shingle: int, min_words: int = 1) -> bytes:
    """The MinHash of the words of `text`: BINS values of 32 bits, little-endian; nothing
    for fewer than `shingle` or `min_words` words."""
    spaced, codec = _spaced(text)
    known = _KNOWN
    least = [_EMPTY] * BINS
    three = shingle == 3
    hashes: list[int] = []  # shingles of other than three words: every word's hash
    first: i64 = _WORD_MULTIPLIERS[0]
    second: i64 = _WORD_MULTIPLIERS[1]
    third: i64 = _WORD_MULTIPLIERS[2]
    older: i64 = 0
    old: i64 = 0
    new: i64 = 0
    count: i64 = 0
    head: i64 = 0  # the word's first _PART bytes
    tail: i64 = 0  # its next _PART
    start: i64 = 0
    at: i64 = 0
    size: i64 = len(spaced)
    while at < size:
        byte: i64 = spaced[at]
        if byte != _SPACE:
            length = at - start
            if length < _PART:
                head = (head << 8) | byte
            elif length < 2 * _PART:
                tail = (tail << 8) | byte
            at += 1
            continue
        if at > start:
            older = old
            old = new
            new = known.of(spaced, start, at, head, tail, codec)
            head = 0
            tail = 0
            count += 1
            if not three:
                hashes.append(new)
            elif count >= 3:
                key = _key(older * first + old * second + new * third)  # each product under 2**60
                slot = key >> _BIN_SHIFT
                if key < least[slot]:
                    least[slot] = key
        at += 1
        start = at
    if count < shingle or count < min_words:
        return b""
    if not three:
        least = _least_of_shingles(hashes, shingle)
    if _EMPTY not in least:
        return _PACK_BINS(*least)
    filled = list(least)
    for slot in range(BINS):
        if least[slot] == _EMPTY:
            distance: i64 = 1
            while distance < BINS:
                found: i64 = least[(slot + distance) % BINS]
                if found != _EMPTY:
                    filled[slot] = (found + distance * _FILL_STEP) & 0xFFFFFFFE  # never the empty mark
                    break
                distance += 1
    return _PACK_BINS(*filled)


def _least_of_shingles(hashes: list[int], shingle: int) -> list[int]:
    """The least key of each bin, shingles of any number of words, from the words' hashes."""
    multipliers = _WORD_MULTIPLIERS[:shingle]
    least = [_EMPTY] * BINS
    width: i64 = len(multipliers)
    for start in range(len(hashes) - shingle + 1):
        value: i64 = 0
        offset: i64 = 0
        while offset < width:
            hashed: i64 = hashes[start + offset]
            multiplier: i64 = multipliers[offset]
            value += hashed * multiplier  # under 2**60 each; compiled, a sum past 2**63 wraps: its low 32 bits are kept
            offset += 1
        key = _key(value)
        slot = key >> _BIN_SHIFT
        if key < least[slot]:
            least[slot] = key
    return least


def similarity(first: bytes, second: bytes) -> float:
    """The estimated Jaccard similarity of two MinHashes: the share of bins that agree."""
    if len(first) != BINS * 4 or len(second) != BINS * 4:
        return 0.0
    return agreeing(int.from_bytes(first, "little"), int.from_bytes(second, "little")) / BINS


# A bin's XOR is zero when the bins agree. Its low 31 bits plus 0x7FFFFFFF reach the top
# bit unless they are zero, with no carry into the next bin, so one addition over all
# bins at once, or-ed with the XOR, leaves a bin's top bit set exactly when they differ.
_LOW_BITS: Final = int.from_bytes(b"\xff\xff\xff\x7f" * BINS, "little")
_TOP_BITS: Final = int.from_bytes(b"\x00\x00\x00\x80" * BINS, "little")


def agreeing(first: int, second: int) -> int:
    """How many bins two MinHashes agree in, each as one little-endian integer (a few
    operations on two integers, not a step per bin)."""
    differ = first ^ second
    return BINS - ((((differ & _LOW_BITS) + _LOW_BITS) | differ) & _TOP_BITS).bit_count()


def _place(value: Any) -> tuple[int, int, int, int]:
    return (value.line, value.column, value.end_line, value.end_column or value.column)


def _instant(value: Any) -> int | None:
    if isinstance(value, Timestamp):
        value = value.instant
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return int(moment.timestamp())
    if isinstance(value, date):
        return int(datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp())
    return None


def _body_parts(document: Document) -> list[tuple[tuple[int, int, int, int], str]]:
    """The description, body and other text of the article as the document orders them,
    each with its place: a dump's paragraphs are body, description or text by their
    length, and a copy may split or join them. A page without either: its visible text."""
    values = [*document.values("description"), *document.values("body")]
    parts = [(_place(value), value.value) for value in values if isinstance(value.value, str)]
    parts += [((block.line, block.column, *block.position(len(block.text))), block.text)
              for block in document.blocks if block.kind == "text" and block.origin == "block"]
    if not parts:
        parts = [(_place(value), value.value) for value in document.values("page_text") if isinstance(value.value, str)]
    return sorted(parts)


def _hosts(body: str) -> list[str]:
    """What `_HOST` finds in the body, searched for in each run between spaces that holds a
    dot and a letter (the run ends at a space: `\\b` and `\\S` see the same there)."""
    hosts: list[str] = []
    hint = _host_hint(body, 0)
    while hint >= 0:
        end = body.find(" ", hint + 2)
        if end < 0:
            end = len(body)
        hosts += [found.group(1) for found in _HOST.finditer(body, body.rfind(" ", 0, hint) + 1, end)]
        hint = _host_hint(body, end)
    return hosts


def _host_hint(body: str, start: int) -> int:
    """Where in `body`, from `start`, the first dot followed by one of _HOST_LETTERS is; -1 for none."""
    last = len(body) - 1
    dot = body.find(".", start)
    while 0 <= dot < last:
        if body[dot + 1] in _HOST_LETTERS:
            return dot
        dot = body.find(".", dot + 1)
    return -1


def signature(document: Document, how: Settings) -> Signature | None:
    """The document's signature; None without a registered domain."""
    domains = document.values("domain")
    if not domains:
        return None
    domain = domains[0]
    parts = _body_parts(document)
    body = " ".join(text for _, text in parts)
    values = minhash(body, how.shingle, how.min_words)
    published = None
    for value in document.values("published"):
        instant = _instant(value.value)
        if instant is not None:
            published = (value, instant)
            break
    links: dict[str, str] = {}
    for other in domains[1:]:
        links.setdefault(str(other.value), "canonical")
    for block in document.blocks:  # a dump's other addresses of the page (og:url, a canonical)
        if block.kind == "url":
            linked = registered_domain(host_and_path(block.text.strip())[0])[0]
            if linked:
                links.setdefault(linked, "canonical")
    for claimed in document.values("publisher_domains"):
        links.setdefault(str(claimed.value), "publisher")
    for found in _hosts(body):
        linked = registered_domain(found.lower())[0]
        if linked:
            links.setdefault(linked, "link")
    links.pop(str(domain.value), None)
    # Only a body with a MinHash can be a copy, whose credit is read.
    credit = tuple(part for part in (body[:HEAD_CHARS], body[-TAIL_CHARS:],
                                     *(block.text for block in document.blocks
                                       if len(block.text) <= SHORT_BLOCK and block.kind not in CREDIT_KINDS))
                   if part)[:CREDIT_PARTS] if values else ()
    names = tuple(sorted({str(p.value.get("name") or "") for p in document.values("publisher")
                          if isinstance(p.value, dict)} - {""}))
    operator = tuple((str(v.extra.get("kind", "")), str(v.value), *_place(v)) for v in document.values("operator_id"))
    first = next((_place(value) for value in document.values("body")), parts[0][0] if parts else None)
    line_text = document.line(first[0])[:400] if first is not None else ""
    # Its fields in order, not by name: compiled, a NamedTuple is made by its generated
    # `__new__`, a Python function whose keyword arguments cost ~5,000 instructions more.
    return Signature(
        document.path, document.file, document.record.pointer if document.record else "",  # path, file, record
        str(domain.value), _place(domain),  # domain, place
        published[1] if published else None, published[0].raw if published else "",  # published, published_raw
        _place(published[0]) if published else None, values,  # published_place, minhash
        first if values else None, line_text,  # body_place, body_line
        tuple(sorted(links.items())), credit, names,  # links, credit, names
        operator, domain.raw)  # operator_ids, url


def _flag_text(registry: Registry, domain: str) -> str:
    source = registry.lookup(domain)
    if source is None or not source.flags:
        return ""
    shown = []
    for key, flag in source.flags.items():
        label = str(flag.get("label") or key.replace("_", " ").replace("-", " "))
        cited = flag.get("act") or flag.get("citation") or flag.get("source")
        shown.append(f"{label} ({cited})" if cited else label)
    return f"; {source.names[0]}: " + "; ".join(shown)


def _outlet_names(original: Signature, registry: Registry) -> set[str]:
    """The name keys that name the original's outlet: its publisher names, the registry's
    names for its domain, its domain and the domain's label (five letters or more, so not
    a common word: `aljazeera` also in `Al Jazeera`)."""
    keys = {name_key(name) for name in original.names}
    source = registry.lookup(original.domain)
    if source is not None:
        keys |= {name_key(name) for name in source.names}
    keys.add(name_key(original.domain))
    return {key for key in keys if key}


def _spelled(label: str, words: list[str]) -> bool:
    """Whether one to three words in a row spell `label` (`al jazeera` spells `aljazeera`)."""
    return any("".join(words[start : start + size]) == label for size in (1, 2, 3) for start in range(len(words)))


def _label(domain: str) -> str:
    label = domain.split(".")[0]
    return label if len(label) >= 5 else ""


def credit_text(signature: Signature) -> str:
    """The words a copy may credit its original in: its credit parts folded, ` | ` between
    (a part that folds to nothing too), the first CREDIT_CHARS characters."""
    # Not name_key: its cache would keep the head and tail of the last 65,536 bodies, which
    # no other document shares.
    return " | ".join(fold_text(part) for part in signature.credit)[:CREDIT_CHARS]


def credit_of(copy: Signature, original: Signature, registry: Registry) -> str:
    """How the copy credits the original, or that it does not."""
    for linked, how in copy.links:
        if linked == original.domain:
            return {"canonical": "credits it with a URL of its domain",
                    "publisher": "credits it as publisher"}.get(how, "credits it with a link in the body")
    text = f" {credit_text(copy)} "
    for key in sorted(_outlet_names(original, registry)):
        if f" {key} " in text:
            return f"credits it by name ({key})"
    label = _label(original.domain)
    if label and any(_spelled(label, part.split()) for part in text.split(" | ")):
        return f"credits it by name ({label})"
    return "does not credit it"


def _when(signature: Signature) -> str:
    if signature.published is None:
        return "unknown"
    return signature.published_raw or datetime.fromtimestamp(signature.published, UTC).isoformat()


def _document(signature: Signature) -> Document:
    return Document(path=signature.path, text="", lines=[], file=signature.file)


def copy_finding(rule: Rule, copy: Signature, original: Signature, estimate: float, registry: Registry) -> Finding:
    place = copy.body_place or copy.place
    found = finding(rule, _document(copy), place[0], place[1], place[2], place[3], original=original.path,
                    domain=original.domain, flags=_flag_text(registry, original.domain),
                    similarity=f"{estimate:.2f}", published=_when(original), credit=credit_of(copy, original, registry),
                    site=copy.domain)
    there = original.body_place or original.place
    return found.with_others(((original.file, *there, f"the original, on {original.domain}"),), copy.record)


def burst_finding(rule: Rule, signatures: Sequence[Signature], limit: int, shown: int) -> Finding:
    """At the document past `limit` of a burst (in publication order); the first `shown`
    others are its related places."""
    past = signatures[limit]
    place = past.published_place or past.place
    found = finding(rule, _document(past), place[0], place[1], place[2], place[3], domain=past.domain,
                    count=len(signatures), max=limit, start=_when(signatures[0]), end=_when(signatures[-1]))
    others = tuple((s.file, *(s.published_place or s.place), f"published {_when(s)}")
                   for s in signatures if s is not past)
    return found.with_others(others[:shown], past.record)


def operator_finding(rule: Rule, page: Signature, kind: str, identifier: str, at: tuple[int, int, int, int],
                     first: Sequence[Signature]) -> Finding:
    """On a page whose operator id a page of another domain (`first`, one per domain) uses too."""
    # A verification is kept as `name:content` (one content under two names is two ids); shown as its content.
    found = finding(rule, _document(page), at[0], at[1], at[2], at[3], kind=kind, value=identifier.rpartition(":")[2],
                    domain=page.domain, others=", ".join(sorted({s.domain for s in first})))
    others = tuple((s.file, *next((i[2:] for i in s.operator_ids if i[1] == identifier), s.place),
                    f"{identifier} on {s.domain}") for s in first)
    return found.with_others(others, page.record)
