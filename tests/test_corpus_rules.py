"""The corpus rules (DU009 laundered copies, PV010 publishing bursts, PV011 shared
operator ids): run after every file was read, over what each document left in the corpus
index, from the cache too. The bodies are short excerpts of real articles (their pages
are in the shared real-world set, not in this repository)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import jsonschema

from conftest import FIXTURES, provlint
from provlint.api import prepare, run
from provlint.checks.corpus import (_CODECS, _HOST, BINS, CREDIT_KINDS, CREDIT_PARTS, MAX_WORDS, SHORT_BLOCK, Settings,
                                    _body_parts, _hosts, _spaced, credit_text, minhash, signature)
from provlint.config import load_settings
from provlint.readers import read_texts
from provlint.sources import fold_text

# https://www.aljazeera.com/news/2019/11/service-members-killed-afghanistan-helicopter-crash-191120070028895.html
CRASH = [
    "Two United States service members have been killed in a helicopter crash in Afghanistan, the US military said "
    "in a statement on Wednesday.",
    "\"The cause of the crash is under investigation, however preliminary reports do not indicate it was caused by "
    "enemy fire,\" the statement said.",
    "It did not reveal the crash location and said it was withholding the names of those killed until next of kin "
    "could be told.",
    "The Afghan Taliban, however, claimed responsibility for shooting down the helicopter, which it said crashed in "
    "Logar province south of the capital Kabul.",
    "\"The Americans wanted to raid a mujahideen base, but their helicopter was shot down and caught fire. All on "
    "board were killed,\" Mujahid said.",
    "It was not possible to independently verify the group's claim.",
]
# https://www.aljazeera.com/ajimpact/nasas-commercial-moon-shot-musk-bezos-firms-bid-191119041538885.html
MOON_SHOT = [
    "Getting to the Moon, while not easy, has been done. Staying on the Moon and reaching Mars, however, haven't. "
    "Why? Because space travel and sustaining life off Earth are anything but easy.",
    "It is for that reason that the United States's space agency NASA on Monday enlisted the engineering muscle of "
    "what are arguably the commercial space industry's upstarts - Amazon founder Jeff Bezos's Blue Origin and Elon "
    "Musk's SpaceX among them - to prepare the ground for its planned 2024 crewed moon shot.",
]
# https://www.space.com/nasa-picks-spacex-blue-origin-private-moon-lander-companies.html
LANDERS = [
    "NASA has recruited SpaceX's Starship, Blue Origin's Blue Moon and three other commercial lunar lander ideas to "
    "join its Artemis moon program.",
    "Today (Nov. 18), NASA announced the selection of SpaceX, Blue Origin, Sierra Nevada Corp., Ceres Robotics and "
    "Tyvak Nano-Satellite Systems, Inc. to join its Commercial Lunar Payload Services program (CLPS). The five "
    "companies can now vie to deliver robotic payloads to the lunar surface for NASA, helping to pave the way for the "
    "return of astronauts to the moon by 2024.",
]
ORIGINAL_URL = "https://www.aljazeera.com/news/2019/11/service-members-killed-afghanistan-helicopter-crash.html"


def dump(url: str, published: str, title: str, paragraphs: list[str]) -> str:
    return f" {url}\n\n{title}\n\n{published}\n\n" + "\n\n".join(paragraphs) + "\n"


# name -> (url, published, body paragraphs, extra paragraphs that are no part of the body)
CORPUS = {
    # The page names its address on the outlet's other domain too (as a page's og:url would).
    "aljazeera/crash.txt": (ORIGINAL_URL, "2019-11-20T07:00:00+00:00", CRASH,
                            ["https://www.aljazeera.net/news/2019/11/crash.html"]),
    "aljazeera/on-its-other-domain.txt": ("https://www.aljazeera.net/news/2019/11/crash.html",
                                          "2019-11-20T08:00:00+00:00", CRASH, []),
    "aljazeera/moon-shot.txt": ("https://www.aljazeera.com/ajimpact/moon-shot.html", "2019-11-19T04:15:00+00:00",
                                MOON_SHOT, []),
    "aljazeera/crash-update.txt": ("https://www.aljazeera.com/news/2019/11/crash-update.html",
                                   "2019-11-20T12:00:00+00:00", CRASH, []),
    "space/landers.txt": ("https://www.space.com/nasa-picks-moon-landers.html", "2019-11-18T20:00:00+00:00",
                          LANDERS, []),
    "copies/verbatim.txt": ("https://worldnews-today.net/2019/11/20/crash", "2019-11-20T09:00:00+00:00", CRASH, []),
    "copies/trimmed.txt": ("https://truth-daily.org/a/8812", "2019-11-20T09:30:00+00:00", CRASH[:5], []),
    "copies/one-paragraph.txt": ("https://newsfront24.com/crash", "2019-11-20T10:00:00+00:00",
                                 [" ".join(CRASH)], []),
    "copies/credited.txt": ("https://eurasia-report.info/crash", "2019-11-20T10:30:00+00:00", CRASH,
                            ["Source: Al Jazeera"]),
    "copies/linked.txt": ("https://global-view.news/crash", "2019-11-20T11:00:00+00:00",
                          [*CRASH[:5], f"{CRASH[5]} (www.aljazeera.com/news)"], []),
}
COPIES = ["copies/credited.txt", "copies/linked.txt", "copies/one-paragraph.txt", "copies/trimmed.txt",
          "copies/verbatim.txt"]


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def jaccard(first: str, second: str) -> float:
    one, two = shingles(first), shingles(second)
    return len(one & two) / len(one | two)


def write_corpus(folder: Path) -> None:
    """The corpus, its files dated an hour back: the cache trusts their size and mtime."""
    hour_ago = time.time_ns() - 3600 * 1_000_000_000
    for name, (url, published, body, extra) in CORPUS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(url, published, "Helicopter crash in Afghanistan", [*body, *extra]), encoding="utf-8")
        os.utime(path, ns=(hour_ago, hour_ago))


def du009(run_result) -> list[tuple[str, int, int, str]]:
    return [(f["path"], f["line"], f["column"], f["message"]) for f in run_result.json()["findings"]
            if f["rule"] == "DU009"]


EXPECTED = [
    ("copies/credited.txt", 7, 1, "copy of aljazeera/crash.txt (aljazeera.com), published 2019-11-20T07:00:00+00:00: "
                                  "0.98 similar; credits it by name (aljazeera)"),
    ("copies/linked.txt", 7, 1, "copy of aljazeera/crash.txt (aljazeera.com), published 2019-11-20T07:00:00+00:00: "
                                "1.00 similar; credits it with a link in the body"),
    ("copies/one-paragraph.txt", 7, 1, "copy of aljazeera/crash.txt (aljazeera.com), published "
                                       "2019-11-20T07:00:00+00:00: 1.00 similar; does not credit it"),
    ("copies/trimmed.txt", 7, 1, "copy of aljazeera/crash.txt (aljazeera.com), published 2019-11-20T07:00:00+00:00: "
                                 "0.94 similar; does not credit it"),
    ("copies/verbatim.txt", 7, 1, "copy of aljazeera/crash.txt (aljazeera.com), published 2019-11-20T07:00:00+00:00: "
                                  "1.00 similar; does not credit it"),
]


def test_every_laundered_copy_is_found_with_its_original(tmp_path):
    write_corpus(tmp_path)
    original = " ".join(CRASH)
    for name in COPIES:
        _, _, body, extra = CORPUS[name]
        assert jaccard(original, " ".join([*body, *extra])) >= 0.9, name
    assert jaccard(original, " ".join(MOON_SHOT)) < 0.1 and jaccard(original, " ".join(LANDERS)) < 0.1
    checked = provlint("check", ".", "--no-cache", "--format", "json", "--select", "DU009", cwd=tmp_path)
    assert checked.code == 1
    assert du009(checked) == EXPECTED


def lint(project: Path):
    result, _ = run([str(project / "corpus")], load_settings(start=project))
    return result


def test_a_cached_rerun_rebuilds_the_corpus_index_without_reading_a_file(tmp_path):
    (tmp_path / "provlint.yaml").write_text("select: [DU009]\n", encoding="utf-8")
    write_corpus(tmp_path / "corpus")
    cold = lint(tmp_path)
    assert cold.cached == 0 and cold.files_checked == len(CORPUS)
    assert [(Path(f.path).relative_to(tmp_path / "corpus").as_posix(), f.line, f.column, f.message)
            for f in cold.findings] == [(path, line, column, message.replace("aljazeera/crash.txt", str(
                tmp_path / "corpus" / "aljazeera" / "crash.txt"))) for path, line, column, message in EXPECTED]
    warm = lint(tmp_path)
    assert warm.cached == len(CORPUS)
    assert [(f, f.message, f.others, f.fingerprint) for f in warm.findings] == \
        [(f, f.message, f.others, f.fingerprint) for f in cold.findings]
    # The original's text replaced by another of the same size, its mtime kept: a run that
    # read it would find no copy of it. The cached run still does: it read no file.
    original = tmp_path / "corpus" / "aljazeera" / "crash.txt"
    status = original.stat()
    text = original.read_text(encoding="utf-8")
    original.write_text(re.sub(r"[a-z]", "x", text[:200]) + text[200:], encoding="utf-8")
    os.utime(original, ns=(status.st_atime_ns, status.st_mtime_ns))
    again = lint(tmp_path)
    assert again.cached == len(CORPUS)
    assert [f.message for f in again.findings] == [f.message for f in cold.findings]


def credited_copy(body: list[str], credit: str, dashes: int) -> list[str]:
    """A copy of `body` with `dashes` short blocks of a dash after its first paragraph
    (each folds to nothing), then a short block that credits the original."""
    return [body[0], *["—"] * dashes, credit, *body[1:]]


def test_a_copy_is_credited_only_in_the_words_its_credit_is_read_in(tmp_path):
    """A copy's credit is read in the first 1,000 characters of its folded head, tail and
    short blocks (` | ` between, a block that folds to nothing too): a name in a block
    folded there credits (accents, quotes and case aside); the same block past 340 dashes
    (past the cut) does not."""
    write_corpus(tmp_path)
    url = "https://{}/crash"
    for name, credit, dashes in (("near", "Quelle: „ÀL-JAZEERA“", 100), ("far", "Source: Al Jazeera", 340)):
        (tmp_path / f"copies/{name}.txt").write_text(
            dump(url.format(f"{name}-news.info"), "2019-11-20T11:30:00+00:00", "Helicopter crash in Afghanistan",
                 credited_copy(CRASH, credit, dashes)), encoding="utf-8")
    found = {path: message.rsplit("; ", 1)[1] for path, _, _, message in
             du009(provlint("check", ".", "--no-cache", "--format", "json", "--select", "DU009", cwd=tmp_path))}
    assert (found["copies/near.txt"], found["copies/far.txt"]) == ("credits it by name (aljazeera)",
                                                                    "does not credit it")


def test_the_credit_is_folded_when_read_as_it_was_when_the_signature_was_made(tmp_path):
    """The signature keeps its credit parts as they are and folds them when a copy's credit
    is read: the same text as folding the body's head and tail and the short blocks, ` | `
    between, cut at 1,000 characters, for text that folds longer (ß, ligatures, ﷺ),
    shorter (combining marks, dashes) or alike (Cyrillic, Japanese), and for more parts than
    the signature keeps."""
    ruleset, _ = prepare(load_settings(start=tmp_path))
    first = f"Straße ﬁnance Ǆ e\u0301\u0301 Москва «Россия» 東京 {CRASH[0]}"
    bodies = [[first, *CRASH[1:], *["ﷺ ﷺ ﷺ"] * 30, "Quelle: „ÀL-JAZEERA“"],
              credited_copy(CRASH, "Source: Al Jazeera", 340), credited_copy(CRASH, "x", 2), [first, "\u0301" * 20]]
    kept = []
    for paragraphs in bodies:
        text = dump("https://example.org/a", "2019-11-20T11:30:00+00:00", "Straße — Title", paragraphs)
        document = read_texts("a.txt", text, ruleset.table, "dump")[0]
        made = signature(document, Settings(min_words=1))
        body = " ".join(part for _, part in _body_parts(document))
        short = [block.text for block in document.blocks
                 if len(block.text) <= SHORT_BLOCK and block.kind not in CREDIT_KINDS]
        expected = " | ".join(fold_text(part) for part in (body[:200], body[-300:], *short) if part)[:1000]
        assert credit_text(made) == expected
        kept.append(len(made.credit))
    # Head, tail, title and the blocks; of the dashes' copy, as many as reach the cut.
    assert kept == [35, CREDIT_PARTS, 6, 4]
    assert signature(document, Settings()).credit == ()  # too short for a MinHash: never a copy


def test_forked_workers_and_the_cache_hand_the_corpus_pass_what_one_process_does(tmp_path):
    """Past 32 files a run forks workers, which send each file's cache payload to the
    parent (without the cache, each signature as the corpus index keeps it); a re-run
    replays the kept run, or (a file touched) reads each file's signatures from the cache.
    All find the same copies, in the same report."""
    write_corpus(tmp_path)
    chooser = random.Random(7)
    hour_ago = time.time_ns() - 3600 * 1_000_000_000
    for number in range(40):  # bodies of their own: no copies among them
        words = [chooser.choice(["crash", "moon", "lander", "statement", "province", "agency", "program", "report"])
                 + str(chooser.randrange(10_000)) for _ in range(120)]
        path = tmp_path / "other" / f"{number:02d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(dump(f"https://site{number}.example/story", "2019-11-21T07:00:00+00:00", f"Story {number}",
                             [" ".join(words[:60]), " ".join(words[60:])]), encoding="utf-8")
        os.utime(path, ns=(hour_ago, hour_ago))
    alone = provlint("check", ".", "--no-cache", "--jobs", "1", "--format", "json", cwd=tmp_path)
    uncached = provlint("check", ".", "--no-cache", "--jobs", "2", "--format", "json", cwd=tmp_path)
    forked = provlint("check", ".", "--jobs", "2", "--format", "json", cwd=tmp_path)
    replayed = provlint("check", ".", "--jobs", "2", "--format", "json", cwd=tmp_path)
    os.utime(tmp_path / "other" / "00.txt", ns=(hour_ago + 1, hour_ago + 1))  # the run is no longer replayed whole
    cached = provlint("check", ".", "--jobs", "2", "--format", "json", cwd=tmp_path)
    assert alone.code == uncached.code == forked.code == replayed.code == cached.code == 1
    assert du009(alone) == EXPECTED
    assert uncached.out == forked.out == replayed.out == cached.out == alone.out


def test_provlint_timings_ends_the_run_with_its_phases_and_peak_memory(tmp_path, monkeypatch):
    write_corpus(tmp_path)
    quiet = provlint("check", ".", "--no-cache", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert "timings" not in quiet.err
    monkeypatch.setenv("PROVLINT_TIMINGS", "1")
    timed = provlint("check", ".", "--no-cache", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert timed.code == 1 and timed.json() == quiet.json()
    assert re.fullmatch(r"provlint: timings: files \d+\.\d\d s, corpus \d+\.\d\d s; "
                        r"peak memory \d+ MB, largest worker \d+ MB", timed.err.splitlines()[-1]), timed.err


def test_the_json_report_written_finding_by_finding_is_the_document_indented_by_two(tmp_path):
    write_corpus(tmp_path)
    checked = provlint("check", ".", "--no-cache", "--format", "json", cwd=tmp_path)
    assert checked.code == 1 and "DU009" in {f["rule"] for f in checked.json()["findings"]}
    assert checked.out == json.dumps(checked.json(), ensure_ascii=False, indent=2) + "\n"
    clean = provlint("check", ".", "--no-cache", "--format", "json", "--select", "PV011", cwd=tmp_path)
    assert clean.code == 0 and clean.json()["findings"] == []
    assert clean.out == json.dumps(clean.json(), ensure_ascii=False, indent=2) + "\n"


def test_the_sarif_report_written_result_by_result_is_the_document_indented_by_two(tmp_path):
    """SARIF is written a result at a time (a million findings never stand as dicts at
    once): the same bytes as the whole document, with findings, with baseline-suppressed
    results after them, and with none."""
    write_corpus(tmp_path / "corpus")
    provlint("check", ".", "--no-cache", "--select", "DU009", "--write-baseline", str(tmp_path / "all.json"),
             cwd=tmp_path / "corpus")
    recorded = json.loads((tmp_path / "all.json").read_text())
    (tmp_path / "some.json").write_text(json.dumps({**recorded, "findings": recorded["findings"][:2]}))
    for flags, code in ((), 1), (("--baseline", str(tmp_path / "some.json")), 1), (("--select", "PV011"), 0):
        checked = provlint("check", ".", "--no-cache", "--format", "sarif", *flags, cwd=tmp_path / "corpus")
        results = checked.json()["runs"][0]["results"]
        assert checked.code == code and checked.out == json.dumps(checked.json(), ensure_ascii=False, indent=2) + "\n"
        assert [len(r.get("suppressions", [])) for r in results if r["ruleId"] == "DU009"] == \
            ([] if code == 0 else [0] * 5 if not flags else [0, 0, 0, 1, 1])


def test_sarif_points_a_copy_at_its_original(tmp_path):
    write_corpus(tmp_path)
    checked = provlint("check", "copies/verbatim.txt", "aljazeera", "--no-cache", "--format", "sarif",
                       "--select", "DU009", cwd=tmp_path)
    sarif = json.loads(checked.out)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    [result] = sarif["runs"][0]["results"]
    assert result["ruleId"] == "DU009" and result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "copies/verbatim.txt"
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7, "startColumn": 1, "endLine": 7, "endColumn": 139}
    assert result["relatedLocations"] == [{
        "id": 1, "message": {"text": "the original, on aljazeera.com"},
        "physicalLocation": {"artifactLocation": {"uri": "aljazeera/crash.txt", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 7, "startColumn": 1, "endLine": 7, "endColumn": 139}}}]


def page(url: str, head: str) -> str:
    return (f'<html><head><link rel="canonical" href="{url}">\n{head}\n</head>\n'
            '<body><article><p>A story of the day.</p></article></body></html>\n')


GTAG = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-7QK2M4PZ1X"></script>'


def test_an_operator_id_on_two_domains_is_reported_on_the_later_domain(tmp_path):
    (tmp_path / "a.html").write_text(page("https://www.example-news.org/a", GTAG), encoding="utf-8")
    (tmp_path / "b.html").write_text(page("https://daily-world-report.net/b",
                                          '<meta name="yandex-verification" content="4f1a2b3c4d5e6f70">\n' + GTAG),
                                     encoding="utf-8")
    (tmp_path / "c.html").write_text(page("https://eurasia-report.info/c",
                                          '<meta name="yandex-verification" content="4f1a2b3c4d5e6f70">'),
                                     encoding="utf-8")
    (tmp_path / "d.html").write_text(page("https://www.example-news.org/d", "<script>ga('create', 'UA-1234567-1');</script>"),
                                     encoding="utf-8")
    checked = provlint("check", ".", "--no-cache", "--format", "json", "--select", "PV011", cwd=tmp_path)
    assert checked.code == 0  # info
    assert [(f["path"], f["line"], f["column"], f["end_column"], f["message"]) for f in checked.json()["findings"]] == [
        ("b.html", 3, 64, 76, "Google Analytics id G-7QK2M4PZ1X is used on example-news.org too: daily-world-report.net "
                              "may be run by the same operator"),
        ("c.html", 2, 43, 59, "Yandex verification id 4f1a2b3c4d5e6f70 is used on "
                              "daily-world-report.net too: eurasia-report.info may be run by the same operator"),
    ]


def test_a_publishing_burst_is_reported_once_past_the_limit(tmp_path):
    (tmp_path / "burst.yaml").write_text("extends: PV010\nmax: 3\n", encoding="utf-8")
    for minute in (0, 10, 20, 30, 50):
        (tmp_path / f"wire-{minute:02}.txt").write_text(
            dump(f"https://wire.example.net/{minute}", f"2024-03-01T10:{minute:02}:00+00:00", "Item", ["Short item."]),
            encoding="utf-8")
    # The same page scraped twice is one document.
    (tmp_path / "wire-50-again.txt").write_text((tmp_path / "wire-50.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "other.txt").write_text(
        dump("https://other.example.org/1", "2024-03-01T10:05:00+00:00", "Item", ["Short item."]), encoding="utf-8")
    (tmp_path / "later.txt").write_text(
        dump("https://wire.example.net/later", "2024-03-01T12:00:00+00:00", "Item", ["Short item."]), encoding="utf-8")
    checked = provlint("check", ".", "--rules", "burst.yaml", "--no-cache", "--format", "json", "--select", "PV010",
                       cwd=tmp_path)
    assert [(f["path"], f["line"], f["column"], f["message"]) for f in checked.json()["findings"]] == [
        ("wire-30.txt", 5, 1, "example.net published 5 documents within an hour (2024-03-01T10:00:00+00:00 to "
                              "2024-03-01T10:50:00+00:00; more than 3)")]


def test_the_provenance_report_gathers_copies_per_outlet(tmp_path):
    write_corpus(tmp_path)
    # An article of a registered outlet (RT: EU broadcast ban) and a site that claims its publisher.
    (tmp_path / "rt.txt").write_text(dump("https://www.rt.com/news/1/", "2019-11-20T06:00:00+00:00", "News", ["A."]),
                                     encoding="utf-8")
    checked = provlint("check", ".", "--no-cache", "--format", "provenance-json", cwd=tmp_path)
    assert checked.code == 1
    report = checked.json()
    copies = [{"path": path, "domain": domain, "original": "aljazeera/crash.txt", "credit": message.split("; ")[-1]}
              for path, (_, _, _, message), domain in zip(
                  COPIES, EXPECTED, ["eurasia-report.info", "global-view.news", "newsfront24.com", "truth-daily.org",
                                     "worldnews-today.net"])]
    assert report["outlets"][0] == {"domain": "aljazeera.com", "outlet": "", "flags": "", "documents": [],
                                    "mirrors": [], "copies": copies}
    [rt] = [outlet for outlet in report["outlets"] if outlet["domain"] == "rt.com"]
    assert rt["documents"] == ["rt.txt"] and rt["outlet"] == "RT" and rt["copies"] == []
    assert report["networks"] == [] and report["bursts"] == []
    table = provlint("check", ".", "--no-cache", "--format", "provenance", cwd=tmp_path)
    assert table.out.splitlines()[0] == "Outlets"
    assert "copies/verbatim.txt" in table.out and "does not credit it" in table.out


# Each character between words: the basic plane's, mathematical letters and digits, the
# last combining marks (Adlam's) and the variation selectors.
IN_WORDS = [chr(code) for code in [*range(0xD800), *range(0xE000, 0x10000), *range(0x1D400, 0x1D800),
                                   *range(0x1E900, 0x1E960), *range(0xE0100, 0xE01F0)]]
# ASCII, Latin-1 (with and without the characters that fold to other than one Latin-1
# character), other scripts, combining marks alone, ligatures, quotes and dashes.
MIXED_SCRIPTS = ["Source: Al Jazeera", "„Rosiya Segodnya“ – Télévision", "İSTANBUL ſtraße \u212aelvin ﬁ ①",
                 "e\u0301\u0345 x", "", " \t\n ", "U.S.-based", "東京 (共同)", "Réforme n°1: ce qui change « déjà »",
                 "Straße ½ µm ¾", "Ünïcödé_snake_case ÀÉÎÕÜ ÿ ×÷", "Москва — «Россия сегодня», йод Ёлка",
                 "Ἀθῆναι, ΣΟΦΊΑ ς", "الجزيرة\u064e\u0651 نت", "ﬁnance ﬂow Ǆ ĳ", "Istanbul İzmir ıı I\u0307",
                 "quote “x” ‘y’ ‚z‘ ‹a› — b – c … d", "\u0301\u0301abc\u0308 d\u034fe", "１２３ＡＢＣ ⅧⅨ ㎏ ℂ"]


def folded_one_character_at_a_time(text: str) -> str:
    """What `fold_text` means: casefolded, decomposed, combining marks dropped, every
    character but a letter or digit a space, spaces squeezed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


