"""Hostile corpora and rule packs: every file gets an answer, nothing hangs or is lost."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, NO_NETWORK, REPO, SEED, provlint
from watching import killing_readers


def by_path(run):
    found = {}
    for finding in run.json()["findings"]:
        found.setdefault(finding["path"], []).append((finding["rule"], finding["severity"]))
    return found


def hostile_corpus(folder, seed_text):
    """Every kind of hostile input, built at test time (no stored binaries).
    Returns {file name: the IN rule it must get, or None for normal findings}."""
    seed_blocks = seed_text.split("\n\n")
    files = {
        "seed.txt": (seed_text, None),
        "empty.txt": ("", "IN001"),
        "blank.txt": (" \n\n\t\n", "IN001"),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "IN002"),
        "cp1251.txt": ((FIXTURES / "ria_clean.txt").read_text(encoding="utf-8").encode("cp1251"), "IN004"),
        "big.txt": (b"", "IN006"),
        "blocks10k.txt": ("\n\n".join(seed_blocks[i % len(seed_blocks)] for i in range(10_000)), None),
        "longline.txt": (" date 2022-02 https://example.org/a\n\n" + "mot " * 270_000 + "\n", None),
        "crlf_bom.txt": ("\ufeff" + seed_text.replace("\n", "\r\n"), None),
        "cr_only.txt": (seed_text.replace("\n", "\r"), None),
        "mixed_endings.txt": (seed_text.replace("\n\n", "\r\n\n", 10), None),
        "controls.txt": ("\x01\x02 titre\x7f\n\n\u2028\u2029\x0b\x0c texte\n", None),
    }
    for name, (content, _) in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    with open(folder / "big.txt", "wb") as big:  # 20 MB of dumps, over the 10 MB default limit
        chunk = (seed_text + "\n\n").encode("utf-8")
        for _ in range(20_000_000 // len(chunk) + 1):
            big.write(chunk)
    (folder / "broken.txt").symlink_to(folder / "nowhere")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "folder.txt").mkdir()  # a download saved as a folder
    expected = {name: rule for name, (_, rule) in files.items()}
    expected.update({"broken.txt": "IN005", "loop1.txt": "IN005", "loop2.txt": "IN005", "pipe.txt": "IN005",
                     "folder.txt": "IN005"})
    return expected


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hostile_corpus(tmp_path, seed_text, jobs):
    expected = hostile_corpus(tmp_path, seed_text)
    run = provlint("check", ".", "--format", "json", "--jobs", jobs, cwd=tmp_path)
    assert run.code == 1 and "Traceback" not in run.err + run.out
    found = by_path(run)
    assert run.json()["files_checked"] == len(expected)
    for name, rule in expected.items():
        rules = found.get(name, [])
        input_rules = [r for r, _ in rules if r.startswith("IN")]
        if rule is None:
            assert input_rules == [], (name, rules)
        else:
            assert input_rules == [rule], (name, rules)
    assert ("PH001", "error") in found["seed.txt"]
    seed_only = [f for f in run.json()["findings"] if f["path"] == "seed.txt"]
    assert [(f["line"], f["rule"]) for f in seed_only] == \
        [(f["line"], f["rule"]) for f in provlint("check", SEED, "--format", "json", cwd=tmp_path).json()["findings"]]
    for name in ("crlf_bom.txt", "cr_only.txt"):
        assert [r for r, _ in found[name]] == [r for r, _ in found["seed.txt"]]
    messages = {f["path"]: f["message"] for f in run.json()["findings"] if f["rule"].startswith("IN")}
    assert "No such file or directory" in messages["broken.txt"]
    assert "Too many levels of symbolic links" in messages["loop1.txt"]
    assert "not a regular file" in messages["pipe.txt"]
    assert messages["folder.txt"] == "cannot read the file: is a directory"
    assert messages["cp1251.txt"] == "file is not UTF-8; read as cp1251"


@pytest.mark.parametrize("url", ["http://[evil/2022/02/21/x.html", "//[", "https://[::1/x"])
def test_a_malformed_url_is_a_value_not_a_crash(tmp_path, seed_text, url):
    # urlsplit rejects a bracketed host that is no IP address; the dump is still read.
    (tmp_path / "bad.txt").write_text(f"Title here, long enough\n\n{url}\n", encoding="utf-8")
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    run = provlint("check", ".", "--format", "json", "--exit-zero", cwd=tmp_path)
    assert [f for f in run.json()["findings"] if f["rule"] == "IN000"] == []
    assert ("seed.txt", 27, "PH001") in [(f["path"], f["line"], f["rule"]) for f in run.json()["findings"]]


def test_file_vanishing_before_it_is_read(tmp_path):
    from provlint.readers import read_path
    from provlint.ruleset import load_ruleset

    [document] = read_path(tmp_path / "gone.txt", load_ruleset().table, "gone.txt")
    assert "No such file or directory" in document.facts["unreadable"]


def test_long_line_and_latin1(tmp_path):
    (tmp_path / "long.txt").write_text(" date 2022-02 https://example.org/a\n\n" + "mot " * 300_000 + "\n",
                                       encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(" date 2022-02 https://example.fr/a\n\nÉté à Paris : les élèves déçus "
                                          "par la réforme\n".encode("latin-1"))
    found = by_path(provlint("check", ".", "--format", "json", cwd=tmp_path))
    assert ("IN004", "warning") in found["latin1.txt"]
    assert all(rule != "IN000" for rules in found.values() for rule, _ in rules)


def test_texts_too_long_for_the_rule_sets_are_still_read_and_checked(tmp_path, seed_text):
    """Past a million characters RE2 sets are not trusted (their DFA may give up): the
    block table, the pattern screen and the cue screen then try every entry, with the same
    findings as for the same dump with a short body."""
    body = "Le texte continue sans fin. " * 40_000  # 1.1 million characters in one block
    placeholder = "/html/head/meta[@name='og:title']/@content"
    (tmp_path / "long.txt").write_text(f"{seed_text.rstrip()}\n\n{body}\n\n{placeholder}\n", encoding="utf-8")
    (tmp_path / "short.txt").write_text(f"{seed_text.rstrip()}\n\n{body[:4000]}\n\n{placeholder}\n",
                                        encoding="utf-8")
    run = provlint("check", ".", "--format", "json", cwd=tmp_path)
    found = {path: sorted((f["rule"], f["line"]) for f in run.json()["findings"] if f["path"] == path)
             for path in ("long.txt", "short.txt")}
    assert found["long.txt"] == found["short.txt"]
    last_line = seed_text.rstrip().count("\n") + 5
    assert ("PH001", last_line) in found["long.txt"]


def test_alias_bomb_in_a_rule_file_is_refused(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = provlint("check", SEED, "--rules", "bomb.yaml", cwd=tmp_path)
    assert run.code == 2 and "alias bomb" in run.err


def test_huge_rule_file_is_refused(tmp_path):
    (tmp_path / "huge.yaml").write_text("# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    run = provlint("check", SEED, "--rules", "huge.yaml", cwd=tmp_path)
    assert run.code == 2 and "larger than 1000000 bytes" in run.err


BROKEN_CHECK = """
import sys
import provlint.checks as checks
def broken(rule, document, prepared):
    raise ValueError("a bug in a check")
