"""The source registry as shipped (rules/sources/): every file against the schema, every
flag cited, every Annex XV outlet with its act, application date and citation (or saying
why not), the network lists as their CSVs make them, and how documents meet them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, provlint
from provlint.ruleset import load_ruleset

SOURCES = REPO / "rules" / "sources"
FILES = sorted(SOURCES.glob("*.yaml"))
PROVENANCE = REPO.parent / "shared" / "provenance"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Annex XV of Regulation (EU) No 833/2014, wave by wave, as each act lists the outlets.
ANNEX_XV = {
    "Council Regulation (EU) 2022/350": ["RT - Russia Today English, RT - Russia Today UK, RT - Russia Today Germany, "
                                         "RT - Russia Today France, RT - Russia Today Spanish", "Sputnik"],
    "Council Regulation (EU) 2022/879": ["Rossiya RTR / RTR Planeta", "Rossiya 24 / Russia 24",
                                         "Rossiya RTR / RTR Planeta, Rossiya 24 / Russia 24 (streamed on smotrim.ru)",
                                         "TV Centre International"],
    "Council Regulation (EU) 2022/2474": ["NTV/NTV Mir", "Rossiya 1", "REN TV", "Pervyi Kanal"],
    "Council Regulation (EU) 2023/427": ["RT Arabic", "Sputnik Arabic"],
    "Council Regulation (EU) 2023/1214": ["RT Balkan", "Oriental Review", "Tsargrad", "New Eastern Outlook", "Katehon"],
    "Council Regulation (EU) 2024/1428": ["Voice of Europe", "RIA Novosti", "Izvestia", "Rossiyskaya Gazeta"],
    "Council Regulation (EU) 2025/395": ["EADaily / Eurasia Daily", "Fondsk", "Lenta", "NewsFront", "RuBaltic",
                                        "SouthFront", "Strategic Culture Foundation", "Krasnaya Zvezda / Tvzvezda"],
}


def _entries() -> list[tuple[str, dict]]:
    return [(path.name, entry) for path in FILES
            for entry in yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)["sources"]]


def _keys(entry: dict) -> list[str]:
    return entry.get("hosts") or [entry["domain"], *entry.get("aliases", [])]


@pytest.fixture(scope="module")
def registry():
    return load_ruleset(validate_builtin=True).sources


def test_every_shipped_registry_file_validates_against_the_schema():
    schema = json.loads((REPO / "schemas" / "sources.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert [path.name for path in FILES] == ["doppelganger.yaml", "laundromat.yaml", "russian-state-media.yaml"]
    for path in FILES:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path.name


def test_every_entry_has_flags_and_every_flag_a_source(registry):
    for name, entry in _entries():
        domain = entry["domain"]
        host = _keys(entry)[0]
        source = registry.lookup(domain, host[: -len(domain) - 1] if host != domain else "")
        assert source is not None and source.flags, (name, host)
        for key, flag in source.flags.items():
            assert flag["source"].strip(), (name, host, key)
            if entry.get("network"):
                rows = entry.get("rows") or [entry["row"]]
                assert "(commit " in flag["source"] and str(rows[0]) in flag["source"], (name, host, key)


def test_every_annex_xv_entry_has_act_application_date_and_citation_or_says_why_not():
    listed: dict[str, list[str]] = {}
    for name, entry in _entries():
        if entry.get("verified") is False:
            assert entry.get("note"), (name, entry["domain"])
        for key, flag in entry.get("flags", {}).items():
            if flag.get("verified") is False:
                assert flag.get("note"), (name, entry["domain"], key)
        ban = entry.get("flags", {}).get("eu-broadcast-ban")
        if ban is None:
            continue
        listed.setdefault(ban["act"], []).append(ban["listed_as"])
        assert ban["adopted"] and ban["citation"].startswith("https://eur-lex.europa.eu/eli/reg/"), entry["domain"]
        assert ban.get("applied") or (ban.get("verified") is False and ban.get("note")), entry["domain"]
        if ban.get("applied"):
            assert ban["applied"] >= ban["adopted"], entry["domain"]
    assert {act: sorted(outlets) for act, outlets in listed.items()} == \
        {act: sorted(outlets) for act, outlets in ANNEX_XV.items()}


def test_domains_and_hosts_are_unique_across_shipped_files():
    seen: dict[str, str] = {}
    for name, entry in _entries():
        for key in _keys(entry):
            assert key not in seen, f"{key} in {name} and {seen[key]}"
            seen[key] = name


@pytest.mark.skipif(not PROVENANCE.is_dir(), reason="the public lists are not next to the checkout")
def test_network_files_are_what_the_import_script_makes_of_the_lists(tmp_path):
    subprocess.run([sys.executable, str(REPO / "tools" / "import_networks.py"), str(PROVENANCE), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("doppelganger.yaml", "laundromat.yaml"):
        assert (tmp_path / name).read_bytes() == (SOURCES / name).read_bytes(), name


def test_the_licence_notices_ship_with_the_lists():
    notices = {p.name: p.read_text(encoding="utf-8") for p in (SOURCES / "LICENSES").iterdir()}
    assert "Copyright (c) Meta Platforms, Inc. and its affiliates" in notices["meta-threat-research.txt"]
    assert "Copyright (c) 2023 Peter Benzoni, Alicia Bargar, Gaurika K. Chaturvedi" in \
        notices["asd-disinfo-laundromat.txt"]
    for name in ("doppelganger.yaml", "laundromat.yaml"):
        about = json.loads((SOURCES / name).read_text(encoding="utf-8"))["about"]
        assert any("rules/sources/LICENSES/" in line for line in about), name


def _messages(run) -> list[tuple[str, int, str, str]]:
    return [(Path(f["path"]).name, f["line"], f["rule"], f["message"]) for f in run.json()["findings"]]


def _dump(tmp_path: Path, name: str, url: str) -> str:
    path = tmp_path / name
    path.write_text(f" date 2024-07 {url}\n\nA headline for the page\n", encoding="utf-8")
    return str(path)


def test_network_rows_and_host_entries_flag_their_documents_only(tmp_path):
    files = [_dump(tmp_path, "spoof.txt", "https://welt.pm/politik/x.html"),
             _dump(tmp_path, "arabic.txt", "https://arabic.rt.com/world/1/"),
             _dump(tmp_path, "mirror.txt", "https://robertodominguez-64426.medium.com/x"),
             _dump(tmp_path, "medium.txt", "https://someone-else.medium.com/x"),
             _dump(tmp_path, "youtube.txt", "https://www.youtube.com/watch?v=x"),
             _dump(tmp_path, "pravda.txt", "https://pravda-fr.com/x")]
    run = provlint("check", *files, "--select", "PV001", "--format", "json", "--no-cache", cwd=tmp_path)
    assert run.code == 0  # PV001 is info
    assert sorted(_messages(run)) == [
        ("arabic.txt", 1, "PV001", "RT Arabic (rt.com): EU broadcast ban (Council Regulation (EU) 2023/427; not fully "
         "verified); state-affiliated media (Council Regulation (EU) 2023/427); US foreign mission since 2024-09-04 "
         "(State Department, Foreign Missions Act); US sanctions since 2024-09-13 (State Department, Executive "
         "Order 14024)"),
        ("mirror.txt", 1, "PV001", "robertodominguez-64426.medium.com (medium.com): RT mirror or repost site (ASD "
         "Information Laundromat, sites_of_concern.csv (commit 6c82e3f), row 5013: source 'RT Mirror/Repost')"),
        ("pravda.txt", 1, "PV001", "pravda-fr.com (pravda-fr.com): Portal Kombat (Pravda network) site (ASD "
         "Information Laundromat, sites_of_concern.csv (commit 6c82e3f), row 5201: source 'Viginum (Portal Kombat)')"),
        ("spoof.txt", 1, "PV001", "welt.pm (welt.pm): Doppelganger spoof of a news or government site (Meta threat "
         "research indicators, Q2_2023_Doppelganger_Russia_based_CIB_network.csv (commit a1b05bf), rows 83, 200, "
         "6485: 0.6.2 Acquiring domains to support influence operations: 'Domains spoofing news or government "
         "sites')"),
    ]


def test_a_user_entry_replaces_a_built_in_network_row_and_old_flag_keys_still_count(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "sources:\n  - domain: welt.pm\n    names: [Welt parody]\n    flags:\n"
        "      eu_broadcast_ban:\n        label: banned\n        source: 'our memo'\n"
        "      watchlist:\n        label: on our watch list\n        source: 'internal memo 2024-01'\n",
        encoding="utf-8")
    (tmp_path / "rule.yaml").write_text("extends: PV001\nflags: [eu-broadcast-ban]\n", encoding="utf-8")
    dump = _dump(tmp_path, "spoof.txt", "https://welt.pm/politik/x.html")
    run = provlint("check", dump, "--rules", "mine.yaml", "--rules", "rule.yaml", "--select", "PV001",
                   "--format", "json", "--no-cache", cwd=tmp_path)
    assert _messages(run) == [("spoof.txt", 1, "PV001", "Welt parody (welt.pm): banned (our memo)")]


def test_an_entry_naming_an_unknown_network_is_a_rule_error(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "sources:\n  - domain: example.org\n    names: [Example]\n    flags: {watch: {source: memo}}\n"
        "  - domain: example.net\n    network: nope\n    role: site\n    row: 3\n", encoding="utf-8")
    dump = _dump(tmp_path, "x.txt", "https://example.net/x")
    run = provlint("check", dump, "--rules", "mine.yaml", cwd=tmp_path)
    assert run.code == 2
    assert "mine.yaml:5:5: unknown network 'nope': define it under `networks:` first" in run.err


def test_the_readme_example_of_a_user_list_works(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = next(block for block in readme.split("```yaml\n")[1:] if "example-mirror.net" in block)
    (tmp_path / "mine.yaml").write_text(example.split("```")[0], encoding="utf-8")
    files = [_dump(tmp_path, "blog.txt", "https://mirror-of-rt.blogspot.com/2025/03/x.html"),
             _dump(tmp_path, "other-blog.txt", "https://someone.blogspot.com/2025/03/x.html"),
             _dump(tmp_path, "mirror.txt", "https://www.example-mirror.net/x")]
    run = provlint("check", *files, "--rules", "mine.yaml", "--select", "PV001", "--format", "json", "--no-cache",
                   cwd=tmp_path)
    assert sorted(_messages(run)) == [
        ("blog.txt", 1, "PV001", "Mirror of RT (blogspot.com): laundering network (our review of 2025-03-02)"),
        ("mirror.txt", 1, "PV001", "Example Mirror (example-mirror.net): republishes RT without credit "
         "(our review of 2025-03-01, ticket 42)"),
    ]
