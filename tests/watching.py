"""A running CLI seen from outside, through /proc (Linux): its worker processes and what
each has read. Tests make things happen to a run with these and real signals, patching
none of provlint's code (a patch of a compiled module's function has no effect)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            found.update(int(child) for child in (task / "children").read_text().split())
    return found


def bytes_read(pid: int) -> int:
    """What the process has read through read(2) and its kin, files and pipes (0 once gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/io").read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
    return 0


def killing_readers(process: subprocess.Popen, size: int) -> tuple[str, str, set[int]]:
    """`process` run to its end (its stdout and stderr), while every child of it that has
    read `size` bytes or more is killed with SIGKILL, as the OOM killer kills a process
    that grows: a file that big kills every worker that reads it. Also every child seen."""
    seen: set[int] = set()
    ended = threading.Event()

    def watch() -> None:
        while not ended.is_set():
            for child in children(process.pid):
                seen.add(child)
                if bytes_read(child) >= size:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(child, signal.SIGKILL)
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        out, err = process.communicate(timeout=300)
    finally:
        ended.set()
        watcher.join()
    return out, err, seen