checks.CHECKS["contains"] = broken  # DU005's check kind
from provlint.cli import main
main(sys.argv[1:], prog_name="provlint")
"""


def broken_check(tmp_path, *flags: str) -> str:
    """stdout of `provlint check SEED FLAGS` run in tmp_path with DU005's check kind broken."""
    done = subprocess.run([sys.executable, "-c", BROKEN_CHECK, "check", str(SEED), *flags], cwd=tmp_path,
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(NO_NETWORK)))
    assert "Traceback" not in done.stderr
    return done.stdout


def test_a_crashing_check_costs_one_finding(tmp_path):
    def run(*flags):
        return json.loads(broken_check(tmp_path, "--format", "json", *flags))["findings"]

    findings = run()
    internal = [f for f in findings if f["rule"] == "IN000"]
    assert [f["message"] for f in internal] == ["internal error in DU005: ValueError: a bug in a check"]
    assert sum(f["rule"] == "PH001" for f in findings) == 2  # every other rule still ran
    debug = [f for f in run("--debug") if f["rule"] == "IN000"]
    assert "Traceback (most recent call last)" in debug[0]["message"]


BROKEN_PASS = """
import sys
import provlint.checks as checks
real_check = checks.CHECKS["order"]
def broken_pass(rules):
    def run(document):
        raise ValueError("a bug in a pass")
    return run
def check(rule, document, prepared):
    if rule.id == "TS003":
        raise ValueError("a bug in TS003")
    return real_check(rule, document, prepared)
if sys.argv[1] != "intact":
    checks.GROUPS["order"] = broken_pass  # the pass of TS002, TS003 and TS011
if sys.argv[1] == "TS003":
    checks.CHECKS["order"] = check
from provlint.cli import main
main(sys.argv[2:], prog_name="provlint")
"""
# created after published (TS002), modified days before published (TS003).
MISORDERED = "Budget vote passes\n\n2021-05-12T04:04+0200\n\n2021-05-08T12:17+0200\n\n2021-05-01T06:06+0200\n"


