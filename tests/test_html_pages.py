"""HTML pages read by the specs of their metadata, on excerpts of real pages.

Each excerpt is a few lines of a page in ../shared/realworld (named in its test), cut
down to the markup that matters; findings are asserted exactly (line, rule, severity).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import provlint
from provlint.readers import read_path
from provlint.ruleset import load_ruleset


@pytest.fixture(scope="module")
def table():
    return load_ruleset().table


def fields(path: Path, table, *names: str) -> dict[str, list]:
    [page] = read_path(path, table, path.name)
    return {name: [(v.line, v.column, v.origin, v.value) for v in page.values(name)] for name in names}


def check(tmp_path: Path, html: str, *flags: str) -> list[tuple]:
    """Findings on a page; the excerpts leave bylines and publishers out, so AT001/AT002
    (info: no publisher, no author) are not asked for."""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    run = provlint("check", "page.html", "--format", "json", "--ignore", "AT001,AT002", *flags, cwd=tmp_path)
    return [(f["line"], f["column"], f["rule"], f["severity"]) for f in run.json()["findings"]]


def severe(findings: list[tuple]) -> list[tuple]:
    return [f for f in findings if f[3] != "info"]


# bandb.about.com, "Galena, IL: A B&B Kinda Town" (newspaper4k about.com1.html): the page
# is one Article item; breadcrumbs are Breadcrumb items inside it, with itemprop="url" on
# <a> (a URL by the spec, from href) and the link text as their title.
ABOUT_COM = """<!DOCTYPE html>
<html lang="en-us" itemscope itemtype="http://schema.org/Article">
<head>
<title>Galena, IL: A B&amp;B Kinda Town</title>
<link rel="canonical" href="http://bandb.about.com/od/illinois/fl/Galena-IL-A-BampB-Kinda-Town.htm" />
<meta property="og:url" content="http://bandb.about.com/od/illinois/fl/Galena-IL-A-BampB-Kinda-Town.htm" />
</head>
<body>
<ul>
<li class="hide-breadcrumb" itemscope itemtype="http://data-vocabulary.org/Breadcrumb">
<a href="http://bandb.about.com/od/bylocation/" itemprop="url"><span itemprop="title">Bed and Breakfasts Around the World</span></a>
</li>
</ul>
<h1 itemprop="headline">Galena, IL: A B&amp;B Kinda Town</h1>
<div itemprop="author" itemscope itemtype="http://schema.org/Person">
By <a itemprop="url" href="/bio/Barbara-Radler-8520.htm"><span itemprop="name">Barbara Radler</span></a>
</div>
<meta itemprop="datePublished" content="2014-12-30">
</body>
</html>
"""


def test_microdata_properties_come_from_the_item_that_owns_them(tmp_path, table):
    (tmp_path / "page.html").write_text(ABOUT_COM, encoding="utf-8")
    found = fields(tmp_path / "page.html", table, "title", "url", "authors", "published")
    assert [(line, origin, value) for line, _, origin, value in found["title"]] == [
        (4, "title", "Galena, IL: A B&B Kinda Town"), (14, "microdata", "Galena, IL: A B&B Kinda Town")]
    # The breadcrumb's url and title are its own item's, not the article's.
    assert [value for *_, value in found["url"]] == [
        "http://bandb.about.com/od/illinois/fl/Galena-IL-A-BampB-Kinda-Town.htm"] * 2
    # The Person's name is the author's name, not a title; its link resolves against the page.
    assert [value for *_, value in found["authors"]] == [
        {"name": "Barbara Radler", "url": "http://bandb.about.com/bio/Barbara-Radler-8520.htm"}]
    assert found["published"][0][:3] == (18, 41, "microdata")
    assert severe(check(tmp_path, ABOUT_COM)) == []


# dailystar.co.uk (newspaper4k dailystar.co.uk1.html): a list of related articles, each
# an Article item with only a name (on a link); the page itself has no article item.
DAILY_STAR = """<html><head>
<title>Ebola: Healthcare worker in Glasgow contracts Ebola | Daily Star</title>
<meta property="og:title" content="Ebola: Healthcare worker in Glasgow contracts Ebola">
<meta property="og:site_name" content="Dailystar.co.uk">
</head><body>
<ul>
  <li itemscope itemtype="http://schema.org/Article">
    <a href="http://www.dailystar.co.uk/showbiz/409767/Amy-Childs-Ebola-band-Jolyon-Rubinstein" itemprop="name">'They're going to be huge' Amy Childs thinks Ebola is a BAND</a>
  </li>
