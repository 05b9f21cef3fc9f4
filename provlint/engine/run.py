"""A run over files and folders: the paths walked, the cached results of unchanged
files taken, the rest linted by a runner (this process, forked workers, a Dask
cluster), each new result kept in the cache; sorted, and partial if interrupted."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from provlint.engine import snapshot
from provlint.engine.corpus import CorpusIndex
from provlint.engine.discovery import DEFAULT_WALK, Walk, find_inputs
from provlint.escaping import shown_path
from provlint.engine.lint import (DEFAULT_READING, KEEP_ALL, FileResult, Job, Keep, Reading, Runner, RunResult, Task,
                                  lint_file)
from provlint.engine.reuse import Stored, decode
from provlint.engine.workers import local_runner
from provlint.findings import FindingSpool
from provlint.readers import read_file, read_raw
from provlint.readers.notarticle import FACT as NOT_AN_ARTICLE
from provlint.readers.records import unparsed_document
from provlint.rulepack import Rule, Ruleset

if TYPE_CHECKING:
    from provlint.engine.cache import Cache, Entry


def _take_from_cache(files: list[str], looked: snapshot.Stamp, cache: Cache, result: RunResult, named: set[str],
                     corpus: CorpusIndex | None, spool: FindingSpool,
                     keep: Keep) -> tuple[list[Task], dict[str, str]]:
    """Merge into `result` the cached findings of files unchanged since; the other files
    become tasks. A file whose size or mtime moved is a task that carries the cached
    content hash, and its cached result stands if the hash still matches (those files
    are returned, by the path they are shown with).
    Each file is judged by the size and mtime the stamp found (`looked`, in the order of
    `files`), before any file was read: a file written since is answered as it was then,
    like one written while the run goes on, and the next run finds its new times (nothing
    is kept of it but the entry that was, and a run is kept under the times it was found with)."""
    tasks: list[Task] = []
    reusable: dict[str, str] = {}  # shown -> path of the files whose entry may stand
    sizes, mtimes = looked.sizes, looked.mtimes
    for start, shown_batch, entries in cache.lookups([shown_path(path) for path in files]):
        for index, shown in enumerate(shown_batch, start):
            path = files[index]
            entry = entries.get(shown)
            if entry is None:
                tasks.append(Task(path, shown, named=path in named))
                continue
            if not entry.fresh(sizes[index], mtimes[index]):
                # Its times moved (a fresh clone): hashed by a worker, and the entry looked
                # up again and read if the content is the same (`_reuse`); nothing of it is
                # held or decoded meanwhile.
                reusable[shown] = path
                tasks.append(Task(path, shown, entry.digest, path in named))
                continue
            if not _merged_entry(shown, entry, result, corpus, spool, keep):  # linted again
                tasks.append(Task(path, shown, named=path in named))
    return tasks, reusable


def show_files(paths: Iterable[str], ruleset: Ruleset, walk: Walk = DEFAULT_WALK,
               reading: Reading = DEFAULT_READING) -> tuple[list[str], list[tuple[str, str]]]:
    """What `lint_paths` would do with each path, without linting: the paths it checks,
    and the files found in folders it skips because they hold no article, with why."""
    inputs = find_inputs(paths, walk)
    checked, skipped = [], []
    for path in inputs.files:
        shown = shown_path(path)
        if path not in inputs.named and path not in inputs.problems:
            raw = read_file(Path(path), reading.max_bytes)
            documents = read_raw(shown, raw, ruleset.table, reading.input_format, reading.mapping)
            if documents and all(NOT_AN_ARTICLE in document.facts for document in documents):
                skipped.append((shown, documents[0].facts[NOT_AN_ARTICLE]))
                continue
        checked.append(shown)
    return checked, skipped


def _answer_unread(problems: dict[str, dict[str, str]], rules: list[Rule], result: RunResult) -> None:
    """The input findings of the paths the walk did not look into (never read, never cached)."""
    inputs_rules = [rule for rule in rules if rule.check == "input"]
    for path, facts in problems.items():
        result.add(unparsed_document(shown_path(path), facts), inputs_rules)
        result.files_checked += 1


def _merge(result: RunResult, part: RunResult, corpus: CorpusIndex | None, spool: FindingSpool,
           keep: Keep) -> None:
    """A file's result into the run's, its findings into the spool; its corpus signatures into the index."""
    spool.add(part.findings)
    part.findings = []
    if not keep.frames:
        part.source_lines = {}
    if not keep.files:
        part.files = []
    result.merge(part)
    if corpus is not None:
        corpus.add(part.signatures)


def _merge_stored(result: RunResult, stored: Stored, corpus: CorpusIndex | None, spool: FindingSpool,
                  keep: Keep) -> None:
    """`_merge` of a result as the cache holds it, its signatures added to the index as
    records; ValueError, TypeError or IndexError (nothing merged) when the index cannot take them."""
    if corpus is not None and stored.signatures:
        corpus.add_stored(stored.signatures)
    spool.add_values(stored.findings)
    result.files_checked += 1
    if keep.frames and stored.lines:
        result.source_lines.update(stored.source_lines())
    if keep.files:
        result.files.extend(stored.files)


def _corpus_pass(result: RunResult, corpus: CorpusIndex, spool: FindingSpool, keep: Keep) -> None:
    """The corpus rules over every signature, once all files are answered (an interrupted
    run has seen part of the corpus: what it would say is not said)."""
    try:
        if not result.interrupted:
            spool.add(corpus.findings())
            if keep.frames:
                result.source_lines.update(corpus.source_lines)
    except Exception as exc:  # noqa: BLE001 - isolation: a failing corpus rule must not end the run
        result.warnings.append(f"internal error in the corpus rules: {type(exc).__name__}: {exc}")
    finally:
        corpus.close()


def _store(cache: Cache | None, outcome: FileResult, payload: bytes | None) -> None:
    """Store a file's result in the cache, when it was hashed."""
    if (cache is not None and payload is not None and outcome.digest is not None and outcome.size is not None
            and outcome.mtime_ns is not None):
        cache.put(outcome.shown, outcome.size, outcome.mtime_ns, outcome.digest, payload)


