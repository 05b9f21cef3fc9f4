"""Dumps beyond the seed's layout (issue 15): bylines in every real shape are authors,
descriptions and bodies are not titles, and the real DU002 defect is still found.

The dumps are flattened from real pages in ../shared/realworld (each names its page; only
a title, a teaser and a sentence or two of body are quoted) in the seed's order or in
other scrapers' orders. Block kinds and author records are asserted through the reader
API; findings through the real CLI.
"""

from __future__ import annotations

import json

import pytest

from conftest import provlint
from provlint.readers import read_texts
from provlint.ruleset import load_ruleset

CNN_URL = "https://www.cnn.com/2019/11/18/investing/asian-market-latest/index.html"
CNN_TITLE = "Investors don't seem to know what to make of the US-China trade war"
CNN_TEASER = "A muddled view of US-China trade talks once again seems to be weighing on investors."
CNN_BODY = ("Hong Kong (CNN Business) A muddled view of US-China trade talks once again seems to be weighing on "
            "investors. The major Asian market indexes were mixed in early trading Tuesday after CNBC reported that "
            "the mood in Beijing was pessimistic. Japan's Nikkei 225 (N225) declined 0.3%, while South Korea's Kospi "
            "Index (KOSPI) fell 0.5%.")
CNN_PUBLISHER = "CNN https://www.cnn.com/"


def seed_layout(byline: str, teaser: str = CNN_TEASER) -> str:
    """The CNN page (CNN_URL) in the seed's order: header, name, headline, description,
    timestamps, body, then publisher and author objects as microdata repeats them.
    Authors stand on lines 19, 21 and 29."""
    blocks = [f" date 2019-11 {CNN_URL}", CNN_TITLE, CNN_TITLE, teaser, "2019-11-19T02:34:30Z",
              "2019-11-19T03:39:39Z", CNN_BODY, CNN_PUBLISHER, "2019", byline, byline, CNN_PUBLISHER,
              "1920 1080 true", CNN_PUBLISHER, byline]
    return "\n\n".join(blocks) + "\n"


def clean_layout(byline: str, teaser: str = CNN_TEASER) -> str:
    """Every field once (the sample corpus's `clean` layout); the author on line 17."""
    blocks = [f" date 2019-11 {CNN_URL}", CNN_TITLE, teaser, "2019-11-19T02:34:30Z", "2019-11-19T03:39:39Z",
              CNN_BODY, CNN_PUBLISHER, "2019", byline, "en_US"]
    return "\n\n".join(blocks) + "\n"


def bare_layout(byline: str, teaser: str = CNN_TEASER) -> str:
    """A text scraper's order: no header, the byline under the title (line 3), the dates
    after the teaser."""
    return "\n\n".join([CNN_TITLE, byline, teaser, "2019-11-19T02:34:30Z", CNN_BODY]) + "\n"


SEED_AUTHOR_LINES = (19, 21, 29)


@pytest.fixture(scope="module")
def table():
    return load_ruleset().table


def kinds(document) -> dict[int, str]:
    return {block.line: block.kind for block in document.blocks}


def lint_folder(tmp_path, dumps: dict[str, str], *flags: str) -> dict[str, list[tuple]]:
    """Lint many dumps in one run: name -> [(line, rule, severity)]."""
    for name, text in dumps.items():
        (tmp_path / f"{name}.txt").write_bytes(text.encode("utf-8"))
    run = provlint("check", ".", "--format", "json", "--no-cache", *flags, cwd=tmp_path)
    found: dict[str, list[tuple]] = {name: [] for name in dumps}
    for finding in run.json()["findings"]:
        found[finding["path"].removesuffix(".txt")].append((finding["line"], finding["rule"], finding["severity"]))
    return found