</ul>
</body></html>
"""


def test_related_article_teasers_are_not_the_page(tmp_path, table):
    (tmp_path / "page.html").write_text(DAILY_STAR, encoding="utf-8")
    assert [value for *_, value in fields(tmp_path / "page.html", table, "title")["title"]] == [
        "Ebola: Healthcare worker in Glasgow contracts Ebola | Daily Star",
        "Ebola: Healthcare worker in Glasgow contracts Ebola"]
    assert check(tmp_path, DAILY_STAR) == []


# cnbc.com, "Emirates inks $9 billion order for 30 Boeing 787 jets" (zyte 374ac9a5…):
# article:author is a profile URL by the Open Graph protocol; og:site_name the publisher.
CNBC = """<html><head>
<meta property="og:title" content="Emirates inks $9 billion order for 30 Boeing 787 jets, will restart plans to expand airline by early 2020s">
<meta property="og:site_name" content="CNBC">
<meta property="article:author" content="https://www.facebook.com/CNBC">
<title>Emirates inks order for 30 Boeing 787 jets, talks expansion plans</title>
</head><body></body></html>
"""


def test_open_graph_author_is_a_profile_url(tmp_path, table):
    (tmp_path / "page.html").write_text(CNBC, encoding="utf-8")
    found = fields(tmp_path / "page.html", table, "authors", "author_names", "publisher")
    assert found["authors"] == [(4, 42, "meta article:author", {"url": "https://www.facebook.com/CNBC"})]
    assert found["author_names"] == []  # no AT009 "author is a URL": it is one by definition
    assert found["publisher"] == [(3, 40, "meta og:site_name", {"name": "CNBC"})]
    # Two wordings of one story: DU007 (info) on the later one, not DU002.
    assert check(tmp_path, CNBC) == [(5, 8, "DU007", "info")]


# A Yoast @graph (theantijunecleaver.com, zyte 0e014df6…; and most WordPress sites):
# the article names its author and publisher by @id.
YOAST = """<html><head>
<link rel="canonical" href="https://example-blog.com/2014/09/hiking-survival-kit/">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
{"@type":"Organization","@id":"https://example-blog.com/#organization","name":"The Anti-June Cleaver","url":"https://example-blog.com/"},
{"@type":"WebPage","@id":"https://example-blog.com/2014/09/hiking-survival-kit/#webpage","url":"https://example-blog.com/2014/09/hiking-survival-kit/","name":"Simple Hiking Survival Kit (with Kids) - The Anti-June Cleaver"},
{"@type":"Article","@id":"https://example-blog.com/2014/09/hiking-survival-kit/#article","isPartOf":{"@id":"https://example-blog.com/2014/09/hiking-survival-kit/#webpage"},
 "author":{"@id":"https://example-blog.com/#/schema/person/5e1f"},"headline":"Simple Hiking Survival Kit (with Kids)",
 "datePublished":"2014-09-15T14:22:02+00:00","mainEntityOfPage":{"@id":"https://example-blog.com/2014/09/hiking-survival-kit/#webpage"},
 "publisher":{"@id":"https://example-blog.com/#organization"}},
{"@type":["Person"],"@id":"https://example-blog.com/#/schema/person/5e1f","name":"Regan"}
]}</script>
</head><body></body></html>
"""


def test_json_ld_references_are_resolved_and_the_main_entity_chosen(tmp_path, table):
    (tmp_path / "page.html").write_text(YOAST, encoding="utf-8")
    found = fields(tmp_path / "page.html", table, "authors", "publisher", "title", "published")
    assert found["authors"] == [(10, 83, "json-ld", {"name": "Regan"})]
    assert found["publisher"] == [(4, 80, "json-ld", {"name": "The Anti-June Cleaver", "url": "https://example-blog.com/"})]
    # The Article's headline only: the WebPage node is the page, not the article.
    assert [(line, column, value) for line, column, _, value in found["title"]] == [
        (7, 79, "Simple Hiking Survival Kit (with Kids)")]
    assert found["published"][0][:3] == (8, 19, "json-ld")
    assert check(tmp_path, YOAST) == []


# bbc.com, "Taylor Swift is allowed to play her music at the AMAs after all" (zyte
# 70cb2d5b…): <title> carries the site name, og:title another wording of the story.
BBC = """<html><head>
<title>Taylor Swift is allowed to play her music at the AMAs after all - BBC News</title>
<meta property="og:title" content="Taylor Swift is allowed to play her music at the AMAs after all">
<meta property="og:site_name" content="BBC News">
<meta name="twitter:title" content="Taylor Swift's AMA row seems to be over">
<link rel="canonical" href="https://www.bbc.com/news/entertainment-arts-50474330">
<meta property="og:url" content="http://bbc.com/news/entertainment-arts-50474330/?utm_source=twitter#top">
</head><body></body></html>
"""


def test_spellings_of_one_title_and_one_url_agree(tmp_path):
    assert check(tmp_path, BBC) == [(5, 37, "DU007", "info")]


# washingtonexaminer.com and teenvogue.com show the same class with other separators.
@pytest.mark.parametrize("title, og_title", [
    ("Most Stylish New Celebrities of 2014 | Celebrity Style | TeenVogue.com", "Most Stylish New Celebrities of 2014"),
    ("Star Wars Jedi: Fallen Order review &#8211; shoots for the moon", "Star Wars Jedi: Fallen Order review – shoots for the moon"),
    ("“Quoted” headline, cut sh…", "\"Quoted\" headline, cut short by the CMS"),
])
def test_title_spellings(tmp_path, title, og_title):
    page = f'<html><head><title>{title}</title><meta property="og:title" content="{og_title}"></head></html>'
    assert check(tmp_path, page) == []


def test_relative_urls_resolve_against_base_and_page(tmp_path, table):
    page = """<html><head>
