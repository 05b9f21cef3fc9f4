"""The loaded pack is kept between runs (provlint.packcache), in the user's cache home,
signed with the cache's key: a changed rule file is loaded anew, and an entry that is
damaged, forged or writable by others is ignored and rebuilt, never trusted."""

from __future__ import annotations

import hmac
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, SEED, provlint

RULE = """id: PH901
name: my-rule
category: placeholder
severity: error
message: "MESSAGE {match}"
description: "What: x. Why: y. How to fix: z."
check: pattern
target: blocks
pattern: "Peskov"
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def _pack(tmp_path: Path, name: str, message: str) -> Path:
    pack = tmp_path / name
    pack.mkdir(exist_ok=True)
    (pack / "rule.yaml").write_text(RULE.replace("MESSAGE", message), encoding="utf-8")
    return pack


def _messages(tmp_path: Path, pack: Path) -> list[tuple[int, str, str]]:
    done = provlint("check", SEED, "--rules", pack.name, "--select", "PH901", "--no-cache", "--format", "json",
                    cwd=tmp_path)
    assert done.code == 1, done.err
    assert "Traceback" not in done.err
    return [(f["line"], f["rule"], f["message"]) for f in done.json()["findings"]]


def _entries(home: Path) -> set[Path]:
    return set((home / "provlint" / "packs").glob("*.pickle"))


def _kept(home: Path, message: str) -> Path:
    """The one entry that holds the pack whose rule says `message`."""
    (entry,) = [path for path in _entries(home) if f"{message} {{match}}".encode() in path.read_bytes()]
    return entry


def _forge(home: Path, source: Path, target: Path) -> None:
    """Put `source`'s pack under `target`'s name, signed with the user's key as provlint signs."""
    key = (home / "provlint" / "key").read_bytes().strip()
    payload = source.read_bytes()[32:]
    mac = hmac.new(key, target.stem.encode("ascii") + payload, "sha256")
    target.write_bytes(mac.digest() + payload)


def test_the_pack_is_kept_for_the_user_only(tmp_path, home):
    pack = _pack(tmp_path, "pack", "one")
    assert _messages(tmp_path, pack) == [(31, "PH901", "one Peskov")]
    entry = _kept(home, "one")
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    before = _entries(home)
    assert _messages(tmp_path, pack) == [(31, "PH901", "one Peskov")]
    assert _entries(home) == before


def test_a_changed_rule_file_is_loaded_anew(tmp_path, home):
    pack = _pack(tmp_path, "pack", "one")
    assert _messages(tmp_path, pack) == [(31, "PH901", "one Peskov")]
    _pack(tmp_path, "pack", "two")
    assert _messages(tmp_path, pack) == [(31, "PH901", "two Peskov")]
    assert _kept(home, "one") != _kept(home, "two")


def test_a_kept_pack_signed_with_the_users_key_is_what_runs(tmp_path, home):
    # What shows the entry is used at all (the rule files are not read again): a pack
    # put under another pack's name, and signed, is what that pack's run reports.
    one, two = _pack(tmp_path, "one", "one"), _pack(tmp_path, "two", "two")
    _messages(tmp_path, one)
    _messages(tmp_path, two)
    kept_one, kept_two = _kept(home, "one"), _kept(home, "two")
    _forge(home, kept_one, kept_two)
    assert _messages(tmp_path, two) == [(31, "PH901", "one Peskov")]


