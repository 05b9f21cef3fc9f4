"""What reaches a terminal or a CI log: every input text is escaped for its output, and a
file name that is not UTF-8 is spelled the same in every format, the cache and the
baseline (issue 16)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from conftest import NO_NETWORK, SEED, provlint

PLACEHOLDER = "/html/head/meta[@name='og:title']/@content"
# Clear screen, an OSC 8 hyperlink, hidden text, a right-to-left override and an
# 8-bit CSI, before a placeholder that PH001 flags.
HOSTILE_LINE = ("\x1b[2J\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\x1b[8m\u202e\x9b "
                + PLACEHOLDER)
HOSTILE_SHOWN = (r"\x1b[2J\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\x1b[8m\u202e\u009b "
                 + PLACEHOLDER)
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BAD_NAME = os.fsdecode(b"bad\xff.txt")  # a byte that is not UTF-8, as os.listdir gives it
FORMATS = ["full", "concise", "json", "jsonl", "sarif", "github", "gitlab", "junit"]


def run_bytes(*args: str, cwd, env: dict | None = None) -> subprocess.CompletedProcess:
    """provlint with its output as bytes, to see exactly what a terminal would get."""
    path = os.pathsep.join(filter(None, [str(NO_NETWORK), os.environ.get("PYTHONPATH")]))
    environment = dict(os.environ, PYTHONPATH=path, **(env or {}))
    done = subprocess.run([sys.executable, "-m", "provlint", *args], cwd=cwd, capture_output=True, env=environment,
                          timeout=300)
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr, done.stderr
    return done


def test_code_frames_show_control_characters_as_escapes(tmp_path):
    (tmp_path / "dump.txt").write_text(f"A title that is long enough\n\n{HOSTILE_LINE}\n", encoding="utf-8")
    run = provlint("check", "dump.txt", "--format", "full", "--select", "PH001", cwd=tmp_path)
    assert run.code == 1
    assert not RAW_CONTROLS.search(run.out), repr(run.out)
    lines = run.out.splitlines()
    frame = next(i for i, line in enumerate(lines) if line.startswith("        3 │ "))
    assert lines[frame] == "        3 │ " + HOSTILE_SHOWN
    # The marker stands under the placeholder as shown, escapes and all.
    assert lines[frame + 1].index("^") == lines[frame].index("/html")
    assert lines[frame + 1].count("^") == len(PLACEHOLDER)
    inspected = provlint("inspect", "dump.txt", cwd=tmp_path)
    assert not RAW_CONTROLS.search(inspected.out) and r"\x1b[2J" in inspected.out


def test_file_names_cannot_start_a_line_of_a_ci_log(tmp_path):
    names = ["nl\n::error file=x::pwned\n::add-mask::secret.txt", "::warning ::x.txt", "[red]b.txt"]
    for name in names:
        (tmp_path / name).write_text(f"A title that is long enough\n\n{PLACEHOLDER}\n", encoding="utf-8")
    concise = provlint("check", ".", "--format", "concise", "--select", "PH001", cwd=tmp_path)
    assert concise.out.splitlines()[:3] == [
        "./::warning ::x.txt:3:1: PH001 error unresolved XPath placeholder " + repr(PLACEHOLDER),
        "[red]b.txt:3:1: PH001 error unresolved XPath placeholder " + repr(PLACEHOLDER),
        r"nl\n::error file=x::pwned\n::add-mask::secret.txt:3:1: PH001 error unresolved XPath placeholder "
        + repr(PLACEHOLDER),
    ]
    full = provlint("check", ".", "--format", "full", "--select", "PH001", cwd=tmp_path)
    assert {"./::warning ::x.txt", "[red]b.txt", r"nl\n::error file=x::pwned\n::add-mask::secret.txt"} <= \
        set(full.out.splitlines())
    for out in (concise.out, full.out):
        assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    github = provlint("check", ".", "--format", "github", "--select", "PH001", cwd=tmp_path)
    lines = github.out.splitlines()
    assert len(lines) == 3 and all(line.startswith("::error file=") for line in lines)
    assert "file=nl%0A%3A%3Aerror file=x%3A%3Apwned%0A%3A%3Aadd-mask%3A%3Asecret.txt," in github.out


def test_domains_in_messages_are_escaped_in_every_format(tmp_path, seed_text):
    # The URL's host carries an escape and a right-to-left override into AT003 and PV002.
    (tmp_path / "dump.txt").write_text(seed_text.replace("fr.sputniknews.com", "fr.sputnik\x1bnews\u202e.com", 1),
                                       encoding="utf-8")
    (tmp_path / "ctl\x01\x0c.txt").write_text(f"A title that is long enough\n\n{PLACEHOLDER}\n", encoding="utf-8")
    domain, shown = "sputnik\x1bnews\u202e.com", r"sputnik\x1bnews\u202e.com"
    at003 = f"publisher 'Sputnik France' (feedback.fr@sputniknews.com) does not match the URL's domain {shown}"
    flags = ("--select", "AT003,PV002,PH001")
    concise = provlint("check", ".", "--format", "concise", *flags, cwd=tmp_path)
    assert f"dump.txt:39:16: AT003 warning {at003}" in concise.out.splitlines()
    assert r"ctl\x01\x0c.txt:3:1: PH001 error" in concise.out
    full = provlint("check", ".", "--format", "full", *flags, cwd=tmp_path)
    github = provlint("check", ".", "--format", "github", *flags, cwd=tmp_path)
    assert f"title=provlint (AT003)::{at003}" in github.out
    for out in (concise.out, full.out, github.out):
        assert not RAW_CONTROLS.search(out) and out.count(f"but {shown} is not one of its domains") == 3
    junit = provlint("check", ".", "--format", "junit", *flags, cwd=tmp_path)
    assert not RAW_CONTROLS.search(junit.out)
    root = ET.fromstring(junit.out)  # XML 1.0 has no place for \x1b or \x01
    assert {suite.get("name") for suite in root.iter("testsuite")} == {"dump.txt", r"ctl\x01\x0c.txt"}
    assert at003 in [failure.get("message") for failure in root.iter("failure")]
    as_json = provlint("check", ".", "--format", "json", *flags, cwd=tmp_path)
    assert "\u202e" not in as_json.out and "\x1b" not in as_json.out  # JSON escapes: the value is kept
    messages = {(f["path"], f["line"], f["rule"]): f["message"] for f in as_json.json()["findings"]}
    assert messages[("dump.txt", 39, "AT003")] == at003.replace(shown, domain)
    assert ("ctl\x01\x0c.txt", 3, "PH001") in messages


def test_non_utf8_file_name_is_spelled_the_same_everywhere(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / BAD_NAME).write_text(f"A title that is long enough\n\n{PLACEHOLDER}\n", encoding="utf-8")
    (corpus / "seed.txt").write_bytes(SEED.read_bytes())
    shown = r"corpus/bad\xff.txt"
    outputs = [f"--output-format={name}=out.{name}" for name in FORMATS]
    first = run_bytes("check", "corpus", "--format", "concise", "--write-baseline", "baseline.json", *outputs,
                      cwd=tmp_path)
    # Again, from the cache the first run wrote, into a report file.
    second = run_bytes("check", "corpus", "--format", "concise", "--output", "report.txt", cwd=tmp_path)
    assert (first.returncode, second.returncode) == (1, 1)
    assert (tmp_path / ".provlint_cache").is_dir()
    assert (tmp_path / "report.txt").read_bytes() == first.stdout
    assert f"{shown}:3:1: PH001 error".encode() in first.stdout
    texts = {name: (tmp_path / f"out.{name}").read_bytes().decode("utf-8") for name in FORMATS}
    texts["stdout"] = first.stdout.decode("utf-8")
    for name in ("full", "concise", "github", "stdout"):
        assert shown in texts[name] and "\ufffd" not in texts[name], name
    assert {f["path"] for f in json.loads(texts["json"])["findings"]} >= {shown}
    assert {json.loads(line)["path"] for line in texts["jsonl"].splitlines()} >= {shown}
    sarif = json.loads(texts["sarif"])["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif} >= {shown}
    assert {issue["location"]["path"] for issue in json.loads(texts["gitlab"])} >= {shown}
    assert {suite.get("name") for suite in ET.fromstring(texts["junit"]).iter("testsuite")} == {shown, "corpus/seed.txt"}
    baseline = json.loads((tmp_path / "baseline.json").read_bytes().decode("utf-8"))
    assert {entry["path"] for entry in baseline["findings"]} == {shown, "corpus/seed.txt"}
    assert run_bytes("check", "corpus", "--baseline", "baseline.json", cwd=tmp_path).returncode == 0
    # A strict UTF-8 stdout (no surrogateescape) takes JSON and SARIF as they are.
    for name in ("json", "sarif"):
        strict = run_bytes("check", "corpus", "--format", name, "--no-cache", cwd=tmp_path,
                           env={"PYTHONIOENCODING": "utf-8"})
        assert strict.returncode == 1 and f'"{json.dumps(shown)[1:-1]}"' in strict.stdout.decode("utf-8")
    inspected = run_bytes("inspect", os.path.join("corpus", BAD_NAME), "--format", "json", cwd=tmp_path,
                          env={"PYTHONIOENCODING": "utf-8"})
    assert json.loads(inspected.stdout.decode("utf-8"))["path"] == shown


def test_json_reports_are_written_as_the_standard_json_module_writes_them(tmp_path, seed_text):
    """The json, sarif and gitlab reports are written by orjson (issue 20): byte for byte
    what `json.dumps(ensure_ascii=False, indent=2)` and the escapes write, with a C0 control
    and a right-to-left override in a message, controls and quotes in a file name, a
    non-UTF-8 file name and non-ASCII text."""
    from provlint.escaping import json_text

    (tmp_path / "dump.txt").write_text(seed_text.replace("fr.sputniknews.com", "fr.sputnik\x1bnews\u202e.com", 1),
                                       encoding="utf-8")
    for name in ('ctl\x01\x0c "é".txt', BAD_NAME):
        (tmp_path / name).write_text(f"A title that is long enough\n\n{PLACEHOLDER}\n", encoding="utf-8")
    for form in ("json", "sarif", "gitlab"):
        done = run_bytes("check", ".", "--format", form, "--no-cache", cwd=tmp_path)
        assert done.returncode == 1
        text = done.stdout.decode("utf-8")
        assert all(escape in text for escape in (r"sputnik\u001bnews\u202e.com", r'ctl\u0001\f \"é\".txt',
                                                   r"bad\\xff.txt"))
        assert text == json_text(json.loads(text), indent=2) + "\n"
