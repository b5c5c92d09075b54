"""A parse outcome as the batch database's rows, without DuckDB or pyarrow.

Worker processes make :class:`Outcome` objects and send them to the parent, which
writes them (:mod:`govreport.batch.store`); this module is all a worker needs of the
schema, so a worker imports neither DuckDB nor pyarrow (nor pandas, which pyarrow
loads on its first conversion of Python values).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import define, field

from govreport.output.export import (
    CELL_COLUMNS,
    FINDING_COLUMNS,
    REPORT_COLUMNS,
    SECTION_COLUMNS,
    UNRECOGNISED_COLUMNS,
)

#: The version of the schema of :mod:`govreport.batch.store`.
SCHEMA_VERSION = 4
#: The oldest version whose rows have every column this one writes: contents stored
#: under it need not be parsed again (version 4 changed the tables' keys, not their
#: columns).
COMPLETE_SINCE = 3

#: Columns of ``reports``, in the table's order (:class:`Outcome` fills them by name).
REPORTS_COLUMNS = (
    "hash", "path", "bytes", "status", "error_type", "error", "error_line", "error_column",
    "template", "year", "year_source", "agency", "layout", "script", "title",
    "cells", "findings", "unrecognised", "errors", "seconds", "govreport_version", "parsed_at",
    "reader", "metadata", "strict", "schema_version", "text_hash", "duplicate_of",
)  # fmt: skip
assert set(REPORT_COLUMNS) <= set(REPORTS_COLUMNS)

#: Child tables: name → columns after ``report``.
CHILD_TABLES: dict[str, tuple[str, ...]] = {
    "cells": CELL_COLUMNS,
    "findings": FINDING_COLUMNS,
    "sections": SECTION_COLUMNS,
    "unrecognised": UNRECOGNISED_COLUMNS,
}

_STATUS = REPORTS_COLUMNS.index("status")
_ERROR = REPORTS_COLUMNS.index("error")
_BYTES = REPORTS_COLUMNS.index("bytes")


def fits(value: object) -> bool:
    """Whether a cell value is stored exactly: a whole number in ``cells.value``
    (``BIGINT``), any other in ``cells.amount`` (``DECIMAL(38, 10)``)."""
    if value is None:
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    d = Decimal(value)
    return d == d.quantize(Decimal("1e-10")) and abs(d) < Decimal(10) ** 28


def columns(rows: list[tuple[Any, ...]], width: int) -> tuple[tuple[Any, ...], ...]:
    """Rows of ``width`` values as that many columns."""
    return tuple(zip(*rows, strict=True)) if rows else ((),) * width


@define
class Outcome:
    """One file's parse outcome as rows for the database (made in a worker process).

    ``children`` holds each child table's rows of this report column by column (in
    :data:`CHILD_TABLES` order, without ``report``): a few sequences pickle and
    concatenate much faster than a tuple per cell."""

    hash: str
    path: str
    report: tuple[Any, ...]  #: a row of ``reports`` in :data:`REPORTS_COLUMNS` order
    children: dict[str, tuple[tuple[Any, ...], ...]] = field(factory=dict)

    @property
    def status(self) -> str:
        return self.report[_STATUS]

    @property
    def error(self) -> str | None:
        return self.report[_ERROR]

    @property
    def bytes(self) -> int | None:
        return self.report[_BYTES]

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        """The rows of child ``table`` (columns of :data:`CHILD_TABLES`, no ``report``)."""
        found = self.children.get(table)
        return list(zip(*found, strict=True)) if found else []
