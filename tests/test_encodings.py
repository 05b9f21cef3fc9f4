"""Decoding by the WHATWG encoding-sniffing rules: HTML pages are read in the encoding
they declare (byte order mark, then <meta charset> / http-equiv Content-Type), and only
a declaration the bytes contradict is a finding (IN011); files that declare nothing
are UTF-8 or IN004. The real CLI on files written as bytes."""

from __future__ import annotations

from conftest import FIXTURES, SEED, provlint

TITLE = "Café crème à la française : déjà vu"
BODY = "Le président a déclaré que les négociations continuent malgré la grève. " * 12


def page(head: str, title: str = TITLE, body: str = BODY) -> str:
    """A page with its declaration (if any) on line 3."""
    return (f"<!DOCTYPE html>\n<html lang=\"fr\">\n<head>{head}\n<title>{title}</title>\n"
            f"</head>\n<body><p>{body}</p></body>\n</html>\n")


def input_findings(tmp_path, name: str, data: bytes) -> list[tuple]:
    (tmp_path / name).write_bytes(data)
    run = provlint("check", name, "--select", "IN", "--format", "json", "--no-cache", cwd=tmp_path)
    return [(f["line"], f["column"], f["rule"], f["severity"], f["message"]) for f in run.json()["findings"]]


def inspected(tmp_path, name: str, data: bytes, *flags: str) -> dict:
    (tmp_path / name).write_bytes(data)
    run = provlint("inspect", name, "--format", "json", *flags, cwd=tmp_path)
    assert run.code == 0, run.err
    return run.json()


def titles(inspection: dict) -> list[str]:
    return [v["value"] for v in inspection["documents"][0]["fields"].get("title", [])]


def test_windows_1252_page_that_declares_iso_8859_1_is_no_finding(tmp_path):
    data = page('<meta charset="iso-8859-1">').encode("cp1252")
    assert input_findings(tmp_path, "page.html", data) == []
    assert inspected(tmp_path, "page.html", data)["encoding"] == {
        "name": "cp1252", "source": "declared",
        "declaration": {"text": '<meta charset="iso-8859-1">', "line": 3, "column": 7}}


def test_windows_1252_page_reads_right(tmp_path):
    data = page('<meta charset="iso-8859-1">').encode("cp1252")
    assert titles(inspected(tmp_path, "page.html", data)) == [TITLE]


def test_http_equiv_declaration_as_real_pages_write_it(tmp_path):
    # The declaration as newspaper4k's test page fool.com2.html writes it (us-ascii is
    # windows-1252 by the WHATWG label table): ASCII bytes fit, no finding.
    head = '<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii">'
    assert input_findings(tmp_path, "page.html", page(head, "Motley Fool", "Plain ASCII.").encode("ascii")) == []
    # The same declaration over UTF-8 bytes: a browser would show mojibake.
    assert input_findings(tmp_path, "utf8.html", page(head).encode("utf-8")) == [
        (3, 7, "IN011", "warning", "declares cp1252 (<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; "
                                   "charset=us-ascii\">) but the bytes are UTF-8; read as UTF-8")]


def test_utf8_without_declaration_is_no_finding(tmp_path):
    data = page("", "Дмитрий Песков", "Кремль заявил, что переговоры продолжаются.").encode("utf-8")
    assert input_findings(tmp_path, "page.html", data) == []
    assert inspected(tmp_path, "page.html", data)["encoding"] == {"name": "utf-8", "source": "utf-8",
                                                                  "declaration": None}


def test_declared_latin1_but_utf8_bytes_is_a_warning_at_the_declaration(tmp_path):
    data = page('<meta charset="iso-8859-1">').encode("utf-8")
    assert input_findings(tmp_path, "page.html", data) == [
        (3, 7, "IN011", "warning", 'declares cp1252 (<meta charset="iso-8859-1">) but the bytes are UTF-8; '
                                   "read as UTF-8")]
    assert inspected(tmp_path, "page.html", data)["facts"]["encoding_mismatch"]["line"] == 3


def test_declared_utf8_but_windows_1252_bytes_is_a_warning_and_read_as_detected(tmp_path):
    data = page('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">').encode("cp1252")
    [(line, column, rule, severity, message)] = input_findings(tmp_path, "page.html", data)
    assert (line, column, rule, severity) == (3, 7, "IN011", "warning")
    assert message.startswith('declares utf-8 (<meta http-equiv="Content-Type" content="text/html; charset=utf-8">) '
                              "but the bytes are not utf-8 (first at line 4, column 11); read as ")
    assert inspected(tmp_path, "page.html", data)["encoding"]["source"] == "detected"


