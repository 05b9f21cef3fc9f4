"""The dump reader's fast paths (issue 20) and what they fall back to: cutting a text at
each blank line in one split (line by line where CR or lines of white space separate
blocks), and screening the block table's rows by the characters their patterns need
(users' rows the screens cannot read are tried as they are)."""

from __future__ import annotations

import pytest

from conftest import provlint
from provlint.readers import read_bytes, read_texts
from provlint.readers.dump import read_dump, split_blocks, split_lines, split_text
from provlint.readers.notarticle import text_reason
from provlint.readers.plainregex import python_twin
from provlint.ruleset import load_ruleset
from test_dump_layouts import seed_layout

SEED_LAYOUT_FINDINGS = [(5, 1, "DU001"), (21, 1, "DU001"), (23, 1, "DU001")]


def test_crlf_cr_and_lines_of_white_space_give_the_findings_of_the_plain_dump(tmp_path):
    text = seed_layout("By Jill Disis, CNN Business")
    separators = iter(["   ", "\t", "\u00a0", "\x1c", " \t "] * 5)
    variants = {
        "plain.txt": text,
        "crlf.txt": text.replace("\n", "\r\n"),
        "cr.txt": text.replace("\n", "\r"),
        # Each blank line a line of white space: `\n\n` finds no block boundary there.
        "spaces.txt": "\n".join(line or next(separators) for line in text.split("\n")[:-1]) + "\n",
    }
    for name, variant in variants.items():
        (tmp_path / name).write_bytes(variant.encode("utf-8"))
    run = provlint("check", ".", "--select", "DU,AT001,AT002", "--format", "json", "--no-cache", cwd=tmp_path)
    found: dict[str, list[tuple]] = {name: [] for name in variants}
    for finding in run.json()["findings"]:
        found[finding["path"]].append((finding["line"], finding["column"], finding["rule"]))
    assert found == {name: SEED_LAYOUT_FINDINGS for name in variants}


@pytest.mark.parametrize("text, blocks", [
    ("Title\n\nBody one\nBody two\n", [("Title", 1, 1), ("Body one\nBody two", 3, 4)]),
    ("\n\n\nTitle\n\n\n\nBody\n\n", [("Title", 4, 4), ("Body", 8, 8)]),
    ("Title\n  \nBody\n\u00a0\nTail", [("Title", 1, 1), ("Body", 3, 3), ("Tail", 5, 5)]),
    ("Title\r\n\r\n  Body\r\n\r\n\r\n", [("Title", 1, 1), ("  Body", 3, 3)]),
    ("Title\n\x1c\nBody  \nmore\n", [("Title", 1, 1), ("Body  \nmore", 3, 4)]),
    # A line of white space between blank lines, first, last, or inside a part of several lines.
    ("Title\n\n \t\n\nBody\n", [("Title", 1, 1), ("Body", 5, 5)]),
    ("\u3000\n\nTitle\n\nBody", [("Title", 3, 3), ("Body", 5, 5)]),
    ("Title\n\nBody\n\n\u2028", [("Title", 1, 1), ("Body", 3, 3)]),
    ("Title\n\nBody\n \nTail\nmore\n\nEnd", [("Title", 1, 1), ("Body", 3, 3), ("Tail\nmore", 5, 6), ("End", 8, 8)]),
    ("Title\n\n\nBody one\nBody two\n\n\n\nEnd\n", [("Title", 1, 1), ("Body one\nBody two", 4, 5), ("End", 9, 9)]),
])
def test_blocks_cut_at_blank_lines_are_the_blocks_read_line_by_line(text, blocks):
    lines = split_lines(text)
    found = [(block.text, block.line, block.end_line, block.column) for block in split_text(text, lines)]
    assert found == [(text, line, end, 1) for text, line, end in blocks]
    assert found == [(block.text, block.line, block.end_line, block.column) for block in split_blocks(lines)]