# (byline as the page writes it, the person, the outlet/desk/role, where it was seen)
BYLINES = [
    ("By Jill Disis, CNN Business", "Jill Disis", "CNN Business", CNN_URL),
    ("Jill Disis, CNN Business", "Jill Disis", "CNN Business", CNN_URL + " (meta author)"),
    ("By GREG BEACHAM, AP Sports Writer", "GREG BEACHAM", "AP Sports Writer",
     "https://www.mysanantonio.com/sports/article/LeBron-sets-triple-double-mark-Lakers-hold-off-14848253.php"),
    ("By DANICA KIRKA and JILL LAWLESS", "DANICA KIRKA and JILL LAWLESS", "",
     "https://hosted.ap.org/citizensvoice/article/2896af5086674d4bbbbd454dec217c63/uk-tories-under-fire-twitter-name-switch-during-debate"),
    ("Meg Kinnard and Errin Haines, Associated Press", "Meg Kinnard and Errin Haines", "Associated Press",
     "https://www.ctpost.com/news/article/Deval-Patrick-takes-nascent-2020-campaign-to-14847854.php"),
    ("Amy Kuperinsky | NJ Advance Media for NJ.com", "Amy Kuperinsky", "NJ Advance Media for NJ.com",
     "https://www.nj.com/entertainment/2019/11/florida-man-exists-south-dakota-hold-my-beer-meth-were-on-it.html"),
    ("By Andy Sahadeo | Fox News", "Andy Sahadeo", "Fox News",
     "https://www.foxnews.com/entertainment/james-van-der-beek-eliminated-dancing-with-the-stars-wife-suffers-miscarriage"),
    ("John Smith | Reuters, Jane Doe | AP", "John Smith, Jane Doe", "Reuters, AP", "issue 15: NAME | OUTLET, NAME | OUTLET"),
    ("Tim Childers - Live Science Contributor", "Tim Childers", "Live Science Contributor",
     "https://www.livescience.com/most-detailed-universe-simulation.html"),
    ("Troy L. Smith, Cleveland.com", "Troy L. Smith", "Cleveland.com",
     "https://www.cleveland.com/entertainment/2019/11/doobie-brothers-to-reunite-with-michael-mcdonald-for-blossom-show.html"),
    ("Finian Cunningham. Sputnik International", "Finian Cunningham", "Sputnik International",
     "https://sputniknews.com/columnists/201911181077343476-royal-self-indicting-arrogance/"),
    ("Analysis by Chris Cillizza, CNN Editor-at-large", "Chris Cillizza", "CNN Editor-at-large",
     "https://www.cnn.com/2019/11/18/politics/donald-trump-health-walter-reed/index.html"),
    ("Dana A. Ford, James S.A. Corey, Chien-Ming Wang, and Tom Watkins, CNN",
     "Dana A. Ford, James S.A. Corey, Chien-Ming Wang, and Tom Watkins", "CNN", "newspaper4k cnn_article.html"),
    ("Ilana Muhlstein, MS, RDN", "Ilana Muhlstein", "", "https://www.beachbodyondemand.com/blog/ilana-muhlstein-game-day-snacks"),
    ("written by Regan", "Regan", "",
     "https://theantijunecleaver.com/2014/09/make-arrowhead-water-a-part-of-your-mountain-hike-survival-kit/"),
    ("Posted by Michael David Smith", "Michael David Smith", "",
     "https://profootballtalk.nbcsports.com/2019/11/19/anthony-lynn-we-needed-to-win-this-game/"),
    ("By: Jamal Watson", "Jamal Watson", "", "http://www.theroot.com/articles/culture/2014/12/rev_sharpton_responds_to_his_critics.html"),
    ("By John Smith,", "John Smith", "", "issue 15: By NAME,"),
    ("Von Hans Müller", "Hans Müller", "", "issue 15: Von NAME"),
    ("Par Jean Dupont", "Jean Dupont", "", "issue 15: Par NAME"),
    ("Por María García", "María García", "", "issue 15: Por NAME"),
    ("Le Monde avec AFP", "Le Monde", "AFP", "sample corpus README: OUTLET avec AFP"),
    ("finanzen.net Redaktion", "finanzen.net Redaktion", "", "issue 15: staff byline"),
    ("Redaktion finanzen.net", "Redaktion finanzen.net", "", "issue 15: staff byline"),
    ("dpa-AFX", "dpa-AFX", "", "issue 15: wire agency"),
    ("HNN Staff", "HNN Staff", "",
     "https://www.hawaiinewsnow.com/2019/11/19/scientists-use-hawaii-telescope-spot-water-vapor-one-jupiters-moon/"),
    ("Science X staff", "Science X staff", "", "https://phys.org/news/2019-11-hibernating-astronauts-smaller-spacecraft.html"),
    ("Staff Reports", "Staff Reports", "", "http://www.therepublic.com/2019/11/20/cpd_arrests_six_in_drug_investigation/"),
    ("Telegraph Sport", "Telegraph Sport", "",
     "https://www.telegraph.co.uk/tennis/2019/11/19/tennis-podcast-davis-cup-finals-launch-madrid-feelings-mixed/"),
    ("CNN Wire", "CNN Wire", "", "https://localtvkstu.wordpress.com/2013/12/30/new-year-new-laws-obamacare-pot-guns-and-drones/"),
    ("張三，中央社", "張三", "中央社", "issue 15: NAME，OUTLET"),
    ("記者 張三／台北報導", "張三", "", "issue 15: 記者 NAME／台北報導"),
    ("日本経済新聞社", "日本経済新聞社", "", "https://www.nikkei.com/article/DGXMZO31897660Y8A610C1000000/ (JSON-LD author)"),
    ("J. R. R. Tolkien", "J. R. R. Tolkien", "", "issue 15: initials"),
    ("Ursula von der Leyen", "Ursula von der Leyen", "", "issue 15: particles"),
    ("Lauren del Valle", "Lauren del Valle", "",
     "https://www.cnn.com/2023/11/06/politics/takeaways-trump-engoron-testimony-fraud-trial/index.html"),
    ("Alejandro de la Garza", "Alejandro de la Garza", "",
     "https://time.com/6330957/james-hansen-climate-warning-geoengineering-study/"),
    ("JANIE HAR", "JANIE HAR", "",
     "https://www.timesunion.com/news/us/article/PG-E-begins-new-mass-power-shutoff-over-fire-14848251.php"),
    ('Amanda "Tania Mae" Tan', 'Amanda "Tania Mae" Tan', "", "https://www.oneesports.gg/league-of-legends/t1-worlds-2023-champion/"),
    ("BBC News မြန်မာ", "BBC News မြန်မာ", "", "https://www.bbc.com/burmese/burma-45989453 (JSON-LD author)"),
    ("Zac Hall https://secure.gravatar.com/avatar/4403f5bde9b9dd1799eda1756139557d?s=96&d=mm&r=r", "Zac Hall", "",
     "https://9to5mac.com/2019/11/18/techy-gift-guide/ (microdata author with its Gravatar)"),
    ("Ирина Тарасова", "Ирина Тарасова", "", "issue 15: Cyrillic"),
    ("محمد أحمد", "محمد أحمد", "", "issue 15: Arabic"),
]


