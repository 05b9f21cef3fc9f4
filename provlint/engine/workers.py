"""Where files are linted: in this process, or in chunks on forked worker processes.
A worker that dies (killed, out of memory) costs only the file it held (IN007); Ctrl-C
and SIGTERM stop the workers cleanly and keep what they finished."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from provlint.engine.lint import FileResult, Job, Runner, RunResult, Task, lint_file
from provlint.engine.corpus import index_entry
from provlint.engine.reuse import decode_own
from provlint.findings import finding_from_values, finding_values
from provlint.readers import load_shared_data
from provlint.readers.records import unparsed_document
from provlint.rulepack import Rule

CHUNK = 32  # files per task sent to a worker, at least
MAX_CHUNK = 512  # at most: a dying worker's chunk is re-run, and results come back in steps
# Enough chunks that the workers finish together, and that a chunk of large files (JSONL
# feeds: a result of half a megabyte each) is a few MB: at 8 a worker, 1,000 feeds went
# in chunks of 62, 34 MB of results each, and the parent peaked at 239 MB, not 181.
CHUNKS_PER_WORKER = 32
# What forked workers lint with: set in the parent just before the pool starts, so the
# compiled ruleset and the tasks are inherited instead of pickled (a chunk is a list of indices).
_WORKER: Job | None = None
_TASKS: list[Task] | None = None
# Per task of a forked run, in memory the workers share: whether a worker has begun or
# finished linting it, so that when a worker dies the parent knows which file it held.
WAITING, LINTING, LINTED = 0, 1, 2
_STATES: Any = None
_SHARED: Callable[[Any], Any] | None = None  # what `shared_calls` forked processes call, inherited
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)

# A file's result crosses between processes as plain values, rebuilt in the parent: the
# cache's payload alone when there is one (it holds the whole result, which the parent
# reads as it reads a cached one: pickling one bytes object costs the worker nothing),
# else its findings as tuples and its corpus signatures as the index keeps them.
PlainResult = tuple  # (shown, size, mtime_ns, digest, payload, parts or None): see _plain


def _plain(outcome: FileResult) -> PlainResult:
    part = outcome.part
    parts = None if not isinstance(part, RunResult) or outcome.payload is not None else (
        [finding_values(finding) for finding in part.findings], part.files, list(part.source_lines.items()),
        part.skipped, list(map(index_entry, part.signatures)), part.files_checked)
    return outcome.shown, outcome.size, outcome.mtime_ns, outcome.digest, outcome.payload, parts


def _rebuilt(plain: PlainResult) -> FileResult:
    shown, size, mtime_ns, digest, payload, parts = plain
    if parts is None:
        return FileResult(shown, size, mtime_ns, digest, decode_own(shown, payload) if payload is not None else None,
                          payload)
    findings, files, lines, skipped, entries, files_checked = parts
    part = RunResult(findings=[finding_from_values(values) for values in findings], files=files,
                     source_lines=dict(lines), skipped=skipped, files_checked=files_checked)
    return FileResult(shown, size, mtime_ns, digest, part, payload, entries)


def _lint_chunk(chunk: list[int]) -> list[PlainResult]:
    """Lint the tasks at these indices; the garbage collector runs once a chunk, not every
    few hundred allocations (a document's objects hold no cycles, so memory stays flat)."""
    assert _WORKER is not None and _STATES is not None and _TASKS is not None
    results = []
    for index in chunk:
        _STATES[index] = LINTING
        results.append(_plain(lint_file(_TASKS[index], _WORKER)))
        _STATES[index] = LINTED
    gc.collect(1)
    return results


def chunk_size(files: int, jobs: int) -> int:
    """Files per chunk: few, large results (the pool's cost is per result), yet enough
    chunks for every worker to stay busy until the end."""
    return max(CHUNK, min(MAX_CHUNK, files // (jobs * CHUNKS_PER_WORKER)))


def _start_worker(parent: int) -> None:
    """Signals in a worker: Ctrl-C is left to the parent, which stops the workers and
    reports what it has; SIGTERM kills (the parent's handler, inherited through fork,
    would turn it into an interrupt); and the worker dies with its parent instead of
    waiting on its pipe forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)  # held by the parent while it forked
    gc.disable()  # collections run between chunks instead (`_lint_chunk`)
    if not _die_with_parent():
        import threading

        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker got here
        os._exit(1)


def _die_with_parent() -> bool:
    """Ask Linux to kill this process when its parent dies; False where it cannot."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Where the kernel cannot tie a worker to its parent: look once a second."""
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _worker_died(task: Task, rules: list[Rule]) -> FileResult:
    """A file whose worker process died (killed, out of memory) gets one IN finding."""
    document = unparsed_document(
        task.shown, {"crashed": "the worker process died while checking this file (killed or out of memory)"})
    part = RunResult()
    part.add(document, [r for r in rules if r.check == "input"])
    part.files_checked = 1
    return FileResult(task.shown, part=part)


def _suspects(broken: list[list[int]]) -> list[int]:
    """The files to re-run alone after a worker died, from the chunks left unanswered: the
    files being linted at that moment (one per worker: the dead one's and those the pool
    then stopped); else, if a worker died between files or sending its answer, the chunks
    it had begun; else the first chunk. Each pool that breaks isolates a file at least."""
    assert _STATES is not None
    linting = [index for chunk in broken for index in chunk if _STATES[index] == LINTING]
    if linting:
        return linting
    begun = [index for chunk in broken if any(_STATES[i] != WAITING for i in chunk) for index in chunk]
    return begun or broken[0]


def forked_runner(job: Job, jobs: int) -> Runner:
    """Chunks of files in forked worker processes. A dying worker (killed, out of memory)
    breaks the pool and the chunks it had not answered; the files being linted at that
    moment are then re-run one at a time (a file that kills its worker again gets an IN007
    finding) and the rest goes on in a fresh pool of the same size."""

    def run(tasks: list[Task]) -> Iterator[Iterable[FileResult]]:
        global _WORKER, _TASKS, _STATES
        import multiprocessing

        load_shared_data()
        context = multiprocessing.get_context("fork")
        _WORKER, _TASKS, _STATES = job, tasks, context.RawArray("b", len(tasks))
        # What the workers inherit (rules, tasks) is never garbage: frozen, no collection
        # in the parent or a worker traverses it (nor copies its pages by touching them).
        gc.freeze()
        pending = list(range(len(tasks)))
        try:
            while pending:
                broken = yield from _run_pool(context, tasks, pending, jobs)
                if not broken:
                    break
                suspects = _suspects(broken)
                yield from _run_alone(context, tasks, suspects, job.rules)
                isolated = set(suspects)
                pending = sorted(index for chunk in broken for index in chunk if index not in isolated)
                for index in pending:
                    _STATES[index] = WAITING
        finally:
            gc.unfreeze()
            _WORKER = _TASKS = _STATES = None

    return run


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while a pool starts: an interrupt raised between forking the
    workers and starting the thread that feeds them would leave workers nobody stops, and
    the run would hang at exit. A signal that came meanwhile is raised on leaving."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop(executor: Any) -> None:
    """Ctrl-C, SIGTERM or the consumer stopping: chunks not started are cancelled and the
    workers (which ignore SIGINT) finish the one they hold, then exit. Killing them instead
    can cut a result mid-write and hang the pool's reader thread; that is left to a
    second Ctrl-C."""
    try:
        executor.shutdown(wait=True, cancel_futures=True)
    except BaseException:
        for process in list(executor._processes.values()):  # no public API before 3.14
            process.kill()
        raise


def _run_pool(context: Any, tasks: list[Task], pending: list[int],
              jobs: int) -> Generator[Iterable[FileResult], None, list[list[int]]]:
    """Lint `pending` (indices into `tasks`) in chunks on a pool of `jobs` workers; yield
    each chunk's results and return the chunks left unanswered because a worker died."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    size = chunk_size(len(pending), jobs)
    chunks = [pending[i : i + size] for i in range(0, len(pending), size)]
    broken: list[list[int]] = []
    executor = None
    futures: dict[Any, list[int]] = {}
    try:
        with _signals_held():
            executor = ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=context, initializer=_start_worker,
                                           initargs=(os.getpid(),))
            for chunk in chunks:
                try:
                    futures[executor.submit(_lint_chunk, chunk)] = chunk
                except BrokenProcessPool:  # a worker died while the chunks were handed over
                    broken.append(chunk)
        for future in as_completed(futures):
            chunk = futures.pop(future)  # a finished chunk's results are not kept here
            try:
                results = future.result()
            except BrokenProcessPool:
                broken.append(chunk)
                continue
            # Rebuilt one at a time as the run takes them: a chunk of JSONL feeds' payloads
            # decoded at once took a hundred MB more.
            yield map(_rebuilt, results)
    except KeyboardInterrupt:
        if executor is not None:
            _stop(executor)
            # The workers finished the chunks they held: those files are answered too.
            for future in futures:
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield [_rebuilt(plain) for plain in future.result()]
        raise
    except BaseException:
        if executor is not None:
            _stop(executor)
        raise
    executor.shutdown(wait=True)
    return broken


def _run_alone(context: Any, tasks: list[Task], indices: list[int],
               rules: list[Rule]) -> Iterator[Iterable[FileResult]]:
    """Lint files one at a time in a one-worker pool: if the worker dies, the file it held
    killed it (IN007), and a new worker takes the next file."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    remaining = list(indices)
    while remaining:
        alone = None
        try:
            while remaining:
                with _signals_held():
                    alone = alone or ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker,
                                                         initargs=(os.getpid(),))
                    future = alone.submit(_lint_chunk, [remaining[0]])
                index = remaining.pop(0)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    yield [_worker_died(tasks[index], rules)]
                    break
                yield [_rebuilt(plain) for plain in results]
        except BaseException:
            if alone is not None:
                _stop(alone)
            raise
        if alone is not None:
            alone.shutdown(wait=True)


def local_runner(job: Job, jobs: int) -> Runner:
    """In this process, or in forked workers when there is work for more than one."""

    def run(tasks: list[Task]) -> Iterator[Iterable[FileResult]]:
        if jobs > 1 and len(tasks) > CHUNK:
            import multiprocessing

            if "fork" in multiprocessing.get_all_start_methods():
                yield from forked_runner(job, jobs)(tasks)
                return
        for task in tasks:
            yield [lint_file(task, job)]

    return run


def _call_shared(argument: Any) -> Any:
    assert _SHARED is not None
    return _SHARED(argument)


def shared_calls(function: Callable[[Any], Any], arguments: list[Any], jobs: int) -> list[Any]:
    """`function` of each argument, the first made here while forked processes (at most
    `jobs - 1`) make the others: parent-side work the idle workers can share (the corpus
    pass). The function is inherited, not pickled; the arguments and results are. A call
    whose process died is made here again; one that raised raises here. All are made here
    while another thread runs (a Dask client's, an embedding program's): a fork copies
    none of them, and a lock one of them held would stay locked in the forked process."""
    global _SHARED
    import multiprocessing
    import threading

    if jobs < 2 or len(arguments) < 2 or "fork" not in multiprocessing.get_all_start_methods() \
            or threading.active_count() > 1:
        return [function(argument) for argument in arguments]
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _SHARED = function
    executor = None
    try:
        with _signals_held():
            executor = ProcessPoolExecutor(min(jobs - 1, len(arguments) - 1), mp_context=multiprocessing.get_context("fork"),
                                           initializer=_start_worker, initargs=(os.getpid(),))
            futures: list[Future] = []
            for argument in arguments[1:]:
                try:
                    futures.append(executor.submit(_call_shared, argument))
                except BrokenProcessPool as exc:  # a process died while the calls were handed over
                    futures.append(Future())
                    futures[-1].set_exception(exc)
        results = [function(arguments[0])]
        for argument, future in zip(arguments[1:], futures):
            try:
                results.append(future.result())
            except BrokenProcessPool:
                results.append(function(argument))
    except BaseException:
        if executor is not None:
            _stop(executor)
        raise
    finally:
        _SHARED = None
    executor.shutdown(wait=True)
    return results