def test_text_is_folded_as_one_character_at_a_time():
    """Names and credits are folded without a Python step per character; the same text as
    the definition, for every character and for mixed text."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert [fold_text(every[start : start + 500]) for start in range(0, len(every), 500)] == \
        [folded_one_character_at_a_time(every[start : start + 500]) for start in range(0, len(every), 500)]
    in_words = [f"ab{char}Cd {char}" for char in IN_WORDS]
    assert [fold_text(text) for text in in_words] == [folded_one_character_at_a_time(text) for text in in_words]
    assert [fold_text(text) for text in MIXED_SCRIPTS] == [folded_one_character_at_a_time(text) for text in MIXED_SCRIPTS]
    assert fold_text("„Rosiya Segodnya“ – Télévision") == "rosiya segodnya television"
    # Every character of the one-byte codecs folded by their tables, together in one text
    # and each between words, with and without a character that folds otherwise (№, ß).
    for codec in ("latin-1", "cp1251"):
        chars = [byte.decode(codec) for byte in (bytes([code]) for code in range(256)) if _decodes(byte, codec)]
        texts = ["".join(chars), *(f"Ab{char}cD {char}" for char in chars), "Москва № 1", "Straße 1"]
        assert [fold_text(text) for text in texts] == [folded_one_character_at_a_time(text) for text in texts]
    assert fold_text("«Россия сегодня», Йошкар-Ола, ЁЛКА") == "россия сегодня иошкар ола елка"


def _decodes(byte: bytes, codec: str) -> bool:
    try:
        byte.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def words(body: str) -> list[str]:
    """The words the MinHash reads in a body, as text: each casefolded when decoded."""
    spaced, codec = _spaced(body)
    return [word.decode(_CODECS[codec], "surrogatepass").casefold() for word in spaced.split(b" ") if word]


def test_the_words_of_a_body_are_those_of_the_regular_expression():
    """The words of a body are split, not matched one by one: the same words as `\\w+` of
    the casefolded body, for every character (alone, between words, in ASCII, Latin-1 and
    other text) and for text in many scripts."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert [words(every[start : start + 300]) for start in range(0, len(every), 300)] == \
        [re.findall(r"\w+", every[start : start + 300].casefold()) for start in range(0, len(every), 300)]
    in_words = [f"ab{char}Cd {char}" for char in [*IN_WORDS, "\udc80"]]
    assert [words(text) for text in in_words] == [re.findall(r"\w+", text.casefold()) for text in in_words]
    assert [words(text) for text in MIXED_SCRIPTS] == [re.findall(r"\w+", text.casefold()) for text in MIXED_SCRIPTS]
    assert words("Straße ½ µm, ÀÉ-x_y") == ["strasse", "½", "\u03bcm", "àé", "x_y"]
    # Text with few spaces (its words matched in one pass) and with many.
    japanese = "政府は月曜日に法案を承認したと大臣が述べた。 費用は43億円になると財務省が発表した（共同）。"
    greek = "Η κυβέρνηση ενέκρινε τη Δευτέρα το νομοσχέδιο, δήλωσε ο υπουργός: «43 δισ.» ΣΟΦΊΑ ς"
    assert [words(text) for text in (japanese, greek)] == [re.findall(r"\w+", text.casefold())
                                                           for text in (japanese, greek)]


