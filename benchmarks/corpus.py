"""The corpus rules' benchmark corpus, and their pass alone (run by hand): N generated
dumps, a few percent of them laundered copies on other domains. `benchmarks/run.py
--corpus` runs the real CLI over them; this script measures the corpus pass alone.

    python benchmarks/corpus.py                  # 100,000 and 1,000,000 signatures
    python benchmarks/corpus.py 2000             # a quick check

It makes the same documents' signatures in memory (no file written or read), feeds them
to the corpus index and makes its findings; peak memory is this process's.

Each dump is small (a URL, a title, a publication time, a body of about 120 words drawn
from 50,000 sentences of random words, so no two bodies are alike) on one of 5,000 domains.
Every 33rd dump is a copy of an earlier one on another domain, published later: verbatim,
trimmed by its last sentence, or joined into one paragraph.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta, UTC
from pathlib import Path

COPY_EVERY = 33
DOMAINS = 5000
WORDS = 20_000
SENTENCES = 50_000
SELECT = "DU009,PV010,PV011"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def _pool(rng: random.Random) -> list[str]:
    """Sentences a body is drawn from: two bodies rarely share one."""
    vocabulary = sorted({_word(rng) for _ in range(WORDS)})
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(10, 18))).capitalize() + "."
            for _ in range(SENTENCES)]


def _sentences(rng: random.Random, pool: list[str]) -> list[str]:
    return rng.sample(pool, 8)


def _dump(url: str, published: datetime, sentences: list[str], paragraphs: int) -> str:
    size = -(-len(sentences) // paragraphs)
    body = "\n\n".join(" ".join(sentences[start : start + size]) for start in range(0, len(sentences), size))
    return f" {url}\n\nStory {url.rsplit('/', 1)[-1]}\n\n{published.isoformat()}\n\n{body}\n"


def write_corpus(count: int, target: Path) -> list[str]:
    """`count` dumps in folders of 1,000 (the same for the same count); returns the
    laundered copies' paths, relative to `target`'s parent (as `provlint check` run
    there with `target`'s name shows them)."""
    rng = random.Random(20191120)
    pool = _pool(rng)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    kept: list[tuple[int, list[str], datetime]] = []  # originals a later dump may copy
    copies: list[str] = []
    for index in range(count):
        domain = rng.randrange(DOMAINS)
        published = start + timedelta(seconds=index * 37)
        if index % COPY_EVERY == COPY_EVERY - 1 and kept:
            source, sentences, _ = kept[rng.randrange(len(kept))]
            domain = (source + 1 + rng.randrange(DOMAINS - 1)) % DOMAINS
            style = index % 3
            sentences = sentences[:-1] if style == 1 else sentences
            paragraphs = 1 if style == 2 else 4
            copies.append(f"{target.name}/{index // 1000:04d}/{index:07d}.txt")
        else:
            sentences = _sentences(rng, pool)
            paragraphs = 4
            if len(kept) < 10_000:
                kept.append((domain, sentences, published))
            else:
                kept[rng.randrange(len(kept))] = (domain, sentences, published)
        folder = target / f"{index // 1000:04d}"
        if index % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        url = f"https://site{domain}.com/{published:%Y/%m/%d}/story-{index}"
        (folder / f"{index:07d}.txt").write_text(_dump(url, published, sentences, paragraphs), encoding="utf-8")
    # An hour back: the cache trusts the files' size and mtime on the cached run.
    past = time.time() - 3600
    for path in target.rglob("*.txt"):
        os.utime(path, (past, past))
    return copies


def index_only(count: int) -> None:
    """The corpus pass over `count` signatures made in memory, as the workers make them."""
    import resource

    from provlint.checks.corpus import Settings, Signature, minhash
    from provlint.engine.corpus import CorpusIndex
    from provlint.ruleset import load_ruleset

    ruleset = load_ruleset()
    rules = [rule for rule in ruleset.rules if rule.id in SELECT.split(",")]
    how = Settings()
    rng = random.Random(20191120)
    pool = _pool(rng)
    kept: list[tuple[int, list[str]]] = []
    start = datetime(2024, 1, 1, tzinfo=UTC)
    index = CorpusIndex(rules, ruleset.sources)
    copies = 0
    begin = time.perf_counter()
    for number in range(count):
        domain = rng.randrange(DOMAINS)
        if number % COPY_EVERY == COPY_EVERY - 1 and kept:
            source, sentences = kept[rng.randrange(len(kept))]
            domain = (source + 1 + rng.randrange(DOMAINS - 1)) % DOMAINS
            sentences = sentences[:-1] if number % 3 == 1 else sentences
            copies += 1
        else:
            sentences = _sentences(rng, pool)
            if len(kept) < 10_000:
                kept.append((domain, sentences))
            else:
                kept[rng.randrange(len(kept))] = (domain, sentences)
        published = start + timedelta(seconds=number * 37)
        path = f"dumps/{number // 1000:04d}/{number:07d}.txt"
        words = " ".join(sentences).casefold().replace(".", "").split()
        index.add([Signature(path, path, "", f"site{domain}.com", (1, 2, 1, 60), int(published.timestamp()),
                             published.isoformat(), (5, 1, 5, 26), minhash(" ".join(words), how.shingle), (7, 1, 7, 120),
                             sentences[0][:400], (), (" ".join(words[:30]), " ".join(words[-45:])), (), ())])
    signed = time.perf_counter() - begin
    findings = index.findings()
    index.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rules_found = [finding.rule for finding in findings]
    print(f"{count:>9} {copies:>7} {'index':<8} {time.perf_counter() - begin - signed:>8.1f} {peak:>8.0f} "
          f"{rules_found.count('DU009'):>7} {rules_found.count('PV010'):>6} {rules_found.count('PV011'):>6}"
          f"  (signatures made in {signed:.0f} s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, metavar="SIZE",
                        help="how many signatures (default: 100000 1000000)")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'files':>9} {'copies':>7} {'run':<8} {'seconds':>8} {'peak MB':>8} {'DU009':>7} {'PV010':>6} {'PV011':>6}")
    for size in args.sizes or [100_000, 1_000_000]:
        index_only(size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
