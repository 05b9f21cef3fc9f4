"""Which reader a file name or a text's start chooses: the name endings of the input
kinds (from provlint.vocabulary) and the gzip ending read through."""

from __future__ import annotations

from provlint.vocabulary import INPUT_KINDS

SUFFIXES = {suffix: kind for kind, suffixes in INPUT_KINDS.items() for suffix in suffixes}


GZIP_SUFFIX = ".gz"  # `feed.jsonl.gz` is read as `feed.jsonl` is, once decompressed


def is_gzipped(name: str) -> bool:
    return name.lower().endswith(GZIP_SUFFIX)


def reader_by_name(name: str) -> str | None:
    """The reader a file name's ending chooses (a `.gz` after it aside), if any."""
    lowered = name.lower()
    if lowered.endswith(GZIP_SUFFIX):
        lowered = lowered[: -len(GZIP_SUFFIX)]
    for suffix, kind in SUFFIXES.items():
        if lowered.endswith(suffix):
            return kind
    return None


def looks_like_html(start: str) -> bool:
    return start.lstrip()[:200].lower().startswith(("<!doctype html", "<html"))