def test_latin1_and_cyrillic_words_are_casefolded_by_their_encodings_table():
    """A body of one byte a character in Latin-1, Windows-1251 or Windows-1252 is split and
    casefolded by its encoding's table (each letter folds to one letter of the encoding),
    but for those that fold to other than one (µ and ß): a body with one is casefolded
    whole. Every character of the encodings, in a word and alone, with and without those."""
    others = {"latin-1": "ÀÉ", "cp1251": "Жx", "cp1252": "’ÀÉ"}  # (and so not of the codecs tried before)
    for codec, odd in (("latin-1", "µß"), ("cp1251", "µ"), ("cp1252", "µß")):
        chars = [bytes([code]).decode(codec, "ignore") for code in range(256)]
        plain = [char for char in chars if char not in odd]
        bodies = [f"Ab{char}Cd {char} {others[codec]}" for char in chars]
        bodies += [" ".join(plain), "".join(plain), "".join(chars)]
        assert [words(body) for body in bodies] == [re.findall(r"\w+", body.casefold()) for body in bodies], codec
    assert words("ÀÉÎ Øx Þy µ") == ["àéî", "øx", "þy", "\u03bc"]
    assert words("ÀÉÎ Øx Þy") == ["àéî", "øx", "þy"]
    assert words("Реформа №441: что «изменится» — Ёлка ЇЖАК µ") == \
        ["реформа", "441", "что", "изменится", "ёлка", "їжак", "\u03bc"]
    assert words("L’ŒUVRE « d’Ÿves » – Straße") == ["l", "œuvre", "d", "ÿves", "strasse"]