@pytest.mark.parametrize("damage", ["garbage", "flipped byte", "unsigned", "writable by others", "symlink"])
def test_an_entry_not_to_be_trusted_is_ignored_and_rebuilt(tmp_path, home, damage):
    one, two = _pack(tmp_path, "one", "one"), _pack(tmp_path, "two", "two")
    _messages(tmp_path, one)
    _messages(tmp_path, two)
    kept_one, kept_two = _kept(home, "one"), _kept(home, "two")
    _forge(home, kept_one, kept_two)  # would report "one" if it were trusted
    if damage == "garbage":
        kept_two.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "flipped byte":
        data = bytearray(kept_two.read_bytes())
        data[-3] ^= 0xFF
        kept_two.write_bytes(bytes(data))
    elif damage == "unsigned":
        kept_two.write_bytes(b"\0" * 32 + kept_two.read_bytes()[32:])
    elif damage == "writable by others":
        os.chmod(kept_two, 0o666)
    else:
        forged = kept_two.with_name("forged")
        kept_two.rename(forged)
        kept_two.symlink_to(forged)
    assert _messages(tmp_path, two) == [(31, "PH901", "two Peskov")]
    # Rebuilt: the entry is provlint's own again, and holds the pack as loaded.
    assert not kept_two.is_symlink()
    assert stat.S_IMODE(kept_two.stat().st_mode) == 0o600
    assert _messages(tmp_path, two) == [(31, "PH901", "two Peskov")]


def test_a_cache_home_others_may_write_is_not_used(tmp_path, home):
    pack = _pack(tmp_path, "pack", "one")
    _messages(tmp_path, pack)
    entry = _kept(home, "one")
    os.chmod(entry.parent, 0o777)
    for kept in _entries(home):
        kept.unlink()
    assert _messages(tmp_path, pack) == [(31, "PH901", "one Peskov")]
    assert _entries(home) == set()


ROWS_RUN = """
from provlint.ruleset import load_ruleset
table = load_ruleset(["rows.yaml"]).table
print(table.classify("été", 1)[0])
print(*[entry.pattern.source for entry in table.entries if entry.pattern is not None and entry.pattern._compiled])
"""


def test_a_kept_pack_knows_which_engine_runs_each_row(tmp_path, home):
    """Only RE2 rows are screened (a `regex` row's `\\w` takes `é`); a kept pack says which
    engine runs each row, so a run compiles only the rows it matches a text against."""
    (tmp_path / "rows.yaml").write_text("block_kinds:\n  - kind: tag\n    pattern: '\\w+(?<!z)'\n", encoding="utf-8")
    for _ in range(2):  # the run that keeps the pack, then one that loads it
        done = subprocess.run([sys.executable, "-c", ROWS_RUN], cwd=tmp_path, capture_output=True, text=True,
                              check=True)
    assert done.stdout.splitlines() == ["tag", "\\w+(?<!z)"]


SKETCH_RUN = """
from provlint.ruleset import load_ruleset
table = load_ruleset().table
paragraph = "The ministry said on Monday that the talks would resume next week in Geneva."
print(table.classify(paragraph, 1)[0], table.classify("By Jane Doe", 1)[0])
rows = [entry for entry in table.entries if entry.pattern is not None and "\\\\p{" in entry.pattern.source]
print(sum(1 for entry in rows if entry.pattern._compiled is not None), len(rows))
"""


def test_a_kept_pack_rules_rows_out_without_compiling_them(tmp_path, home):
    """A kept pack's rows are compiled only for the texts their sketches let through: the
    first run compiles every row (to keep which engine runs it), the next few."""
    runs = [subprocess.run([sys.executable, "-c", SKETCH_RUN], cwd=tmp_path, capture_output=True, text=True,
                           check=True).stdout.splitlines() for _ in range(2)]
    assert runs[0][0] == runs[1][0] == "description author"
    compiled, rows = map(int, runs[1][1].split())
    assert runs[0][1] == f"{rows} {rows}" and rows > 10
    assert compiled <= 3


def test_a_kept_pack_holds_the_words_of_dates(tmp_path, home):
    """The words of dates are built once, with the pack, not on each run's first date."""
    run = ("from provlint.ruleset import load_ruleset\ntable = load_ruleset().table\n"
           "print(table._dates is not None, table.dates.meanings[('feb',)])")
    outputs = [subprocess.run([sys.executable, "-c", run], cwd=tmp_path, capture_output=True, text=True,
                              check=True).stdout for _ in range(2)]
    assert outputs == ["True {'month': 2}\n"] * 2


