"""Time and memory of one large file by size and layout, run by hand (never in the test suite).

    python benchmarks/large_dump.py                          # 2, 5, 10, 20, 40 MB, every layout
    python benchmarks/large_dump.py --layout repeated 10 40  # one layout, chosen sizes
    python benchmarks/large_dump.py --calls 2 8              # function calls instead of time
    python benchmarks/large_dump.py --instructions 0.5 2     # instructions (valgrind) instead of time

Layouts, each a single file of about N MB:
- `repeated`: the seed dump again and again (the shape of the report in issue 16: every
  title, date and body the same);
- `concatenated`: generated dumps of eight outlets joined, thousands of distinct titles,
  dates, URLs and bodies in one file;
- `long-body`: one article whose body is thousands of paragraphs;
- `one-block`: one article whose body is a single block of glued sentences, all distinct;
- `jsonl`: generated articles as JSON records, one a line;
- `minified-page`: an HTML page on one line, with a meta tag for every paragraph.

Files over the default limit (10 MB, IN006) are checked with `--max-file-size`. Linear
means that seconds (and calls) per MB stay flat down a layout's rows, and peak memory grows
by a steady amount per MB. `user s` is the CPU time of the run, less disturbed than the
wall time when other work shares the machine; `--calls` counts Python function calls
under cProfile and `--instructions` the instructions executed (callgrind), which do not
depend on the machine at all. Calls miss a loop that stays inside one function (a
`str.count` per match, a comparison loop); instructions see everything.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import SEED, SENTENCES, body, dump  # noqa: E402

MB = 1_000_000


def repeated(size: int) -> str:
    return "\n\n".join([SEED] * max(1, size // len(SEED.encode("utf-8"))))


def concatenated(size: int) -> str:
    rng, dumps, total = random.Random(16), [], 0
    while total < size:
        dumps.append(dump(len(dumps) + 1, rng))
        total += len(dumps[-1].encode("utf-8")) + 2
    return "\n\n".join(dumps)


def long_body(size: int) -> str:
    rng = random.Random(16)
    paragraphs, total = [dump(1, rng)], 0
    while total < size:
        paragraphs.append(body("fr_FR", rng))
        total += len(paragraphs[-1].encode("utf-8")) + 2
    return "\n\n".join(paragraphs)


def _word(number: int) -> str:
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
        if not number:
            return letters


def one_block(size: int) -> str:
    rng = random.Random(16)
    head = "\n\n".join(SEED.split("\n\n")[:3])
    sentences, total = [], 0
    while total < size:  # glued to the next one by a word of its own: every join is a distinct TX001 match
        sentences.append(rng.choice(SENTENCES["fr_FR"]).format(n=rng.randint(2, 99)).rstrip(".")
                         + f" dossier{_word(len(sentences))}.")
        total += len(sentences[-1].encode("utf-8"))
    return head + "\n\n" + "".join(sentences) + "\n"


def jsonl(size: int) -> str:
    rng, lines, total = random.Random(16), [], 0
    while total < size:
        index = len(lines) + 1
        text = body("en_GB", rng)
        record = {"title": f"Reform No. {index}: what changes", "description": text[:120], "text": text,
                  "url": f"https://www.bbc.co.uk/news/article-{index}", "date": f"2021-{index % 12 + 1:02d}-11",
                  "author": "Sam Clarke", "sitename": "BBC News"}
        lines.append(json.dumps(record, ensure_ascii=False))
        total += len(lines[-1].encode("utf-8")) + 1
    return "\n".join(lines) + "\n"


def minified_page(size: int) -> str:
    rng = random.Random(16)
    head = ['<!DOCTYPE html><html lang="en"><head><title>Reform No. 12: what changes | BBC News</title>',
            '<meta property="og:title" content="Reform No. 12: what changes">',
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Reform No. 12: what changes",'
            ' "datePublished": "2021-05-11T08:00:00+01:00", "author": {"@type": "Person", "name": "Sam Clarke"}}'
            '</script>']
    paragraphs, total = [], 0
    while total < size:  # a tag for every paragraph: thousands of meta tags on one line
        paragraphs.append(f"<p>{body('en_GB', rng)}</p>")
        head.append(f'<meta property="article:tag" content="tag {len(paragraphs)}">')
        total += len(paragraphs[-1]) + len(head[-1])
    return "".join(head) + "</head><body><article>" + "".join(paragraphs) + "</article></body></html>\n"


LAYOUTS: dict[str, tuple[str, Callable[[int], str]]] = {
    "repeated": ("dump.txt", repeated), "concatenated": ("dump.txt", concatenated), "long-body": ("dump.txt", long_body),
    "one-block": ("dump.txt", one_block), "jsonl": ("records.jsonl", jsonl), "minified-page": ("page.html", minified_page),
}


def command(path: Path) -> list[str]:
    return ["check", str(path), "--no-cache", "--jobs", "1", "--quiet", "--max-file-size", str(10 * path.stat().st_size)]


def timed(path: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "provlint", *command(path)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=path.parent)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def calls(path: Path) -> int:
    """Python function calls of one run, counted by cProfile."""
    profile = path.with_suffix(".prof")
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "provlint", *command(path)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=path.parent, check=False)
    return pstats.Stats(str(profile)).total_calls  # type: ignore[attr-defined]


def instructions(path: Path) -> int:
    """Instructions executed by one run, counted by valgrind's callgrind (slow: about 50
    times the run's time)."""
    counts = path.with_suffix(".callgrind")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={counts}", sys.executable, "-m", "provlint",
                    *command(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=path.parent, check=False)
    totals = [line for line in counts.read_text().splitlines() if line.startswith(("summary:", "totals:"))]
    return int(totals[0].split()[1])


