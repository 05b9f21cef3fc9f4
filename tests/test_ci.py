"""provlint as a CI step: config files, machine formats, several outputs, baselines."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from conftest import FIXTURES, SEED, provlint


def seed_json(tmp_path):
    return provlint("check", SEED, "--format", "json", cwd=tmp_path).json()["findings"]


def keys(findings):
    return [(f["line"], f["rule"]) for f in findings]


# -- formats -------------------------------------------------------------------------

def test_sarif_validates_and_carries_rules_and_fingerprints(tmp_path):
    run = provlint("check", SEED, "--format", "sarif", cwd=tmp_path)
    assert run.code == 1
    sarif = json.loads(run.out)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    driver = sarif["runs"][0]["tool"]["driver"]
    ph001 = next(rule for rule in driver["rules"] if rule["id"] == "PH001")
    assert ph001["name"] == "xpath-placeholder" and ph001["defaultConfiguration"]["level"] == "error"
    assert ph001["shortDescription"]["text"] and ph001["fullDescription"]["text"]
    assert ph001["help"]["text"] and ph001["help"]["markdown"]
    results = sarif["runs"][0]["results"]
    assert [(r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"]) for r in results] == \
        keys(seed_json(tmp_path))
    first = next(r for r in results if r["ruleId"] == "PH001")
    assert first["level"] == "error" and first["message"]["text"].startswith("unresolved XPath")
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 27, "startColumn": 1, "endLine": 27, "endColumn": 43}
    assert not first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("/")
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert all(hashes) and len(set(hashes)) == len(hashes)


def test_github_annotations(tmp_path):
    run = provlint("check", SEED, "--format", "github", cwd=tmp_path)
    lines = run.out.splitlines()
    assert len(lines) == len(seed_json(tmp_path))
    assert lines[2].startswith("::error file=") and ",line=27,col=1,endLine=27,endColumn=43,title=provlint (PH001)::" in lines[2]
    assert lines[0].startswith("::notice ")


def test_github_escaping(tmp_path):
    (tmp_path / "rule.yaml").write_text(
        'id: TX901\nname: odd-message\ncategory: text\nseverity: warning\nmessage: "100% sure, a:b\\nnext"\n'
        'description: "What: x. Why: y. How to fix: z."\ncheck: pattern\ntarget: blocks\npattern: "Kremlin"\n',
        encoding="utf-8")
    dump = tmp_path / "a,b:c.txt"
    dump.write_text("Le Kremlin a parlé", encoding="utf-8")
    run = provlint("check", dump.name, "--rules", "rule.yaml", "--select", "TX901", "--format", "github", cwd=tmp_path)
    assert run.out.strip() == ("::warning file=a%2Cb%3Ac.txt,line=1,col=4,endLine=1,endColumn=11,"
                               "title=provlint (TX901)::100%25 sure, a:b%0Anext")


def test_github_is_the_default_under_github_actions(tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, GITHUB_ACTIONS="true")
    out = subprocess.run([sys.executable, "-m", "provlint", "check", str(SEED)], cwd=tmp_path, env=env,
                         capture_output=True, text=True).stdout
    assert out.startswith("::notice file=")


def test_gitlab_code_quality(tmp_path):
    report = json.loads(provlint("check", SEED, "--format", "gitlab", cwd=tmp_path).out)
    assert [(i["location"]["lines"]["begin"], i["check_name"]) for i in report] == \
        [(line or 1, rule) for line, rule in keys(seed_json(tmp_path))]
    assert len({i["fingerprint"] for i in report}) == len(report)
    assert {i["severity"] for i in report} == {"major", "info"}
    assert all(not i["location"]["path"].startswith("/") for i in report)


def test_junit(tmp_path, seed_text):
    (tmp_path / "clean.txt").write_text("2022-02-21T08:57+0100\n\nIrina Tarassova\n\nSputnik France feedback.fr@sputniknews.com",
                                        encoding="utf-8")
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    root = ET.fromstring(provlint("check", ".", "--format", "junit", cwd=tmp_path).out)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"clean.txt", "seed.txt"}
    clean = suites["clean.txt"]
    assert clean.get("failures") == "0" and [c.get("name") for c in clean.iter("testcase")] == ["provlint"]
    cases = [c.get("name") for c in suites["seed.txt"].iter("testcase")]
    json_findings = provlint("check", "seed.txt", "--format", "json", cwd=tmp_path).json()["findings"]
    assert cases == [f"{f['rule']} {f['line']}:{f['column']}" for f in json_findings]
    failing = [case.get("name") for case in suites["seed.txt"].iter("testcase") if case.find("failure") is not None]
    assert failing == ["PH001 27:1", "PH001 27:44"]  # the errors; info findings do not fail at --fail-on warning


def test_jsonl_matches_json(tmp_path):
    rows = [json.loads(line) for line in provlint("check", SEED, "--format", "jsonl", cwd=tmp_path).out.splitlines()]
    assert rows == seed_json(tmp_path)


def test_several_outputs_at_once(tmp_path):
    run = provlint("check", SEED, "--format", "concise", "--output-format", "sarif=out.sarif",
                   "--output-format", "junit=out.xml", cwd=tmp_path)
    assert run.code == 1 and "PH001" in run.out
    assert json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"
    ET.fromstring((tmp_path / "out.xml").read_text())
    assert provlint("check", SEED, "--output-format", "xml=out.x", cwd=tmp_path).code == 2


def test_statistics(tmp_path):
    run = provlint("check", SEED, "--statistics", cwd=tmp_path)
    assert run.out.splitlines()[0].split() == ["5", "TX001", "[info]", "glued-sentences"]


def test_output_refuses_to_overwrite_an_input(tmp_path, seed_text):
    dump = tmp_path / "dump.txt"
    dump.write_text(seed_text, encoding="utf-8")
    run = provlint("check", ".", "--output", "dump.txt", cwd=tmp_path)
    assert run.code == 2 and "refusing to overwrite an input file" in run.err
    assert dump.read_text(encoding="utf-8") == seed_text


# -- baseline ------------------------------------------------------------------------

def test_baseline_survives_moved_blocks_and_reports_new_findings(tmp_path, seed_text):
    dump = tmp_path / "seed.txt"
    dump.write_text(seed_text, encoding="utf-8")
    assert provlint("check", "seed.txt", "--write-baseline", "baseline.json", "--quiet", cwd=tmp_path).code == 1
    header, rest = seed_text.split("\n", 1)
    dump.write_text(header + "\n\n\n\n" + rest, encoding="utf-8")  # every later block moves down three lines
    run = provlint("check", "seed.txt", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    assert run.code == 0 and run.json()["findings"] == []
    dump.write_text(header + "\n\n\n\n" + rest + "\n\n{{ article.title }}\n", encoding="utf-8")
    run = provlint("check", "seed.txt", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert [(f["line"], f["rule"]) for f in run.json()["findings"]] == [(68, "PH002")]


def test_baseline_reports_stale_entries_and_is_sorted(tmp_path, seed_text):
    dump = tmp_path / "seed.txt"
    dump.write_text(seed_text, encoding="utf-8")
    provlint("check", "seed.txt", "--write-baseline", "baseline.json", "--quiet", cwd=tmp_path)
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert entries == sorted(entries, key=lambda e: (e["path"], e["rule"], e["fingerprint"], e["message"]))
    placeholder = "/html/head/meta[@name='og:title']/@content /html/head/meta[@name='og:description']/@content\n\n"
    dump.write_text(seed_text.replace(placeholder, ""), encoding="utf-8")
    run = provlint("check", "seed.txt", "--baseline", "baseline.json", cwd=tmp_path)
    assert run.code == 0
    assert "2 baseline entries no longer occur" in run.out
    sarif = json.loads(provlint("check", "seed.txt", "--baseline", "baseline.json", "--format", "sarif",
                                cwd=tmp_path).out)
    assert all("suppressions" in r for r in sarif["runs"][0]["results"])


# -- configuration -------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, seed_text):
    (tmp_path / "dumps" / "legacy").mkdir(parents=True)
    (tmp_path / "dumps" / "seed.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "dumps" / "legacy" / "old.txt").write_text(seed_text, encoding="utf-8")
    return tmp_path


def rules_in(run):
    return sorted({(f["path"], f["rule"]) for f in run.json()["findings"]})


def test_pyproject_config_is_found_from_a_subfolder(project):
    (project / "pyproject.toml").write_text('[tool.provlint]\nselect = ["PH"]\n', encoding="utf-8")
    run = provlint("check", ".", "--format", "json", cwd=project / "dumps")
    assert {rule for _, rule in rules_in(run)} == {"PH001"}


def test_provlint_yaml_wins_over_pyproject_and_flags_win_over_both(project):
    (project / "pyproject.toml").write_text('[tool.provlint]\nselect = ["PH"]\n', encoding="utf-8")
    (project / "provlint.yaml").write_text("select: [TX]\n", encoding="utf-8")
    assert {r for _, r in rules_in(provlint("check", "dumps", "--format", "json", cwd=project))} == {"TX001"}
    run = provlint("check", "dumps", "--format", "json", "--select", "DU", cwd=project)
    assert {r for _, r in rules_in(run)} == {"DU001"}
    shown = provlint("config", cwd=project).out
    assert "select: [TX]  # provlint.yaml" in shown and "fail-on: warning  # default" in shown


def test_per_path_ignores_and_severity_off(project):
    (project / "provlint.yaml").write_text(
        "severity:\n  TX001: off\n  PH001: warning\nper-path-ignores:\n  'dumps/legacy/*': [placeholder]\n",
        encoding="utf-8")
    findings = provlint("check", "dumps", "--format", "json", cwd=project).json()["findings"]
    assert not any(f["rule"] == "TX001" for f in findings)
    placeholder = [(f["path"], f["severity"]) for f in findings if f["rule"] == "PH001"]
    assert placeholder == [("dumps/seed.txt", "warning"), ("dumps/seed.txt", "warning")]


def test_fail_on_and_format_from_config(project):
    (project / "provlint.yaml").write_text("fail-on: error\nformat: json\nignore: [PH]\n", encoding="utf-8")
    run = provlint("check", "dumps", cwd=project)
    assert run.code == 0 and json.loads(run.out)["files_checked"] == 2


@pytest.mark.parametrize("name, text, where", [
    ("provlint.yaml", "select: [PH]\nfail_on: error\n", "provlint.yaml:2:1: unknown key 'fail_on'; did you mean 'fail-on'?"),
    ("pyproject.toml", '[tool.provlint]\nselect = ["PH"]\nseverity = {PH001 = "loud"}\n',
     "pyproject.toml:3:1: severity/PH001: 'loud' is not one of"),
])
def test_bad_config(project, name, text, where):
    (project / name).write_text(text, encoding="utf-8")
    run = provlint("check", "dumps", cwd=project)
    assert run.code == 2 and where in run.err and "Traceback" not in run.err


def test_gitignore_is_respected(project):
    (project / ".gitignore").write_text("legacy/\n", encoding="utf-8")
    paths = {p for p, _ in rules_in(provlint("check", "dumps", "--format", "json", cwd=project))}
    assert paths == {"dumps/seed.txt"}
    paths = {p for p, _ in rules_in(provlint("check", "dumps", "--format", "json", "--no-gitignore", cwd=project))}
    assert paths == {"dumps/seed.txt", "dumps/legacy/old.txt"}


def test_jobs_give_the_same_findings(project, seed_text):
    for index in range(70):
        (project / "dumps" / f"copy{index:02d}.txt").write_text(seed_text, encoding="utf-8")
    one = provlint("check", "dumps", "--format", "json", "--jobs", "1", cwd=project).json()
    two = provlint("check", "dumps", "--format", "json", "--jobs", "2", cwd=project).json()
    assert one == two and one["files_checked"] == 72


def test_integration_files_are_valid():
    import yaml

    from conftest import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "provlint" and hooks[0]["entry"] == "provlint check --force-exclude"
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert any("--output-format" in step.get("run", "") for step in action["runs"]["steps"])
