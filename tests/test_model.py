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


def test_the_database_rows_of_cells_name_each_cell_by_its_path_and_its_parts():
    from govreport.output.export import CELL_COLUMNS, cell_rows

    report = parse(SEED_000)
    rows = [dict(zip(CELL_COLUMNS, r, strict=True)) for r in cell_rows(report)]
    assert [r["path"] for r in rows] == [p for p, _ in report.cells()]
    for r in rows:
        assert paths.split(r["path"]) == (r["table"], r["row"], r["column"])
    new = next(r for r in rows if r["path"] == "applications/new_received/total")
    assert (new["table"], new["row"], new["column"], new["value"]) == (
        "applications",
        "new_received",
        "total",
        8,
    )
