"""Where a file's CPU time goes, phase by phase, in one process (run by hand).

    python benchmarks/phases.py                      # 2,000 generated dumps
    python benchmarks/phases.py --shape html 356     # the real pages, once each
    python benchmarks/phases.py --shape jsonl 20

Each phase of each file is timed with the process's CPU clock, interleaved (file by file,
phase by phase), so a busy machine slows every phase alike instead of the one that ran
while it was busy: read (bytes from disk), parse (decode, split, classify, fields),
one row per check kind (its group pass, or all its selected rules one by one), finish (fingerprints,
places in records, sorting), and signature (what the corpus rules keep of each document for
the corpus pass). µs are per file; the total is what one worker spends per file before the
executor and the report. WARM other files are linted first, unmeasured: patterns compile on
first use and some memos are keyed by text, so measuring the warm-up files again would
look cheaper than a run over new files is.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_corpus  # noqa: E402
from shapes import REAL_PAGES, real_pages, write_html, write_jsonl  # noqa: E402

from provlint import compiled  # noqa: E402
from provlint.api import prepare  # noqa: E402
from provlint.checks.corpus import settings, signature  # noqa: E402
from provlint.config import load_settings  # noqa: E402
from provlint.engine.lint import UNPARSED, _finish, _plan, _run_rule  # noqa: E402
from provlint.patterns import start_budget  # noqa: E402
from provlint.readers import read_file, read_raw  # noqa: E402


def measure(files: list[Path]) -> tuple[dict[str, int], int]:
    """CPU nanoseconds per phase over all files, and the number of documents read."""
    ruleset, rules = prepare(load_settings(None))
    corpus = settings(rules) if any(rule.check == "corpus" for rule in rules) else None
    spent: dict[str, int] = defaultdict(int)
    documents_read = 0
    clock = time.process_time_ns
    for path in files:
        start = clock()
        raw = read_file(path)
        spent["read"] += clock() - start
        start = clock()
        documents = read_raw(str(path), raw, ruleset.table)
        spent["parse"] += clock() - start
        documents_read += len(documents)
        for document in documents:
            # As lint_document does it, kind by kind: a kind's group pass, or its rules one by one.
            plan = _plan(rules)
            findings: list = []
            if document.facts:
                start = clock()
                for rule in plan.inputs:
                    _run_rule(rule, document, rules, findings)
                spent["check input"] += clock() - start
            if not any(document.facts.get(fact) for fact in UNPARSED):
                for chosen, run in plan.steps:
                    start = clock()
                    if run is not None:
                        start_budget()
                        findings += run(document)
                    else:
                        for rule in chosen:
                            _run_rule(rule, document, rules, findings)
                    spent[f"check {chosen[0].check}"] += clock() - start
            start = clock()
            _finish(document, findings)
            spent["finish"] += clock() - start
            if corpus is not None and not any(document.facts.get(fact) for fact in UNPARSED):
                start = clock()
                signature(document, corpus)
                spent["signature"] += clock() - start
    return spent, documents_read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", choices=["dump", "html", "jsonl"], default="dump")
    parser.add_argument("count", type=int, nargs="?", default=2000, help="how many files")
    parser.add_argument("--warm", type=int, default=300, help="files linted first, unmeasured (default 300)")
    args = parser.parse_args(argv)
    made = args.count + args.warm
    with tempfile.TemporaryDirectory(prefix="provlint-phases-") as folder:
        target = Path(folder)
        if args.shape == "html":
            write_html(made, target, real_pages(REAL_PAGES))
        elif args.shape == "jsonl":
            write_jsonl(made, target)
        else:
            write_corpus(made, target)
        files = sorted(path for path in target.rglob("*") if path.is_file())
        measure(files[: args.warm])
        files = files[args.warm :]
        gc.collect()
        spent, documents = measure(files)
    total = sum(spent.values())
    build = "compiled" if compiled() else "pure Python"
    print(f"{len(files)} {args.shape} files, {documents} documents; provlint {build}; CPU µs per file")
    for phase, nanoseconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"{phase:<24} {nanoseconds / 1000 / len(files):>10.1f} {100 * nanoseconds / total:>6.1f}%")
    print(f"{'total':<24} {total / 1000 / len(files):>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
