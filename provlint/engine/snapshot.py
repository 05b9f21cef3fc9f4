"""A whole run kept in the cache and replayed while none of its inputs moved: a re-run of
an unchanged corpus then reads one signed record instead of every file's entry, and does
not redo the corpus pass.

A run is kept under the *stamp* of its inputs: the current folder, and for each path the
walk answered, whether it was named, and its size, mtime, change time and inode (or the
facts of why it could not be looked into). A file written since changes its change time
even when its mtime is set back. A file whose mtime is too close to the run's start is
*recent*: a coarse clock could hide an edit made while the run read it, so the kept
run holds the content hash its result came from, and a replay reads the file again and
goes on only while the hash is the same (git re-reads its racily clean files alike).
Only a run whose every file has its result in the cache is kept, so the replay says
what a cached run of the same inputs would."""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from array import array
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

from provlint.engine.lint import Keep, RunResult
from provlint.engine.reuse import content_digest, finding_from_record, pack, unpack
from provlint.findings import Findings
from provlint.readers import read_file

if TYPE_CHECKING:
    from provlint.engine.cache import Cache
    from provlint.engine.discovery import Inputs

# Part of every stamp: a change of what a kept run holds is a new stamp.
FORMAT = "provlint-run-1"
CHUNK = 4096  # findings per compressed chunk
STAMP_BATCH = 4096  # paths hashed at once: memory stays flat at a million


class Stamp(NamedTuple):
    """The inputs as the run found them before reading any: their stamp (`digest`), and the
    size and mtime of each file the walk looked into (its problems left out), in walk
    order, -1 for a file that could not be looked at. The cache's entries are judged by
    these, so each file is looked at once; kept as arrays of integers, 16 bytes a file.
    `recent`: the files with an mtime too recent to vouch for their content."""

    digest: str | None  # None: the run is not kept, and no run kept before has this stamp
    sizes: array[int]
    mtimes: array[int]
    recent: list[str]


def stamp(inputs: Inputs, settled_before_ns: int) -> Stamp:
    """The inputs as they are now. No digest when the current folder is gone, or a file
    cannot be looked at: such a run is not kept, and no run kept before can have its
    stamp. A file with an mtime from `settled_before_ns` on is recent."""
    sizes, mtimes, recent = array("q"), array("q"), []
    try:
        here: str | None = os.getcwd()
    except OSError:  # the current folder was removed: relative paths name nothing to stamp
        here = None
    stamped = here is not None
    digest = hashlib.sha256()
    parts = [f"{FORMAT}\0{here}\0"]
    problems, named = inputs.problems, inputs.named
    for path in inputs.files:
        if stamped and len(parts) == STAMP_BATCH:
            digest.update("".join(parts).encode("utf-8", "surrogateescape"))
            parts.clear()
        facts = problems.get(path)
        if facts is not None:
            if stamped:
                parts.append(f"{path}\0problem\0{json.dumps(facts, sort_keys=True)}\0")
            continue
        try:
            status = os.stat(path)
        except OSError:
            sizes.append(-1)
            mtimes.append(-1)
            stamped = False
            continue
        sizes.append(status.st_size)
        mtimes.append(status.st_mtime_ns)
        if status.st_mtime_ns >= settled_before_ns:
            recent.append(path)
        if stamped:
            parts.append(f"{path}\0{path in named:d}\0{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:"
                         f"{status.st_ino}\0")
    if not stamped:
        return Stamp(None, sizes, mtimes, recent)
    digest.update("".join(parts).encode("utf-8", "surrogateescape"))
    return Stamp(digest.hexdigest(), sizes, mtimes, recent)


def chunks(result: RunResult, findings: Iterable[tuple], keep: Keep, cached: int,
           recent: dict[str, str]) -> Iterator[bytes]:
    """What a replay needs, compressed: first the run's counts, skipped files, recent
    files (path -> the content hash their result came from) and (as `keep` says) files
    checked and source lines, then the findings (`finding_values`, each its record:
    `Finding.as_record`) in report order."""
    head = {"files_checked": result.files_checked, "cached": cached, "skipped": result.skipped,
            "recent": sorted(recent.items()),
            "files": result.files if keep.files else None,
            "lines": [[path, number, text] for (path, number), text in result.source_lines.items()]
            if keep.frames else None}
    yield zlib.compress(pack(head), 1)
    batch = []
    for values in findings:
        batch.append(values)
        if len(batch) == CHUNK:
            yield zlib.compress(pack(batch), 1)
            batch = []
    if batch:
        yield zlib.compress(pack(batch), 1)


def replay(cache: Cache, inputs_stamp: str, keep: Keep, max_bytes: int | None) -> RunResult | None:
    """The run kept under `inputs_stamp`, when it holds what `keep` asks for and its
    recent files (read with `max_bytes`, as the run read them) have the content their
    results came from; else None."""
    kept = cache.run_chunks(inputs_stamp)
    if not kept:
        return None
    try:
        head = unpack(zlib.decompress(kept[0]))
        files, lines = head["files"], head["lines"]
        if (keep.files and files is None) or (keep.frames and lines is None):
            return None
        for path, digest in head["recent"]:
            data = read_file(path, max_bytes).data
            if data is None or content_digest(data) != digest:
                return None
        result = RunResult(files_checked=int(head["files_checked"]), cached=int(head["cached"]),
                           skipped=[(str(path), str(why)) for path, why in head["skipped"]],
                           files=list(files) if keep.files else [],
                           source_lines={(path, number): text for path, number, text in lines} if keep.frames else {})
    except (ValueError, TypeError, KeyError, zlib.error):
        return None
    body = kept[1:]

    def findings() -> Iterator:
        # Signed by this cache's key as this code wrote it: read as written.
        return chain.from_iterable(map(finding_from_record, unpack(zlib.decompress(chunk))) for chunk in body)

    if keep.findings:
        result.findings = list(findings())
    else:
        result.spilled = Findings(findings)
    return result
