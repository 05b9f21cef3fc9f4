from __future__ import annotations

import hashlib
import re
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
# the least in a bin is not ordered by a linear function of the words' hashes). One loop
# over the shingles on 64-bit integers (`i64`: plain machine arithmetic once compiled, each
# product masked to 32 bits at once, so Python's integers give the same values), keeping
# the least of each bin; for shingles of three words (the default) one pass over the words,
# each word's hash looked up and unboxed once, the last three kept in machine integers.
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
_PACK_BINS = Struct(f"<{BINS}I").pack
# Each word's hash (its blake2b of 4 bytes, little-endian), kept per process; emptied when
# it holds MAX_WORDS words (about 2 MB). `int`, not `Any`: compiled, a value assigned from
# `Any` makes the arithmetic on it Python's (boxed), not the machine's.
_WORD_HASHES: dict[str, int] = {}
MAX_WORDS = 16384
# The words (`\w+` of the casefolded body) without a regular expression step per word:
# every character `\w` does not match is white space or one of `marks_between_words`, so
# the words are the body's split once those are spaces. ASCII by one `str.translate`
# (lower case too); text of one byte a character in Latin-1, Windows-1251 (Cyrillic) or
# Windows-1252 (Latin-1's letters with typographic quotes and dashes: French, German or
# Spanish as published, tried last) by one `bytes.translate` of its encoding, casefolded
# too (each letter folds to one letter of the same encoding, but `unfolded` ones such as
# µ and ß: a text with one is casefolded after); other text by one `str.replace` for each
# such character.
_ASCII_WORDS = {code: chr(code).lower() if chr(code).isalnum() or code == 95 else " " for code in range(128)}


def _word_char(char: str) -> str:
    """What the word split makes of a character: a word character casefolded, any other a space."""
    return char.casefold() if char.isalnum() or char == "_" else " "


def _word_table(codec: str) -> tuple[str, bytes, list[bytes]]:
    """The codec, its table and the bytes of the word characters that fold to other than
    one character of the codec (left as they are by the table)."""
    table, unfolded = byte_table(codec, _word_char)
    return codec, table, [char.encode(codec) for char in unfolded]


_WORD_CODECS = [_word_table(codec) for codec in (*ONE_BYTE_CODECS, "cp1252")]
# Other text with a space in fewer than one of each _LONG_WORDS characters (Chinese,
# Japanese) has few and long words: `\w+` itself costs less than finding the marks.
_WORD = re.compile(r"\w+")
_LONG_WORDS = 12
_HOST = re.compile(r"(?i)\b(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:/\S*)?")
# Every host `_HOST` finds holds a dot and a letter `(?i)[a-z]` matches (these four
# besides ASCII), and no white space: it is searched for only in the runs between spaces
# that hold one.
_HOST_HINT = re.compile(r"\.[A-Za-z\u0130\u0131\u017f\u212a]")
HEAD_CHARS, TAIL_CHARS, SHORT_BLOCK = 200, 300, 120
# What a copy's credit is read in (`credit_text`): the folded head and tail of its body and
# its short blocks, ` | ` between, cut at CREDIT_CHARS. Folded only for the few copies
# found: a signature keeps the parts as they are, the first CREDIT_PARTS of them. Each part
# after the first adds its ` | ` whatever it folds to (even to nothing), so the first
# CREDIT_PARTS fold to at least 3 * (CREDIT_PARTS - 1) >= CREDIT_CHARS characters, and no
# later part reaches the cut.
CREDIT_CHARS = 2 * (HEAD_CHARS + TAIL_CHARS)
CREDIT_PARTS = -(-CREDIT_CHARS // 3) + 1
CREDIT_KINDS = ("timestamp", "url", "image", "locale", "dimensions", "year", "keywords", "tag", "section")


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


def _word_hash(word: str) -> int:
    """The word's hash, kept for the next time it is met (`_WORD_HASHES`)."""
    known = _WORD_HASHES
    if len(known) >= MAX_WORDS:
        known.clear()
    hashed = known[word] = int.from_bytes(
        hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=4).digest(), "little")
    return hashed


