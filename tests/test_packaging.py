"""The wheel carries the built-in rules and schemas, so an installed provlint finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_ships_rules_and_schemas(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(tmp_path)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("provlint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("provlint/_builtin/rules/blocks.yaml", "provlint/_builtin/rules/placeholder.yaml",
                     "provlint/_builtin/schemas/rule.schema.json", "provlint/_builtin/schemas/article.schema.json",
                     "provlint/cli.py"):
        assert expected in names
    assert any(name.endswith("entry_points.txt") for name in names)