@pytest.mark.parametrize("byline, name, affiliation, source", BYLINES, ids=[b[0] for b in BYLINES])
def test_byline_shapes_are_authors_in_the_seed_layout(table, byline, name, affiliation, source):
    document = read_texts("d.txt", seed_layout(byline), table, "dump")[0]
    found = kinds(document)
    assert [found[line] for line in SEED_AUTHOR_LINES] == ["author"] * 3
    assert [line for line, kind in found.items() if kind == "title"] == [3, 5]
    records = [author.value for author in document.values("authors")]
    assert [r["name"] for r in records] == [name] * 3
    assert [r.get("affiliation", "") for r in records] == [affiliation] * 3
    assert [v.value for v in document.values("author_names")] == [name] * 3


@pytest.mark.parametrize("byline, name, affiliation, source", BYLINES, ids=[b[0] for b in BYLINES])
def test_byline_shapes_are_authors_in_the_clean_layout(table, byline, name, affiliation, source):
    found = kinds(read_texts("d.txt", clean_layout(byline), table, "dump")[0])
    assert found[17] == "author"
    assert [line for line, kind in found.items() if kind == "title"] == [3]


def test_no_second_title_and_an_author_for_every_byline_shape(tmp_path):
    dumps = {}
    for index, (byline, *_) in enumerate(BYLINES):
        dumps[f"seed{index}"] = seed_layout(byline)
        dumps[f"clean{index}"] = clean_layout(byline)
    found = lint_folder(tmp_path, dumps, "--select", "DU002,AT002")
    assert {name: findings for name, findings in found.items() if findings} == {}


def test_exact_findings_of_a_realistic_dump(lint):
    run = lint(seed_layout("By Jill Disis, CNN Business"), "--select", "DU,AT001,AT002,AT009,AT010,AT011")
    assert run.findings() == [(5, "DU001", "info"), (21, "DU001", "info"), (23, "DU001", "info")]
    messages = [f["message"] for f in run.json()["findings"]]
    assert messages[1] == "author block repeated 3 times (lines 19, 21, 29)"


def test_author_name_points_at_the_person(table):
    document = read_texts("d.txt", seed_layout("By Jill Disis, CNN Business"), table, "dump")[0]
    first = document.values("author_names")[0]
    assert (first.line, first.column, first.end_column) == (19, 4, 14)


def test_outlet_byline_with_its_agency_is_the_outlets_own_name(lint):
    # lemonde.fr credits wire copy as `Le Monde avec AFP` (sample corpus README).
    dump = ("\n\n".join([" date 2022-02 https://www.lemonde.fr/international/article/2022/02/21/x_1.html",
                         "Emmanuel Macron et Vladimir Poutine se sont entretenus dimanche soir",
                         "2022-02-21T08:57+01:00", "Le Monde https://www.lemonde.fr/", "2022",
                         "Le Monde avec AFP"]) + "\n")
    run = lint(dump, "--select", "AT002,AT010")
    assert run.findings() == [(11, "AT010", "info")]
    assert run.json()["findings"][0]["message"] == "author 'Le Monde avec AFP' is the outlet's own name: no named author"


