"""What the cache holds of a run: the scope that keys its entries (the code, rules and
settings that decide findings), and each file's result as a payload, decoded only when it
speaks of that file."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from provlint.findings import FILE, PATH, RECORD, finding_from_values, finding_values
from provlint.model import Finding, Signature

if TYPE_CHECKING:
    from provlint.rulepack import Rule, Ruleset

HEAD_FIELDS = 7  # `signature_head`
FINDING_FIELDS = len(Finding.__dataclass_fields__)


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack(value: Any) -> bytes:
    """JSON bytes of plain values, by orjson; by the standard module what orjson refuses (a
    lone surrogate, from an escape in a JSON input, or an integer past 64 bits)."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def unpack(data: bytes) -> Any:
    """What `pack` wrote; ValueError when it is not JSON."""
    try:
        return orjson.loads(data)
    except ValueError:  # surrogates, written by the standard module: it reads them back
        return json.loads(data.decode("utf-8", "surrogatepass"))


def encode(shown: str, findings: list[Finding], files: list[str], lines: dict[tuple[str, int], str],
           signatures: list[Signature] | None = None) -> bytes:
    """A file's result: a JSON head (its findings, files, the lines around the findings and
    the head of each corpus signature, `signature_head`), then each signature's record on a
    line of its own, as the corpus index spills it (`spilled_record`): a cached run reads
    the head and hands the records on as they are. A file with no findings and no corpus
    signature (most, when no corpus rule runs) is nothing. No checksum: the cache signs
    each payload."""
    if not findings and not lines and files == [shown] and not signatures:
        return b""
    head = pack([
        [finding_values(finding) for finding in findings],  # `Finding.as_record`, made at C speed
        files,
        [[path, number, text] for (path, number), text in lines.items()],
        [signature_head(signature) for signature in signatures or ()],
    ])
    # JSON holds no raw line break (one in a text is written `\n`): the lines split apart.
    return b"\n".join([head, *map(spilled_record, signatures or ())])


def signature_head(signature: Signature) -> list[Any]:
    """What the corpus index keeps of a signature in memory, and the paths `decode` checks:
    path, file, domain, publication instant, URL, MinHash (hex) and operator ids."""
    return [signature.path, signature.file, signature.domain, signature.published, signature.url,
            signature.minhash.hex(), signature.operator_ids]


def spilled_record(signature: Signature) -> bytes:
    """A signature's fields as JSON, all but its MinHash (the index keeps that apart): what
    the corpus index spills, read back only for the documents a finding is about."""
    return pack([*signature[:8], "", *signature[9:]])


class Stored(NamedTuple):
    """A cached file's result: its findings as their values (`finding_values`), files, the
    source lines around the findings as (path, line, text) records, and its corpus
    signatures as (head, spilled record) pairs (`encode`): the spool and the index take
    them as they are, and a report that shows no code frames never makes the lines a dict."""

    findings: list[tuple]
    files: list[str]
    lines: list[list[Any]]
    signatures: list[tuple[list[Any], bytes]]

    def source_lines(self) -> dict[tuple[str, int], str]:
        return {(path, number): text for path, number, text in self.lines}


def decode_own(shown: str, payload: bytes) -> Stored:
    """The result `encode` wrote, unchecked (`decode` checks it). ValueError or TypeError
    when the payload is damaged."""
    if not payload:
        return Stored([], [shown], [], [])
    head, *spilled = payload.split(b"\n")
    records, files, lines, heads = unpack(head)
    if len(heads) != len(spilled):
        raise ValueError("not a payload")
    return Stored(list(map(values_from_record, records)), files, lines, list(zip(heads, spilled)))


def decode(shown: str, payload: bytes) -> Stored | None:
    """The result a signed payload holds, or None when the payload is damaged in any way or
    speaks of another file than `shown`."""
    # Loops, not `all()` over generators: a cached run decodes every file's payload.
    try:
        result = decode_own(shown, payload)
        for values in result.findings:
            if (values[FILE] or values[PATH]) != shown or not _of_record(values, shown):
                return None
        for path in result.files:
            if path != shown:
                return None
        for line in result.lines:
            if len(line) != 3 or not _of_file(line[0], shown):
                return None
        for head, _ in result.signatures:
            if len(head) != HEAD_FIELDS or head[1] != shown or not _of_file(head[0], shown):
                return None
        return result
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def finding_from_record(record: list[Any]) -> Finding:
    """A finding from the cache's record of it (`Finding.as_record`)."""
    return finding_from_values(values_from_record(record))


def values_from_record(record: list[Any]) -> tuple:
    """A finding's values (`finding_values`) from the cache's record of it
    (`Finding.as_record`: every field, in order), its places and values tuples again."""
    if len(record) != FINDING_FIELDS:
        raise ValueError("not a finding")
    related, pointer, others, values = record[12:]
    return (*record[:12], tuple(map(tuple, related)) if related else (), pointer,
            tuple(map(tuple, others)) if others else (), tuple(map(tuple, values)) if values else ())


