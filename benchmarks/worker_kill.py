"""What a dying worker costs, run by hand (never in the test suite): the same corpus at
`--jobs 2`, clean, with a file that kills its worker, and with one worker killed from
outside (SIGKILL, as the OOM killer does) once the pool is linting.

    python benchmarks/worker_kill.py          # 3,000 dumps
    python benchmarks/worker_kill.py 50000

Each run is timed best of three (wall seconds, from start to exit, no cache). The
acceptance bound of issue 16: a worker kill costs at most 2x the clean time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_corpus  # noqa: E402

# A worker that reads the file named by PROVLINT_BENCH_KILLER dies, as the OOM killer kills.
KILLING = """
import os, sys
import provlint.engine.lint as engine
real = engine.read_file
def read_file(path, *args, **kwargs):
    if path.name == os.environ["PROVLINT_BENCH_KILLER"]:
        os._exit(9)
    return real(path, *args, **kwargs)
engine.read_file = read_file
from provlint.cli import main
main(sys.argv[1:], prog_name="provlint")
"""
CHECK = ["check", "corpus", "--jobs", "2", "--no-cache", "--format", "json"]


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def run(argv: list[str], folder: Path, kill_a_worker: bool = False, **env: str) -> tuple[float, dict]:
    """Wall seconds and the JSON report of one run."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, *argv], cwd=folder, stdout=out, stderr=subprocess.DEVNULL,
                                   env=dict(os.environ, **env))
        if kill_a_worker:
            while process.poll() is None and len(children(process.pid)) < 2:
                time.sleep(0.005)
            time.sleep(0.2)  # the pool is linting
            workers = children(process.pid)
            if workers:
                os.kill(min(workers), signal.SIGKILL)
        process.wait()
        seconds = time.perf_counter() - start
        out.seek(0)
        return seconds, json.load(out)


def best(runs: int, argv: list[str], folder: Path, kill_a_worker: bool = False, **env: str) -> tuple[float, dict]:
    results = [run(argv, folder, kill_a_worker, **env) for _ in range(runs)]
    return min(results, key=lambda result: result[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("count", nargs="?", type=int, default=3000, help="dumps in the corpus (default 3000)")
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory(prefix="provlint-worker-kill-") as temporary:
        folder = Path(temporary)
        write_corpus(count, folder / "corpus")
        killer = f"{min(100, count // 10):06d}.txt"  # early: nearly every file is still pending when it dies
        clean, clean_report = best(3, ["-m", "provlint", *CHECK], folder)
        killed, killed_report = best(3, ["-c", KILLING, *CHECK], folder, PROVLINT_BENCH_KILLER=killer)
        outside, outside_report = best(3, ["-m", "provlint", *CHECK], folder, kill_a_worker=True)
        print(f"{count} dumps, --jobs 2, best of 3 (wall seconds)")
        print(f"{'clean':<34} {clean:>7.2f}  files {clean_report['files_checked']}")
        in007 = sum(f["rule"] == "IN007" for f in killed_report["findings"])
        print(f"{'a file kills its worker':<34} {killed:>7.2f}  x{killed / clean:.2f}  "
              f"files {killed_report['files_checked']}, IN007 {in007}")
        same = outside_report["findings"] == clean_report["findings"]
        print(f"{'a worker killed from outside':<34} {outside:>7.2f}  x{outside / clean:.2f}  "
              f"files {outside_report['files_checked']}, findings as clean: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