<base href="/news/">
<link rel="canonical" href="/news/2019/11/19/story.html">
<meta property="og:url" content="https://www.example.com/news/2019/11/19/story.html">
<meta property="og:image" content="img/lead.jpg">
</head><body></body></html>
"""
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    found = fields(tmp_path / "page.html", table, "url", "images")
    assert [value for *_, value in found["url"]] == ["https://www.example.com/news/2019/11/19/story.html"] * 2
    assert [value for *_, value in found["images"]] == ["https://www.example.com/news/img/lead.jpg"]
    assert severe(check(tmp_path, page)) == []


# detroitnews.com (zyte 65ce3a45…): an empty CMS date serialised as year 1.
DETROIT_NEWS = """<html><head>
<link rel="canonical" href="https://www.detroitnews.com/story/news/2019/11/19/x/4242424242/">
<script type="application/ld+json">
{
  "@context": "http://schema.org",
  "@type": "NewsArticle",
  "author": {},
  "datePublished": "0001-01-01T00:00:00Z",
  "mainEntityOfPage": {},
  "publisher": {"@type": "Organization", "name": "The Detroit News"}
}
</script>
</head><body></body></html>
"""


def test_real_defects_are_still_found(tmp_path):
    findings = severe(check(tmp_path, DETROIT_NEWS))
    assert (8, 21, "TS007", "error") in findings
    # Another article's og:title on a page: reported on the line of the title that does not belong.
    unrelated = """<html><head>
<title>Chrome Industries' Mini Buran laptop messenger bag is meant to last</title>
<meta name="description" content="Chrome Industries' Mini Buran laptop messenger bag ($140) is a good investment.">
<meta property="og:title" content="Fed holds interest rates steady as inflation cools">
</head><body><article><p>The Mini Buran laptop messenger bag by Chrome Industries is built to last.</p></article></body></html>
"""
    assert severe(check(tmp_path, unrelated)) == [(4, 36, "DU002", "error")]


def test_svg_titles_are_not_the_page_title(tmp_path, table):
    # ign.com (zyte 287e4d9f…): the logo's <svg><title>IGN Logo</title> in the header.
    page = """<html><head><title>Daily Deals: More Black Friday Deals Are Live</title>
