"""Per-document provenance rules: PV003 (the page's own URLs name a registered outlet
elsewhere), PV004 (a credit to a registered outlet), PV005 (a look-alike domain) and
PH006 (text-generator artefacts). Dumps and pages are written here; the look-alike rule is
measured on Meta's Doppelganger spoof domains and on the domains real pages link to."""

from __future__ import annotations

import json
import re

import pytest
import re2
import yaml

from conftest import FIXTURES, REPO, provlint

from provlint.checks.credit import folded

PROVENANCE = FIXTURES / "provenance"
HEADER = " date 2024-07 https://www.news-today.example.org/world/x.html\n\n"


def found(run, rule: str) -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["message"]) for f in run.json()["findings"] if f["rule"] == rule]


def listed(path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def check_domains(tmp_path, domains: list[str]) -> dict[str, str]:
    """PV005 over one JSONL record per domain: {domain: message} of those it reports."""
    records = tmp_path / "domains.jsonl"
    records.write_text("".join(json.dumps({"url": f"https://www.{domain}/2024/07/01/article.html",
                                           "title": "A headline for the page"}) + "\n" for domain in domains),
                       encoding="utf-8")
    run = provlint("check", records, "--select", "PV005", "--format", "json", cwd=tmp_path)
    return {domains[f["line"] - 1]: f["message"] for f in run.json()["findings"]}


# -- PV005 look-alike domains ----------------------------------------------------------

def test_lookalike_finds_the_doppelganger_clones_of_listed_brands(tmp_path):
    """Meta's 199 spoofing rows: every clone of a listed brand is found (114, 57%); the
    others are the operation's own brands (`artichoc.cc`), government sites (`bund.pe`)
    and brands left out for generic names (`zeit.cx`, `geo.frl`)."""
    spoofs = [line.split()[0].replace("[.]", ".") for line in listed(PROVENANCE / "meta-doppelganger-spoofs.txt")]
    brands = yaml.safe_load((REPO / "rules" / "brands" / "cloned-brands.yaml").read_text(encoding="utf-8"))["brands"]
    clones = {clone.replace("[.]", ".") for brand in brands for clone in brand["clones"]}
    reported = check_domains(tmp_path, spoofs)
    assert len(spoofs) == 199
    assert set(reported) == clones
    assert sum(spoof in reported for spoof in spoofs) == 114  # rows; welt.pm is listed twice
    assert reported["bildd.lol"] == "bildd.lol looks like Bild (bild.de): its name with a letter added"
    assert reported["blld.live"] == "blld.live looks like Bild (bild.de): its name with a letter changed"
    assert reported["washingtonpost.pm"] == ("washingtonpost.pm looks like The Washington Post (washingtonpost.com): "
                                             "its name under another suffix")
    assert reported["bild.eu.com"] == "bild.eu.com looks like Bild (bild.de): its name under another suffix"
    assert reported["20minuts.com"] == "20minuts.com looks like 20 Minutes (20minutes.fr): its name with a letter dropped"


def test_lookalike_is_silent_on_the_domains_real_pages_link_to(tmp_path):
    domains = listed(PROVENANCE / "real-domains.txt")
    assert len(domains) >= 1000
    assert check_domains(tmp_path, domains) == {}


@pytest.mark.parametrize("domain, message", [
    ("spiegel.ltd", "spiegel.ltd looks like Der Spiegel (spiegel.de): its name under another suffix"),
    ("fox-news.in", "fox-news.in looks like Fox News (foxnews.com): its name under another suffix"),
    ("fazz.lol", "fazz.lol looks like Frankfurter Allgemeine Zeitung (faz.net): its name with a letter added"),
    ("spiegelr.life", "spiegelr.life looks like Der Spiegel (spiegel.de): its name with a letter added"),
    ("t-onlinl.live", "t-onlinl.live looks like t-online (t-online.de): its name with a letter changed"),
    ("lemodne.fr", None),  # two letters swapped inside a seven-letter name: another word as often as not
    ("theguardian.co.com", "theguardian.co.com looks like The Guardian (theguardian.com): its name under another suffix"),
    ("belt.com", None), ("build.com", None), ("weld.de", None),  # one edit from welt and bild: short names
    ("lemonade.com", None),  # one letter inside `lemonde`
    ("30minutes.fr", None),  # a digit for a digit
    ("guardian.ng", None), ("zeit.co", None), ("ria.com", None),
    ("spiegel.de", None), ("www.faz.net", None), ("delfi.lv", None),  # the brands' own domains and aliases
])
def test_lookalike_guards(tmp_path, domain, message):
    assert check_domains(tmp_path, [domain]).get(domain) == message


def test_lookalike_publisher_of_a_brand_on_another_domain(lint):
    run = lint(" date 2023-06 https://news.example.org/x.html\n\nDER SPIEGEL https://www.spiegel.de/\n",
               "--select", "PV005")
    assert found(run, "PV005") == [(3, 1, "example.org looks like Der Spiegel (spiegel.de): "
                                          "the publisher 'DER SPIEGEL' is theirs")]
    # On the spoof domain itself, the domain is the finding, not the publisher too.
    run = lint(" date 2023-06 https://spiegel.ltd/x.html\n\nDER SPIEGEL https://www.spiegel.ltd/\n", "--select", "PV005")
    assert [(line, message) for line, _, message in found(run, "PV005")] == [
        (1, "spiegel.ltd looks like Der Spiegel (spiegel.de): its name under another suffix")]


def test_a_users_brands_file_adds_brands(lint, tmp_path):
    (tmp_path / "brands.yaml").write_text(
        "brands:\n  - domain: dagbladet.no\n    names: [Dagbladet]\n    source: 'our own list, 2024-05'\n",
        encoding="utf-8")
    run = lint(" date 2024-05 https://dagbladet.click/x.html\n", "--rules", str(tmp_path / "brands.yaml"),
               "--select", "PV005")
    assert found(run, "PV005") == [(1, 15, "dagbladet.click looks like Dagbladet (dagbladet.no): "
                                           "its name under another suffix")]


def test_a_brands_entry_without_its_citation_is_a_rule_error(lint, tmp_path):
    (tmp_path / "brands.yaml").write_text("brands:\n  - domain: dagbladet.no\n    names: [Dagbladet]\n",
                                          encoding="utf-8")
    run = lint(" date 2024-05 https://dagbladet.click/x.html\n", "--rules", str(tmp_path / "brands.yaml"))
    assert run.code == 2
    assert re.search(r"brands\.yaml:2:5: brands/0: 'source' is required$", run.err, re.MULTILINE), run.err


# -- PV004 credits ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("MOSCOW, July 1 (RIA Novosti) - The foreign ministry said on Monday that the talks would resume.",
     [(3, 1, "'MOSCOW, July 1 (RIA Novosti) -' credits RIA Novosti (ria.ru) on a page of example.org")]),
    ("МОСКВА, 1 июля. /ТАСС/. Переговоры возобновятся осенью.", []),  # TASS is not in the registry
    ("The ministry said the talks would resume, RT reported. Officials declined to comment on the date.",
     [(3, 43, "'RT reported' credits RT (rt.com) on a page of example.org")]),
    ("Les négociations reprendront à l'automne, selon Sputnik. La date n'est pas fixée.",
     [(3, 43, "'selon Sputnik' credits Sputnik (sputniknews.com) on a page of example.org")]),
    ("Переговоры возобновятся осенью, сообщает РИА Новости. Дата не названа.",
     [(3, 33, "'сообщает РИА Новости' credits RIA Novosti (ria.ru) on a page of example.org")]),
    ("The talks will resume in the autumn, the ministry said on Monday. No date was set. Both sides agreed. "
     "– RIA Novosti",
     [(3, 103, "'– RIA Novosti' credits RIA Novosti (ria.ru) on a page of example.org")]),
    # `Россия` is the country before it is a channel (ignore_names); `Россия 24` is the channel.
    ("Переговоры продолжатся осенью, сообщает Россия. Так заявила Россия в понедельник. Об этом передает Россия 24.",
     [(3, 91, "'передает Россия 24' credits Rossiya 24 (vesti.ru) on a page of example.org")]),
    # A section of a shared domain is an outlet of its own (arabic.rt.com).
    ("The talks will resume in the autumn, according to RT Arabic. No date was set. Both sides agreed on it.",
     [(3, 38, "'according to RT Arabic' credits RT Arabic (rt.com) on a page of example.org")]),
    # A cue's words in any case RE2's `(?i)` takes for them (`ſ` is a long `s`).
    ("The talks will resume in the autumn, ACCORDING TO RT. No date was set.",
     [(3, 38, "'ACCORDING TO RT' credits RT (rt.com) on a page of example.org")]),
    ("Les négociations reprendront à l'automne, ſelon Sputnik. La date n'est pas fixée.",
     [(3, 43, "'ſelon Sputnik' credits Sputnik (sputniknews.com) on a page of example.org")]),
    ("Переговоры возобновятся осенью, СООБЩАЕТ РИА Новости. Дата не названа.",
     [(3, 33, "'СООБЩАЕТ РИА Новости' credits RIA Novosti (ria.ru) on a page of example.org")]),
    # Stories about the outlets credit nothing.
    ("The European Union banned RT and Sputnik in March 2022, and RIA Novosti in June 2024.", []),
    ("The EU banned two channels — RT.", []),
    ("Then, on Oct. 4, 1957, the Soviet Union launched Sputnik and helped ignite the space race.", []),
    ("According to Sputnik V developers, the vaccine works. Sputnik Light reported fewer side effects.", []),
    ("RT-PCR tests reported a fall in cases. rt reported nothing.", []),
])
def test_credits(lint, text, expected):
    assert found(lint(HEADER + text + "\n", "--select", "PV004"), "PV004") == expected


