"""The result cache: each file's findings, reused while nothing that decides them changed.

An entry is found by the file's path as shown and the run's *scope*: a digest of the
provlint code, every rule, table, registry, lexicon and schema file loaded, the rules
selected with their severities, and the settings that change findings. It is used only
when the file's content still has the SHA-256 it had when it was linted. That content
hash is re-read whenever the file's size or mtime changed; like git's index, an mtime
too close to the moment of hashing is not trusted. Per-path ignores and output options
apply after the cache, so changing them never needs a re-lint.

Entries live in one SQLite file; each payload carries its own checksum, and an entry
that fails it (or a database that does not open) is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from provlint.model import Finding

if TYPE_CHECKING:
    import sqlite3

    from provlint.ruleset import Rule, Ruleset

DATABASE = "results-v1.sqlite"
# An mtime within this much of the moment the file was hashed may hide a later edit
# (coarse file system clocks), so such an entry is re-hashed instead of trusted by stat.
RACY_NS = 2_000_000_000
MARKER = "# Created by provlint: a cache, never committed."
CLEAN_CHECKSUM = hashlib.sha256(b"").hexdigest().encode("ascii")


class Entry(NamedTuple):
    size: int
    mtime_ns: int
    digest: str
    hashed_ns: int
    payload: bytes

    def fresh(self, status: os.stat_result) -> bool:
        """Same size and mtime, and an mtime older than the hashing: content unchanged."""
        return (status.st_size == self.size and status.st_mtime_ns == self.mtime_ns
                and self.mtime_ns < self.hashed_ns - RACY_NS)


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode(shown: str, findings: list[Finding], files: list[str], lines: dict[tuple[str, int], str]) -> bytes:
    """A file's result with its checksum; a file with no findings (most) as an empty body."""
    if not findings and not lines and files == [shown]:
        return CLEAN_CHECKSUM + b"\n"
    body = json.dumps([
        [finding.as_record() for finding in findings],
        files,
        [[path, number, text] for (path, number), text in lines.items()],
    ], ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def decode(shown: str, payload: bytes) -> tuple[list[Finding], list[str], dict[tuple[str, int], str]] | None:
    """The stored result, or None when the payload is damaged in any way."""
    try:
        checksum, body = payload.split(b"\n", 1)
        if hashlib.sha256(body).hexdigest().encode("ascii") != checksum:
            return None
        if not body:
            return [], [shown], {}
        records, files, lines = json.loads(body.decode("utf-8", "surrogatepass"))
        findings = [Finding.from_record(record) for record in records]
        return findings, list(files), {(path, number): text for path, number, text in lines}
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def code_digest() -> str:
    """The provlint code and data in use: an edit (or a new version) starts a new scope."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".yaml", ".yml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def scope_of(ruleset: Ruleset, rules: list[Rule], settings: dict[str, Any]) -> str:
    """Everything besides a file's content that decides its findings, as one digest."""
    from provlint.checks.schema import validator_for

    parts = {
        "code": code_digest(),
        "rule_files": ruleset.files,
        "rules": [[rule.id, rule.severity] for rule in rules],
        # A rule's schema file can be edited without touching the rule.
        "schemas": {rule.id: validator_for(rule).schema for rule in rules if rule.check == "schema"},
        "settings": settings,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


class Cache:
    """The entries of one scope, looked up and written in batches: memory stays flat
    however large the corpus."""

    WRITE_BATCH = 5000
    LOOKUP_BATCH = 500  # below SQLite's limit on parameters per statement

    def __init__(self, folder: Path, scope: str) -> None:
        self.folder = folder
        self.scope = scope
        self.warning: str | None = None
        self._updates: dict[str, Entry] = {}
        self._connection: sqlite3.Connection | None = None
        import sqlite3  # here, not at the top: a run without the cache never loads it

        if self.database.exists():
            try:
                self._connection = self._connect()
                self._connection.execute("SELECT count(*) FROM entries").fetchone()  # a damaged file fails here
            except sqlite3.Error:
                self._discard()  # damaged beyond reading: start again rather than trust any of it

    @property
    def database(self) -> Path:
        return self.folder / DATABASE

    def _connect(self) -> sqlite3.Connection:
        import sqlite3

        connection = sqlite3.connect(self.database, timeout=10)
        connection.execute("CREATE TABLE IF NOT EXISTS entries (scope TEXT, path TEXT, size INTEGER, "
                           "mtime_ns INTEGER, digest TEXT, hashed_ns INTEGER, payload BLOB, "
                           "PRIMARY KEY (scope, path))")
        return connection

    def _discard(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        with contextlib.suppress(OSError):
            self.database.unlink()

    def lookup(self, paths: list[str]) -> dict[str, Entry]:
        """The entries of these paths (those that have one)."""
        import sqlite3

        connection = self._connection
        if connection is None:
            return {}
        rows: list[tuple] = []
        try:
            for start in range(0, len(paths), self.LOOKUP_BATCH):
                part = paths[start : start + self.LOOKUP_BATCH]
                rows += connection.execute(
                    "SELECT path, size, mtime_ns, digest, hashed_ns, payload FROM entries "
                    f"WHERE scope = ? AND path IN ({','.join('?' * len(part))})", (self.scope, *part)).fetchall()
        except sqlite3.Error:
            self._discard()
            return {}
        # Wrongly typed values (a damaged row) fail the freshness and checksum tests.
        return {row[0]: Entry(*row[1:]) for row in rows}

    def put(self, path: str, size: int, mtime_ns: int, digest: str, payload: bytes) -> None:
        if self.warning is None:  # once writing failed, the run goes on without the cache
            self._updates[path] = Entry(size, mtime_ns, digest, time.time_ns(), payload)
            if len(self._updates) >= self.WRITE_BATCH:
                self._flush()

    def save(self) -> None:
        """Write what is left and close; a cache that cannot be written is a warning."""
        self._flush()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _flush(self) -> None:
        import sqlite3

        if not self._updates:
            return
        try:
            if self._connection is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                marker = self.folder / ".gitignore"
                if not marker.exists():
                    marker.write_text(MARKER + "\n*\n", encoding="utf-8")
                self._connection = self._connect()
            with self._connection:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(self.scope, path, e.size, e.mtime_ns, e.digest, e.hashed_ns, e.payload)
                     for path, e in self._updates.items()])
        except (OSError, sqlite3.Error) as exc:
            self.warning = f"cache not written to {self.folder}: {exc}"
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                self._discard()
        self._updates.clear()


def clean(folder: Path) -> list[Path]:
    """Remove the files provlint wrote in a cache folder (and the folder, once empty);
    anything else a misconfigured `cache-dir` points at is left alone."""
    removed = []
    for name in (DATABASE, DATABASE + "-journal", ".gitignore"):
        path = folder / name
        if path.is_file() and (name != ".gitignore" or path.read_text(errors="replace").startswith(MARKER)):
            path.unlink()
            removed.append(path)
    with contextlib.suppress(OSError):
        folder.rmdir()
    return removed