<meta property="og:title" content="Daily Deals: More Black Friday Deals Are Live"></head>
<body><header><svg viewbox="0 0 182 55"><title>IGN Logo</title></svg></header></body></html>
"""
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    assert [value for *_, value in fields(tmp_path / "page.html", table, "title")["title"]] == [
        "Daily Deals: More Black Friday Deals Are Live"] * 2
    assert check(tmp_path, page) == []


# vortexcannon.org (zyte a860fb5e…): a WordPress theme's byline, `Posted by` and a link
# with rel="author" (HTML: the link is about the article's author); the author box
# further down links `Posts` and `Bio` the same way.
VORTEX = """<html><head><title>Dare to Play 3 / October pack – Vortex Cannon Entertainment</title></head>
<body><article id="post-5585" class="post-single-page">
<h1>Dare to Play 3 / October pack</h1>
<li class="meta-author">Posted by <a href="https://vortexcannon.org/author/vortex/" rel="author">
<span class="vcard author author_name"><span class="fn">Vortex</span></span></a></li>
<p>The October pack for Dare to Play 3 is out, with new challenges for the whole family.</p>
<div class="author-box"><a href="https://vortexcannon.org/author/vortex/" rel="author">Posts</a></div>
</article></body></html>
"""


def test_the_html_byline_is_an_author(tmp_path, table):
    (tmp_path / "page.html").write_text(VORTEX, encoding="utf-8")
    found = fields(tmp_path / "page.html", table, "authors")["authors"]
    assert found == [(5, 57, "a rel=author", {"name": "Vortex", "url": "https://vortexcannon.org/author/vortex/"})]
    assert [f for f in check(tmp_path, VORTEX, "--select", "AT002,AT011") if f[2] in ("AT002", "AT011")] == []


# thenextweb.com, "Google's new Android Wear update" (newspaper4k thenextweb.com1.html):
# one byline element that is the article's author, creator and editor at once.
NEXTWEB = """<!DOCTYPE html>
<html><head><title>Android Wear update</title></head>
<body><article itemscope itemtype="http://schema.org/Article">
<h1 itemprop="headline">Android Wear update</h1>
<div class="article-author-name" itemprop="author creator editor" itemscope itemtype="http://schema.org/Person">
<a href="http://thenextweb.com/author/napierlopez/" rel="author"><span class="fn" itemprop="name">Napier Lopez</span></a></div>
<div itemprop="articleBody"><p>Google is rolling out an update to Android Wear.</p></div>
</article></body></html>
"""


def test_one_element_under_several_property_names_is_not_a_repeat(tmp_path):
    assert [f for f in check(tmp_path, NEXTWEB, "--select", "ALL") if f[2] == "DU001"] == []
    repeated = NEXTWEB.replace("</article>", '<div itemprop="author" itemscope itemtype="http://schema.org/Person">'
                               '<span itemprop="name">Napier Lopez</span></div>\n</article>')
    assert [f for f in check(tmp_path, repeated, "--select", "ALL") if f[2] == "DU001"] == [(8, 92, "DU001", "info")]


# flavorwire.com, "13 Media Moments from 2014 We Could Have Lived Without" (newspaper4k
# flavorwire.com1.html): the microdata articleBody is the teaser cut short, and the
# description holds it; the article's own text goes on for thirteen items.
FLAVORWIRE_TEASER = ("Presenting; a mix of the morally execrable and the culturally annoying moments in 2014 that"
                     " we sort wish had never happened, to be honest, although")
FLAVORWIRE = f"""<!DOCTYPE html>
<html><head><title>13 Media Moments from 2014 We Could Have Lived Without</title>
<meta name="description" content="{FLAVORWIRE_TEASER} we dutifully thought and wrote about them (and to...">
</head><body>
<article itemscope itemtype="http://schema.org/Article">
<h1 itemprop="headline">13 Media Moments from 2014 We Could Have Lived Without</h1>
<meta itemprop="articleBody" content="{FLAVORWIRE_TEASER}">
<p>{FLAVORWIRE_TEASER} we dutifully thought and wrote about them (and to some degree, understand their necessity).</p>
BODY
</article></body></html>
"""


def test_a_cut_short_article_body_is_an_excerpt_not_the_body(tmp_path):
    paragraphs = "\n".join(f"<p>{n}. The Interview, the hack and the cancelled release, told once more.</p>"
                           for n in range(1, 14))
    assert [f for f in check(tmp_path, FLAVORWIRE.replace("BODY", paragraphs)) if f[2] == "DU005"] == []
    # Where the page's text is no more than the teaser, the description did swallow it.
    assert [f for f in check(tmp_path, FLAVORWIRE.replace("BODY", "")) if f[2] == "DU005"] == [
        (3, 35, "DU005", "warning")]


# Visible bylines of pages that state their author nowhere else: livescience.com
# ("Magic Mushrooms Create a Hyperconnected Brain", newspaper4k livescience.com1.html),
# technologyreview.com (technologyreview.com1.html), mashable.com (mashable.com2.html).
BYLINE_PAGE = """<!DOCTYPE html>
<html><head><title>Magic Mushrooms Create a Hyperconnected Brain</title></head>
<body><article>
<h1>Magic Mushrooms Create a Hyperconnected Brain</h1>
BYLINE
<p>Magic mushrooms may expand the mind by changing how the brain's networks talk to each other.</p>
</article></body></html>
"""


@pytest.mark.parametrize(("byline", "name", "line"), [
    ('<div class="by_line_date">\n\t\tby Tia Ghose, Staff Writer&nbsp;&nbsp; | &nbsp;&nbsp;October 29, 2014 07:38am ET'
     '\n\t</div>', "Tia Ghose", 6),
    ('<ul><li class="byline">By <a href="/contributor/antonio-regalado/">Antonio Regalado</a> on December 4, 2014</li>'
     '</ul>', "Antonio Regalado", 5),
    ('<a class="byline" href="/people/jessicaplautz/"><span>By Jessica Plautz</span>'
     '<time datetime="2014-12-22T17:43:29Z">2014-12-22 17:43:29 UTC</time></a>', "Jessica Plautz", 5),
    ('<h3 class="byline">by Jeff Foust<br><span class="datetime">Monday, November 18, 2019</span></h3>', "Jeff Foust", 5),
    # An author class holds the name alone: the Zyte benchmark's c58aa507….html, newspaper4k's
    # spanish_article.html and theglobeandmail.com2.html; the name linked on the line after
    # `Posted by`; AP's ap-story-byline (82b6d780….html).
    ('<span class="author">\n    Kevin Johnson and Kevin McCoy\n</span>', "Kevin Johnson and Kevin McCoy", 6),
    ('<p class="autor pull-left">\n\t<strong>Patricio Candia</strong> | Palma de Mallorca | 08/01/2014</p>',
     "Patricio Candia", 6),
    ('<p class="byline author vcard">\nDavid Parkinson\n</p>', "David Parkinson", 6),
    ('<li class="meta-author">Posted by\n<a href="https://example.org/author/dana-smith/" rel="nofollow">'
     '<span class="fn">Dana Smith</span></a></li>', "Dana Smith", 6),
    ('<div class="ap-story-byline">By LISA MASCARO, MARY CLARE JALONICK and ERIC TUCKER</div>',
     "LISA MASCARO, MARY CLARE JALONICK and ERIC TUCKER", 5),
])
def test_a_visible_byline_credits_the_author(tmp_path, table, byline, name, line):
    (tmp_path / "page.html").write_text(BYLINE_PAGE.replace("BYLINE", byline), encoding="utf-8")
    assert [(v[0], v[2], v[3]) for v in fields(tmp_path / "page.html", table, "authors")["authors"]] == [
        (line, "byline", {"name": name})]
    assert [f for f in check(tmp_path, BYLINE_PAGE.replace("BYLINE", byline), "--select", "AT002") if f[2] == "AT002"] == []


@pytest.mark.parametrize("box", [
    '<div class="byline"><a href="https://twitter.com/share">Share</a> <time>October 29, 2014</time></div>',
    '<div class="article-byline-tweet">Tweet this</div>',
    '<div class="author">Share this story</div>',
    # A one-word handle (Zyte's 52111884….html) names no one.
    '<div class="post-author">By <a href="http://example.com/blog/author/jdadmin/">jdadmin</a></div>',
    '<div class="author-bio">Kevin Johnson writes about courts.</div>',
    '<ol class="comment-list"><li><span class="comment-author">Dana Smith</span> said: first!</li></ol>',
])
def test_a_byline_box_without_a_byline_credits_nobody(tmp_path, table, box):
    (tmp_path / "page.html").write_text(BYLINE_PAGE.replace("BYLINE", box), encoding="utf-8")
    assert fields(tmp_path / "page.html", table, "authors")["authors"] == []


@pytest.mark.parametrize("letter", ["s", "\u017f"])  # long s: IGNORECASE reads it as `s`, lower() does not
def test_attribute_values_are_placed_in_any_letter_case(tmp_path, table, letter):
    # Attribute places are looked up where the attribute's name stands, in any letter case,
    # and only as a whole word: `mycontent` is not `content`.
    page = tmp_path / "page.html"
    page.write_text(f"""<html><head>
