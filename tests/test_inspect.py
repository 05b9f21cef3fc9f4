"""`provlint inspect FILE`: how a file was read, as a table and as JSON, read exactly as
`provlint check` reads it. The real CLI on the seed, a page excerpt and JSON records."""

from __future__ import annotations

import os

import pytest
from conftest import REPO, SEED, provlint

# The head of flavorwire.com1.html from newspaper4k's test pages
# (http://flavorwire.com/495982/13-media-moments-from-2014-we-could-have-lived-without), cut short.
FLAVORWIRE = """\
<!DOCTYPE html>
<html lang="en-US">
<head>
\t<meta charset="utf-8">
\t<title>From The Interview to Iggy Azalea, 2014&#8217;s Worst Cultural Moments  &#8211;  Flavorwire</title>
<link rel='canonical' href='http://flavorwire.com/495982/13-media-moments-from-2014-we-could-have-lived-without' />
<meta property="og:title" content="13 Media Moments from 2014 We Could Have Lived Without" />
<meta property="article:published_time" content="2014-12-26T19:15:22+00:00" />
<meta property="article:modified_time" content="2014-12-26T20:16:46+00:00" />
<meta property="og:site_name" content="Flavorwire" />
</head>
<body></body>
</html>
"""


def inspect_json(*args: str, cwd=None) -> dict:
    run = provlint("inspect", *args, "--format", "json", cwd=cwd)
    assert run.code == 0, run.err
    return run.json()


def blocks_by_line(document: dict) -> dict[int, tuple]:
    return {b["line"]: (b["kind"], b["role"], b["column"], b["end_column"]) for b in document["blocks"]}


def test_seed_as_json():
    inspection = inspect_json(SEED)
    assert set(inspection) == {"version", "path", "reader", "encoding", "facts", "documents"}
    assert (inspection["reader"], inspection["facts"]) == ("dump", {})
    assert inspection["encoding"] == {"name": "utf-8", "source": "utf-8", "declaration": None}
    [document] = inspection["documents"]
    assert set(document) == {"path", "facts", "blocks", "fields"}
    blocks = blocks_by_line(document)
    assert blocks[1] == ("header", None, 1, 135)
    assert blocks[9] == ("timestamp", "created", 1, 22)
    assert blocks[11] == ("timestamp", "published", 1, 22)
    assert blocks[13] == ("timestamp", "modified", 1, 22)
    assert blocks[27] == ("placeholder", None, 1, 92)
    assert blocks[39] == ("publisher", None, 1, 85)
    assert {b["origin"] for b in document["blocks"]} == {"block"}
    fields = document["fields"]
    [published] = fields["published"]
    assert published["value"] == {"timestamp": "2022-02-21T08:57+0100", "instant": "2022-02-21T08:57:00+01:00",
                                  "has_time": True, "offset": "+01:00", "problem": None, "offset_problem": None}
    assert (published["raw"], published["line"], published["column"], published["end_column"]) == \
        ("2022-02-21T08:57+0100", 11, 1, 22)
    assert [p["line"] for p in fields["publisher"]] == [39, 51, 59]
    assert fields["publisher"][0]["value"] == {"email": "feedback.fr@sputniknews.com", "legal_name": "MIA „Rosiya Segodnya“",
                                               "logo_size": "252 60", "name": "Sputnik France", "phone": "+74956456601"}
    assert fields["crawl_date"][0]["value"] == "2022-02-01"
    assert fields["crawl_date"][0]["extra"] == {"end": "2022-02-28"}
    [body] = fields["body"]
    assert len(body["value"]) > 1000 and body["value"] == body["raw"]  # whole in JSON
    assert fields["placeholders"][0]["raw"].startswith("/html/head/meta[@name='og:title']/@content")


def test_seed_as_table():
    run = provlint("inspect", "seeds/000_f05103ceb859ce66.txt", cwd=REPO)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[:2] == ["seeds/000_f05103ceb859ce66.txt", "reader dump · encoding utf-8 (valid UTF-8) · 1 document"]
    row = {line.split("│")[0].strip(): line for line in lines if "│" in line and line.split("│")[0].strip()}
    assert "timestamp (published)" in row["11:1-22"]
    assert "/html/head/meta[@name='og:title']/@content" in row["27:1-92"]  # printed as is, not as markup
    assert "placeholder" in row["27:1-92"]
    assert "(1,149 chars)" in run.out  # the body, cut in the table
    assert "name = Sputnik France" in run.out


def test_path_is_shown_as_check_shows_it(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "seed.txt").write_bytes(SEED.read_bytes())
    assert inspect_json("./corpus/seed.txt", cwd=tmp_path)["path"] == os.path.join("corpus", "seed.txt")


