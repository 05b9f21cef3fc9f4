"""The corpus index's copy groups (DU009) on MinHashes made by hand, each group written
out: a run of a band is the bodies with all of its bytes equal (not its first 64 bits),
its least member is the least by all bytes of the MinHash (not by the first ones, nor by
arrival), and a pair whose bins agree in their low bits but not in the rest is not a copy."""

from __future__ import annotations

import os
import random
import signal
import struct
import threading
from collections.abc import Callable

import pytest

from provlint.api import prepare
from provlint.checks.corpus import BINS
from provlint.config import load_settings
from provlint.engine.corpus import CorpusIndex
from provlint.engine.workers import shared_calls
from provlint.model import Signature

HIGH = 0xFF  # a bin's low byte, its first byte: a MinHash with it sorts after one with 0
LOW = 0x00


def signature(path: str, bins: list[int], published: int | None = None) -> Signature:
    empty = {"place": (1, 1, 1, 1), "published_place": None, "body_place": None, "links": (), "names": (),
             "operator_ids": (), "credit": (), "published": published, "minhash": struct.pack(f"<{BINS}I", *bins)}
    return Signature(**{field: empty.get(field, "") for field in Signature._fields} | {"path": path, "domain": path})


def bodies() -> list[Signature]:
    chooser = random.Random(5)

    def fresh() -> list[int]:  # bins no other body has, their low byte between LOW and HIGH
        return [chooser.getrandbits(24) << 8 | chooser.randrange(LOW + 1, HIGH) for _ in range(BINS)]

    # b and c agree in bands 0 to 12 (52 bins: 0.8125), c the least of them. In each of
    # those bands a lesser body shares the band's first 64 bits (bins 0 and 1 of its 4)
    # but not the next: a run made by the first 64 bits would compare b and c with it.
    c = fresh()
    c[0] = c[2] = (0x1234 << 8) | HIGH
    b = list(c)
    for slot in range(52, BINS):
        b[slot] = chooser.getrandbits(24) << 8 | HIGH
    made = [signature("b", b), signature("c", c)]
    for band in range(13):
        lesser = fresh()
        lesser[band * 4], lesser[band * 4 + 1] = c[band * 4], c[band * 4 + 1]
        lesser[0 if band else 2] = (0x77 + band) << 8 | LOW
        made.append(signature(f"first-half-{band}", lesser))

    # k and l share bins 0 to 31 (so the first 32 bytes of their MinHashes), k the lesser;
    # m shares those too and agrees with k in 20 more bins, no whole band: 52 with k, 32
    # with l. l arrives first: the run's least is k by all bytes, not l.
    k = fresh()
    k[32] = k[35] = 0x42 << 8 | LOW
    l_bins = list(k[:32]) + [chooser.getrandbits(24) << 8 | HIGH for _ in range(32)]
    m = list(k)
    for slot in range(32, BINS):
        if slot % 4 == 3 or slot >= 58:
            m[slot] = chooser.getrandbits(24) << 8 | HIGH
    made += [signature("l", l_bins), signature("k", k), signature("m", m)]

    # f and g share band 0; every other bin of g differs from f's above its low byte.
    f = fresh()
    g = [value ^ (1 << 20) if slot >= 4 else value for slot, value in enumerate(f)]
    made += [signature("f", f), signature("g", g)]
    # h and i share band 1 alone: among processes, only the one given band 1 finds them.
    h = fresh()
    i = [value if 4 <= slot < 8 else value ^ (1 << 20) for slot, value in enumerate(h)]
    made += [signature("h", h), signature("i", i)]

    # The same MinHash twice, published at other times.
    same = fresh()
    made += [signature("same-late", same, 1_700_000_000), signature("same-early", same, 1_600_000_000)]
    return made


@pytest.fixture(scope="module")
def prepared():
    return prepare(load_settings(None))


def groups(prepared, made: list[Signature], threshold: float) -> list[list[str]]:
    ruleset, rules = prepared
    index = CorpusIndex(rules, ruleset.sources)
    try:
        index.add(made)
        return [[made[slot].path for slot in group] for group in index._groups(threshold)]
    finally:
        index.close()


