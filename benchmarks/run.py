"""Timings, run by hand (never in the test suite): files/s, MB/s and peak memory, cold and
cached, with one and two workers, and `grep -rE` with the placeholder pattern over the
same files as the floor.

    python benchmarks/run.py                 # 1,000 and 10,000 dumps
    python benchmarks/run.py 1000 10000 100000
    python benchmarks/run.py --skip-one-job 100000  # without the --jobs 1 runs
    python benchmarks/run.py --shape html 10000    # copies of ../shared/realworld's pages
    python benchmarks/run.py --shape jsonl 1000    # NewsAPI feeds, 100 records a file
    python benchmarks/run.py --corpus              # the corpus pass: 100,000 and 1,000,000 dumps

"cold" runs with an empty cache (`--jobs 1` with `--no-cache`; `--jobs 2` fills the
cache); "parse only" reads and parses every file with no rule but the input ones (the
floor of any run with rules); "cached" re-runs over the unchanged corpus (the run kept
whole is replayed); "one file edited" re-runs after a line is added to one file (every
other file's entry is read, and the corpus pass made again). Peak memory is the largest
process of the run (the parent or a worker).

`--corpus` runs the corpus rules at scale: `benchmarks/corpus.py` writes N dumps, every
33rd a laundered copy of an earlier one on another domain; `provlint check --jobs 2`
runs cold over them with the default rules (the corpus rules among them) and its report
(JSON lines) is read back. Each row: the whole run's wall seconds, the corpus pass's
(PROVLINT_TIMINGS), the peak memory of the parent and of its largest worker, the copies
planted and how many of them DU009 found. The corpora go under $TMPDIR (about 4 KB of
disk a dump); keep it on a disk with room.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from generate import write_corpus  # noqa: E402
from shapes import REAL_PAGES, RECORDS_PER_FILE, real_pages, write_html, write_jsonl  # noqa: E402


def write_shape(shape: str, size: int, target: Path) -> None:
    if shape == "html":
        write_html(size, target, real_pages(REAL_PAGES))
    elif shape == "jsonl":
        write_jsonl(size, target)
    else:
        write_corpus(size, target)


def timed(argv: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command and the processes it waited for."""
    start = time.perf_counter()
    # Kept referenced: a dropped Popen reaps a child that has already ended, and wait4 then finds none.
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def version() -> str:
    """`provlint --version`, asked outside the checkout like the runs: the installed
    provlint, compiled or not."""
    return subprocess.run([sys.executable, "-m", "provlint", "--version"], capture_output=True, text=True,
                          cwd=tempfile.gettempdir()).stdout.strip()


def row(size: int, label: str, seconds: float, megabytes: float, peak: float | None, floor: float) -> None:
    memory = f"{peak:>8.0f}" if peak is not None else f"{'':>8}"
    print(f"{size:>8} {label:<24} {seconds:>8.2f} {size / seconds:>9,.0f} {megabytes / seconds:>7.1f} {memory} "
          f"{seconds / floor:>7.1f}", flush=True)


