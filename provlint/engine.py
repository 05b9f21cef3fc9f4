"""Rules x documents -> findings. Never prints; the CLI and the Python API sit on top."""

from __future__ import annotations

import bisect
import dataclasses
import fnmatch
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from provlint.checks import CHECKS
from provlint.model import Block, Document, Finding
from provlint.patterns import PatternTimeout
from provlint.readers import read_path, read_texts
from provlint.ruleset import Rule, Ruleset

# File name endings read when a folder is given (a file named explicitly is always read).
INPUT_SUFFIXES = (".txt", ".dump", ".json", ".jsonl", ".ndjson", ".html", ".htm")
# Facts that mean the file was not parsed, so only `input` rules apply to it.
UNPARSED = ("binary", "undecodable", "unreadable", "empty", "too_large", "crashed", "invalid_json", "not_a_record",
            "invalid_html")
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

    def keep_lines(self, document: Document, findings: list[Finding]) -> None:
        for finding in findings:
            if finding.line is None:
                continue
            for number in range(max(1, finding.line - 1), min(len(document.lines), finding.line + 1) + 1):
                self.source_lines[(document.path, number)] = document.lines[number - 1][:MAX_FRAME_LINE]


def matches_selector(rule: Rule, selector: str) -> bool:
    """A selector is a rule id (PH001), an id prefix (PH, PH0) or a category (placeholder)."""
    return rule.id.startswith(selector.upper()) or rule.category == selector.lower() or rule.name == selector


