"""`provlint inspect`: how one file is read, its blocks and fields."""

from __future__ import annotations

import os
from pathlib import Path

import click

from provlint.cli.group import EXIT_ERROR, EXIT_SUCCESS, make_console, guarded, load_config, load_rules, main
from provlint.vocabulary import INPUT_FORMATS


@main.command("inspect")
@click.argument("file", type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(), help="Extra rule file or folder (repeatable).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS),
              help="Read the file as this kind [default: auto, by name ending and content].")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@guarded
def inspect_file(file: str, config_file: str | None, rule_paths: tuple[str, ...], input_format: str | None,
            output_format: str) -> int:
    """Show how FILE is read: its blocks with their kinds, its fields with values and places."""
    from provlint.escaping import json_text, shown_path
    from provlint import inspection as inspecting

    if not os.path.lexists(file):
        raise click.UsageError(f"no such file: {file}")
    if os.path.isdir(file):
        raise click.UsageError(f"{file} is a folder; inspect takes one file")
    settings = load_config(config_file)
    if rule_paths:
        settings.override("rules", settings["rules"] + list(rule_paths))
    ruleset = load_rules(tuple(settings["rules"]))
    shown = shown_path(os.path.normpath(file))
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
        inspecting.render(inspection, make_console())
    raise SystemExit(EXIT_SUCCESS)