def test_declared_utf8_with_one_broken_sequence_keeps_utf8(tmp_path):
    text = page('<meta charset="utf-8">', "Дмитрий Песков", "Кремль заявил, что переговоры продолжаются. " * 10)
    data = text.encode("utf-8").replace("Песков".encode(), "Песков".encode()[:-1], 1)  # a cut multi-byte letter
    [(line, column, rule, severity, message)] = input_findings(tmp_path, "page.html", data)
    assert (line, column, rule, severity) == (3, 7, "IN011", "warning")
    assert message.endswith("read as utf-8 with replacement characters")


def test_byte_order_marks(tmp_path):
    # UTF-16 with a BOM is text (the NUL bytes of its ASCII letters are not binary).
    utf16 = "\ufeff" + page("", "Дмитрий Песков")
    assert input_findings(tmp_path, "utf16.html", utf16.encode("utf-16-le")) == []
    assert inspected(tmp_path, "utf16.html", utf16.encode("utf-16-le"))["encoding"] == {
        "name": "utf-16-le", "source": "bom", "declaration": {"text": "byte order mark", "line": 1, "column": 1}}
    # The BOM wins over a <meta charset> that says otherwise, as in browsers: no finding.
    assert input_findings(tmp_path, "bom.html", b"\xef\xbb\xbf" + page('<meta charset="iso-8859-1">').encode()) == []
    # A dump has no declaration: UTF-16 is read, and is not UTF-8.
    dump = "\ufeff" + (FIXTURES / "ria_clean.txt").read_text(encoding="utf-8")
    assert input_findings(tmp_path, "dump.txt", dump.encode("utf-16-le")) == [
        (None, None, "IN004", "warning", "file is not UTF-8; read as utf-16-le")]


def test_declaration_after_the_first_kilobytes_is_honoured(tmp_path):
    scripts = "<script>var tracking = '" + "x" * 6000 + "';</script>"
    data = page(scripts + '\n<meta charset="windows-1251">', "Дмитрий Песков", "Кремль заявил.").encode("cp1251")
    assert input_findings(tmp_path, "page.html", data) == []
    assert inspected(tmp_path, "page.html", data)["encoding"]["declaration"]["line"] == 4


def test_declaration_in_a_comment_or_script_does_not_count(tmp_path):
    head = "<!-- <meta charset=\"windows-1251\"> -->\n<script>document.write('<meta charset=\"koi8-r\">')</script>"
    data = page(head).encode("cp1252")
    assert [f[2] for f in input_findings(tmp_path, "page.html", data)] == ["IN004"]


def test_undeclared_non_utf8_page_and_dump_keep_in004(tmp_path):
    [(line, column, rule, severity, message)] = input_findings(tmp_path, "page.html", page("").encode("cp1252"))
    assert (line, column, rule, severity) == (None, None, "IN004", "warning")
    assert message.startswith("file is not UTF-8; read as ")  # whatever charset-normalizer guesses
    dump = (FIXTURES / "ria_clean.txt").read_text(encoding="utf-8").encode("cp1251", "replace")
    assert input_findings(tmp_path, "dump.txt", dump) == [
        (None, None, "IN004", "warning", "file is not UTF-8; read as cp1251")]


def test_sniffed_html_is_decoded_as_html(tmp_path):
    # No .html ending: the content says it is a page, and its declaration counts.
    data = page('<meta charset="iso-8859-1">').encode("cp1252")
    assert input_findings(tmp_path, "page.txt", data)[0][2] == "IN004"  # .txt is a dump, whatever it holds
    assert input_findings(tmp_path, "page.saved", data) == []
    assert inspected(tmp_path, "page.saved", data)["reader"] == "html"


# -- UTF-16 and UTF-32, and UTF-8 with a few bad bytes (issue 16) ---------------------

RIA = (FIXTURES / "ria_clean.txt").read_text(encoding="utf-8")
SEED_TEXT = SEED.read_text(encoding="utf-8")


def checked(tmp_path, name: str, data: bytes) -> list[tuple]:
    (tmp_path / name).write_bytes(data)
    run = provlint("check", name, "--format", "json", "--no-cache", cwd=tmp_path)
    return [(f["line"], f["column"], f["rule"], f["severity"], f["message"]) for f in run.json()["findings"]]


def test_utf16_and_utf32_without_byte_order_mark_are_text(tmp_path):
    # Their NUL bytes stand in one byte of every code unit: text, not binary (IN002).
    for text in (RIA, SEED_TEXT):
        as_utf8 = checked(tmp_path, "utf8.txt", text.encode("utf-8"))
        for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            found = checked(tmp_path, "wide.txt", text.encode(encoding))
            assert found == sorted(as_utf8 + [(None, None, "IN004", "warning", f"file is not UTF-8; read as {encoding}")],
                                   key=lambda f: (f[0] or 0, f[1] or 0, f[2])), encoding


