"""`provenance-json`: the provenance report (`provenance`) as JSON, for machines."""

from __future__ import annotations

from typing import TextIO

from provlint.escaping import json_text
from provlint.reporters import Report
from provlint.reporters.provenance import summary


def report(result: Report, stream: TextIO) -> None:
    stream.write(json_text({"version": result.version, "files_checked": result.files_checked, **summary(result)},
                           indent=2) + "\n")
