"""The wheel carries the built-in rules and schemas, so an installed provlint finds them;
installed from a wheel, its hot path runs compiled."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


def test_wheel_ships_rules_and_schemas(tmp_path):
    # Without the build hooks: the same files, without a minute of compiling (the install that
    # runs this suite built the compiled wheel).
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(tmp_path)], check=True, capture_output=True,
                   env=dict(os.environ, HATCH_BUILD_NO_HOOKS="true"))
    wheel = next(tmp_path.glob("provlint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("provlint/_builtin/rules/blocks.yaml", "provlint/_builtin/rules/placeholder.yaml",
                     "provlint/_builtin/schemas/rule.schema.json", "provlint/_builtin/schemas/article.schema.json",
                     "provlint/cli/__init__.py", "provlint/cli/templates/editorial-marker.yaml"):
        assert expected in names
    assert any(name.endswith("entry_points.txt") for name in names)


def test_an_installed_wheel_runs_compiled():
    import provlint

    if Path(provlint.__file__).resolve().parent == (REPO / "provlint").resolve():
        pytest.skip("provlint runs from the source tree (an editable install): pure Python by design")
    if not shutil.which((sysconfig.get_config_var("CC") or "cc").split()[0]):
        pytest.skip("no C compiler here: the wheel fell back to pure Python")
    assert provlint.compiled()
