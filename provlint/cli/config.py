"""`provlint config` (the effective settings) and `provlint clean` (the cache they name)."""

from __future__ import annotations

from pathlib import Path

import click

from provlint.cli.group import EXIT_SUCCESS, guarded, load_config, main


@main.command()
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Cache folder [default: .provlint_cache].")
@guarded
def clean(config_file: str | None, cache_dir: str | None) -> int:
    """Remove the cache of findings (.provlint_cache)."""
    from provlint.engine.cache import clean as remove

    settings = load_config(config_file)
    folder = Path(cache_dir) if cache_dir else settings.cache_folder
    removed = remove(folder)
    click.echo(f"removed {folder}" if removed else f"no cache in {folder}")
    raise SystemExit(EXIT_SUCCESS)


@main.command("config")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this config file (no discovery).")
@guarded
def show_config(config_file: str | None) -> int:
    """Print the effective settings as YAML (a provlint.yaml), each with where it came from."""
    import yaml

    settings = load_config(config_file)
    click.echo(f"# config file: {settings.file or '(none found; defaults)'}")
    for key in sorted(settings.values):
        # One line per setting (flow style), so the origin can follow as a comment.
        value = yaml.safe_dump(settings.values[key], default_flow_style=True, allow_unicode=True, width=1_000_000)
        value = value.removesuffix("...\n").strip()  # the end-of-document mark after a plain scalar
        click.echo(f"{key}: {value}  # {settings.origins[key]}")
    raise SystemExit(EXIT_SUCCESS)
