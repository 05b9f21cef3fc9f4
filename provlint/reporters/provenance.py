"""`provenance`: the provenance findings gathered per outlet and per operator network, as
tables for people (`provenance-json` writes the same as JSON): for each outlet, its
flagged documents, the mirrors that claim it and the copies of its articles on other
domains; for each shared operator id, the domains and pages that carry it; the bursts.
Built from the values the findings were made with (`Finding.values`), never from their
messages."""

from __future__ import annotations

from typing import Any, TextIO

from rich.table import Table
from rich.text import Text

from provlint.escaping import visible
from provlint.reporters import Report, closing_line, relative


def summary(result: Report) -> dict[str, Any]:
    """Outlets (by registered domain), networks (by operator id) and bursts, sorted."""
    outlets: dict[str, dict[str, Any]] = {}
    networks: dict[str, dict[str, Any]] = {}
    bursts: list[dict[str, Any]] = []

    def outlet(domain: str) -> dict[str, Any]:
        return outlets.setdefault(domain, {"domain": domain, "outlet": "", "flags": "", "documents": [],
                                           "mirrors": [], "copies": []})

    for finding in result.findings:
        values = dict(finding.values)
        check = values.get("check", "")
        path = relative(finding.path)
        if check == "domain flagged":
            entry = outlet(values["domain"])
            entry["outlet"] = entry["outlet"] or values["outlet"]
            entry["flags"] = entry["flags"] or values["flags"]
            entry["documents"].append(path)
        elif check == "domain mirror":
            entry = outlet(values["other"])
            entry["outlet"] = entry["outlet"] or values["outlet"]
            entry["mirrors"].append({"path": path, "domain": values["domain"]})
        elif check == "corpus copies":
            entry = outlet(values["domain"])
            entry["copies"].append({"path": path, "domain": values["site"], "original": relative(values["original"]),
                                    "credit": values["credit"]})
        elif check == "corpus operator":
            network = networks.setdefault(values["value"], {"id": values["value"], "kind": values["kind"],
                                                            "domains": set(), "documents": []})
            network["domains"].update([values["domain"], *values["others"].split(", ")])
            network["documents"].append(path)
        elif check == "corpus burst":
            bursts.append({"domain": values["domain"], "documents": int(values["count"]), "start": values["start"],
                           "end": values["end"], "path": path})
    return {
        "outlets": [outlets[domain] for domain in sorted(outlets)],
        "networks": [{**network, "domains": sorted(network["domains"])}
                     for _, network in sorted(networks.items())],
        "bursts": bursts,
    }


def report(result: Report, stream: TextIO) -> None:
    from provlint.reporters.full import DEFAULT_WIDTH, Console, output_width

    width = output_width(stream)
    console = Console(file=stream, force_terminal=result.color, no_color=not result.color, highlight=False,
                      soft_wrap=width is None, width=width or DEFAULT_WIDTH)
    found = summary(result)
    if found["outlets"]:
        table = _table("Outlets", ("domain", "outlet", "flags", "documents", "mirrors", "copies", "copied on"))
        for entry in found["outlets"]:
            copied_on = sorted({copy["domain"] for copy in entry["copies"]})
            table.add_row(*_cells(entry["domain"], entry["outlet"], entry["flags"], str(len(entry["documents"])),
                                  str(len(entry["mirrors"])), str(len(entry["copies"])), ", ".join(copied_on)))
        console.print(table)
        console.print()
    copies = [(entry["domain"], copy) for entry in found["outlets"] for copy in entry["copies"]]
    if copies:
        table = _table("Copies", ("original", "copy", "on", "credit"))
        for _, copy in copies:
            table.add_row(*_cells(copy["original"], copy["path"], copy["domain"], copy["credit"]))
        console.print(table)
        console.print()
    if found["networks"]:
        table = _table("Shared operator ids", ("id", "kind", "domains", "pages"))
        for network in found["networks"]:
            table.add_row(*_cells(network["id"], network["kind"], ", ".join(network["domains"]),
                                  str(len(network["documents"]))))
        console.print(table)
        console.print()
    if found["bursts"]:
        table = _table("Publishing bursts", ("domain", "documents", "from", "to"))
        for burst in found["bursts"]:
            table.add_row(*_cells(burst["domain"], str(burst["documents"]), burst["start"], burst["end"]))
        console.print(table)
        console.print()
    if not any(found.values()):
        console.print(Text("No provenance findings."))
    console.print(Text(closing_line(result)))


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, show_edge=False, title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in ("documents", "mirrors", "copies", "pages") else "left",
                         overflow="fold")
    return table


def _cells(*texts: str) -> list[Text]:
    """Input text as rich `Text`, never parsed as markup."""
    return [Text(visible(text)) for text in texts]