<META PROPERTY="og:title" mycontent="x" CONTENT="Title with {letter}">
<meta name="description" content="The description">
</head><body></body></html>
""", encoding="utf-8")
    assert fields(page, table, "title", "description") == {
        "title": [(2, 50, "meta og:title", f"Title with {letter}")],
        "description": [(3, 35, "meta description", "The description")],
    }


# smithsonianmag.com (Zyte benchmark ea25dd7e….html) and Al Jazeera (7916ecca….html):
# a section that is also a keyword, and an outlet that is both the author and the
# publisher, state two facts; a keyword the list holds twice is a repeat.
SECTION_AND_KEYWORDS = """<html><head><title>Smart news about science</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Smart news about science",
"articleSection": "Smart News",
"author": {"@type": "Organization", "name": "Al Jazeera"},
"publisher": {"@type": "Organization", "name": "Al Jazeera"},
"keywords": ["Smart News", "Smart News Science", "Smart News Science"]}</script>
</head><body></body></html>
"""


def test_one_value_under_two_fields_is_not_a_repeat(tmp_path):
    assert [f for f in check(tmp_path, SECTION_AND_KEYWORDS, "--select", "DU001")] == [(6, 51, "DU001", "info")]


# al.com (newspaper4k al.com2.html): the author only in Parse.ly's page object, and
# nydailynews.com (nydailynews.com1.html) in its parsely-author tag; an id names nobody.
PARSELY = """<html><head><title>Hockey, skate jam and Future City competition among big events</title>
<meta property="og:site_name" content="al.com">
<meta name='parsely-page' content='{"title": "Hockey, skate jam and Future City competition", "type": "post", \
"post_id": "14845055", "pub_date": "2014-12-29T13:56:17Z", "author": "Lucy Berry | lberry@al.com", "tags": []}'>
</head><body><article><p>Hockey, a skate jam and the Future City competition are among the big events next month,
organisers said on Monday.</p></article></body></html>
"""


def test_an_author_named_only_by_an_analytics_tag_is_credited(tmp_path, table):
    (tmp_path / "page.html").write_text(PARSELY, encoding="utf-8")
    assert fields(tmp_path / "page.html", table, "author_names") == {"author_names": [(3, 181, "meta parsely-page",
                                                                                         "Lucy Berry")]}
    tagged = PARSELY.replace("<meta name='parsely-page'", '<meta name="parsely-author" content="JOHN MARZULLI">\n'
                             "<meta name='parsely-page'")
    (tmp_path / "page.html").write_text(tagged, encoding="utf-8")
    assert fields(tmp_path / "page.html", table, "author_names")["author_names"][0][1:] == (38, "meta parsely-author",
                                                                                           "JOHN MARZULLI")
    for page, expected in ((PARSELY, []), (PARSELY.replace("Lucy Berry | lberry@al.com", "296554"), ["AT002"])):
        (tmp_path / "page.html").write_text(page, encoding="utf-8")
        run = provlint("check", "page.html", "--select", "AT002", "--format", "json", cwd=tmp_path)
        assert [f["rule"] for f in run.json()["findings"]] == expected


# flavorwire.com (newspaper4k flavorwire.com2.html): a keyword repeated from an earlier
# keywords tag is shown where it stands in its list, not where the list starts.
KEYWORD_LISTS = """<html><head><title>Cosby and the outrage cycle</title>
<meta name="keywords" content="bill-cosby,gamergate,justine-sacco,outrage,r-kelly">
<meta name="keywords" content="outrage, r-kelly">
</head><body></body></html>
"""


def test_a_repeated_keyword_is_placed_in_its_list(tmp_path):
    assert check(tmp_path, KEYWORD_LISTS, "--select", "DU001") == [(3, 32, "DU001", "info"), (3, 41, "DU001", "info")]


# bbc.com (newspaper4k chinese_article.html): the outlet only in Dublin Core and the
# application name.
APPLICATION = """<html><head><title>China's new rules for online news</title>
<meta name="dc.publisher" content="British Broadcasting Corporation" />
<meta name="application-name" content="BBC"/>
</head><body><article><p>China has published new rules for online news, officials said on Monday.</p></article>
</body></html>
"""


def test_a_publisher_named_only_by_dublin_core_is_credited(tmp_path, table):
    (tmp_path / "page.html").write_text(APPLICATION, encoding="utf-8")
    assert [value[:3] for value in fields(tmp_path / "page.html", table, "publisher")["publisher"]] == [
        (2, 36, "meta dc.publisher")]
    run = provlint("check", "page.html", "--select", "AT001", "--format", "json", cwd=tmp_path)
    assert run.json()["findings"] == []


# A JSON-LD body as Zyte's 39d5c43b….html and newspaper4k's foxnews.com2.html write it:
# escapes (`\"`, `\r\n`) decoded in the text are longer in the file, and a finding in the
# text points where the file holds it.
ESCAPED_BODY = r"""<html><head><title>Trade talks stall as tariffs loom</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Trade talks stall as tariffs loom", \
"articleBody": "Officials called the offer \"final\" and \"fair\".\r\nThe talks stalled on Monday, according to people \
familiar with the matter. From Opposing ViewsThe post appeared first."}</script>
</head><body></body></html>
""".replace("\\\n", "")


def test_a_finding_in_an_escaped_body_points_into_the_file(tmp_path):
    line = ESCAPED_BODY.splitlines()[1]
    vague, glued = line.index("people familiar") + 1, line.index("ViewsThe") + 1
    (tmp_path / "page.html").write_text(ESCAPED_BODY, encoding="utf-8")
    run = provlint("check", "page.html", "--select", "AT006,TX001", "--format", "json", cwd=tmp_path)
    assert [(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in run.json()["findings"]] == [
        ("AT006", 2, vague, 2, vague + 20), ("TX001", 2, glued, 2, glued + 8)]
    assert (vague, glued) == (222, 269)


# A microdata body over several lines (newspaper4k's telegraph.co.uk1.html): its text is
# the element's, joined; a finding in it points at the line the file holds it on.
MICRODATA_BODY = """<html><head><title>Search for bodies goes on</title></head>
<body><article itemscope itemtype="http://schema.org/NewsArticle"><h1 itemprop="headline">Search for bodies goes on</h1>
<div itemprop="articleBody"><p>Divers went back into the water at dawn, officials said.</p>
<p>The weather has cleared over the sea, and more ships have joined the search.</p>
<p><strong>23.45 </strong>It is now approaching 7am in Jakarta.The search for more bodies resumes.</p>
</div></article></body></html>
"""


def test_a_finding_in_a_body_over_several_lines_points_at_its_line(tmp_path):
    (tmp_path / "page.html").write_text(MICRODATA_BODY, encoding="utf-8")
    run = provlint("check", "page.html", "--select", "TX001", "--format", "json", cwd=tmp_path)
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in run.json()["findings"]] == [(5, 56, 5, 67)]


# fool.com (newspaper4k fool.com2.html): the scraper saved the CDN's refusal.
FORBIDDEN = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">
<HTML><HEAD><TITLE>Forbidden</TITLE>
<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>
<BODY><h2>Forbidden URL</h2>
<hr><p>HTTP Error 403. The request URL is forbidden.</p>
<script type="text/javascript">var _analytics_scr = document.createElement('script');</script></BODY></HTML>
"""