def test_characters_re2_folds_alike_are_folded_alike():
    """A cue is tried only on a block whose folded text holds its folded words: every
    character RE2's `(?i)` takes for a cased character must fold as it does."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    cased = [char for char in every if len({char, char.lower(), char.upper(), char.title(), char.casefold()}) > 1]
    taken = set(re2.findall(re2.compile("(?i:[" + "".join(re2.escape(char) for char in cased) + "])"), every))
    assert taken == set(cased)  # RE2 takes no other character for a cased one
    haystack = "".join(cased)
    for char in cased:
        for other in re2.findall(re2.compile("(?i:" + re2.escape(char) + ")"), haystack):
            assert folded(other) == folded(char), (char, other)


def test_a_name_inside_another_name_is_no_credit(lint, tmp_path):
    """A registered name that ends another outlet's name, or a word, credits nothing."""
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - domain: pravda.example\n    names: [Pravda]\n", encoding="utf-8")
    text = ("Ukrainska Pravda reported the strike on Monday. ART reported record visitors. "
            "The figures were confirmed, according to Pravda. Officials declined to comment.")
    run = lint(HEADER + text + "\n", "--rules", str(tmp_path / "sources.yaml"), "--select", "PV004")
    assert found(run, "PV004") == [(3, 107, "'according to Pravda' credits Pravda (pravda.example) "
                                            "on a page of example.org")]


