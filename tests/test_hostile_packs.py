"""Settings and rule packs that must not break later runs or the machine: a cache folder
over the corpus, rule, schema and config files that never end (a FIFO, /dev/zero),
schema references to the network or to files outside the pack, look-around patterns
slow on every block, and a cache that someone else could write."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NO_NETWORK, SEED, Run
from provlint.engine import cache
from provlint.api import run as run_api
from provlint.config import load_settings

# A regression here hangs (a FIFO) or reads without end (/dev/zero): every run is bounded
# in time and in memory, so it fails instead of hanging the suite or the machine.
TIMEOUT = 120
MEMORY = 4 << 30


def _bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def provlint(*args: str, cwd: Path) -> Run:
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(NO_NETWORK), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "provlint", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, env=environment, preexec_fn=_bounded_memory)
    outcome = Run(done)
    assert "Traceback" not in outcome.err, outcome.err
    return outcome


@pytest.fixture
def corpus(tmp_path: Path, seed_text: str) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(seed_text, encoding="utf-8")
    return folder


# The cache folder never hides the inputs.


@pytest.mark.parametrize(("setting", "checked"), [(".", "."), (".", "corpus"), ("corpus", "corpus"), ("..", "corpus")])
def test_a_cache_folder_that_holds_the_inputs_is_refused(tmp_path, corpus, setting, checked):
    (tmp_path / "provlint.yaml").write_text(f"cache-dir: {setting}\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    done = provlint("check", checked, "--format", "json", cwd=tmp_path)
    assert done.code == 2
    assert "holds what is checked" in done.err and "turn it off (--no-cache)" in done.err
    assert not list(tmp_path.rglob(".gitignore")) and not list(tmp_path.rglob("*.sqlite"))
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before


def test_a_cache_folder_given_on_the_command_line_that_holds_the_inputs_is_refused(tmp_path, corpus):
    done = provlint("check", "corpus", "--cache-dir", "corpus", cwd=tmp_path)
    assert done.code == 2 and "(cache-dir, from command line) holds what is checked ('corpus')" in done.err


def test_a_cache_marker_left_in_the_corpus_by_an_older_run_hides_nothing(tmp_path, corpus):
    (corpus / ".gitignore").write_text(cache.MARKER + "\n*\n", encoding="utf-8")
    for flags in (["--no-cache"], []):
        done = provlint("check", "corpus", "--format", "json", *flags, cwd=tmp_path)
        assert (done.code, done.json()["files_checked"]) == (1, 1)


def test_a_cache_folder_inside_the_corpus_is_never_read_as_input(tmp_path, corpus):
    (tmp_path / "provlint.yaml").write_text("cache-dir: corpus/cache\n", encoding="utf-8")
    cold = provlint("check", "corpus", "--no-gitignore", "--format", "json", cwd=tmp_path)
    warm = provlint("check", "corpus", "--no-gitignore", "--format", "json", cwd=tmp_path)
    assert (corpus / "cache" / cache.DATABASE).is_file()
    assert cold.code == warm.code == 1
    assert cold.json()["files_checked"] == warm.json()["files_checked"] == 1
    assert warm.json()["findings"] == cold.json()["findings"]


def test_the_cache_marker_goes_only_into_a_folder_of_its_own(tmp_path, corpus):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "notes.md").write_text("the user's own file\n", encoding="utf-8")
    provlint("check", "corpus", "--cache-dir", "shared", cwd=tmp_path)
    assert (shared / cache.DATABASE).is_file() and not (shared / ".gitignore").exists()
    provlint("check", "corpus", "--cache-dir", "new", cwd=tmp_path)
    assert (tmp_path / "new" / ".gitignore").read_text(encoding="utf-8") == cache.MARKER + "\n*\n"


# Rule, schema and config files: regular files only, read up to a cap.


def _fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_rule_file_that_never_ends_is_refused(tmp_path, kind):
    rules = _fifo(tmp_path, "pipe.yaml") if kind == "fifo" else Path("/dev/zero")
    what = "a named pipe (FIFO)" if kind == "fifo" else "a character device"
    done = provlint("check", SEED, "--rules", rules, cwd=tmp_path)
    assert done.code == 2
    assert done.err.splitlines()[0] == f"error: {rules}:1:1: rule file is not a regular file: it is {what}"
    (tmp_path / "provlint.yaml").write_text(f"rules: [{rules}]\n", encoding="utf-8")
    by_config = provlint("check", SEED, cwd=tmp_path)
    assert by_config.code == 2 and f"{rules}:1:1: rule file is not a regular file: it is {what}" in by_config.err


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_config_file_that_never_ends_is_refused(tmp_path, kind):
    config = _fifo(tmp_path, "pipe.yaml") if kind == "fifo" else Path("/dev/zero")
    what = "a named pipe (FIFO)" if kind == "fifo" else "a character device"
    done = provlint("check", SEED, "--config", config, cwd=tmp_path)
    assert done.code == 2
    assert done.err.splitlines()[0] == f"error: {config}:1:1: config file is not a regular file: it is {what}"


def test_a_config_file_over_the_cap_is_refused_by_name(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.provlint]\n" + "# padding\n" * 120_000, encoding="utf-8")
    done = provlint("check", SEED, cwd=tmp_path)
    assert done.code == 2
    assert "pyproject.toml:1:1: config file is larger than 1000000 bytes" in done.err


SCHEMA_RULE = """\
id: SC901
name: pack-schema
category: schema
severity: warning
message: "{field}: {error}"
description: "What: the pack's own schema."
check: schema
schema: SCHEMA
"""


def _pack(tmp_path: Path, schema: str, file: dict | None = None) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir(exist_ok=True)
    (pack / "rule.yaml").write_text(SCHEMA_RULE.replace("SCHEMA", schema), encoding="utf-8")
    if file is not None:
        (pack / schema).write_text(json.dumps(file), encoding="utf-8")
    return pack


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_schema_file_that_never_ends_is_refused(tmp_path, kind):
    pack = _pack(tmp_path, "s.json")
    if kind == "fifo":
        _fifo(pack, "s.json")
        expected = f"schema file {pack / 's.json'} is not a regular file: it is a named pipe (FIFO)"
    else:  # a link to /dev/zero leaves the pack's folder
        (pack / "s.json").symlink_to("/dev/zero")
        expected = f"schema file 's.json' is outside the rule's folder {pack}"
    done = provlint("check", SEED, "--rules", "pack", cwd=tmp_path)
    assert done.code == 2
    assert done.err.splitlines()[0] == f"error: pack/rule.yaml:8:9: SC901: cannot load schema: {expected}"


@pytest.mark.parametrize("schema", ["../outside.json", "OUTSIDE", "link.json"])
def test_a_schema_file_outside_the_pack_is_refused(tmp_path, schema):
    outside = tmp_path / "outside.json"
    outside.write_text('{"type": "object"}', encoding="utf-8")
    schema = schema.replace("OUTSIDE", str(outside))
    pack = _pack(tmp_path, schema)
    (pack / "link.json").symlink_to(outside)
    done = provlint("check", SEED, "--rules", "pack", cwd=tmp_path)
    assert done.code == 2
    assert done.err.splitlines()[0] == (f"error: pack/rule.yaml:8:9: SC901: cannot load schema: schema file {schema!r} "
                                        f"is outside the rule's folder {pack}")


@pytest.fixture
def listener():
    """A loopback port nobody may connect to: `connected()` says whether anyone did."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)

    class Listener:
        port = server.getsockname()[1]

        @staticmethod
        def connected() -> bool:
            try:
                server.accept()[0].close()
            except BlockingIOError:
                return False
            return True

    yield Listener
    server.close()


