"""The corpus pass: after every file was linted (or taken from the cache), the rules of
kind `corpus` run over the documents' signatures (`provlint.checks.corpus`).

Memory stays bounded at a million documents: what every document keeps in memory is its
MinHash (256 bytes), a domain number and a publication instant, in flat arrays; the rest
of its signature (path, places, credits) goes to a temporary file and is read back only
for the documents a finding is about. Candidate copies are found band by band (LSH): the
keys of one band for all documents go into a dict in the order of the MinHashes, so each
document meets the least one sharing its key, and only one band's keys are in memory at a
time. The findings are the same whatever order the signatures arrive in (workers, the
cache, Dask)."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import tempfile
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from functools import partial
from itertools import compress, groupby, islice, repeat
from operator import add, eq, itemgetter, le, lt, ne, or_, rshift, xor
from struct import Struct
from typing import Any

from provlint.checks.corpus import (BAND_ROWS, BINS, agreeing, burst_finding, copy_finding, operator_finding, settings,
                                    signature, similarity)
from provlint.engine.lint import lint_document
from provlint.engine.reuse import spilled_record, unpack
from provlint.model import Finding, Signature, signature_from_record
from provlint.readers import read_texts
from provlint.rulepack import Rule, Ruleset
from provlint.sources import Registry

NO_TIME = -(1 << 62)
HOUR = 3600
TIME_BITS = 40
TIME_OFFSET = 1 << 38  # instants before 1970 sort too
LAST_INSTANT = (1 << TIME_BITS) - 1  # later ones are kept as this one
MAX_OTHERS = 50  # other places named by one finding (a burst of thousands names the first ones)
ORDER_PREFIX = 32  # bytes of a MinHash the copy groups sort by before all of them (few bodies share them)
BITS_BLOCK = 4096  # bodies whose bits are made at once
SHARED_SLOTS = 20_000  # bodies for each process the bands are shared among: fewer take less than a fork
_SECOND_BIT_DIGIT = bytes(b"01"[(byte >> 1) & 1] for byte in range(256))  # a byte -> its bit 1 as a binary digit


# What the index keeps of one signature: its domain, publication instant, URL, MinHash and
# operator ids, and the rest of it as spilled (`CorpusIndex._add`'s arguments).
IndexEntry = tuple[str, "int | None", str, bytes, Any, bytes]


def index_entry(signature: Signature) -> IndexEntry:
    """A signature as the index keeps it."""
    return (signature.domain, signature.published, signature.url, signature.minhash, signature.operator_ids,
            spilled_record(signature))


class _Forest:
    """Union-find over slots: each tree's root is its least slot."""

    def __init__(self, size: int) -> None:
        self.parent = array("I", range(size))

    def root(self, slot: int) -> int:
        parent = self.parent
        while parent[slot] != slot:
            parent[slot] = parent[parent[slot]]
            slot = parent[slot]
        return slot

    def join(self, first: int, second: int) -> None:
        first, second = self.root(first), self.root(second)
        if first != second:
            self.parent[max(first, second)] = min(first, second)