def test_no_credit_on_the_outlets_own_or_a_sister_outlets_domain(lint):
    credit = "МОСКВА, 1 июл — РИА Новости. Переговоры возобновятся осенью, заявили в министерстве.\n"
    assert found(lint(" date 2024-07 https://ria.ru/20240701/x.html\n\n" + credit, "--select", "PV004"), "PV004") == []
    # Sputnik and RIA Novosti are both Rossiya Segodnya's.
    assert found(lint(" date 2024-07 https://sputniknews.com/x.html\n\n" + credit, "--select", "PV004"), "PV004") == []
    # Without a URL, the page's domain is unknown: nothing to compare with.
    assert found(lint(credit, "--select", "PV004"), "PV004") == []


# -- PV003 canonical and source links ---------------------------------------------------

def test_canonical_of_a_registered_outlet_on_another_domain(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        '<link rel="canonical" href="https://www.rt.com/news/600000-talks/">\n'
        '<meta property="og:url" content="https://world-news-daily.example.net/2024/07/talks">\n'
        "<title>Talks to resume in the autumn</title>\n</head>\n<body><article><p>Text.</p></article></body>\n</html>\n",
        encoding="utf-8")
    run = provlint("check", page, "--select", "PV003", "--format", "json", cwd=tmp_path)
    assert found(run, "PV003") == [(4, 29, "link canonical 'https://www.rt.com/news/600000-talks/' names RT (rt.com), "
                                           "but the page is on example.net: a copy of the outlet's article?")]
    page.write_text(page.read_text(encoding="utf-8").replace("world-news-daily.example.net", "www.rt.com"),
                    encoding="utf-8")
    assert found(provlint("check", page, "--select", "PV003", "--format", "json", cwd=tmp_path), "PV003") == []