@pytest.mark.parametrize("layout", [seed_layout, clean_layout, bare_layout])
def test_other_scrapers_orders(table, tmp_path, layout):
    document = read_texts("d.txt", layout("By Jill Disis, CNN Business"), table, "dump")[0]
    assert [v.value for v in document.values("title")] == [CNN_TITLE] * (2 if layout is seed_layout else 1)
    assert [v.value for v in document.values("description")] == [CNN_TEASER]
    assert {v.value for v in document.values("author_names")} == {"Jill Disis"}


def test_crlf_bom_and_shuffled_tail_read_the_same(table):
    text = seed_layout("Regan")
    variant = "\ufeff" + text.replace("\n", "\r\n")
    assert kinds(read_texts("v.txt", variant, table, "dump")[0]) == kinds(read_texts("d.txt", text, table, "dump")[0])
    blocks = text.rstrip("\n").split("\n\n")
    head, tail = blocks[:7], blocks[7:]
    reordered = "\n\n".join(head + tail[3:] + tail[:3]) + "\n"  # the first publisher group last
    assert [v.value for v in read_texts("r.txt", reordered, table, "dump")[0].values("author_names")] == ["Regan"] * 3


def test_bylines_that_only_their_place_tells(table):
    # A one-word byline reads like a section and a CJK or Arabic one like a tag; standing
    # where microdata puts the author (after the publisher and its year), repeated as the
    # author is, they are authors. Sources: theantijunecleaver.com (`Regan`), nikkei.com.
    for byline in ("Regan", "日本経済新聞社", "محمد أحمد"):
        found = kinds(read_texts("d.txt", seed_layout(byline), table, "dump")[0])
        assert [found[line] for line in SEED_AUTHOR_LINES] == ["author"] * 3, byline
    # A DOM byline with its date glued on (floridatoday.com) in the author slot.
    byline = "Elliot Brownstein Florida Today Published 2:16 AM EST Nov 20, 2019"
    assert kinds(read_texts("d.txt", clean_layout(byline), table, "dump")[0])[17] == "author"


def test_a_byline_with_a_date_under_the_title_is_no_second_title(lint):
    # https://www.floridatoday.com/story/sports/high-school/2019/11/20/hs-roundup-viera-defeats-rockledge-remain-undefeated/4246736002/
    dump = ("HS Roundup: Viera defeats Rockledge to remain undefeated\n\n"
            "Elliot Brownstein Florida Today Published 2:16 AM EST Nov 20, 2019\n\n2019-11-20T07:16:00Z\n")
    assert lint(dump, "--select", "DU002,AT002").findings() == []


# The defect DU002 exists for must still be found: another article's headline at the
# title positions, with or without a description, with or without a body.
BAFFERT = "Bob Baffert facing lawsuits from bettors after Medina Spirit's Kentucky Derby win: report"
HAWKS = "Hawks arrest Rwandan fugitive Fulgence Kayishema in Paarl"
BAFFERT_BODY = ("Embattled Hall of Fame trainer Bob Baffert is facing more trouble this week after it was revealed "
                "that Kentucky Derby winner Medina Spirit failed a post-race drug test.")


@pytest.mark.parametrize("blocks", [
    [BAFFERT, HAWKS, BAFFERT_BODY[:-1] + ", and now there are reportedly legal implications.", "2021-05-15T13:08-0400"],
    [BAFFERT, HAWKS, "2021-05-15T13:08-0400", BAFFERT_BODY],
    [BAFFERT, HAWKS],
], ids=["description", "body-without-description", "titles-only"])
def test_another_articles_headline_is_still_a_second_title(lint, blocks):
    # Sample corpus duplicate/conflicting_titles: foxnews.com/sports/bob-baffert-lawsuits-bettors-medina-spirits-kentucky-derby
    url = "https://www.foxnews.com/sports/bob-baffert-lawsuits-bettors-medina-spirits-kentucky-derby"
    dump = "\n\n".join([f" date 2021-05 {url}", *blocks]) + "\n"
    assert lint(dump, "--select", "DU002").findings() == [(5, "DU002", "error")]


