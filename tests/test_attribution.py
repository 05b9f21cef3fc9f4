"""Source attribution and provenance (issue: registry, cues, publisher/author hygiene).

Per language, a real-looking body with no attribution cue is flagged and the same
body with one cue is not; near misses (German `laut` as an adjective, a quote
credited in the next sentence) behave.
"""

from __future__ import annotations

import json

import subprocess
import sys

import pytest

from conftest import NO_NETWORK, provlint

PUBLISHER = "Sputnik France feedback.fr@sputniknews.com +74956456601 MIA „Rosiya Segodnya“ 252 60"

UNATTRIBUTED = {
    "fr": ("fr_FR", "Le pont s'est effondré lundi matin. La circulation a été déviée pendant des heures. "
           "Les réparations coûteront des millions. Les habitants sont en colère. {cue}"
           "Aucune date de réouverture n'a été fixée."),
    "en": ("en_US", "The bridge collapsed on Monday morning. Traffic was diverted for hours. "
           "The repairs will cost millions. Residents are angry about the delays. {cue}"
           "No date has been set for reopening."),
    "ru": ("ru_RU", "Мост обрушился в понедельник утром. Движение было перекрыто на несколько часов. "
           "Ремонт обойдется в миллионы. Жители недовольны задержками. {cue}"
           "Дата открытия пока не назначена."),
    "uk": ("uk_UA", "Міст обвалився в понеділок вранці. Рух був перекритий на кілька годин. "
           "Ремонт коштуватиме мільйони. Мешканці незадоволені затримками. {cue}"
           "Дату відкриття поки не призначено."),
    "de": ("de_DE", "Die Brücke ist am Montagmorgen eingestürzt. Der Verkehr wurde stundenlang umgeleitet. "
           "Die Reparatur wird Millionen kosten. Die Anwohner sind verärgert. {cue}"
           "Ein Termin für die Wiedereröffnung steht noch nicht fest."),
    "es": ("es_ES", "El puente se derrumbó el lunes por la mañana. El tráfico fue desviado durante horas. "
           "Las reparaciones costarán millones. Los vecinos están molestos. {cue}"
           "No hay fecha para la reapertura."),
}
CUES = {
    "fr": "Selon le maire, l'enquête est en cours. ",
    "en": "The inquiry is under way, the mayor said. ",
    "ru": "По словам мэра, расследование продолжается. ",
    "uk": "За словами мера, розслідування триває. ",
    "de": "Laut Polizei laufen die Ermittlungen. ",
    "es": "Según el alcalde, la investigación continúa. ",
}
VAGUE = {
    "fr": "Selon des sources, le maire démissionnera. ",
    "en": "The mayor will resign, people familiar with the matter said. ",
    "ru": "Мэр якобы уйдет в отставку. ",
    "uk": "Мер нібито піде у відставку. ",
    "de": "Berichten zufolge tritt der Bürgermeister zurück. ",
    "es": "Según fuentes municipales, el alcalde dimitirá. ",
}


def dump(locale: str, body: str) -> str:
    return f" date 2023-05 https://www.example.org/2023/05/15/bridge/\n\n{locale}\n\n{body}\n"


def rules_of(run, prefix="AT"):
    return [(f[0], f[1], f[2]) for f in run.findings() if f[1].startswith(prefix)]


@pytest.mark.parametrize("language", sorted(UNATTRIBUTED))
def test_unattributed_body_per_language(lint, language):
    locale, body = UNATTRIBUTED[language]
    run = lint(dump(locale, body.format(cue="")), "--select", "AT004")
    assert rules_of(run) == [(5, "AT004", "info")]
    assert f"({language})" in run.json()["findings"][0]["message"]
    assert rules_of(lint(dump(locale, body.format(cue=CUES[language])), "--select", "AT004")) == []


@pytest.mark.parametrize("language", sorted(UNATTRIBUTED))
def test_language_guessed_without_locale(lint, language):
    _, body = UNATTRIBUTED[language]
    text = dump("", body.format(cue="")).replace("\n\n\n\n", "\n\n")
    assert rules_of(lint(text, "--select", "AT004")) == [(3, "AT004", "info")]


@pytest.mark.parametrize("language", sorted(VAGUE))
def test_single_vague_cue_per_language(lint, language):
    locale, body = UNATTRIBUTED[language]
    run = lint(dump(locale, body.format(cue=VAGUE[language])), "--select", "AT004,AT005,AT006")
    assert rules_of(run) == [(5, "AT006", "info")]
    message = run.json()["findings"][0]["message"]
    assert f"({language})" in message


