"""Writing reports back out: round trips, and the run-together rendering of every seed."""

from __future__ import annotations

import pytest

from govreport import CellState, parse, parse_file
from govreport.serialise import WRITERS, dumps

from .corpus import cases

EXACT_LAYOUTS = [name for name in WRITERS if name != "run-together"]


def _writable(case):
    report = parse_file(case / "input.txt")
    if any(c.state is CellState.AMBIGUOUS for _, c in report.cells()):
        pytest.skip("a report with ambiguous cells cannot be written out")
    return report


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize("layout", EXACT_LAYOUTS)
@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_round_trip(case, layout, script):
    report = _writable(case)
    if report.layout == "run-together":
        pytest.skip("values read from runs are inferred; see the run-together test")
    text = dumps(report, layout, script)
    again = parse(text)
    assert again == report
    assert again.layout == layout
    assert again.script == script


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_every_seed_rendered_run_together_gives_its_values_or_ambiguity(case):
    report = _writable(case)
    try:
        text = dumps(report, "run-together")
    except ValueError:
        pytest.skip("signed or unit values cannot be written run together")
    again = parse(text)
    assert again.layout == "run-together"
    for path, cell in report.cells():
        got = again.cell(path)
        truth = cell.value if cell.state is CellState.NUMBER else None
        if got.state is CellState.AMBIGUOUS:
            assert truth in got.candidates, path
        else:
            assert (got.state, got.value) == (cell.state, cell.value), path


def test_unknown_layout_and_script():
    report = parse_file(cases()[0] / "input.txt")
    with pytest.raises(ValueError, match="no writer"):
        dumps(report, "nonsense")
    with pytest.raises(ValueError, match="script"):
        dumps(report, "pipe", "klingon")