def test_an_error_page_is_one_finding_and_no_article(tmp_path):
    (tmp_path / "page.html").write_text(FORBIDDEN, encoding="utf-8")
    run = provlint("check", "page.html", "--select", "ALL", "--format", "json", cwd=tmp_path)
    assert [(f["line"], f["column"], f["rule"], f["severity"], f["message"]) for f in run.json()["findings"]] == [
        (2, 20, "IN016", "warning", "the page is a server's error page ('Forbidden'), not the article")]


# appleinsider.com (Zyte benchmark 65bf3048….html): the JSON-LD credits the outlet, the
# visible byline its writers; the article names its authors, so AT010 does not hold.
OUTLET_CREDITED = """<html><head><title>Apple's new MacBook Pro reviewed</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Apple's new MacBook Pro reviewed",
"author": {"@type": "Person", "name": "AppleInsider"}, "publisher": {"@type": "Organization", "name": "AppleInsider"}}
</script></head><body><article><h1>Apple's new MacBook Pro reviewed</h1>
<p class="gray small byline">
By <a href="/cdn-cgi/l/email-protection#7f0b">Mike Wuerthele  and Malcolm Owen</a><br>
<span class="gray">Monday, November 18, 2019, 04:05 pm PT (07:05 pm ET)</span></p>
<p>Apple's new MacBook Pro has a larger screen and a new keyboard, the company said on Monday.</p>
</article></body></html>
"""


