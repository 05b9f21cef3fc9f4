"""The result cache: each file's findings, reused while nothing that decides them changed.

An entry is found by the file's path as shown and the run's *scope* (`reuse.scope_of`):
a digest of the provlint code, every rule, table, registry, lexicon and schema file
loaded, the rules selected with their severities, and the settings that change findings. It is used only
when the file's content still has the SHA-256 it had when it was linted. That content
hash is re-read whenever the file's size or mtime changed; like git's index, an mtime
too close to the moment of hashing is not trusted. Per-path ignores and output options
apply after the cache, so changing them never needs a re-lint.

Entries live in one SQLite file. Whoever can write that file (a CI cache restored from
another branch) must not be able to hide findings, so each entry is signed: an HMAC over
its scope, path, size, mtime, content hash and payload, with a key kept outside the cache
folder ($PROVLINT_CACHE_KEY, else a random key in the user's cache home, readable by the
user only). An entry whose signature or paths do not check out (or a database that does
not open) is ignored and rebuilt, never trusted. The database and its journal are never
opened through a symlink or as anything but a regular file.

The cache folder must not hold the inputs: its `.gitignore` (`*`) would hide them from
git and from later runs. Such a folder is refused (`inputs_inside`), and the collector
never reads provlint's own `.gitignore` as hiding anything.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import sqlite3

DATABASE = "results-v2.sqlite"
# Files of earlier versions, removed by `provlint clean`.
OLD_DATABASES = ("results-v1.sqlite",)
# SQLite writes these beside the database; none may be a symlink either.
SIDE_FILES = ("-journal", "-wal", "-shm")
KEY_VARIABLE = "PROVLINT_CACHE_KEY"
# An mtime within this much of the moment the file was hashed may hide a later edit
# (coarse file system clocks), so such an entry is re-hashed instead of trusted by stat.
RACY_NS = 2_000_000_000
# Whole runs kept (`snapshot`): each holds a run's findings, so only the last few stay.
KEPT_RUNS = 4
MARKER = "# Created by provlint: a cache, never committed."
PAGE_SIZE = 16384


class Entry(NamedTuple):
    size: int
    mtime_ns: int
    digest: str
    hashed_ns: int
    payload: bytes
    signature: bytes = b""

    def fresh(self, size: int, mtime_ns: int) -> bool:
        """Same size and mtime, and an mtime older than the hashing: content unchanged."""
        return size == self.size and mtime_ns == self.mtime_ns and self.mtime_ns < self.hashed_ns - RACY_NS


def key_file() -> Path:
    """Where the signing key is kept: the user's cache home, never the (shared) cache folder."""
    home = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(home) if os.path.isabs(home) else Path.home() / ".cache") / "provlint" / "key"


