"""Timings, run by hand (never in the test suite): files/s, MB/s, peak memory, and
`grep -rE` with the placeholder pattern over the same files as the floor.

    python benchmarks/run.py                 # 1,000 and 10,000 dumps
    python benchmarks/run.py 1000 10000 100000
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    start = time.perf_counter()
    pid = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid
    _, _, usage = os.wait4(pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10_000]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'files':>8} {'run':<22} {'seconds':>8} {'files/s':>9} {'MB/s':>7} {'peak MB':>8} {'x grep':>7}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="provlint-bench-") as folder:
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(size), folder], check=True,
                           stdout=subprocess.DEVNULL)
            megabytes = sum(p.stat().st_size for p in Path(folder).rglob("*.txt")) / 1e6
            grep, _ = timed(["grep", "-rEq", "/html/(head|body)/", folder])
            grep_all, _ = timed(["grep", "-rE", "-c", "/html/(head|body)/", folder])
            floor = max(grep, grep_all)
            print(f"{size:>8} {'grep -rE (floor)':<22} {floor:>8.2f} {size / floor:>9.0f} {megabytes / floor:>7.1f}")
            for jobs in (1, 2):
                seconds, peak = timed([sys.executable, "-m", "provlint", "check", folder, "--quiet", "--jobs", str(jobs)])
                print(f"{size:>8} {f'provlint --jobs {jobs}':<22} {seconds:>8.2f} {size / seconds:>9.0f} "
                      f"{megabytes / seconds:>7.1f} {peak:>8.0f} {seconds / floor:>7.0f}")
    seconds, peak = timed([sys.executable, "-m", "provlint", "check", str(HERE.parent / "seeds"), "--quiet"])
    print(f"provlint check seeds/ (one file): {seconds:.2f} s, peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
