"""A run's findings on their way to the reports: gathered as files are answered, sorted in
runs that spill to a temporary file, and merged back in report order each time a report
reads them. A million files' findings (about 430 bytes each as objects) never stand in
memory at once; filters (per-path ignores, a baseline, --min-severity) apply as they
pass, and counting them is one more pass, done once."""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import IO

from provlint.model import Finding

# A finding crosses between processes and into the spill file as the plain tuple of its
# fields: pickling a dataclass costs about twenty times as much.
_FIELDS = tuple(Finding.__dataclass_fields__)
finding_values = attrgetter(*_FIELDS)
# Where a field is in those tuples.
PATH, LINE, COLUMN, RULE, MESSAGE, FILE, RECORD = map(
    _FIELDS.index, ("path", "line", "column", "rule", "message", "file", "record"))


def values_sort_key(values: tuple) -> tuple:
    """`Finding.sort_key` of a finding's values."""
    return (values[FILE] or values[PATH], values[LINE] or 0, values[COLUMN] or 0, values[RULE], values[MESSAGE])


def finding_from_values(values: tuple) -> Finding:
    """A finding from its fields in order, as pickle would rebuild it (`__init__` of a
    frozen dataclass sets each field through `object.__setattr__`: slower by half)."""
    finding = Finding.__new__(Finding)
    finding.__dict__.update(zip(_FIELDS, values))
    return finding


@dataclass(frozen=True)
class Tally:
    """What the summaries of a report count."""

    total: int
    by_severity: Counter[str]
    by_rule: Counter[str]
    paths: int  # distinct `path`s with a finding


class Findings:
    """Findings in report order, read afresh on each pass from where they are kept (a
    list, or a spool's sorted runs); `where` and `then` make filtered views that cost
    nothing until read."""

    def __init__(self, source: Callable[[], Iterator[Finding]]) -> None:
        self._source = source
        self._tally: Tally | None = None

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Findings:
        """Findings already in memory, in the order given."""
        kept = list(findings)
        return cls(lambda: iter(kept))

    def __iter__(self) -> Iterator[Finding]:
        return self._source()

    def where(self, keep: Callable[[Finding], bool]) -> Findings:
        """The findings `keep` says yes to."""
        return Findings(lambda: filter(keep, self._source()))

    def then(self, stage: Callable[[Iterator[Finding]], Iterator[Finding]]) -> Findings:
        """The findings `stage` lets through; it sees every pass from the start."""
        return Findings(lambda: stage(self._source()))

    def tally(self) -> Tally:
        """Counted in one pass, the first time it is asked for."""
        if self._tally is None:
            by_severity: Counter[str] = Counter()
            by_rule: Counter[str] = Counter()
            paths = 0
            # Sorted by file: a file's paths (its records) come together, so only those are remembered.
            file: str | None = None
            seen: set[str] = set()
            for finding in self:
                by_severity[finding.severity] += 1
                by_rule[finding.rule] += 1
                if finding.file_path != file:
                    file, seen = finding.file_path, set()
                if finding.path not in seen:
                    seen.add(finding.path)
                    paths += 1
            self._tally = Tally(sum(by_severity.values()), by_severity, by_rule, paths)
        return self._tally

    def __len__(self) -> int:
        return self.tally().total

    def __bool__(self) -> bool:
        if self._tally is not None:
            return self._tally.total > 0
        return next(iter(self), None) is not None


# Shared by every result that hides none (a view of nothing never changes).
NO_FINDINGS = Findings.of(())


class FindingSpool:
    """Findings as they come, in any order; `sorted()` gives them back by `Finding.sort_key`
    and, for equal keys, in the order they came. They are kept as their values
    (`finding_values`: a cached result's findings never become objects until a report reads
    them). Every RUN findings are sorted and written to a temporary file in compressed
    chunks; reading merges the runs, a chunk of each at a time."""

    RUN = 16384  # about 7 MB of findings sorted at once
    CHUNK = 256  # findings per compressed chunk: a pass holds one chunk of each run

    def __init__(self) -> None:
        self._pending: list[tuple] = []
        self._file: IO[bytes] | None = None
        self._runs: list[list[tuple[int, int]]] = []  # each run's chunks: (offset, size) in the file
        self._size = 0

    def add(self, findings: Iterable[Finding]) -> None:
        self.add_values(map(finding_values, findings))

    def add_values(self, values: Iterable[tuple]) -> None:
        """Findings as their values (`finding_values`)."""
        self._pending.extend(values)
        if len(self._pending) >= self.RUN:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            # Open for the spool's life, not a block's: the views read it after `sorted()`.
            self._file = tempfile.TemporaryFile(prefix="provlint-findings-")  # noqa: SIM115
        self._pending.sort(key=values_sort_key)
        chunks = []
        for start in range(0, len(self._pending), self.CHUNK):
            packed = zlib.compress(pickle.dumps(self._pending[start : start + self.CHUNK], pickle.HIGHEST_PROTOCOL), 1)
            self._file.write(packed)
            chunks.append((self._size, len(packed)))
            self._size += len(packed)
        self._file.flush()
        self._runs.append(chunks)
        self._pending = []

    def _read_run(self, chunks: list[tuple[int, int]]) -> Iterator[tuple]:
        assert self._file is not None
        handle = self._file.fileno()
        for offset, size in chunks:
            # pread: each pass (and each run within it) reads at its own offsets.
            yield from pickle.loads(zlib.decompress(os.pread(handle, size, offset)))

    def sorted(self) -> Findings:
        """Everything added, in report order; nothing may be added after. The temporary
        file (already unlinked) goes with the last view that reads it."""
        return Findings(lambda: map(finding_from_values, self.sorted_values()))

    def sorted_values(self) -> Iterator[tuple]:
        """One pass over everything added, in report order, as values (`finding_values`):
        a pass that makes no Finding (a kept run stores the values as they are)."""
        self._pending.sort(key=values_sort_key)  # sorted already after the first pass: one look at each
        if not self._runs:
            return iter(self._pending)
        return heapq.merge(*(self._read_run(chunks) for chunks in self._runs), iter(self._pending),
                           key=values_sort_key)
