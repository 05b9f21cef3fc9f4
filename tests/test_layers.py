"""Layers: readers, model, checks and engine never import the CLI or the reporters
(a reader never reports, a check never prints), import-linter's contracts hold, and the
whole package type-checks."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "provlint"
CORE = ["model.py", "ruleset.py", "selection.py", "globs.py", "dates.py", "datenames.py", "timestamps.py", "patterns.py",
        "visible.py", "sources.py", "lexicons.py",
        *(f"engine/{p.name}" for p in (PACKAGE / "engine").glob("*.py")),
        *(f"readers/{p.name}" for p in (PACKAGE / "readers").glob("*.py")),
        *(f"checks/{p.name}" for p in (PACKAGE / "checks").glob("*.py"))]


def imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("module", CORE)
def test_core_modules_do_not_import_cli_or_reporters(module):
    bad = [name for name in imports(PACKAGE / module)
           if name.startswith(("provlint.cli", "provlint.reporters", "click", "rich"))]
    assert bad == []


@pytest.mark.parametrize("module", [f"checks/{p.name}" for p in (PACKAGE / "checks").glob("*.py")])
def test_checks_never_print(module):
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert "print" not in calls


@pytest.mark.parametrize(("module", "forbidden"), [
    ("config.py", "provlint.engine"),  # the config reads selection and globs, not the engine
    ("selection.py", "provlint.engine"),
    ("globs.py", "provlint.engine"),
    ("engine/cache.py", "provlint.checks"),  # the cache keys on rule files, never on a check kind
    ("engine/reuse.py", "provlint.checks"),
])
def test_what_a_module_never_imports(module, forbidden):
    assert [name for name in imports(PACKAGE / module) if name.startswith(forbidden)] == []


@pytest.mark.parametrize("module", ["rulepack.py", "problems.py",
                                    *(f"checks/{p.name}" for p in (PACKAGE / "checks").glob("*.py"))])
def test_no_circle_between_the_checks_and_the_loader(module):
    """The loader (`provlint.ruleset`) imports the checks to prepare and judge rules; the
    checks see only the rule model (`provlint.rulepack`) and what `prepare` hands them."""
    assert [name for name in imports(PACKAGE / module) if name in ("provlint.ruleset", "provlint.packdata")] == []
    if not module.startswith("checks/"):
        assert [name for name in imports(PACKAGE / module) if name.startswith("provlint.checks")] == []


def test_rules_hold_no_pointer_to_their_pack():
    import inspect

    from provlint.rulepack import Rule

    assert "data" not in inspect.signature(Rule).parameters


def test_the_package_type_checks():
    """mypy, as the compiled build's mypyc sees the hot path, but over every module."""
    done = subprocess.run([sys.executable, "-m", "mypy", "--ignore-missing-imports", "--cache-dir", os.devnull,
                           str(PACKAGE)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_layer_contracts():
    """import-linter's contracts (`[tool.importlinter]` in pyproject.toml), which follow
    imports through other modules: readers and checks never reach the engine, the CLI, the
    API or the reporters; reporters never reach what makes findings."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))  # the source tree, not a compiled install
    assert done.returncode == 0, done.stdout + done.stderr

