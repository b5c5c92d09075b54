"""The report model's access to cells: paths, absent rows, errors that say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreport import parse
from govreport.spec import paths

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_000 = (CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt").read_text("utf-8")


def test_get_and_cell():
    report = parse(SEED_000)
    assert report.get("applications/new_received/total").value == 8
    assert report.cell("applications/new_received/total").value == 8
    # a path of the data dictionary that this report has no row for
    assert report.get("applications/results.other/total") is None
    with pytest.raises(KeyError, match=r"results\.other/total.*data dictionary"):
        report.cell("applications/results.other/total")


def test_a_path_that_is_no_path_names_itself():
    report = parse(SEED_000)
    with pytest.raises(ValueError, match="'nonsense' is not a cell path"):
        report.cell("nonsense")
    with pytest.raises(ValueError, match="not a cell path"):
        report.get("applications//total")


def test_paths_round_trip():
    path = paths.join("applications", "results.total", "natural_person")
    assert path == "applications/results.total/natural_person"
    assert paths.split(path) == ("applications", "results.total", "natural_person")
    assert str(paths.split(path)) == path
    assert paths.table_of(path) == "applications"


def test_cells_by_part_are_the_cells_by_path():
    report = parse(SEED_000)
    by_part = [(paths.join(t, r, c), cell) for t, r, c, cell in report.cells_by_part()]
    assert by_part == list(report.cells())
    assert len(by_part) > 100
    assert by_part[0][0] == "active_disclosure/art20_1.regulations/issued"
