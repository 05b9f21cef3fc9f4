"""What the real-world harnesses share: finding the pages of a folder, decoding a page for
people to read, and running provlint on files through its CLI (never its internals, which
change under the harnesses).
"""

from __future__ import annotations

import codecs
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_FOLDER = REPO.parent / "shared" / "realworld"
PAGE_SUFFIXES = (".html", ".htm")
SEVERE = ("error", "warning")
# Enough paths per provlint run to keep the command line far below the OS limit.
PATHS_PER_RUN = 1000
# The charset of a <meta charset> or http-equiv Content-Type, as the HTML prescan finds it.
META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# schema.org types whose item is an article (the last part of @type, "schema:NewsArticle" too).
ARTICLE_TYPES = {
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "BlogPosting", "LiveBlogPosting",
    "SatiricalArticle", "Report", "TechArticle", "ScholarlyArticle", "SocialMediaPosting", "DiscussionForumPosting",
}


def schema_types(node: dict) -> set[str]:
    """The types of a schema.org node, by their last part ("schema:NewsArticle" and
    "http://schema.org/NewsArticle" are both NewsArticle)."""
    kinds = node.get("@type")
    return {re.split(r"[/:#]", str(kind))[-1] for kind in (kinds if isinstance(kinds, list) else [kinds])}


@dataclass(frozen=True)
class Finding:
    """One finding of `provlint check --format json`, on the file it names."""

    path: Path
    line: int | None
    column: int | None
    rule: str
    name: str
    category: str
    severity: str
    message: str

    @property
    def severe(self) -> bool:
        return self.severity in SEVERE


def pages_in(folders: Iterable[Path]) -> list[tuple[Path, str]]:
    """Every .html/.htm page under the folders, sorted, with the name it is shown by: its path
    relative to its folder (prefixed with the folder's name when there are several)."""
    folders = list(folders)
    pages = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in PAGE_SUFFIXES and path.is_file():
                shown = path.relative_to(folder).as_posix()
                pages.append((path, f"{folder.name}/{shown}" if len(folders) > 1 else shown))
    return pages


def decode_page(raw: bytes) -> str:
    """A page's text the way a browser would most likely read it: a BOM, else UTF-8 when the
    bytes are valid UTF-8, else the charset the page declares, else windows-1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = META_CHARSET.search(raw[:4096])
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return raw.decode("cp1252", errors="replace")


def text_lines(text: str) -> list[str]:
    """Lines numbered as provlint numbers them (CRLF, CR and LF each end a line)."""
    return LINE_BREAK.split(text)


def excerpt(line_text: str, column: int | None, width: int = 300) -> str:
    """About `width` characters of a line around a 1-based column, white space folded."""
    start = max(0, min(len(line_text), (column or 1) - 1) - width // 3)
    end = start + width
    piece = " ".join(line_text[start:end].split())
    return ("…" if start > 0 else "") + piece + ("…" if end < len(line_text) else "")


def default_provlint() -> list[str]:
    found = shutil.which("provlint")
    return [found] if found else [sys.executable, "-m", "provlint"]


def provlint_command(given: str | None) -> list[str]:
    return shlex.split(given) if given else default_provlint()


def provlint_version(command: Sequence[str]) -> str:
    completed = subprocess.run([*command, "--version"], capture_output=True, text=True, cwd=tempfile.gettempdir())
    return completed.stdout.strip() or completed.stderr.strip()


def check(command: Sequence[str], paths: Sequence[Path]) -> tuple[int, list[Finding]]:
    """Run `provlint check --no-cache --format json --exit-zero` on the paths (a folder or
    files), from a folder of its own so that no config file is found; return the number of
    files checked and the findings, each on the path of the file it names (a JSON record's
    `file.json#/articles/3` or `file.jsonl:2` on its file)."""
    files_checked, findings = 0, []
    # provlint runs elsewhere, so it is given absolute paths; findings come back on the caller's.
    known = {str(path.resolve()): path for path in paths}
    absolute = list(known)
    for start in range(0, len(absolute), PATHS_PER_RUN):
        batch = absolute[start:start + PATHS_PER_RUN]
        with tempfile.TemporaryDirectory(prefix="provlint-harness-") as cwd:
            completed = subprocess.run([*command, "check", "--no-cache", "--format", "json", "--exit-zero", *batch],
                                       capture_output=True, text=True, cwd=cwd)
        if completed.returncode != 0:
            raise SystemExit(f"provlint failed (exit {completed.returncode}):\n{completed.stderr}")
        report = json.loads(completed.stdout)
        files_checked += report["files_checked"]
        for finding in report["findings"]:
            path = finding["path"]
            if path not in known:
                path = re.sub(r"(#/.*|:\d+)$", "", path)
            findings.append(Finding(known.get(path, Path(path)), finding["line"], finding["column"], finding["rule"],
                                    finding["name"], finding["category"], finding["severity"], finding["message"]))
    return files_checked, findings
