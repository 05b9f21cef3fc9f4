"""`gitlab`: GitLab Code Quality report (a JSON array)."""

from __future__ import annotations

import hashlib
from typing import TextIO

from provlint.escaping import json_text
from provlint.reporters import Report, relative

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def document(result: Report) -> list[dict]:
    issues, seen = [], set()
    for finding in result.findings:
        fingerprint = finding.fingerprint or hashlib.md5(repr(finding.sort_key()).encode()).hexdigest()
        while fingerprint in seen:  # GitLab needs unique fingerprints
            fingerprint = hashlib.md5(fingerprint.encode()).hexdigest()
        seen.add(fingerprint)
        issues.append({
            "description": f"{finding.rule} {finding.message}",
            "check_name": finding.rule,
            "fingerprint": fingerprint,
            "severity": SEVERITY[finding.severity],
            "location": {"path": relative(finding.file_path), "lines": {"begin": finding.line or 1}},
        })
    return issues


def report(result: Report, stream: TextIO) -> None:
    stream.write(json_text(document(result), indent=2, floats=False) + "\n")
