"""Linting one document and one file: every rule on a parsed document (a failing check
costs one finding, not the run), each finding's fingerprint and its place in a record;
and a file read, hashed for the cache and linted, as a worker does it."""

from __future__ import annotations

import bisect
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mypy_extensions import mypyc_attr

from provlint.checks import CHECKS, GROUPS, GroupPass
from provlint.checks.corpus import Settings, settings, signature
from provlint.engine.reuse import content_digest, encode
from provlint.findings import NO_FINDINGS, Findings
from provlint.model import Block, Document, Finding, Signature
from provlint.patterns import PatternTimeout, start_budget
from provlint.readers import read_file, read_raw, read_texts
from provlint.readers.notarticle import FACT as NOT_AN_ARTICLE
from provlint.rulepack import Rule, Ruleset
from provlint.selection import INTERNAL_ERROR
from provlint.vocabulary import INPUT_FACTS

if TYPE_CHECKING:
    from provlint.engine.reuse import Stored

# Facts that mean the file was not parsed, so only `input` rules apply to it.
UNPARSED = tuple(fact for fact, unparsed in INPUT_FACTS.items() if unparsed)
MAX_FILE_BYTES = 10_000_000
MAX_FRAME_LINE = 20_000


# This module's classes stay plain Python classes when it is compiled (as model.Finding):
# results and tasks are pickled to and from a cluster's workers, the frozen ones may be
# hashed, which mypyc's native classes do not support. Its functions are compiled.
@mypyc_attr(native_class=False)
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
    # With a baseline (api.apply_baseline): the findings it hides, and its entries that no longer occur.
    suppressed: Findings = NO_FINDINGS
    stale: int = 0
    # The corpus signatures of a file's documents (when corpus rules run): the run hands
    # them to its corpus index as each file is answered; they are not merged.
    signatures: list[Signature] = field(default_factory=list)
    # Wall seconds of the run's phases (`files`: walk, cache and linting; `corpus`: the
    # corpus pass), shown with PROVLINT_TIMINGS=1; not merged.
    timings: dict[str, float] = field(default_factory=dict)
    # A whole run's findings when they were not kept as a list (`Keep.findings`).
    spilled: Findings | None = None

    def in_order(self) -> Findings:
        """The findings in report order, wherever they are kept."""
        return self.spilled if self.spilled is not None else Findings.of(self.findings)

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



@dataclass
class _Plan:
    """How a list of rules runs over each document, worked out once per process: the
    `input` rules, then steps of other rules, each a kind's group pass over its rules
    (`prepare_group`) or one rule on its own (`run` None)."""

    rules: Sequence[Rule]  # kept: the plan is found by the list's identity
    size: int
    inputs: list[Rule]
    steps: list[tuple[list[Rule], GroupPass | None]]


# Plans by the identity of the rule list they were made for: a run lints every document
# with one list. A few lists at most are alive at once (rule tests make one per example).
_PLANS: dict[int, _Plan] = {}
MAX_PLANS = 32


def _plan(rules: Sequence[Rule]) -> _Plan:
    plan = _PLANS.get(id(rules))
    if plan is not None and plan.rules is rules and plan.size == len(rules):
        return plan
    by_kind: dict[str, list[Rule]] = {}
    for rule in rules:
        by_kind.setdefault(rule.check, []).append(rule)
    steps: list[tuple[list[Rule], GroupPass | None]] = []
    for kind, chosen in by_kind.items():
        if kind == "input":
            continue
        group = GROUPS.get(kind)
        run: GroupPass | None = None
        if group is not None:
            try:
                run = group(chosen)
            except Exception:  # noqa: BLE001 - the rules then run one by one, and a broken one is reported
                run = None
        elif kind in CHECKS:
            run = _in_turn(chosen)
        steps.extend([(chosen, run)] if run is not None else [([rule], None) for rule in chosen])
    plan = _Plan(rules, len(rules), by_kind.get("input", []), steps)
    if len(_PLANS) >= MAX_PLANS:
        _PLANS.clear()
    _PLANS[id(rules)] = plan
    return plan


def lint_document(document: Document, rules: Sequence[Rule]) -> list[Finding]:
    """Every rule on one parsed document; a failing check costs one finding, not the run."""
    plan = _plan(rules)
    findings: list[Finding] = []
    if document.facts:  # input rules read only the facts, and most files have none
        for rule in plan.inputs:
            _run_rule(rule, document, rules, findings)
        if any(document.facts.get(fact) for fact in UNPARSED):
            start_budget(None)
            return _finish(document, findings)
    for chosen, run in plan.steps:
        if run is not None:
            start_budget()  # the pass's look-around patterns share one time budget for this document
            try:
                findings += run(document)
            except Exception:  # noqa: BLE001 - the kind's rules run one by one, so only a broken one is reported
                run = None
        if run is None:
            for rule in chosen:
                _run_rule(rule, document, rules, findings)
    start_budget(None)
    return _finish(document, findings)


