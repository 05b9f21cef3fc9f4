"""The findings on real inputs stay what they were unless a change means to change them.

A restructuring (the engine split, a faster per-document path) must give the same findings
in the same order, byte for byte. This test runs the real CLI over the seed, generated
benchmark dumps and NewsAPI feeds, the shared sample corpus and the shared real-world pages
(those two when present), and compares every finding (file, line, column, end, rule,
severity and a hash of its message: the messages quote the pages, which stay out of the
repository) with tests/golden/findings.tsv.

A change that means to change findings rewrites the file and shows the difference in its
commit:

    python tests/test_same_findings.py --write
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from conftest import CORPUS, REPO, provlint

sys.path.insert(0, str(REPO / "benchmarks"))

from generate import write_corpus  # noqa: E402
from shapes import write_jsonl  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden" / "findings.tsv"
SHARED = REPO.parent / "shared"
GENERATED_DUMPS = 400
GENERATED_FEEDS = 2


def inputs(work: Path) -> dict[str, Path]:
    """Each input set by the name it has in the golden file; the shared ones when present."""
    write_corpus(GENERATED_DUMPS, work / "dumps")
    write_jsonl(GENERATED_FEEDS, work / "feeds")
    sets = {"seeds": REPO / "seeds", "dumps": work / "dumps", "feeds": work / "feeds"}
    for name, folder in (("corpus", CORPUS), ("realworld", SHARED / "realworld")):
        if folder.is_dir():
            sets[name] = folder
    return sets


def findings(work: Path) -> dict[str, list[str]]:
    """The findings of each input set, as golden lines, in the order the CLI reports them."""
    lines: dict[str, list[str]] = {}
    for name, folder in inputs(work).items():
        run = provlint("check", ".", "--no-cache", "--jobs", "1", "--format", "json", cwd=folder)
        assert run.code in (0, 1), run.err
        lines[name] = [
            "\t".join([name, f["path"], *(str(f[key]) for key in
                       ("line", "column", "end_line", "end_column", "rule", "severity")),
                       hashlib.sha256(f["message"].encode()).hexdigest()[:16]])
            for f in run.json()["findings"]]
    return lines


def golden() -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        lines.setdefault(line.split("\t", 1)[0], []).append(line)
    return lines


def test_findings_are_the_golden_ones(tmp_path):
    expected = golden()
    for name, got in findings(tmp_path).items():
        want = expected.get(name, [])
        if got != want:
            lost = [line for line in want if line not in set(got)]
            new = [line for line in got if line not in set(want)]
            raise AssertionError(f"{name}: {len(got)} findings, {len(want)} golden; lost {lost[:5]}; "
                                 f"new {new[:5]}; same set in another order: {not lost and not new}. "
                                 "If the change means it, run: python tests/test_same_findings.py --write")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="provlint-golden-") as folder:
        found = findings(Path(folder))
    missing = {"corpus", "realworld"} - set(found)
    if missing:
        sys.exit(f"not written: the shared {', '.join(sorted(missing))} folder is missing here")
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text("".join(line + "\n" for lines in found.values() for line in lines), encoding="utf-8")
    print(f"{sum(map(len, found.values()))} findings written to {GOLDEN}")
    print(json.dumps({name: len(lines) for name, lines in found.items()}))