def corpus_pass(sizes: list[int]) -> None:
    """The real CLI over generated dumps with laundered copies: times, peak memory, copies found."""
    print(f"{'files':>9} {'seconds':>8} {'corpus s':>8} {'parent MB':>9} {'worker MB':>9} {'copies':>7} {'found':>7}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="provlint-corpus-") as folder:
            root = Path(folder)
            planted = set(corpus.write_corpus(size, root / "dumps"))
            report = root / "report.jsonl"
            with open(report, "w", encoding="utf-8") as stream:
                start = time.perf_counter()
                run = subprocess.run([sys.executable, "-m", "provlint", "check", "dumps", "--jobs", "2", "--format",
                                      "jsonl"], cwd=root, stdout=stream, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "PROVLINT_TIMINGS": "1"})
                seconds = time.perf_counter() - start
            timings = next(line for line in run.stderr.splitlines() if line.startswith("provlint: timings:"))
            phases, _, memory = timings.partition("; ")
            corpus_seconds = float(phases.split("corpus ")[1].split(" s")[0])
            parent, worker = (float(part.split()[-2]) for part in memory.split(", "))
            found = set()
            with open(report, encoding="utf-8") as lines:
                for line in lines:
                    if '"DU009"' in line:
                        finding = json.loads(line)
                        if finding["rule"] == "DU009":
                            found.add(finding["path"])
            print(f"{size:>9} {seconds:>8.1f} {corpus_seconds:>8.1f} {parent:>9.0f} {worker:>9.0f} {len(planted):>7} "
                  f"{len(planted & found):>7}" + (f"  ({len(found - planted)} not planted)" if found - planted else ""),
                  flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, metavar="SIZE", help="corpus sizes in files (default: 1000 10000)")
    parser.add_argument("--shape", choices=["dump", "html", "jsonl"], default="dump",
                        help=f"what the files are (jsonl: {RECORDS_PER_FILE} records a file)")
    parser.add_argument("--skip-one-job", action="store_true",
                        help="skip the --jobs 1 runs (at 100,000 files the cold one takes most of the time); "
                             "the cached run is then made three times")
    parser.add_argument("--corpus", action="store_true",
                        help="the corpus rules over dumps with laundered copies (default sizes: 100000 1000000)")
    args = parser.parse_args(argv)
    if args.corpus:
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}; {version()}")
        corpus_pass(args.sizes or [100_000, 1_000_000])
        return 0
    sizes = args.sizes or [1000, 10_000]
    provlint = [sys.executable, "-m", "provlint", "check", "dumps", "--quiet"]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}; {version()}; "
          f"shape {args.shape}" + (f" ({RECORDS_PER_FILE} records a file)" if args.shape == "jsonl" else ""))
    print(f"{'files':>8} {'run':<24} {'seconds':>8} {'files/s':>9} {'MB/s':>7} {'peak MB':>8} {'x grep':>7}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="provlint-bench-") as folder:
            root = Path(folder)
            write_shape(args.shape, size, root / "dumps")
            megabytes = sum(p.stat().st_size for p in (root / "dumps").rglob("*.*")) / 1e6
            floor, _ = timed(["grep", "-rE", "-c", "/html/(head|body)/", "dumps"], root)
            row(size, "grep -rE (floor)", floor, megabytes, None, floor)
            if not args.skip_one_job:
                seconds, peak = timed([*provlint, "--jobs", "1", "--no-cache"], root)
                row(size, "cold --jobs 1", seconds, megabytes, peak, floor)
            seconds, peak = timed([*provlint, "--jobs", "2"], root)
            row(size, "cold --jobs 2", seconds, megabytes, peak, floor)
            # Reading and parsing alone: only the input rules, which read no field.
            seconds, peak = timed([*provlint, "--jobs", "2", "--no-cache", "--select", "IN"], root)
            row(size, "parse only --jobs 2", seconds, megabytes, peak, floor)
            for jobs in ("2", "2", "2") if args.skip_one_job else ("2", "1"):
                seconds, peak = timed([*provlint, "--jobs", jobs], root)
                row(size, f"cached --jobs {jobs}", seconds, megabytes, peak, floor)
            # One file edited: the kept run no longer stands, and every other file's entry is read.
            with open(min((root / "dumps").rglob("*.*")), "a", encoding="utf-8") as edited:
                edited.write("\n")
            seconds, peak = timed([*provlint, "--jobs", "2"], root)
            row(size, "cached, one file edited", seconds, megabytes, peak, floor)
    with tempfile.TemporaryDirectory(prefix="provlint-bench-") as folder:
        shutil.copytree(HERE.parent / "seeds", Path(folder) / "dumps")
        cold, peak = timed([*provlint, "--no-cache"], Path(folder))
        timed(provlint, Path(folder))
        cached, _ = timed(provlint, Path(folder))
    print(f"provlint check seeds/ (one file): {cold:.2f} s cold, {cached:.2f} s cached, peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
