"""Which files a run reads: the paths given, walked (exclude and include globs,
.gitignore files, rule folders, symbolic links), each answered either as a file to read
or with the facts of why it could not be looked into; and how a path is shown."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from provlint.engine.gitignore import GitIgnore
from provlint.globs import Globs, InputNames, Pattern, is_input


def _excluded(folder: str, name: str, is_dir: bool, patterns: Globs, ignores: GitIgnore | None,
              chain: list) -> bool:
    """Whether a walk skips `name` in `folder`: an `exclude` glob or (`chain`: the
    .gitignore files applying to `folder`) a .gitignore rule matches it."""
    if not patterns and not chain:
        return False
    path = os.path.join(folder, name)
    if patterns and patterns.match(path, name, is_dir):
        return True
    return bool(chain) and ignores is not None and ignores.ignored(Path(path), is_dir)


def walk_reaches(path: str, paths: Iterable[str], exclude: Iterable[Pattern] = (), gitignore: bool = False,
                 include: InputNames | None = None) -> bool:
    """Whether collect_files, walking the folders among `paths`, would read `path` (which
    need not exist): a report written there would be an input of the next run."""
    if not is_input(path, os.path.basename(path), include):
        return False
    patterns = Globs(exclude)
    ignores = GitIgnore() if gitignore else None
    target = os.path.abspath(path)
    for given in paths:
        if not os.path.isdir(given):
            continue
        relative = os.path.relpath(target, os.path.abspath(given))
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            continue
        names = relative.split(os.sep)
        folder = given
        for depth, name in enumerate(names):
            is_dir = depth < len(names) - 1
            chain = ignores.applying(Path(os.path.abspath(folder))) if ignores is not None else []
            if (is_dir and name.startswith(".")) or _excluded(folder, name, is_dir, patterns, ignores, chain):
                break
            folder = os.path.join(folder, name)
        else:
            return True
    return False


@dataclass
class Inputs:
    """What a walk of the paths given found: the files to read, and the paths it could
    not look into, each with the facts the `input` rules report (a folder that cannot
    be listed, a link that leads outside the paths). Both are answered in the run."""

    files: list[str] = field(default_factory=list)
    problems: dict[str, dict[str, str]] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)  # files named explicitly: linted whatever they hold




def _within(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


@dataclass(frozen=True)
class Walk:
    """How the paths given are walked (see find_inputs): `exclude` globs, the names read
    (`include`; None: the input name endings), whether .gitignore files count, whether
    links lead outside the paths, the rule folders not walked into, and whether files
    named are excluded as files found are."""

    exclude: tuple[Pattern, ...] = ()
    include: InputNames | None = None
    gitignore: bool = False
    follow_links: bool = False
    skip_folders: tuple[str, ...] = ()
    force_exclude: bool = False


DEFAULT_WALK = Walk()


def find_inputs(paths: Iterable[str], walk: Walk = DEFAULT_WALK) -> Inputs:
    """Files named, plus input files found recursively in folders named (name endings
    matched in any case); normalised, sorted, unique. Files named explicitly are read
    even when .gitignore would skip them (like ruff). A symbolic link met in a folder
    is followed only when its target lies inside the paths given (or `follow_links`);
    a folder that cannot be listed and a link not followed are problems, so that every
    path under the paths given is answered. Folders in `skip_folders` (rule folders:
    their fixtures are broken on purpose) are not walked into. With `force_exclude`,
    files named are treated as found by a walk (as pre-commit names them). Plain
    strings: a corpus has a million. `include` says which names are read."""
    patterns = Globs(walk.exclude)
    pruned = _folder_set(walk.skip_folders)
    ignores = GitIgnore() if walk.gitignore else None
    include, follow_links, force_exclude = walk.include, walk.follow_links, walk.force_exclude
    paths = list(paths)
    roots = [os.path.realpath(given) for given in paths]

    def excluded(folder: str, name: str, is_dir: bool, chain: list) -> bool:
        return _excluded(folder, name, is_dir, patterns, ignores, chain)

    found: set[str] = set()
    problems: dict[str, dict[str, str]] = {}
    # A folder named like a dump (`x.txt/`) is walked; left empty of dumps, it is most
    # likely a failed download saved as a folder, and is read (and reported) itself.
    named_like_a_file: list[str] = []
    # Folders walked, by device and inode: following links, a link back up is no loop.
    walked: set[tuple[int, int]] = set()

    def walk_folder(top: str) -> None:
        # Folders reached through links wait until every real one is walked: a file is
        # then found at its own path first, and not again through a link.
        folders: list[str] = [top]
        linked: list[str] = []
        while folders or linked:
            if folders:
                folder = folders.pop()
            else:
                folder = linked.pop()
                if not first_visit(folder):
                    continue
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError as exc:  # permissions, a path past PATH_MAX, a folder gone meanwhile
                problems[os.path.normpath(folder)] = {"unlistable": exc.strerror or str(exc)}
                continue
            # Only folders under a .gitignore pay for matching it, file by file.
            chain = ignores.applying(Path(os.path.abspath(folder))) if ignores is not None else []
            prefix = "" if os.path.normpath(folder) == "." else os.path.normpath(folder) + os.sep
            for entry in entries:
                name = entry.name
                is_link = entry.is_symlink()
                try:
                    is_dir = entry.is_dir()  # for a link, its target's kind
                except OSError:  # a link loop: read as a file, which reports it
                    is_dir = False
                if is_dir and (name.startswith(".") or excluded(folder, name, True, chain)
                               or (pruned and _pruned(prefix + name, name, pruned))):
                    continue
                if not is_dir and not (is_input(prefix + name, name, include)
                                       and not excluded(folder, name, False, chain)):
                    continue
                path = prefix + name
                if is_link and not follow_links:
                    target = os.path.realpath(path)
                    if not _within(target, roots):
                        problems[path] = {"link_outside": target}
                        continue
                    if is_dir:  # its files are answered where they are, inside the paths given
                        continue
                if not is_dir:
                    found.add(path)
                elif is_link:
                    linked.append(path)
                elif first_visit(path):
                    if is_input(path, name, include):
                        named_like_a_file.append(path)
                    folders.append(path)

    def first_visit(folder: str) -> bool:
        """Always, unless links are followed: then a folder reached again (a link back
        up the tree) is not walked again."""
        if not follow_links:
            return True
        try:
            status = os.stat(folder)
        except OSError:
            return True  # walking it reports why
        key = (status.st_dev, status.st_ino)
        if key in walked:
            return False
        walked.add(key)
        return True

    named: set[str] = set()
    for given in paths:
        root = Path(given)
        if root.is_dir():
            if first_visit(str(root)):
                walk_folder(str(root))
        elif not patterns.match(given, root.name, False):
            if force_exclude and pruned and any(_pruned(os.fspath(parent), parent.name, pruned)
                                                for parent in root.parents):
                continue
            found.add(os.path.normpath(root))
            if not force_exclude:
                named.add(os.path.normpath(root))
    for folder in named_like_a_file:
        prefix = os.path.normpath(folder) + os.sep
        if not any(key.startswith(prefix) for key in found):
            found.add(os.path.normpath(folder))
    found.update(problems)
    return Inputs(sorted(found), problems, named)


def _folder_set(folders: Iterable[str]) -> dict[str, set[str]]:
    """Folders by their last name -> their real paths (a walk compares names first)."""
    by_name: dict[str, set[str]] = {}
    for folder in folders:
        real = os.path.realpath(folder)
        if os.path.isdir(real):
            by_name.setdefault(os.path.basename(real), set()).add(real)
    return by_name


def _pruned(path: str, name: str, pruned: dict[str, set[str]]) -> bool:
    """Whether the folder at `path` is one of `pruned` (only a name that matches costs a
    realpath)."""
    candidates = pruned.get(name)
    return candidates is not None and os.path.realpath(path) in candidates


def collect_files(paths: Iterable[str], exclude: Iterable[Pattern] = (), gitignore: bool = False,
                  follow_links: bool = False, include: InputNames | None = None) -> list[str]:
    """Every path `find_inputs` answers: the files to read and the paths not looked into."""
    return find_inputs(paths, Walk(tuple(exclude), include, gitignore, follow_links)).files