def _of_file(path: str, shown: str) -> bool:
    """The file itself, or a record inside it (`file.jsonl:12`, `file.json#/articles/3`)."""
    return path == shown or (path.startswith(shown) and path[len(shown) : len(shown) + 1] in (":", "#"))


def _of_record(values: tuple, shown: str) -> bool:
    """A finding's record pointer (`#/articles/3`, SARIF's logical location) is a pointer
    and agrees with its path: `file.json#/articles/3`, or a line of a JSONL file."""
    record = values[RECORD]
    if record == "":
        return True
    inside = values[PATH][len(shown):]
    return isinstance(record, str) and record.startswith("#/") and (inside == record or inside.startswith(":"))


CODE_SUFFIXES = (".py", ".json", ".yaml", ".yml")


def code_digest(package: Path | None = None) -> str:
    """The provlint code and data in use (`package`, provlint's folder by default): an edit
    (or a new version) starts a new scope. Reading every file costs more than the rest of
    a cached run's start, so the digest is kept beside the signing key, signed, with the
    files' sizes, times and inodes it was made from (a write always moves a file's change
    time), and made again when any of them moved, or moved too recently to tell."""
    from provlint.engine.cache import RACY_NS  # here, not at the top: a run without the cache never loads it

    folder = str(package or Path(__file__).resolve().parent.parent)
    listed = []
    for place, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        listed += [os.path.join(place, name) for name in names if name.endswith(CODE_SUFFIXES)]
    listed.sort()
    stamp = hashlib.sha256(folder.encode("utf-8", "surrogateescape"))
    moment = time.time_ns() - RACY_NS
    recent = False
    for path in listed:
        status = os.stat(path)
        recent = recent or max(status.st_mtime_ns, status.st_ctime_ns) >= moment
        stamp.update(f"\0{path}\0{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}"
                     .encode("utf-8", "surrogateescape"))
    memo = None if recent else _CodeMemo(folder, stamp.hexdigest())
    known = memo.read() if memo is not None else None
    if known is not None:
        return known
    digest = hashlib.sha256()
    for path in listed:
        relative = os.path.relpath(path, folder).replace(os.sep, "/")
        with open(path, "rb") as stream:
            digest.update(relative.encode("utf-8", "surrogateescape") + b"\0" + stream.read() + b"\0")
    if memo is not None:
        memo.write(digest.hexdigest())
    return digest.hexdigest()


class _CodeMemo:
    """The code digest last made from files with this stamp, in the user's cache home
    beside the signing key (never in a shared cache folder), signed with it: a memo that
    does not verify is made again, never trusted."""

    def __init__(self, folder: str, stamp: str) -> None:
        from provlint.engine.cache import key_file

        self.stamp = stamp
        named = hashlib.sha256(folder.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.path = key_file().parent / f"code-{named}"

    def _mac(self, key: bytes, digest: str) -> str:
        import hmac

        return hmac.new(key, f"{self.stamp}\0{digest}".encode("ascii"), "sha256").hexdigest()

    def read(self) -> str | None:
        import hmac

        from provlint.engine.cache import signing_key

        try:
            descriptor = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(descriptor, "rb") as stream:
                stamp, digest, mac = stream.read(400).decode("ascii").split()
            key = signing_key()
        except (OSError, RuntimeError, ValueError):  # absent, unreadable, damaged, no key
            return None
        return digest if stamp == self.stamp and hmac.compare_digest(mac, self._mac(key, digest)) else None

    def write(self, digest: str) -> None:
        from provlint.engine.cache import signing_key, write_private

        with contextlib.suppress(OSError, RuntimeError):
            write_private(self.path, f"{self.stamp} {digest} {self._mac(signing_key(), digest)}\n".encode("ascii"))


def scope_of(ruleset: Ruleset, rules: list[Rule], settings: dict[str, Any]) -> str:
    """Everything besides a file's content that decides its findings, as one digest."""
    parts = {
        "code": code_digest(),
        "rule_files": ruleset.files,
        "rules": [[rule.id, rule.severity] for rule in rules],
        # A rule's schema file can be edited without touching the rule.
        "schemas": {rule.id: _schema_digest(rule) for rule in rules if rule.check == "schema"},
        "settings": settings,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _schema_digest(rule: Rule) -> str:
    """What a schema rule validates with: an inline schema is in its rule file (hashed
    already); a schema file it names is read again here, without loading the check kind."""
    from provlint.files import read_regular_file, schema_file
    from provlint.rulepack import MAX_RULE_FILE_BYTES, SCHEMAS

    source = rule.options["schema"]
    if not isinstance(source, str) or source.lstrip().startswith("{"):
        return "inline"
    try:
        data = read_regular_file(schema_file(source, rule.source, SCHEMAS), MAX_RULE_FILE_BYTES)
    except (OSError, ValueError) as exc:  # it loaded with its rule, so it changed since: no reuse
        return f"unreadable: {exc}"
    return hashlib.sha256(data).hexdigest()