def test_another_articles_headline_as_the_headline_of_the_pair(lint):
    # The seed's name/headline pair with the headline taken from another article.
    dump = "\n\n".join([f" date 2019-11 {CNN_URL}", CNN_TITLE, HAWKS, CNN_TEASER, "2019-11-19T02:34:30Z",
                        CNN_BODY]) + "\n"
    assert lint(dump, "--select", "DU002").findings() == [(5, "DU002", "error")]
    dump = "\n\n".join([f" date 2019-11 {CNN_URL}", CNN_TITLE, HAWKS, "2019-11-19T02:34:30Z", CNN_BODY]) + "\n"
    assert lint(dump, "--select", "DU002").findings() == [(5, "DU002", "error")]


def test_the_block_after_the_title_pair_is_the_description(table, lint):
    # https://www.oregonlive.com/advice/2019/11/dear-abby-husband-springs-for-business-class-flight-to-india-but-leaves-wife-in-economy-seat.html
    # Its description has no final full stop and few words of the title or the body.
    title = "Dear Abby: Husband springs for business class flight to India, but leaves wife in economy seat"
    teaser = "The couple is traveling 24 hours to India, and won't be seated together"
    body = ("DEAR ABBY: My husband of more than 20 years just purchased plane tickets to India. It’s a 24-hour trip "
            "from the USA. My problem is, he is sitting in business class, while I’m in economy.")
    dump = "\n\n".join([" date 2019-11 https://www.oregonlive.com/advice/2019/11/dear-abby.html", title, title, teaser,
                        "2019-11-20T08:01:24.351Z", body]) + "\n"
    assert [v.line for v in read_texts("d.txt", dump, table, "dump")[0].values("description")] == [7]
    assert lint(dump, "--select", "DU002").findings() == []


@pytest.mark.parametrize("teaser, source", [
    # The page's og:description without its final full stop.
    ("This is an actual official slogan for an anti-drug campaign",
     "https://www.nj.com/entertainment/2019/11/florida-man-exists-south-dakota-hold-my-beer-meth-were-on-it.html"),
    # A 150-character teaser cut without punctuation.
    ("LOS ANGELES (AP) - To LeBron James, triple-doubles are not a goal. They are only a side effect of the "
     "consistent, brilliant all-around play he has been",
     "https://www.mysanantonio.com/sports/article/LeBron-sets-triple-double-mark-Lakers-hold-off-14848253.php"),
])
def test_descriptions_without_final_punctuation(table, lint, teaser, source):
    title = {"nj.com": "South Dakota doubles down on ‘Meth. We’re on it.’ They just might be.",
             "mysanantonio.com": "LeBron sets triple-double mark, Lakers hold off OKC 112-107"}
    body = {"nj.com": "Remember New Jersey’s epic quest to find a state slogan? (We never did settle on one, unlike our "
                      "565 municipalities, which are packed with them.) Enter South Dakota to throw down the gauntlet. "
                      "The state’s new slogan for an anti-drug campaign drew a South Dakota-sized share of attention on "
                      "social media Monday.",
            "mysanantonio.com": "LOS ANGELES (AP) — To LeBron James, triple-doubles are not a goal. They are only a "
                                "side effect of the consistent, brilliant all-around play he has been dishing out for "
                                "17 NBA seasons, with no slowdown in sight. Triple-doubles also don’t mean much to LeBron "
                                "without wins attached to them."}
    site = "nj.com" if "nj.com" in source else "mysanantonio.com"
    for blocks in ([f" date 2019-11 {source}", title[site], teaser, "2019-11-19T01:19:34Z", body[site]],
                   [title[site], title[site], teaser, "2019-11-19T01:19:34Z", body[site]]):
        text = "\n\n".join(blocks) + "\n"
        assert [v.value for v in read_texts("d.txt", text, table, "dump")[0].values("description")] == [teaser]
        assert lint(text, "--select", "DU002").findings() == []


