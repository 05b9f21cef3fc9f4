"""The command line: finds files, picks rules, renders findings, sets the exit code.

One module per command group: `group` (the group, exit codes, signals, shared loading and the
progress bar), `check`, `rules` (rules, explain, test-rules), `inspect`, `config` (config,
clean), `init` (with its starter files in `templates/`); `output` writes reports."""

from __future__ import annotations

from provlint.cli import check, config, init, inspect, rules  # noqa: F401  (each registers its commands)
from provlint.cli.group import main

__all__ = ["main"]


def __getattr__(name: str) -> str:
    """`STARTER_RULE` and the other starter files, read only when asked for."""
    if name in init.STARTER_FILES:
        return init.template(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
