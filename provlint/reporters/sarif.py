"""`sarif`: SARIF 2.1.0 as GitHub code scanning accepts it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from provlint.model import Finding
from provlint.escaping import json_text
from provlint.reporters import Report, relative

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HOME = "https://github.com/provlint/provlint"


def _rule(rule) -> dict:
    description = rule.description.strip()
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": description},
        "help": {"text": description, "markdown": f"**{rule.id} {rule.name}** ({rule.category})\n\n{description}"},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.category], "precision": "high"},
    }


def _uri(path: str) -> str:
    """Relative to the current folder, as code scanning expects."""
    return relative(path)


def _region(line: int | None, column: int | None, end_line: int | None, end_column: int | None) -> dict:
    region = {"startLine": line or 1}
    if column:
        region["startColumn"] = column
    if end_line:
        region["endLine"] = end_line
    if end_column and end_line:
        region["endColumn"] = max(end_column, 1)
    return region


def _result(finding: Finding, index: dict[str, int], suppressed: bool) -> dict:
    region = _region(finding.line, finding.column, finding.end_line, finding.end_column)
    uri = _uri(finding.file_path)
    location: dict = {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                                           "region": region}}
    if finding.record:  # the record of a JSON or JSONL file, by its JSON pointer
        location["logicalLocations"] = [{"name": finding.record.lstrip("#"), "fullyQualifiedName": uri + finding.record,
                                         "kind": "object"}]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"primaryLocationLineHash": finding.fingerprint},
    }
    if finding.related or finding.others:
        artifact = {"uri": _uri(finding.file_path), "uriBaseId": "%SRCROOT%"}
        places = [(artifact, place[:4], place[4]) for place in finding.related]
        # Places in other files (the original of a laundered copy): each its own artifact.
        places += [({"uri": _uri(place[0]), "uriBaseId": "%SRCROOT%"}, place[1:5], place[5]) for place in finding.others]
        result["relatedLocations"] = [
            {"id": number, "physicalLocation": {"artifactLocation": where, "region": _region(*region)},
             "message": {"text": text}}
            for number, (where, region, text) in enumerate(places, start=1)]
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if suppressed:
        result["suppressions"] = [{"kind": "external", "justification": "in the provlint baseline"}]
    return result


# Where the results go in the document: each is written as it is made, not gathered into
# one list (a million findings would make a million dicts at once).
_RESULTS = "provlint: the results"


def _document(report: Report, rules: list[dict]) -> dict:
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "provlint", "version": report.version, "informationUri": HOME,
                                "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "results": [_RESULTS],
        }],
    }


def report(result: Report, stream: TextIO) -> None:
    """The same bytes as the whole document indented by 2, written result by result."""
    rules = [_rule(rule) for rule in sorted(result.rules, key=lambda r: r.id)]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    before, after = json_text(_document(result, rules), indent=2, floats=False).split(json_text(_RESULTS), 1)
    head, tail = before.rstrip(), after.lstrip()
    indent, closing = before[len(head):], after[: len(after) - len(tail)]
    stream.write(head)
    separator = ""
    for findings, suppressed in ((result.findings, False), (result.suppressed, True)):
        for finding in findings:
            stream.write((separator or indent) + json_text(_result(finding, index, suppressed), indent=2,
                                                           floats=False).replace("\n", indent))
            separator = "," + indent
    stream.write((closing if separator else "") + tail + "\n")
