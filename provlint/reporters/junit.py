"""`junit`: JUnit XML; one testsuite per file, one failing testcase per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from provlint.escaping import visible
from provlint.reporters import Report


def report(result: Report, stream: TextIO) -> None:
    # Every text from the input goes through `visible`: XML 1.0 cannot hold control
    # characters at all, and CI pages show these messages to people.
    root = ET.Element("testsuites", name="provlint", tests="0", failures=str(len(result.findings)))
    by_path: dict[str, list] = {}
    for finding in result.findings:
        by_path.setdefault(finding.file_path, []).append(finding)
    total = 0
    for path in sorted(set(result.files) | set(by_path)):
        findings = by_path.get(path, [])
        shown = visible(path)
        suite = ET.SubElement(root, "testsuite", name=shown, tests=str(max(1, len(findings))),
                              failures=str(len(findings)), errors="0")
        if not findings:
            ET.SubElement(suite, "testcase", name="provlint", classname=shown)
        for finding in findings:
            rule, message = visible(finding.rule), visible(finding.message)
            case = ET.SubElement(suite, "testcase", name=f"{rule} line {finding.line or '-'}",
                                 classname=visible(finding.path))
            failure = ET.SubElement(case, "failure", message=message, type=finding.severity)
            failure.text = f"{shown}:{finding.line or '-'}:{finding.column or '-'}: {rule} {message}"
        total += max(1, len(findings))
    root.set("tests", str(total))
    ET.indent(root)
    stream.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
