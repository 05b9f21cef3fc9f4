"""Files that share an article's name ending but hold no article: a JSON Schema, a
provlint report, a requirements.txt. A reader notes why in the `not_an_article` fact;
a folder walk then skips such a file (a file named explicitly is linted all the same).

Only what no article dump can look like is recognised: a dump is never skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

FACT = "not_an_article"

# A requirement line (PEP 508 name, extras, version specifiers, markers, comment), an
# option line (`-r other.txt`, `--index-url …`) or a comment.
_REQUIREMENT = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9._,\s-]*\])?"
    r"\s*(?:(?:===|==|>=|<=|~=|!=|<|>)\s*[A-Za-z0-9.*+!_-]+"
    r"(?:\s*,\s*(?:===|==|>=|<=|~=|!=|<|>)\s*[A-Za-z0-9.*+!_-]+)*)?"
    r"\s*(?:;[^#]*)?(?:\s+#.*)?")
_OPTION = re.compile(r"--?[A-Za-z][A-Za-z-]*(?:[\s=]\S.*)?")
# The closing line of provlint's text reports (full, concise, statistics).
_CLOSING = re.compile(r"\d+ findings? \(\d+ errors?, \d+ warnings?, \d+ info\) in \d+ files?\b.*")


def text_reason(text: str) -> str | None:
    """Why text read as a dump is no dump: a pip requirements file, or a provlint text
    report (which ends with its closing line). None for anything else; the lines are
    looked at up to the first that no requirements file holds."""
    end = len(text)  # the last line, found from the end without copying the text
    while end and text[end - 1].isspace():
        end -= 1
    last = text[text.rfind("\n", 0, end) + 1 : end].strip()
    if " finding" in last and _CLOSING.fullmatch(last):
        return "a provlint report"
    pinned = False  # bare names alone could be a list of words; a version or an option says pip
    for raw in _lines(text):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not _may_be_pip(line):  # a dump's first line, without asking the patterns
            return None
        option = _OPTION.fullmatch(line)
        if not option and not _REQUIREMENT.fullmatch(line):
            return None
        pinned = pinned or bool(option) or bool(re.search(r"[=<>~!]", line.split("#")[0]))
    return "a pip requirements file" if pinned else None


def _may_be_pip(line: str) -> bool:
    """Whether `_OPTION` or `_REQUIREMENT` may match the (stripped) line: it opens with `-`,
    or with an ASCII letter or digit and holds no `:` or `/` before its marker (`;`) or
    comment (`#`), which a dump's header (its URL and time) and most titles do."""
    if line.startswith("-"):
        return True
    if not (line[0].isascii() and line[0].isalnum()):
        return False
    end = len(line)
    for mark in (";", "#"):
        found = line.find(mark, 0, end)
        if found >= 0:
            end = found
    return line.find(":", 0, end) < 0 and line.find("/", 0, end) < 0


_HEAD = 256


def _lines(text: str) -> Iterator[str]:
    """`text.splitlines()`, the first line and a character (at most a few hundred
    characters) split first, then four times as many at each step: the first line of most
    texts (a dump's) decides."""
    newline = text.find("\n", 0, _HEAD)
    done, size = 0, newline + 2 if newline >= 0 else _HEAD
    while len(text) - done > size:
        head = text[done : done + size].splitlines(keepends=True)
        # The head's last line may be cut short (or a CR LF cut apart): it is split again with the rest.
        for line in head[:-1]:
            yield line.splitlines()[0]
        done += sum(len(line) for line in head[:-1])
        size *= 4
    yield from text[done:].splitlines()


def json_reason(data: Any) -> str | None:
    """Why parsed JSON is not article records, as far as its shape alone tells: a JSON
    Schema, a SARIF log, a provlint or GitLab report, a package manifest. (JSON whose
    records hold none of the article fields is found by the JSON reader, which knows
    the fields.)"""
    if isinstance(data, list):
        records = [item for item in data if isinstance(item, dict)]
        if records and len(records) == len(data):
            reasons = {record_reason(record) for record in records}
            if len(reasons) == 1:
                return reasons.pop()
        return None
    if not isinstance(data, dict):
        return None
    if "runs" in data and "version" in data and isinstance(data.get("runs"), list):
        return "a SARIF log"
    if "$schema" in data or (isinstance(data.get("properties"), dict)
                             and any(key in data for key in ("type", "$id", "$defs", "definitions", "required"))):
        return "a JSON Schema"
    if isinstance(data.get("findings"), list) and "files_checked" in data:
        return "a provlint report"
    if "version" in data and any(key in data for key in ("dependencies", "devDependencies", "scripts")):
        return "a package manifest"
    return None


def record_reason(record: dict[str, Any]) -> str | None:
    """Why one JSON object (a JSONL line, an array item) is no article record: a finding
    of provlint's JSON/JSONL report, an entry of a GitLab code quality report."""
    if {"rule", "severity", "message"} <= record.keys():
        return "a provlint report"
    if {"check_name", "location"} <= record.keys():
        return "a GitLab code quality report"
    return None


NO_FIELDS = "JSON with none of the article fields (title, url, body, published, author, publisher, …)"