def test_html_page_in_both_formats(tmp_path):
    (tmp_path / "page.html").write_text(FLAVORWIRE, encoding="utf-8")
    inspection = inspect_json("page.html", cwd=tmp_path)
    assert inspection["reader"] == "html"
    assert inspection["encoding"] == {"name": "utf-8", "source": "declared",
                                      "declaration": {"text": '<meta charset="utf-8">', "line": 4, "column": 2}}
    [document] = inspection["documents"]
    kinds = {line: kind_role[:2] for line, kind_role in blocks_by_line(document).items()}
    assert kinds[5] == ("title", None)
    assert kinds[7] == ("title", None)
    assert kinds[8] == ("timestamp", "published")
    assert kinds[9] == ("timestamp", "modified")
    assert kinds[10] == ("publisher", None)
    fields = document["fields"]
    assert [(t["value"], t["line"]) for t in fields["title"]] == [
        ("From The Interview to Iggy Azalea, 2014’s Worst Cultural Moments – Flavorwire", 5),
        ("13 Media Moments from 2014 We Could Have Lived Without", 7)]
    assert fields["publisher"][0]["value"] == {"name": "Flavorwire"}
    assert fields["modified"][0]["value"]["instant"] == "2014-12-26T20:16:46+00:00"
    assert all(isinstance(b["origin"], str) and b["origin"] for b in document["blocks"])
    run = provlint("inspect", "page.html", cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.out.splitlines()[1] == 'reader html · encoding utf-8 (declared by <meta charset="utf-8"> at 4:2) · 1 document'
    assert "timestamp (modified)" in run.out and "13 Media Moments from 2014" in run.out


def test_json_records_one_section_each(tmp_path):
    (tmp_path / "feed.jsonl").write_text(
        '{"title": "Ceasefire talks resume in Cairo", "publishedAt": "2024-01-02T03:04:05Z", "source": {"name": "AP"}}\n'
        "not json\n"
        '{"title": "Storm closes ports", "publishedAt": "next Tuesday"}\n', encoding="utf-8")
    inspection = inspect_json("feed.jsonl", cwd=tmp_path)
    assert inspection["reader"] == "jsonl"
    assert [d["path"] for d in inspection["documents"]] == ["feed.jsonl:1", "feed.jsonl:2", "feed.jsonl:3"]
    first, broken, last = inspection["documents"]
    assert [(b["kind"], b["role"], b["column"]) for b in first["blocks"]] == [
        ("title", None, 12), ("timestamp", "published", 62), ("publisher", None, 105)]
    assert first["fields"]["publisher"][0]["value"] == {"name": "AP"}
    assert [b["origin"] for b in first["blocks"]] == ["json title", "json publishedAt", "json source.name"]
    assert broken["facts"]["invalid_json"]["line"] == 2
    [stamp] = last["fields"]["published"]
    assert stamp["value"]["instant"] is None and stamp["problem"] is None  # not a date, so not an impossible one
    run = provlint("inspect", "feed.jsonl", cwd=tmp_path)
    assert "feed.jsonl:3" in run.out and "not a date" in run.out
    (tmp_path / "news.json").write_text('{"status": "ok", "articles": [{"title": "One"}, {"title": "Two"}]}',
                                        encoding="utf-8")
    assert [d["path"] for d in inspect_json("news.json", cwd=tmp_path)["documents"]] == [
        "news.json#/articles/0", "news.json#/articles/1"]


def test_reads_as_check_does(tmp_path):
    # The config found from the current folder maps fields; --rules adds a block kind;
    # --input-format forces a reader.
    (tmp_path / "provlint.yaml").write_text("input:\n  fields:\n    published: meta.pubDate\n", encoding="utf-8")
    (tmp_path / "export.jsonl").write_text('{"title": "A headline", "meta": {"pubDate": "2024-05-06"}}\n',
                                           encoding="utf-8")
    [document] = inspect_json("export.jsonl", cwd=tmp_path)["documents"]
    assert document["fields"]["published"][0]["raw"] == "2024-05-06"
    (tmp_path / "kinds.yaml").write_text("block_kinds:\n  - kind: paywall\n    pattern: '(?i)subscribe to read.*'\n",
                                         encoding="utf-8")
    (tmp_path / "dump.txt").write_text("A title that is long enough\n\nSubscribe to read the full story\n",
                                       encoding="utf-8")
    assert blocks_by_line(inspect_json("dump.txt", cwd=tmp_path)["documents"][0])[3][0] != "paywall"
    with_kinds = inspect_json("dump.txt", "--rules", "kinds.yaml", cwd=tmp_path)
    assert blocks_by_line(with_kinds["documents"][0])[3][0] == "paywall"
    (tmp_path / "page.txt").write_text(FLAVORWIRE, encoding="utf-8")
    assert inspect_json("page.txt", cwd=tmp_path)["reader"] == "dump"
    assert inspect_json("page.txt", "--input-format", "html", cwd=tmp_path)["reader"] == "html"


def test_facts_of_files_that_hold_nothing_to_read(tmp_path):
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\x00\x00\x00\x0dIHDR")
    blob = inspect_json("blob.txt", cwd=tmp_path)
    assert (blob["reader"], blob["encoding"], blob["facts"]) == (None, None, {"binary": "NUL bytes"})
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    empty = inspect_json("empty.txt", cwd=tmp_path)
    assert (empty["reader"], empty["documents"][0]["facts"]) == (None, {"empty": True})


@pytest.mark.parametrize("target", ["missing.txt", "folder", "pipe.txt"])
def test_bad_input_is_a_clear_error(tmp_path, target):
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "pipe.txt")
    run = provlint("inspect", target, cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    expected = {"missing.txt": "no such file: missing.txt", "folder": "folder is a folder; inspect takes one file",
                "pipe.txt": "cannot read pipe.txt: not a regular file (a pipe, socket or device)"}[target]
    assert expected in run.err