def main() -> int:
    if sys.argv[1:2] == ["--write"]:  # python large_dump.py --write LAYOUT MB PATH
        layout, size, target = sys.argv[2:5]
        Path(target).write_text(LAYOUTS[layout][1](int(float(size) * MB)), encoding="utf-8")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=float, default=[2, 5, 10, 20, 40], help="sizes in MB")
    parser.add_argument("--layout", choices=list(LAYOUTS), action="append", help="layouts (default: every one)")
    counting = parser.add_mutually_exclusive_group()
    counting.add_argument("--calls", action="store_true", help="count function calls (cProfile) instead of timing")
    counting.add_argument("--instructions", action="store_true",
                          help="count instructions (valgrind callgrind) instead of timing")
    options = parser.parse_args()
    build = subprocess.run([sys.executable, "-m", "provlint", "--version"], capture_output=True, text=True,
                           cwd=tempfile.gettempdir()).stdout.strip()
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}; {build}")
    if options.calls or options.instructions:
        unit = "calls" if options.calls else "instructions"
        print(f"{'layout':<13} {'MB':>6} {unit:>16} {unit + '/MB':>16}")
    else:
        print(f"{'layout':<13} {'MB':>6} {'wall s':>8} {'user s':>8} {'user s/MB':>9} {'peak MB':>8} {'peak/MB':>8}")
    for layout in options.layout or list(LAYOUTS):
        name, _ = LAYOUTS[layout]
        for size in options.sizes:
            with tempfile.TemporaryDirectory(prefix="provlint-large-") as folder:
                path = Path(folder) / name
                # Written by a process of its own: this one stays small, and a run started
                # from it (forked) does not count its memory as the run's.
                subprocess.run([sys.executable, __file__, "--write", layout, str(size), str(path)], check=True)
                megabytes = path.stat().st_size / MB
                if options.calls or options.instructions:
                    counted = calls(path) if options.calls else instructions(path)
                    print(f"{layout:<13} {megabytes:>6.1f} {counted:>16,} {counted / megabytes:>16,.0f}", flush=True)
                else:
                    wall, cpu, peak = timed(path)
                    print(f"{layout:<13} {megabytes:>6.1f} {wall:>8.2f} {cpu:>8.2f} {cpu / megabytes:>9.2f} "
                          f"{peak:>8.0f} {peak / megabytes:>8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
