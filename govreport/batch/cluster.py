"""Beyond one machine: parse a corpus with Dask (``pip install 'govreport[dask]'``).

>>> import dask, govreport.batch.cluster as gc  # doctest: +SKIP
>>> outcomes = gc.outcomes(paths, npartitions=64).persist()  # parse once  # doctest: +SKIP
>>> cells = gc.cells_dataframe(outcomes)      # one row per cell  # doctest: +SKIP
>>> reports = gc.reports_dataframe(outcomes)  # one row per file: status, error, …  # doctest: +SKIP
>>> cells[cells.path == "applications/new_received/total"].value.sum().compute()  # doctest: +SKIP

Works on any Dask scheduler: the local one by default, or a ``distributed`` cluster
once a ``Client`` is connected. The rows are those of the batch database
(:mod:`govreport.batch.store`), so results agree with ``govreport batch``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

import dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa

from govreport.batch import outcome, unreadable
from govreport.batch.store import AMOUNT_TYPE, REPORTS_COLUMNS, Outcome
from govreport.output.export import CELL_COLUMNS

#: Columns of :func:`cells_dataframe`: the file's hash and path, then the cell's.
CELLS_DATAFRAME_COLUMNS = ("hash", "file", *CELL_COLUMNS)


def _parse_path(path: str, strict: bool = False) -> Outcome:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return unreadable(path, exc.strerror or str(exc))
    return outcome(path, data, strict=strict)


def outcomes(
    paths: Sequence[str | os.PathLike[str]],
    npartitions: int | None = None,
    *,
    strict: bool = False,
) -> db.Bag:
    """A bag with one :class:`~govreport.batch.store.Outcome` per file (text, PDF, HTML
    or DOCX, recognised by content): parse errors and unreadable files (status
    ``unreadable``) included — one bad file never fails the job. ``strict`` as in
    :func:`govreport.parse`."""
    names = [os.fspath(p) for p in paths]
    parse = functools.partial(_parse_path, strict=strict)
    return db.from_sequence(names, npartitions=npartitions).map(parse)


def _cell_frame(items: list[Outcome]) -> pd.DataFrame:
    rows = [(o.hash, o.path, *row) for o in items for row in o.rows("cells")]
    frame = pd.DataFrame.from_records(rows, columns=list(CELLS_DATAFRAME_COLUMNS))
    return _typed(frame, _CELL_TYPES)


def _report_frame(items: list[Outcome]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records([o.report for o in items], columns=list(REPORTS_COLUMNS))
    return _typed(frame, _REPORT_TYPES)


def _typed(frame: pd.DataFrame, types: dict[str, Any]) -> pd.DataFrame:
    if "amount" in frame:  # exact decimals, as in the database and to_dataframe
        frame["amount"] = pd.array(
            pa.array(list(frame["amount"]), AMOUNT_TYPE), dtype=pd.ArrowDtype(AMOUNT_TYPE)
        )
    return frame.astype(types)


_CELL_TYPES: dict[str, Any] = {
    "hash": "string", "file": "string", "path": "string", "table": "string", "row": "string",
    "column": "string", "value": "Int64", "amount": pd.ArrowDtype(AMOUNT_TYPE),
    "state": "string", "inferred": "boolean",
    "candidates": object, "raw": "string", "line": "Int64", "page": "Int64", "bbox": object,
    "grid_table": "Int64", "grid_row": "Int64", "grid_col": "Int64",
}  # fmt: skip
_INT_COLUMNS = {"bytes", "error_line", "error_column", "year", "cells", "findings",
                "unrecognised", "errors", "schema_version"}  # fmt: skip
_REPORT_TYPES: dict[str, Any] = {
    name: "Int64" if name in _INT_COLUMNS else "string" for name in REPORTS_COLUMNS
} | {"seconds": "Float64", "parsed_at": "datetime64[us]", "strict": "boolean"}


def cells_dataframe(bag: db.Bag) -> dd.DataFrame:
    """One row per cell of every parsed file: :data:`CELLS_DATAFRAME_COLUMNS`.

    ``value`` is a nullable integer (``Int64``: a count) and ``amount`` an exact
    decimal (money in 万元), both ``<NA>`` unless ``state`` is ``number``: the types of
    :func:`govreport.to_dataframe`.
    """
    return _frames(bag, _cell_frame)


def reports_dataframe(bag: db.Bag) -> dd.DataFrame:
    """One row per file: the columns of the database's ``reports`` table."""
    return _frames(bag, _report_frame)


def _frames(bag: db.Bag, make: Any) -> dd.DataFrame:
    """One pandas frame per bag partition, as a Dask dataframe."""
    parts = [dask.delayed(make)(part) for part in bag.to_delayed()]
    return dd.from_delayed(parts, meta=make([]), verify_meta=False)