def select_rules(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    select, ignore = list(select), list(ignore)
    return [
        rule for rule in rules
        if (not select or any(matches_selector(rule, s) for s in select))
        and not any(matches_selector(rule, s) for s in ignore)
    ]


def lint_document(document: Document, rules: Iterable[Rule]) -> list[Finding]:
    """Every rule on one parsed document; a failing check costs one finding, not the run."""
    findings: list[Finding] = []
    unparsed = any(document.facts.get(fact) for fact in UNPARSED)
    for rule in rules:
        if unparsed and rule.check != "input":
            continue
        try:
            findings.extend(CHECKS[rule.check](rule, document))
        except PatternTimeout as exc:
            findings.append(_problem(document, rule, f"{rule.id} gave up: {exc}"))
        except Exception as exc:  # noqa: BLE001 - isolation: one broken check must not end the run
            message = f"internal error in {rule.id}: {type(exc).__name__}: {exc}"
            if os.environ.get("PROVLINT_DEBUG"):
                import traceback

                message += "\n" + traceback.format_exc()
            findings.append(_problem(document, rule, message))
    return sorted(_with_fingerprints(document, findings))


def fingerprint(finding: Finding, block: Block | None) -> str:
    """Hash of rule, path and the finding's block text plus its offset in the block, so a
    finding keeps its fingerprint when blocks move to other lines."""
    anchor = finding.message
    if block is not None:
        anchor = " ".join(block.text.split()) + f"\0{(finding.line or 0) - block.line}:{finding.column}"
    digest = hashlib.sha256(f"{finding.rule}\0{finding.path}\0{anchor}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def _with_fingerprints(document: Document, findings: list[Finding]) -> list[Finding]:
    starts = [block.line for block in document.blocks]  # blocks are in line order

    def block_of(line: int | None) -> Block | None:
        if line is None:
            return None
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and document.blocks[index].line <= line <= document.blocks[index].end_line:
            return document.blocks[index]
        return None

    return [dataclasses.replace(f, fingerprint=fingerprint(f, block_of(f.line))) for f in findings]


def _problem(document: Document, rule: Rule, message: str) -> Finding:
    return Finding(path=document.path, line=None, column=None, rule="IN000", name="internal-error",
                   category="input", severity="error", message=message)


def lint_text(text: str, ruleset: Ruleset, path: str = "<text>", rules: Iterable[Rule] | None = None,
              input_format: str = "auto") -> list[Finding]:
    """Findings for text in any input kind (a dump, a JSON record, an HTML page)."""
    chosen = list(ruleset.rules if rules is None else rules)
    documents = read_texts(path, text, ruleset.table, input_format)
    return sorted(f for document in documents for f in lint_document(document, chosen))


def display_path(path: Path) -> str:
    """Relative to the current folder when inside it, as given otherwise."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


class GitIgnore:
    """The .gitignore files that apply to a folder tree (up to the repository's top)."""

    def __init__(self) -> None:
        self._specs: dict[Path, object | None] = {}

    def _spec(self, folder: Path) -> object | None:
        if folder not in self._specs:
            spec = None
            ignore_file = folder / ".gitignore"
            if ignore_file.is_file():
                import pathspec

                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
                except (OSError, ValueError):
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        absolute = Path(os.path.abspath(path))  # as named: symlinks are not followed (nor loop)
        for folder in absolute.parents:
            spec = self._spec(folder)
            if spec is not None:
                relative = absolute.relative_to(folder).as_posix() + ("/" if is_dir else "")
                if spec.match_file(relative):
                    return True
            if (folder / ".git").exists():
                break
        return False


def collect_files(paths: Iterable[str], exclude: Iterable[str] = (), gitignore: bool = False) -> list[Path]:
    """Files named, plus dump files found recursively in folders named; sorted, unique.
    Files named explicitly are read even when .gitignore would skip them (like ruff)."""
    patterns = list(exclude)
    ignores = GitIgnore() if gitignore else None

    def excluded(path: Path, is_dir: bool = False) -> bool:
        text = path.as_posix()
        if any(fnmatch.fnmatch(text, p) or fnmatch.fnmatch(path.name, p) or
               fnmatch.fnmatch(text, f"*/{p}") for p in patterns):
            return True
        return ignores is not None and ignores.ignored(path, is_dir)

    found: dict[str, Path] = {}
    # A folder named like a dump (`x.txt/`) is walked; left empty of dumps, it is most
    # likely a failed download saved as a folder, and is read (and reported) itself.
    named_like_a_file: list[Path] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for folder, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames
                                     if not d.startswith(".") and not excluded(Path(folder) / d, True))
                for name in filenames:
                    candidate = Path(folder) / name
                    if name.endswith(INPUT_SUFFIXES) and not excluded(candidate):
                        found.setdefault(os.path.normpath(candidate), candidate)
                named_like_a_file.extend(Path(folder) / d for d in dirnames if d.endswith(INPUT_SUFFIXES))
        elif not any(fnmatch.fnmatch(root.as_posix(), p) or fnmatch.fnmatch(root.name, p) for p in patterns):
            found.setdefault(os.path.normpath(root), root)
    for folder in named_like_a_file:
        prefix = os.path.normpath(folder) + os.sep
        if not any(key.startswith(prefix) for key in found):
            found.setdefault(os.path.normpath(folder), folder)
    return [found[key] for key in sorted(found)]


CHUNK = 32  # files per task sent to a worker process

# What forked workers lint with: set in the parent just before the pool starts, so the
# compiled ruleset is inherited instead of pickled.
_WORKER: tuple[Ruleset, list[Rule], int, str, dict | None] | None = None


def _lint_chunk(paths: list[Path]) -> RunResult:
    assert _WORKER is not None
    ruleset, rules, max_bytes, input_format, mapping = _WORKER
    part = RunResult()
    for path in paths:
        for document in read_path(path, ruleset.table, display_path(path), max_bytes, input_format, mapping):
            part.add(document, rules)
        part.files_checked += 1
    return part


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops them and reports what it has."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_died(path: Path, rules: list[Rule]) -> RunResult:
    """A file whose worker process died (killed, out of memory) gets one IN finding."""
    document = Document(path=display_path(path), text="", lines=[],
                        facts={"crashed": "the worker process died while checking this file (killed or out of memory)"})
    part = RunResult()
    part.add(document, [r for r in rules if r.check == "input"])
    part.files_checked += 1
    return part


def _run_parallel(chunks: list[list[Path]], jobs: int, rules: list[Rule]) -> Iterator[RunResult]:
    """Chunks in forked workers. A dying worker breaks the pool; every file of the
    chunks left unfinished is then re-run alone, so only a file that kills its own
    worker is lost (as an IN007 finding)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork")
    unfinished: list[Path] = []
    with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=context, initializer=_ignore_interrupts) as executor:
        futures = {executor.submit(_lint_chunk, chunk): chunk for chunk in chunks}
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except BrokenProcessPool:
                    unfinished.extend(futures[future])
        except BaseException:  # Ctrl-C or the consumer stopping: leave no worker behind
            for process in list(executor._processes.values()):  # no public API before 3.14
                process.terminate()
            executor.shutdown(wait=True, cancel_futures=True)
            raise
    for path in sorted(unfinished):
        try:
            with ProcessPoolExecutor(1, mp_context=context, initializer=_ignore_interrupts) as alone:
                yield alone.submit(_lint_chunk, [path]).result()
        except BrokenProcessPool:
            yield _worker_died(path, rules)


def lint_paths(paths: Iterable[str], ruleset: Ruleset, rules: Iterable[Rule] | None = None,
               exclude: Iterable[str] = (), gitignore: bool = False, jobs: int = 1,
               max_bytes: int = MAX_FILE_BYTES, input_format: str = "auto", mapping: dict | None = None,
               progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Lint every file under `paths`; with jobs > 1, in forked worker processes.
    Ctrl-C stops the run and returns what was gathered, marked `interrupted`."""
    global _WORKER
    chosen = list(ruleset.rules if rules is None else rules)
    files = collect_files(paths, exclude, gitignore)
    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    result = RunResult()
    _WORKER = (ruleset, chosen, max_bytes, input_format, mapping)
    try:
        if jobs > 1 and len(chunks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            parts = _run_parallel(chunks, jobs, chosen)
        else:
            parts = (_lint_chunk([path]) for path in files)
        for part in parts:
            result.merge(part)
            if progress is not None:
                progress(result.files_checked, len(files))
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        _WORKER = None
    result.findings.sort()
    result.files.sort()
    return result
