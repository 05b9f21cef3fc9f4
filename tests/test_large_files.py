"""Large files (issue 16): the checks that used to compare every value of a field with
every other, or rescan a long block once per finding, still find what they found. How
long they take is measured by hand (`benchmarks/large_dump.py`), never here.

The files are concatenations of dumps (what a scraper's one-file-per-run export looks
like) and one long block, generated in tmp_path and kept as small as shows the case."""

from __future__ import annotations

import importlib.util
import random

from conftest import REPO, SEED, provlint

_GENERATOR = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_GENERATOR)
_GENERATOR.loader.exec_module(generate)


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def rule_findings(tmp_path, text: str, *rules: str) -> list[tuple]:
    (tmp_path / "dumps.txt").write_text(text, encoding="utf-8")
    run = provlint("check", "dumps.txt", "--format", "json", "--no-cache", "--select", ",".join(rules), cwd=tmp_path)
    return [(f["line"], f["column"], f["rule"], f["message"]) for f in run.json()["findings"]]


def test_a_swallowed_body_deep_in_a_concatenation_of_distinct_dumps_is_found(tmp_path):
    # 150 dumps with bodies of their own; the 120th dump's description holds its body.
    rng = random.Random(16)
    dumps = [generate.dump(index, rng).replace("\r\n", "\n") for index in range(1, 151)]
    blocks = dumps[119].split("\n\n")
    body = max(blocks, key=len)
    blocks[2] = f"{body} 21.02.2022, Le Monde"
    dumps[119] = "\n\n".join(blocks)
    text = "\n\n".join(dumps)
    assert rule_findings(tmp_path, text, "DU005") == [
        (line_of(text, blocks[2]), 1, "DU005", f"the description contains the whole body (line {line_of(text, body)})")]


def test_a_swallowed_body_in_the_seed_repeated_is_found(tmp_path):
    # The shape of the report: one dump written again and again, one copy defective.
    seed = SEED.read_text(encoding="utf-8")
    blocks = seed.split("\n\n")
    body = max(blocks, key=len)
    swallowing = "\n\n".join(blocks[:3] + [body + " 21.02.2022, Sputnik France"] + blocks[4:])
    copies = [seed] * 300 + [swallowing] + [seed] * 20
    text = "\n\n".join(copies)
    description = line_of(text, body + " 21.02.2022")
    assert rule_findings(tmp_path, text, "DU005") == [
        (description, 1, "DU005", f"the description contains the whole body (line {line_of(text, body)})")]


def test_published_after_crawl_names_the_first_bound_it_passes(tmp_path):
    # Three dumps in one file (headers at lines 1, 65, 129), crawled in March, January and
    # February: a date is reported against the first of the bounds, in file order, that
    # it passes (as before the bounds were searched by bisection).
    seed = SEED.read_text(encoding="utf-8")
    dumps = []
    for crawl, published in (("2022-03", "2022-02-21T08:57+0100"), ("2022-01", "2022-02-15T10:00+0100"),
                             ("2022-02", "2022-04-10T10:00+0100")):
        dumps.append(seed.replace(" date 2022-02 ", f" date {crawl} ").replace("2022-02-21T08:57+0100", published))
    found = [(line, message) for line, _, _, message in rule_findings(tmp_path, "\n\n".join(dumps), "TS005")]
    after = "published {} is after the crawl period {}"
    assert found == [
        (11, after.format("2022-02-21T08:57+0100", "2022-01 (line 65)")),
        (13, after.format("2022-02-21T09:41+0100", "2022-01 (line 65)")),
        (73, after.format("2022-02-15T10:00+0100", "2022-01 (line 65)")),
        (75, after.format("2022-02-15T10:00+0100", "2022-01 (line 65)")),
        (77, after.format("2022-02-21T09:41+0100", "2022-01 (line 65)")),
        (137, after.format("2022-04-10T10:00+0100", "2022-03 (line 1)")),
        (139, after.format("2022-04-10T10:00+0100", "2022-03 (line 1)"))]


def test_glued_sentences_in_one_long_block_are_each_found_once(tmp_path):
    # One block of 120,000 characters: past the length where a match's text is looked for
    # again in the whole block, it is looked for among the matches.
    def word(number: int) -> str:
        return "".join(chr(ord("a") + number // 26 ** power % 26) for power in range(3))

    sentences = [f"Le texte numéro {number} a été adopté par le dossier{word(number)}." for number in range(2400)]
    block = "".join(sentences) + " SoftBank a racheté SoftBank."
    assert len(block) > 100_000
    text = "Un titre assez long pour un titre\n\n" + block + "\n"
    found = rule_findings(tmp_path, text, "TX001")
    assert len(found) == 2399  # every join of two sentences, not the name said twice
    last = sentences[-2].rsplit(" ", 1)[-1]
    assert found[-1] == (3, len("".join(sentences[:-2])) + len(sentences[-2]) - len(last) + 1, "TX001",
                         f"sentences glued together at {last + 'Le'!r}: a paragraph break was lost")


def test_values_on_a_minified_page_keep_their_columns(tmp_path):
    # One line holding 300 meta tags: each value is placed at its own tag, the same value
    # twice at both tags in page order.
    metas = [f'<meta property="article:tag" content="tag {number}">' for number in range(300)]
    metas[250] = '<meta property="article:tag" content="{{ tag }}">'
    metas[260] = metas[270] = '<meta property="article:tag" content="[[ tag ]]">'
    page = ('<!DOCTYPE html><html><head><title>Reform No. 12: what changes</title>' + "".join(metas)
            + "</head><body><article><p>Text of the article.</p></article></body></html>\n")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    run = provlint("check", "page.html", "--format", "json", "--select", "PH002", cwd=tmp_path)
    starts = [page.index(metas[250]), page.index(metas[260]), page.index(metas[270], page.index(metas[260]) + 1)]
    assert [(f["line"], f["column"]) for f in run.json()["findings"]] == [
        (1, start + len('<meta property="article:tag" content="') + 1) for start in starts]