def signing_key() -> bytes:
    """$PROVLINT_CACHE_KEY (a CI secret), else the key file, made on first use with a
    random key that only the user can read. OSError (RuntimeError without a home folder)
    when there is no usable key."""
    given = os.environ.get(KEY_VARIABLE)
    if given:
        return given.encode("utf-8", "surrogateescape")
    path = key_file()
    with contextlib.suppress(FileNotFoundError):
        return _read_key(path)
    import secrets  # here: only making a key or writing an entry needs it, not a run that reads

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Written aside, then linked into place: two first runs at once agree on one key.
    temporary = path.with_name(f".key-{os.getpid()}-{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(secrets.token_hex(32).encode("ascii"))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    except OSError:  # no hard links on this file system: the last run's key wins
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return _read_key(path)


def write_private(path: Path, data: bytes) -> None:
    """`data` into `path`, readable by the user only: written aside, then renamed into
    place (never half a file, never through a symlink). OSError when it cannot be."""
    import secrets

    temporary = path.with_name(f".{path.name}-{os.getpid()}-{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _read_key(path: Path) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or (hasattr(os, "getuid") and status.st_uid != os.getuid()) \
                or status.st_mode & 0o077:
            raise OSError(f"{path} must be a regular file of yours that only you can read (chmod 600)")
        key = stream.read(1024).strip()
    if len(key) < 32:
        raise OSError(f"{path} holds no key (remove it to have a new one made)")
    return key


def inputs_inside(folder: Path, paths: Iterable[str]) -> list[str]:
    """The inputs that are the cache folder or lie inside it (cache-dir `.`, the corpus or
    a folder above it): its `.gitignore` would hide them, so such a folder is refused."""
    cache = os.path.realpath(folder)
    return [path for path in paths
            if (place := os.path.realpath(path)) == cache or place.startswith(cache.rstrip(os.sep) + os.sep)]


def not_regular(folder: Path) -> Path | None:
    """The database or one of SQLite's side files when it exists as anything but a regular
    file (a symlink could make SQLite write over its target), else None."""
    for name in (DATABASE, *(DATABASE + suffix for suffix in SIDE_FILES)):
        path = folder / name
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return path
        except OSError:  # absent (or out of reach: writing it then fails with the reason)
            continue
    return None


class Cache:
    """The entries of one scope, looked up and written in batches: memory stays flat
    however large the corpus."""

    WRITE_BATCH = 5000
    # And at most this many payload bytes waiting: a JSONL file's payload, a hundred records'
    # findings and signatures, is half a megabyte (5,000 of them held a run's memory).
    WRITE_BYTES = 32 << 20
    LOOKUP_BATCH = 500  # below SQLite's limit on parameters per statement
    # And about this many payload bytes looked up at once (`lookups`): a JSONL feed's
    # payload is half a megabyte, and 500 of them held 275 MB.
    LOOKUP_BYTES = 16 << 20
    FIRST_LOOKUP = 32  # paths the first batch looks up, before the payloads' size is known

    def __init__(self, folder: Path, scope: str) -> None:
        self.folder = folder
        self.scope = scope
        # Set, the run goes on without the cache (nothing read or written from then on).
        self.warning: str | None = None
        self._updates: dict[str, tuple] = {}  # path -> its row, signed, waiting to be written
        self._waiting_bytes = 0  # the payloads' size in `_updates`
        self._recording: set[str] = set()
        self.recorded: dict[str, str] = {}  # path -> content hash of its entry put, for the paths recorded
        self._connection: sqlite3.Connection | None = None
        self._key = b""
        self._signer = hmac.new(self._key, digestmod="sha256")  # the key's HMAC state, copied for each entry
        import sqlite3  # here, not at the top: a run without the cache never loads it

        try:
            self._key = signing_key()
            self._signer = hmac.new(self._key, digestmod="sha256")
        except (OSError, RuntimeError) as exc:  # RuntimeError: no home folder to keep the key in
            self.warning = f"cache not used: no key to sign its entries with ({exc}); set {KEY_VARIABLE}"
            return
        unsafe = not_regular(folder)
        if unsafe is not None:
            self.warning = f"cache not used: {unsafe} is not a regular file (a symlink?); provlint never writes through it"
            return
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
        # A new database's pages hold five entries (about 3 KB each), not one: writing an entry
        # then costs half the CPU. An existing database keeps the page size it was made with.
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("CREATE TABLE IF NOT EXISTS entries (scope TEXT, path TEXT, size INTEGER, "
                           "mtime_ns INTEGER, digest TEXT, hashed_ns INTEGER, payload BLOB, signature BLOB, "
                           "PRIMARY KEY (scope, path))")
        connection.execute("CREATE TABLE IF NOT EXISTS runs (scope TEXT, stamp TEXT, made_ns INTEGER, signature BLOB, "
                           "PRIMARY KEY (scope, stamp))")
        connection.execute("CREATE TABLE IF NOT EXISTS run_chunks (scope TEXT, stamp TEXT, number INTEGER, data BLOB, "
                           "PRIMARY KEY (scope, stamp, number))")
        return connection

    def _writable(self) -> sqlite3.Connection:
        """The open database, made (with its folder and marker) on the first write."""
        if self._connection is None:
            # The `*` marker goes only into a folder of provlint's own (new or empty): in
            # a folder that holds anything else, it would hide that from git.
            owned = not self.folder.exists() or not any(self.folder.iterdir())
            self.folder.mkdir(parents=True, exist_ok=True)
            if owned:
                _write_marker(self.folder / ".gitignore")
            unsafe = not_regular(self.folder)  # made since the run started
            if unsafe is not None:
                raise OSError(f"{unsafe} is not a regular file (a symlink?); provlint never writes through it")
            self._connection = self._connect()
        return self._connection

    def _signature(self, path: str, entry: Entry) -> bytes:
        # The keyed state copied, not made again from the key for each entry, and the
        # payload signed where it lies: a third less CPU a cached run's lookup.
        signer = self._signer.copy()
        signer.update(f"{self.scope}\0{path}\0{entry.size}\0{entry.mtime_ns}\0{entry.digest}\0{entry.hashed_ns}\0"
                      .encode("utf-8", "surrogatepass"))
        signer.update(entry.payload)
        return signer.digest()

    def _signed(self, path: str, entry: Entry) -> bool:
        return (isinstance(entry.payload, bytes) and isinstance(entry.signature, bytes)
                and hmac.compare_digest(self._signature(path, entry), entry.signature))

    def _discard(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        with contextlib.suppress(OSError):
            self.database.unlink()

    def lookup(self, paths: list[str]) -> dict[str, Entry]:
        """The entries of these paths (those that have one). An entry not signed with this
        key (forged, or damaged) is as good as absent."""
        import sqlite3

        connection = self._connection
        if connection is None:
            return {}
        entries: dict[str, Entry] = {}
        try:
            for start in range(0, len(paths), self.LOOKUP_BATCH):
                part = paths[start : start + self.LOOKUP_BATCH]
                for row in connection.execute(
                        "SELECT path, size, mtime_ns, digest, hashed_ns, payload, signature FROM entries "
                        f"WHERE scope = ? AND path IN ({','.join('?' * len(part))})", (self.scope, *part)).fetchall():
                    entry = Entry(*row[1:])
                    if self._signed(row[0], entry):
                        entries[row[0]] = entry
        except sqlite3.Error:
            self._discard()
            return {}
        return entries

    def record_digests(self, paths: Iterable[str]) -> None:
        """From now on, keep the content hash of each of these paths' entries as they are
        put (`recorded`): what a run keeps of its recent files (`snapshot.Stamp`)."""
        self._recording = set(paths)

    def lookups(self, paths: list[str]) -> Iterator[tuple[int, list[str], dict[str, Entry]]]:
        """`lookup` of consecutive batches of `paths`, each with where it starts in `paths`
        and its entries: a batch takes as many paths as LOOKUP_BYTES of the last one's
        payloads allow, at most LOOKUP_BATCH, so memory stays flat whatever a payload's size."""
        start, size = 0, self.FIRST_LOOKUP
        while start < len(paths):
            batch = paths[start : start + size]
            entries = self.lookup(batch)
            yield start, batch, entries
            start += len(batch)
            held = sum(len(entry.payload) for entry in entries.values())
            size = max(1, min(self.LOOKUP_BATCH, self.LOOKUP_BYTES * len(entries) // held)) if held else \
                self.LOOKUP_BATCH

    def put(self, path: str, size: int, mtime_ns: int, digest: str, payload: bytes) -> None:
        if self.warning is None:  # once writing failed, the run goes on without the cache
            entry = Entry(size, mtime_ns, digest, time.time_ns(), payload)
            self._updates[path] = (self.scope, path, *entry[:5], self._signature(path, entry))
            if path in self._recording:
                self.recorded[path] = digest
            self._waiting_bytes += len(payload)
            if len(self._updates) >= self.WRITE_BATCH or self._waiting_bytes >= self.WRITE_BYTES:
                self._flush()

    def has_runs(self) -> bool:
        """Whether a whole run of this scope is kept (`snapshot`): else its inputs need no stamp."""
        import sqlite3

        if self._connection is None:
            return False
        try:
            return self._connection.execute("SELECT 1 FROM runs WHERE scope = ? LIMIT 1", (self.scope,)).fetchone() \
                is not None
        except sqlite3.Error:
            return False

    def _run_signer(self, stamp: str) -> hmac.HMAC:
        """An HMAC over the scope, the stamp and each chunk (`_sign`) in order."""
        return hmac.new(self._key, f"{self.scope}\0{stamp}\0".encode("utf-8", "surrogatepass"), "sha256")

    def run_chunks(self, stamp: str) -> list[bytes] | None:
        """The chunks of the run kept under `stamp`, all of them and signed with this key; else None."""
        import sqlite3

        if self._connection is None:
            return None
        try:
            signed = self._connection.execute("SELECT signature FROM runs WHERE scope = ? AND stamp = ?",
                                              (self.scope, stamp)).fetchone()
            if signed is None:
                return None
            chunks = [row[0] for row in self._connection.execute(
                "SELECT data FROM run_chunks WHERE scope = ? AND stamp = ? ORDER BY number", (self.scope, stamp))]
        except sqlite3.Error:
            return None
        if not isinstance(signed[0], bytes) or not all(isinstance(chunk, bytes) for chunk in chunks):
            return None
        signer = self._run_signer(stamp)
        for chunk in chunks:
            _sign(signer, chunk)
        return chunks if hmac.compare_digest(signer.digest(), signed[0]) else None

    def put_run(self, stamp: str, chunks: Iterable[bytes]) -> None:
        """Keep a whole run's chunks under `stamp`, signed; the oldest runs past KEPT_RUNS go."""
        import sqlite3

        if self.warning is not None:
            return
        signer = self._run_signer(stamp)
        try:
            connection = self._writable()
            with connection:
                connection.execute("DELETE FROM run_chunks WHERE scope = ? AND stamp = ?", (self.scope, stamp))
                for number, chunk in enumerate(chunks):
                    _sign(signer, chunk)
                    connection.execute("INSERT INTO run_chunks VALUES (?, ?, ?, ?)", (self.scope, stamp, number, chunk))
                connection.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?)",
                                   (self.scope, stamp, time.time_ns(), signer.digest()))
                stale = connection.execute("SELECT scope, stamp FROM runs ORDER BY made_ns DESC LIMIT -1 OFFSET ?",
                                           (KEPT_RUNS,)).fetchall()
                for table in ("runs", "run_chunks"):
                    connection.executemany(f"DELETE FROM {table} WHERE scope = ? AND stamp = ?", stale)
        except (OSError, sqlite3.Error) as exc:
            self.warning = f"cache not written to {self.folder}: {exc}"

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
            connection = self._writable()
            with connection:
                connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                       self._updates.values())
        except (OSError, sqlite3.Error) as exc:
            self.warning = f"cache not written to {self.folder}: {exc}"
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                self._discard()
        self._updates.clear()
        self._waiting_bytes = 0


def _sign(signer: hmac.HMAC, chunk: bytes) -> None:
    signer.update(len(chunk).to_bytes(8, "little"))  # chunk bounds signed too: none can move between chunks
    signer.update(chunk)


def is_marker(path: Path) -> bool:
    """Whether a `.gitignore` is the one provlint writes in its cache folders."""
    expected = MARKER.encode("utf-8")
    try:
        with open(path, "rb") as stream:
            return stream.read(len(expected)) == expected
    except OSError:
        return False


def _write_marker(path: Path) -> None:
    """A `.gitignore` hiding the cache from git; never through a link, never over a file."""
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(MARKER + "\n*\n")


def clean(folder: Path) -> list[Path]:
    """Remove the files provlint wrote in a cache folder (and the folder, once empty);
    anything else a misconfigured `cache-dir` points at is left alone."""
    removed = []
    databases = (DATABASE, *OLD_DATABASES)
    for name in (*databases, *(database + suffix for database in databases for suffix in SIDE_FILES), ".gitignore"):
        path = folder / name
        if path.is_file() and (name != ".gitignore" or is_marker(path)):
            path.unlink()
            removed.append(path)
    with contextlib.suppress(OSError):
        folder.rmdir()
    return removed
