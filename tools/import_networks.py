"""Make the network registry files (rules/sources/doppelganger.yaml, laundromat.yaml) from
the public CSV lists in ../shared/provenance/ (see its README), each row citing its source.

    python tools/import_networks.py [PROVENANCE_DIR] [--out rules/sources]

Decisions, from the lists' own words:
- Meta's Doppelganger indicators: technique 0.6 rows described "Domains spoofing news or
  government sites" are `impersonation`; 0.6 rows described "Operation's websites and
  brands" (the operation's own outlets) and 9.5.3 "Using redirect domains" rows are
  `laundering-network`. 7.5 rows are accounts and posts on platforms (reddit.com,
  pinterest.com, medium.com): not the operation's domains, so not imported. Registration
  dates are month first (the file has 02-16-2023 and none with a first field over 12).
- ASD's Information Laundromat: only rows whose source is a named investigation
  ("Viginum (Portal Kombat)", "RT Mirror/Repost", "Intel/Suspected") are imported, as
  `laundering-network` with the row's source as it is. EuVsDisinfo, Wikidata, Wikipedia,
  Pink Slime and NewsGuard rows are not designations (the list holds youtube.com and
  mainstream outlets merely cited) and are left out.
- A row for a host below its registered domain (rt.netblogpro.com, x.medium.com) becomes a
  `hosts:` entry: the rest of the domain is not flagged. Rows that are IP addresses have
  no domain to match and are left out. Domains the hand-written Annex XV file already
  lists (news-front.info) keep that entry: the legal act is the stronger citation.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from provlint.readers.fields import registered_domain  # noqa: E402 (the same offline suffix list as provlint)

META_CSV = "meta-threat-research/Q2_2023_Doppelganger_Russia_based_CIB_network.csv"
ASD_CSV = "asd-disinfo-laundromat/sites_of_concern.csv"
CURATED = ROOT / "rules" / "sources" / "russian-state-media.yaml"
MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                      "September", "October", "November", "December"], 1)}

META_NETWORK = {
    "name": "Doppelganger",
    "list": "Meta threat research indicators, Q2_2023_Doppelganger_Russia_based_CIB_network.csv",
    "url": ("https://github.com/facebook/threat-research/blob/a1b05bf/indicators/csv/Q2_2023%20/"
            "Q2_2023_Doppelganger_Russia_based_CIB_network.csv"),
    "commit": "a1b05bf",
    "licence": "MIT, Copyright (c) Meta Platforms, Inc. and its affiliates (rules/sources/LICENSES/meta-threat-research.txt)",
    "roles": {
        "spoof": {"flag": "impersonation", "label": "Doppelganger spoof of a news or government site",
                  "description": "0.6.2 Acquiring domains to support influence operations: "
                                 "'Domains spoofing news or government sites'"},
        "brand": {"flag": "laundering-network", "label": "Doppelganger website or brand",
                  "description": "0.6.2 Acquiring domains to support influence operations: "
                                 "'Operation\u2019s websites and brands'"},
        "redirect": {"flag": "laundering-network", "label": "Doppelganger redirect domain",
                     "description": "9.5.3 Using redirect domains"},
    },
}
ASD_COMMON = {
    "list": "ASD Information Laundromat, sites_of_concern.csv",
    "url": "https://github.com/ASD-at-GMF/disinfo-laundromat/blob/6c82e3f/sites_of_concern.csv",
    "commit": "6c82e3f",
    "licence": ("MIT, Copyright (c) 2023 Peter Benzoni, Alicia Bargar, Gaurika K. Chaturvedi "
                "(rules/sources/LICENSES/asd-disinfo-laundromat.txt)"),
}
ASD_NETWORKS = {
    "Viginum (Portal Kombat)": ("portal-kombat", {
        "name": "Portal Kombat (Pravda network)", **ASD_COMMON,
        "roles": {"site": {"flag": "laundering-network", "label": "Portal Kombat (Pravda network) site",
                           "description": "source 'Viginum (Portal Kombat)'"}}}),
    "RT Mirror/Repost": ("rt-mirrors", {
        "name": "RT mirrors and reposts", **ASD_COMMON,
        "roles": {"site": {"flag": "laundering-network", "label": "RT mirror or repost site",
                           "description": "source 'RT Mirror/Repost'"}}}),
    "Intel/Suspected": ("intel-suspected", {
        "name": "Intel/Suspected", **ASD_COMMON,
        "roles": {"site": {"flag": "laundering-network", "label": "suspected state-linked site (Intel/Suspected)",
                           "description": "source 'Intel/Suspected'"}}}),
}


def _curated_keys() -> set[str]:
    data = yaml.safe_load(CURATED.read_text(encoding="utf-8"))
    keys: set[str] = set()
    for entry in data["sources"]:
        keys.update(entry.get("hosts") or [entry["domain"], *entry.get("aliases", [])])
    return keys


def _site(host: str) -> tuple[str, str] | None:
    """(registered domain, host or "" when the host is the domain itself); None for IPs."""
    host = host.strip().strip(".").lower()
    if re.fullmatch(r"[0-9.]+", host):
        return None
    domain, subdomain, _ = registered_domain(host)
    if not domain:
        return None
    return domain, "" if subdomain in ("", "www") else host.removeprefix("www.")


def _meta_date(text: str) -> str | None:
    text = text.strip()
    if found := re.fullmatch(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})", text):
        month, day, year = (int(g) for g in found.groups())
    elif found := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month, day = (int(g) for g in found.groups())
    elif found := re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", text):
        day, month, year = int(found[1]), MONTHS[found[2]], int(found[3])
    else:
        return None  # "n/a"
    return date(year, month, day).isoformat()


def _write(path: Path, about: list[str], networks: dict, entries: list[dict]) -> None:
    """JSON, one entry a line: it is YAML too, and provlint parses it some fifty times faster
    than the same list written in YAML's block style (JSON has no comments: `about` says
    what the file is, the licence is in each network and in rules/sources/LICENSES/)."""
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)
    lines = ["{", '  "about": [']
    lines += [f"    {dump(line)}," for line in about[:-1]] + [f"    {dump(about[-1])}", "  ],"]
    lines.append(f'  "networks": {json.dumps(networks, ensure_ascii=False, indent=2)[:-1].replace(chr(10), chr(10) + "  ")}  }},')
    lines.append('  "sources": [')
    lines += [f"    {dump(e)}," for e in entries[:-1]] + [f"    {dump(entries[-1])}", "  ]", "}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _merge(entries: dict[str, dict], key: str, entry: dict) -> None:
    """The first row of a domain makes its entry; later rows add their row numbers."""
    if key not in entries:
        entries[key] = entry
        return
    first = entries[key]
    rows = first.pop("rows", None) or [first.pop("row")]
    first["rows"] = [*rows, entry["row"]]


def import_meta(source_dir: Path, curated: set[str]) -> tuple[list[dict], list[str]]:
    entries: dict[str, dict] = {}
    skipped: list[str] = []
    with open(source_dir / META_CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    dates = [re.search(r"Registration date: *([^,]*)", r["Comments"]) for r in rows]
    numeric = [m[1] for m in dates if m and re.fullmatch(r"\d{1,2}[-/]\d{1,2}[-/]\d{4}", m[1].strip())]
    assert all(int(re.split(r"[-/]", d)[0]) <= 12 for d in numeric), "registration dates are not month first"
    for number, row in enumerate(rows, start=2):
        technique, indicator = row["Technique"], row["Indicator"].strip()
        if not indicator:
            continue
        if technique.startswith("7.5"):
            skipped.append(f"row {number}: {indicator} (7.5: a platform account or post)")
            continue
        found = re.fullmatch(r"(\S+?)(?: \((.*)\))?", indicator.replace("[.]", "."))
        assert found, indicator
        site = _site(found[1])
        if site is None:
            skipped.append(f"row {number}: {indicator} (no registered domain)")
            continue
        domain, host = site
        comments = row["Comments"]
        role = "redirect" if technique.startswith("9.5") else "brand" if "websites and brands" in comments else "spoof"
        entry: dict = {"domain": domain, **({"hosts": [host]} if host else {}),
                       "network": "doppelganger", "role": role, "row": number}
        if registered := re.search(r"Registration date: *([^,]*)", comments):
            day = _meta_date(registered[1])
            if day:
                entry["registered"] = day
        if target := re.search(r"Country likely targeted: *([^\"]*)", comments):
            entry["target"] = target[1].strip()
        if found[2]:
            entry["note"] = found[2]
        key = host or domain
        if key in curated:
            skipped.append(f"row {number}: {indicator} (listed in russian-state-media.yaml)")
            continue
        _merge(entries, key, entry)
    return list(entries.values()), skipped


def import_asd(source_dir: Path, curated: set[str]) -> tuple[list[dict], list[str]]:
    entries: dict[str, dict] = {}
    skipped: list[str] = []
    with open(source_dir / ASD_CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if row["Source"] not in ASD_NETWORKS:
            continue
        network = ASD_NETWORKS[row["Source"]][0]
        url = row["Domain"].strip().rstrip(",").strip()
        location = urlsplit(url if "//" in url else "//" + url)
        site = _site(location.hostname or "")
        if site is None:
            skipped.append(f"row {number}: {url} (an IP address: no domain to match)")
            continue
        domain, host = site
        key = host or domain
        if key in curated:
            skipped.append(f"row {number}: {url} (listed in russian-state-media.yaml)")
            continue
        entry: dict = {"domain": domain, **({"hosts": [host]} if host else {}),
                       "network": network, "role": "site", "row": number}
        if location.path.strip("/"):
            entry["note"] = f"listed as {url}"
        if row["Name"].strip():
            entry["names"] = [row["Name"].strip()]
        _merge(entries, key, entry)
    return list(entries.values()), skipped


def _header(title: str, licence_file: str, explanation: str, skipped: list[str]) -> list[str]:
    lines = [title, "Generated by tools/import_networks.py: do not edit by hand, re-run it.",
             f"Licence: MIT; the notice is in rules/sources/LICENSES/{licence_file}."]
    lines += explanation.splitlines()
    if skipped:
        lines.append(f"Rows not imported ({len(skipped)}):")
        lines += [f"  {line}" for line in skipped]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("provenance", nargs="?", default=str(ROOT.parent / "shared" / "provenance"))
    parser.add_argument("--out", default=str(ROOT / "rules" / "sources"))
    args = parser.parse_args(argv)
    source_dir, out = Path(args.provenance), Path(args.out)
    curated = _curated_keys()

    meta, meta_skipped = import_meta(source_dir, curated)
    platform_rows = sum(1 for line in meta_skipped if "(7.5:" in line)
    other_skipped = [line for line in meta_skipped if "(7.5:" not in line]
    _write(out / "doppelganger.yaml", _header(
        "Doppelganger: domains of the Russia-based influence operation, from Meta's threat research.",
        "meta-threat-research.txt",
        "Each entry cites its row of the list. role: spoof (impersonation: the list's 'Domains spoofing\n"
        "news or government sites', with registration date and targeted country), brand (the\n"
        "operation's own websites and brands) and redirect (9.5.3 redirect domains) are\n"
        "laundering-network. A domain on several rows lists them all (`rows`); its role is its first row's.\n"
        f"Not imported: {platform_rows} rows of technique 7.5 (accounts and posts on reddit.com,\n"
        "pinterest.com, tumblr.com, medium.com: platforms, not the operation's domains).",
        other_skipped), {"doppelganger": META_NETWORK}, meta)

    asd, asd_skipped = import_asd(source_dir, curated)
    _write(out / "laundromat.yaml", _header(
        "Information Laundromat sites of concern (Alliance for Securing Democracy): the named investigations.",
        "asd-disinfo-laundromat.txt",
        "Only rows whose source is 'Viginum (Portal Kombat)', 'RT Mirror/Repost' or 'Intel/Suspected'\n"
        "are imported, each citing its row and carrying its source as it is. Rows listed only by\n"
        "EuVsDisinfo, Wikidata, Wikipedia, Pink Slime or NewsGuard are not designations and are left out.\n"
        "A row on a host below a shared domain (x.medium.com) is a `hosts:` entry: the rest of the\n"
        "domain is not flagged.",
        asd_skipped), dict(ASD_NETWORKS.values()), asd)
    print(f"doppelganger.yaml: {len(meta)} entries; laundromat.yaml: {len(asd)} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
