"""Timestamps: display dates read from the words in rules/dates.yaml, and "same fact,
different spelling" for instants (same_instant, before) in the rules that compare them.

Excerpts name the real page they come from; dumps flatten a page's dates in the seed's
order (created, published, modified).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import provlint
from provlint.dates import parse_timestamp
from provlint.timestamps import DAY, FRACTION, MINUTE, NO_OFFSET, SECOND, before, same_instant
from provlint.ruleset import load_ruleset

NAMES = load_ruleset().table.dates
NOT_A_DATE = None

# text -> (instant as ISO 8601, precision, offset) or NOT_A_DATE
SPELLINGS = {
    # ISO 8601 extended and basic, and the dump spellings
    "2022-02-21T08:57+0100": ("2022-02-21T08:57:00+01:00", MINUTE, "+01:00"),
    "2022-02-21T08:57:00Z": ("2022-02-21T08:57:00+00:00", SECOND, "+00:00"),
    "2019-11-18T17:26:45.327": ("2019-11-18T17:26:45.327000", FRACTION, None),
    "2019-11-18 08:54:19": ("2019-11-18T08:54:19", SECOND, None),
    "2019-11-19 14:42:55Z": ("2019-11-19T14:42:55+00:00", SECOND, "+00:00"),
    "2014-12-18 01:01:00 UTC": ("2014-12-18T01:01:00+00:00", SECOND, "+00:00"),  # wetpaint.com
    "2018-09-15": ("2018-09-15T00:00:00", DAY, None),
    "20180619T055000+0900": ("2018-06-19T05:50:00+09:00", SECOND, "+09:00"),  # nikkei.com
    "20141229 18:22:00": ("2014-12-29T18:22:00", SECOND, None),  # teenvogue.com
    "2021-01-03T16:11:00EET": ("2021-01-03T16:11:00+02:00", SECOND, "+02:00"),  # lsm.lv
    "2014-12-15T12:56-5:00": ("2014-12-15T12:56:00-05:00", MINUTE, "-05:00"),  # theroot.com
    "21.02.2022 08:57": ("2022-02-21T08:57:00", MINUTE, None),
    "Tue, 19 Nov 2019 06:13:48 -0600": ("2019-11-19T06:13:48-06:00", SECOND, "-06:00"),
    "19 Nov 2019 05:44 GMT": ("2019-11-19T05:44:00+00:00", MINUTE, "+00:00"),  # aljazeera.com
    # JavaScript Date.toString() (forbes.com) and Java Date.toString() (usnews.com)
    "Tue Nov 19 2019 03:05:46 GMT+0000 (Coordinated Universal Time)": ("2019-11-19T03:05:46+00:00", SECOND, "+00:00"),
    "Fri Jan 02 16:35:00 EST 2015": ("2015-01-02T16:35:00-05:00", SECOND, "-05:00"),
    # display dates
    "November 19, 2019": ("2019-11-19T00:00:00", DAY, None),  # profootballtalk.nbcsports.com
    "Updated: Sat 8:31 PM, Feb 17, 2018": ("2018-02-17T20:31:00", MINUTE, None),  # catchitkansas.com
    "Fri 6:45 PM, Feb 16, 2018": ("2018-02-16T18:45:00", MINUTE, None),  # catchitkansas.com
    "10:48, Tue, Nov 19, 2019": ("2019-11-19T10:48:00", MINUTE, None),  # express.co.uk
    "November 19, 2019, 07:47 PM EST": ("2019-11-19T19:47:00-05:00", MINUTE, "-05:00"),
    "November 20, 2019 13:42": ("2019-11-20T13:42:00", MINUTE, None),  # autoindustriya.com
    "30th December 2014": ("2014-12-30T00:00:00", DAY, None),  # dailystar.co.uk
    "Monday 29 Dec 2014": ("2014-12-29T00:00:00", DAY, None),  # ok.co.uk
    "sexta-feira, 22 de outubro de 2010 às 20:13": ("2010-10-22T20:13:00", MINUTE, None),  # autoracing.com.br
    "Mis à jour le 21/02/2022 à 08h57": ("2022-02-21T08:57:00", MINUTE, None),
    "mar. 5 mars 2019": ("2019-03-05T00:00:00", DAY, None),
    "Mar 5, 2019": ("2019-03-05T00:00:00", DAY, None),
    "21. Februar 2022 um 08:57 Uhr": ("2022-02-21T08:57:00", MINUTE, None),
    "22 de febrero de 2022 a las 8:57 p. m.": ("2022-02-22T20:57:00", MINUTE, None),
    "lunedì 21 febbraio 2022 alle 08:57": ("2022-02-21T08:57:00", MINUTE, None),
    "21 februari 2022 om 08:57 uur": ("2022-02-21T08:57:00", MINUTE, None),
    "21 lutego 2022 r. o 08:57": ("2022-02-21T08:57:00", MINUTE, None),
    "21 февраля 2022 г., 08:57": ("2022-02-21T08:57:00", MINUTE, None),
    "08:57, 21 февраля 2022 МСК": ("2022-02-21T08:57:00+03:00", MINUTE, "+03:00"),
    "21 лютого 2022 о 08:57": ("2022-02-21T08:57:00", MINUTE, None),
    "2022年2月21日 08:57": ("2022-02-21T08:57:00", MINUTE, None),
    "2018年6月19日(火) 5時50分配信": ("2018-06-19T05:50:00", MINUTE, None),
    "2022年2月21日星期一 下午3:20": ("2022-02-21T15:20:00", MINUTE, None),
    "2022년 2월 21일 오후 3시 20분": ("2022-02-21T15:20:00", MINUTE, None),
    "2022.02.21": ("2022-02-21T00:00:00", DAY, None),
    "입력 2022. 2. 21. 오후 3:20": ("2022-02-21T15:20:00", MINUTE, None),
    # slash dates: the numbers decide the order, or the date is not read
    "13/04/2022 10:00": ("2022-04-13T10:00:00", MINUTE, None),
    "04/13/2022": ("2022-04-13T00:00:00", DAY, None),
    "05/05/2022": ("2022-05-05T00:00:00", DAY, None),
    "03/04/2022": NOT_A_DATE,
    # not dates: two-digit years, relative times, anything around a date the data does not list
    "14-12-30": NOT_A_DATE,  # ok.co.uk
    "3 hours ago": NOT_A_DATE,
    "Posted by Jane Doe on November 19, 2019": NOT_A_DATE,
    "November 2019": NOT_A_DATE,
    "sexta-feira, 22 de outubro de 2010 Ã s 20:13": NOT_A_DATE,  # mojibake of às
    "": NOT_A_DATE,
}

# recognised dates that name no real instant -> problem
IMPOSSIBLE = {
    "2021-02-31": "day is out of range for month",
    "2021-13-01T10:00Z": "month must be in 1..12",
    "2022-02-21T25:00Z": "hour must be in 0..23",
    "0000-00-00 00:00:00": "year 0 is out of range",
    "31 février 2022 à 08h57": "day is out of range for month",
    "13/13/2022": "month must be in 1..12",
}


@pytest.mark.parametrize("text", list(SPELLINGS))
def test_spelling(text):
    stamp = parse_timestamp(text, NAMES)
    expected = SPELLINGS[text]
    assert stamp.problem is None
    if expected is NOT_A_DATE:
        assert (stamp.instant, stamp.precision, stamp.offset, stamp.offset_problem) == (None, None, None, None)
        return
    instant, precision, offset = expected
    assert (stamp.instant.isoformat(), stamp.precision, stamp.offset) == (instant, precision, offset)
    assert stamp.naive == (offset is None)
    assert stamp.offset_problem == (NO_OFFSET if offset is None and precision != DAY else None)


@pytest.mark.parametrize("text", list(IMPOSSIBLE))
def test_impossible_date(text):
    stamp = parse_timestamp(text, NAMES)
    assert (stamp.instant, stamp.problem) == (None, IMPOSSIBLE[text])


@pytest.mark.parametrize("text, problem", [
    ("2022-02-21T08:57+2500", "impossible UTC offset +2500"),
    ("2022-02-21T08:57+01:07", "impossible UTC offset +01:07"),
    ("2022-02-21T08:57-13:00", "impossible UTC offset -13:00"),
    ("Tue Nov 19 2019 03:05:46 GMT+2500", "impossible UTC offset GMT+2500"),
    ("2022-02-21T08:57-00:00", NO_OFFSET),  # RFC 3339: the offset is unknown
])
def test_offset_problems_keep_the_wall_clock(text, problem):
    stamp = parse_timestamp(text, NAMES)
    assert (stamp.offset, stamp.offset_problem, stamp.naive, stamp.problem) == (None, problem, True, None)


def test_without_names_only_numeric_spellings_are_read():
    assert parse_timestamp("2022-02-21T08:57:00+01:00").offset == "+01:00"
    assert parse_timestamp("21.02.2022 08:57").precision == MINUTE
    assert parse_timestamp("November 19, 2019").instant is None
    assert parse_timestamp("November 19, 2019").problem is None


def test_user_words_extend_the_built_in_ones(tmp_path):
    (tmp_path / "dates.yaml").write_text(
        "dates:\n  languages:\n    cs:\n      months: [[ledna], [února], [], [], [], [], [], [], [], [], [listopadu], []]\n"
        "  zones:\n    IST: '+05:30'\n", encoding="utf-8")
    names = load_ruleset([str(tmp_path / "dates.yaml")]).table.dates
    assert parse_timestamp("21. února 2022 08:57 IST", names).instant.isoformat() == "2022-02-21T08:57:00+05:30"
    assert parse_timestamp("21 February 2022", names).precision == DAY  # the built-in words still count
    assert parse_timestamp("21. února 2022", NAMES).instant is None


def test_a_word_with_two_meanings_is_not_read(tmp_path):
    # Czech `listopad` is November, Croatian `listopad` October: neither is trusted.
    (tmp_path / "dates.yaml").write_text(
        "dates:\n  languages:\n    hr:\n      months: [[], [], [], [], [], [], [], [], [], [listopad], [], []]\n",
        encoding="utf-8")
    names = load_ruleset([str(tmp_path / "dates.yaml")]).table.dates
    assert parse_timestamp("21 listopad 2022", names).instant is None
    assert parse_timestamp("21 listopad 2022", NAMES).instant.month == 11


def test_a_broken_dates_file_is_a_rule_error(tmp_path):
    (tmp_path / "dates.yaml").write_text("dates:\n  zones:\n    XST: '+25:00'\n", encoding="utf-8")
    run = provlint("check", "--rules", "dates.yaml", cwd=tmp_path, stdin="")
    assert run.code == 2 and "dates.yaml:3" in run.err + run.out


# -- same_instant and before ------------------------------------------------------

SAME = [
    ("2022-02-21T09:00+01:00", "2022-02-21T08:00Z", True),
    ("2019-11-19T10:48:00Z", "2019-11-19T10:48:00+00:00", True),
    ("2018-09-15", "2018-09-15T10:15:48+02:00", True),  # inexhibit.com: a date alone agrees with that day
    ("2018-09-15", "2018-09-15T23:30:00-05:00", True),  # ... in the other value's own offset
    ("2018-09-16", "2018-09-15T23:30:00-05:00", False),
    ("2019-11-19", "Tue Nov 19 2019 03:05:46 GMT+0000", True),  # forbes.com
    ("2019-11-18T17:26:45.327", "2019-11-18T17:26:45.726", True),  # washingtonexaminer.com
    ("2022-02-21T08:57", "2022-02-21T08:57:59", True),  # minutes against seconds: at minutes
    ("2022-02-21T08:57", "2022-02-21T08:58:00", False),
    ("2019-11-18 08:54:19", "2019-11-18T16:54:19+00:00", True),  # 9to5mac.com: Pacific wall clock
    ("November 20, 2019 13:42", "2019-11-20 13:42:06+08:00", True),  # autoindustriya.com
    ("2022-02-21 08:57", "2022-02-21T03:27Z", True),  # +05:30
    ("2022-02-21 08:57", "2022-02-21T03:20Z", False),  # +05:37 is no real offset
    ("2022-02-21 08:57", "2022-02-22T00:57Z", False),  # -16:00 neither
    ("2019-11-20T04:31:13+00:00", "2019-11-20T04:31:13-06:00", False),  # slashgear.com: one offset is wrong
    ("2022-02-21T08:57", "2022-02-21T09:57", False),  # two wall clocks
    ("3 hours ago", "3 hours ago", False),
    ("9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59Z", False),  # past the calendar's end in UTC
]


@pytest.mark.parametrize("first, second, expected", SAME)
def test_same_instant(first, second, expected):
    a, b = parse_timestamp(first, NAMES), parse_timestamp(second, NAMES)
    assert same_instant(a, b) is expected and same_instant(b, a) is expected


HOUR, DAY_SPAN = timedelta(hours=1), timedelta(days=1)
BEFORE = [
    ("2022-02-21T10:00Z", "2022-02-21T10:01Z", timedelta(0), True),
    ("2022-02-21T10:00Z", "2022-02-21T10:00:30Z", timedelta(0), False),  # equal at minutes
    ("2022-02-21T10:00:59Z", "2022-02-21T10:01Z", timedelta(0), True),
    ("2019-11-18T17:26:45.327", "2019-11-18T17:26:45.726", timedelta(0), False),
    ("2014-12-14T19:11:52+00:00", "2014-12-20T09:00:47+00:00", DAY_SPAN, True),  # sitepoint.com
    ("2019-11-19 05:44 GMT", "2019-11-19 07:09 GMT", timedelta(0), True),
    ("19 Nov 2019 05:44 GMT", "19 Nov 2019 07:09 GMT", DAY_SPAN, False),
    ("2014-11-20T21:57:15+00:00", "2014-11-21T02:57:15+00:00", HOUR, True),  # pewresearch.org: 5 hours
    ("2018-10-11T08:53:00+03:00", "2018-10-11T08:54:08.228+03:00", HOUR, False),  # wday.ru: 68 seconds
    ("2019-11-19", "Tue Nov 19 2019 03:05:46 GMT+0000", timedelta(0), False),  # same day
    ("2019-11-18", "2019-11-19T03:05:46+00:00", timedelta(0), True),
    ("2015-01-14", "2015-01-14T23:57:29+0100", timedelta(0), False),  # thenextweb.com
    ("2018-10-03", "2018-10-03T19:41:33+04:00", timedelta(0), False),  # gto-normativy.ru
    # a naive value against an aware one: only what holds under every real offset
    ("2019-11-18 14:15:33", "2019-11-18T16:54:19+00:00", timedelta(0), None),  # 9to5mac.com
    ("2019-11-16 14:15:33", "2019-11-18T16:54:19+00:00", timedelta(0), True),
    ("2019-11-20 14:15:33", "2019-11-18T16:54:19+00:00", timedelta(0), False),
    ("2022-02-21T08:57", "2022-02-21T09:57", timedelta(0), True),  # two wall clocks
    ("0001-01-01T00:00:00", "2019-11-19T10:00Z", timedelta(0), None),  # no offset reaches year 1
    ("3 hours ago", "2019-11-19T10:00Z", timedelta(0), None),
    ("9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59Z", timedelta(0), None),
]


@pytest.mark.parametrize("first, second, tolerance, expected", BEFORE)
def test_before(first, second, tolerance, expected):
    assert before(parse_timestamp(first, NAMES), parse_timestamp(second, NAMES), tolerance) is expected


# -- the rules, through HTML meta tags, JSON-LD and dumps --------------------------

def page(*metas: str, json_ld: str = "") -> str:
    """A page whose head holds one meta tag per line from line 3 on."""
    tags = "\n".join(f'<meta property="article:{name}" content="{value}">'
                     for name, value in (meta.split("=", 1) for meta in metas))
    script = f'\n<script type="application/ld+json">{json_ld}</script>' if json_ld else ""
    return f"<!DOCTYPE html>\n<html><head>\n{tags}{script}\n</head><body></body></html>\n"


def dump(*stamps: str) -> str:
    """A dump with a header, a title and the timestamps from line 5 on, every other line."""
    blocks = [" date 2019-11 https://example.com/2019/11/19/story.html", "A headline long enough to be one"]
    return "\n\n".join(blocks + list(stamps)) + "\n"


def found(run, *rules: str):
    return [(f["line"], f["rule"], f["severity"]) for f in run.json()["findings"] if f["rule"] in rules]


def check(tmp_path, name: str, text: str, *flags: str):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return provlint("check", name, "--format", "json", "--select", "TS,DU003", *flags, cwd=tmp_path)


def test_display_dates_in_meta_tags_are_no_impossible_dates(tmp_path):
    # profootballtalk.nbcsports.com and catchitkansas.com show these as their dates.
    run = check(tmp_path, "p.html", page("published_time=November 19, 2019",
                                         "modified_time=Updated: Sat 8:31 PM, Feb 17, 2018"))
    assert found(run, "TS001") == []
    run = check(tmp_path, "p.html", page("published_time=November 31, 2019", "modified_time=14-12-30"))
    assert found(run, "TS001") == [(3, "TS001", "error")]


def test_impossible_date_in_a_dump(tmp_path):
    # washingtonexaminer.com writes naive times with milliseconds: readable, only info for the offset.
    clean = dump("2019-11-18T17:26:45.327", "2019-11-18T17:26:45.327", "2019-11-18T17:26:45.726")
    assert found(check(tmp_path, "d.txt", clean), "TS001", "TS008") == [
        (5, "TS008", "info"), (7, "TS008", "info"), (9, "TS008", "info")]
    broken = dump("2019-11-18T17:26:45.327", "2019-11-31T17:26:45.327", "2019-11-18T17:26:45.726")
    assert found(check(tmp_path, "d.txt", broken), "TS001") == [(7, "TS001", "error")]


def test_two_spellings_of_one_published_instant_are_no_conflict(tmp_path):
    # inexhibit.com (a date and a time that day), 9to5mac.com (a Pacific wall clock and UTC).
    for first, second in [("2018-09-15T10:15:48+02:00", "2018-09-15"),
                          ("2019-11-18T16:54:19+00:00", "2019-11-18 08:54:19")]:
        assert found(check(tmp_path, "p.html", page(f"published_time={first}", f"published_time={second}")),
                     "DU003") == []
        assert found(check(tmp_path, "d.txt", dump(first, first, second, second)), "DU003") == []


def test_two_published_instants_conflict(tmp_path):
    # slashgear.com: the same wall clock with two offsets, six hours apart.
    run = check(tmp_path, "p.html", page("published_time=2019-11-20T04:31:13-06:00",
                                         "published_time=2019-11-20T04:31:13+00:00"))
    # One source each and nothing to tell which is wrong: both lines are reported.
    assert found(run, "DU003") == [(3, "DU003", "error"), (4, "DU003", "error")]
    run = check(tmp_path, "d.txt", dump("2019-11-20T04:31:13-06:00", "2019-11-20T04:31:13-06:00",
                                        "2019-11-20T04:31:13+00:00", "2019-11-20T04:55:44+00:00"))
    assert found(run, "DU003") == [(7, "DU003", "error"), (9, "DU003", "error")]


def test_modified_days_before_published(tmp_path):
    # sitepoint.com: article:modified_time six days before article:published_time.
    run = check(tmp_path, "p.html", page("published_time=2014-12-20T09:00:47+00:00",
                                         "modified_time=2014-12-14T19:11:52+00:00"))
    assert found(run, "TS003", "TS011") == [(4, "TS003", "error")]
    run = check(tmp_path, "d.txt", dump("2014-12-20T09:00:47+00:00", "2014-12-20T09:00:47+00:00",
                                        "2014-12-14T19:11:52+00:00"))
    assert found(run, "TS003", "TS011") == [(9, "TS003", "error")]


def test_modified_hours_before_published(tmp_path):
    # aljazeera.com's JSON-LD: modified 05:44 GMT, published 07:09 GMT the same day.
    run = check(tmp_path, "p.html", page("published_time=19 Nov 2019 07:09 GMT", "modified_time=19 Nov 2019 05:44 GMT"))
    assert found(run, "TS003", "TS011") == [(4, "TS011", "info")]
    run = check(tmp_path, "d.txt", dump("2019-11-19T07:09Z", "2019-11-19T07:09Z", "2019-11-19T05:44Z"))
    assert found(run, "TS003", "TS011") == [(9, "TS011", "info")]


@pytest.mark.parametrize("published, modified", [
    ("2019-11-18T17:26:45.726", "2019-11-18T17:26:45.327"),  # washingtonexaminer.com: milliseconds
    ("Tue Nov 19 2019 03:05:46 GMT+0000", "2019-11-19"),  # forbes.com: a date alone
    ("November 20, 2019 13:42", "2019-11-20 13:42:06+08:00"),  # autoindustriya.com: display time in Manila
    ("2019-11-18T16:54:19+00:00", "2019-11-18 14:15:33"),  # 9to5mac.com: a Pacific wall clock
])
def test_one_moment_spelled_twice_is_not_modified_before_published(tmp_path, published, modified):
    run = check(tmp_path, "p.html", page(f"published_time={published}", f"modified_time={modified}"))
    assert found(run, "TS003", "TS011") == []


def test_created_after_published(tmp_path):
    # pewresearch.org: JSON-LD dateCreated five hours after article:published_time (an offset applied twice).
    article = '{"@type": "NewsArticle", "headline": "Those from Mexico will benefit most", "dateCreated": "%s"}'
    run = check(tmp_path, "p.html", page("published_time=2014-11-20T21:57:15+00:00",
                                         json_ld=article % "2014-11-21T02:57:15+00:00"))
    assert found(run, "TS002") == [(4, "TS002", "warning")]
    run = check(tmp_path, "p.html", page("published_time=2018-10-11T08:53:00+03:00",
                                         json_ld=article % "2018-10-11T08:54:08.228+03:00"))
    assert found(run, "TS002") == []  # wday.ru: a minute later is bookkeeping
    run = check(tmp_path, "d.txt", dump("2014-11-21T02:57:15+00:00", "2014-11-20T21:57:15+00:00",
                                        "2014-11-21T02:57:15+00:00"))
    assert found(run, "TS002") == [(5, "TS002", "warning")]


def test_utc_offsets_compare_as_offsets(tmp_path):
    # express.co.uk writes +00:00 in one place and Z in another.
    run = check(tmp_path, "p.html", page("published_time=2019-11-19T10:48:00+00:00",
                                         "modified_time=2019-11-19T11:05:44Z"))
    assert found(run, "TS009") == []
    run = check(tmp_path, "p.html", page("published_time=2019-11-19T10:48:00+00:00",
                                         "modified_time=2019-11-19T12:05:44+01:00"))
    assert found(run, "TS009") == [(4, "TS009", "info")]
    run = check(tmp_path, "d.txt", dump("2019-11-19T10:48:00Z", "2019-11-19T10:48:00+00:00", "2019-11-19T11:05:44+0000"))
    assert found(run, "TS009") == []
    run = check(tmp_path, "d.txt", dump("2019-11-19T10:48:00Z", "2019-11-19T10:48:00+00:00", "2019-11-19T12:05:44+0100"))
    assert found(run, "TS009") == [(9, "TS009", "info")]


def test_a_placeholder_date_is_still_found(tmp_path):
    # detroitnews.com: datePublished 0001-01-01T00:00:00Z.
    run = check(tmp_path, "p.html", page("published_time=0001-01-01T00:00:00Z", "modified_time=2019-11-19T23:06:33Z"))
    assert found(run, "TS007", "TS003", "TS011") == [(3, "TS007", "error")]


@pytest.mark.parametrize("text, instant, problem", [
    ("21.02.2022", "2022-02-21T00:00:00", None),
    (" 1.2.2021\n", "2021-02-01T00:00:00", None),
    ("31.02.2021", None, "day is out of range for month"),
    ("13.13.2021", None, "month must be in 1..12"),
    ("00.01.0000", None, "year 0 is out of range"),
])
def test_day_first_dotted_dates_read_without_tokens_as_the_grammar_reads_them(text, instant, problem):
    """The dateline's `21.02.2022` is read without cutting it into tokens: the same day,
    precision and problem the grammar gives, with the date words or without."""
    for names in (NAMES, None):
        stamp = parse_timestamp(text, names)
        assert (stamp.raw, stamp.instant.isoformat() if stamp.instant else None, stamp.precision, stamp.offset,
                stamp.problem, stamp.offset_problem) == (text.strip(), instant, DAY, None, problem, None)
