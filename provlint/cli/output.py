"""Writing reports and baselines: atomically to files, as they are to devices and pipes,
and every output path checked before a run so a typo does not lose it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from provlint.cli.group import EXIT_ERROR, STDOUT


def write_atomically(path: str, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file.
    The file keeps its permissions (a new one gets those the umask allows)."""
    import stat
    import tempfile  # only when an output file is written: kept off the start-up path

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_stream(path: str) -> bool:
    """`-`, a device or a FIFO (also through a symlink): written as it is, never replaced."""
    import stat

    if path == STDOUT:
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # a new file


def write_output(path: str, text: str) -> None:
    """A report or a baseline: to stdout for `-`; to a device or FIFO (/dev/null, a pipe)
    as it is; to a regular file or a new path atomically, through a symlink to its
    target (the link stays)."""
    if path == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = os.path.realpath(path)
    try:
        if is_stream(target):
            with open(target, "w", encoding="utf-8") as stream:
                stream.write(text)
        else:
            write_atomically(target, text)
    except OSError as exc:
        click.echo(f"provlint: cannot write {path}: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_ERROR) from None


def _identity(path: str) -> tuple[int, int] | None:
    """The file at `path` as (device, inode); None when there is none."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _unwritable(path: str) -> str | None:
    """Why a report or baseline could not be written at `path`, or None: checked before
    linting, so a run is not lost to a typo in an output path."""
    import stat

    target = os.path.realpath(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        folder = os.path.dirname(target)
        while not os.path.lexists(folder):  # the nearest folder that exists; the rest is made
            folder = os.path.dirname(folder)
        if not os.path.isdir(folder):
            return f"{folder} is not a folder"
        return None if os.access(folder, os.W_OK | os.X_OK) else f"cannot create files in {folder}"
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISREG(mode):
        folder = os.path.dirname(target)
        if not os.access(target, os.W_OK):
            return "not writable"
        # Replaced by renaming a new file into place: that needs the folder writable too.
        return None if os.access(folder, os.W_OK | os.X_OK) else f"cannot create files in {folder}"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode):
        return None if os.access(target, os.W_OK) else "not writable"
    return "not a file, a device or a pipe"


def check_outputs(paths: tuple[str, ...], writes: list[str], to_stdout: bool, settings: Any) -> None:
    """Every output path before linting: writable (its folder exists or can be made), at
    most one of them (and the report) on stdout, and none an input of this run or, once
    written, of the next one."""
    from provlint.engine import collect_files, walk_reaches

    problems = [f"cannot write {path}: {reason}" for path in writes
                if path != STDOUT and (reason := _unwritable(path))]
    if sum(path == STDOUT for path in writes) + to_stdout > 1:
        problems.append("only one report can go to stdout (-)")
    if problems:
        raise click.UsageError("; ".join(problems))
    files = [p for p in writes if p != STDOUT and not is_stream(p)]
    if not files:
        return
    roots = paths or (".",)
    exclude, gitignore, names = settings.globs("exclude"), settings["respect-gitignore"], settings.input_names()
    # Compared as files (device and inode), not as real paths: a stat costs a third of a
    # realpath, a hard link is caught too, and an output not yet written is no input.
    existing = {path: identity for path in files if (identity := _identity(path)) is not None}
    if existing:
        inputs = set(map(_identity, collect_files(roots, exclude, gitignore, include=names)))
        clobbered = [path for path, identity in existing.items() if identity in inputs]
    else:
        clobbered = []
    if clobbered:
        raise click.UsageError(f"refusing to overwrite an input file: {', '.join(clobbered)}")
    inside = [p for p in files if walk_reaches(p, roots, exclude, gitignore, names)
              or walk_reaches(os.path.realpath(p), roots, exclude, gitignore, names)]
    if inside:
        raise click.UsageError(f"{', '.join(inside)}: inside the checked folders, where the next run would read it "
                               "as an input; write it elsewhere, or --exclude it")
