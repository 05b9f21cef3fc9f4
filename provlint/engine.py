"""Rules x documents -> findings. Never prints; the CLI and the Python API sit on top."""

from __future__ import annotations

import bisect
import dataclasses
import fnmatch
import hashlib
import os
import signal
import stat
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provlint.checks import CHECKS
from provlint.escaping import escape_undecodable
from provlint.model import Block, Document, Finding
from provlint.patterns import PatternTimeout, start_budget
from provlint.readers import load_shared_data, read_file, read_raw, read_texts
from provlint.readers.notarticle import FACT as NOT_AN_ARTICLE
from provlint.ruleset import Rule, Ruleset

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

    from provlint.cache import Cache

# File name endings read when a folder is given (a file named explicitly is always read).
_PLAIN_SUFFIXES = (".txt", ".dump", ".json", ".jsonl", ".ndjson", ".html", ".htm")
# and each gzipped (`feed.jsonl.gz`), read decompressed
INPUT_SUFFIXES = _PLAIN_SUFFIXES + tuple(suffix + ".gz" for suffix in _PLAIN_SUFFIXES)
# Facts that mean the file was not parsed, so only `input` rules apply to it.
UNPARSED = ("binary", "undecodable", "unreadable", "empty", "too_large", "crashed", "invalid_json", "not_a_record",
            "invalid_html", "read_failed", "unlistable", "link_outside")
MAX_FILE_BYTES = 10_000_000
MAX_FRAME_LINE = 20_000


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    files: list[str] = field(default_factory=list)
    # (path, line) -> line text around findings, for reporters' code frames.
    source_lines: dict[tuple[str, int], str] = field(default_factory=dict)
    interrupted: bool = False
    warnings: list[str] = field(default_factory=list)
    cached: int = 0  # files whose findings came from the cache
    # Files a folder walk found that hold no article (a JSON Schema, a requirements.txt):
    # (path, why), not linted.
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def add(self, document: Document, rules: list[Rule]) -> None:
        findings = lint_document(document, rules)
        self.findings.extend(findings)
        self.keep_lines(document, findings)
        if document.file not in self.files[-1:]:
            self.files.append(document.file)

    def merge(self, part: RunResult) -> None:
        self.findings.extend(part.findings)
        self.source_lines.update(part.source_lines)
        self.files_checked += part.files_checked
        self.files.extend(part.files)
        self.skipped.extend(part.skipped)

    def keep_lines(self, document: Document, findings: list[Finding]) -> None:
        for finding in findings:
            if finding.line is None:
                continue
            for number in range(max(1, finding.line - 1), min(len(document.lines), finding.line + 1) + 1):
                self.source_lines[(document.path, number)] = document.lines[number - 1][:MAX_FRAME_LINE]
            for place in finding.related:  # a secondary place is shown on its own line
                if 1 <= place[0] <= len(document.lines):
                    self.source_lines[(document.path, place[0])] = document.lines[place[0] - 1][:MAX_FRAME_LINE]


def matches_selector(rule: Rule, selector: str) -> bool:
    """A selector is a rule id (PH001), an id prefix (PH, PH0), a category (placeholder),
    a rule name, a selection (`default`, `strict`) or `ALL`. The one place that decides
    what a selector covers: --select/--ignore, config select/ignore, severity, per-path-ignores."""
    if not selector:
        return False
    if selector == "ALL" or rule.selection == selector.lower():
        return True
    return rule.id.startswith(selector.upper()) or rule.category == selector.lower() or rule.name == selector


def unknown_selector(selector: str, rules: Sequence[Rule]) -> str | None:
    """None when `selector` covers at least one of `rules`; else what is wrong, with the
    closest selector (a mistyped one would otherwise select or ignore nothing, silently)."""
    if any(matches_selector(rule, selector) for rule in rules):
        return None
    from provlint.ruleset import close_matches

    known = {"ALL"} | {name for rule in rules for name in (rule.id, rule.id[:2], rule.category, rule.name,
                                                           rule.selection)}
    hint = close_matches(selector, known) or close_matches(selector.upper(), known) or close_matches(selector.lower(), known)
    return f"no rule matches {selector!r}" + (f"; did you mean {hint[0]}?" if hint else "")


