"""Reports as JSON-ready data (the whole report, one record per cell) and as flat rows.

The flat rows (:func:`cell_rows`, :func:`finding_rows`, …) are what the database
(:mod:`govreport.batch.store`), :func:`to_dataframe` and the Dask path
(:mod:`govreport.batch.cluster`) store; their columns are the ``*_COLUMNS`` tuples here.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from govreport.document import Source
from govreport.model import Cell, Finding, Report, Row, Section, SourceLine, Table
from govreport.spec import paths

if TYPE_CHECKING:  # pragma: no cover
    import pandas

converter = cattrs.Converter()
converter.register_unstructure_hook(
    Decimal, lambda d: int(d) if d == d.to_integral_value() else float(d)
)
converter.register_unstructure_hook(enum.Enum, lambda e: e.value)
# before Cell's hook, which is generated with the hooks of its fields' types
converter.register_unstructure_hook(Source, lambda source: source_record(source))
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


def source_record(source: Source) -> dict[str, Any]:
    """A cell's :class:`~govreport.document.Source` as JSON-ready data: only the fields
    the reader set (``page`` and ``bbox`` for PDF, ``table``/``row``/``col`` for HTML and
    DOCX), ``bbox`` as a list of 4 floats."""
    record: dict[str, Any] = {}
    for name in ("line", "column", "page", "bbox", "table", "row", "col"):
        value = getattr(source, name)
        if value is not None:
            record[name] = [float(v) for v in value] if name == "bbox" else value
    return record


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
        if cell.source is not None and (source := source_record(cell.source)):
            record["source"] = source
        yield record


#: Columns of :func:`to_csv`. ``page`` and ``bbox`` are the cell's PDF page and box
#: (empty when the reader gave none); ``bbox`` is written as ``[x0, top, x1, bottom]``,
#: the way ``govreport export --to csv`` writes the database's ``cells.bbox``.
CSV_FIELDS = (
    "file", "path", "value", "state", "inferred", "line", "raw", "candidates", "page", "bbox",
)  # fmt: skip


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    """Cell records as CSV with the header :data:`CSV_FIELDS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = dict(record)
        if "candidates" in row:
            row["candidates"] = " ".join(map(candidate_text, row["candidates"]))
        source = row.pop("source", {})
        row["page"] = source.get("page")
        row["bbox"] = bbox_text(source.get("bbox"))
        writer.writerow(row)
    return out.getvalue()


def bbox_text(bbox: Iterable[float] | None) -> str | None:
    """A box as CSV text, ``[x0, top, x1, bottom]`` — as DuckDB writes a ``DOUBLE[]``."""
    return None if bbox is None else str([float(v) for v in bbox])


#: One row per cell. ``value`` is an ``int`` or a ``Decimal`` (money in 万元), ``None``
#: unless ``state`` is ``number``; ``candidates`` lists an ambiguous cell's possible
#: values as text, ``"blank"`` standing for a blank cell. Provenance beyond ``line``
#: (``None`` when the reader gave none, as for text): ``page`` and ``bbox`` (a list of
#: 4 floats, ``x0, top, x1, bottom`` in PDF points) for PDF; ``grid_table``,
#: ``grid_row``, ``grid_col`` (0-based, spans resolved) for HTML and DOCX tables.
CELL_COLUMNS = (
    "path", "table", "row", "column", "value", "state", "inferred", "candidates", "raw", "line",
    "page", "bbox", "grid_table", "grid_row", "grid_col",
)  # fmt: skip
FINDING_COLUMNS = ("code", "severity", "message", "paths", "lines", "expected", "actual")
SECTION_COLUMNS = ("number", "heading", "text", "line")
UNRECOGNISED_COLUMNS = ("line", "text", "reason")
#: A report's own fields, beside the file's hash and path and the parse status.
#: ``reader`` is ``text``, ``pdf``, ``html`` or ``docx``; ``metadata`` is
#: :attr:`Report.metadata <govreport.model.Report.metadata>` as a JSON object (text).
REPORT_COLUMNS = (
    "template", "year", "year_source", "agency", "layout", "script", "title", "reader", "metadata",
)  # fmt: skip


def candidate_text(value: object) -> str:
    """An ambiguous cell's candidate as text: ``blank`` for a blank cell."""
    return "blank" if value is None else str(value)


def cell_rows(report: Report) -> Iterator[tuple[Any, ...]]:
    """One tuple per cell, in the order of :data:`CELL_COLUMNS`."""
    for path, cell in report.cells():
        table, row, column = paths.split(path)
        source = cell.source or _NO_SOURCE
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
            source.page,
            None if source.bbox is None else [float(v) for v in source.bbox],
            source.table,
            source.row,
            source.col,
        )


_NO_SOURCE = Source()


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
    metadata = json.dumps(report.metadata, ensure_ascii=False, sort_keys=True)
    return (report.template, report.year, report.year_source, report.agency, report.layout,
            report.script, report.title, report.reader, metadata)  # fmt: skip


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
    for name in ("year", "line", "page", "grid_table", "grid_row", "grid_col"):
        frame[name] = frame[name].astype("Int64")
    return frame