def test_a_kept_packs_rule_patterns_know_their_engine_uncompiled(tmp_path, home):
    """Every pattern of a kept pack was compiled once, when it was kept: a later run asks a
    rule's pattern its engine (screens group the RE2 ones) without compiling it."""
    run = ("from provlint.ruleset import load_ruleset\n"
           "patterns = [rule.pattern for rule in load_ruleset().rules if rule.pattern is not None]\n"
           "print(len(patterns) > 5, {pattern.engine for pattern in patterns}, "
           "sum(1 for pattern in patterns if pattern._compiled is not None))")
    outputs = [subprocess.run([sys.executable, "-c", run], cwd=tmp_path, capture_output=True, text=True,
                              check=True).stdout for _ in range(2)]
    assert outputs[1] == "True {'re2'} 0\n"


CHECKS_RUN = """
from provlint.engine import lint_document
from provlint.readers import read_texts
from provlint.ruleset import load_ruleset
pack = load_ruleset()
(rule,) = [rule for rule in pack.rules if rule.check == "phrases"]
phrases = rule.prepared.pattern
def found(body):
    document = read_texts("p.txt", " date 2024-03 https://www.example.org/x.html\\n\\n" + body, pack.table, "dump")[0]
    return [(f.rule, f.line, f.column, f.message) for f in lint_document(document, [rule])]
print(phrases.engine, phrases._compiled is not None)
print(found("The council met on Tuesday to vote on the budget, and the motion passed narrowly’s way."), phrases._compiled is not None)
print(found("Certainly! Here's a rewritten version of the council’s article."), phrases._compiled is not None)
"""


def test_a_kept_pack_knows_the_patterns_its_checks_build(tmp_path, home):
    """The patterns checks build from the pack at each run (the phrases of generator
    artefacts, the credits' outlet names) are kept with it: a later run compiles one only
    for a text its sketch lets through, and then finds what the pattern finds."""
    runs = [subprocess.run([sys.executable, "-c", CHECKS_RUN], cwd=tmp_path, capture_output=True, text=True,
                           check=True).stdout.splitlines() for _ in range(2)]
    artefact = "[('PH006', 3, 1, 'text-generator artefact \"Certainly! Here\\'s\" in the description')]"
    assert runs[0] == ["re2 True", "[] True", f"{artefact} True"]
    assert runs[1] == ["re2 False", "[] False", f"{artefact} True"]


SCREENS_RUN = """
from provlint.readers import rowscreen
from provlint.ruleset import load_ruleset
table = load_ruleset().table
def compiled():
    return any(atoms in rowscreen._CLASSES for screen in table._screens for atoms in (screen._first, screen._last))
print(table.classify("By Jane Doe", 1)[0], table.classify("«Sputnik France»", 1)[0], compiled())
print(table.classify("Μαρία Παπαδοπούλου", 1)[0], compiled())
"""


def test_a_kept_pack_holds_its_rows_screens(tmp_path, home):
    """The rows' screens are built once, with the pack, with their answers for the
    characters blocks mostly open and close with: a later run compiles a screen's class
    only for another character (Greek here), and classifies as the first run did. (Run
    compiled, this fails if unpickling calls the rows' constructors: the pack never loads.)"""
    runs = [subprocess.run([sys.executable, "-c", SCREENS_RUN], cwd=tmp_path, capture_output=True, text=True,
                           check=True).stdout.splitlines() for _ in range(2)]
    assert runs[0] == ["author title True", "author True"]
    assert runs[1] == ["author title False", "author True"]


