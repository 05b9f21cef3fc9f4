"""The command line: finds files, picks rules, renders findings, sets the exit code."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from provlint import __version__, compiled

EXIT_SUCCESS, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them
STDOUT = "-"  # as an output file: standard output
SEVERITY_CHOICES = ("error", "warning", "info")


def _split(values: tuple[str, ...]) -> list[str]:
    """`--select PH,TS --select DU001` -> ['PH', 'TS', 'DU001']."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _load(rules: tuple[str, ...], builtin: bool = True) -> Any:
    from provlint.ruleset import RuleError, load_ruleset

    try:
        return load_ruleset(list(rules), builtin=builtin)
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        count = len(exc.problems)
        click.echo(f"provlint: {count} problem{'s' if count != 1 else ''} in rule files; nothing was checked", err=True)
        raise SystemExit(EXIT_ERROR) from None


def _start(rules: tuple[str, ...]) -> Any:
    """The rule set. Loading it makes tens of thousands of objects that live as long as the
    run (rules, schemas, RE2 sets): the garbage collector is off meanwhile (it would walk
    them again and again, about 25 ms of a one-file run), and they are frozen after, so no
    later collection walks them either. (The suffix list is left to load when a file needs
    it: a run served from the cache never does.)"""
    import gc

    gc.disable()
    try:
        ruleset = _load(rules)  # rule-file problems: reported, exit 2
        gc.freeze()
    finally:
        gc.enable()
    return ruleset