def test_the_crafted_bodies_agree_as_described():
    by_path = {made.path: made.minhash for made in bodies()}

    def agree(first: str, second: str) -> int:
        return sum(by_path[first][at : at + 4] == by_path[second][at : at + 4] for at in range(0, BINS * 4, 4))

    assert (agree("b", "c"), agree("k", "m"), agree("k", "l"), agree("l", "m"), agree("f", "g")) == (52, 52, 32, 32, 4)
    assert by_path["c"] < by_path["b"] and by_path["k"] < by_path["l"] and by_path["k"] < by_path["m"]
    assert by_path["k"][:32] == by_path["l"][:32] == by_path["m"][:32]
    for band in range(13):
        lesser = by_path[f"first-half-{band}"]
        assert lesser < by_path["c"] and agree(f"first-half-{band}", "c") == 2
        assert lesser[band * 16 : band * 16 + 8] == by_path["c"][band * 16 : band * 16 + 8]


@pytest.mark.parametrize(("threshold", "expected"), [
    (0.8, [["b", "c"], ["k", "m"], ["same-late", "same-early"]]),
    (0.8125, [["b", "c"], ["k", "m"], ["same-late", "same-early"]]),
    (0.82, [["same-late", "same-early"]]),
    (1.0, [["same-late", "same-early"]]),
    (1.01, []),
    (0.5, [["b", "c"], ["l", "k", "m"], ["same-late", "same-early"]]),
])
def test_copy_groups_of_crafted_bodies(prepared, threshold, expected):
    made = bodies()
    assert groups(prepared, made, threshold) == expected
    chooser = random.Random(3)
    for _ in range(5):  # the same groups whatever the arrival order
        chooser.shuffle(made)
        assert {frozenset(group) for group in groups(prepared, made, threshold)} == {frozenset(group) for group in expected}


def test_bands_shared_among_processes_give_the_same_groups(prepared, monkeypatch):
    """A large corpus's bands are shared among forked processes (`jobs`); each joins what
    its bands find, and the groups are the same as one process's. Lowered from 20,000
    bodies a process to one, so that the crafted ones are shared."""
    from provlint.engine import corpus

    monkeypatch.setattr(corpus, "SHARED_SLOTS", 1)
    ruleset, rules = prepared
    made = bodies()
    for jobs in (2, 3, 16):
        index = CorpusIndex(rules, ruleset.sources, jobs)
        try:
            index.add(made)
            for threshold in (0.8, 0.5, 4 / BINS):
                assert [[made[slot].path for slot in group] for group in index._groups(threshold)] == \
                    groups(prepared, made, threshold)
        finally:
            index.close()
    assert ["h", "i"] in groups(prepared, made, 4 / BINS)


def halves(number: int) -> tuple[int, int]:
    """Half of a number, and the process that halved it."""
    return number // 2, os.getpid()


def dies_unless_here(parent: int) -> Callable[[int], tuple[int, int]]:
    def halve(number: int) -> tuple[int, int]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return halves(number)

    return halve


def test_shared_calls_run_in_forked_processes_and_redo_what_a_dead_one_held():
    here = os.getpid()
    results = shared_calls(halves, [10, 20, 30], jobs=3)
    assert [half for half, _ in results] == [5, 10, 15]
    assert results[0][1] == here and {pid for _, pid in results[1:]} - {here}
    # Its process dies on the first call: the others are handed to a broken pool, or were before it broke.
    numbers = list(range(0, 400, 2))
    assert shared_calls(dies_unless_here(here), numbers, jobs=2) == [(number // 2, here) for number in numbers]
    assert shared_calls(halves, [10, 20], jobs=1) == [(5, here), (10, here)]


def test_shared_calls_fork_nothing_while_another_thread_runs():
    """A fork copies no thread, and a lock one held (its stream's, its logger's) stays
    locked in the forked process: with a Dask client's threads running, all is made here."""
    here = os.getpid()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert shared_calls(halves, [10, 20, 30], jobs=3) == [(5, here), (10, here), (15, here)]
    finally:
        stop.set()
        other.join()