def _settled(outcome: FileResult) -> bool:
    """Whether the cache holds what the file gave: a result it keeps, or (hashed) a file
    skipped for holding no article, which its content and how it was found decide."""
    part = outcome.part
    return outcome.payload is not None or (
        outcome.digest is not None and isinstance(part, RunResult) and bool(part.skipped) and not part.files_checked)


def _merged_entry(shown: str, entry: Entry, result: RunResult, corpus: CorpusIndex | None, spool: FindingSpool,
                  keep: Keep) -> bool:
    """A cached entry's result merged into the run's (counted as cached); False, nothing
    merged, when it is damaged or holds a signature the index cannot take."""
    stored = decode(shown, entry.payload)
    if stored is None:
        return False
    try:
        _merge_stored(result, stored, corpus, spool, keep)
    except (ValueError, TypeError, IndexError):
        return False
    result.cached += 1
    return True


def _answered(outcome: FileResult, result: RunResult, corpus: CorpusIndex | None, spool: FindingSpool, keep: Keep,
              cache: Cache | None) -> bool:
    """A linted file's result into the run's and the cache; whether the cache holds it."""
    if isinstance(outcome.part, Stored):  # a worker's result, read from its payload
        _merge_stored(result, outcome.part, corpus, spool, keep)
    elif outcome.part is not None:
        _merge(result, outcome.part, corpus, spool, keep)
        if corpus is not None and outcome.entries:
            corpus.add_entries(outcome.entries)
    _store(cache, outcome, outcome.payload)
    return _settled(outcome)


def _reuse(outcomes: list[FileResult], reusable: dict[str, str], job: Job, result: RunResult,
           corpus: CorpusIndex | None, spool: FindingSpool, keep: Keep, cache: Cache) -> int:
    """Files a worker found unchanged though their times moved: their entries, looked up
    again, stand, and are stored under the new times. An entry gone or unusable since
    (the cache could not be read) is linted here. Returns how many results the cache
    does not hold."""
    unsettled = 0
    for start, batch, entries in cache.lookups([outcome.shown for outcome in outcomes]):
        for outcome in outcomes[start : start + len(batch)]:
            path = reusable.pop(outcome.shown)
            entry = entries.get(outcome.shown)
            if entry is not None and _merged_entry(outcome.shown, entry, result, corpus, spool, keep):
                _store(cache, outcome, entry.payload)
                continue
            unsettled += not _answered(lint_file(Task(path, outcome.shown), job), result, corpus, spool, keep, cache)
    return unsettled


