"""Realistic dumps made from real pages: provlint reports on them only what a careful reader
of the page agrees with, reads their bylines as authors and their titles as one title.

The dumps in fixtures/realworld-dumps/ are pages of ../shared/realworld flattened by
`benchmarks/flatten.py --excerpt` (the schema.org and Open Graph values as the pages write
them, in the seed's layout; bodies cut to a sentence or two). Each one's header (its first
line) names the page it came from; the README there says how to make them again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from conftest import FIXTURES, provlint

DUMPS = FIXTURES / "realworld-dumps"


@dataclass(frozen=True)
class Expected:
    byline: bool  # the page credits an author: a missing author (AT002) means the byline was misread
    severe: list[tuple[int | None, str, str]] = field(default_factory=list)  # (line, rule, severity)


EXPECTED = {
    # https://www.nikkei.com/article/DGXMZO31897660Y8A610C1000000/ (Japanese): the outlet as byline, a
    # headline with the site name after a full-width colon, ISO 8601 basic-format dates.
    "nikkei-ja.txt": Expected(byline=True),
    # https://china.chinadaily.com.cn/a/202311/17/WS65571297a310d5acd876f404.html (Chinese): a CJK byline.
    "chinadaily-zh.txt": Expected(byline=True),
    # http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html (Arabic): no byline on the page.
    "cnnarabic-ar.txt": Expected(byline=False),
    # http://ultimahora.es/mallorca/noticia/noticias/local/fiscalia-anticorrupcion-estudia-recurre-imputacion-infanta.html
    # (Spanish): Twitter card and meta description only, no byline.
    "ultimahora-es.txt": Expected(byline=False),
    # https://prachatai.com/journal/2019/01/80642 (Thai): a title and a body without sentence punctuation.
    "prachatai-th.txt": Expected(byline=False),
    # https://www.lsm.lv/raksts/zinas/arzemes/norvegija-pec-zemes-nogruvuma-pieci-bojagajusie.a387519/
    # (Latvian): dates with a zone abbreviation (`2021-01-03T17:40:00EET`).
    "lsm-lv.txt": Expected(byline=True),
    # https://www.wday.ru/krasota-zdorovie/novosty/53-letnyaya-model-posmotri-na-krasotku-kotoraya-prevratilas-v-staruhu/
    # (Russian): the byline `Текст: NAME`; dateCreated (08:54:08) a minute after datePublished (08:53:00) is
    # CMS bookkeeping (a draft saved after scheduling), not a wrong date.
    "wday-ru.txt": Expected(byline=True),
    # http://comoeducarseusfilhos.com.br/blog/uma-palinha-das-brincadeiras-musicais-do-grupo-serelepe/
    # (Portuguese): a publisher with a logo size and no homepage.
    "comoeducar-pt.txt": Expected(byline=True),
    # http://www.bloomberg.com/news/2014-09-30/job-woes-linger-in-29-states-as-u-s-recovers-unevenly.html:
    # `By NAME and NAME`, the publisher's name alone.
    "bloomberg-en.txt": Expected(byline=True),
    # http://www.cnn.com/2013/11/27/travel/weather-thanksgiving/index.html: `NAME, NAME, NAME, and NAME, CNN`.
    "cnn-en.txt": Expected(byline=True),
    # http://www.businessinsider.com/david-cenciotti-argentinas-fighter-purchase-may-threaten-britain-2014-12:
    # `NAME, OUTLET` (a syndicated byline).
    "businessinsider-en.txt": Expected(byline=True),
    # https://www.oneesports.gg/league-of-legends/t1-worlds-2023-champion/: a nickname in quotes in the
    # byline; the publisher's e-mail is at its parent company's domain (onefc.com).
    "oneesports-en.txt": Expected(byline=True),
    # https://9to5mac.com/2019/11/18/techy-gift-guide/: author with an avatar URL, publisher with homepage
    # and logo (the seed's shapes); og:title with ` - 9to5Mac` after the headline.
    "9to5mac-en.txt": Expected(byline=True),
    # https://www.washingtonexaminer.com/opinion/why-beijing-will-bring-slaughter-to-hong-kong: `by NAME`;
    # naive timestamps throughout (house style), modified 0.4 s "before" published (one save).
    "washingtonexaminer-en.txt": Expected(byline=True),
    # https://www.ctpost.com/news/article/Deval-Patrick-takes-nascent-2020-campaign-to-14847854.php:
    # `By NAME and NAME, Associated Press` in capitals; wire copy.
    "ctpost-ap-en.txt": Expected(byline=True),
}


def findings_by_dump(tmp_path_factory: pytest.TempPathFactory, *flags: str) -> dict[str, list[dict]]:
    run = provlint("check", DUMPS, "--format", "json", "--no-cache", "--exit-zero", *flags,
                   cwd=tmp_path_factory.mktemp("realworld-dumps"))
    assert run.code == 0, run.err
    found: dict[str, list[dict]] = defaultdict(list)
    for finding in run.json()["findings"]:
        found[finding["path"].rsplit("/", 1)[-1]].append(finding)
    return found


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    return findings_by_dump(tmp_path_factory)


@pytest.fixture(scope="module")
def author_and_title_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    # Selected explicitly, so the assertions hold whatever severity (or default selection) the rules get.
    return findings_by_dump(tmp_path_factory, "--select", "AT002,DU002")


def test_every_dump_has_its_expectations():
    assert sorted(path.name for path in DUMPS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_only_what_a_careful_reader_agrees_with(default_run, name):
    severe = [(f["line"], f["rule"], f["severity"]) for f in default_run[name] if f["severity"] in ("error", "warning")]
    assert severe == EXPECTED[name].severe, [f["message"] for f in default_run[name] if f["severity"] != "info"]


@pytest.mark.parametrize("name", sorted(name for name, expected in EXPECTED.items() if expected.byline))
def test_the_byline_is_an_author(author_and_title_run, name):
    assert [f["message"] for f in author_and_title_run[name] if f["rule"] == "AT002"] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_titles_agree(author_and_title_run, name):
    assert [(f["line"], f["message"]) for f in author_and_title_run[name] if f["rule"] == "DU002"] == []