def test_a_schema_reference_to_the_network_is_a_rule_error_and_never_connects(tmp_path, listener):
    address = f"http://127.0.0.1:{listener.port}/title.json"
    _pack(tmp_path, "s.json", {"properties": {"title": {"$ref": address}}})
    done = provlint("check", SEED, "--rules", "pack", "--no-cache", cwd=tmp_path)
    assert not listener.connected()
    assert done.code == 2
    assert done.err.splitlines()[0] == (
        f"error: pack/rule.yaml:8:9: SC901: cannot load schema: $ref {address!r} does not resolve: a schema may refer "
        "only to its own parts and to provlint's schemas (https://provlint.dev/schemas/...); nothing is fetched or read")


@pytest.mark.parametrize("schema", [
    {"$schema": "http://127.0.0.1:PORT/meta.json", "properties": {"title": {"items": {"type": "integer"}}}},
    {"properties": {"title": {"$id": "http://127.0.0.1:PORT/t.json", "$defs": {"n": {"type": "integer"}},
                              "items": {"$ref": "#/$defs/n"}}}},
    {"properties": {"title": {"$ref": "https://provlint.dev/schemas/article.schema.json#/properties/copyright_year"}}},
])
def test_schema_addresses_that_resolve_inside_never_connect(tmp_path, listener, schema):
    _pack(tmp_path, "s.json", json.loads(json.dumps(schema).replace("PORT", str(listener.port))))
    done = provlint("check", SEED, "--rules", "pack", "--select", "SC901", "--no-cache", "--format", "json", cwd=tmp_path)
    assert not listener.connected()
    assert done.code == 1
    assert [(f["line"], f["rule"], f["severity"]) for f in done.json()["findings"]] == [(3, "SC901", "warning"),
                                                                                       (5, "SC901", "warning")]