def test_vague_sourcing_as_main_sourcing(lint):
    locale, body = UNATTRIBUTED["en"]
    text = body.format(cue="Sources say the mayor will resign. The deal reportedly collapsed. ")
    assert rules_of(lint(dump(locale, text), "--select", "AT005")) == [(5, "AT005", "info")]


def test_german_laut_as_adjective_is_no_cue(lint):
    locale, body = UNATTRIBUTED["de"]
    loud = body.format(cue="Die Sirenen waren laut und die Straße voller Menschen. ")
    assert rules_of(lint(dump(locale, loud), "--select", "AT004")) == [(5, "AT004", "info")]
    credited = body.format(cue="Laut der Feuerwehr gab es keine Verletzten. ")
    assert rules_of(lint(dump(locale, credited), "--select", "AT004")) == []


def test_absence_rules_are_opt_in_or_info(lint):
    """An article without attribution cues, byline or publisher is not a defect of its
    metadata: AT004 runs only when selected (ruff's opt-in rules), AT001/AT002 are info."""
    locale, body = UNATTRIBUTED["en"]
    text = dump(locale, body.format(cue=""))
    assert rules_of(lint(text)) == [(None, "AT001", "info"), (None, "AT002", "info")]
    for selector in ("strict", "ALL", "AT004", "attribution", "unattributed-body"):
        assert (5, "AT004", "info") in rules_of(lint(text, "--select", selector)), selector
    assert rules_of(lint(text, "--select", "default")) == [(None, "AT001", "info"), (None, "AT002", "info")]


def test_explain_and_rules_name_the_selection(tmp_path):
    explained = provlint("explain", "AT004", cwd=tmp_path)
    assert "strict selection: runs only when selected" in " ".join(explained.out.split())
    assert "default selection: runs unless ignored" in " ".join(provlint("explain", "PH001", cwd=tmp_path).out.split())
    listed = {rule["id"]: rule["selection"] for rule in json.loads(provlint("rules", "--format", "json", cwd=tmp_path).out)}
    assert listed["AT004"] == listed["AT008"] == "strict"
    assert listed["PH001"] == listed["AT002"] == "default"


def test_opinion_sections_are_exempt(lint):
    locale, body = UNATTRIBUTED["fr"]
    text = dump(locale, body.format(cue="")) + "\nOpinion\n"
    assert rules_of(lint(text, "--select", "AT004")) == []


def test_quotes(lint):
    locale = "en_US"
    attributed_next = ("The markets fell sharply on Monday. “This is only the beginning of the crisis.” "
                       "That was the verdict of the central bank governor, who spoke to reporters. Banks closed early.")
    assert rules_of(lint(dump(locale, attributed_next.replace("That was the verdict of", "So said")),
                         "--select", "AT007,AT008")) == []
    unattributed = ("The markets fell sharply on Monday. Banks closed early across the region. "
                    "“This is only the beginning of the crisis.” Trading resumes on Tuesday.")
    run = lint(dump(locale, unattributed), "--select", "AT007,AT008")
    assert rules_of(run) == [(5, "AT008", "info")]
    unbalanced = "„Wir geben nicht nach, sagte der Minister. Die Gespräche laufen. Ein Ergebnis gibt es nicht."
    assert rules_of(lint(dump("de_DE", unbalanced), "--select", "AT007")) == [(5, "AT007", "info")]


def test_a_language_adds_its_own_quotation_marks(lint, tmp_path):
    body = ("Die Märkte fielen am Montag stark. Die Banken schlossen früh in der ganzen Region. "
            "»Das ist erst der Anfang der Krise.« Der Handel beginnt am Dienstag wieder.")
    assert rules_of(lint(dump("de_DE", body), "--select", "AT007,AT008")) == []
    (tmp_path / "quotes.yaml").write_text('lexicons:\n  de:\n    quotes: [["»", "«"]]\n', encoding="utf-8")
    run = lint(dump("de_DE", body), "--rules", str(tmp_path / "quotes.yaml"), "--select", "AT007,AT008")
    assert rules_of(run) == [(5, "AT008", "info")]
    assert rules_of(lint(dump("de_DE", body.replace("Krise.«", "Krise.")), "--rules", str(tmp_path / "quotes.yaml"),
                         "--select", "AT007")) == [(5, "AT007", "info")]


