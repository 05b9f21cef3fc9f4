"""The rule commands: `provlint rules` lists them, `explain` shows one, `test-rules` runs
their examples and fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import click

from provlint.cli.group import (EXIT_ERROR, EXIT_FINDINGS, EXIT_SUCCESS, check_selectors, make_console, guarded, load_rules,
                               main, settings_and_rules, split_values)


@main.command("rules")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder.")
@click.option("--select", multiple=True, help="Only these ids, prefixes, categories or names.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@guarded
def list_rules(config_file: str | None, rule_paths: tuple[str, ...], select: tuple[str, ...], output_format: str) -> int:
    """List every loaded rule: the built-in ones and the config's `rules:`."""
    import json

    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from provlint.engine import select_rules

    _, ruleset = settings_and_rules(config_file, rule_paths)
    check_selectors("--select", split_values(select), ruleset.rules)
    chosen = select_rules(ruleset.rules, split_values(select) or ["ALL"])
    if output_format == "json":
        click.echo(json.dumps([
            {"id": r.id, "name": r.name, "category": r.category, "severity": r.severity, "selection": r.selection,
             "check": r.check, "summary": r.summary, "source": short_source(r.source), "line": r.line} for r in chosen
        ], ensure_ascii=False, indent=2))
        raise SystemExit(EXIT_SUCCESS)
    rows = [(rule.id, rule.name, rule.category, rule.severity, rule.selection, rule.check,
             short_source(rule.source)) for rule in chosen]
    columns = ("id", "name", "category", "severity", "selection", "check", "source")
    console = make_console()
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


def short_source(source: str) -> str:
    from provlint.ruleset import BUILTIN_RULES

    try:
        return "built-in:" + Path(source).relative_to(BUILTIN_RULES).as_posix()
    except ValueError:
        return source


@main.command()
@click.argument("rule_id")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder.")
@guarded
def explain(rule_id: str, config_file: str | None, rule_paths: tuple[str, ...]) -> int:
    """Show what a rule checks, why, how to fix it, and its examples (built-in rules and the config's `rules:`)."""

    from rich.markdown import Markdown
    from rich.text import Text

    from provlint.checks import DOCS
    from provlint.rule_tests import show_example
    from provlint.problems import close_matches

    _, ruleset = settings_and_rules(config_file, rule_paths)
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
    console = make_console()
    selection = ("default selection: runs unless ignored" if rule.selection == "default" else
                 f"{rule.selection} selection: runs only when selected (`--select {rule.id}`, "
                 f"`--select {rule.selection}` or `--select ALL`)")
    console.print(Markdown(
        f"# {rule.id} {rule.name}\n\n{rule.category} · {rule.severity} · {selection} · defined in "
        f"`{short_source(rule.source)}:{rule.line}` · [reference]({rule.help_uri})\n\n{description}\n\n"
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
@guarded
def test_rules(paths: tuple[str, ...], config_file: str | None, no_builtin: bool, require_examples: bool) -> int:
    """Run the examples and file fixtures of the rules in PATHS, or of every rule `check` loads
    (the built-in ones and the config's `rules:`); exit 1 if any fails.

    A rule with neither is noted, not failed (as Semgrep lists rules without tests);
    --require-examples makes it a failure."""
    from provlint.reporters import counted
    from provlint.rule_tests import ExampleResult, FixtureResult, run_examples, run_fixtures, untested
    from provlint.ruleset import rule_files

    if no_builtin:
        ruleset = load_rules(paths, builtin=False)
    else:
        _, ruleset = settings_and_rules(config_file, paths)
    chosen_files = {ruleset.aliases.get(f.resolve(), f.resolve()) for p in paths for f in rule_files(Path(p))}
    rules = [r for r in ruleset.rules if Path(r.source).resolve() in chosen_files] if paths else ruleset.rules
    results: list[ExampleResult | FixtureResult] = [*run_examples(ruleset, rules), *run_fixtures(ruleset, rules)]
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