def test_hosts_are_searched_for_in_the_runs_between_spaces_that_hold_a_dot_and_a_letter():
    """The same hosts as `_HOST` over the whole body: for hosts among other words, after
    other white space than a space, at either end, and for 3,000 bodies drawn from the
    characters that make or break a host."""
    bodies = ["Read more at www.aljazeera.com/news.", "The U.S. said so (see tass.ru).", "no host here. None",
              "x\u00a0www.\u212aelvin.org", "a.b", "http://example.org", "3.14 and 2.5", "(www.bbc.co.uk/news)",
              "a.bc d e.fg h\nri.ru/x\ty.zz", "tass.ru rt.com\u00a0ria.ru, https://x.y.org/a b.c"]
    draw = random.Random(9)
    bodies += ["".join(draw.choice("ab1-.:/ \n\u00a0hZ\u0131\u212a") for _ in range(draw.randrange(40)))
               for _ in range(3000)]
    assert [_hosts(body) for body in bodies] == [[found.group(1) for found in _HOST.finditer(body)] for body in bodies]
    assert _hosts("Read more at www.aljazeera.com/news.") == ["www.aljazeera.com"]
    assert _hosts("see tass.ru, rt.com and\nwww.ria.ru/x") == ["tass.ru", "rt.com", "www.ria.ru"]


