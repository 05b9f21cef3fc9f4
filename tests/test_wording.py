"""What provlint prints reads right: counts with their plurals, the effective config as
YAML, help for the benchmark scripts, the severities and colours asked for."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from conftest import REPO, SEED, provlint


def test_counts_are_singular_for_one(tmp_path):
    dump = tmp_path / "dump.txt"
    dump.write_text("2022-02-21T08:57+0100\n\n{{title}}\n", encoding="utf-8")
    run = provlint("check", "dump.txt", "--select", "PH", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert run.out.splitlines()[-1] == "1 finding (1 error, 0 warnings, 0 info) in 1 file"
    (tmp_path / "provlint.yaml").write_text("severity: {PH002: warning}\n", encoding="utf-8")
    run = provlint("check", "dump.txt", "--select", "PH", cwd=tmp_path)
    assert run.out.splitlines()[-1] == "1 finding (0 errors, 1 warning, 0 info) in 1 file"
    dump.write_text("2022-02-21T08:57+0100\n\nA title\n", encoding="utf-8")
    run = provlint("check", "dump.txt", "--select", "PH", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.out.splitlines()[-1] == ("0 findings (0 errors, 0 warnings, 0 info) in 1 file; 0 hidden by the baseline, "
                                        "1 baseline entry no longer occurs (re-run with --write-baseline to shrink it)")


def test_config_prints_yaml(tmp_path):
    (tmp_path / "provlint.yaml").write_text(
        "select: [PH, TS]\nseverity: {AT002: warning, SC: off}\nper-path-ignores:\n  'archive/*': [placeholder]\n"
        "input:\n  fields:\n    title: meta.headline\nexclude: ['*.tmp.txt', 'a: b']\n", encoding="utf-8")
    run = provlint("config", cwd=tmp_path)
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == f"# config file: {tmp_path / 'provlint.yaml'}"
    assert "severity: {AT002: warning, SC: 'off'}  # provlint.yaml" in lines
    assert "fail-on: warning  # default" in lines and "format: null  # default" in lines
    shown = yaml.safe_load(run.out)
    assert shown["select"] == ["PH", "TS"] and shown["severity"] == {"AT002": "warning", "SC": "off"}
    assert shown["per-path-ignores"] == {"archive/*": ["placeholder"]} and shown["exclude"] == ["*.tmp.txt", "a: b"]
    assert shown["input"] == {"fields": {"title": "meta.headline"}} and shown["respect-gitignore"] is True


@pytest.mark.parametrize("script", sorted(path.name for path in (REPO / "benchmarks").glob("*.py")
                                           if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")))
def test_benchmark_scripts_have_help(script):
    completed = subprocess.run([sys.executable, REPO / "benchmarks" / script, "--help"], capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 0 and completed.stdout.startswith(f"usage: {script} ")
    assert "Traceback" not in completed.stderr


def test_min_severity_hides_findings_but_not_the_exit_code(tmp_path):
    run = provlint("check", SEED, "--format", "json", "--min-severity", "warning", cwd=tmp_path)
    assert run.code == 1 and [(line, rule) for line, rule, _ in run.findings()] == [(27, "PH001"), (27, "PH001")]
    run = provlint("check", SEED, "--format", "concise", "--min-severity", "error", "--select", "DU,TX,PV",
                   "--fail-on", "info", cwd=tmp_path)
    assert run.code == 1  # nine info findings fail the run at --fail-on info, shown or not
    assert run.out == "0 findings (0 errors, 0 warnings, 0 info) in 1 file; 9 below --min-severity not shown\n"
    (tmp_path / "provlint.yaml").write_text("min-severity: warning\n", encoding="utf-8")
    assert provlint("check", SEED, "--format", "concise", cwd=tmp_path).out.splitlines()[-1] == \
        "2 findings (2 errors, 0 warnings, 0 info) in 1 file; 9 below --min-severity not shown"


@pytest.mark.parametrize("flags, env, coloured", [
    ([], {}, False),                                   # not a terminal
    (["--color", "always"], {}, True),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag wins over the environment
])
def test_colour(tmp_path, monkeypatch, flags, env, coloured):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    lines = provlint("check", SEED, "--format", "concise", *flags, cwd=tmp_path).out.splitlines()
    assert any("\x1b[" in line for line in lines) == coloured
    if coloured:
        assert lines[2] == (f"\x1b[1m{SEED}:27:1:\x1b[0m \x1b[1mPH001\x1b[0m \x1b[1;31merror\x1b[0m "
                            "unresolved XPath placeholder \"/html/head/meta[@name='og:title']/@content\"")
    if flags:  # the full report follows the same choice
        assert "\x1b[" in provlint("check", SEED, "--format", "full", *flags, cwd=tmp_path).out