@pytest.mark.parametrize("text, expected", [
    ("https://ria.ru/20240701/x.html",
     [(3, 1, "link 'https://ria.ru/20240701/x.html' names RIA Novosti (ria.ru), but the page is on example.org: "
             "a copy of the outlet's article?")]),
    ("Die Gespräche werden im Herbst fortgesetzt, hieß es am Montag im Ministerium. Quelle: https://de.rt.com/x/.",
     [(3, 87, "source link 'https://de.rt.com/x/' names RT (rt.com), but the page is on example.org: "
              "a copy of the outlet's article?")]),
    ("https://www.lemonde.fr/international/x.html", []),
    ("The talks resume in the autumn. Source: https://www.reuters.com/world/x/", []),
])
def test_links_naming_a_registered_outlet(lint, text, expected):
    assert found(lint(HEADER + text + "\n", "--select", "PV003"), "PV003") == expected


def test_an_outlets_own_links_are_no_copy(lint):
    run = lint(" date 2022-02 https://fr.sputniknews.com/20220221/x.html\n\nhttps://sputniknews.com/20220221/x.html\n",
               "--select", "PV003")
    assert found(run, "PV003") == []


# -- PH006 text-generator artefacts ---------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Certainly! Here's a rewritten version of the article. The council met on Tuesday.",
     [(3, 1, "text-generator artefact \"Certainly! Here's\" in the body")]),
    ("The council met on Tuesday to vote on the budget. Please note that this rewrite aims to keep the meaning.",
     [(3, 51, "text-generator artefact 'Please note that this rewrite' in the description")]),
    ("Der Rat tagte am Dienstag. Als KI-Sprachmodell kann ich keine aktuellen Daten abrufen. Die Sitzung endete.",
     [(3, 28, "text-generator artefact 'Als KI-Sprachmodell kann ich' in the body")]),
    ("En tant que modèle de langage, je ne peux pas accéder à internet. Le conseil s'est réuni mardi.",
     [(3, 1, "text-generator artefact 'En tant que modèle de langage, je' in the description")]),
    ("¡Claro! Aquí tienes el artículo reescrito. El consejo se reunió el martes.",
     [(3, 1, "text-generator artefact '¡Claro! Aquí tienes' in the description")]),
    ("Как языковая модель ИИ, я не могу давать советы. Совет собрался во вторник.",
     [(3, 1, "text-generator artefact 'Как языковая модель ИИ, я' in the description")]),
    # Quoted, or not opening a sentence, or about a model rather than by one: a story.
    ("Asked about the vote, the chatbot replied: \"As an AI language model, I cannot take sides.\" Critics laughed.", []),
    ("The bot's answer began «Certainly! Here's the rewritten text», the report said.", []),
    ("Asked again, the chatbot replied 'As an AI language model, I cannot take sides.' Critics laughed.", []),
    ("The reply read: «Fine. As an AI language model, I cannot take sides.» Critics laughed at it.", []),
    ("As an AI language model, ChatGPT is trained on text from the web. The study was published on Monday.", []),
    ("The mayor said here is a rewritten version of the plan, and the council agreed on Tuesday.", []),
])
def test_generator_artefacts(lint, text, expected):
    assert found(lint(HEADER + text + "\n", "--select", "PH006"), "PH006") == expected


def test_artefacts_in_the_body_keep_it_a_body(lint):
    """PH006 reads body blocks; the block stays a body (not a placeholder block)."""
    body = ("The council met on Tuesday to vote on the budget for next year, and the motion passed narrowly. " * 5
            + "Please note that this rewrite aims to keep the original meaning while improving readability.")
    run = lint(HEADER + body + "\n", "--select", "PH006")
    assert [(line, message) for line, _, message in found(run, "PH006")] == [
        (3, "text-generator artefact 'Please note that this rewrite' in the body")]