@pytest.mark.parametrize("reference", ["file:///SECRET", "../secret.json", "secret.json"])
def test_a_schema_reference_to_a_file_is_a_rule_error_not_its_contents(tmp_path, reference):
    secret = tmp_path / "secret.json"
    secret.write_text('{"type": "integer", "description": "SECRET-CONTENT"}', encoding="utf-8")
    reference = reference.replace("/SECRET", str(secret))
    _pack(tmp_path, "s.json", {"properties": {"title": {"items": {"$ref": reference}}}})
    done = provlint("check", SEED, "--rules", "pack", "--no-cache", "--format", "json", cwd=tmp_path)
    assert done.code == 2
    assert done.out == ""
    assert f"SC901: cannot load schema: $ref {reference!r} does not resolve" in done.err
    assert "SECRET-CONTENT" not in done.err


# A look-around pattern slow on each of many blocks.

SLOW_RULE = """\
id: XT901
name: slow-look-behind
category: text
severity: warning
message: "{match!r}"
description: "What: a look-behind that backtracks exponentially on runs of a."
check: pattern
target: blocks
pattern: '(?<!z)(a|a)+b'
"""


def test_a_rule_slow_on_every_block_gives_up_on_the_file(tmp_path):
    (tmp_path / "slow.yaml").write_text(SLOW_RULE, encoding="utf-8")
    # Each block takes well under the 1 s a single search may take (about 0.5 s here),
    # so only the budget the rule shares over the file can stop it.
    (tmp_path / "blocks.txt").write_text("\n\n".join("a" * 20 for _ in range(200)) + "\n", encoding="utf-8")
    done = provlint("check", "blocks.txt", "--rules", "slow.yaml", "--select", "XT901", "--no-cache", "--format", "json",
                    cwd=tmp_path)
    assert done.code == 1
    assert [(f["line"], f["column"], f["rule"], f["severity"], f["message"]) for f in done.json()["findings"]] == [
        (None, None, "IN000", "error", "XT901 gave up on this file: pattern '(?<!z)(a|a)+b' used up the 3s a rule's "
                                       "look-around patterns may take on one file; the rest of the file was not searched")]


# The cache: signed entries, checked paths, no symlinks.


@pytest.fixture
def project(tmp_path: Path, seed_text: str) -> Path:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    (dumps / "flagged.txt").write_text(seed_text, encoding="utf-8")
    (dumps / "clean.txt").write_text("Un titre\n\nUn texte sans rien a signaler.\n", encoding="utf-8")
    (tmp_path / "provlint.yaml").write_text("select: [PH001, IN]\n", encoding="utf-8")  # the seed has two XPath placeholders
    for path in dumps.iterdir():  # old enough for their mtime to vouch for their content
        os.utime(path, (path.stat().st_atime - 3600, path.stat().st_mtime - 3600))
    return tmp_path


def lint(project: Path):
    result, _ = run_api([str(project / "dumps")], load_settings(start=project))
    return result