def fmix32(value: int) -> int:
    """MurmurHash3's 32-bit finalizer."""
    value ^= value >> 16
    value = value * 0x85EBCA6B & 0xFFFFFFFF
    value ^= value >> 13
    value = value * 0xC2B2AE35 & 0xFFFFFFFF
    return value ^ value >> 16


def reference_minhash(words: list[str], shingle: int) -> bytes:
    """The MinHash as the module's comment defines it, one shingle at a time: each word's
    hash its blake2b of 4 bytes (little-endian); a shingle's hash fmix32 of its
    words' hashes times the multipliers, summed mod 2**32; its top 6 bits the bin, its top
    30 the value; the least value of each bin; empty bins densified."""
    multipliers = [(int.from_bytes(hashlib.blake2b(f"provlint shingle word {position}".encode(), digest_size=4)
                                   .digest(), "little") >> 4) | 1 for position in range(shingle)]
    if len(words) < shingle:
        return b""
    bins = [0xFFFFFFFF] * BINS
    for start in range(len(words) - shingle + 1):
        hashes = [int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=4).digest(),
                                 "little") for word in words[start : start + shingle]]
        value = fmix32(sum(m * h for m, h in zip(multipliers, hashes)) % 2**32) >> 2
        bins[value >> 24] = min(bins[value >> 24], value)
    filled = list(bins)
    for slot in range(BINS):
        if bins[slot] == 0xFFFFFFFF:
            distance = next(d for d in range(1, BINS) if bins[(slot + d) % BINS] != 0xFFFFFFFF)
            filled[slot] = (bins[(slot + distance) % BINS] + distance * 0x9E3779B1) & 0xFFFFFFFE
    return b"".join(value.to_bytes(4, "little") for value in filled)


