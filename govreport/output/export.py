"""Reports as JSON-ready data (the whole report, one record per cell) and as flat rows.

The flat rows (:func:`cell_rows`, :func:`finding_rows`, …) are what the database
(:mod:`govreport.batch.store`), :func:`to_dataframe` and the Dask path
(:mod:`govreport.batch.cluster`) store; their columns are the ``*_COLUMNS`` tuples here.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from govreport.model import Cell, Finding, Report, Row, Section, SourceLine, Table
from govreport.spec import paths

if TYPE_CHECKING:  # pragma: no cover
    import pandas

converter = cattrs.Converter()
converter.register_unstructure_hook(
    Decimal, lambda d: int(d) if d == d.to_integral_value() else float(d)
)
converter.register_unstructure_hook(enum.Enum, lambda e: e.value)
converter.register_unstructure_hook(
    Cell,
    make_dict_unstructure_fn(
        Cell,
        converter,
        _cattrs_omit_if_default=True,
        state=override(omit_if_default=False),
        value=override(omit_if_default=False),
    ),
)
converter.register_unstructure_hook(
    Row, make_dict_unstructure_fn(Row, converter, key=override(omit=True))
)
converter.register_unstructure_hook(
    Table, make_dict_unstructure_fn(Table, converter, key=override(omit=True))
)
converter.register_unstructure_hook(
    Section,
    make_dict_unstructure_fn(Section, converter, text_lines=override(omit=True)),
)
for _cls in (Finding, SourceLine):
    converter.register_unstructure_hook(
        _cls, make_dict_unstructure_fn(_cls, converter, _cattrs_omit_if_default=True)
    )
converter.register_unstructure_hook(
    Report,
    make_dict_unstructure_fn(
        Report,
        converter,
        original_text=override(omit=True),
        title_lines=override(omit=True),
        preamble_lines=override(omit=True),
    ),
)


def to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data (``--format json``)."""
    return converter.unstructure(report)


def cell_records(report: Report, file: str | None = None) -> Iterator[dict[str, Any]]:
    """One JSON-ready record per cell (``--format cells``)."""
    for path, cell in report.cells():
        record: dict[str, Any] = {}
        if file is not None:
            record["file"] = file
        record.update(
            path=path,
            value=converter.unstructure(cell.value),
            state=cell.state.value,
            inferred=cell.inferred,
            line=cell.line,
            raw=cell.raw,
        )
        if cell.candidates:
            record["candidates"] = converter.unstructure(cell.candidates)
        yield record


CSV_FIELDS = ("file", "path", "value", "state", "inferred", "line", "raw", "candidates")


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    """Cell records as CSV with the header :data:`CSV_FIELDS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = dict(record)
        if "candidates" in row:
            row["candidates"] = " ".join(map(candidate_text, row["candidates"]))
        writer.writerow(row)
    return out.getvalue()


#: One row per cell. ``value`` is an ``int`` or a ``Decimal`` (money in 万元), ``None``
#: unless ``state`` is ``number``; ``candidates`` lists an ambiguous cell's possible
#: values as text, ``"blank"`` standing for a blank cell.
CELL_COLUMNS = (
    "path", "table", "row", "column", "value", "state", "inferred", "candidates", "raw", "line",
)  # fmt: skip
FINDING_COLUMNS = ("code", "severity", "message", "paths", "lines", "expected", "actual")
SECTION_COLUMNS = ("number", "heading", "text", "line")
UNRECOGNISED_COLUMNS = ("line", "text", "reason")
#: A report's own fields, beside the file's hash and path and the parse status.
REPORT_COLUMNS = ("template", "year", "year_source", "agency", "layout", "script", "title")


def candidate_text(value: object) -> str:
    """An ambiguous cell's candidate as text: ``blank`` for a blank cell."""
    return "blank" if value is None else str(value)


def cell_rows(report: Report) -> Iterator[tuple[Any, ...]]:
    """One tuple per cell, in the order of :data:`CELL_COLUMNS`."""
    for path, cell in report.cells():
        table, row, column = paths.split(path)
        yield (
            path,
            table,
            row,
            column,
            cell.value,
            cell.state.value,
            cell.inferred,
            [candidate_text(v) for v in cell.candidates],
            cell.raw,
            cell.line,
        )


def finding_rows(report: Report) -> Iterator[tuple[Any, ...]]:
    """One tuple per finding, in the order of :data:`FINDING_COLUMNS`."""
    for f in report.findings:
        yield (f.code, f.severity.value, f.message, list(f.paths), list(f.lines), f.expected,
               f.actual)  # fmt: skip


def section_rows(report: Report) -> Iterator[tuple[Any, ...]]:
    """One tuple per section, in the order of :data:`SECTION_COLUMNS`."""
    for s in report.sections:
        yield (s.number, s.heading, s.text, s.line)


def unrecognised_rows(report: Report) -> Iterator[tuple[Any, ...]]:
    """One tuple per unrecognised input line, in the order of :data:`UNRECOGNISED_COLUMNS`."""
    for u in report.unrecognised:
        yield (u.line, u.text, u.reason)


def report_row(report: Report) -> tuple[Any, ...]:
    """The report's own fields, in the order of :data:`REPORT_COLUMNS`."""
    return (report.template, report.year, report.year_source, report.agency, report.layout,
            report.script, report.title)  # fmt: skip


def to_dataframe(reports: Iterable[Report]) -> pandas.DataFrame:
    """The cells of ``reports`` as a pandas DataFrame, one row per cell.

    Columns: ``report`` (the position of the report in ``reports``), the report's
    :data:`REPORT_COLUMNS`, then :data:`CELL_COLUMNS`. ``value`` is a nullable float
    (``<NA>`` unless ``state`` is ``number`` — a blank is never 0). Needs pandas:
    ``pip install 'govreport[pandas]'``.
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("to_dataframe needs pandas: pip install 'govreport[pandas]'") from None
    rows = [
        (index, *report_row(report), *cell)
        for index, report in enumerate(reports)
        for cell in cell_rows(report)
    ]
    columns = ["report", *REPORT_COLUMNS, *CELL_COLUMNS]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["value"] = pd.array(
        [None if v is None else float(v) for v in frame["value"]], dtype="Float64"
    )
    frame["year"] = frame["year"].astype("Int64")
    frame["line"] = frame["line"].astype("Int64")
    return frame
