"""What the cache holds of a run: the scope that keys its entries (the code, rules and
settings that decide findings), and each file's result as a checksummed payload, decoded
only when it speaks of that file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provlint.model import Finding, Signature, signature_from_record, signature_record

if TYPE_CHECKING:
    from provlint.rulepack import Rule, Ruleset

CLEAN_CHECKSUM = hashlib.sha256(b"").hexdigest().encode("ascii")


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode(shown: str, findings: list[Finding], files: list[str], lines: dict[tuple[str, int], str],
           signatures: list[Signature] | None = None) -> bytes:
    """A file's result with its checksum; a file with no findings and no corpus signature
    (most, when no corpus rule runs) as an empty body."""
    if not findings and not lines and files == [shown] and not signatures:
        return CLEAN_CHECKSUM + b"\n"
    body = json.dumps([
        [finding.as_record() for finding in findings],
        files,
        [[path, number, text] for (path, number), text in lines.items()],
        [signature_record(signature) for signature in signatures or ()],
    ], ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


Stored = tuple[list[Finding], list[str], dict[tuple[str, int], str], list[Signature]]


def decode(shown: str, payload: bytes) -> Stored | None:
    """The stored result (findings, files, source lines, corpus signatures), or None when
    the payload is damaged in any way or speaks of another file than `shown`."""
    try:
        checksum, body = payload.split(b"\n", 1)
        if hashlib.sha256(body).hexdigest().encode("ascii") != checksum:
            return None
        if not body:
            return [], [shown], {}, []
        records, files, lines, kept = json.loads(body.decode("utf-8", "surrogatepass"))
        findings = [Finding.from_record(record) for record in records]
        source_lines = {(path, number): text for path, number, text in lines}
        signatures = [signature_from_record(record) for record in kept]
        if not (all(finding.file_path == shown and _of_record(finding, shown) for finding in findings)
                and all(path == shown for path in files) and all(_of_file(path, shown) for path, _ in source_lines)
                and all(signature.file == shown and _of_file(signature.path, shown) for signature in signatures)):
            return None
        return findings, list(files), source_lines, signatures
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _of_file(path: str, shown: str) -> bool:
    """The file itself, or a record inside it (`file.jsonl:12`, `file.json#/articles/3`)."""
    return path == shown or (path.startswith(shown) and path[len(shown) : len(shown) + 1] in (":", "#"))


def _of_record(finding: Finding, shown: str) -> bool:
    """A finding's record pointer (`#/articles/3`, SARIF's logical location) is a pointer
    and agrees with its path: `file.json#/articles/3`, or a line of a JSONL file."""
    record = finding.record
    if record == "":
        return True
    inside = finding.path[len(shown):]
    return isinstance(record, str) and record.startswith("#/") and (inside == record or inside.startswith(":"))


def code_digest() -> str:
    """The provlint code and data in use: an edit (or a new version) starts a new scope."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".yaml", ".yml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


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
