"""The .gitignore files a folder walk respects: those of the folder and of every folder
above it, up to the repository's top (memoised: a corpus has many files per folder)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


def _mode(path: Path) -> int | None:
    """The file mode of `path`; None when there is none or it cannot be told (a path
    longer than the system takes, no permission), where Path.is_file would raise."""
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return None


def _is_cache_marker(path: Path) -> bool:
    from provlint.engine.cache import is_marker  # here: a run without the cache never loads the module

    return is_marker(path)


class GitIgnore:
    """The .gitignore files that apply to a folder tree (up to the repository's top)."""

    def __init__(self) -> None:
        self._specs: dict[Path, GitIgnoreSpec | None] = {}
        self._chains: dict[Path, list[tuple[Path, GitIgnoreSpec]]] = {}

    def _spec(self, folder: Path) -> GitIgnoreSpec | None:
        if folder not in self._specs:
            spec = None
            ignore_file = folder / ".gitignore"
            mode = _mode(ignore_file)
            # provlint's cache marker hides only the cache folder, which never holds inputs
            # (such a cache is refused); left by an older run in the corpus, it hides nothing.
            if mode is not None and stat.S_ISREG(mode) and not _is_cache_marker(ignore_file):
                import pathspec

                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
                except (OSError, ValueError):
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def applying(self, folder: Path) -> list[tuple[Path, GitIgnoreSpec]]:
        """The .gitignore specs that apply inside `folder`, nearest first (memoised:
        a corpus has many files per folder)."""
        if folder not in self._chains:
            spec = self._spec(folder)
            chain = [(folder, spec)] if spec is not None else []
            if _mode(folder / ".git") is None and folder.parent != folder:
                chain += self.applying(folder.parent)
            self._chains[folder] = chain
        return self._chains[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        absolute = Path(os.path.abspath(path))  # as named: symlinks are not followed (nor loop)
        for folder, spec in self.applying(absolute.parent):
            relative = absolute.relative_to(folder).as_posix() + ("/" if is_dir else "")
            if spec.match_file(relative):
                return True
        return False