def test_cjk_and_thai_descriptions_and_bodies_are_no_titles(table, tmp_path):
    dumps = {
        # https://www.nikkei.com/article/DGXMZO31897660Y8A610C1000000/ : the teaser has no final 。
        "ja": [" date 2018-06 https://www.nikkei.com/article/DGXMZO31897660Y8A610C1000000/",
               "米朝首脳直通電話 習氏に挑むトランプ戦術の成否 （写真＝ロイター） ：日本経済新聞",
               "６月12日の歴史的な米朝首脳会談を巡って戦っていたのは、米大統領のトランプと北朝鮮委員長の金正恩（キム・ジョンウン）"
               "ばかりではなかった。中国国家主席、習近平（シー・ジンピン）も重要な陰の参戦者だった",
               "2018-06-19T05:50:00+09:00", "日本経済新聞社 https://www.nikkei.com/", "2018", "日本経済新聞社"],
        # newspaper4k chinese_article_002 (news.cn): a body cut short, no full stop.
        "zh": ["短缺药品保供稳价 全力保障临床用药需求", "短缺药品保供稳价 全力保障临床用药需求", "2023-11-17T10:00+08:00",
               "https://example.com/img/1.jpg",
               "新华社北京11月17日电 记者17日从国家卫生健康委获悉，近阶段，相关部门持续依托短缺药品供应保障工作会商联动机制，"
               "深入优化短缺药品实时监测预警与分级应对体系"],
        # https://prachatai.com/journal/2019/01/80642 : Thai has no sentence punctuation.
        "th": [" date 2019-01 https://prachatai.com/journal/2019/01/80642",
               "ผล DNA ยืนยัน ศพลอยแม่น้ำโขงเป็นคนสนิท อ.สุรชัย", "ผล DNA ยืนยัน ศพลอยแม่น้ำโขงเป็นคนสนิท อ.สุรชัย",
               "2019-01-21T12:00+07:00",
               "21 ม.ค.2561 เวลาประมาณ 12.00 น. ผู้สื่อข่าวได้รับแจ้งจากนาย ต.(ไม่ประสงค์เปิดเผยชื่อ) บุตรชายของ 'ภูชนะ' "
               "คนสนิทของนายสุรชัย แซ่ด่าน ที่หายไปว่า ผลการตรวจ DNA"],
    }
    texts = {name: "\n\n".join(blocks) + "\n" for name, blocks in dumps.items()}
    titles = {name: [v.line for v in read_texts("d.txt", text, table, "dump")[0].values("title")] for name, text in texts.items()}
    assert titles == {"ja": [3], "zh": [1, 3], "th": [3, 5]}
    ja = read_texts("d.txt", texts["ja"], table, "dump")[0]
    assert [v.line for v in ja.values("description")] == [5]
    assert [v.value for v in ja.values("author_names")] == ["日本経済新聞社"]
    assert kinds(read_texts("d.txt", texts["zh"], table, "dump")[0])[9] == "body"
    assert kinds(read_texts("d.txt", texts["th"], table, "dump")[0])[9] == "body"
    found = lint_folder(tmp_path, texts, "--select", "DU002")
    assert found == {"ja": [], "zh": [], "th": []}


def test_title_case_headline_pair_is_the_title(table, lint):
    # https://sputniknews.com/columnists/201911181077343476-royal-self-indicting-arrogance/
    dump = "\n\n".join([" date 2019-11 https://sputniknews.com/columnists/201911181077343476-royal-self-indicting-arrogance/",
                        "Royal Self-Indicting Arrogance", "Royal Self-Indicting Arrogance", "2019-11-18T21:17:27Z",
                        "Sputnik International https://sputniknews.com/", "2019",
                        "Finian Cunningham. Sputnik International"]) + "\n"
    document = read_texts("d.txt", dump, table, "dump")[0]
    assert [v.line for v in document.values("title")] == [3, 5]
    assert document.values("authors")[0].value == {"name": "Finian Cunningham", "affiliation": "Sputnik International"}
    assert lint(dump, "--select", "DU002,AT002,AT011").findings() == []


def test_a_byline_shaped_title_under_the_header_is_the_title(table, lint):
    # newspaper4k wnet.org1.html (http://www.wnet.org/blog/2013/12/16/audit-committee/): the
    # og:title reads like `NAME | OUTLET`; under the header it is the name, and another
    # article's headline after it is a second title.
    header, title = " date 2013-12 http://www.wnet.org/blog/2013/12/16/audit-committee/", "WNET Audit Committee Meetings | WNET"
    pair = "\n\n".join([header, title, title, "2013-12-16T10:00-0500"]) + "\n"
    assert [v.line for v in read_texts("d.txt", pair, table, "dump")[0].values("title")] == [3, 5]
    merged = "\n\n".join([header, title, HAWKS, "2013-12-16T10:00-0500"]) + "\n"
    assert lint(merged, "--select", "DU002").findings() == [(5, "DU002", "error")]


def test_display_dates_keyword_lists_and_sections_are_no_titles(table, lint):
    # forbes.com/sites/brucelee/2019/11/18/how-this-mans-bedding-gave-him-feather-duvet-lung (JSON-LD dates),
    # express.co.uk/news/world/1206313 (keywords), vox.com/science-and-health/2019/11/8/20948348 (section).
    dump = "\n\n".join([
        " date 2019-11 https://www.forbes.com/sites/brucelee/2019/11/18/how-this-mans-bedding-gave-him-feather-duvet-lung/",
        "How This Man’s Bedding Gave Him ‘Feather Duvet Lung’", "How This Man’s Bedding Gave Him ‘Feather Duvet Lung’",
        "Tue Nov 19 2019 03:05:46 GMT+0000", "20 Nov 2019 08:00 GMT",
        "ctp_video,autoplay_video,Hong Kong,China,Asia,", "Science & Health"]) + "\n"
    found = kinds(read_texts("d.txt", dump, table, "dump")[0])
    assert (found[7], found[9], found[11], found[13]) == ("timestamp", "timestamp", "keywords", "section")
    assert lint(dump, "--select", "DU002").findings() == []


