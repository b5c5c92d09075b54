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
from govreport.model import Cell, CellState, Finding, Report, Row, Section, SourceLine, Table
from govreport.spec import paths

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import pyarrow

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


#: One row per cell. A number is in ``value`` when it is whole (a count: an ``int``)
#: and in ``amount`` otherwise (a ``Decimal``: money in 万元, or a count printed with a
#: fraction, which finding S5 flags); both are ``None`` unless ``state`` is ``number``
#: — a blank is never 0. ``candidates`` lists an ambiguous cell's possible values as
#: text, ``"blank"`` standing for a blank cell (``None`` for a cell that is not
#: ambiguous; empty when there were too many readings to list). Provenance beyond
#: ``line`` (``None`` when the reader gave none, as for text): ``page`` and ``bbox`` (a
#: list of 4 floats, ``x0, top, x1, bottom`` in PDF points) for PDF; ``grid_table``,
#: ``grid_row``, ``grid_col`` (0-based, spans resolved) for HTML and DOCX tables.
CELL_COLUMNS = (
    "path", "table", "row", "column", "value", "amount", "state", "inferred", "candidates",
    "raw", "line", "page", "bbox", "grid_table", "grid_row", "grid_col",
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


#: Columns of :func:`to_csv`: the file, then :data:`CELL_COLUMNS` — the columns of the
#: database's ``cells`` (``govreport export --to csv`` writes ``report``, the content's
#: hash, where this has ``file``), written the same way.
CSV_FIELDS = ("file", *CELL_COLUMNS)


def to_csv(reports: Iterable[tuple[str | None, Report]]) -> str:
    """The cells of each ``(file, report)`` as CSV with the header :data:`CSV_FIELDS`,
    written as ``govreport export --to csv`` writes ``cells.csv``: ``true``/``false``,
    lists as ``[a, b]`` (candidates: ``[1, blank]``), a box as ``[x0, top, x1,
    bottom]``, money without trailing zeros, empty for none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for file, report in reports:
        for row in cell_rows(report):
            writer.writerow([csv_text(file), *map(csv_text, row)])
    return out.getvalue()


def csv_text(value: object) -> str:
    """A value as CSV text, the way DuckDB writes it: empty for None, ``true``/``false``,
    a list as ``[a, b]``, a decimal without trailing zeros (``0.5``, ``12``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def decimal_text(value: Decimal) -> str:
    """A decimal written without an exponent and without trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def candidate_text(value: object) -> str:
    """An ambiguous cell's candidate as text: ``blank`` for a blank cell."""
    return "blank" if value is None else str(value)


def cell_rows(report: Report) -> Iterator[tuple[Any, ...]]:
    """One tuple per cell, in the order of `CELL_COLUMNS`."""
    for table, row, column, cell in report.cells_by_part():
        path = paths.join(table, row, column)
        source = cell.source or _NO_SOURCE
        whole = isinstance(cell.value, int)
        yield (
            path,
            table,
            row,
            column,
            cell.value if whole else None,
            None if whole or cell.value is None else Decimal(cell.value),
            cell.state.value,
            cell.inferred,
            [candidate_text(v) for v in cell.candidates]
            if cell.state is CellState.AMBIGUOUS
            else None,
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


#: The Arrow type of each column of :func:`to_arrow` (and of the database's tables).
ARROW_TYPES: dict[str, str] = {
    "report": "int32", "year": "int32", "value": "int64", "amount": "decimal128(38, 10)",
    "inferred": "bool", "candidates": "list<string>", "line": "int32", "page": "int32",
    "bbox": "list<double>", "grid_table": "int32", "grid_row": "int32", "grid_col": "int32",
}  # fmt: skip
#: Columns of :func:`to_arrow` and :func:`to_dataframe`: the report's position in the
#: reports given, its :data:`REPORT_COLUMNS`, then :data:`CELL_COLUMNS`.
LONG_COLUMNS = ("report", *REPORT_COLUMNS, *CELL_COLUMNS)


def arrow_type(name: str) -> pyarrow.DataType:
    """The Arrow type of a column of :data:`LONG_COLUMNS` (text unless
    :data:`ARROW_TYPES` says otherwise)."""
    import pyarrow as pa

    kind = ARROW_TYPES.get(name, "string")
    simple = {"int32": pa.int32(), "int64": pa.int64(), "bool": pa.bool_(), "string": pa.string()}
    if kind in simple:
        return simple[kind]
    if kind.startswith("decimal128"):
        return pa.decimal128(38, 10)
    return pa.list_(pa.string() if kind == "list<string>" else pa.float64())


def to_arrow(reports: Iterable[Report]) -> pyarrow.Table:
    """The cells of ``reports`` as an Arrow table in long form, one row per cell.

    Columns: :data:`LONG_COLUMNS` — ``report`` (the report's position in
    ``reports``), the report's fields, then the cell's path (``table``, ``row``,
    ``column``), ``value`` (``int64``: a whole number — every count), ``amount``
    (``decimal128(38, 10)``: money in 万元, exact), ``state``, ``inferred``,
    ``candidates`` and its provenance (``raw``, ``line``, ``page``, ``bbox``,
    ``grid_*``). ``value`` and ``amount`` are null unless ``state`` is ``number``: a
    blank is never 0. The types are those of the database's ``cells``
    (`govreport.batch.store`). Needs pyarrow: ``pip install 'govreport[pandas]'``.
    """
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("to_arrow needs pyarrow: pip install 'govreport[pandas]'") from None
    rows = [
        (index, *report_row(report), *cell)
        for index, report in enumerate(reports)
        for cell in cell_rows(report)
    ]
    data = list(zip(*rows, strict=True)) if rows else [()] * len(LONG_COLUMNS)
    return pa.table(
        {
            name: pa.array(values, arrow_type(name))
            for name, values in zip(LONG_COLUMNS, data, strict=True)
        }
    )


def to_dataframe(reports: Iterable[Report]) -> pandas.DataFrame:
    """The cells of ``reports`` as a pandas DataFrame, one row per cell: the columns of
    :func:`to_arrow`, with pandas' nullable types.

    ``value``, ``year``, ``line``, ``page`` and ``grid_*`` are ``Int64`` (``<NA>`` where
    there is none — ``value`` is ``<NA>`` unless the cell holds a whole number: a blank
    is never 0); ``amount`` is exact (``decimal128(38, 10)`` through Arrow, giving
    ``Decimal`` values); ``inferred`` is ``boolean``; ``candidates`` and ``bbox`` are
    lists or ``None``; text columns are ``string``. Needs pandas and pyarrow:
    ``pip install 'govreport[pandas]'``.
    """
    try:
        import pandas as pd
        import pyarrow as pa
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "to_dataframe needs pandas and pyarrow: pip install 'govreport[pandas]'"
        ) from None
    mapping = {
        pa.int32(): pd.Int64Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.string(): pd.StringDtype(),
        pa.decimal128(38, 10): pd.ArrowDtype(pa.decimal128(38, 10)),
    }
    frame = to_arrow(reports).to_pandas(types_mapper=mapping.get)
    for name in ("candidates", "bbox"):
        frame[name] = [None if v is None else list(v) for v in frame[name]]
    return frame
