"""The `provlint` command group and what every command shares: exit codes, signal handling,
the no-traceback guard, loading the config and the rules, the console and the progress bar."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from provlint import __version__, compiled

EXIT_SUCCESS, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them
STDOUT = "-"  # as an output file: standard output


def split_values(values: tuple[str, ...]) -> list[str]:
    """`--select PH,TS --select DU001` -> ['PH', 'TS', 'DU001']."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def load_rules(rules: tuple[str, ...], builtin: bool = True) -> Any:
    from provlint.ruleset import RuleError, load_ruleset

    try:
        return load_ruleset(list(rules), builtin=builtin)
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        count = len(exc.problems)
        click.echo(f"provlint: {count} problem{'s' if count != 1 else ''} in rule files; nothing was checked", err=True)
        raise SystemExit(EXIT_ERROR) from None


def start_rules(rules: tuple[str, ...]) -> Any:
    """The rule set. Loading it makes tens of thousands of objects that live as long as the
    run (rules, schemas, RE2 sets): the garbage collector is off meanwhile (it would walk
    them again and again, about 25 ms of a one-file run), and they are frozen after, so no
    later collection walks them either. (The suffix list is left to load when a file needs
    it: a run served from the cache never does.)"""
    import gc

    gc.disable()
    try:
        ruleset = load_rules(rules)  # rule-file problems: reported, exit 2
        gc.freeze()
    finally:
        gc.enable()
    return ruleset


def guarded(command: Callable[..., int]) -> Callable[..., int]:
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



def make_console() -> Any:
    """A rich console; off a terminal, wide enough that tables are not cut."""
    from provlint.reporters.full import Console

    return Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)


class Interrupted:
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
    Interrupted.terminated = True
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
            click.echo(f"\nprovlint: interrupted by {Interrupted.by()}", err=True)
            raise SystemExit(Interrupted.exit_code()) from None


@click.group(cls=_Provlint, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provlint",
                      message=f"%(prog)s %(version)s ({'compiled' if compiled() else 'pure Python'})")
def main() -> None:
    """Lint scraped news-article dumps for trustworthy provenance metadata."""


def load_config(config: str | None) -> Any:
    from provlint.config import ConfigError, load_settings

    try:
        return load_settings(config)
    except ConfigError as exc:
        config_failed(exc)


def config_failed(error: Any) -> NoReturn:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo("provlint: invalid configuration; nothing was checked", err=True)
    raise SystemExit(EXIT_ERROR)


def check_selectors(flag: str, selectors: list[str], rules: list[Any]) -> None:
    """A selector on the command line that matches no rule is a usage error, as in ruff:
    a mistyped one would select or ignore nothing without a word."""
    from provlint.engine import unknown_selector

    problems = [message for selector in selectors if (message := unknown_selector(selector, rules))]
    if problems:
        raise click.BadParameter("; ".join(problems), param_hint=f"'{flag}'")


def settings_and_rules(config: str | None, rule_paths: tuple[str, ...]) -> tuple[Any, Any]:
    """The settings and the rule set `check` would use: the config's `rules:` and then `--rules`."""
    settings = load_config(config)
    if rule_paths:
        settings.override("rules", settings["rules"] + list(rule_paths))
    return settings, load_rules(tuple(settings["rules"]))



@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
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
    # Drawn as the run reports progress, by no thread of its own: the run forks helpers
    # (`workers.shared_calls`), and only from a process with no other thread.
    bar = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]} files/s"), TimeRemainingColumn(), transient=True,
                   console=Console(stderr=True), auto_refresh=False)
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
        bar.refresh()

    try:
        yield advance
    finally:
        if task is not None:
            bar.stop()

