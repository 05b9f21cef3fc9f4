"""A file's steady-state cost in instructions, for callgrind (run by hand).

    python benchmarks/steady.py DIR WARM COUNT

lints the first WARM files of DIR (sorted), then the next COUNT: other
files, since patterns compile on first use and some memos are keyed by text, so linting
the warm-up files again would look cheaper than new files are. Run it twice under
callgrind, with COUNT 0 and with COUNT N, and subtract: the difference over N is what a
worker spends per file, reading, parsing, the rules and the corpus signature (not the
executor, the cache or the report). Instruction counts do not drift with the machine's
load as times do; compare builds by them.

    valgrind --tool=callgrind --callgrind-out-file=/tmp/w.cg python benchmarks/steady.py DIR 300 0
    valgrind --tool=callgrind --callgrind-out-file=/tmp/m.cg python benchmarks/steady.py DIR 300 300
    callgrind_annotate --inclusive=yes /tmp/m.cg   # and /tmp/w.cg: the same function, less
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from provlint.api import prepare
from provlint.config import load_settings
from provlint.engine.lint import Job, Task, lint_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("warm", type=int, help="files linted first")
    parser.add_argument("count", type=int, help="files linted after them")
    args = parser.parse_args(argv)
    ruleset, rules = prepare(load_settings(None))
    job = Job(ruleset, rules)
    files = sorted(path for path in args.folder.rglob("*") if path.is_file())[: args.warm + args.count]
    for path in files:
        lint_file(Task(str(path), str(path)), job)
    return 0


if __name__ == "__main__":
    sys.exit(main())