def test_a_sentence_ends_where_the_block_table_says(lint, tmp_path):
    """The attribution check cuts a body into sentences with the pack's `sentence_end`,
    the one blocks count with: a pack where only `!` ends a sentence has one-sentence
    bodies, too short for AT004."""
    locale, body = UNATTRIBUTED["en"]
    text = dump(locale, body.format(cue=""))
    assert rules_of(lint(text, "--select", "AT004")) == [(5, "AT004", "info")]
    (tmp_path / "ends.yaml").write_text("block_kinds: []\nsentence_end: '!'\n", encoding="utf-8")
    assert rules_of(lint(text, "--rules", str(tmp_path / "ends.yaml"), "--select", "AT004")) == []


# -- the seed ------------------------------------------------------------------------

@pytest.mark.parametrize("other, column", [
    ("Reuters https://www.reuters.com/", 9),
    ("RT France contact.fr@rt.com +74952290000", 11),
])
def test_seed_with_another_outlets_publisher(lint, seed_text, other, column):
    run = lint(seed_text.replace(PUBLISHER, other))
    assert [f for f in rules_of(run) if f[2] != "info"] == [(39, "AT003", "warning"), (51, "AT003", "warning"),
                                                             (59, "AT003", "warning")]
    first = next(f for f in run.json()["findings"] if f["rule"] == "AT003")
    assert first["column"] == column and "sputniknews.com (Sputnik)" in first["message"]


def test_mirror_site(lint, seed_text):
    text = seed_text.replace("https://fr.sputniknews.com/", "https://fr.sputnik-mirror.net/")
    run = lint(text, "--select", "PV")
    assert [(f[0], f[1]) for f in run.findings()] == [(39, "PV002"), (51, "PV002"), (59, "PV002")]


def test_user_registry_entry(lint, tmp_path, seed_text):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - domain: example.org\n    names: [Example News]\n    flags:\n"
        "      watchlist:\n        label: on our watch list\n        source: 'internal memo 2023-01'\n",
        encoding="utf-8")
    run = lint(" date 2023-05 https://news.example.org/a\n\nExample News https://example.org/\n",
               "--rules", str(tmp_path / "sources.yaml"), "--select", "PV001")
    assert [f["message"] for f in run.json()["findings"]] == [
        "Example News (example.org): on our watch list (internal memo 2023-01)"]


def test_bylines(lint):
    text = (" date 2021-05 https://www.foxnews.com/x\n\nFox News https://www.foxnews.com/\n\n"
            "Fox News Staff\n\nhttps://twitter.com/jdoe https://cdn.example.com/avatar.jpg\n")
    run = lint(text, "--select", "AT009,AT010,AT011")
    assert rules_of(run) == [(5, "AT010", "info"), (7, "AT009", "warning"), (7, "AT011", "info")]


def test_no_network_guard_is_active(tmp_path):
    code = "import socket\ntry:\n    socket.socket().connect(('192.0.2.1', 80))\nexcept OSError as e:\n    print(e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(NO_NETWORK)}).stdout
    assert "network disabled" in out


@pytest.mark.parametrize("language", sorted(VAGUE))
def test_cue_kinds_are_the_kinds_of_the_cues_found(language):
    """The per-body set match that spares the cue searches says whether there is a cue at
    all and a vague one exactly as the search finds them; a reporting cue it sees may be
    inside a vague one, which the search does not count."""
    from provlint.ruleset import load_ruleset

    lexicon = load_ruleset().lexicons.languages[language]
    _, body = UNATTRIBUTED[language]
    for cue in ("", CUES[language], VAGUE[language], CUES[language] + VAGUE[language]):
        text = body.format(cue=cue)
        kinds, found = lexicon.cue_kinds(text), {cue.kind for cue in lexicon.find(text)}
        assert (bool(kinds), "vague" in kinds) == (bool(found), "vague" in found), cue
        assert kinds >= found, cue


def test_a_look_around_cue_the_set_cannot_screen_is_still_found(lint, tmp_path):
    """A user's `re:` cue with look-around runs on the `regex` fallback, outside the RE2
    set: it is searched for on its own, and counts as a vague cue and as a cue at all."""
    (tmp_path / "cues.yaml").write_text('lexicons:\n  en:\n    vague: ["re: (?<=\\\\. )(?P<cue>Whispers have it)"]\n',
                                        encoding="utf-8")
    locale, body = UNATTRIBUTED["en"]
    text = dump(locale, body.format(cue="Whispers have it that the mayor will resign. "))
    assert rules_of(lint(text, "--select", "AT004,AT005,AT006")) == [(5, "AT004", "info")]
    run = lint(text, "--rules", str(tmp_path / "cues.yaml"), "--select", "AT004,AT005,AT006")
    assert rules_of(run) == [(5, "AT006", "info")]
    assert "'Whispers have it'" in run.json()["findings"][0]["message"]
