"""A reader that raises: which stage it was in, so the file's IN012 finding can say so.

Reading a file is isolated like a check: `read_raw_file` and `read_texts` turn any
exception into the `read_failed` fact, and the stages below tag what they raise on the
way out (the innermost tag wins), at no cost when nothing is raised.
"""

from __future__ import annotations

import os


class ReadFailed(Exception):
    """An exception raised while reading a file, with the stage (`decode`, `detect format`,
    `parse`, `classify`, `fields`) and the line it was at, when known."""

    def __init__(self, stage: str, cause: BaseException, line: int | None = None) -> None:
        super().__init__(f"{stage}: {type(cause).__name__}: {cause}")
        self.stage = stage
        self.cause = cause
        self.line = line

    def describe(self) -> str:
        where = f" at line {self.line}" if self.line is not None else ""
        reason = type(self.cause).__name__ + (f": {self.cause}" if str(self.cause) else "")
        message = f"{self.stage} failed{where}: {reason}; nothing else in this file was checked"
        if os.environ.get("PROVLINT_DEBUG"):
            import traceback

            message += "\n" + "".join(traceback.format_exception(self.cause))
        return message


def at_stage(stage: str, error: BaseException, line: int | None = None) -> ReadFailed:
    """`error` tagged with the stage it was raised in, unless an inner stage tagged it."""
    return error if isinstance(error, ReadFailed) else ReadFailed(stage, error, line)
