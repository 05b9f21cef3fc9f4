"""Realistic HTML pages and JSONL feeds for benchmarks (run by hand), beside generate.py's dumps.

    python benchmarks/shapes.py html 10000 /tmp/provlint-html-10k
    python benchmarks/shapes.py jsonl 1000 /tmp/provlint-jsonl-1k

html: the real pages of ../shared/realworld (or the folder given with --pages), each copy
made its own by a comment that names its index (so no two files are alike and no cache
or reuse of identical content shortens a run); the pages stay on this machine, never in
the repository. jsonl: files of NewsAPI-sized records (source, author, title,
description, url, urlToImage, publishedAt, content cut at 200 characters with its
"[+N chars]" tail), RECORDS_PER_FILE to a file, about 3% with a template variable as
title.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, UTC
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import AUTHORS, OUTLETS, SENTENCES, body, numbered  # noqa: E402

REAL_PAGES = HERE.parent.parent / "shared" / "realworld"
RECORDS_PER_FILE = 100


def real_pages(folder: Path) -> list[bytes]:
    pages = [path.read_bytes() for path in sorted(folder.rglob("*.html"))]
    if not pages:
        raise SystemExit(f"no .html pages under {folder}")
    return pages


def write_html(count: int, target: Path, pages: list[bytes]) -> None:
    """`count` pages in folders of 1,000: page `index % len(pages)`, marked with its index."""
    for index in range(count):
        numbered(target, index, ".html").write_bytes(pages[index % len(pages)] + f"\n<!-- copy {index} -->\n".encode())


def record(index: int, rng: random.Random) -> dict:
    host, outlet, locale = OUTLETS[index % len(OUTLETS)]
    published = datetime(2021, 1, 1, 8, tzinfo=UTC) + timedelta(minutes=index * 37)
    text = body(locale, rng)
    title = rng.choice(SENTENCES[locale]).format(n=index % 97).rstrip(".")
    entry = {
        "source": {"id": None, "name": outlet},
        "author": AUTHORS[index % len(AUTHORS)],
        "title": title,
        "description": text.split(". ")[0] + ".",
        "url": f"https://{host}/{published:%Y/%m/%d}/story-{index}.html",
        "urlToImage": f"https://{host}/img/{index}.jpg",
        "publishedAt": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "content": f"{text[:200]}… [+{len(text) - 200} chars]",
    }
    if rng.random() < 0.03:
        entry["title"] = "{{ article.title }}"
    return entry


def write_jsonl(count: int, target: Path) -> None:
    """`count` JSONL files of RECORDS_PER_FILE records each; the same files for the same count."""
    rng = random.Random(20220221)
    for index in range(count):
        lines = (json.dumps(record(index * RECORDS_PER_FILE + number, rng), ensure_ascii=False)
                 for number in range(RECORDS_PER_FILE))
        numbered(target, index, ".jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shape", choices=["html", "jsonl"])
    parser.add_argument("count", type=int, help="how many files to write")
    parser.add_argument("target", type=Path, help="the folder to write them in (created)")
    parser.add_argument("--pages", type=Path, default=REAL_PAGES, help="real pages to copy (html)")
    args = parser.parse_args(argv)
    if args.shape == "html":
        write_html(args.count, args.target, real_pages(args.pages))
    else:
        write_jsonl(args.count, args.target)
    print(f"{args.count} {args.shape} files in {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
