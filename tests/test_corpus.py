"""Every corpus case parses to exactly its expected file (cases found by themselves)."""

from __future__ import annotations

import pytest

from govreport import parse_file

from .corpus import actual, cases, expected, input_file

CASES = cases()


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def case(request):
    return request.param, parse_file(input_file(request.param))


def test_metadata_and_sections(case):
    path, report = case
    want, got = expected(path), actual(report)
    for key in (
        "template",
        "year",
        "year_source",
        "agency",
        "layout",
        "reader",
        "script",
        "sections",
    ):
        assert got[key] == want[key], key


def test_every_cell(case):
    path, report = case
    want, got = expected(path)["cells"], actual(report)["cells"]
    assert set(got) == set(want), "cell paths differ"
    wrong = {p: (got[p], want[p]) for p in want if got[p] != want[p]}
    assert not wrong, wrong


def test_unrecognised_and_findings(case):
    path, report = case
    want, got = expected(path), actual(report)
    assert got["unrecognised"] == want["unrecognised"]
    assert got["findings"] == want["findings"]


def test_every_nonempty_line_is_accounted_for(case):
    """No lost text: each non-empty line is in the model or reported unrecognised."""
    _, report = case
    held = report.source_lines() | {u.line for u in report.unrecognised}
    lines = report.original_text.split("\n")
    missing = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and n not in held]
    assert not missing