def select_rules(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = (),
                 extend_select: Iterable[str] = ()) -> list[Rule]:
    """The rules `select` names (without it, the default selection) and those
    `extend_select` names, less those `ignore` names."""
    select, ignore, extend_select = list(select), list(ignore), list(extend_select)
    return [
        rule for rule in rules
        if ((any(matches_selector(rule, s) for s in select) if select else rule.selection == "default")
            or any(matches_selector(rule, s) for s in extend_select))
        and not any(matches_selector(rule, s) for s in ignore)
    ]


def lint_document(document: Document, rules: Iterable[Rule]) -> list[Finding]:
    """Every rule on one parsed document; a failing check costs one finding, not the run."""
    findings: list[Finding] = []
    unparsed = any(document.facts.get(fact) for fact in UNPARSED)
    for rule in rules:
        if unparsed and rule.check != "input":
            continue
        if rule.check == "input" and not document.facts:
            continue  # input rules read only the facts, and most files have none
        start_budget()  # the rule's look-around patterns get one time budget for this document
        try:
            findings.extend(CHECKS[rule.check](rule, document))
        except PatternTimeout as exc:
            findings.append(_problem(document, rule, f"{rule.id} gave up on this file: {exc}"))
        except Exception as exc:  # noqa: BLE001 - isolation: one broken check must not end the run
            message = f"internal error in {rule.id}: {type(exc).__name__}: {exc}"
            if os.environ.get("PROVLINT_DEBUG"):
                import traceback

                message += "\n" + traceback.format_exc()
            findings.append(_problem(document, rule, message))
    start_budget(None)
    return sorted(_in_record(document, _with_fingerprints(document, findings))) if findings else findings


def _in_record(document: Document, findings: list[Finding]) -> list[Finding]:
    """Findings of a record that name no place point at the record and name it (its JSON
    pointer and URL); every finding of a record carries the pointer (SARIF's logical location)."""
    record = document.record
    if record is None:
        return findings
    name = f"record {record.pointer}" + (f", {record.url}" if record.url else "")
    return [dataclasses.replace(f, record=record.pointer) if f.line is not None else dataclasses.replace(
        f, line=record.line, column=record.column, end_line=record.end_line, end_column=record.end_column,
        message=f"{f.message} ({name})", record=record.pointer) for f in findings]