def _key(value: i64) -> i64:
    """What a shingle keeps of its sum of products: fmix32 of its low 32 bits, the top 30."""
    value &= 0xFFFFFFFF
    value ^= value >> 16
    value = (value * 0x85EBCA6B) & 0xFFFFFFFF
    value ^= value >> 13
    value = (value * 0xC2B2AE35) & 0xFFFFFFFF
    return (value ^ (value >> 16)) >> _KEY_SHIFT


def _hash_of(word: str) -> int:
    found = _WORD_HASHES.get(word)
    return found if found is not None else _word_hash(word)


def _least_of_triples(words: list[str]) -> list[int]:
    """The least key of each bin, shingles of three words (three words or more)."""
    known = _WORD_HASHES
    least = [_EMPTY] * BINS
    first: i64 = _WORD_MULTIPLIERS[0]
    second: i64 = _WORD_MULTIPLIERS[1]
    third: i64 = _WORD_MULTIPLIERS[2]
    older: i64 = 0
    old: i64 = _hash_of(words[0])
    new: i64 = _hash_of(words[1])
    for index in range(2, len(words)):
        word = words[index]
        found = known.get(word)  # (`_hash_of`, without a call for each word)
        older = old
        old = new
        new = found if found is not None else _word_hash(word)
        key = _key(older * first + old * second + new * third)  # each product under 2**60
        slot = key >> _BIN_SHIFT
        if key < least[slot]:
            least[slot] = key
    return least


def _least_of_shingles(words: list[str], shingle: int) -> list[int]:
    """The least key of each bin, shingles of any number of words (as many or more)."""
    hashes = [_hash_of(word) for word in words]
    multipliers = _WORD_MULTIPLIERS[:shingle]
    least = [_EMPTY] * BINS
    width: i64 = len(multipliers)
    for start in range(len(words) - shingle + 1):
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


def minhash(words: list[str], shingle: int) -> bytes:
    """The body's MinHash: BINS values of 32 bits, little-endian."""
    if len(words) < shingle:
        return b""
    least = _least_of_triples(words) if shingle == 3 else _least_of_shingles(words, shingle)
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
    hint = _HOST_HINT.search(body)
    while hint is not None:
        end = body.find(" ", hint.end())
        if end < 0:
            end = len(body)
        hosts += [found.group(1) for found in _HOST.finditer(body, body.rfind(" ", 0, hint.start()) + 1, end)]
        hint = _HOST_HINT.search(body, end)
    return hosts


def words(body: str) -> list[str]:
    """The body's words, `re.findall(r"\\w+", body.casefold())`, in fewer steps."""
    if body.isascii():
        return body.translate(_ASCII_WORDS).split()
    for codec, table, unfolded in _WORD_CODECS:
        try:
            encoded = body.encode(codec)
        except UnicodeEncodeError:
            continue
        spaced = encoded.translate(table).decode(codec)
        return (spaced.casefold() if any(odd in encoded for odd in unfolded) else spaced).split()
    folded = body.casefold()
    if body.count(" ") * _LONG_WORDS < len(body):  # Chinese, Japanese: few words, long, in one pass
        return _WORD.findall(folded)
    for char in marks_between_words(folded):
        folded = folded.replace(char, " ")
    return folded.split()


def signature(document: Document, how: Settings) -> Signature | None:
    """The document's signature; None without a registered domain."""
    domains = document.values("domain")
    if not domains:
        return None
    domain = domains[0]
    parts = _body_parts(document)
    body = " ".join(text for _, text in parts)
    body_words = words(body)
    values = minhash(body_words, how.shingle) if len(body_words) >= max(how.min_words, 1) else b""
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
    line_text = document.lines[first[0] - 1][:400] if first is not None and 0 < first[0] <= len(document.lines) else ""
    return Signature(
        path=document.path, file=document.file, record=document.record.pointer if document.record else "",
        domain=str(domain.value), place=_place(domain),
        published=published[1] if published else None, published_raw=published[0].raw if published else "",
        published_place=_place(published[0]) if published else None, minhash=values,
        body_place=first if values else None, body_line=line_text,
        links=tuple(sorted(links.items())), credit=credit, names=names,
        operator_ids=operator, url=domain.raw)


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
