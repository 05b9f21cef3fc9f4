"""What the corpus signature costs per dump (run by hand).

    python benchmarks/signature.py             # 300 generated dumps, µs per dump (CPU)
    python benchmarks/signature.py --reps 0    # parse only: run both under callgrind and
    python benchmarks/signature.py --reps 2    # halve the difference for signature()'s Ir

The dumps are parsed first, outside the measure; then `signature()` runs on every document
`--reps` times.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_corpus  # noqa: E402

from provlint.api import prepare  # noqa: E402
from provlint.checks.corpus import settings, signature  # noqa: E402
from provlint.config import load_settings  # noqa: E402
from provlint.engine.lint import UNPARSED  # noqa: E402
from provlint.readers import read_file, read_raw  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=300)
    parser.add_argument("--reps", type=int, default=3)
    options = parser.parse_args()
    ruleset, rules = prepare(load_settings(None))
    how = settings(rules)
    with tempfile.TemporaryDirectory() as folder:
        write_corpus(options.count, Path(folder))
        documents = [document for path in sorted(Path(folder).rglob("*.txt"))
                     for document in read_raw(str(path), read_file(path), ruleset.table)
                     if not any(document.facts.get(fact) for fact in UNPARSED)]
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