def test_a_writer_named_beside_the_outlet_credit_is_the_named_author(tmp_path, table):
    (tmp_path / "page.html").write_text(OUTLET_CREDITED, encoding="utf-8")
    assert [(v[0], v[2], v[3]) for v in fields(tmp_path / "page.html", table, "author_names")["author_names"]] == [
        (3, "json-ld", "AppleInsider"), (6, "byline", "Mike Wuerthele and Malcolm Owen")]
    assert check(tmp_path, OUTLET_CREDITED, "--select", "AT010") == []


# A redirect stub (newspaper4k google_meta_refresh.html) and a home page
# (yahoo_main_site.html) are no articles either.
REDIRECT = """<script>window.googleJavaScriptRedirect = 1</script>
<noscript>
    <META http-equiv="refresh" content="0;URL='http://example.com'">
</noscript>
"""
HOME = """<html><head><title>Yahoo UK | News, email and search</title>
    <meta property="og:type" content='website' />
    <meta property="og:url" content="https://uk.yahoo.com/" />
</head><body><p>Top stories</p></body></html>
"""


@pytest.mark.parametrize(("page", "found"), [
    (REDIRECT, (3, 41, "the page only sends the reader on to 'http://example.com' (a redirect), not the article")),
    (HOME, (3, 38, "the page is the home page of uk.yahoo.com, not an article")),
])
def test_a_redirect_or_a_home_page_is_one_finding_and_no_article(tmp_path, page, found):
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    run = provlint("check", "page.html", "--select", "ALL", "--format", "json", cwd=tmp_path)
    assert [(f["line"], f["column"], f["message"]) for f in run.json()["findings"]] == [found]


# space.com (newspaper4k space.com2.html) serves a SpaceNews story: the canonical link
# names the original, og:url the page. The page's domain is space.com, whose analytics
# ids it carries, so no corpus rule reads them as spacenews.com's.
SYNDICATED = """<html><head><title>NASA Receives $18 Billion in Omnibus Spending Bill</title>
<link rel="canonical" href="http://spacenews.com/nasa-receives-18-billion-in-omnibus-spending-bill/" />
<meta property="og:url" content="http://www.space.com/27998-nasa-18-billion-omnibus-spending-bill.html" />
</head><body></body></html>
"""


def test_a_syndicated_page_is_on_the_site_that_serves_it(tmp_path, table):
    (tmp_path / "page.html").write_text(SYNDICATED, encoding="utf-8")
    assert [(v[0], v[3]) for v in fields(tmp_path / "page.html", table, "domain")["domain"]] == [(3, "space.com")]