def _in_turn(rules: list[Rule]) -> GroupPass:
    """A kind without a group pass: its rules' checks one after another under one time
    budget and one guard (when one raises, they run again one by one, each guarded)."""
    chosen = [(CHECKS[rule.check], rule) for rule in rules]

    def run(document: Document) -> list[Finding]:
        findings: list[Finding] = []
        for check, rule in chosen:
            findings.extend(check(rule, document, rule.prepared))
        return findings

    return run


def _run_rule(rule: Rule, document: Document, rules: Sequence[Rule], findings: list[Finding]) -> None:
    """One rule's findings on the document, or the IN000 finding that says it failed."""
    start_budget()  # the rule's look-around patterns get one time budget for this document
    try:
        findings.extend(CHECKS[rule.check](rule, document, rule.prepared))
    except PatternTimeout as timeout:  # a name of its own: compiled, a name has one type
        findings.extend(_problem(document, rules, f"{rule.id} gave up on this file: {timeout}"))
    except Exception as exc:  # noqa: BLE001 - isolation: one broken check must not end the run
        message = f"internal error in {rule.id}: {type(exc).__name__}: {exc}"
        if os.environ.get("PROVLINT_DEBUG"):
            import traceback

            message += "\n" + traceback.format_exc()
        findings.extend(_problem(document, rules, message))


def _finish(document: Document, findings: list[Finding]) -> list[Finding]:
    """The findings sorted, each with its fingerprint (`fingerprint`) and its place in a
    record (a finding of a record that names no place points at the record and names it,
    by JSON pointer and URL; every finding of a record carries the pointer, SARIF's
    logical location). Each finding is copied once, with all its changes."""
    if not findings:
        return findings
    fingerprint = _fingerprinter(document)
    record = document.record
    finished: list[Finding] = []
    if record is None:
        for finding in findings:
            finished.append(_amended(finding, {"fingerprint": fingerprint(finding)}))
    else:
        name = f"record {record.pointer}" + (f", {record.url}" if record.url else "")
        for finding in findings:
            changes: dict[str, Any] = {"fingerprint": fingerprint(finding), "record": record.pointer}
            if finding.line is None:
                changes.update(line=record.line, column=record.column, end_line=record.end_line,
                               end_column=record.end_column, message=f"{finding.message} ({name})")
            finished.append(_amended(finding, changes))
    finished.sort(key=Finding.sort_key)
    return finished


def _amended(finding: Finding, changes: dict[str, Any]) -> Finding:
    """`dataclasses.replace` without its per-field work: a copy of the finding's fields
    with the changes, set at once (a frozen dataclass's constructor sets each field
    through `object.__setattr__`; every field is a plain value, checked by none)."""
    amended = object.__new__(Finding)
    fields = amended.__dict__
    fields.update(vars(finding))
    fields.update(changes)
    return amended


