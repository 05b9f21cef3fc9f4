"""The corpus pass, run by hand: time and peak memory of the corpus rules (DU009, PV010,
PV011) over N generated dumps, a few percent of them laundered copies on other domains,
and how many of those copies DU009 found.

    python benchmarks/corpus.py                  # 100,000 and 1,000,000 dumps
    python benchmarks/corpus.py 2000             # a quick check
    python benchmarks/corpus.py --index-only 1000000

`--index-only` measures the corpus pass alone, in this process: the same documents'
signatures made in memory (no file written or read) and fed to the corpus index, then
its findings; peak memory is this process's.

Each dump is small (a URL, a title, a publication time, a body of about 120 words drawn
from 50,000 sentences of random words, so no two bodies are alike) on one of 5,000 domains.
Every 33rd dump is a copy of an earlier one on another domain, published later: verbatim,
trimmed by its last sentence, or joined into one paragraph. Runs with `--select` of the
corpus rules only, so what is timed is reading the files, making the signatures and the
corpus pass: "cold" with an empty cache and two workers, "cached" over the unchanged
files (no file is read). Peak memory is the largest process of the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
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


def write_corpus(count: int, target: Path) -> int:
    """`count` dumps in folders of 1,000 (the same for the same count); returns how many
    are laundered copies."""
    rng = random.Random(20191120)
    pool = _pool(rng)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    kept: list[tuple[int, list[str], datetime]] = []  # originals a later dump may copy
    copies = 0
    for index in range(count):
        domain = rng.randrange(DOMAINS)
        published = start + timedelta(seconds=index * 37)
        if index % COPY_EVERY == COPY_EVERY - 1 and kept:
            source, sentences, _ = kept[rng.randrange(len(kept))]
            domain = (source + 1 + rng.randrange(DOMAINS - 1)) % DOMAINS
            style = index % 3
            sentences = sentences[:-1] if style == 1 else sentences
            paragraphs = 1 if style == 2 else 4
            copies += 1
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
                             published.isoformat(), (5, 1, 5, 26), minhash(words, how.shingle), (7, 1, 7, 120),
                             sentences[0][:400], (), " ".join(words[:30]) + " | " + " ".join(words[-45:]), (), ())])
    signed = time.perf_counter() - begin
    findings = index.findings()
    index.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rules_found = [finding.rule for finding in findings]
    print(f"{count:>9} {copies:>7} {'index':<8} {time.perf_counter() - begin - signed:>8.1f} {peak:>8.0f} "
          f"{rules_found.count('DU009'):>7} {rules_found.count('PV010'):>6} {rules_found.count('PV011'):>6}"
          f"  (signatures made in {signed:.0f} s)", flush=True)


def timed(argv: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the command and the processes it waited for, and its output."""
    begin = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - begin, usage.ru_maxrss / 1024, output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, metavar="SIZE",
                        help="corpus sizes in dumps (default: 100000 1000000)")
    parser.add_argument("--index-only", action="store_true",
                        help="the corpus pass alone, over signatures made in memory (no files)")
    args = parser.parse_args(argv)
    sizes = args.sizes or [100_000, 1_000_000]
    check = [sys.executable, "-m", "provlint", "check", "dumps", "--select", SELECT, "--jobs", "2",
             "--format", "json"]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'files':>9} {'copies':>7} {'run':<8} {'seconds':>8} {'peak MB':>8} {'DU009':>7} {'PV010':>6} {'PV011':>6}")
    for size in sizes:
        if args.index_only:
            index_only(size)
            continue
        with tempfile.TemporaryDirectory(prefix="provlint-corpus-") as folder:
            root = Path(folder)
            copies = write_corpus(size, root / "dumps")
            for label in ("cold", "cached"):
                seconds, peak, output = timed(check, root)
                rules = [finding["rule"] for finding in json.loads(output)["findings"]]
                print(f"{size:>9} {copies:>7} {label:<8} {seconds:>8.1f} {peak:>8.0f} {rules.count('DU009'):>7} "
                      f"{rules.count('PV010'):>6} {rules.count('PV011'):>6}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