class CorpusIndex:
    """The signatures of a run's documents, added as their files are answered."""

    def __init__(self, rules: list[Rule], registry: Registry, jobs: int = 1) -> None:
        self.rules = [rule for rule in rules if rule.check == "corpus"]
        self.registry = registry
        # Processes the copy groups' bands may be shared among, one for each SHARED_SLOTS
        # bodies: the workers are idle by then, and the run waits on the corpus pass alone.
        self.jobs = jobs
        self.count = 0
        self._domain_ids: dict[str, int] = {}
        self._domains: list[str] = []
        self._domain_of = array("I")
        self._published = array("q")
        self._addresses = array("I")  # a CRC-32 of each document's URL
        self._offsets = array("Q")
        self._minhashes = bytearray()  # BINS * 4 bytes for each document in `_hashed`
        self._hashed = array("I")  # the document of each MinHash
        self._operator: dict[str, dict[int, list[int]]] = {}  # id -> domain number -> documents
        # Closed by `close` once the findings are made: it outlives this call.
        self._spill: Any = tempfile.TemporaryFile()  # noqa: SIM115
        self._spilled = 0  # bytes written to the spill: where the next signature starts
        # (path, line) -> text of the body lines copy findings point at, for code frames.
        self.source_lines: dict[tuple[str, int], str] = {}

    def add(self, signatures: Iterable[Signature]) -> None:
        self.add_entries(map(index_entry, signatures))

    def add_entries(self, entries: Iterable[IndexEntry]) -> None:
        """Signatures as `index_entry` made them (a worker without the cache makes them, so
        that the parent only appends them)."""
        for entry in entries:
            self._add(*entry)

    def add_stored(self, signatures: Iterable[tuple[list[Any], bytes]]) -> None:
        """Signatures as a cache payload holds them, (head, spilled record) pairs
        (`reuse.encode`), without making a Signature of each: only the few a finding is
        about are made, from the spill. ValueError (nothing added) when one is damaged."""
        entries = []
        for head, spilled in signatures:
            _, _, domain, published, url, minhash, operator_ids = head
            if not (isinstance(domain, str) and isinstance(url, str) and isinstance(minhash, str)
                    and isinstance(spilled, bytes)
                    and (published is None or (isinstance(published, int) and NO_TIME < published < -NO_TIME))
                    and isinstance(operator_ids, list)
                    and all(isinstance(item, list) and len(item) == 6 and isinstance(item[1], str)
                            for item in operator_ids)):
                raise ValueError("not a signature")
            entries.append((domain, published, url, bytes.fromhex(minhash), operator_ids, spilled))
        for entry in entries:
            self._add(*entry)

    def _add(self, domain_name: str, published: int | None, url: str, minhash: bytes,
             operator_ids: Iterable[Any], spilled: bytes) -> None:
        index = self.count
        self.count += 1
        domain = self._domain_ids.get(domain_name)
        if domain is None:
            domain = self._domain_ids[domain_name] = len(self._domains)
            self._domains.append(domain_name)
        self._domain_of.append(domain)
        self._published.append(NO_TIME if published is None else published)
        self._addresses.append(zlib.crc32(url.encode("utf-8", "surrogatepass")))
        if len(minhash) == BINS * 4:
            self._minhashes += minhash
            self._hashed.append(index)
        for _, identifier, *_ in operator_ids:
            self._operator.setdefault(identifier, {}).setdefault(domain, []).append(index)
        self._offsets.append(self._spilled)
        self._spilled += self._spill.write(spilled)

    def close(self) -> None:
        self._spill.close()

    def _signature(self, index: int) -> Signature:
        start = self._offsets[index]
        end = self._offsets[index + 1] if index + 1 < self.count else self._spilled
        self._spill.seek(start)
        signature = signature_from_record(unpack(self._spill.read(end - start)))
        self._spill.seek(self._spilled)
        return signature

    def _minhash(self, slot: int) -> bytes:
        return bytes(self._minhashes[slot * BINS * 4 : (slot + 1) * BINS * 4])

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for rule in self.rules:
            report = rule.options.get("report")
            if report == "copies":
                found += self._copies(rule)
            elif report == "burst":
                found += self._bursts(rule)
            elif report == "operator":
                found += self._operators(rule)
        return [_with_fingerprint(finding) for finding in found]

    # -- copies ----------------------------------------------------------------------------

    def _groups(self, threshold: float) -> list[list[int]]:
        """Slots (into `_hashed`) of bodies that LSH and the estimate put together, in
        groups of two or more. In each run of equal band keys, every member is compared
        with one chosen by content (the least MinHash), not by arrival. The bands are
        shared among `jobs` processes for a large corpus; each joins the pairs its bands
        find, and the groups are the bodies those pairs connect, whoever found them."""
        slots = len(self._hashed)
        least = math.ceil(threshold * BINS)  # the bins that must agree: estimate >= threshold
        if least > BINS:
            return []
        order = self._by_minhash()
        bits = array("Q", map(self._bin_bits().__getitem__, order))  # arrays: no int object for each body
        bands = range(BINS // BAND_ROWS)
        shares = max(1, min(self.jobs, len(bands), slots // SHARED_SLOTS))  # a fork costs what a share of fewer saves
        from provlint.engine.workers import shared_calls  # not at the top: workers imports this module

        forest = _Forest(slots)
        for pairs in shared_calls(partial(self._joined_pairs, order=order, bits=bits, least=least),
                                  [bands[share::shares] for share in range(shares)], self.jobs):
            for member, chosen in pairs:
                forest.join(member, chosen)
        groups: dict[int, list[int]] = {}
        for slot in range(slots):
            top = forest.root(slot)
            if top != slot:
                groups.setdefault(top, [top]).append(slot)
        return list(groups.values())

    def _joined_pairs(self, bands: range, order: array, bits: array, least: int) -> list[tuple[int, int]]:
        """The pairs of bodies that `bands` put together and whose estimate reaches `least`
        bins, but for those already joined through others (their estimate is not made)."""
        # The bodies are met in the order of their MinHashes (`ranked`: a position in that
        # order), so the first body met with a band's key is its run's least member (of equal
        # MinHashes any one: they agree with the same bodies): a dict's setdefault gives every
        # body that first one, itself when it is alone. A body and its run's least are
        # compared by one bit of each bin first: bits that differ are bins that differ, so
        # most pairs are let go without the estimate. Every step over all bodies runs in C
        # (struct, map, compress); Python steps only through the pairs the bits allow. The
        # groups do not depend on the order the pairs are met in (a union joins two roots
        # under the smaller).
        slots = len(order)
        forest = _Forest(slots)
        joined = []
        width = BAND_ROWS * 4
        with memoryview(self._minhashes) as flat:
            for band in bands:
                keys = Struct(f"{band * width}x{width}s{BINS * 4 - (band + 1) * width}x").iter_unpack(flat)
                keyed = list(map(itemgetter(0), keys))
                ranked_keys = list(map(keyed.__getitem__, order))
                del keyed
                firsts: dict[bytes, int] = {}
                leasts = list(map(firsts.setdefault, ranked_keys, range(slots)))
                del firsts, ranked_keys
                shared = list(map(ne, leasts, range(slots)))
                members, leasts = list(compress(range(slots), shared)), list(compress(leasts, shared))
                del shared
                differing = map(int.bit_count, map(xor, map(bits.__getitem__, members), map(bits.__getitem__, leasts)))
                for ranked, ranked_least in compress(zip(members, leasts), map(le, differing, repeat(BINS - least))):
                    member, chosen = order[ranked], order[ranked_least]
                    if forest.root(member) != forest.root(chosen) \
                            and agreeing(self._value(member), self._value(chosen)) >= least:
                        forest.join(member, chosen)
                        joined.append((member, chosen))
        return joined

    def _by_minhash(self) -> array:
        """The slots in the order of their MinHashes' bytes, equal ones in arrival order:
        sorted by their first ORDER_PREFIX bytes, then the few that share those by all."""
        slots = len(self._hashed)
        prefix = Struct(f"{ORDER_PREFIX}s{BINS * 4 - ORDER_PREFIX}x")
        prefixes = list(map(itemgetter(0), prefix.iter_unpack(self._minhashes)))
        order = sorted(range(slots), key=prefixes.__getitem__)
        ranked = list(map(prefixes.__getitem__, order))
        del prefixes
        tied = compress(range(1, slots), map(eq, ranked, islice(ranked, 1, None)))  # the prefix of the one before
        for _, stretch in groupby(enumerate(tied), lambda counted: counted[1] - counted[0]):
            positions = [position for _, position in stretch]
            start, end = positions[0] - 1, positions[-1] + 1
            order[start:end] = sorted(order[start:end], key=self._minhash)
        return array("I", order)

    def _bin_bits(self) -> array:
        """Each body's MinHash cut to one bit of every bin (the second lowest: the lowest
        is 0 in a filled bin) in one integer, for `_groups`' first comparison. Made a block
        of bodies at a time: a copy of every body's low bytes would raise the peak."""
        bits = array("Q")
        block = BITS_BLOCK * BINS * 4
        for start in range(0, len(self._minhashes), block):
            digits = self._minhashes[start : start + block : 4].translate(_SECOND_BIT_DIGIT)
            bits.extend(map(int, map(itemgetter(0), Struct(f"{BINS}s").iter_unpack(digits)), repeat(2)))
        return bits

    def _value(self, slot: int) -> int:
        """A body's MinHash as one integer, one bin in each 32 bits, for `agreeing`."""
        return int.from_bytes(self._minhashes[slot * BINS * 4 : (slot + 1) * BINS * 4], "little")

    def _copies(self, rule: Rule) -> list[Finding]:
        threshold = float(rule.options.get("threshold", 0.8))
        found = []
        for group in self._groups(threshold):
            if len({self._domain_of[self._hashed[slot]] for slot in group}) < 2:
                continue
            signatures = {slot: self._signature(self._hashed[slot]) for slot in group}
            original = min(group, key=lambda slot: _order(signatures[slot]))
            first = signatures[original]
            # The original's page names these domains as its own (canonical, og:url): the
            # outlet's other addresses, not another site.
            own = {first.domain, *(linked for linked, how in first.links if how == "canonical")}
            for slot in group:
                copy = signatures[slot]
                if slot == original or copy.domain in own:
                    continue
                estimate = similarity(self._minhash(slot), self._minhash(original))
                if estimate >= threshold:
                    made = copy_finding(rule, copy, first, estimate, self.registry)
                    found.append(made)
                    if copy.body_line and made.line is not None:
                        self.source_lines[(made.path, made.line)] = copy.body_line
        return found

    # -- bursts ----------------------------------------------------------------------------

    def _bursts(self, rule: Rule) -> list[Finding]:
        limit = int(rule.options.get("max", 60))
        keyed = _distinct(sorted(
            (self._domain_of[index] << TIME_BITS | min(max(moment + TIME_OFFSET, 0), LAST_INSTANT)) << 32 | index
            for index, moment in enumerate(self._published) if moment != NO_TIME), self._addresses)
        # A document's head (domain, instant) and the head its hour ends before: the next
        # domain's first when the hour runs past the last instant. A burst starts at a
        # document whose `limit`-th follower is within its hour; those are found in C.
        heads = list(map(rshift, keyed, repeat(32)))
        ends = list(map(min, map(add, heads, repeat(HOUR)), map(add, map(or_, heads, repeat(LAST_INSTANT)), repeat(1))))
        found = []
        after = 0  # the documents of a burst start no other
        for start in compress(range(len(heads)), map(lt, islice(heads, limit, None), ends)):
            if start >= after:
                after = bisect_left(heads, ends[start], start + limit)
                burst = sorted((self._signature(entry & 0xFFFFFFFF) for entry in keyed[start:after]), key=_order)
                found.append(burst_finding(rule, burst, limit, MAX_OTHERS))
        return found

    # -- operator ids ------------------------------------------------------------------------

    def _operators(self, rule: Rule) -> list[Finding]:
        found = []
        for identifier, by_domain in sorted(self._operator.items()):
            if len(by_domain) < 2:
                continue
            pages = {domain: sorted((self._signature(index) for index in indices), key=lambda s: s.path)
                     for domain, indices in by_domain.items()}
            ordered = sorted(pages.values(), key=lambda listed: listed[0].path)
            for listed in ordered[1:]:
                others = [other[0] for other in ordered if other is not listed][:MAX_OTHERS]
                for page in listed:
                    kind, _, *at = next(item for item in page.operator_ids if item[1] == identifier)
                    found.append(operator_finding(rule, page, kind, identifier, (at[0], at[1], at[2], at[3]), others))
        return found


def _distinct(keyed: list[int], addresses: array) -> list[int]:
    """The keys (domain, instant, document) less the repeats of one document: the same URL
    at the same instant (a page scraped twice publishes nothing)."""
    kept: list[int] = []
    head = -1
    seen: set[int] = set()
    for entry in keyed:
        if entry >> 32 != head:
            head = entry >> 32
            seen.clear()
        address = addresses[entry & 0xFFFFFFFF]
        if address not in seen:
            seen.add(address)
            kept.append(entry)
    return kept


def _order(signature: Signature) -> tuple[bool, int, str]:
    """Earliest first: by publication instant (unknown last), then path."""
    return (signature.published is None, signature.published or 0, signature.path)


def _with_fingerprint(finding: Finding) -> Finding:
    """A corpus finding's fingerprint: rule, path and the first other file it names."""
    other = finding.others[0][0] if finding.others else ""
    anchor = f"{finding.rule}\0{finding.path}\0{other}"
    return dataclasses.replace(finding, fingerprint=hashlib.sha256(anchor.encode("utf-8", "surrogatepass")).hexdigest()[:32])


def lint_corpus_texts(texts: list[tuple[str, str]], ruleset: Ruleset, rules: list[Rule]) -> list[Finding]:
    """Findings for a few texts (path, text) checked as one corpus: each text's own findings
    and the corpus rules' (a corpus rule's examples)."""
    how = settings(rules) if any(rule.check == "corpus" for rule in rules) else None
    index = CorpusIndex(rules, ruleset.sources)
    found: list[Finding] = []
    try:
        for path, text in texts:
            for document in read_texts(path, text, ruleset.table):
                found += lint_document(document, rules)
                made = signature(document, how) if how is not None else None
                if made is not None:
                    index.add([made])
        found += index.findings()
    finally:
        index.close()
    return sorted(found)
