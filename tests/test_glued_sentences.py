"""TX001 on real pages' text: a glue is a sentence end or heading run into the next
sentence, not a name or a hashtag written in CamelCase. The excerpts are from
../shared/realworld: newspaper4k's cnn_test_nlp.html (ExxonMobil), 247wallst.com1.html
(thinkstockDecember) and globalnews.ca1.html (GlobalNews.ca); the Zyte benchmark's
dc7ccccc….html (WikiLeaks) and 0e014df6….html (#CollectiveBias)."""

from __future__ import annotations

import json

from conftest import provlint

NAMES = """<html><head><title>Gates defends Tillerson over Russia ties</title>
<meta name="description" content="Former Defense Secretary Robert Gates on Sunday defended President-elect Donald \
Trump’s pick for secretary of state, ExxonMobil CEO Rex Tillerson, over his relationship with Russian President \
Vladimir Putin.">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Gates defends Tillerson over Russia ties",
"articleBody": "Sweden has dropped its investigation into a 2010 rape allegation against WikiLeaks co-founder Julian \
Assange. This shop has been compensated by #CollectiveBias, Inc. and its advertiser. #HealthyHydration #ad Watch \
Video Online, on GlobalNews.ca. Markets opened lower.Our view: volumes are low."}</script>
</head><body></body></html>
"""

CREDIT = """<html><head><title>Markets open lower</title>
<meta name="description" content="Source: thinkstockDecember 28, 2014: Markets opened lower on Monday as neither \
the bulls nor the bears can gin up a lot of support.">
</head><body></body></html>
"""


def _glued(tmp_path, name: str, page: str) -> list[tuple]:
    (tmp_path / name).write_text(page, encoding="utf-8")
    run = provlint("check", name, "--no-cache", "--select", "TX001", "--format", "json", cwd=tmp_path)
    return [(f["line"], f["column"], f["end_line"], f["end_column"], f["severity"], f["message"])
            for f in json.loads(run.out)["findings"]]


def test_names_and_hashtags_in_camel_case_are_no_glue(tmp_path):
    # Written once each, none is a repeat the text vouches for: only the stop before
    # `Our` marks a lost break.
    assert _glued(tmp_path, "names.html", NAMES) == [
        (4, 278, 4, 287, "info", "sentences glued together at 'lower.Our': a paragraph break was lost")]


def test_a_credit_run_into_its_dateline_is_glue(tmp_path):
    # No stop between them, but a month opens the next sentence.
    assert _glued(tmp_path, "credit.html", CREDIT) == [
        (2, 43, 2, 61, "info", "sentences glued together at 'thinkstockDecember': a paragraph break was lost")]