def test_the_minhash_is_the_reference_one_shingle_at_a_time():
    """The pass over a body's words on 64-bit integers (each product masked to 32 bits,
    so machine arithmetic once compiled gives Python's values) gives the same values as the
    reference, one shingle at a time, for every shingle size up to the option's maximum,
    for words of more than one byte, repeated words, a body of one distinct word and after the kept
    word hashes were emptied (a body of more distinct words than are kept)."""
    text = " ".join([*CRASH, "Télévision „Rosiya Segodnya“ 東京 ſ ß x x\udc80"])
    words = re.findall(r"\w+", text.casefold())
    for shingle in (1, 2, 3, 5, 10):
        for count in (0, shingle - 1, shingle, shingle + 1, 8, len(words)):
            assert minhash(" ".join(words[:count]), shingle) == reference_minhash(words[:count], shingle), \
                (shingle, count)
        assert minhash(text, shingle) == reference_minhash(words, shingle)
    assert minhash("the " * 50, 3) == reference_minhash(["the"] * 50, 3)
    assert minhash(text, 3, len(words)) == minhash(text, 3) != b""
    assert minhash(text, 3, len(words) + 1) == b""
    many = [f"w{number}" for number in range(MAX_WORDS + 5)]
    assert minhash(" ".join(many), 3) == reference_minhash(many, 3)
    assert minhash(text, 3) == reference_minhash(words, 3)


