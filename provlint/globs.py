"""Which names a folder walk reads and skips: `exclude` and `include` globs, and the
input name endings read by default. Apart from the engine so that the config can turn
its settings into them without loading the engine."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from provlint.vocabulary import INPUT_SUFFIXES as PLAIN_SUFFIXES

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# File name endings read when a folder is given (a file named explicitly is always read):
# the input kinds' own, and each gzipped (`feed.jsonl.gz`), read decompressed.
INPUT_SUFFIXES = PLAIN_SUFFIXES + tuple(suffix + ".gz" for suffix in PLAIN_SUFFIXES)

# A glob and the folder it is relative to (the config file's, for a config's `exclude`).
Pattern = str | tuple[str, str]


class Globs:
    """Globs of `exclude` or `include`. Each matches the path as walked, its name or any
    trailing part of it (`*.tmp.txt`, `corpus/old`), and also, as a .gitignore line
    does, the path relative to the folder it was given in: `archive/` (a folder of that
    name at any depth), `data/old/*.txt` (from that folder). A plain string is relative
    to the current folder."""

    def __init__(self, patterns: Iterable[Pattern] = ()) -> None:
        self.cwd = os.getcwd()
        self.globs: list[str] = []
        by_base: dict[str, list[str]] = {}
        for item in patterns:
            pattern, base = (item, self.cwd) if isinstance(item, str) else item
            self.globs.append(pattern)
            by_base.setdefault(os.path.abspath(base), []).append(pattern)
        self.specs: list[tuple[str, GitIgnoreSpec]] = []
        if by_base:
            import pathspec

            self.specs = [(base.rstrip(os.sep) + os.sep, pathspec.GitIgnoreSpec.from_lines(lines))
                          for base, lines in by_base.items()]

    def __bool__(self) -> bool:
        return bool(self.globs)

    def match(self, path: str, name: str, is_dir: bool) -> bool:
        text = Path(path).as_posix()
        if any(fnmatch.fnmatch(text, p) or fnmatch.fnmatch(name, p) or fnmatch.fnmatch(text, f"*/{p}")
               for p in self.globs):
            return True
        absolute = os.path.normpath(os.path.join(self.cwd, path))
        for base, spec in self.specs:
            if absolute.startswith(base):
                relative = absolute[len(base):].replace(os.sep, "/") + ("/" if is_dir else "")
                if spec.match_file(relative):
                    return True
        return False


class InputNames:
    """The files a walk reads: `include` globs, or by default the input name endings in
    any case (`A.TXT` is read as `a.txt` is); and those `extend_include` adds."""

    def __init__(self, include: Iterable[Pattern] | None = None, extend_include: Iterable[Pattern] = ()) -> None:
        self.include = Globs(include) if include is not None else None
        self.extend = Globs(extend_include)

    def reads(self, path: str, name: str) -> bool:
        if self.include is None:
            if name.lower().endswith(INPUT_SUFFIXES):
                return True
        elif self.include.match(path, name, False):
            return True
        return bool(self.extend) and self.extend.match(path, name, False)


def is_input(path: str, name: str, include: InputNames | None) -> bool:
    if include is None:
        return name.lower().endswith(INPUT_SUFFIXES)
    return include.reads(path, name)
