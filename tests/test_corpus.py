"""The labelled sample corpus (../shared/corpus): every defect found, no false alarm.

The same rules are judged on dumps nobody here has seen, so this is a check, not the
target; the other tests use dumps of their own.
"""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS, provlint

pytestmark = pytest.mark.skipif(not (CORPUS / "labels.json").is_file(), reason="shared corpus not present")


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("corpus")
    run = provlint("check", CORPUS, "--format", "json", cwd=cwd)
    assert run.code in (0, 1)
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    by_file: dict[str, list[dict]] = {}
    for finding in run.json()["findings"]:
        key = finding["path"].replace("\\", "/").split("corpus/", 1)[-1]
        by_file.setdefault(key, []).append(finding)
    return labels, by_file


def hits(finding, defect):
    if finding["category"] != defect["category"]:
        return False
    if finding["line"] is None:
        return True
    ranges = [defect["lines"]] + defect.get("alt_lines", [])
    return any(start - 1 <= finding["line"] <= end + 1 for start, end in ranges)


def test_every_labelled_defect_is_found(corpus_run):
    labels, by_file = corpus_run
    missed = [(path, defect["kind"]) for path, label in labels.items() for defect in label["defects"]
              if not any(hits(f, defect) for f in by_file.get(path, []))]
    assert missed == []


def test_controls_have_no_error_or_warning(corpus_run):
    labels, by_file = corpus_run
    alarms = [(path, f["line"], f["rule"]) for path, label in labels.items() if label["group"].startswith("control")
              for f in by_file.get(path, []) if f["severity"] in ("error", "warning")]
    assert alarms == []
