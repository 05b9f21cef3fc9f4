"""`provlint check`: its options, gathered once into a `CheckOptions`, become settings
overrides; then the rules are loaded, the files linted, and the reports written."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import click

from provlint import __version__
from provlint.cli.group import (EXIT_ERROR, EXIT_FINDINGS, EXIT_SUCCESS, STDOUT, Interrupted, check_selectors,
                               config_failed, guarded, load_config, main, progress_bar, split_values, start_rules)
from provlint.cli.output import check_outputs, is_stream, write_output
from provlint.vocabulary import INPUT_FORMATS, OUTPUT_FORMATS, SEVERITIES


class CheckOptions(NamedTuple):
    """The command line of `provlint check`, as click parsed it: one object, built once (a
    NamedTuple: generating a frozen dataclass's methods cost a one-file run more than its use of them)."""

    paths: tuple[str, ...]
    config_file: str | None
    rule_paths: tuple[str, ...]
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    extend_ignore: tuple[str, ...]
    fail_on: str | None
    exit_zero: bool
    min_severity: str | None
    output_format: str | None
    color_choice: str
    output: str | None
    output_formats: tuple[str, ...]
    exclude: tuple[str, ...]
    no_gitignore: bool
    follow_links: bool
    baseline_file: str | None
    write_baseline: str | None
    statistics: bool
    jobs: int | None
    dask_scheduler: str | None
    no_cache: bool
    cache_dir: str | None
    max_file_size: int | None
    debug: bool
    input_format: str | None
    quiet: bool
    show_files: bool
    force_exclude: bool
    stdin_filename: str | None


# Set (to anything), `check` ends with one line on stderr: each phase's wall seconds and
# the peak memory of this process and of its largest worker (for benchmarks/run.py).
TIMINGS_VARIABLE = "PROVLINT_TIMINGS"


def _timings(phases: dict[str, float]) -> str:
    """`files 12.34 s, corpus 1.20 s; peak memory 310 MB, largest worker 95 MB`."""
    shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())
    try:
        import resource
    except ImportError:  # Windows: no peak memory to ask for
        return shown
    # ru_maxrss is in KiB on Linux, in bytes on macOS; shown in MiB, as benchmarks/run.py does.
    unit = 1 if sys.platform == "darwin" else 1024
    own, workers = (resource.getrusage(who).ru_maxrss * unit / (1 << 20)
                    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return f"{shown}; peak memory {own:.0f} MB, largest worker {workers:.0f} MB"


@contextmanager
def _dask_runner(scheduler: str | None) -> Iterator[Callable | None]:
    """The runner that sends files to a Dask cluster, connected for the run's length."""
    if not scheduler:
        yield None
        return
    from provlint import dask as provlint_dask

    try:
        client = provlint_dask.connect(scheduler)
    except ImportError as exc:
        raise click.UsageError(str(exc)) from None
    except (OSError, TimeoutError, ValueError) as exc:
        raise click.UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        yield provlint_dask.runner(client)
    finally:
        client.close()


def _colour(choice: str, interactive: bool) -> bool:
    """--color; `auto` follows NO_COLOR (no-color.org), then FORCE_COLOR (force-color.org), then the terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or interactive


def _default_format(interactive: bool) -> str:
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "full" if interactive else "concise"


def _output_targets(output_formats: tuple[str, ...]) -> list[tuple[str, str]]:
    targets = []
    for item in output_formats:
        name, _, path = item.partition("=")
        if name not in OUTPUT_FORMATS or not path:
            raise click.BadParameter(f"{item!r}: expected FORMAT=FILE with FORMAT one of {', '.join(OUTPUT_FORMATS)}",
                                     param_hint="--output-format")
        targets.append((name, path))
    return targets


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder (repeatable).")
@click.option("--select", multiple=True,
              help="Only these rule ids, id prefixes, categories or names; `strict` or `ALL` adds the opt-in rules "
                   "(comma-separated, repeatable) [default: the default selection].")
@click.option("--extend-select", multiple=True, help="Also these rule ids, id prefixes, categories or names.")
@click.option("--ignore", multiple=True, help="Skip these rule ids, id prefixes, categories or names.")
@click.option("--extend-ignore", multiple=True, help="Skip these too, besides those `ignore` names.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Lowest severity that makes the exit code 1 [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--min-severity", type=click.Choice(SEVERITIES),
              help="Leave findings below this severity out of the reports; the exit code still follows --fail-on "
                   "[default: info].")
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS),
              help="Output format [default: github under GitHub Actions, full on a terminal, concise otherwise].")
@click.option("--color", "color_choice", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the full and concise reports; auto: on a terminal, unless NO_COLOR is set or FORCE_COLOR is.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--output-format", "output_formats", multiple=True, metavar="FORMAT=FILE",
              help="Also write FORMAT to FILE (repeatable), e.g. sarif=provlint.sarif.")
@click.option("--exclude", multiple=True, help="Glob of files or folders to skip (repeatable).")
@click.option("--no-gitignore", is_flag=True, help="Also check files that .gitignore files ignore.")
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links in folders even to targets outside PATHS [default: report them (IN021)].")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings as a baseline.")
@click.option("--statistics", is_flag=True, help="Show a count per rule instead of each finding.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: the number of CPUs].")
@click.option("--dask", "dask_scheduler", metavar="ADDRESS",
              help="Lint on the Dask cluster at this scheduler address (needs provlint[dask]).")
@click.option("--no-cache", is_flag=True, help="Lint every file again; neither read nor write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Cache folder [default: .provlint_cache].")
@click.option("--max-file-size", type=click.IntRange(min=1), metavar="BYTES",
              help="Skip larger files with an IN006 finding [default: 10000000].")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors (IN000).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS),
              help="Read every file as this kind [default: auto, by name ending and content].")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit code tells.")
@click.option("--show-files", is_flag=True,
              help="List the files that would be checked, and those found in folders that are skipped because "
                   "they hold no article (with why); check nothing.")
@click.option("--force-exclude", is_flag=True,
              help="Treat files named like files found in folders: exclusions, rule folders and the skipping of "
                   "files that hold no article apply to them too (for pre-commit).")
@click.option("--stdin-filename", metavar="NAME",
              help="Read the input from standard input (`provlint check -`) as if it were the file NAME: its name "
                   "chooses the reader and is the path findings show.")
@guarded
def check(**options: Any) -> int:
    """Check dump files and folders (recursively) against the rules."""
    return _run(CheckOptions(**options))


def _settings(options: CheckOptions) -> Any:
    """The config's settings with the command line's on top."""
    settings = load_config(options.config_file)
    for key, value in (("select", split_values(options.select)), ("ignore", split_values(options.ignore)),
                       ("fail-on", options.fail_on), ("min-severity", options.min_severity),
                       ("format", options.output_format), ("jobs", options.jobs),
                       ("max-file-size", options.max_file_size)):
        if value:
            settings.override(key, value)
    if options.select:  # as in ruff: a selection on the command line replaces the config's, extensions included
        settings.override("extend-select", [])
    for key, values in (("extend-select", options.extend_select), ("extend-ignore", options.extend_ignore),
                        ("exclude", options.exclude)):
        if values:
            settings.override(key, settings[key] + split_values(values))
    if options.rule_paths:
        settings.override("rules", settings["rules"] + list(options.rule_paths))
    for flag, key, value in ((options.no_gitignore, "respect-gitignore", False), (options.follow_links, "follow-links", True),
                             (options.force_exclude, "force-exclude", True), (options.no_cache, "cache", False)):
        if flag:
            settings.override(key, value)
    if options.cache_dir:
        settings.override("cache-dir", os.path.abspath(options.cache_dir))
    return settings


def _run(options: CheckOptions) -> int:
    import io

    from provlint import api, baseline
    from provlint.config import ConfigError
    from provlint.engine import Keep
    from provlint.model import SEVERITY_RANK
    from provlint.reporters import SHOWS_FILES, SHOWS_FRAMES, Report, counted, render

    paths, output = options.paths, options.output
    from_stdin = paths == (STDOUT,) or (not paths and options.stdin_filename is not None)
    if STDOUT in paths and not from_stdin:
        raise click.UsageError("`-` (standard input) cannot be checked together with other paths")
    if from_stdin and options.show_files:
        raise click.UsageError("--show-files lists files; standard input is none")
    if from_stdin:
        paths = ()
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    targets = _output_targets(options.output_formats)
    settings = _settings(options)
    if options.debug:
        os.environ["PROVLINT_DEBUG"] = "1"  # inherited by worker processes
    if output == STDOUT:
        output = None
    refusal = None if from_stdin else api.cache_refusal(settings, paths or (".",))
    if refusal:
        raise click.UsageError(refusal)
    writes = [p for p in [output, options.write_baseline, *(path for _, path in targets)] if p]
    stdin_name = os.path.normpath(options.stdin_filename) if options.stdin_filename else STDOUT
    check_outputs((stdin_name,) if from_stdin else paths, writes, output is None and not options.quiet, settings)

    ruleset = start_rules(tuple(settings["rules"]))
    for flag, selectors in (("--select", options.select), ("--extend-select", options.extend_select), ("--ignore", options.ignore),
                            ("--extend-ignore", options.extend_ignore)):
        check_selectors(flag, split_values(selectors), ruleset.rules)
    if options.show_files:
        checked, skipped = api.show_files(paths, settings, options.input_format, ruleset)
        for path in checked:
            click.echo(path)
        for path, reason in skipped:
            click.echo(f"{path}  (skipped: {reason})")
        raise SystemExit(EXIT_SUCCESS)
    interactive = sys.stdout.isatty() and output is None
    chosen_format = "statistics" if options.statistics else settings["format"] or _default_format(interactive)
    formats = {chosen_format, *(name for name, _ in targets)}
    keep = Keep(frames=not formats.isdisjoint(SHOWS_FRAMES), files=not formats.isdisjoint(SHOWS_FILES), findings=False)
    try:
        if from_stdin:
            result, rules = api.run_stdin(sys.stdin.buffer, stdin_name, settings, options.input_format, ruleset)
        else:
            # The bar goes to stderr: shown when that is a terminal, wherever the report goes.
            with progress_bar(sys.stderr.isatty() and not options.quiet) as progress, _dask_runner(options.dask_scheduler) as runner:
                result, rules = api.run(paths, settings, options.input_format, progress, ruleset, runner, keep=keep)
    except ConfigError as exc:
        config_failed(exc)
    findings = result.in_order()
    for warning in result.warnings:
        click.echo(f"provlint: warning: {warning}", err=True)
    if result.skipped and not options.quiet:
        count = len(result.skipped)
        click.echo(f"provlint: skipped {count} file{'s' if count != 1 else ''} that hold no article, found in "
                   "folders walked (--show-files lists them with why)", err=True)
    if not result.files_checked and not result.interrupted:
        # An empty or mistyped folder: a CI job must not pass on nothing (ruff warns too).
        click.echo(f"provlint: warning: no input files found under {', '.join(paths or ('.',))} (dumps, JSON, "
                   "JSONL or HTML pages, less excluded and git-ignored files); nothing was checked", err=True)
        raise SystemExit(EXIT_ERROR)
    # An interrupted run's findings are partial: they go to stdout, devices and pipes, never
    # over a good report or baseline.
    kept = [p for p in writes if result.interrupted and not is_stream(p)]
    if options.write_baseline and options.write_baseline not in kept:
        write_output(options.write_baseline, baseline.serialise(findings))
    if options.baseline_file:  # after writing one: `--write-baseline b --baseline b` hides every finding
        try:
            api.apply_baseline(result, options.baseline_file)
        except baseline.BaselineError as exc:
            raise click.UsageError(str(exc)) from None
        findings = result.in_order()

    lowest = SEVERITY_RANK[settings["min-severity"]]
    shown = findings
    if lowest > min(SEVERITY_RANK.values()):
        shown = findings.where(lambda f: SEVERITY_RANK[f.severity] >= lowest)
    report = Report(shown, result.files_checked, __version__, result.source_lines,
                    color=_colour(options.color_choice, interactive), rules=rules, suppressed=result.suppressed,
                    stale=result.stale, files=result.files, fail_on=settings["fail-on"],
                    below_min_severity=len(findings) - len(shown) if shown is not findings else 0)
    for name, path in targets:
        if path not in kept:
            buffer = io.StringIO()
            render(name, report, buffer)
            write_output(path, buffer.getvalue())
    if output:
        if output not in kept:
            buffer = io.StringIO()
            render(chosen_format, report, buffer)
            write_output(output, buffer.getvalue())
    elif not options.quiet:
        render(chosen_format, report, sys.stdout)
    if os.environ.get(TIMINGS_VARIABLE):
        click.echo(f"provlint: timings: {_timings(result.timings)}", err=True)
    if result.interrupted:
        left = f"; left as they were: {', '.join(kept)}" if kept else ""
        click.echo(f"provlint: interrupted by {Interrupted.by()}; the report covers only the "
                   f"{counted(result.files_checked, 'file')} checked before it{left}", err=True)
        raise SystemExit(Interrupted.exit_code())
    threshold = SEVERITY_RANK[settings["fail-on"]]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
    raise SystemExit(EXIT_FINDINGS if failing and not options.exit_zero else EXIT_SUCCESS)