def lint_paths(paths: Iterable[str], ruleset: Ruleset, rules: Iterable[Rule] | None = None, walk: Walk = DEFAULT_WALK,
               reading: Reading = DEFAULT_READING, jobs: int = 1, progress: Callable[[int, int], None] | None = None,
               cache: Cache | None = None, runner: Callable[[Job], Runner] | None = None,
               keep: Keep = KEEP_ALL) -> RunResult:
    """Lint every file under `paths`: from the cache where nothing changed, the rest with
    `runner` (default: this process, or `jobs` forked workers). Ctrl-C stops the run and
    returns what was gathered, marked `interrupted`. `keep` says what, besides the
    findings, the report needs of each file, and whether the findings come back as a list
    or stay spilled (`RunResult.spilled`)."""
    started, started_ns = time.perf_counter(), time.time_ns()
    job = Job(ruleset, list(ruleset.rules if rules is None else rules), reading, caching=cache is not None)
    inputs = find_inputs(paths, walk)
    looked = inputs_stamp = None
    if cache is not None:
        from provlint.engine.cache import RACY_NS  # loaded already: the cache is in use

        # Taken before any file is read: an edit while the run reads moves a file's times past it.
        looked = snapshot.stamp(inputs, settled_before_ns=started_ns - RACY_NS)
        inputs_stamp = looked.digest
        replayed = snapshot.replay(cache, inputs_stamp, keep, reading.max_bytes) \
            if inputs_stamp is not None and cache.has_runs() else None
        if replayed is not None:
            cache.save()
            if progress is not None:
                progress(replayed.files_checked + len(replayed.skipped), len(inputs.files))
            replayed.timings["replay"] = time.perf_counter() - started
            return replayed
    result = RunResult()
    _answer_unread(inputs.problems, job.rules, result)
    files = [path for path in inputs.files if path not in inputs.problems] if inputs.problems else inputs.files
    corpus = CorpusIndex(job.rules, ruleset.sources, jobs) if job.corpus is not None else None
    spool = FindingSpool()
    spool.add(result.findings)  # the unread paths' first, as they came
    result.findings = []
    if cache is not None and looked is not None:
        tasks, reusable = _take_from_cache(files, looked, cache, result, inputs.named, corpus, spool, keep)
    else:
        tasks, reusable = [Task(path, shown_path(path), named=path in inputs.named) for path in files], {}
    if progress is not None and result.files_checked:
        progress(result.files_checked, len(inputs.files))
    unsettled = 0  # files whose result the cache does not hold: a run with any is not kept whole
    recent = {path: shown_path(path) for path in looked.recent} if looked is not None else {}
    if cache is not None:
        cache.record_digests(recent.values())
    try:
        for outcomes in (runner or (lambda j: local_runner(j, jobs)))(job)(tasks):
            unchanged = []
            for outcome in outcomes:
                if outcome.part is None:  # content unchanged: its entry stands
                    unchanged.append(outcome)
                    continue
                unsettled += not _answered(outcome, result, corpus, spool, keep, cache)
            if unchanged and cache is not None:
                unsettled += _reuse(unchanged, reusable, job, result, corpus, spool, keep, cache)
            if progress is not None:
                progress(result.files_checked + len(result.skipped), len(inputs.files))
    except KeyboardInterrupt:
        result.interrupted = True
    keeps_run = not unsettled and not result.interrupted
    # The content hashes of the recent files' results, which a replay checks them by:
    # their entries', as this run stored them. A run without one for each is not kept.
    hashes: dict[str, str] = {}
    if cache is not None:
        hashes = {path: cache.recorded[shown] for path, shown in recent.items() if shown in cache.recorded}
        keeps_run = keeps_run and len(hashes) == len(recent)
        cache.save()
    # What a cached run of these inputs counts as taken from the cache: all but the unread paths.
    cached = result.files_checked - len(inputs.problems)
    # The walk's paths and the tasks (about 200 bytes a file) go before the corpus pass and
    # the findings take their memory.
    del inputs, files, tasks, reusable, looked, recent
    result.timings["files"] = time.perf_counter() - started
    if corpus is not None:
        started = time.perf_counter()
        _corpus_pass(result, corpus, spool, keep)
        result.timings["corpus"] = time.perf_counter() - started
    in_order = spool.sorted()
    # Sorted before the run is kept: files come back in the order workers answer, and a
    # replay gives what the run kept.
    result.files.sort()
    result.skipped.sort()
    if cache is not None and inputs_stamp is not None and keeps_run and cache.warning is None and not result.warnings:
        cache.put_run(inputs_stamp, snapshot.chunks(result, spool.sorted_values(), keep, cached, hashes))
        cache.save()
    if keep.findings:
        result.findings = list(in_order)
    else:
        result.spilled = in_order
    return result