def _with_fingerprints(document: Document, findings: list[Finding]) -> list[Finding]:
    """Each finding with its fingerprint: a hash of rule, path and the finding's block text
    plus its place in the block, so a finding keeps its fingerprint when blocks move to
    other lines or columns (a file-level finding hashes its message instead). A record of
    a JSON or JSONL file counts by its identity (URL or content), not its index or line, so
    inserting a record, or writing the file with other indentation, keeps the fingerprints
    of the others."""
    starts = [(block.line, block.column) for block in document.blocks]  # blocks are in (line, column) order
    record = document.record
    # The hash of rule, path and block text, made once per rule and block and copied for
    # each finding: a long block with many findings is not hashed once per finding.
    hashed: dict[tuple[str, str, int], Any] = {}

    def fingerprint(finding: Finding, block: Block | None) -> str:
        where = f"{finding.file_path}\0{record.identity}" if record is not None else finding.path
        if block is None:
            anchor = f"{finding.rule}\0{where}\0{finding.message}"
            return hashlib.sha256(anchor.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        key = (finding.rule, where, id(block))
        if key not in hashed:
            start = f"{finding.rule}\0{where}\0{' '.join(block.text.split())}"
            hashed[key] = hashlib.sha256(start.encode("utf-8", "surrogatepass"))
        digest = hashed[key].copy()
        line = (finding.line or 0) - block.line
        column = (finding.column or 0) - block.column + 1 if line == 0 else finding.column  # 1 at the block's start
        digest.update(f"\0{line}:{column}".encode())
        return digest.hexdigest()[:32]

    def block_of(finding: Finding) -> Block | None:
        if finding.line is None:
            return None
        index = bisect.bisect_right(starts, (finding.line, finding.column or 1)) - 1
        if index >= 0 and document.blocks[index].line <= finding.line <= document.blocks[index].end_line:
            return document.blocks[index]
        return None

    return [dataclasses.replace(f, fingerprint=fingerprint(f, block_of(f))) for f in findings]


def _problem(document: Document, rule: Rule, message: str) -> Finding:
    return Finding(path=document.path, line=None, column=None, rule="IN000", name="internal-error",
                   category="input", severity="error", message=message, file=document.file)


def lint_text(text: str, ruleset: Ruleset, path: str = "<text>", rules: Iterable[Rule] | None = None,
              input_format: str = "auto") -> list[Finding]:
    """Findings for text in any input kind (a dump, a JSON record, an HTML page)."""
    chosen = list(ruleset.rules if rules is None else rules)
    documents = read_texts(path, text, ruleset.table, input_format)
    return sorted(f for document in documents for f in lint_document(document, chosen))


def display_path(path: str | Path) -> str:
    """Relative to the current folder when inside it, as given otherwise."""
    try:
        # For a relative path, normpath is what relpath gives, without two abspath calls.
        shown = os.path.normpath(path) if not os.path.isabs(path) else os.path.relpath(path)
        return shown if not shown.startswith("..") else str(path)
    except ValueError:
        return str(path)


def _mode(path: Path) -> int | None:
    """The file mode of `path`; None when there is none or it cannot be told (a path
    longer than the system takes, no permission), where Path.is_file would raise."""
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return None


def _is_cache_marker(path: Path) -> bool:
    from provlint.cache import is_marker  # here: a run without the cache never loads the module

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
    if not _is_input(path, os.path.basename(path), include):
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


def _is_input(path: str, name: str, include: InputNames | None) -> bool:
    if include is None:
        return name.lower().endswith(INPUT_SUFFIXES)
    return include.reads(path, name)


def _within(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def find_inputs(paths: Iterable[str], exclude: Iterable[Pattern] = (), gitignore: bool = False,
                follow_links: bool = False, skip_folders: Iterable[str] = (), force_exclude: bool = False,
                include: InputNames | None = None) -> Inputs:
    """Files named, plus input files found recursively in folders named (name endings
    matched in any case); normalised, sorted, unique. Files named explicitly are read
    even when .gitignore would skip them (like ruff). A symbolic link met in a folder
    is followed only when its target lies inside the paths given (or `follow_links`);
    a folder that cannot be listed and a link not followed are problems, so that every
    path under the paths given is answered. Folders in `skip_folders` (rule folders:
    their fixtures are broken on purpose) are not walked into. With `force_exclude`,
    files named are treated as found by a walk (as pre-commit names them). Plain
    strings: a corpus has a million. `include` says which names are read."""
    patterns = Globs(exclude)
    pruned = _folder_set(skip_folders)
    ignores = GitIgnore() if gitignore else None
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

    def walk(top: str) -> None:
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
                if not is_dir and not (_is_input(prefix + name, name, include)
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
                    if _is_input(path, name, include):
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
                walk(str(root))
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
    return find_inputs(paths, exclude, gitignore, follow_links, include=include).files


CHUNK = 32  # files per task sent to a worker


@dataclass(frozen=True)
class Job:
    """What every file of a run is linted with; built once per process."""

    ruleset: Ruleset
    rules: list[Rule]
    max_bytes: int = MAX_FILE_BYTES
    input_format: str = "auto"
    mapping: dict | None = None
    caching: bool = False  # encode each result for the cache (in the worker, in parallel)


@dataclass(frozen=True)
class Task:
    path: str
    shown: str  # the path as findings show it, decided where the run started
    known_digest: str | None = None  # content hash of a cached result, reused if unchanged
    named: bool = False  # named explicitly: linted even if it holds no article


@dataclass
class FileResult:
    """What linting one file gave, with what the cache keeps of it."""

    shown: str
    size: int | None = None
    mtime_ns: int | None = None
    digest: str | None = None  # None: not hashed (no cache, or not a regular readable file)
    part: RunResult | None = None  # None: content unchanged since it was cached
    payload: bytes | None = None


Runner = Callable[[list[Task]], Iterator[list[FileResult]]]


def lint_file(task: Task, job: Job) -> FileResult:
    """One file, read once: its content hash, then (unless unchanged) its findings."""
    from provlint.cache import content_digest, encode

    raw = read_file(Path(task.path), job.max_bytes)
    outcome = FileResult(task.shown)
    if job.caching and raw.data is not None and raw.status is not None:
        outcome.size, outcome.mtime_ns = raw.status.st_size, raw.status.st_mtime_ns
        outcome.digest = content_digest(raw.data)
        if outcome.digest == task.known_digest:
            return outcome
    part = RunResult()
    outcome.part = part
    # read_raw never raises: a file that breaks its reader is one `read_failed` document.
    documents = read_raw(task.shown, raw, job.ruleset.table, job.input_format, job.mapping)
    # Nothing about a file that holds no article is cached: whether it is linted depends
    # on how it was found, which the cache does not key on.
    article = not documents or not all(NOT_AN_ARTICLE in document.facts for document in documents)
    if not article and not task.named:
        part.skipped.append((task.shown, documents[0].facts[NOT_AN_ARTICLE]))
        return outcome
    lasting = article
    for document in documents:
        lasting = lasting and "read_failed" not in document.facts
        part.add(document, job.rules)
    part.files_checked = 1
    # An internal error, a reader that failed or a pattern timeout says nothing lasting
    # about the file: not cached.
    if outcome.digest is not None and lasting and not any(f.rule == "IN000" for f in part.findings):
        outcome.payload = encode(task.shown, part.findings, part.files, part.source_lines)
    return outcome


def lint_tasks(tasks: list[Task], job: Job) -> list[FileResult]:
    return [lint_file(task, job) for task in tasks]


# What forked workers lint with: set in the parent just before the pool starts, so the
# compiled ruleset is inherited instead of pickled.
_WORKER: Job | None = None
# Per task of a forked run, in memory the workers share: whether a worker has begun or
# finished linting it, so that when a worker dies the parent knows which file it held.
WAITING, LINTING, LINTED = 0, 1, 2
_STATES: Any = None
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _lint_chunk(chunk: list[tuple[int, Task]]) -> list[FileResult]:
    assert _WORKER is not None and _STATES is not None
    results = []
    for index, task in chunk:
        _STATES[index] = LINTING
        results.append(lint_file(task, _WORKER))
        _STATES[index] = LINTED
    return results


def _start_worker(parent: int) -> None:
    """Signals in a worker: Ctrl-C is left to the parent, which stops the workers and
    reports what it has; SIGTERM kills (the parent's handler, inherited through fork,
    would turn it into an interrupt); and the worker dies with its parent instead of
    waiting on its pipe forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)  # held by the parent while it forked
    if not _die_with_parent():
        import threading

        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker got here
        os._exit(1)


def _die_with_parent() -> bool:
    """Ask Linux to kill this process when its parent dies; False where it cannot."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Where the kernel cannot tie a worker to its parent: look once a second."""
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _worker_died(task: Task, rules: list[Rule]) -> FileResult:
    """A file whose worker process died (killed, out of memory) gets one IN finding."""
    document = Document(path=task.shown, text="", lines=[],
                        facts={"crashed": "the worker process died while checking this file (killed or out of memory)"})
    part = RunResult()
    part.add(document, [r for r in rules if r.check == "input"])
    part.files_checked = 1
    return FileResult(task.shown, part=part)


def _suspects(broken: list[list[int]]) -> list[int]:
    """The files to re-run alone after a worker died, from the chunks left unanswered: the
    files being linted at that moment (one per worker: the dead one's and those the pool
    then stopped); else, if a worker died between files or sending its answer, the chunks
    it had begun; else the first chunk. Each pool that breaks isolates a file at least."""
    assert _STATES is not None
    linting = [index for chunk in broken for index in chunk if _STATES[index] == LINTING]
    if linting:
        return linting
    begun = [index for chunk in broken if any(_STATES[i] != WAITING for i in chunk) for index in chunk]
    return begun or broken[0]


def forked_runner(job: Job, jobs: int) -> Runner:
    """Chunks of files in forked worker processes. A dying worker (killed, out of memory)
    breaks the pool and the chunks it had not answered; the files being linted at that
    moment are then re-run one at a time (a file that kills its worker again gets an IN007
    finding) and the rest goes on in a fresh pool of the same size."""

    def run(tasks: list[Task]) -> Iterator[list[FileResult]]:
        global _WORKER, _STATES
        import multiprocessing

        load_shared_data()
        context = multiprocessing.get_context("fork")
        _WORKER, _STATES = job, context.RawArray("b", len(tasks))
        pending = list(range(len(tasks)))
        try:
            while pending:
                broken = yield from _run_pool(context, tasks, pending, jobs)
                if not broken:
                    break
                suspects = _suspects(broken)
                yield from _run_alone(context, tasks, suspects, job.rules)
                isolated = set(suspects)
                pending = sorted(index for chunk in broken for index in chunk if index not in isolated)
                for index in pending:
                    _STATES[index] = WAITING
        finally:
            _WORKER = _STATES = None

    return run


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while a pool starts: an interrupt raised between forking the
    workers and starting the thread that feeds them would leave workers nobody stops, and
    the run would hang at exit. A signal that came meanwhile is raised on leaving."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop(executor: Any) -> None:
    """Ctrl-C, SIGTERM or the consumer stopping: chunks not started are cancelled and the
    workers (which ignore SIGINT) finish the one they hold, then exit. Killing them instead
    can cut a result mid-write and hang the pool's reader thread; that is left to a
    second Ctrl-C."""
    try:
        executor.shutdown(wait=True, cancel_futures=True)
    except BaseException:
        for process in list(executor._processes.values()):  # no public API before 3.14
            process.kill()
        raise


def _run_pool(context: Any, tasks: list[Task], pending: list[int],
              jobs: int) -> Generator[list[FileResult], None, list[list[int]]]:
    """Lint `pending` (indices into `tasks`) in chunks on a pool of `jobs` workers; yield
    each chunk's results and return the chunks left unanswered because a worker died."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    chunks = [pending[i : i + CHUNK] for i in range(0, len(pending), CHUNK)]
    broken: list[list[int]] = []
    executor = None
    futures: dict[Any, list[int]] = {}
    try:
        with _signals_held():
            executor = ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=context, initializer=_start_worker,
                                           initargs=(os.getpid(),))
            futures = {executor.submit(_lint_chunk, [(index, tasks[index]) for index in chunk]): chunk
                       for chunk in chunks}
        for future in as_completed(futures):
            chunk = futures.pop(future)  # a finished chunk's results are not kept here
            try:
                results = future.result()
            except BrokenProcessPool:
                broken.append(chunk)
                continue
            yield results
    except KeyboardInterrupt:
        if executor is not None:
            _stop(executor)
            # The workers finished the chunks they held: those files are answered too.
            for future in futures:
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield future.result()
        raise
    except BaseException:
        if executor is not None:
            _stop(executor)
        raise
    executor.shutdown(wait=True)
    return broken


def _run_alone(context: Any, tasks: list[Task], indices: list[int],
               rules: list[Rule]) -> Iterator[list[FileResult]]:
    """Lint files one at a time in a one-worker pool: if the worker dies, the file it held
    killed it (IN007), and a new worker takes the next file."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    remaining = list(indices)
    while remaining:
        alone = None
        try:
            while remaining:
                with _signals_held():
                    alone = alone or ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker,
                                                         initargs=(os.getpid(),))
                    future = alone.submit(_lint_chunk, [(remaining[0], tasks[remaining[0]])])
                index = remaining.pop(0)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    yield [_worker_died(tasks[index], rules)]
                    break
                yield results
        except BaseException:
            if alone is not None:
                _stop(alone)
            raise
        if alone is not None:
            alone.shutdown(wait=True)


def local_runner(job: Job, jobs: int) -> Runner:
    """In this process, or in forked workers when there is work for more than one."""

    def run(tasks: list[Task]) -> Iterator[list[FileResult]]:
        if jobs > 1 and len(tasks) > CHUNK:
            import multiprocessing

            if "fork" in multiprocessing.get_all_start_methods():
                yield from forked_runner(job, jobs)(tasks)
                return
        for task in tasks:
            yield [lint_file(task, job)]

    return run


def _shown(path: str) -> str:
    """How findings show a path from collect_files, which normalises: a relative path
    inside this folder as it is (display_path's relpath costs two abspath calls). Bytes
    of the name that are not UTF-8 are escaped (`bad\\xff.txt`): every output, the
    cache and the baseline then hold the same valid text."""
    return escape_undecodable(path if not path.startswith((os.sep, "..")) else display_path(path))


def _take_from_cache(files: list[str], cache: Cache, result: RunResult,
                     named: set[str]) -> tuple[list[Task], dict[str, tuple[RunResult, bytes]]]:
    """Merge into `result` the cached findings of files unchanged since; the other files
    become tasks. A file whose size or mtime moved is a task that carries the cached
    content hash, and its cached result (returned) stands if the hash still matches."""
    from provlint.cache import decode

    tasks: list[Task] = []
    reusable: dict[str, tuple[RunResult, bytes]] = {}
    for start in range(0, len(files), cache.LOOKUP_BATCH):
        batch = files[start : start + cache.LOOKUP_BATCH]
        shown_batch = [_shown(path) for path in batch]
        entries = cache.lookup(shown_batch)
        for path, shown in zip(batch, shown_batch):
            entry = entries.get(shown)
            stored = decode(shown, entry.payload) if entry is not None else None
            if entry is None or stored is None:
                tasks.append(Task(path, shown, named=path in named))
                continue
            part = RunResult(findings=stored[0], files=stored[1], source_lines=stored[2], files_checked=1)
            try:
                fresh = entry.fresh(os.stat(path))
            except OSError:
                fresh = False
            if fresh:
                result.merge(part)
                result.cached += 1
                continue
            reusable[shown] = (part, entry.payload)
            tasks.append(Task(path, shown, entry.digest, path in named))
    return tasks, reusable


def show_files(paths: Iterable[str], ruleset: Ruleset, exclude: Iterable[Pattern] = (), gitignore: bool = False,
               follow_links: bool = False, skip_folders: Iterable[str] = (), force_exclude: bool = False,
               max_bytes: int = MAX_FILE_BYTES, input_format: str = "auto", mapping: dict | None = None,
               include: InputNames | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """What `lint_paths` would do with each path, without linting: the paths it checks,
    and the files found in folders it skips because they hold no article, with why."""
    inputs = find_inputs(paths, exclude, gitignore, follow_links, skip_folders, force_exclude, include)
    checked, skipped = [], []
    for path in inputs.files:
        shown = _shown(path)
        if path not in inputs.named and path not in inputs.problems:
            documents = read_raw(shown, read_file(Path(path), max_bytes), ruleset.table, input_format, mapping)
            if documents and all(NOT_AN_ARTICLE in document.facts for document in documents):
                skipped.append((shown, documents[0].facts[NOT_AN_ARTICLE]))
                continue
        checked.append(shown)
    return checked, skipped


def _answer_unread(problems: dict[str, dict[str, str]], rules: list[Rule], result: RunResult) -> None:
    """The input findings of the paths the walk did not look into (never read, never cached)."""
    inputs_rules = [rule for rule in rules if rule.check == "input"]
    for path, facts in problems.items():
        result.add(Document(path=_shown(path), text="", lines=[], facts=facts), inputs_rules)
        result.files_checked += 1


def _keep(cache: Cache | None, outcome: FileResult, payload: bytes | None) -> None:
    """Store a file's result in the cache, when it was hashed."""
    if (cache is not None and payload is not None and outcome.digest is not None and outcome.size is not None
            and outcome.mtime_ns is not None):
        cache.put(outcome.shown, outcome.size, outcome.mtime_ns, outcome.digest, payload)


def lint_paths(paths: Iterable[str], ruleset: Ruleset, rules: Iterable[Rule] | None = None,
               exclude: Iterable[Pattern] = (), gitignore: bool = False, jobs: int = 1,
               max_bytes: int = MAX_FILE_BYTES, input_format: str = "auto", mapping: dict | None = None,
               progress: Callable[[int, int], None] | None = None, cache: Cache | None = None,
               runner: Callable[[Job], Runner] | None = None, follow_links: bool = False,
               skip_folders: Iterable[str] = (), force_exclude: bool = False,
               include: InputNames | None = None) -> RunResult:
    """Lint every file under `paths`: from the cache where nothing changed, the rest with
    `runner` (default: this process, or `jobs` forked workers). Ctrl-C stops the run and
    returns what was gathered, marked `interrupted`."""
    job = Job(ruleset, list(ruleset.rules if rules is None else rules), max_bytes, input_format, mapping,
              caching=cache is not None)
    inputs = find_inputs(paths, exclude, gitignore, follow_links, skip_folders, force_exclude, include)
    result = RunResult()
    _answer_unread(inputs.problems, job.rules, result)
    files = [path for path in inputs.files if path not in inputs.problems] if inputs.problems else inputs.files
    if cache is not None:
        tasks, reusable = _take_from_cache(files, cache, result, inputs.named)
    else:
        tasks, reusable = [Task(path, _shown(path), named=path in inputs.named) for path in files], {}
    if progress is not None and result.files_checked:
        progress(result.files_checked, len(inputs.files))
    try:
        for outcomes in (runner or (lambda j: local_runner(j, jobs)))(job)(tasks):
            for outcome in outcomes:
                if outcome.part is None:  # content unchanged: the cached result stands
                    part, payload = reusable.pop(outcome.shown)
                    result.merge(part)
                    result.cached += 1
                    _keep(cache, outcome, payload)
                    continue
                result.merge(outcome.part)
                _keep(cache, outcome, outcome.payload)
            if progress is not None:
                progress(result.files_checked + len(result.skipped), len(inputs.files))
    except KeyboardInterrupt:
        result.interrupted = True
    if cache is not None:
        cache.save()
    result.findings.sort()
    result.files.sort()
    result.skipped.sort()
    return result