def broken_pass(tmp_path, broken: str) -> list[tuple]:
    """The findings on a dump with misordered dates, with the order rules' group pass
    broken (`pass`), also TS003's check (`TS003`), or nothing broken (`intact`)."""
    (tmp_path / "dates.txt").write_text(MISORDERED, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", BROKEN_PASS, broken, "check", "dates.txt", "--no-cache", "--format", "json"],
                          cwd=tmp_path, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(NO_NETWORK)))
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    return [(f["line"], f["rule"], f["severity"], f["message"]) for f in json.loads(done.stdout)["findings"]]


def test_a_failing_group_pass_runs_its_rules_one_by_one(tmp_path):
    """A kind's rules run as one pass over a document; when the pass fails, each rule runs
    on its own and finds what the pass would have."""
    expected = [
        (None, "AT001", "info", "no publisher block: the outlet behind this article is not recorded"),
        (None, "AT002", "info", "no author block: nobody is credited for this article"),
        (3, "TS002", "warning", "created 2021-05-12T04:04+0200 is after published 2021-05-08T12:17+0200 (line 5)"),
        (7, "TS003", "error", "modified 2021-05-01T06:06+0200 is before published 2021-05-08T12:17+0200 (line 5)"),
    ]
    assert broken_pass(tmp_path, "intact") == expected
    assert broken_pass(tmp_path, "pass") == expected


def test_a_failing_group_pass_costs_one_finding_for_the_broken_rule(tmp_path):
    assert broken_pass(tmp_path, "TS003") == [
        (None, "AT001", "info", "no publisher block: the outlet behind this article is not recorded"),
        (None, "AT002", "info", "no author block: nobody is credited for this article"),
        (None, "IN000", "error", "internal error in TS003: ValueError: a bug in TS003"),
        (3, "TS002", "warning", "created 2021-05-12T04:04+0200 is after published 2021-05-08T12:17+0200 (line 5)"),
    ]


def test_an_internal_error_is_a_rule_sarif_lists(tmp_path):
    """IN000 is a rule of rules/input.yaml: SARIF's result points at its descriptor, which
    agrees with the finding the engine makes; `explain` and `--select` know it."""
    run = json.loads(broken_check(tmp_path, "--format", "sarif"))["runs"][0]
    [result] = [r for r in run["results"] if r["ruleId"] == "IN000"]
    descriptor = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert (descriptor["id"], descriptor["name"], descriptor["properties"]["tags"]) == ("IN000", "internal-error", ["input"])
    assert result["level"] == descriptor["defaultConfiguration"]["level"] == "error"
    assert result["message"]["text"] == "internal error in DU005: ValueError: a bug in a check"
    explained = provlint("explain", "IN000")
    assert explained.code == 0 and explained.out.startswith("IN000 internal-error")
    listed = provlint("rules", "--select", "IN000", "--format", "json")
    assert [(r["id"], r["category"], r["severity"]) for r in listed.json()] == [("IN000", "input", "error")]


def test_an_internal_error_follows_its_rules_settings_and_no_selection_hides_it(tmp_path):
    """IN000 is reported with the severity the config gives it; selecting other rules
    (here only DU005, the rule that fails) does not hide that their findings are missing;
    ignoring IN000 by name does."""
    def internal_errors(*flags):
        findings = json.loads(broken_check(tmp_path, "--format", "json", *flags))["findings"]
        return [(f["rule"], f["severity"]) for f in findings if f["rule"] == "IN000"]

    assert internal_errors("--select", "DU005") == [("IN000", "error")]
    assert internal_errors("--ignore", "IN000") == []
    (tmp_path / "provlint.yaml").write_text("severity: {IN000: warning}\n", encoding="utf-8")
    assert internal_errors() == [("IN000", "warning")]


