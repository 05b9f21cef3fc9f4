"""The cost of every built-in pattern on long text, run by hand (never in the test suite).

    python benchmarks/patterns.py [TOP]

A pattern whose automaton blows up on long text costs milliseconds per body where the
others cost microseconds: the dateline pattern `(?s:.*\\S)\\s+[^,\\n]{1,80},…` took 2 ms on
every 2 KB body with a comma. This times each pattern the way provlint uses it (block
kinds by full match, rule patterns and attribution cues by search) over generated dumps
and the seed, and prints the TOP most costly per KB of text.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import SEED, dump  # noqa: E402

from provlint.api import prepare  # noqa: E402
from provlint.config import load_settings  # noqa: E402


def texts() -> list[str]:
    """Whole dumps and their long blocks: what a body-sized text looks like."""
    rng = random.Random(7)
    dumps = [SEED] + [dump(index, rng) for index in range(1, 400, 3)]
    blocks = [block.strip() for text in dumps for block in text.replace("\r\n", "\n").split("\n\n")]
    return dumps + [block for block in blocks if len(block) > 400]


def used_patterns() -> list[tuple[str, str, Callable[[str], object]]]:
    """(where, source, how it is matched) for every built-in pattern."""
    ruleset, rules = prepare(load_settings(None))
    found: list[tuple[str, str, Callable[[str], object]]] = []
    for entry in ruleset.table.entries:
        if entry.pattern is not None:
            found.append((f"block kind {entry.kind}", entry.pattern.source, entry.pattern.fullmatch))
    for rule in rules:
        if rule.pattern is not None:
            found.append((f"rule {rule.id}", rule.pattern.source,
                          lambda text, p=rule.pattern: list(p.finditer(text))))
    seen: set[str] = set()
    for code, language in ruleset.lexicons.languages.items():
        for kind, patterns in language.patterns().items():
            for pattern in patterns:
                if pattern.source not in seen:
                    seen.add(pattern.source)
                    found.append((f"{code} {kind} cues", pattern.source,
                                  lambda text, p=pattern: list(p.finditer(text))))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("top", nargs="?", type=int, default=15, help="how many of the costliest patterns to print")
    top = parser.parse_args(argv).top
    sample = texts()
    kilobytes = sum(len(text.encode("utf-8")) for text in sample) / 1000
    costs = []
    for where, source, match in used_patterns():
        for text in sample[:5]:  # warm the automaton, as a run does after its first files
            match(text)
        start = time.perf_counter()
        for text in sample:
            match(text)
        costs.append(((time.perf_counter() - start) / kilobytes * 1e6, where, source))
    print(f"{len(costs)} patterns over {len(sample)} texts ({kilobytes:,.0f} KB)")
    print(f"{'us/KB':>8}  {'used as':<22} pattern")
    for micros, where, source in sorted(costs, reverse=True)[:top]:
        shown = source if len(source) <= 90 else source[:87] + "..."
        print(f"{micros:>8.1f}  {where:<22} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
