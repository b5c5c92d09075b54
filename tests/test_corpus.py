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


def _plain(value):
    return value["value"] if isinstance(value, dict) and "inferred" in value else value


def test_every_cell(case):
    path, report = case
    data = expected(path)
    want, got = data["cells"], actual(report)["cells"]
    if "known_failure" in data:
        # a shape not read yet: what is read must still be right, never a wrong value
        wrong = {
            p: (got[p], want.get(p))
            for p in got
            if not isinstance(got[p], dict) or "ambiguous" not in got[p]
            if _plain(got[p]) != _plain(want.get(p))
        }
        assert not wrong, wrong
        missing = sorted(set(want) - set(got))
        if missing:
            pytest.xfail(f"{len(missing)} cells not read: {data['known_failure']}")
        pytest.fail(f"every cell is read now: remove known_failure from {path.name}")
    assert set(got) == set(want), "cell paths differ"
    wrong = {p: (got[p], want[p]) for p in want if got[p] != want[p]}
    assert not wrong, wrong


def test_unrecognised_and_findings(case):
    path, report = case
    want, got = expected(path), actual(report)
    if "known_failure" in want:
        pytest.xfail(want["known_failure"])
    assert got["unrecognised"] == want["unrecognised"]
    assert got["findings"] == want["findings"]


def test_every_nonempty_line_is_accounted_for(case):
    """No lost text: each non-empty line is in the model or reported unrecognised."""
    _, report = case
    held = report.source_lines() | {u.line for u in report.unrecognised}
    lines = report.original_text.split("\n")
    missing = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and n not in held]
    assert not missing
