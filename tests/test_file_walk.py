"""The walk of the paths given: every file and folder under them is answered, whatever
its name's case, its permissions, its depth or where its links lead (issue 16)."""

from __future__ import annotations

import os

import pytest

from conftest import provlint

PLACEHOLDER = "/html/head/meta[@name='og:title']/@content"
DUMP = f"A title that is long enough\n\n{PLACEHOLDER}\n"


def answers(run) -> list[tuple[str, str, str]]:
    return sorted((f["path"], f["rule"], f["message"]) for f in run.json()["findings"] if f["rule"].startswith("IN"))


def placeholders(run) -> list[str]:
    return sorted(f["path"] for f in run.json()["findings"] if f["rule"] == "PH001")


def test_name_endings_match_in_any_case(tmp_path):
    for name in ("A.TXT", "B.Html", "C.JSONL", "d.txt", "notes.md"):
        (tmp_path / name).write_text("", encoding="utf-8")
    run = provlint("check", ".", "--format", "json", cwd=tmp_path)
    assert run.code == 1 and run.json()["files_checked"] == 4
    assert [(f["path"], f["rule"]) for f in run.json()["findings"]] == \
        [("A.TXT", "IN001"), ("B.Html", "IN001"), ("C.JSONL", "IN001"), ("d.txt", "IN001")]


@pytest.fixture
def linked(tmp_path):
    """corpus/ with links to a secret outside it, to a folder outside it, inside it and
    back up; outside/ holds what they lead to."""
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    (corpus / "sub").mkdir(parents=True)
    (outside / "more").mkdir(parents=True)
    (corpus / "a.txt").write_text(DUMP, encoding="utf-8")
    (outside / "secret.txt").write_text("TOKEN=hunter2\n\n" + PLACEHOLDER + "\n", encoding="utf-8")
    (outside / ".env").write_text("TOKEN=hunter2\n", encoding="utf-8")
    (outside / "more" / "b.txt").write_text(DUMP, encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "sub" / "env.txt").symlink_to(os.path.join("..", "..", "outside", ".env"))
    (corpus / "elsewhere").symlink_to(outside / "more")
    (corpus / "inside.txt").symlink_to("a.txt")
    (corpus / "sub" / "up").symlink_to("..")  # a loop when links are followed
    return tmp_path


def test_links_out_of_the_paths_given_are_reported_not_read(linked):
    outside = os.path.realpath(linked / "outside")
    run = provlint("check", "corpus", "--format", "json", cwd=linked)
    assert run.code == 1 and run.json()["files_checked"] == 5
    assert answers(run) == [
        ("corpus/elsewhere", "IN021", f"symbolic link to {outside}/more, outside the paths checked: not followed"),
        ("corpus/passwd.txt", "IN021",
         f"symbolic link to {outside}/secret.txt, outside the paths checked: not followed"),
        ("corpus/sub/env.txt", "IN021", f"symbolic link to {outside}/.env, outside the paths checked: not followed"),
    ]
    assert placeholders(run) == ["corpus/a.txt", "corpus/inside.txt"]
    assert {f["severity"] for f in run.json()["findings"] if f["rule"] == "IN021"} == {"warning"}
    full = provlint("check", "corpus", "--format", "full", cwd=linked)
    assert "hunter2" not in full.out


def test_links_are_read_when_their_targets_are_given_or_asked_for(linked):
    both = provlint("check", "corpus", "outside", "--format", "json", cwd=linked)
    assert answers(both) == []
    assert placeholders(both) == ["corpus/a.txt", "corpus/inside.txt", "corpus/passwd.txt", "outside/more/b.txt",
                                  "outside/secret.txt"]
    named = provlint("check", "corpus/passwd.txt", "--format", "json", cwd=linked)
    assert placeholders(named) == ["corpus/passwd.txt"]
    # Every link followed, the loop back up (sub/up -> ..) walked once.
    followed = provlint("check", "corpus", "--follow-links", "--format", "json", cwd=linked)
    assert answers(followed) == []
    assert placeholders(followed) == ["corpus/a.txt", "corpus/elsewhere/b.txt", "corpus/inside.txt",
                                      "corpus/passwd.txt"]
    assert followed.json()["files_checked"] == 5  # and sub/env.txt, which has no placeholder
    (linked / "provlint.yaml").write_text("follow-links: true\n", encoding="utf-8")
    assert placeholders(provlint("check", "corpus", "--format", "json", cwd=linked)) == placeholders(followed)


def test_folders_and_files_past_path_max_are_reported(tmp_path):
    # Made through folder descriptors, as no path to the deepest one fits in PATH_MAX:
    # 20 levels of 200 characters, then one that ends the relative path 6 short of the
    # limit (its absolute path, where .gitignore files are looked for, is past it),
    # then one more past it. Each holds a dump.
    limit = os.pathconf(tmp_path, "PC_PATH_MAX")
    names = ["d" * 200] * 20
    names.append("e" * (limit - 6 - len("/".join(names)) - 1))
    names.append("f" * 200)
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        for name in names:
            os.mkdir(name, dir_fd=folder)
            inner = os.open(name, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
            dump = os.open("deep.txt", os.O_CREAT | os.O_WRONLY, dir_fd=folder)
            os.write(dump, DUMP.encode())
            os.close(dump)
    finally:
        os.close(folder)
    (tmp_path / "ok.txt").write_text(DUMP, encoding="utf-8")
    run = provlint("check", ".", "--format", "json", cwd=tmp_path)
    assert run.code == 1 and run.json()["files_checked"] == 2 + 21
    near = "/".join(names[:-1])
    assert len(near) == limit - 6 and len(near + "/deep.txt") > limit
    [(file_path, file_rule, message), (folder_path, folder_rule, folder_message)] = answers(run)
    assert (file_path, file_rule) == (near + "/deep.txt", "IN005")
    assert message.startswith("cannot read the file: File name too long")
    assert (folder_path, folder_rule, folder_message) == ("/".join(names), "IN020",
                                                          "cannot list the folder: File name too long")
    assert placeholders(run) == sorted(["ok.txt", *("/".join(names[:level]) + "/deep.txt" for level in range(1, 21))])


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a folder whatever its permissions")
def test_unreadable_folder_is_reported(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(DUMP, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(DUMP, encoding="utf-8")
    locked.chmod(0)
    try:
        run = provlint("check", ".", "--format", "json", cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    assert answers(run) == [("locked", "IN020", "cannot list the folder: Permission denied")]
    assert placeholders(run) == ["ok.txt"]
