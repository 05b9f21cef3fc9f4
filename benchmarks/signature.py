"""What the corpus signature costs per dump (run by hand).

    python benchmarks/signature.py             # 300 generated dumps, µs per dump (CPU)
    python benchmarks/signature.py --reps 0    # parse only: run both under callgrind and
    python benchmarks/signature.py --reps 2    # halve the difference for signature()'s Ir
    python benchmarks/signature.py --error     # the MinHash's estimate error (no timing)

The dumps are parsed first, outside the measure; then `signature()` runs on every document
`--reps` times. `--error`: the estimated minus the true Jaccard similarity of 3-word
shingles on 300 pairs, each a body of the dumps and a copy with up to 10% of its words
dropped and as many replaced (and a third cut short), seeded: mean, sd and largest.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_corpus  # noqa: E402

from provlint.api import prepare  # noqa: E402
from provlint.checks.corpus import _body_parts, minhash, settings, signature, similarity  # noqa: E402
from provlint.config import load_settings  # noqa: E402
from provlint.engine.lint import UNPARSED  # noqa: E402
from provlint.readers import read_file, read_raw  # noqa: E402


def estimate_error(bodies: list[list[str]], pairs: int = 300, seed: int = 20) -> str:
    def shingles(words: list[str]) -> set[str]:
        return {" ".join(words[start : start + 3]) for start in range(len(words) - 2)}

    rng = random.Random(seed)
    vocabulary = sorted({word for words in bodies for word in words})
    errors = []
    for _ in range(pairs):
        words = rng.choice(bodies)
        rate = rng.uniform(0, 0.1)
        copy = [word for word in words if rng.random() > rate]
        copy = [rng.choice(vocabulary) if rng.random() < rate else word for word in copy]
        if rng.random() < 0.3:
            copy = copy[: int(len(copy) * rng.uniform(0.5, 1))]
        one, two = shingles(words), shingles(copy)
        errors.append(similarity(minhash(" ".join(words), 3), minhash(" ".join(copy), 3)) - len(one & two) / len(one | two))
    return (f"estimate error over {pairs} pairs: mean {statistics.mean(errors):+.4f} "
            f"sd {statistics.pstdev(errors):.4f} max {max(map(abs, errors)):.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=300)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--error", action="store_true", help="the estimate error instead of the time")
    options = parser.parse_args()
    ruleset, rules = prepare(load_settings(None))
    how = settings(rules)
    with tempfile.TemporaryDirectory() as folder:
        write_corpus(options.count, Path(folder))
        documents = [document for path in sorted(Path(folder).rglob("*.txt"))
                     for document in read_raw(str(path), read_file(path), ruleset.table)
                     if not any(document.facts.get(fact) for fact in UNPARSED)]
    if options.error:
        print(estimate_error([re.findall(r"\w+", " ".join(text for _, text in _body_parts(document)).casefold())
                              for document in documents]))
        return 0
    start = time.process_time_ns()
    for _ in range(options.reps):
        for document in documents:
            signature(document, how)
    if options.reps:
        spent = (time.process_time_ns() - start) / options.reps / len(documents) / 1000
        print(f"signature: {spent:.1f} µs per dump over {len(documents)} dumps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
