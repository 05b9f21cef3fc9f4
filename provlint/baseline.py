"""Baselines: record today's findings, then report only new ones.

Entries are keyed by fingerprint (rule, path and the block's text, not the line), so
a baseline survives blocks moving to other lines; a record of a JSON or JSONL file counts
by its URL or content, not its index, so it survives records inserted before others.
The file is stable-sorted JSON and diffs well in git.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from provlint.escaping import json_text
from provlint.findings import Findings
from provlint.model import Finding

VERSION = 1


class BaselineError(Exception):
    pass


def serialise(findings: Iterable[Finding]) -> str:
    entries = sorted(
        ({"fingerprint": f.fingerprint, "path": f.path, "rule": f.rule, "message": f.message} for f in findings),
        key=lambda e: (e["path"], e["rule"], e["fingerprint"], e["message"]),
    )
    return json_text({"version": VERSION, "findings": entries}, indent=2, sort_keys=True) + "\n"


def load(path: str) -> Counter[str]:
    """Fingerprints in a baseline file, with how often each was recorded."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return Counter(entry["fingerprint"] for entry in data["findings"])
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a provlint baseline: {exc}") from None


def apply(findings: Findings, baseline: Counter[str]) -> tuple[Findings, Findings, int]:
    """(new findings, findings the baseline hides, baseline entries that no longer occur):
    each entry hides one finding of its fingerprint, the first in report order."""

    def hiding(hidden: bool) -> Callable[[Iterator[Finding]], Iterator[Finding]]:
        def stage(found: Iterator[Finding]) -> Iterator[Finding]:
            remaining = Counter(baseline)
            for finding in found:
                hides = remaining[finding.fingerprint] > 0
                if hides:
                    remaining[finding.fingerprint] -= 1
                if hides == hidden:
                    yield finding
        return stage

    remaining = Counter(baseline)
    for finding in findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
    return findings.then(hiding(False)), findings.then(hiding(True)), sum(remaining.values())