@pytest.mark.parametrize("text", [
    seed_layout("By Jill Disis, CNN Business"),
    "\ufeffTitle\n\n  Body one\nBody two\n\n\n\nEnd",
    "Title\r\n\r\nBody\rmore\r\n\r\nEnd\r\n",
    "Title\n \t\nBody\n\u00a0\nTail\n",
    "\n\n\nTitle\n\nBody",
])
def test_a_line_a_dump_reads_is_the_line_of_its_split_text(text):
    """`Document.line`, which a dump's block gives while its lines are not split, is the
    line `split_lines` gives ("" for none); `lines`, split when first read, are those lines."""
    table = load_ruleset().table
    lines = split_lines(text.removeprefix("\ufeff"))
    for number in range(-1, len(lines) + 3):
        assert read_dump("dump.txt", text, table).line(number) == (lines[number - 1] if 0 < number <= len(lines) else "")
    document = read_dump("dump.txt", text, table)
    assert document.lines == lines
    assert [document.line(number) for number in range(1, len(lines) + 1)] == lines


USER_ROWS = r"""block_kinds:
  # A flag for the whole pattern: read as a group of that flag (`R` or `r` opens it).
  - kind: author
    max_lines: 1
    pattern: '(?i)reported by (?P<name>\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+)'
  # Case folded first characters, outside ASCII too.
  - kind: author
    max_lines: 1
    pattern: '(?i:étude|filed) by (?P<name>.+)'
  # Look-around: not RE2, so not screened.
  - kind: author
    max_lines: 1
    pattern: 'Story: (?P<name>(?:(?!Staff)\S)+ \S+)'
"""


def test_users_rows_the_screens_cannot_read_are_tried_as_they_are(tmp_path):
    """Without these rows the built-in ones make `REPORTED BY Jane Doe` all the name."""
    (tmp_path / "kinds.yaml").write_text(USER_ROWS, encoding="utf-8")
    table = load_ruleset([str(tmp_path / "kinds.yaml")]).table
    bylines = ["REPORTED BY Jane Doe", "FILED by Ana Lima", "ÉTUDE by Marie Curie", "Story: Bob Stone",
               "Story: Staff Writer"]
    dump = "\n\n".join(["Investors don't seem to know what to make of the trade war", *bylines]) + "\n"
    document = read_texts("d.txt", dump, table, "dump")[0]
    assert [(block.line, block.kind, block.groups.get("name")) for block in document.blocks[1:]] == [
        (3, "author", "Jane Doe"), (5, "author", "Ana Lima"), (7, "author", "Marie Curie"),
        (9, "author", "Bob Stone"), (11, "title", None)]


def test_placeholder_blocks_opened_by_folded_case_or_format_characters_are_still_placeholders():
    """The placeholder row rules a block out by its first character before making its
    visible text: a first character that a `(?i)` pattern opens with in either case, or a
    format character (dropped from the visible text), keeps the block in."""
    table = load_ruleset().table
    blocks = ["A long enough headline for the dump reader", "LOREM IPSUM dolor sit amet", "\u200bnull",
              "\u2060\u200b [object Object]", "Lorem ipsum", "Nullified results of the vote"]
    dump = "\n\n".join(blocks) + "\n"
    document = read_texts("d.txt", dump, table, "dump")[0]
    assert [block.kind for block in document.blocks] == [
        "title", "placeholder", "placeholder", "placeholder", "placeholder", "title"]


