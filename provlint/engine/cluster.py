"""The engine's side of Dask: a runner that sends chunks of files to a cluster's workers,
each of which rebuilds the run's rules once per process from the same rule files and
settings (`provlint.dask.lint_bag` is the API on top). Dask is imported only here, and
only when a cluster is used."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from provlint.config import CPUS
from provlint.engine.lint import FileResult, Job, Reading, Runner, Task, lint_tasks
from provlint.engine.workers import CHUNK

INSTALL_HINT = "the Dask extra is not installed: pip install 'provlint[dask]'"


def _require() -> None:
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise ImportError(INSTALL_HINT) from None


def recipe_of(job: Job) -> str:
    """What a worker needs to rebuild `job`: rule files and settings, as JSON."""
    return json.dumps({
        "rule_files": [path for path, _ in job.ruleset.files],
        "rules": [[rule.id, rule.severity] for rule in job.rules],
        "max_bytes": job.reading.max_bytes,
        "input_format": job.reading.input_format,
        "mapping": job.reading.mapping,
        "caching": job.caching,
    }, sort_keys=True)


@lru_cache(maxsize=4)
def job_from(recipe: str) -> Job:
    """The job a recipe describes, built once per worker process."""
    from provlint.ruleset import BUILTIN_RULES, load_ruleset

    spec = json.loads(recipe)
    builtin = str(BUILTIN_RULES.resolve())
    extra = [path for path in spec["rule_files"] if not path.startswith(builtin + os.sep)]
    ruleset = load_ruleset(extra)
    by_id = ruleset.by_id()
    rules = []
    for rule_id, severity in spec["rules"]:
        rule = by_id[rule_id]
        rule.severity = severity
        rules.append(rule)
    return Job(ruleset, rules, Reading(spec["max_bytes"], spec["input_format"], spec["mapping"]), spec["caching"])


def _lint_partition(tasks: Iterable[Task], recipe: str) -> list[FileResult]:
    return lint_tasks(list(tasks), job_from(recipe))


def runner(client: Any) -> Callable[[Job], Runner]:
    """A runner for `engine.lint_paths` that sends partitions of files to `client`'s cluster."""
    _require()

    def make(job: Job) -> Runner:
        recipe = recipe_of(job)

        def run(tasks: list[Task]) -> Iterator[list[FileResult]]:
            import dask.bag as db
            from distributed import as_completed

            if not tasks:
                return
            # Absolute paths: a worker's current folder is not the caller's.
            tasks = [Task(os.path.abspath(t.path), t.shown, t.known_digest, t.named) for t in tasks]
            bag = db.from_sequence(tasks, partition_size=CHUNK).map_partitions(_lint_partition, recipe)
            futures = client.compute(bag.to_delayed())
            try:
                for future in as_completed(futures):
                    yield future.result()
            finally:
                client.cancel(futures)

        return run

    return make


def connect(scheduler: str | None = None) -> Any:
    """A client of the cluster at `scheduler`, or of a new local cluster on loopback."""
    _require()
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="10s")
    cluster = LocalCluster(n_workers=CPUS, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    return Client(cluster)