def _guarded(command: Callable[..., int]) -> Callable[..., int]:
    """No traceback reaches a user: unexpected errors print one line and exit 2."""

    def run(*args: Any, **kwargs: Any) -> int:
        try:
            try:
                return command(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a reader gone early shows here, not as a warning at exit
        except BrokenPipeError:
            _drop_stdout()
            raise SystemExit(EXIT_SUCCESS) from None
        except (SystemExit, click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001
            if os.environ.get("PROVLINT_DEBUG"):
                import traceback

                traceback.print_exc()
            click.echo(f"provlint: internal error: {type(exc).__name__}: {exc} "
                       "(set PROVLINT_DEBUG=1 for the traceback)", err=True)
            raise SystemExit(EXIT_ERROR) from None

    run.__name__ = command.__name__
    run.__doc__ = command.__doc__
    return run


def _drop_stdout() -> None:
    """The reader of stdout is gone (`provlint check | head`): what is still buffered goes
    nowhere, and the run ends quietly with exit 0, as ruff and ripgrep do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _write_atomically(path: str, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file.
    The file keeps its permissions (a new one gets those the umask allows)."""
    import stat
    import tempfile  # only when an output file is written: kept off the start-up path

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _is_stream(path: str) -> bool:
    """`-`, a device or a FIFO (also through a symlink): written as it is, never replaced."""
    import stat

    if path == STDOUT:
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # a new file


def _write_output(path: str, text: str) -> None:
    """A report or a baseline: to stdout for `-`; to a device or FIFO (/dev/null, a pipe)
    as it is; to a regular file or a new path atomically, through a symlink to its
    target (the link stays)."""
    if path == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = os.path.realpath(path)
    try:
        if _is_stream(target):
            with open(target, "w", encoding="utf-8") as stream:
                stream.write(text)
        else:
            _write_atomically(target, text)
    except OSError as exc:
        click.echo(f"provlint: cannot write {path}: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_ERROR) from None


def _unwritable(path: str) -> str | None:
    """Why a report or baseline could not be written at `path`, or None: checked before
    linting, so a run is not lost to a typo in an output path."""
    import stat

    target = os.path.realpath(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        folder = os.path.dirname(target)
        while not os.path.lexists(folder):  # the nearest folder that exists; the rest is made
            folder = os.path.dirname(folder)
        if not os.path.isdir(folder):
            return f"{folder} is not a folder"
        return None if os.access(folder, os.W_OK | os.X_OK) else f"cannot create files in {folder}"
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISREG(mode):
        folder = os.path.dirname(target)
        if not os.access(target, os.W_OK):
            return "not writable"
        # Replaced by renaming a new file into place: that needs the folder writable too.
        return None if os.access(folder, os.W_OK | os.X_OK) else f"cannot create files in {folder}"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode):
        return None if os.access(target, os.W_OK) else "not writable"
    return "not a file, a device or a pipe"


def _check_outputs(paths: tuple[str, ...], writes: list[str], to_stdout: bool, settings: Any) -> None:
    """Every output path before linting: writable (its folder exists or can be made), at
    most one of them (and the report) on stdout, and none an input of this run or, once
    written, of the next one."""
    from provlint.engine import collect_files, walk_reaches

    problems = [f"cannot write {path}: {reason}" for path in writes
                if path != STDOUT and (reason := _unwritable(path))]
    if sum(path == STDOUT for path in writes) + to_stdout > 1:
        problems.append("only one report can go to stdout (-)")
    if problems:
        raise click.UsageError("; ".join(problems))
    files = [p for p in writes if p != STDOUT and not _is_stream(p)]
    if not files:
        return
    roots = paths or (".",)
    exclude, gitignore, names = settings.globs("exclude"), settings["respect-gitignore"], settings.input_names()
    inputs = {os.path.realpath(f) for f in collect_files(roots, exclude, gitignore, include=names)}
    clobbered = [p for p in files if os.path.realpath(p) in inputs]
    if clobbered:
        raise click.UsageError(f"refusing to overwrite an input file: {', '.join(clobbered)}")
    inside = [p for p in files if walk_reaches(p, roots, exclude, gitignore, names)
              or walk_reaches(os.path.realpath(p), roots, exclude, gitignore, names)]
    if inside:
        raise click.UsageError(f"{', '.join(inside)}: inside the checked folders, where the next run would read it "
                               "as an input; write it elsewhere, or --exclude it")


def _console() -> Any:
    """A rich console; off a terminal, wide enough that tables are not cut."""
    from provlint.reporters.full import Console

    return Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)


class _Interrupted:
    """Which signal stopped the run: Ctrl-C (SIGINT) unless SIGTERM came."""

    terminated = False

    @classmethod
    def exit_code(cls) -> int:
        return EXIT_TERMINATED if cls.terminated else EXIT_INTERRUPTED

    @classmethod
    def by(cls) -> str:
        return "SIGTERM" if cls.terminated else "Ctrl-C"


def _on_sigterm(signum: int, frame: Any) -> None:
    """SIGTERM stops a run as Ctrl-C does: the workers are stopped and what was found is reported."""
    _Interrupted.terminated = True
    raise KeyboardInterrupt


class _Provlint(click.Group):
    """The `provlint` command group: SIGTERM is handled like Ctrl-C, and an interrupt that
    reaches the top (at start-up, or a second Ctrl-C while reporting) exits 130 (143 for
    SIGTERM) instead of click's "Aborted!" and 1, the findings code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        import signal
        import threading

        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL):  # an ignored SIGTERM stays ignored
            signal.signal(signal.SIGTERM, _on_sigterm)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(f"\nprovlint: interrupted by {_Interrupted.by()}", err=True)
            raise SystemExit(_Interrupted.exit_code()) from None


@click.group(cls=_Provlint, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provlint",
                      message=f"%(prog)s %(version)s ({'compiled' if compiled() else 'pure Python'})")
def main() -> None:
    """Lint scraped news-article dumps for trustworthy provenance metadata."""


FORMAT_CHOICES = ["full", "concise", "json", "jsonl", "sarif", "github", "gitlab", "junit"]


def _settings(config: str | None) -> Any:
    from provlint.config import ConfigError, load_settings

    try:
        return load_settings(config)
    except ConfigError as exc:
        _config_failed(exc)


def _config_failed(error: Any) -> NoReturn:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo("provlint: invalid configuration; nothing was checked", err=True)
    raise SystemExit(EXIT_ERROR)


def _check_selectors(flag: str, selectors: list[str], rules: list[Any]) -> None:
    """A selector on the command line that matches no rule is a usage error, as in ruff:
    a mistyped one would select or ignore nothing without a word."""
    from provlint.engine import unknown_selector

    problems = [message for selector in selectors if (message := unknown_selector(selector, rules))]
    if problems:
        raise click.BadParameter("; ".join(problems), param_hint=f"'{flag}'")


def _settings_and_rules(config: str | None, rule_paths: tuple[str, ...]) -> tuple[Any, Any]:
    """The settings and the rule set `check` would use: the config's `rules:` and then `--rules`."""
    settings = _settings(config)
    if rule_paths:
        settings.override("rules", settings["rules"] + list(rule_paths))
    return settings, _load(tuple(settings["rules"]))


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr, shown once a run has taken a second (PROVLINT_PROGRESS_DELAY
    seconds: 0 shows it at once). On stderr, as cargo draws its own: the report on
    stdout, redirected or not, never gets a frame of it."""
    if not enabled:
        yield None
        return
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from provlint.reporters.full import Console

    try:
        delay = float(os.environ.get("PROVLINT_PROGRESS_DELAY", "1"))
    except ValueError:
        delay = 1.0
    bar = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]} files/s"), TimeRemainingColumn(), transient=True,
                   console=Console(stderr=True))
    task, started = None, time.monotonic()

    def advance(done: int, total: int) -> None:
        nonlocal task
        elapsed = time.monotonic() - started
        if elapsed < delay:
            return
        if task is None:
            bar.start()
            task = bar.add_task("check", total=total, rate="-")
        bar.update(task, completed=done, rate=f"{done / max(elapsed, 1e-3):,.0f}")

    try:
        yield advance
    finally:
        if task is not None:
            bar.stop()


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
        if name not in FORMAT_CHOICES or not path:
            raise click.BadParameter(f"{item!r}: expected FORMAT=FILE with FORMAT one of {', '.join(FORMAT_CHOICES)}",
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
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), help="Lowest severity that makes the exit code 1 [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--min-severity", type=click.Choice(SEVERITY_CHOICES),
              help="Leave findings below this severity out of the reports; the exit code still follows --fail-on "
                   "[default: info].")
@click.option("--format", "output_format", type=click.Choice(FORMAT_CHOICES),
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
@click.option("--input-format", type=click.Choice(["auto", "dump", "json", "jsonl", "html"]),
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
@_guarded
def check(paths: tuple[str, ...], config_file: str | None, rule_paths: tuple[str, ...], select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], extend_ignore: tuple[str, ...],
          fail_on: str | None, exit_zero: bool, min_severity: str | None, output_format: str | None,
          color_choice: str, output: str | None, output_formats: tuple[str, ...], exclude: tuple[str, ...],
          no_gitignore: bool, follow_links: bool,
          baseline_file: str | None, write_baseline: str | None, statistics: bool, jobs: int | None,
          dask_scheduler: str | None, no_cache: bool, cache_dir: str | None, max_file_size: int | None, debug: bool,
          input_format: str | None, quiet: bool, show_files: bool, force_exclude: bool,
          stdin_filename: str | None) -> int:
    """Check dump files and folders (recursively) against the rules."""
    import io

    from provlint import api, baseline
    from provlint.config import ConfigError
    from provlint.model import SEVERITY_RANK
    from provlint.reporters import Report, counted, render

    from_stdin = paths == (STDOUT,) or (not paths and stdin_filename is not None)
    if STDOUT in paths and not from_stdin:
        raise click.UsageError("`-` (standard input) cannot be checked together with other paths")
    if from_stdin and show_files:
        raise click.UsageError("--show-files lists files; standard input is none")
    if from_stdin:
        paths = ()
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    targets = _output_targets(output_formats)
    settings = _settings(config_file)
    for key, value in (("select", _split(select)), ("ignore", _split(ignore)), ("fail-on", fail_on),
                       ("min-severity", min_severity),
                       ("format", output_format), ("jobs", jobs), ("max-file-size", max_file_size)):
        if value:
            settings.override(key, value)
    if select:  # as in ruff: a selection on the command line replaces the config's, extensions included
        settings.override("extend-select", [])
    if extend_select:
        settings.override("extend-select", settings["extend-select"] + _split(extend_select))
    if extend_ignore:
        settings.override("extend-ignore", settings["extend-ignore"] + _split(extend_ignore))
    if exclude:
        settings.override("exclude", settings["exclude"] + _split(exclude))
    if rule_paths:
        settings.override("rules", settings["rules"] + list(rule_paths))
    if no_gitignore:
        settings.override("respect-gitignore", False)
    if follow_links:
        settings.override("follow-links", True)
    if force_exclude:
        settings.override("force-exclude", True)
    if no_cache:
        settings.override("cache", False)
    if cache_dir:
        settings.override("cache-dir", os.path.abspath(cache_dir))
    if debug:
        os.environ["PROVLINT_DEBUG"] = "1"  # inherited by worker processes
    if output == STDOUT:
        output = None
    refusal = None if from_stdin else api.cache_refusal(settings, paths or (".",))
    if refusal:
        raise click.UsageError(refusal)
    writes = [p for p in [output, write_baseline, *(path for _, path in targets)] if p]
    stdin_name = os.path.normpath(stdin_filename) if stdin_filename else STDOUT
    _check_outputs((stdin_name,) if from_stdin else paths, writes, output is None and not quiet, settings)

    ruleset = _start(tuple(settings["rules"]))
    for flag, selectors in (("--select", select), ("--extend-select", extend_select), ("--ignore", ignore),
                            ("--extend-ignore", extend_ignore)):
        _check_selectors(flag, _split(selectors), ruleset.rules)
    if show_files:
        checked, skipped = api.show_files(paths, settings, input_format, ruleset)
        for path in checked:
            click.echo(path)
        for path, reason in skipped:
            click.echo(f"{path}  (skipped: {reason})")
        raise SystemExit(EXIT_SUCCESS)
    interactive = sys.stdout.isatty() and output is None
    try:
        if from_stdin:
            result, rules = api.run_stdin(sys.stdin.buffer, stdin_name, settings, input_format, ruleset)
        else:
            # The bar goes to stderr: shown when that is a terminal, wherever the report goes.
            with _progress(sys.stderr.isatty() and not quiet) as progress, _dask_runner(dask_scheduler) as runner:
                result, rules = api.run(paths, settings, input_format, progress, ruleset, runner)
    except ConfigError as exc:
        _config_failed(exc)
    findings = result.findings
    for warning in result.warnings:
        click.echo(f"provlint: warning: {warning}", err=True)
    if result.skipped and not quiet:
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
    kept = [p for p in writes if result.interrupted and not _is_stream(p)]
    if write_baseline and write_baseline not in kept:
        _write_output(write_baseline, baseline.serialise(findings))
    if baseline_file:  # after writing one: `--write-baseline b --baseline b` hides every finding
        try:
            api.apply_baseline(result, baseline_file)
        except baseline.BaselineError as exc:
            raise click.UsageError(str(exc)) from None
        findings = result.findings

    chosen_format = "statistics" if statistics else settings["format"] or _default_format(interactive)
    lowest = SEVERITY_RANK[settings["min-severity"]]
    shown = [f for f in findings if SEVERITY_RANK[f.severity] >= lowest]
    report = Report(shown, result.files_checked, __version__, result.source_lines,
                    color=_colour(color_choice, interactive), rules=rules, suppressed=result.suppressed,
                    stale=result.stale, files=result.files, fail_on=settings["fail-on"],
                    below_min_severity=len(findings) - len(shown))
    for name, path in targets:
        if path not in kept:
            buffer = io.StringIO()
            render(name, report, buffer)
            _write_output(path, buffer.getvalue())
    if output:
        if output not in kept:
            buffer = io.StringIO()
            render(chosen_format, report, buffer)
            _write_output(output, buffer.getvalue())
    elif not quiet:
        render(chosen_format, report, sys.stdout)
    if result.interrupted:
        left = f"; left as they were: {', '.join(kept)}" if kept else ""
        click.echo(f"provlint: interrupted by {_Interrupted.by()}; the report covers only the "
                   f"{counted(result.files_checked, 'file')} checked before it{left}", err=True)
        raise SystemExit(_Interrupted.exit_code())
    threshold = SEVERITY_RANK[settings["fail-on"]]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
    raise SystemExit(EXIT_FINDINGS if failing and not exit_zero else EXIT_SUCCESS)


@main.command("inspect")
@click.argument("file", type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder (repeatable).")
@click.option("--input-format", type=click.Choice(["auto", "dump", "json", "jsonl", "html"]),
              help="Read the file as this kind [default: auto, by name ending and content].")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_guarded
def inspect_file(file: str, config_file: str | None, rule_paths: tuple[str, ...], input_format: str | None,
            output_format: str) -> int:
    """Show how FILE is read: its blocks with their kinds, its fields with values and places."""
    from provlint.engine import display_path
    from provlint.escaping import escape_undecodable, json_text
    from provlint import inspection as inspecting

    if not os.path.lexists(file):
        raise click.UsageError(f"no such file: {file}")
    if os.path.isdir(file):
        raise click.UsageError(f"{file} is a folder; inspect takes one file")
    settings = _settings(config_file)
    if rule_paths:
        settings.override("rules", settings["rules"] + list(rule_paths))
    ruleset = _load(tuple(settings["rules"]))
    shown = escape_undecodable(display_path(os.path.normpath(file)))
    inspection = inspecting.inspect_file(Path(file), shown, ruleset.table,
                              settings["max-file-size"], input_format or settings["input"].get("format", "auto"),
                              settings["input"].get("fields"))
    unreadable = inspection["facts"].get("unreadable")
    if unreadable:
        click.echo(f"provlint: cannot read {file}: {unreadable}", err=True)
        raise SystemExit(EXIT_ERROR)
    if output_format == "json":
        click.echo(json_text(inspection, indent=2))
    else:
        inspecting.render(inspection, _console())
    raise SystemExit(EXIT_SUCCESS)


@main.command()
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Cache folder [default: .provlint_cache].")
@_guarded
def clean(config_file: str | None, cache_dir: str | None) -> int:
    """Remove the cache of findings (.provlint_cache)."""
    from provlint.engine.cache import clean as remove

    settings = _settings(config_file)
    folder = Path(cache_dir) if cache_dir else settings.cache_folder
    removed = remove(folder)
    click.echo(f"removed {folder}" if removed else f"no cache in {folder}")
    raise SystemExit(EXIT_SUCCESS)


@main.command("config")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@_guarded
def show_config(config_file: str | None) -> int:
    """Print the effective settings as YAML (a provlint.yaml), each with where it came from."""
    import yaml

    settings = _settings(config_file)
    click.echo(f"# config file: {settings.file or '(none found; defaults)'}")
    for key in sorted(settings.values):
        # One line per setting (flow style), so the origin can follow as a comment.
        value = yaml.safe_dump(settings.values[key], default_flow_style=True, allow_unicode=True, width=1_000_000)
        value = value.removesuffix("...\n").strip()  # the end-of-document mark after a plain scalar
        click.echo(f"{key}: {value}  # {settings.origins[key]}")
    raise SystemExit(EXIT_SUCCESS)


@main.command("rules")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder.")
@click.option("--select", multiple=True, help="Only these ids, prefixes, categories or names.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_guarded
def list_rules(config_file: str | None, rule_paths: tuple[str, ...], select: tuple[str, ...], output_format: str) -> int:
    """List every loaded rule: the built-in ones and the config's `rules:`."""
    import json

    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from provlint.engine import select_rules

    _, ruleset = _settings_and_rules(config_file, rule_paths)
    _check_selectors("--select", _split(select), ruleset.rules)
    chosen = select_rules(ruleset.rules, _split(select) or ["ALL"])
    if output_format == "json":
        click.echo(json.dumps([
            {"id": r.id, "name": r.name, "category": r.category, "severity": r.severity, "selection": r.selection,
             "check": r.check, "summary": r.summary, "source": _short_source(r.source), "line": r.line} for r in chosen
        ], ensure_ascii=False, indent=2))
        raise SystemExit(EXIT_SUCCESS)
    rows = [(rule.id, rule.name, rule.category, rule.severity, rule.selection, rule.check,
             _short_source(rule.source)) for rule in chosen]
    columns = ("id", "name", "category", "severity", "selection", "check", "source")
    console = _console()
    widths = [max(cell_len(value) for value in (column, *(row[i] for row in rows))) for i, column in enumerate(columns)]
    # Ids and names are never cut (rich would end them with `…`): where the table does not
    # fit whole, each rule takes two lines, its id and name, then the rest, wrapped.
    if console.width < sum(widths) + 3 * len(columns) - 1:
        for row in rows:
            console.print(Text(f"{row[0]}  {row[1]}"), overflow="fold")
            for line in Text(" · ".join(row[2:])).wrap(console, max(1, console.width - 7)):
                line.rstrip()
                console.print(Text(" " * 7) + line, overflow="fold")
        raise SystemExit(EXIT_SUCCESS)
    table = Table(show_edge=False)
    for column in columns:
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    raise SystemExit(EXIT_SUCCESS)


def _short_source(source: str) -> str:
    from provlint.ruleset import BUILTIN_RULES

    try:
        return "built-in:" + Path(source).relative_to(BUILTIN_RULES).as_posix()
    except ValueError:
        return source


@main.command()
@click.argument("rule_id")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder.")
@_guarded
def explain(rule_id: str, config_file: str | None, rule_paths: tuple[str, ...]) -> int:
    """Show what a rule checks, why, how to fix it, and its examples (built-in rules and the config's `rules:`)."""

    from rich.markdown import Markdown
    from rich.text import Text

    from provlint.checks import DOCS
    from provlint.rule_tests import show_example
    from provlint.ruleset import close_matches

    _, ruleset = _settings_and_rules(config_file, rule_paths)
    rules = ruleset.by_id()
    rule = rules.get(rule_id.upper())
    if rule is None:
        hint = close_matches(rule_id.upper(), rules)
        suggestion = f"; did you mean {hint[0]}?" if hint else ""
        click.echo(f"provlint: no rule {rule_id!r}{suggestion}", err=True)
        raise SystemExit(EXIT_ERROR)
    options = "\n".join(f"- `{key}`: `{value}`" for key, value in rule.options.items() if key != "schema")
    check_doc = DOCS[rule.check].splitlines()[0]
    description = re.sub(r"\s*\n(?=(?:What|Why|How to fix):)", "\n\n", rule.description.strip())
    description = re.sub(r"^(What|Why|How to fix):", r"**\1:**", description, flags=re.MULTILINE)
    console = _console()
    selection = ("default selection: runs unless ignored" if rule.selection == "default" else
                 f"{rule.selection} selection: runs only when selected (`--select {rule.id}`, "
                 f"`--select {rule.selection}` or `--select ALL`)")
    console.print(Markdown(
        f"# {rule.id} {rule.name}\n\n{rule.category} · {rule.severity} · {selection} · defined in "
        f"`{_short_source(rule.source)}:{rule.line}` · [reference]({rule.help_uri})\n\n{description}\n\n"
        f"## Check: {rule.check}\n\n{check_doc}\n\n{options}\n\n## Examples"
    ))
    for kind, label in (("fail", "Flagged"), ("pass", "Not flagged")):
        for example in rule.examples.get(kind, []):
            console.print(Text(f"{label}:", style="bold"))
            console.print(Text("\n".join("    " + line for line in show_example(example).splitlines() or [""])))
    raise SystemExit(EXIT_SUCCESS)


@main.command("test-rules")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--no-builtin", is_flag=True,
              help="Load only PATHS, not the built-in rules nor the config's (e.g. a modified copy of the built-in rules).")
@click.option("--require-examples", is_flag=True,
              help="Fail (exit 1) when a rule has no examples and no fixtures, instead of noting it.")
@_guarded
def test_rules(paths: tuple[str, ...], config_file: str | None, no_builtin: bool, require_examples: bool) -> int:
    """Run the examples and file fixtures of the rules in PATHS, or of every rule `check` loads
    (the built-in ones and the config's `rules:`); exit 1 if any fails.

    A rule with neither is noted, not failed (as Semgrep lists rules without tests);
    --require-examples makes it a failure."""
    from provlint.reporters import counted
    from provlint.rule_tests import run_examples, run_fixtures, untested
    from provlint.ruleset import rule_files

    if no_builtin:
        ruleset = _load(paths, builtin=False)
    else:
        _, ruleset = _settings_and_rules(config_file, paths)
    chosen_files = {ruleset.aliases.get(f.resolve(), f.resolve()) for p in paths for f in rule_files(Path(p))}
    rules = [r for r in ruleset.rules if Path(r.source).resolve() in chosen_files] if paths else ruleset.rules
    results = [*run_examples(ruleset, rules), *run_fixtures(ruleset, rules)]
    failures = [r for r in results if not r.ok]
    for failure in failures:
        click.echo(f"FAIL {failure.explain()}")
    bare = untested(rules)
    for rule in bare:
        label = "FAIL" if require_examples else "note:"
        click.echo(f"{label} {rule.id} ({rule.source}:{rule.line}) has no examples and no fixtures: nothing tests it")
    tested = counted(len(rules), "rule") + (f", {len(bare)} untested" if bare else "")
    click.echo(f"{len(results) - len(failures)} passed, {len(failures)} failed ({tested})")
    raise SystemExit(EXIT_FINDINGS if failures or (bare and require_examples) else EXIT_SUCCESS)


STARTER_CONFIG = """\
# provlint configuration: https://github.com/provlint/provlint#configuration
# Command-line flags win over these settings; `provlint config` shows the result.
rules: [provlint-rules/]      # your own rules, next to the built-in ones
# select: [PH, TS, DU, AT, PV]  # only these rule ids, prefixes or categories
# ignore: [TX001]
# severity: {AT002: warning}    # per rule; "off" switches a rule off
# per-path-ignores:
#   "archive/*": [placeholder]
fail-on: warning
"""

STARTER_PYPROJECT = """
[tool.provlint]
rules = ["provlint-rules/"]
fail-on = "warning"
"""

STARTER_RULE = """\
# A custom provlint rule. Check it with `provlint test-rules provlint-rules/`,
# run it with `provlint check <dumps>`, read it back with `provlint explain PH901`.
id: PH901                      # two letters for the category, three digits
name: editorial-marker
category: placeholder          # timestamp | duplicate | placeholder | attribution | provenance | schema | text | input
severity: warning              # error | warning | info
message: "editorial marker {match!r} left in the {kind}"
description: |
  What: an editor's marker such as TK, TODO or XXX was published with the text.
  Why: the article was published unfinished; the marked passage may be missing facts.
  How to fix: re-scrape later, or flag the article as a draft.
check: pattern                 # see `provlint explain` of any built-in rule for other kinds
target: [title, description, body]
pattern: '\\b(?:TODO|TK|XXX)\\b'
examples:                      # `provlint test-rules` runs these
  fail: ["Le ministre a déclaré TK que la réforme serait votée. Elle entrera en vigueur en mai. Les syndicats protestent."]
  pass: ["Le ministre a déclaré lundi que la réforme serait votée. Elle entrera en vigueur en mai. Les syndicats protestent."]
"""


@main.command()
@click.option("--pyproject", is_flag=True, help="Add [tool.provlint] to ./pyproject.toml instead of writing provlint.yaml.")
@_guarded
def init(pyproject: bool) -> int:
    """Write a starter config and a custom rule folder (never overwrites)."""
    config = Path("pyproject.toml" if pyproject else "provlint.yaml")
    rule = Path("provlint-rules") / "editorial-marker.yaml"
    if pyproject:
        if not config.is_file():
            raise click.UsageError("no pyproject.toml here; run `provlint init` for a provlint.yaml")
        if "[tool.provlint]" in config.read_text(encoding="utf-8"):
            raise click.UsageError("pyproject.toml already has a [tool.provlint] table; nothing written")
    elif config.exists():
        raise click.UsageError(f"{config} already exists; nothing written")
    if rule.exists():
        raise click.UsageError(f"{rule} already exists; nothing written")
    rule.parent.mkdir(exist_ok=True)
    rule.write_text(STARTER_RULE, encoding="utf-8")
    if pyproject:
        _write_atomically(str(config), config.read_text(encoding="utf-8").rstrip("\n") + "\n" + STARTER_PYPROJECT)
    else:
        config.write_text(STARTER_CONFIG, encoding="utf-8")
    click.echo(f"wrote {config} and {rule}\nnext: provlint test-rules provlint-rules/ && provlint check <dumps>")
    raise SystemExit(EXIT_SUCCESS)
