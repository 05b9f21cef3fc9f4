"""`junit`: JUnit XML; one testsuite per file, one testcase per finding. Only findings
at or above --fail-on are failures; a lower one is a passing testcase that carries the
finding in system-out, so a green run shows no failed test in CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from provlint.escaping import visible
from provlint.model import SEVERITY_RANK
from provlint.reporters import Report


def report(result: Report, stream: TextIO) -> None:
    # Every text from the input goes through `visible`: XML 1.0 cannot hold control
    # characters at all, and CI pages show these messages to people.
    threshold = SEVERITY_RANK[result.fail_on]
    root = ET.Element("testsuites", name="provlint", tests="0", failures="0")
    by_path: dict[str, list] = {}
    for finding in result.findings:
        by_path.setdefault(finding.file_path, []).append(finding)
    total = failed = 0
    for path in sorted(set(result.files) | set(by_path)):
        findings = by_path.get(path, [])
        shown = visible(path)
        failing = sum(SEVERITY_RANK[f.severity] >= threshold for f in findings)
        suite = ET.SubElement(root, "testsuite", name=shown, tests=str(max(1, len(findings))),
                              failures=str(failing), errors="0")
        if not findings:
            ET.SubElement(suite, "testcase", name="provlint", classname=shown)
        names: dict[str, int] = {}
        for finding in findings:
            rule, message, where = visible(finding.rule), visible(finding.message), visible(finding.path)
            # Unique within the suite: CI tools merge or drop test cases of the same name. A finding
            # without a line is about the file: named by its path (a record's finding has its place).
            name = f"{rule} {finding.line}:{finding.column or '-'}" if finding.line else f"{rule} {where}"
            names[name] = names.get(name, 0) + 1
            if names[name] > 1:
                name += f" #{names[name]}"
            case = ET.SubElement(suite, "testcase", name=name, classname=where)
            text = f"{shown}:{finding.line or '-'}:{finding.column or '-'}: {rule} {message}"
            if SEVERITY_RANK[finding.severity] >= threshold:
                ET.SubElement(case, "failure", message=message, type=finding.severity).text = text
            else:
                ET.SubElement(case, "system-out").text = text
        total += max(1, len(findings))
        failed += failing
    root.set("tests", str(total))
    root.set("failures", str(failed))
    ET.indent(root)
    stream.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
