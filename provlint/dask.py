"""Beyond one machine: the same per-file function, distributed by Dask.

    pip install 'provlint[dask]'

    from provlint.dask import lint_bag
    findings = lint_bag(["corpus/"], scheduler="tcp://scheduler:8786")

or `provlint check corpus/ --dask tcp://scheduler:8786`. The files to check become a
`dask.bag` of tasks (`provlint.engine.cluster`); each partition is linted on a worker by
`engine.lint_tasks`, with the rules that worker loads once per process from the same rule
files and settings;
the results come back to the caller, which applies the cache, sorts and reports, so the
findings are those of `provlint check` on one machine. Workers must see the corpus and
the rule files at the same paths as the caller (a shared or copied file system).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from provlint.engine.cluster import INSTALL_HINT, connect, runner
from provlint.model import Finding

__all__ = ["INSTALL_HINT", "connect", "lint_bag", "runner"]


def lint_bag(paths: Iterable[str], config: str | Path | None = None, scheduler: str | None = None,
             client: Any = None) -> list[Finding]:
    """Findings for files and folders, linted on a Dask cluster: the one at `scheduler`,
    the `client` given, or a local cluster started (and closed) for this call. Settings
    come from the config found from the current folder, or the one named."""
    from provlint.api import run
    from provlint.config import load_settings

    settings = load_settings(str(config) if config else None)
    own = client is None
    client = client or connect(scheduler)
    try:
        result, _ = run(list(paths), settings, runner=runner(client))
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    return result.findings
