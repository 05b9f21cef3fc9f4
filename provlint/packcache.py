"""The loaded pack, kept between runs: a one-file run spent most of its loading time
reading the YAML files with marks and building the source registry, for the same pack
each time.

An entry is the pickled Ruleset as loaded and checked (before its rules are prepared),
with what its first use would build (the engine and group names of each block-table
row, the rows' screens, the words of dates), keyed by a digest of everything the loading
reads: provlint's version and code (the result cache's `code_digest`), whether it runs
compiled, the Python version, and each rule, table, registry and lexicon file by the name
it was given, its real path and its content's digest (`content_digest`). A pack with
problems is never kept. Entries live in the user's cache home (`packs/` beside the cache's
signing key, in a folder only the user can enter), never in the cache folder others may
write, and each is signed with the cache's key (HMAC-SHA256): unpickling runs
code, so an entry that is not a regular file of the user's, not signed with this key, or
does not unpickle to a Ruleset is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provlint.rulepack import Ruleset

# Entries kept: one per pack in use (the built-in one, a project's, a test's); older ones go.
KEPT = 8
_SIGNATURE_BYTES = 32


# SHA-256, not BLAKE2b: this machine's CPUs hash SHA-256 in hardware (SHA-NI), 0.70 ms a
# megabyte against BLAKE2b's 1.36 ms in CPU time. Under callgrind, which runs the software
# path, BLAKE2b looks twice as cheap: instruction counts mislead here.
def content_digest(data: bytes) -> str:
    """The digest a file's content is known by in a pack's key."""
    return hashlib.sha256(data).hexdigest()


def _signature(secret: bytes, key: str, payload: bytes) -> bytes:
    """The entry's MAC: HMAC-SHA256 with the cache's key."""
    mac = hmac.new(secret, key.encode("ascii"), "sha256")
    mac.update(payload)
    return mac.digest()


def pack_key(files: list[tuple[str, str, str]], options: tuple[bool, ...]) -> str:
    """The entry's name: `files` are (name given, real path, `content_digest`) in load order."""
    from provlint import __version__, compiled
    from re2 import _re2

    from provlint.engine.reuse import code_digest
    from provlint.rulepack import SCHEMAS

    # provlint's own schemas check users' files as they load (outside the code in a checkout).
    schemas = [f"{path.name}\0{content_digest(path.read_bytes())}" for path in sorted(SCHEMAS.glob("*.json"))]
    # The pack keeps which engine runs each block-table row: that is the installed RE2's say.
    engine = os.stat(_re2.__file__)
    parts = [__version__, code_digest(), str(compiled()), sys.version, repr(options), *schemas,
             f"{_re2.__file__}:{engine.st_size}:{engine.st_mtime_ns}",
             *("\0".join(f) for f in files)]
    return content_digest("\n".join(parts).encode("utf-8", "surrogatepass"))


def schema_files(ruleset: Ruleset) -> list[tuple[str, str]]:
    """(path, `content_digest`) of each schema file the pack's rules name: read as the pack loads,
    so an entry holds only while they are unchanged."""
    from provlint.files import RefusedFile, read_regular_file, schema_file
    from provlint.rulepack import MAX_RULE_FILE_BYTES, SCHEMAS

    found: list[tuple[str, str]] = []
    for rule in ruleset.rules:
        source = rule.options.get("schema") if rule.check == "schema" else None
        if isinstance(source, str) and not source.lstrip().startswith("{"):
            try:
                path = schema_file(source, rule.source, SCHEMAS)
                found.append((str(path), content_digest(read_regular_file(path, MAX_RULE_FILE_BYTES))))
            except (OSError, ValueError, RefusedFile):
                found.append((f"{rule.source}: {source}", "unreadable"))
    return found


def _folder() -> Path:
    from provlint.engine.cache import key_file

    return key_file().parent / "packs"


def _signing_key() -> bytes | None:
    from provlint.engine.cache import signing_key

    try:
        return signing_key()
    except (OSError, RuntimeError):  # no key (no home folder): nothing is kept
        return None


def _private(status: os.stat_result) -> bool:
    """The user's own, and nobody else may write it."""
    return (not hasattr(os, "getuid") or status.st_uid == os.getuid()) and not status.st_mode & 0o022


def load(key: str) -> Ruleset | None:
    """The pack kept under `key`, or None (absent, not the user's own, forged, damaged)."""
    from provlint.rulepack import Ruleset

    folder = _folder()
    secret = _signing_key()
    if secret is None:
        return None
    try:
        status = os.stat(folder, follow_symlinks=False)
        if not stat.S_ISDIR(status.st_mode) or not _private(status):
            return None
        descriptor = os.open(folder / f"{key}.pickle", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or not _private(status):
            return None
        data = stream.read()
    signature, payload = data[:_SIGNATURE_BYTES], data[_SIGNATURE_BYTES:]
    if not hmac.compare_digest(signature, _signature(secret, key, payload)):
        return None
    try:
        schemas, ruleset, _known = pickle.loads(payload)  # unpickling the patterns made them known
    except Exception:  # signed by this user but unreadable (another provlint's classes): rebuilt
        return None
    if not isinstance(ruleset, Ruleset) or schemas != schema_files(ruleset):
        return None
    with contextlib.suppress(OSError):  # in use: the last to be forgotten
        os.utime(folder / f"{key}.pickle")
    return ruleset


def save(key: str, ruleset: Ruleset) -> None:
    """Keep the pack under `key`; a pack that does not pickle, or a folder that cannot
    be written, is simply not kept."""
    from provlint.patterns import compile_known, known_patterns

    secret = _signing_key()
    if secret is None:
        return
    try:
        from provlint.readers.rowscreen import COMMON_CHARS

        ruleset.table.settle_engines()
        ruleset.table.prepare_screens(COMMON_CHARS)  # kept built: a run neither reads the rows' patterns nor compiles their classes
        _checks_patterns(ruleset)
        # Each pattern the pack holds or its checks build compiled once here: kept, it knows
        # its engine and groups (`Pattern.__reduce__`), and a later run compiles only those a
        # text needs (`Pattern.cannot_match`).
        compile_known()
        _ = ruleset.table.dates  # the words of dates (DateNames): built once, here, and kept with the pack
        payload = pickle.dumps((schema_files(ruleset), ruleset, known_patterns()), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a user's check kept something unpicklable: loaded each time
        return
    from provlint.engine.cache import write_private

    folder = _folder()
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.stat(folder, follow_symlinks=False)):
            return
        write_private(folder / f"{key}.pickle", _signature(secret, key, payload) + payload)
        _forget_old(folder)


def _checks_patterns(ruleset: Ruleset) -> None:
    """Make the patterns the checks build from the pack at each run (`prepare`: the phrases
    and credit patterns, the lexicons' cues), so that the pack keeps what they are. What is
    prepared here is dropped: each run prepares its own (`provlint.ruleset`)."""
    from provlint.checks import prepare

    for rule in ruleset.rules:
        with contextlib.suppress(Exception):  # a rule that cannot be prepared is reported by the run
            prepare(rule, ruleset)
    for language in ruleset.lexicons.languages.values():
        language.patterns()


def _forget_old(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    for path in entries[KEPT:]:
        with contextlib.suppress(OSError):
            path.unlink()