SCREENED_ROWS = r"""block_kinds:
  # Texts every match holds: a run of plain characters (`via Reuters`), not across a
  # repeated one (`ba+c` holds no `bac`), nor folded (`(?i:via)`).
  - kind: wire_plain
    max_lines: 1
    pattern: '\S+ via Reuters'
  - kind: wire_repeated
    max_lines: 1
    pattern: 'Aba+c'
  - kind: wire_folded
    max_lines: 1
    pattern: '\S+ (?i:via) (?i:ap)'
  # A class of plain characters: one of them (`–` as well as `-`).
  - kind: dashed
    max_lines: 1
    pattern: 'Dash\s?[-–]\s?\p{Lu}\p{Ll}+'
  # Characters no part of a pattern matches rule a text out (a space, a digit, `.`, `:`,
  # `,`, `/`); one that a class, an escape or a Unicode category matches does not.
  - kind: numbered
    max_lines: 1
    pattern: 'Item\pN+'
  - kind: punctuated
    max_lines: 1
    pattern: 'Stop[\pP]+[^a-z\s]+'
  - kind: hex_comma
    max_lines: 1
    pattern: 'Hex\x2c'
  - kind: posix_digit
    max_lines: 1
    pattern: 'Digit[[:digit:]]'
  - kind: folded_class
    max_lines: 1
    pattern: 'Case(?i:[q])'
  - kind: spaced
    max_lines: 1
    pattern: 'Spaced[^\S\n]+[\d.]+'
"""


@pytest.mark.parametrize("text, kind", [
    ("Story via Reuters", "wire_plain"),
    ("Story via Reuter", "text"),
    ("Abaaac", "wire_repeated"),
    ("Story VIA AP", "wire_folded"),
    ("Story Via aP", "wire_folded"),
    ("Dash – Smith", "dashed"),
    ("Dash-Smith", "dashed"),
    ("Item42", "numbered"),
    ("Item٤٢", "numbered"),
    ("Stop.,:/!X9", "punctuated"),
    ("Hex,", "hex_comma"),
    ("Digit7", "posix_digit"),
    ("CaseQ", "folded_class"),
    ("Spaced \t 1.5", "spaced"),
])
def test_users_rows_are_screened_only_by_what_every_match_holds(tmp_path, text, kind):
    """The screens derived from a row's pattern never turn away a text the row matches
    (each text here fails the screen if a part of its pattern is misread)."""
    (tmp_path / "kinds.yaml").write_text(SCREENED_ROWS, encoding="utf-8")
    table = load_ruleset([str(tmp_path / "kinds.yaml")]).table
    found = table.classify(text, 1)[0]
    assert (found if found in USERS_KINDS else "text") == kind


USERS_KINDS = ("wire_plain", "wire_repeated", "wire_folded", "dashed", "numbered", "punctuated", "hex_comma",
               "posix_digit", "folded_class", "spaced")


CONTEXT_ROWS = """context_kinds:
  - kind: kicker
    from: [tag, section]
    min_count: 2
  - kind: dek
    from: [description]
    zone: title
"""


def test_context_rows_passed_over_only_when_the_dump_cannot_meet_them(tmp_path):
    """A row is passed over when no text repeats as often as it asks or the dump has no
    title zone; a row taking several kinds takes the blocks of each, in order. Here texts
    repeat exactly as often as asked, and the title zone is there."""
    (tmp_path / "context.yaml").write_text(CONTEXT_ROWS, encoding="utf-8")
    table = load_ruleset([str(tmp_path / "context.yaml")]).table
    dump = "\n\n".join([
        "Lawmakers agree on a new budget after weeks of talks", "Politics", "economy",
        "The deal ends a standoff that had threatened to shut down the government.",
        "Lawmakers agreed on Tuesday to a budget that funds the government through September. " * 6,
        "economy", "climate", "Politics"]) + "\n"
    document = read_texts("d.txt", dump, table, "dump")[0]
    assert [(block.line, block.kind) for block in document.blocks] == [
        (1, "title"), (3, "kicker"), (5, "kicker"), (7, "dek"), (9, "body"), (11, "kicker"), (13, "tag"),
        (15, "kicker")]


