"""Every case of the validation corpus gives exactly its expected codes, paths and severities."""

import json

import pytest
from conftest import CORPUS

from amplify_auth_widgets import validate


@pytest.mark.parametrize("case_file", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_case(case_file):
    case = json.loads(case_file.read_text())
    findings = validate(case["request"], case["operation"])
    got_errors = sorted([f.code, f.path] for f in findings if f.severity == "error")
    got_warnings = sorted([f.code, f.path] for f in findings if f.severity == "warning")
    assert got_errors == sorted(case["errors"])
    assert got_warnings == sorted(case["warnings"])
    for finding in findings:
        assert finding.message and finding.message[-1] in ".?)", finding


def test_corpus_is_present():
    assert len(CORPUS) >= 21
