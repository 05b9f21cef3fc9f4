"""`provlint init`: writes the starter config and rule, kept as files in `templates/`
(the rule is a real rule file, so the suite lints and runs it as a user would)."""

from __future__ import annotations

from pathlib import Path

import click

from provlint.cli.group import EXIT_SUCCESS, guarded, main
from provlint.cli.output import write_atomically

TEMPLATES = Path(__file__).parent / "templates"
STARTER_FILES = {"STARTER_CONFIG": "provlint.yaml", "STARTER_PYPROJECT": "pyproject.toml",
                 "STARTER_RULE": "editorial-marker.yaml"}


def template(name: str) -> str:
    """A starter file's text, by its name in `STARTER_FILES` (read when needed: not at every start)."""
    return (TEMPLATES / STARTER_FILES[name]).read_text(encoding="utf-8")


@main.command()
@click.option("--pyproject", is_flag=True, help="Add [tool.provlint] to ./pyproject.toml instead of writing provlint.yaml.")
@guarded
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
    rule.write_text(template("STARTER_RULE"), encoding="utf-8")
    if pyproject:
        write_atomically(str(config), config.read_text(encoding="utf-8").rstrip("\n") + "\n" + template("STARTER_PYPROJECT"))
    else:
        config.write_text(template("STARTER_CONFIG"), encoding="utf-8")
    click.echo(f"wrote {config} and {rule}\nnext: provlint test-rules provlint-rules/ && provlint check <dumps>")
    raise SystemExit(EXIT_SUCCESS)
