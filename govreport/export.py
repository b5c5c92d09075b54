"""Reports as JSON-ready data: the whole report, or one record per cell."""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from .model import Cell, Finding, Report, Row, Section, SourceLine, Table

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
            row["candidates"] = " ".join(
                "blank" if v is None else str(v) for v in row["candidates"]
            )
        writer.writerow(row)
    return out.getvalue()