def test_a_bad_byte_after_a_byte_order_mark_is_placed_in_the_file():
    """UTF-8 with its mark dropped by hand (not the `utf-8-sig` codec): the first bad
    byte's offset still counts the mark's three bytes, and the text does not hold it."""
    table = load_ruleset().table
    body = ("Café crème déjà vu. " * 10).encode("utf-8") + b"caf\xe9\n"
    found = []
    for mark in (b"", b"\xef\xbb\xbf"):
        document = read_bytes("d.txt", mark + b"Title here\n\n" + body, table)[0]
        found.append((document.text[:5], document.facts["encoding"]["message"], document.facts["encoding"]["line"],
                      document.facts["encoding"]["column"]))
    assert found == [
        ("Title", "utf-8, 1 bad byte sequence replaced by U+FFFD (the first at byte 255)", 3, 204),
        ("Title", "utf-8, 1 bad byte sequence replaced by U+FFFD (the first at byte 258)", 3, 204)]


def test_long_requirements_files_are_read_line_by_line_across_the_parts_split_first():
    """The first few hundred characters are split first, then four times as many at each
    step: an option or a requirement cut apart at a step's edge (or its CR LF) would not
    read as one, and the file would not be a requirements file."""
    lines = [f"--index-url https://mirror{i}.example.org/simple/packages/index" for i in range(40)]
    lines += [f"package-number-{i}[extra-one,extra-two]>=1.{i}.0 ; python_version >= '3.9'" for i in range(80)]
    text = "\r\n".join(lines) + "\r\n\u2028 \n"
    assert text_reason(text) == "a pip requirements file"
    assert text_reason(text + "Not a requirement at all\n") is None
    report = "seed.txt:1:1: AT001 no author\n" * 30 + "1 finding (0 errors, 1 warning, 0 info) in 1 file\r\n \n\t"
    assert text_reason(report) == "a provlint report"


DATELINE = "(?s:.*\\S)\\s+(?P<dateline_date>\\d{1,2}\\.\\d{1,2}\\.\\d{4}),\\s*[^,\\n]{1,80}"


@pytest.mark.parametrize("text", [
    "Selon le Kremlin, la situation en Ukraine... 21.02.2022, Sputnik France",
    "Two dates 01.02.2021, here 21.02.2022, Sputnik France",
    "Spaced\u00a0out 1.2.2022,\u00a0Agency\n\nand 3.4.2023,  Agency two",
    "A vertical\vtab 21.02.2022,\vSputnik France",
    "Arabic digits ٢١.٠٢.٢٠٢٢, Agency 1.1.2020, Агентство",
    "Long " + "word " * 100 + "21.02.2022, Sputnik France",
    "Not a dateline 21.02.2022; Sputnik France",
    "A body that ends in no dateline, 21.02.2022 " + "and goes on " * 60 + "to its end.",
    "A dateline cut by a line 21.02.2022, Sputnik\nFrance",
    "A dateline with no agency 21.02.2022,",
    "A dateline with two commas 21.02.2022, Sputnik, France",
    "21.02.2022, Sputnik France",
])
def test_dateline_groups_read_by_the_python_twin_are_re2s(text):
    """The dateline row's answer and groups come from `re` (`plainregex`) alone for texts
    it reads (short, no `\\v`), from RE2's match test and then `re` or RE2 for the others,
    never from RE2's NFA: the same kind, groups and spans as RE2 gives."""
    table = load_ruleset().table
    row = next(entry for entry in table.entries if entry.pattern is not None and entry.pattern.source == DATELINE)
    kind, found = table.classify(text, text.count("\n") + 1)
    expected = row.pattern.fullmatch(text)
    if expected is None:
        assert found is None or kind != "description"
    else:
        assert (kind, found) == ("description", expected)
        assert any(flat.twin is not None for flat in table._flat if flat.entry is row)


