"""Rule selectors in every place (--select, --ignore, config select/ignore, severity,
per-path-ignores): one matching for all, and a selector that matches no rule is a usage
error with a did-you-mean, never a run that silently checks nothing."""

from __future__ import annotations

import pytest

from conftest import SEED, provlint


@pytest.mark.parametrize("flags, error", [
    (["--select", "PH01"], "Error: Invalid value for '--select': no rule matches 'PH01'; did you mean PH001?"),
    (["--select", "placeholders"],
     "Error: Invalid value for '--select': no rule matches 'placeholders'; did you mean placeholder?"),
    (["--select", "PH,all"], "Error: Invalid value for '--select': no rule matches 'all'; did you mean ALL?"),
    (["--ignore", "PH0001"], "Error: Invalid value for '--ignore': no rule matches 'PH0001'; did you mean PH001?"),
    (["--select", "ZZZZZZZZ"], "Error: Invalid value for '--select': no rule matches 'ZZZZZZZZ'"),
    (["--extend-select", "strikt"], "Error: Invalid value for '--extend-select': no rule matches 'strikt'; did you mean strict?"),
])
def test_unknown_selector_on_the_command_line_is_a_usage_error(tmp_path, flags, error):
    run = provlint("check", SEED, "--format", "json", *flags, cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err.splitlines()[-1] == error


@pytest.mark.parametrize("flags, rules", [
    (["--select", "xpath-placeholder"], {"PH001"}),   # a rule name
    (["--select", "Placeholder"], {"PH001"}),          # a category, any case
    (["--select", "ph0"], {"PH001"}),                  # an id prefix, any case
    (["--select", "PH", "--ignore", "xpath-placeholder"], set()),
])
def test_known_selectors_still_select(tmp_path, flags, rules):
    run = provlint("check", SEED, "--format", "json", *flags, cwd=tmp_path)
    assert run.code in (0, 1) and {f[1] for f in run.findings()} == rules


def test_unknown_selectors_in_the_config_are_reported_at_their_place(tmp_path):
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "provlint.yaml").write_text(
        "select: [PH, PHX]\n"
        "ignore: [TX001, glued-sentence]\n"
        "severity: {PH0001: info, AT: warning}\n"
        "per-path-ignores:\n"
        "  'dumps/*': [xpath-placeholder, placholder]\n", encoding="utf-8")
    run = provlint("check", "dumps", "--format", "json", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert run.err.splitlines() == [
        "error: provlint.yaml:1:14: select: no rule matches 'PHX'; did you mean PH?",
        "error: provlint.yaml:2:17: ignore: no rule matches 'glued-sentence'; did you mean glued-sentences?",
        "error: provlint.yaml:3:12: severity: no rule matches 'PH0001'; did you mean PH001?",
        "error: provlint.yaml:5:34: per-path-ignores: no rule matches 'placholder'; did you mean placeholder?",
        "provlint: invalid configuration; nothing was checked",
    ]


def test_config_selectors_are_checked_when_the_command_line_extends_them(tmp_path):
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "provlint.yaml").write_text("extend-ignore: [TX01]\nselect: [PHX]\n", encoding="utf-8")
    run = provlint("check", "seed.txt", "--extend-ignore", "DU", "--select", "PH", cwd=tmp_path)
    assert run.code == 2
    assert run.err.splitlines()[:2] == [
        "error: provlint.yaml:1:17: extend-ignore: no rule matches 'TX01'; did you mean TX001?",
        "error: provlint.yaml:2:10: select: no rule matches 'PHX'; did you mean PH?",
    ]


def test_unknown_selectors_in_pyproject(tmp_path):
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "pyproject.toml").write_text('[tool.provlint]\nselect = ["PH"]\n\n[tool.provlint.severity]\nPH0001 = "info"\n',
                                             encoding="utf-8")
    run = provlint("check", "seed.txt", cwd=tmp_path)
    assert run.code == 2
    assert "error: pyproject.toml:5:1: severity: no rule matches 'PH0001'; did you mean PH001?" in run.err.splitlines()


def test_a_selector_of_the_projects_own_rules_is_known(tmp_path):
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "peskov.yaml").write_text(
        "id: TX901\nname: peskov-named\ncategory: text\nseverity: error\nmessage: 'Peskov named'\n"
        "description: Names Peskov.\ncheck: pattern\ntarget: [body]\npattern: 'Peskov'\n", encoding="utf-8")
    (tmp_path / "provlint.yaml").write_text("rules: [rules]\nselect: [peskov-named]\n", encoding="utf-8")
    run = provlint("check", "seed.txt", "--format", "json", cwd=tmp_path)
    assert run.code == 1 and {f[1] for f in run.findings()} == {"TX901"}


@pytest.mark.parametrize("selector", ["xpath-placeholder", "ALL", "default", "ph0"])
def test_per_path_ignores_accept_what_select_accepts(tmp_path, selector):
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "provlint.yaml").write_text(f"select: [PH]\nper-path-ignores:\n  'dumps/*': [{selector}]\n", encoding="utf-8")
    run = provlint("check", "dumps", "--format", "json", cwd=tmp_path)
    assert run.code == 0 and run.findings() == []
    assert run.json()["files_checked"] == 1


def test_rules_command_rejects_an_unknown_selector(tmp_path):
    run = provlint("rules", "--select", "PHX", cwd=tmp_path)
    assert run.code == 2
    assert run.err.splitlines()[-1] == "Error: Invalid value for '--select': no rule matches 'PHX'; did you mean PH?"


def test_api_raises_for_an_unknown_selector_in_the_config(tmp_path):
    import provlint as api
    from provlint.config import ConfigError

    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    config = tmp_path / "provlint.yaml"
    config.write_text("select: [PH01]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no rule matches 'PH01'; did you mean PH001"):
        api.lint_paths([str(tmp_path / "seed.txt")], config=config)