def test_the_minhash_finds_each_word_by_its_bytes():
    """A word's hash is kept by its bytes in its text's encoding (as one integer up to 7
    bytes, two up to 14, the bytes past that): words of every length about those bounds, in
    each encoding, alike but for one byte, give the reference's values, also after more
    distinct words than are kept were met."""
    letters = {"latin-1": "aéz", "cp1251": "aжz", "cp1252": "aœz", "utf-8": "aάz"}
    for codec, (low, odd, high) in letters.items():
        words = [low * size for size in range(1, 31)]
        words += [low * (size - 1) + high for size in range(1, 31)] + [high + low * (size - 1) for size in range(1, 31)]
        words += [odd * size for size in range(1, 16)] + [f"{low * 6}{odd}{low * 7}{odd}{low}"]
        text = " ".join(words)
        assert _CODECS[_spaced(text)[1]] == codec
        expected = reference_minhash(re.findall(r"\w+", text.casefold()), 1)
        assert minhash(text, 1) == expected, codec
        minhash(" ".join(f"{odd}{low * 11}{number}" for number in range(MAX_WORDS + 5)), 1)
        assert minhash(text, 1) == expected, codec


def test_the_minhash_is_the_same_in_every_process():
    """Signatures are kept in the cache and compared across processes and machines: the
    values never depend on Python's hash seed (pinned here, so a change shows)."""
    code = "import sys; from provlint.checks.corpus import minhash; print(minhash(sys.stdin.read(), 3).hex())"
    seen = {subprocess.run([sys.executable, "-c", code], input=" ".join(CRASH), capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout.strip()
            for seed in ("0", "1", "random")}
    assert seen == {minhash(" ".join(CRASH), 3).hex()}
    assert hashlib.sha256(minhash(" ".join(CRASH), 3)).hexdigest()[:16] == "f0c3ecc8e2d6bece"


