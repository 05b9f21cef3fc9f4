"""The corpus index's copy groups (DU009): bodies that share a band of their MinHash are
compared with the run's least MinHash, and joined when the estimate reaches the threshold.
Checked against that rule written out plainly, on MinHashes made to share bands, tie and
sit exactly at the threshold, in several arrival orders."""

from __future__ import annotations

import random
import struct

import pytest

from provlint.api import prepare
from provlint.checks.corpus import BAND_ROWS, BINS, similarity
from provlint.config import load_settings
from provlint.engine.corpus import CorpusIndex
from provlint.model import Signature


def packed(values: list[int]) -> bytes:
    return struct.pack(f"<{BINS}I", *values)


def test_the_estimate_is_the_share_of_bins_that_agree():
    chooser = random.Random(7)
    for _ in range(2000):
        first = [chooser.getrandbits(32) for _ in range(BINS)]
        second = list(first)
        for slot in range(BINS):
            roll = chooser.random()
            if roll < 0.2:
                second[slot] ^= 1 << chooser.randrange(32)  # any one bit, the top one too
            elif roll < 0.3:
                second[slot] = chooser.choice([0, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF])
        agree = sum(one == two for one, two in zip(first, second))
        assert similarity(packed(first), packed(second)) == agree / BINS
    assert similarity(b"", b"") == 0.0
    assert similarity(packed([1] * BINS), packed([1] * BINS)[:-4]) == 0.0


def signature(path: str, minhash: bytes, published: int | None) -> Signature:
    empty = {"place": (1, 1, 1, 1), "published_place": None, "body_place": None, "links": (), "names": (),
             "operator_ids": (), "credit": (), "published": published, "minhash": minhash}
    return Signature(**{field: empty.get(field, "") for field in Signature._fields} | {"path": path, "domain": path})


def reference_groups(signatures: list[Signature], threshold: float) -> set[frozenset[str]]:
    """The rule, plainly: in each band, the bodies with the same band bytes are compared
    with the least of them (by MinHash, then publication, then arrival) and joined when the
    estimate is at least the threshold."""
    joined = {made.path: {made.path} for made in signatures}
    width = BAND_ROWS * 4
    for band in range(BINS // BAND_ROWS):
        runs: dict[bytes, list[int]] = {}
        for arrival, made in enumerate(signatures):
            runs.setdefault(made.minhash[band * width : (band + 1) * width], []).append(arrival)
        for members in runs.values():
            chosen = signatures[min(members, key=lambda arrival: (
                signatures[arrival].minhash, -(1 << 62) if signatures[arrival].published is None
                else signatures[arrival].published, arrival))]
            for arrival in members:
                made = signatures[arrival]
                if similarity(made.minhash, chosen.minhash) >= threshold and joined[made.path] is not joined[chosen.path]:
                    merged = joined[made.path] | joined[chosen.path]
                    for path in merged:
                        joined[path] = merged
    return {frozenset(group) for group in joined.values() if len(group) > 1}


def family(chooser: random.Random, name: str, size: int) -> list[Signature]:
    """Copies of one body: each keeps a share of its bins, some exactly at 52 of 64 (the
    threshold 0.8125), some the same MinHash published at other times."""
    base = [chooser.getrandbits(32) for _ in range(BINS)]
    made = []
    for number in range(size):
        kept = chooser.choice([BINS, BINS, 52, 51, 56, 40, 20])
        values = list(base)
        for slot in chooser.sample(range(BINS), BINS - kept):
            values[slot] ^= 1 << chooser.randrange(32)
        published = chooser.choice([None, 1_600_000_000, 1_600_000_000 + number])
        made.append(signature(f"{name}-{number}", packed(values), published))
    return made


@pytest.fixture(scope="module")
def prepared():
    return prepare(load_settings(None))


@pytest.mark.parametrize("threshold", [0.8, 0.8125, 0.82, 0.5])
def test_copy_groups_are_those_of_the_rule_whatever_the_arrival_order(prepared, threshold):
    chooser = random.Random(11)
    signatures = [made for name in "abcdefgh" for made in family(chooser, name, 12)]
    signatures += [signature(f"alone-{number}", packed([chooser.getrandbits(32) for _ in range(BINS)]), None)
                   for number in range(30)]
    ruleset, rules = prepared
    expected = reference_groups(signatures, threshold)
    assert len(expected) >= 6  # the families are found, and some copies are left out of them
    assert sum(map(len, expected)) < 8 * 12
    for _ in range(3):
        index = CorpusIndex(rules, ruleset.sources)
        try:
            index.add(signatures)
            paths = [made.path for made in signatures]
            assert {frozenset(paths[slot] for slot in group) for group in index._groups(threshold)} == expected
        finally:
            index.close()
        chooser.shuffle(signatures)
        expected = reference_groups(signatures, threshold)