def test_a_cache_entry_edited_to_drop_findings_is_not_trusted(project):
    cold = lint(project)
    assert {Path(f.path).name for f in cold.findings} == {"flagged.txt"}
    clean_payload = hashlib.sha256(b"").hexdigest().encode("ascii") + b"\n"  # what an entry without findings holds
    with sqlite3.connect(project / ".provlint_cache" / cache.DATABASE) as connection:
        connection.execute("UPDATE entries SET payload = ? WHERE path LIKE '%flagged.txt'", (clean_payload,))
        connection.execute("DELETE FROM runs")  # else the whole run kept is replayed, reading no entry
    connection.close()
    warm = lint(project)
    assert warm.cached == 1  # clean.txt
    assert warm.findings == cold.findings
    assert lint(project).cached == 2


def test_a_signed_entry_whose_findings_name_another_file_is_not_trusted(project):
    cold = lint(project)
    database = project / ".provlint_cache" / cache.DATABASE
    with sqlite3.connect(database) as connection:
        scope, payload = connection.execute("SELECT scope, payload FROM entries WHERE path LIKE '%flagged.txt'").fetchone()
        path, size, mtime_ns, digest = connection.execute(
            "SELECT path, size, mtime_ns, digest FROM entries WHERE path LIKE '%clean.txt'").fetchone()
        connection.execute("DELETE FROM runs")  # else the whole run kept is replayed, reading no entry
    connection.close()
    forger = cache.Cache(database.parent, scope)  # holds the key: only the paths can tell
    forger.put(path, size, mtime_ns, digest, payload)
    forger.save()
    warm = lint(project)
    assert warm.cached == 1
    assert warm.findings == cold.findings


def test_the_signing_key_lives_outside_the_cache_folder_and_ci_can_set_it(project, cache_home, monkeypatch):
    lint(project)
    key = cache_home / "provlint" / "key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert not any(p.name == "key" for p in (project / ".provlint_cache").iterdir())
    monkeypatch.setenv(cache.KEY_VARIABLE, "a secret of the CI run, " * 2)
    assert lint(project).cached == 0  # signed with another key: rebuilt, never trusted
    assert lint(project).cached == 2


@pytest.mark.parametrize("suffix", ["", "-journal"])
def test_a_symlinked_cache_database_is_never_followed(project, suffix):
    empty = project / "dumps" / "empty.txt"
    empty.write_bytes(b"")
    folder = project / ".provlint_cache"
    folder.mkdir()
    link = folder / (cache.DATABASE + suffix)
    link.symlink_to(empty)
    done = provlint("check", "dumps", "--format", "json", cwd=project)
    assert done.code == 1
    assert [(Path(f["path"]).name, f["line"], f["column"], f["rule"]) for f in done.json()["findings"]] == [
        ("empty.txt", None, None, "IN001"), ("flagged.txt", 27, 1, "PH001"), ("flagged.txt", 27, 44, "PH001")]
    assert f"provlint: warning: cache not used: {link} is not a regular file (a symlink?)" in done.err
    assert empty.read_bytes() == b"" and link.is_symlink()


@pytest.mark.parametrize("reference", ["#/$defs/missing", "#/$defs/n/items", "#/properties/title/anyOf/1"])
def test_a_local_reference_that_leads_nowhere_is_a_rule_error(tmp_path, reference):
    # Plain pointers into the schema are resolved without `referencing`; one that leads
    # nowhere must still be the same rule error.
    _pack(tmp_path, "s.json", {"$defs": {"n": {"type": "integer"}},
                               "properties": {"title": {"anyOf": [{"$ref": reference}]}}})
    done = provlint("check", SEED, "--rules", "pack", "--no-cache", "--format", "json", cwd=tmp_path)
    assert done.code == 2
    assert done.err.splitlines()[0] == (
        f"error: pack/rule.yaml:8:9: SC901: cannot load schema: $ref {reference!r} does not resolve: a schema may "
        "refer only to its own parts and to provlint's schemas (https://provlint.dev/schemas/...); nothing is "
        "fetched or read")


def test_a_local_reference_that_resolves_checks_the_field(tmp_path):
    _pack(tmp_path, "s.json", {"$defs": {"n": {"items": {"type": "integer"}}},
                               "properties": {"title": {"$ref": "#/$defs/n"}}})
    done = provlint("check", SEED, "--rules", "pack", "--select", "SC901", "--no-cache", "--format", "json", cwd=tmp_path)
    assert done.code == 1
    assert [(f["line"], f["rule"], f["severity"]) for f in done.json()["findings"]] == [(3, "SC901", "warning"),
                                                                                       (5, "SC901", "warning")]
