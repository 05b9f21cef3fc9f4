"""The command line: finds files, picks rules, renders findings, sets the exit code."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from provlint import __version__

EXIT_SUCCESS, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_CHOICES = ("error", "warning", "info")


def _split(values: tuple[str, ...]) -> list[str]:
    """`--select PH,TS --select DU001` -> ['PH', 'TS', 'DU001']."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _load(rules: tuple[str, ...]) -> Any:
    from provlint.ruleset import RuleError, load_ruleset

    try:
        return load_ruleset(list(rules))
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        count = len(exc.problems)
        click.echo(f"provlint: {count} problem{'s' if count != 1 else ''} in rule files; nothing was checked", err=True)
        raise SystemExit(EXIT_ERROR) from None


def _guarded(command: Callable[..., int]) -> Callable[..., int]:
    """No traceback reaches a user: unexpected errors print one line and exit 2."""

    def run(*args: Any, **kwargs: Any) -> int:
        try:
            return command(*args, **kwargs)
        except (SystemExit, click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001
            if os.environ.get("PROVLINT_DEBUG"):
                traceback.print_exc()
            click.echo(f"provlint: internal error: {type(exc).__name__}: {exc} "
                       "(set PROVLINT_DEBUG=1 for the traceback)", err=True)
            raise SystemExit(EXIT_ERROR) from None

    run.__name__ = command.__name__
    run.__doc__ = command.__doc__
    return run


def _write_atomically(path: str, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _console() -> Any:
    """A rich console; off a terminal, wide enough that tables are not cut."""
    from rich.console import Console

    return Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provlint")
def main() -> None:
    """Lint scraped news-article dumps for trustworthy provenance metadata."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder (repeatable).")
@click.option("--select", multiple=True, help="Only these rule ids, id prefixes or categories (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule ids, id prefixes or categories.")
@click.option("--fail-on", type=click.Choice(SEVERITY_CHOICES), default="warning", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--format", "output_format", type=click.Choice(["full", "concise", "json", "jsonl"]),
              help="Output format [default: full on a terminal, concise otherwise].")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--exclude", multiple=True, help="Glob of files or folders to skip (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit code tells.")
@_guarded
def check(paths: tuple[str, ...], rule_paths: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
          fail_on: str, exit_zero: bool, output_format: str | None, output: str | None,
          exclude: tuple[str, ...], quiet: bool) -> int:
    """Check dump files and folders (recursively) against the rules."""
    import io

    from provlint.engine import lint_paths, select_rules
    from provlint.model import SEVERITY_RANK
    from provlint.reporters import Report, render

    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    ruleset = _load(rule_paths)
    rules = select_rules(ruleset.rules, _split(select), _split(ignore))
    result = lint_paths(paths or (".",), ruleset, rules, exclude=_split(exclude))
    interactive = sys.stdout.isatty() and output is None
    chosen_format = output_format or ("full" if interactive else "concise")
    report = Report(result.findings, result.files_checked, __version__, result.source_lines,
                    color=interactive and not os.environ.get("NO_COLOR"))
    if output:
        buffer = io.StringIO()
        render(chosen_format, report, buffer)
        _write_atomically(output, buffer.getvalue())
    elif not quiet:
        render(chosen_format, report, sys.stdout)
    threshold = SEVERITY_RANK[fail_on]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings)
    raise SystemExit(EXIT_FINDINGS if failing and not exit_zero else EXIT_SUCCESS)


@main.command("rules")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder.")
@click.option("--select", multiple=True, help="Only these ids, prefixes or categories.")
@_guarded
def list_rules(rule_paths: tuple[str, ...], select: tuple[str, ...]) -> int:
    """List every loaded rule."""
    from rich.table import Table

    from provlint.engine import select_rules

    ruleset = _load(rule_paths)
    table = Table(show_edge=False)
    for column in ("id", "name", "category", "severity", "check", "source"):
        table.add_column(column)
    for rule in select_rules(ruleset.rules, _split(select)):
        table.add_row(rule.id, rule.name, rule.category, rule.severity, rule.check, _short_source(rule.source))
    _console().print(table)
    raise SystemExit(EXIT_SUCCESS)


def _short_source(source: str) -> str:
    from provlint.ruleset import BUILTIN_RULES

    try:
        return "built-in:" + Path(source).relative_to(BUILTIN_RULES).as_posix()
    except ValueError:
        return source


@main.command()
@click.argument("rule_id")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder.")
@_guarded
def explain(rule_id: str, rule_paths: tuple[str, ...]) -> int:
    """Show what a rule checks, why, how to fix it, and its examples."""
    import difflib

    from rich.markdown import Markdown
    from rich.text import Text

    from provlint.checks import MODULES

    ruleset = _load(rule_paths)
    rules = ruleset.by_id()
    rule = rules.get(rule_id.upper())
    if rule is None:
        hint = difflib.get_close_matches(rule_id.upper(), list(rules), n=1)
        suggestion = f"; did you mean {hint[0]}?" if hint else ""
        click.echo(f"provlint: no rule {rule_id!r}{suggestion}", err=True)
        raise SystemExit(EXIT_ERROR)
    options = "\n".join(f"- `{key}`: `{value}`" for key, value in rule.options.items() if key != "schema")
    check_doc = (MODULES[rule.check].__doc__ or "").strip().splitlines()[0]
    description = re.sub(r"\s*\n(?=(?:What|Why|How to fix):)", "\n\n", rule.description.strip())
    description = re.sub(r"^(What|Why|How to fix):", r"**\1:**", description, flags=re.MULTILINE)
    console = _console()
    console.print(Markdown(
        f"# {rule.id} {rule.name}\n\n{rule.category} · {rule.severity} · defined in "
        f"`{_short_source(rule.source)}:{rule.line}`\n\n{description}\n\n"
        f"## Check: {rule.check}\n\n{check_doc}\n\n{options}\n\n## Examples"
    ))
    for kind, label in (("fail", "Flagged"), ("pass", "Not flagged")):
        for text in rule.examples.get(kind, []):
            console.print(Text(f"{label}:", style="bold"))
            console.print(Text("\n".join("    " + line for line in text.splitlines() or [""])))
    raise SystemExit(EXIT_SUCCESS)


@main.command("test-rules")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@_guarded
def test_rules(paths: tuple[str, ...]) -> int:
    """Run every rule's examples (built-in and PATHS); exit 1 if any fails."""
    from provlint.rule_tests import run_examples
    from provlint.ruleset import rule_files

    ruleset = _load(paths)
    chosen_files = {str(f) for p in paths for f in rule_files(Path(p))}
    rules = [r for r in ruleset.rules if r.source in chosen_files] if paths else ruleset.rules
    results = run_examples(ruleset, rules)
    failures = [r for r in results if not r.ok]
    for failure in failures:
        click.echo(f"FAIL {failure.explain()}")
    click.echo(f"{len(results) - len(failures)} passed, {len(failures)} failed "
               f"({len(rules)} rules)")
    raise SystemExit(EXIT_FINDINGS if failures else EXIT_SUCCESS)
