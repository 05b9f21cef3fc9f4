"""A cached re-run reports what the cold run did: payloads written by orjson (and by the
standard module what orjson refuses), signatures handed to the corpus index as the
records the cache holds, the code digest kept in a signed memo beside the signing key."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from conftest import provlint
from provlint.api import run
from provlint.config import load_settings
from provlint.engine import cache, reuse
from test_corpus_rules import CORPUS, write_corpus


def lint(project: Path):
    result, _ = run([str(project / "corpus")], load_settings(start=project))
    return result


def test_a_cached_rerun_writes_the_cold_runs_report_byte_for_byte(tmp_path):
    write_corpus(tmp_path / "corpus")
    cold = provlint("check", "corpus", "--format", "json", cwd=tmp_path)
    # Every file's text replaced by as many spaces, its mtime kept: a run that read one
    # would report otherwise. The cached run reads none.
    for path in (tmp_path / "corpus").rglob("*.txt"):
        status = path.stat()
        path.write_bytes(b" " * status.st_size)
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    warm = provlint("check", "corpus", "--format", "json", cwd=tmp_path)
    assert cold.code == warm.code == 1
    assert "DU009" in cold.out
    assert warm.out == cold.out
    # An absolute path below the current folder is shown as the relative one.
    absolute = provlint("check", str(tmp_path / "corpus"), "--format", "json", cwd=tmp_path)
    assert absolute.out == cold.out


def test_what_orjson_refuses_is_packed_by_the_standard_module_and_read_back():
    value = [["lone \udc80 surrogate", 1 << 70], [], [["a.txt", 1, "text \ud800"]], []]
    packed = reuse.pack(value)
    assert b"\xed\xb2\x80" in packed  # the surrogate as the standard module passes it through
    assert reuse.unpack(packed) == value
    assert reuse.unpack(reuse.pack([["plain"], 3])) == [["plain"], 3]


def _forge(project: Path, name: str, edit) -> None:
    """Re-sign the entry of `name` with its payload's corpus signature edited: only the
    content can tell it apart from a genuine entry. The whole run kept beside the entries
    goes (else the next run replays it and reads no entry)."""
    database = project / ".provlint_cache" / cache.DATABASE
    with sqlite3.connect(database) as connection:
        path, scope, size, mtime_ns, digest, payload = connection.execute(
            "SELECT path, scope, size, mtime_ns, digest, payload FROM entries WHERE path LIKE ?",
            (f"%{name}",)).fetchone()
        connection.execute("DELETE FROM runs")
    connection.close()
    head, *spilled = payload.split(b"\n")
    records, files, lines, signatures = reuse.unpack(head)
    edit(signatures[0])  # its head: path, file, domain, published, URL, MinHash, operator ids
    body = b"\n".join([reuse.pack([records, files, lines, signatures]), *spilled])
    forger = cache.Cache(database.parent, scope)
    forger.put(path, size, mtime_ns, digest, body)
    forger.save()


def test_a_signed_entry_whose_signature_the_index_cannot_take_is_linted_again(tmp_path):
    write_corpus(tmp_path / "corpus")
    cold = lint(tmp_path)
    assert cold.cached == 0 and any(f.rule == "DU009" for f in cold.findings)

    def damage(signature: list) -> None:
        signature[3] = "2019-11-20"  # the publication instant as text, not seconds

    _forge(tmp_path, "aljazeera/crash.txt", damage)
    warm = lint(tmp_path)
    assert warm.cached == len(CORPUS) - 1
    assert [(f, f.message, f.others) for f in warm.findings] == [(f, f.message, f.others) for f in cold.findings]
    assert lint(tmp_path).cached == len(CORPUS)


def test_a_signed_entry_whose_signature_names_another_file_is_not_trusted(tmp_path):
    write_corpus(tmp_path / "corpus")
    cold = lint(tmp_path)

    def elsewhere(signature: list) -> None:
        signature[0] = signature[1] = signature[1].replace("crash.txt", "moon-shot.txt")

    _forge(tmp_path, "aljazeera/crash.txt", elsewhere)
    warm = lint(tmp_path)
    assert warm.cached == len(CORPUS) - 1
    assert [(f, f.message, f.others) for f in warm.findings] == [(f, f.message, f.others) for f in cold.findings]


def _package(folder: Path) -> Path:
    (folder / "engine").mkdir(parents=True)
    (folder / "__init__.py").write_text("VERSION = 1\n", encoding="utf-8")
    (folder / "engine" / "run.py").write_text("STEP = 'a'\n", encoding="utf-8")
    (folder / "rules.yaml").write_text("id: X1\n", encoding="utf-8")
    return folder


def test_the_code_digest_is_read_again_whenever_a_file_was_written(tmp_path, monkeypatch, cache_home):
    package = _package(tmp_path / "package")
    # Files written this moment are hashed and no memo is kept: a second write within the
    # file system's clock tick could leave every time as it was.
    memo = reuse._CodeMemo(str(package), "").path
    first = reuse.code_digest(package)
    assert not memo.exists()
    monkeypatch.setattr(cache, "RACY_NS", 0)  # every file older than its write: a memo is kept
    assert reuse.code_digest(package) == first
    assert memo.parent == cache_home / "provlint"
    assert memo.stat().st_mode & 0o777 == 0o600

    # The same size and mtime after an edit: the change time still moved.
    source = package / "engine" / "run.py"
    status = source.stat()
    source.write_text("STEP = 'b'\n", encoding="utf-8")
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert source.stat().st_size == status.st_size and source.stat().st_mtime_ns == status.st_mtime_ns
    if source.stat().st_ctime_ns == status.st_ctime_ns:  # a coarse clock: the same tick
        time.sleep(0.02)
        source.write_text("STEP = 'b'\n", encoding="utf-8")
        os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    second = reuse.code_digest(package)
    assert second != first
    assert reuse.code_digest(package) == second


def test_a_code_digest_memo_that_does_not_verify_is_never_trusted(tmp_path, monkeypatch):
    package = _package(tmp_path / "package")
    monkeypatch.setattr(cache, "RACY_NS", 0)
    genuine = reuse.code_digest(package)
    memo = reuse._CodeMemo(str(package), "").path
    stamp, digest, mac = memo.read_text(encoding="ascii").split()
    assert digest == genuine
    # The digest of other code with this stamp, unsigned: whoever wrote it could make
    # results of that code pass for this one's.
    memo.write_text(f"{stamp} {'0' * 64} {mac}\n", encoding="ascii")
    assert reuse.code_digest(package) == genuine
    # Signed with the key, the memo is what is read: the files are not.
    memo.write_text(f"{stamp} {'0' * 64} {reuse._CodeMemo(str(package), stamp)._mac(cache.signing_key(), '0' * 64)}\n",
                    encoding="ascii")
    assert reuse.code_digest(package) == "0" * 64