@pytest.mark.parametrize("source, plain", [
    # A whole match of `(?s:.*R)` is a match of R that ends the text: searched from the end.
    (DATELINE, "(?:(?s:\\S)\\s+(?:\\d{1,2}\\.\\d{1,2}\\.\\d{4}),\\s*[^,\\n]{1,80})\\z"),
    (".*(?P<x>a|b)(c)", "\\A(?:.*(?:a|b)(?:c))\\z"),
    ("(?s:.*a)|b", "\\A(?:(?s:.*a)|b)\\z"),
    (".*x{2}(?:ab{3})*", "\\A(?:.*x{2}(?:ab{3})*)\\z"),
    ("(?P<x>a).*", None),  # not opening with `.*`
    (".*(a+)+b", None),  # a repeated group that repeats: backtracking without end
    (".*(?:a|b)*c", None),
    (".*\\p{L}(?P<x>a)", None),  # Unicode classes
    (".*(?i)(?P<x>x)", None),  # case folding differs
    (".*[[:alpha:]]", None),
    (".*[]a]", None),
    (".*a{,3}", None),
    (".*(?P<y>\\d+)$", None),  # `$` also matches before a last newline in `re`
    (".*\\bx", None),
])
def test_python_twin_only_of_patterns_both_engines_read_alike(source, plain):
    twin = python_twin(source)
    assert (twin[0] if twin else None) == plain


LENGTH_ROWS = """block_kinds:
  - kind: short_line
    pattern: '.+'
    max_length: 20
"""


@pytest.mark.parametrize(("text", "kind"), [
    ("Café crème déjà", "short_line"),  # 15 characters, none of a dense script
    ("Café crème, déjà vu: encore", "other"),  # 27
    ("l’été à Paris — 2021", "short_line"),  # 20: typographic marks weigh one
    ("東京の記者会見", "short_line"),  # 7 dense characters weigh 14
    ("東京の記者会見で首相が述べた", "other"),  # 14 characters that weigh 28
    ("Tokyo 東京 記者会見", "short_line"),  # 8 + 6 x 2
    ("Tokyo: 東京の記者会見", "other"),  # 7 + 7 x 2
])
def test_row_lengths_of_non_ascii_texts_count_dense_characters_as_they_weigh(tmp_path, text, kind):
    """A row's length bounds read a text's length with each character of the dense script
    counting twice, also where the rows are screened by length once for many texts."""
    (tmp_path / "kinds.yaml").write_text(LENGTH_ROWS, encoding="utf-8")
    table = load_ruleset([str(tmp_path / "kinds.yaml")]).table
    found = table.classify(text, 1)[0]
    assert (found if found == "short_line" else "other") == kind


SHORT_ROWS = r"""block_kinds:
  - kind: nested
    pattern: '^(a+)+$'
    max_length: 60
  - kind: kelvin
    pattern: '(?i:k)elvin (?P<scale>\pL+)'
    max_length: 40
  - kind: halt
    pattern: 'halt\.$'
    max_length: 20
"""


def test_user_rows_bounded_to_short_texts_answer_with_re2s_semantics(tmp_path):
    """User rows answer with RE2's semantics (a nested repeat in linear time, a Unicode
    class, case folding of the Kelvin sign, `$` at the very end), with their groups, before
    and after the table has classified many texts."""
    (tmp_path / "kinds.yaml").write_text(SHORT_ROWS, encoding="utf-8")
    table = load_ruleset([str(tmp_path / "kinds.yaml")]).table

    def kinds(line_count):  # each text on one line, then on two (the table keeps its answers by both)
        found = [table.classify(text, line_count) for text in ("a" * 40, "a" * 40 + "!", "\u212aelvin \u03a9mega",
                                                                "Kelvin 1", "halt.", "halt. ")]
        return [(kind if kind in ("nested", "kelvin", "halt") else "other",
                 match.groups if match is not None and kind == "kelvin" else None) for kind, match in found]

    expected = [("nested", None), ("other", None), ("kelvin", {"scale": "\u03a9mega"}), ("other", None),
                ("halt", None), ("other", None)]
    assert kinds(1) == expected
    for number in range(100):  # other texts, as a run reads them
        table.classify(f"Filler text number {number}", 1)
    assert kinds(2) == expected