@pytest.mark.parametrize("section", ["Europe", "IPOs and fundraising"])
def test_no_author_is_still_reported(lint, section):
    # washingtonpost.com (sample corpus attribution/author_missing) and cityam.com: the
    # section stands where the author would; it is not taken for one.
    dump = "\n\n".join([f" date 2019-11 {CNN_URL}", CNN_TITLE, CNN_TEASER, "2019-11-19T02:34:30Z", CNN_BODY,
                        CNN_PUBLISHER, "2019", section, "en_US"]) + "\n"
    findings = lint(dump, "--select", "AT002").findings()
    assert [(line, rule) for line, rule, _ in findings] == [(None, "AT002")]
    assert findings[0][2] in ("info", "warning")


def test_json_bylines_are_split_like_dump_bylines(table):
    # The AP's JSON-LD author name on mysanantonio.com, as a NewsAPI-style record.
    record = {"title": "LeBron sets triple-double mark, Lakers hold off OKC 112-107",
              "author": "By GREG BEACHAM, AP Sports Writer", "publishedAt": "2019-11-20T07:30:38Z"}
    document = read_texts("r.json", json.dumps(record), table, "json")[0]
    assert document.values("authors")[0].value == {"name": "GREG BEACHAM", "affiliation": "AP Sports Writer"}
    assert [v.value for v in document.values("author_names")] == ["GREG BEACHAM"]


def test_user_context_rows_come_first(tmp_path):
    (tmp_path / "context.yaml").write_text(
        "context_kinds:\n  - kind: author\n    from: [locale]\n    follows: [year]\n", encoding="utf-8")
    dump = "\n\n".join([CNN_TITLE, CNN_PUBLISHER, "2019", "en_US"]) + "\n"
    (tmp_path / "d.txt").write_text(dump, encoding="utf-8")
    plain = provlint("check", "d.txt", "--select", "AT002", "--format", "json", "--no-cache", cwd=tmp_path)
    assert [rule for _, rule, _ in plain.findings()] == ["AT002"]
    run = provlint("check", "d.txt", "--rules", "context.yaml", "--select", "AT002", "--format", "json",
                   "--no-cache", cwd=tmp_path)
    assert run.findings() == []
    (tmp_path / "bad.yaml").write_text("context_kinds:\n  - kind: author\n    from: [title]\n    folows: [year]\n",
                                       encoding="utf-8")
    bad = provlint("check", "d.txt", "--rules", "bad.yaml", cwd=tmp_path)
    assert bad.code == 2 and "bad.yaml:4:5" in bad.err and "folows" in bad.err


def test_the_outlets_own_name_at_the_publishers_places_is_the_publisher(table, lint):
    # Flattened from newspaper4k newyorker.com1.html and gq.com2.html: the publisher as a
    # bare name, repeated as microdata repeats it; capitalised tags in the tags' run.
    url = "http://www.newyorker.com/magazine/2014/12/22/climate-change-christmas-carols"
    dump = "\n\n".join([url, "Climate-Change Christmas Carols", "Climate-Change Christmas Carols", "Apocalypse",
                        "Christmas Carols", "Climate Change", "Global Warming",
                        "http://www.newyorker.com/wp-content/uploads/2014/12/141222_r25915-1200.jpg",
                        "The New Yorker", "2014", "Ethan Kuperberg", "The New Yorker", "The New Yorker"]) + "\n"
    found = kinds(read_texts("d.txt", dump, table, "dump")[0])
    assert [found[line] for line in (3, 5, 9, 11, 13)] == ["title", "title", "tag", "tag", "tag"]
    assert [found[line] for line in (17, 23, 25)] == ["publisher"] * 3 and found[21] == "author"
    run = lint(dump, "--select", "AT001,AT002,AT011,DU001")
    assert [f for f in run.findings() if f[1] != "DU001"] == []
    # A byline of the outlet's wire is not its publisher: `CNN Wire` on cnn.com.
    cnn = clean_layout("CNN Wire").replace(CNN_PUBLISHER, "CNN https://www.cnn.com/")
    assert kinds(read_texts("d.txt", cnn, table, "dump")[0])[17] == "author"