def test_a_dying_worker_costs_only_its_file(tmp_path, seed_text):
    for index in range(80):
        (tmp_path / f"d{index:02d}.txt").write_text(seed_text, encoding="utf-8")
    # So large that every worker reading it is killed, as the OOM killer kills one that grows.
    killer_bytes = 8_000_000
    (tmp_path / "killer.txt").write_text("\n\n".join([seed_text] * (killer_bytes // len(seed_text) + 1)), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "provlint", "check", ".", "--jobs", "2", "--format", "json"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONPATH=str(NO_NETWORK)))
    out, err, _ = killing_readers(process, killer_bytes)
    assert process.returncode == 1, err
    report = json.loads(out)
    assert report["files_checked"] == 81
    killer = [f for f in report["findings"] if f["path"] == "killer.txt"]
    assert [(f["rule"], f["severity"]) for f in killer] == [("IN007", "error")]
    others = {f["path"] for f in report["findings"] if f["rule"] == "PH001"}
    assert len(others) == 80


def children_of(pid):
    found = []
    for task in (Path("/proc") / str(pid) / "task").glob("*"):
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            found.extend((task / "children").read_text().split())
    return found


def cpu_seconds(pids):
    """User and system CPU time the processes have used (0 for one that is gone)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def test_ctrl_c_reports_what_it_has_and_leaves_no_workers(tmp_path, seed_text):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    long_dump = "\n\n".join([seed_text] * 10)  # ~30 KB: the run lasts well past the Ctrl-C
    for index in range(1500):
        (corpus / f"{index:04d}.txt").write_text(long_dump, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "provlint", "check", "corpus", "--jobs", "2", "--format", "json"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, env=dict(os.environ, PYTHONPATH=str(NO_NETWORK)),
                               # As at a terminal: a suite started in the background inherits SIGINT ignored.
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # Interrupt once the workers have linted a few chunks, however slow the machine: counted
    # in their CPU time (a fixed delay interrupted a loaded machine's run before any file).
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and cpu_seconds(children_of(process.pid)) < 2:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    report = json.loads(out)
    assert 0 < report["files_checked"] < 1500
    time.sleep(0.5)
    leftovers = subprocess.run(["ps", "-o", "pid=", "-g", str(process.pid)], capture_output=True, text=True).stdout
    assert leftovers.strip() == ""


NO_PASSES = """
import sys
import provlint.checks as checks
for kind in sys.argv[1].split(","):
    del checks.GROUPS[kind]  # the kind's rules then run one after another, each its own check
from provlint.cli import main
main(sys.argv[2:], prog_name="provlint")
"""


def test_group_passes_find_what_the_rules_find_one_by_one(tmp_path):
    """The pattern, schema, domain and attribution rules run as one pass per kind (a
    screen matched once, values made once, documents without the fields passed over):
    each finding is the one its rule's own check gives."""
    kinds = "pattern,schema,domain,attribution"
    (tmp_path / "impossible.txt").write_text("Budget vote\n\n2021-05-16T17:49+0530\n\n2021-02-31T17:49+0530\n",
                                             encoding="utf-8")
    inputs = ["impossible.txt", str(REPO / "seeds"),
              *(str(FIXTURES / name) for name in ("inputs", "provenance", "realworld-dumps"))]

    def findings(script: str, *first: str) -> list[dict]:
        done = subprocess.run([sys.executable, "-c", script, *first, "check", *inputs, "--no-cache", "--format", "json",
                               "--select", "ALL", "--jobs", "1"], cwd=tmp_path, capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=str(NO_NETWORK)))
        assert done.returncode == 1, done.stderr
        return json.loads(done.stdout)["findings"]

    passes = findings("from provlint.cli import main; import sys; main(sys.argv[1:], prog_name='provlint')")
    assert findings(NO_PASSES, kinds) == passes
    found = {f["rule"] for f in passes}
    assert {"PH001", "TX001", "TX002", "TS001", "TS008", "PV001", "AT010", "AT012"} <= found