def _fingerprinter(document: Document) -> Callable[[Finding], str]:
    """What gives each finding its fingerprint: a hash of rule, path and the finding's block
    text plus its place in the block, so a finding keeps its fingerprint when blocks move
    to other lines or columns (a file-level finding hashes its message instead). A record
    of a JSON or JSONL file counts by its identity (URL or content), not its index or
    line, so inserting a record, or writing the file with other indentation, keeps the
    fingerprints of the others."""
    blocks = document.blocks
    record = document.record
    # The hash of rule, path and block text, made once per rule and block and copied for
    # each finding: a long block with many findings is not hashed once per finding.
    hashed: dict[tuple[str, str, int], Any] = {}

    def fingerprint(finding: Finding) -> str:
        where = f"{finding.file_path}\0{record.identity}" if record is not None else finding.path
        block: Block | None = None
        if finding.line is not None:
            # blocks are in (line, column) order
            index = bisect.bisect_right(blocks, (finding.line, finding.column or 1), key=_start) - 1
            if index >= 0 and blocks[index].line <= finding.line <= blocks[index].end_line:
                block = blocks[index]
        if block is None:
            anchor = f"{finding.rule}\0{where}\0{finding.message}"
            return hashlib.sha256(anchor.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        key = (finding.rule, where, id(block))
        digest = hashed.get(key)
        if digest is None:
            start = f"{finding.rule}\0{where}\0{' '.join(block.text.split())}"
            digest = hashed[key] = hashlib.sha256(start.encode("utf-8", "surrogatepass"))
        digest = digest.copy()
        line = (finding.line or 0) - block.line
        column = (finding.column or 0) - block.column + 1 if line == 0 else finding.column  # 1 at the block's start
        digest.update(f"\0{line}:{column}".encode())
        return digest.hexdigest()[:32]

    return fingerprint


def _start(block: Block) -> tuple[int, int]:
    return block.line, block.column


def _problem(document: Document, rules: Sequence[Rule], message: str) -> list[Finding]:
    """A failing rule, reported by the IN000 rule as selected and configured (none if ignored);
    looked up only when a rule fails, not for every document."""
    internal = next((rule for rule in rules if rule.id == INTERNAL_ERROR), None)
    if internal is None:
        return []
    return [Finding(path=document.path, line=None, column=None, rule=internal.id, name=internal.name,
                    category=internal.category, severity=internal.severity, message=message, file=document.file)]


def lint_text(text: str, ruleset: Ruleset, path: str = "<text>", rules: Iterable[Rule] | None = None,
              input_format: str = "auto") -> list[Finding]:
    """Findings for text in any input kind (a dump, a JSON record, an HTML page)."""
    chosen = list(ruleset.rules if rules is None else rules)
    documents = read_texts(path, text, ruleset.table, input_format)
    return sorted(f for document in documents for f in lint_document(document, chosen))


@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class Reading:
    """How each file is read: past `max_bytes` it is `too_large`; `input_format` is the
    kind (auto: by name ending and content); `mapping` names the fields of JSON records."""

    max_bytes: int = MAX_FILE_BYTES
    input_format: str = "auto"
    mapping: dict | None = None


DEFAULT_READING = Reading()


@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class Keep:
    """What a run keeps of each file for its report besides the findings: the lines around
    each finding (code frames) and the list of files checked (JUnit's passing test cases).
    A report that shows neither spares the memory: hundreds of MB at a million files."""

    frames: bool = True
    files: bool = True
    # The findings as a list (the API), or left in the run's spill file, read back in order
    # for each report (the CLI): a list of a million files' findings takes about a GB.
    findings: bool = True


KEEP_ALL = Keep()


@mypyc_attr(native_class=False)
@dataclass(frozen=True)
class Job:
    """What every file of a run is linted with; built once per process."""

    ruleset: Ruleset
    rules: list[Rule]
    reading: Reading = DEFAULT_READING
    caching: bool = False  # encode each result for the cache (in the worker, in parallel)
    # How each document's corpus signature is made; None when no corpus rule runs. Read for
    # every file, so worked out once, here (compiled, a `cached_property` is not cached).
    corpus: Settings | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        corpus = settings(self.rules) if any(rule.check == "corpus" for rule in self.rules) else None
        object.__setattr__(self, "corpus", corpus)  # frozen


@mypyc_attr(native_class=False)
@dataclass(frozen=True, slots=True)  # a run holds one per file: 40 MB less at a million
class Task:
    path: str
    shown: str  # the path as findings show it, decided where the run started
    known_digest: str | None = None  # content hash of a cached result, reused if unchanged
    named: bool = False  # named explicitly: linted even if it holds no article


@mypyc_attr(native_class=False)
@dataclass
class FileResult:
    """What linting one file gave, with what the cache keeps of it."""

    shown: str
    size: int | None = None
    mtime_ns: int | None = None
    digest: str | None = None  # None: not hashed (no cache, or not a regular readable file)
    # None: content unchanged since it was cached. Stored: a worker's result read back from
    # its payload, the form of it that crossed from the worker (`workers._plain`).
    part: RunResult | Stored | None = None
    payload: bytes | None = None
    # The part's corpus signatures as the index keeps them, when a worker without the cache
    # made them so (`corpus.index_entry`); `part.signatures` is then empty.
    entries: list[tuple] = field(default_factory=list)


# Each step's results are taken once, in order: a runner may rebuild them as they are taken.
Runner = Callable[[list[Task]], Iterator[Iterable[FileResult]]]


def lint_file(task: Task, job: Job) -> FileResult:
    """One file, read once: its content hash, then (unless unchanged) its findings."""
    raw = read_file(task.path, job.reading.max_bytes)
    outcome = FileResult(task.shown)
    if job.caching and raw.data is not None and raw.status is not None:
        outcome.size, outcome.mtime_ns = raw.status.st_size, raw.status.st_mtime_ns
        outcome.digest = content_digest(raw.data)
        if outcome.digest == task.known_digest:
            return outcome
    part = RunResult()
    outcome.part = part
    # read_raw never raises: a file that breaks its reader is one `read_failed` document.
    reading = job.reading
    documents = read_raw(task.shown, raw, job.ruleset.table, reading.input_format, reading.mapping)
    # Nothing about a file that holds no article is cached: whether it is linted depends
    # on how it was found, which the cache does not key on.
    article = not documents or not all(NOT_AN_ARTICLE in document.facts for document in documents)
    if not article and not task.named:
        part.skipped.append((task.shown, documents[0].facts[NOT_AN_ARTICLE]))
        return outcome
    lasting = article
    corpus = job.corpus
    for document in documents:
        lasting = lasting and "read_failed" not in document.facts
        part.add(document, job.rules)
        if corpus is not None and not any(document.facts.get(fact) for fact in UNPARSED):
            made = signature(document, corpus)
            if made is not None:
                part.signatures.append(made)
    part.files_checked = 1
    # An internal error, a reader that failed or a pattern timeout says nothing lasting
    # about the file: not cached.
    if outcome.digest is not None and lasting and not any(f.rule == INTERNAL_ERROR for f in part.findings):
        outcome.payload = encode(task.shown, part.findings, part.files, part.source_lines, part.signatures)
    return outcome


def lint_tasks(tasks: list[Task], job: Job) -> list[FileResult]:
    return [lint_file(task, job) for task in tasks]