def test_a_publisher_with_its_logo_size_is_the_publisher(table):
    # Flattened from newspaper4k yna_co_kr.html: the JSON-LD publisher's name and logo size.
    dump = clean_layout("Kim Eun-jung").replace(CNN_PUBLISHER, "Yonhap News Agency 600 600")
    dump = dump.replace("\n\n2019\n\n", "\n\n2019\n\nYonhap News Agency 600 600\n\n")
    found = kinds(read_texts("d.txt", dump, table, "dump")[0])
    assert [kind for kind in found.values() if kind == "publisher"] == ["publisher"] * 2


def test_title_case_tags_before_the_body_are_tags(table):
    # Flattened from zyte 04a6711c… (nytimes.com/2019/11/19/opinion/republicans-trump-impeachment.html):
    # the page's subject tags, capitalised, between the dates and the body; the byline
    # follows the publisher, as microdata flattens it.
    dump = "\n\n".join([
        " date 2019-11 https://www.nytimes.com/2019/11/19/opinion/republicans-trump-impeachment.html",
        "Republicans Are Following Trump to Nowhere", "Republicans Are Following Trump to Nowhere",
        "2019-11-19T11:00:09.000Z", "United States Politics and Government", "United States International Relations",
        "Elections, Governors", "Impeachment", "Bevin, Matthew",
        "https://static01.nyt.com/images/2019/11/19/opinion/19bouieWeb/19bouieWeb-facebookJumbo.jpg",
        "Americans have gone to the polls four times this month to vote in elections for governor and state "
        "legislature, and the results say something about the president's hold on his party.",
        "The New York Times https://www.nytimes.com/", "2019", "Jamelle Bouie"]) + "\n"
    found = kinds(read_texts("d.txt", dump, table, "dump")[0])
    assert (found[9], found[11]) == ("tag", "tag") and found[27] == "author"


def test_one_word_tags_in_a_run_are_tags_not_sections(table, lint):
    # Flattened from newspaper4k dailystar.co.uk1.html: articleSection, then the page's
    # tags, once before the body and once after it (as the page's tags repeat them).
    tags = ["headlines", "world", "Ebola", "Scotland", "Glasgow", "Sierra Leone", "Africa"]
    title = "Scot Ebola patient named: First pic of heroic nurse Pauline Cafferkey"
    body = ("A FEMALE healthcare worker who contracted Ebola after returning to Glasgow from Sierra Leone has been "
            "named as Pauline Cafferkey. She is being treated in an isolation unit in Glasgow.")
    dump = "\n\n".join([" date 2014-12 http://www.dailystar.co.uk/news/latest-news/417544/Ebola-virus-Glasgow",
                        title, title, "2014-12-30", "Latest News", *tags, body, *tags]) + "\n"
    found = kinds(read_texts("d.txt", dump, table, "dump")[0])
    assert [found[line] for line in (15, 17, 19, 23, 31, 33, 35, 39)] == ["tag"] * 8
    assert lint(dump, "--select", "DU001").findings() == [(5, "DU001", "info")]  # the title, not the tags


def test_a_users_dateline_in_any_date_spelling_is_read_and_a_non_date_is_no_error(tmp_path):
    """A scraper that ends teasers with `— 2022-02-21` (ISO) instead of `21.02.2022, Outlet`:
    a block kind of the user's with a `dateline_date` group works for TS006 in any spelling
    the date tables know; a group that caught a non-date makes no finding and no IN012."""
    (tmp_path / "kinds.yaml").write_text(
        "block_kinds:\n  - kind: description\n    pattern: '(?s:.*\\S)\\s+—[^\\S\\n]*(?P<dateline_date>[^\\n—]+)'\n",
        encoding="utf-8")
    teaser = "The minister said on Monday that the talks went well, and more was to come. —"
    for name, dateline in (("iso.txt", "2022-02-11"), ("words.txt", "11 février 2022"), ("junk.txt", "2022-13-45"),
                           ("text.txt", "AFP")):
        (tmp_path / name).write_text("\n\n".join([CNN_TITLE, f"{teaser} {dateline}", "2022-02-21T08:57+0100"]) + "\n",
                                     encoding="utf-8")
    run = provlint("check", ".", "--rules", "kinds.yaml", "--select", "TS006,IN", "--format", "json", "--no-cache",
                   cwd=tmp_path)
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in run.json()["findings"]] == [
        ("iso.txt", 3, len(teaser) + 2, "TS006"), ("words.txt", 3, len(teaser) + 2, "TS006")]
    assert run.json()["files_checked"] == 4