DATES_RUN = """
import sys
from provlint.dates import parse_timestamp
from provlint.ruleset import load_ruleset
table = load_ruleset().table
print("regex" in sys.modules, table.dates.meanings[("jan",)])
print(parse_timestamp("21 janvier 2022 à 08:57", table.dates).instant, "regex" in sys.modules)
"""


def test_a_kept_pack_gives_back_the_words_of_dates_as_built(tmp_path, home):
    """The words of dates come back from a kept pack as they were kept, and their grammar
    is compiled (the `regex` module imported) only when a date in words is read: not when
    the pack is built, kept or loaded (compiling it and importing `regex` were a tenth of
    a one-file run, which mostly reads no such date)."""
    runs = [subprocess.run([sys.executable, "-c", DATES_RUN], cwd=tmp_path, capture_output=True, text=True,
                           check=True).stdout.splitlines() for _ in range(2)]
    assert runs[0] == ["False {'month': 1}", "2022-01-21 08:57:00 True"]
    assert runs[1] == runs[0]


PACKAGED_RUN = """
import sys
from pathlib import Path
import provlint
from provlint.ruleset import load_ruleset
template = Path(provlint.__file__).parent / "cli" / "templates" / "editorial-marker.yaml"
opened = []

def reading_rules():
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name != "_read_rule_file":
        frame = frame.f_back
    return frame is not None

sys.addaudithook(lambda event, args: opened.append(event) if event == "open" and str(args[0]) == str(template)
                 and reading_rules() else None)
ruleset = load_ruleset([str(template)])
print(len(opened), [rule.id for rule in ruleset.rules if rule.id == "PH901"])
"""


def test_a_kept_pack_is_found_without_reading_a_rule_file_of_provlints_own_package(tmp_path, home):
    """A rule file inside provlint's own package (an installed provlint's built-in rules)
    is known to the pack's key by the code digest, which covers it: a run with the pack kept
    does not read it as a rule file again (the built-in rules are a megabyte to read and
    digest)."""
    runs = [subprocess.run([sys.executable, "-c", PACKAGED_RUN], cwd=tmp_path, capture_output=True, text=True,
                           check=True).stdout.splitlines() for _ in range(2)]
    assert runs[0] == ["1 ['PH901']"]
    assert runs[1] == ["0 ['PH901']"]


def test_a_run_with_the_pack_kept_reports_as_the_run_that_built_it(tmp_path, home):
    """The run that builds the pack compiles its patterns; a later run keeps them
    uncompiled and answers Latin-1 texts with their Latin-1 sketches (block-table rows
    and rules alike): both report the same findings, byte for byte."""
    inputs = [str(SEED), *(str(path) for path in sorted(CORPUS.glob("*/*.txt")))]
    runs = [subprocess.run([sys.executable, "-m", "provlint", "check", *inputs, "--no-cache", "--jobs", "1",
                            "--format", "json"], cwd=tmp_path, capture_output=True, text=True) for _ in range(2)]
    assert [run.returncode for run in runs] == [1, 1], runs[0].stderr
    assert len(runs[0].stdout) > 1000 and runs[1].stdout == runs[0].stdout


SKETCHES_RUN = """
from provlint.ruleset import load_ruleset
table = load_ruleset().table
known = all(entry.pattern._latin_source is not None for entry in table.entries if entry.pattern is not None)
print(table.classify("By Jane Doe", 1)[0], table.classify("«Sputnik France»", 1)[0], known)
"""


def test_a_kept_pack_holds_its_patterns_latin1_sketches(tmp_path, home):
    """The Latin-1 sketches are written when the pack is kept, and kept with it: a later
    run loads every row's sketch with the pack, before reading any text, and classifies
    as the first run did."""
    runs = [subprocess.run([sys.executable, "-c", SKETCHES_RUN], cwd=tmp_path, capture_output=True, text=True,
                           check=True).stdout.splitlines() for _ in range(2)]
    assert runs[0][0].split()[:2] == ["author", "title"]
    assert runs[1] == ["author title True"]