def test_utf16_page_and_json_without_byte_order_mark(tmp_path):
    data = page("", "Дмитрий Песков").encode("utf-16-le")
    assert input_findings(tmp_path, "page.html", data) == [
        (None, None, "IN004", "warning", "file is not UTF-8; read as utf-16-le")]
    assert titles(inspected(tmp_path, "page.html", data)) == ["Дмитрий Песков"]
    record = '{"title": "Дмитрий Песков {{ title }}", "author": "Irina Tarassova"}'
    assert [f[:3] for f in checked(tmp_path, "record.json", record.encode("utf-32-be"))] == [
        (None, None, "AT001"), (None, None, "IN004"), (1, 27, "PH002")]


def test_a_cut_last_character_of_utf16_is_replaced_and_placed(tmp_path):
    data = "\ufeff".encode("utf-16-le") + SEED_TEXT.encode("utf-16-le") + b"\x0a"  # one byte of a last newline
    last_line = SEED_TEXT.split("\n")
    assert input_findings(tmp_path, "dump.txt", data) == [
        (len(last_line), len(last_line[-1]) + 1, "IN004", "warning",
         f"file is not UTF-8; read as utf-16-le, 1 bad byte sequence replaced by U+FFFD (the first at byte "
         f"{len(data) - 1:,})")]


def test_binary_files_with_nul_bytes_stay_binary(tmp_path):
    numbers = bytes(range(1, 32)).replace(b"", b"\x00")[1:] * 40  # 16-bit integers, a NUL in every other byte
    for name, data in (("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
                       ("numbers.txt", numbers), ("gzip.txt", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" * 50)):
        assert input_findings(tmp_path, name, data) == [
            (None, None, "IN002", "error", "binary content (NUL bytes): not a text dump, skipped")], name


def test_utf8_with_one_bad_byte_is_read_as_utf8(tmp_path):
    # charset-normalizer read the whole dump as ISO-8859-10 (mojibake); the bad byte is
    # replaced, every other finding stays, and IN004 points at the byte.
    for text in (RIA, SEED_TEXT):
        data = text.encode("utf-8")
        lines = text.split("\n")
        line = max(range(1, len(lines) + 1), key=lambda number: len(lines[number - 1]))  # the body
        column = len(lines[line - 1]) + 1  # at the end of the body: no other finding moves
        before = "\n".join(lines[:line - 1]) + "\n" + lines[line - 1][:column - 1]
        offset = len(before.encode("utf-8"))
        broken = data[:offset] + b"\xff" + data[offset:]
        found = checked(tmp_path, "dump.txt", broken)
        expected = (line, column, "IN004", "warning",
                    f"file is not UTF-8; read as utf-8, 1 bad byte sequence replaced by U+FFFD (the first at byte "
                    f"{offset:,})")
        assert expected in found
        assert [f for f in found if f != expected] == checked(tmp_path, "clean.txt", data)


def test_utf8_with_several_bad_bytes_counts_them(tmp_path):
    data = RIA.encode("utf-8")
    cut = "Песков".encode()
    broken = data.replace(cut, cut[:-1], 2) + b"\xc3"  # two cut letters and a cut last one
    [(line, column, rule, severity, message)] = input_findings(tmp_path, "dump.txt", broken)
    assert (rule, severity) == ("IN004", "warning")
    assert message.startswith("file is not UTF-8; read as utf-8, 3 bad byte sequences replaced by U+FFFD")


def test_legacy_encodings_are_still_detected(tmp_path):
    # Their letters almost never make valid UTF-8 sequences: detected, not read as UTF-8.
    ukrainian = "Уряд схвалив законопроєкт, заявив міністр. Ві Кі Мі Ці Її Україна їхати. " * 20
    for name, data, encoding in (("ria.txt", RIA.encode("cp1251", "replace"), "cp1251"),
                                 ("ria-koi8.txt", RIA.encode("koi8-r", "replace"), "koi8_r"),
                                 ("uk.txt", ukrainian.encode("cp1251"), "cp1251")):
        assert input_findings(tmp_path, name, data) == [
            (None, None, "IN004", "warning", f"file is not UTF-8; read as {encoding}")], name
    for legacy in ("cp1252", "latin-1"):
        [(_, _, rule, _, message)] = input_findings(tmp_path, "seed.txt", SEED_TEXT.encode(legacy, "replace"))
        assert rule == "IN004" and "utf-8" not in message, legacy
