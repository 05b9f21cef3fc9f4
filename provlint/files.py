"""Reading the files that configure a run (rule, table, schema and config files), and
finding the schema file a rule names (the schema check reads it, the cache hashes it).

Such a file may be named by anyone who writes a rule pack or a config, so it is read
only when it is a regular file, and never past a size cap: a FIFO would block the run
forever, and a device such as /dev/zero reports size 0 and never ends.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class RefusedFile(OSError):
    """A file provlint will not read: not a regular file, or larger than the cap."""


def read_regular_file(path: str | Path, limit: int) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; RefusedFile otherwise
    (OSError when it cannot be opened)."""
    # Non-blocking: opening a FIFO for reading would wait for a writer; a regular file
    # reads the same either way.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "of another kind")
            raise RefusedFile(f"is not a regular file: it is {kind}")
        data = stream.read(limit + 1)  # the size from stat may lie (a file still growing)
    if len(data) > limit:
        raise RefusedFile(f"is larger than {limit} bytes")
    return data


def schema_file(source: str, rule_file: str, builtin: Path) -> Path:
    """The file a rule's `schema:` names: inside the rule file's folder, or else one of
    provlint's own schemas (in `builtin`). ValueError for any other place (`../x.json`,
    `/etc/x`, a link out of the folder): a rule pack reads only its own files."""
    folder = Path(rule_file).resolve().parent
    beside = (folder / source).resolve()
    if not beside.is_relative_to(folder):
        raise ValueError(f"schema file {source!r} is outside the rule's folder {folder}")
    if beside.exists():
        return beside
    if Path(source).name == source and (builtin / source).is_file():
        return builtin / source
    raise ValueError(f"no schema file {source!r} in {folder} or among provlint's schemas")
