"""Rules x documents -> findings. Never prints; the CLI and the Python API sit on top.

One module per concern:

    lint.py        one document -> findings (fingerprints, record places); one file -> FileResult
    discovery.py   the paths given -> the files to read (globs, links, rule folders)
    gitignore.py   the .gitignore files a walk respects
    workers.py     this process or forked workers; a dying worker costs only its file
    run.py         lint_paths: discovery, cache, runner, sorted result
    cache.py       the signed SQLite store of results
    reuse.py       the cache's scope and a file's result as a payload
    cluster.py     the Dask runner (provlint.dask.lint_bag sits on it)
    corpus.py      the corpus pass: the corpus rules over every document's signature

Rule selection is `provlint.selection` and the names a walk reads `provlint.globs`, so
that the config reads them without loading the engine. The names below are what the
rest of provlint imports from here.
"""

from __future__ import annotations

from provlint.engine.corpus import CorpusIndex, lint_corpus_texts
from provlint.engine.discovery import Inputs, Walk, collect_files, find_inputs, walk_reaches
from provlint.engine.lint import (MAX_FILE_BYTES, UNPARSED, FileResult, Job, KEEP_ALL, Keep, Reading, Runner, RunResult, Task,
                                  lint_document, lint_file, lint_tasks, lint_text)
from provlint.engine.run import lint_paths, show_files
from provlint.engine.workers import CHUNK, forked_runner, local_runner
from provlint.globs import INPUT_SUFFIXES, Globs, InputNames, Pattern
from provlint.selection import matches_selector, select_rules, unknown_selector

__all__ = ["CHUNK", "CorpusIndex", "INPUT_SUFFIXES", "KEEP_ALL", "MAX_FILE_BYTES", "UNPARSED", "FileResult", "Globs", "InputNames",
           "Inputs", "Job", "Keep", "Pattern", "Reading", "RunResult", "Runner", "Task", "Walk", "collect_files", "find_inputs",
           "forked_runner", "lint_corpus_texts", "lint_document", "lint_file", "lint_paths", "lint_tasks", "lint_text", "local_runner",
           "matches_selector", "select_rules", "show_files", "unknown_selector", "walk_reaches"]
