"""The corpus database: parse outcomes, cells and findings in an embedded DuckDB file.

Schema (``docs/batch.md`` has example queries):

``files``
    ``path`` (unique), ``hash`` (SHA-256 of the file's bytes), ``bytes``, ``seen_at``,
    ``error`` (why the file could not be read; ``hash`` is then ``NULL``). Every file a
    batch was given, including duplicates of the same content.
``reports``
    One row per distinct content that some file in ``files`` holds: ``hash`` (unique),
    ``path`` (where it was first seen), ``bytes``, ``status`` (``ok``; ``error``:
    refused with a ParseError; ``crash``: a bug in govreport), ``error_type``, ``error``,
    ``error_line``, ``error_column``, the report's ``template``, ``year``, ``year_source``,
    ``agency``, ``layout``, ``script``, ``title``, counts ``cells``, ``findings``,
    ``unrecognised``, ``errors`` (error-severity findings), ``seconds`` (parse time),
    ``govreport_version``, ``parsed_at``, ``reader`` (``text``, ``pdf``, ``html``,
    ``docx``), ``metadata`` (``JSON``: what the document or a crawler's header says about
    it — ``title``, ``published``, ``url`` …), ``strict`` (parsed with ``strict=True``),
    ``schema_version`` (the schema the row was written under).
``cells``
    ``report`` (hash) and the columns of :data:`govreport.output.export.CELL_COLUMNS`; a count
    is ``value`` (``BIGINT``), money and a count printed with a fraction are ``amount``
    (``DECIMAL(38, 10)``, exact for 万元 — 元 with up to 6 decimals); both are ``NULL``
    unless ``state`` is ``number``. A report with a value that does not fit
    exactly is not stored: its status is ``error`` (``UnstorableValue``). Provenance,
    ``NULL`` where the reader gave none (text): ``page`` and ``bbox`` (``DOUBLE[]``,
    ``x0, top, x1, bottom`` in PDF points) for PDF; ``grid_table``, ``grid_row``,
    ``grid_col`` (0-based) for HTML and DOCX.
``findings``
    ``report`` and :data:`govreport.output.export.FINDING_COLUMNS`.
``sections``, ``unrecognised``
    ``report`` and :data:`govreport.output.export.SECTION_COLUMNS` /
    :data:`~govreport.output.export.UNRECOGNISED_COLUMNS`: section text, and input lines that
    are not part of the model.

Each report is written with all its rows in one transaction, so an interrupted batch
leaves only whole reports behind.

The schema is versioned (:data:`SCHEMA_VERSION`, kept in the table ``govreport_schema``;
a database without it is version 1). Opening an older database for writing upgrades it
in place — new columns are added at the end of their tables, ``NULL`` in the rows already
there — and the contents stored under a version with fewer columns are parsed again by
the next batch (:meth:`Store.done`), so every row ends up with the new columns filled
(version 4 changed keys, not columns: what version 3 stored is kept). A database of a
newer version is refused (:class:`SchemaError`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pyarrow as pa

    AMOUNT_TYPE: pa.DataType  #: the type of ``cells.amount`` (made with pyarrow: see __getattr__)

# SCHEMA_VERSION is the version of the schema below; see MIGRATIONS for the columns each
# added, and the REBUILD_ statements for the tables rebuilt
from govreport.batch.rows import (
    CHILD_TABLES,
    COMPLETE_SINCE,
    REPORTS_COLUMNS,
    SCHEMA_VERSION,
    Outcome,
    columns,
    fits,
)

__all__ = [
    "AMOUNT_TYPE", "CHILD_TABLES", "MEMORY_LIMIT", "REPORTS_COLUMNS", "SCHEMA", "SCHEMA_VERSION",
    "Outcome", "SchemaError", "Store", "fits",
]  # fmt: skip


#: Each table's columns. No table has a key or an index: DuckDB holds an index wholly in
#: memory, within its memory limit, so a key on ``reports.hash`` or ``files.path`` grows
#: the batch's memory with the corpus (13 MB per 100,000 hashes) and fails it with "out of
#: memory" past about a million. Uniqueness is kept by the writes instead
#: (:meth:`Store.write`).
TABLES: dict[str, str] = {
    "files": "path VARCHAR NOT NULL, hash VARCHAR, bytes BIGINT, seen_at TIMESTAMP, error VARCHAR",
    "reports": """
    hash VARCHAR NOT NULL, path VARCHAR, bytes BIGINT, status VARCHAR NOT NULL,
    error_type VARCHAR, error VARCHAR, error_line INTEGER, error_column INTEGER,
    template VARCHAR, year INTEGER, year_source VARCHAR, agency VARCHAR, layout VARCHAR,
    script VARCHAR, title VARCHAR,
    cells INTEGER, findings INTEGER, unrecognised INTEGER, errors INTEGER,
    seconds DOUBLE, govreport_version VARCHAR, parsed_at TIMESTAMP,
    reader VARCHAR, metadata JSON, strict BOOLEAN, schema_version INTEGER,
    text_hash VARCHAR, duplicate_of VARCHAR""",
    "cells": """
    report VARCHAR NOT NULL, path VARCHAR NOT NULL, "table" VARCHAR, "row" VARCHAR,
    "column" VARCHAR, value BIGINT, amount DECIMAL(38, 10), state VARCHAR NOT NULL,
    inferred BOOLEAN, candidates VARCHAR[], raw VARCHAR, line INTEGER,
    page INTEGER, bbox DOUBLE[], grid_table INTEGER, grid_row INTEGER, grid_col INTEGER""",
    "findings": """
    report VARCHAR NOT NULL, code VARCHAR NOT NULL, severity VARCHAR NOT NULL,
    message VARCHAR, paths VARCHAR[], lines INTEGER[], expected VARCHAR, actual VARCHAR""",
    "sections": """
    report VARCHAR NOT NULL, number INTEGER, heading VARCHAR, text VARCHAR, line INTEGER""",
    "unrecognised": "report VARCHAR NOT NULL, line INTEGER, text VARCHAR, reason VARCHAR",
    "duplicates": """
    report VARCHAR NOT NULL, same_as VARCHAR NOT NULL, reason VARCHAR NOT NULL,
    differing INTEGER""",
    "govreport_schema": "version INTEGER NOT NULL",
}

SCHEMA = "".join(
    f"CREATE TABLE IF NOT EXISTS {name} ({cols}\n);\n" for name, cols in TABLES.items()
)

#: Version 3 stores counts as integers: ``cells.value`` becomes ``BIGINT`` and money
#: moves to ``amount``. ``cells`` is rebuilt in the new column order (the contents
#: stored under an older version are parsed again by the next batch anyway).
REBUILD_CELLS_V3 = f"""
CREATE TABLE cells_v3 ({TABLES["cells"]});
INSERT INTO cells_v3 SELECT
    report, path, "table", "row", "column",
    CASE WHEN value = trunc(value) AND abs(value) < 9e18 THEN value::BIGINT END,
    CASE WHEN value <> trunc(value) THEN value END,
    state, inferred, candidates, raw, line, page, bbox, grid_table, grid_row, grid_col
FROM cells;
DROP TABLE cells;
ALTER TABLE cells_v3 RENAME TO cells;
"""

#: Version 4 drops the keys of ``files`` and ``reports`` (see :data:`TABLES`): both are
#: rebuilt without them. Their rows are kept as they are, and need no new parse.
REBUILD_KEYED_V4 = "".join(
    f"""
CREATE TABLE {name}_v4 ({TABLES[name]});
INSERT INTO {name}_v4 BY NAME SELECT * FROM {name};
DROP TABLE {name};
ALTER TABLE {name}_v4 RENAME TO {name};
"""
    for name in ("files", "reports")
)

#: What each version added to the one before: (table, column, type). The columns are
#: also in :data:`SCHEMA`, at the end of their tables, so that an upgraded database
#: has the columns of a new one in the same order.
MIGRATIONS: dict[int, tuple[tuple[str, str, str], ...]] = {
    2: (
        ("reports", "reader", "VARCHAR"),
        ("reports", "metadata", "JSON"),
        ("reports", "strict", "BOOLEAN"),
        ("reports", "schema_version", "INTEGER"),
        ("cells", "page", "INTEGER"),
        ("cells", "bbox", "DOUBLE[]"),
        ("cells", "grid_table", "INTEGER"),
        ("cells", "grid_row", "INTEGER"),
        ("cells", "grid_col", "INTEGER"),
    ),
    3: (
        ("reports", "text_hash", "VARCHAR"),
        ("reports", "duplicate_of", "VARCHAR"),
    ),
}


class SchemaError(Exception):
    """The database was written by a newer govreport (a schema this one does not know)."""


EXPORT_FORMATS = ("parquet", "csv", "jsonl")


@cache
def _pyarrow() -> Any:
    """pyarrow, imported when first needed, not with this module: a batch opens its
    database before it starts its workers, and imports pyarrow while they start
    (:meth:`Store.prepare_writes`)."""
    with _interrupts_after():
        import pyarrow as pa

        # pyarrow imports pandas, when it is installed, at its first conversion of
        # Python values (0.3 s): here, not in the first write
        pa.array([0])
    return pa


@contextlib.contextmanager
def _interrupts_after() -> Iterator[None]:
    """A Ctrl-C while pyarrow and pandas import is raised once they have: raised
    inside their extension modules' initialisation, it leaves CPython marked as
    ended by an unhandled KeyboardInterrupt, and the process then dies of SIGINT as
    it exits (status -2) even though the batch handled it and said so (130)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)
        elif caught and previous == signal.SIG_DFL:
            raise KeyboardInterrupt


if not TYPE_CHECKING:  # to a type checker, a name not imported above is a mistake

    def __getattr__(name: str) -> Any:
        if name == "AMOUNT_TYPE":  # the type of ``cells.amount``
            return _arrow_types()["cells.amount"]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: DuckDB's memory limit for a batch database.
MEMORY_LIMIT = "128MB"


class Store:
    """A corpus database file, created with its schema if it does not exist, upgraded
    if it is older (not when opened ``read_only``, which reads any version)."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = os.fspath(path)
        # DuckDB's own progress bar would print to stdout during long statements
        self.con = duckdb.connect(self.path, read_only=read_only)
        self.con.execute("SET enable_progress_bar = false")
        # DuckDB's buffer pool otherwise grows with the database (80% of RAM by
        # default); pages past the limit are evicted or spilled, so memory stays flat
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        try:
            self.version = self._schema_version()
            if self.version > SCHEMA_VERSION and not read_only:
                raise SchemaError(
                    f"written by a newer govreport (schema version {self.version}; this "
                    f"one writes {SCHEMA_VERSION}): upgrade govreport, or use another --db"
                )
            if not read_only and self.version < SCHEMA_VERSION:
                self._upgrade()
        except BaseException:
            self.con.close()
            raise

    def _schema_version(self) -> int:
        """The database's schema version: 0 when it is empty, 1 before versioning."""
        found = self.con.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
        tables = {name for (name,) in found}
        if "govreport_schema" in tables:
            row = self.con.execute("SELECT max(version) FROM govreport_schema").fetchone()
            return row[0] or 1
        return 1 if "reports" in tables else 0

    def _upgrade(self) -> None:
        """Create the schema, or bring an older one up to :data:`SCHEMA_VERSION`."""
        self.con.execute("BEGIN")
        try:
            if self.version:  # an existing database: add what later versions added
                for version in range(self.version + 1, SCHEMA_VERSION + 1):
                    for table, column, kind in MIGRATIONS.get(version, ()):
                        self.con.execute(
                            f'ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "{column}" {kind}'
                        )
                    if version == 3:
                        self.con.execute(REBUILD_CELLS_V3)
                    if version == 4:
                        self.con.execute(REBUILD_KEYED_V4)
            self.con.execute(SCHEMA)
            self.con.execute("DELETE FROM govreport_schema")
            self.con.execute("INSERT INTO govreport_schema VALUES (?)", [SCHEMA_VERSION])
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        self.version = SCHEMA_VERSION

    def _rollback(self) -> None:
        """Undo the open transaction, if one is still open: an interrupt (Ctrl-C) may
        come after its COMMIT, and a failed ROLLBACK must not replace it."""
        with contextlib.suppress(duckdb.TransactionException):
            self.con.execute("ROLLBACK")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def statuses(self) -> dict[str, str]:
        """Each content already parsed (its hash) and its status."""
        return dict(self.con.execute("SELECT hash, status FROM reports").fetchall())

    def done(self, *, strict: bool = False) -> set[str]:
        """The contents a batch need not parse again: stored under a schema version
        whose rows have this one's columns (:data:`COMPLETE_SINCE`) and parsed with the
        same ``strict``, and not lost by its worker (``Timeout``, ``WorkerDied``: the
        machine may have been short of time or memory then). (A content stored under
        an older version lacks the newer columns; one parsed otherwise strict has
        another outcome.)"""
        rows = self.con.execute(
            "SELECT hash FROM reports WHERE schema_version >= ? AND strict = ? "
            "AND coalesce(error_type, '') NOT IN ('Timeout', 'WorkerDied')",
            [COMPLETE_SINCE, strict],
        ).fetchall()
        return {h for (h,) in rows}

    def prepare_writes(self) -> None:
        """Import what writing needs (pyarrow: most of a second, with the pandas it
        loads), ahead of the first :meth:`write`; a batch does it while its workers
        start."""
        _arrow_types()

    def write(
        self,
        outcomes: Sequence[Outcome],
        files: Sequence[tuple[str, str | None, int | None, str | None]] = (),
        replace: Sequence[str] = (),
    ) -> set[str]:
        """Store whole outcomes and the files (path, hash, bytes, error) that hold them,
        in one transaction: all of their rows or none. ``replace`` lists hashes whose
        stored rows go first (parsed again: forced, stored under an older schema, or
        parsed otherwise strict). ``outcomes`` are of distinct contents; one whose
        content is stored already (and not replaced) is not written again: returns their
        hashes. A file already stored under its path is replaced."""
        stored: set[str] = set()
        if not (outcomes or files or replace):
            return stored  # nothing to import pyarrow for (a batch interrupted at its start)
        pa = _pyarrow()
        self.con.execute("BEGIN")
        try:
            if replace:
                self.con.register("replaced", pa.table({"hash": pa.array(replace, pa.string())}))
                for table in (*CHILD_TABLES, "reports"):
                    key = "hash" if table == "reports" else "report"
                    self.con.execute(
                        f"DELETE FROM {table} WHERE {key} IN (SELECT hash FROM replaced)"
                    )
                self.con.unregister("replaced")
            if outcomes:
                # what is stored already is not written twice (no key refuses it)
                hashes = pa.table({"hash": pa.array([o.hash for o in outcomes], pa.string())})
                self.con.register("batch_hashes", hashes)
                found = self.con.execute(
                    "SELECT hash FROM reports WHERE hash IN (SELECT hash FROM batch_hashes)"
                ).fetchall()
                self.con.unregister("batch_hashes")
                stored = {h for (h,) in found}
                kept = [o for o in outcomes if o.hash not in stored]
                reports = columns([o.report for o in kept], len(REPORTS_COLUMNS))
                tables = {"reports": _arrow(REPORTS_COLUMNS, reports)}
                for name, names in CHILD_TABLES.items():
                    tables[name] = _arrow(("report", *names), _concat(kept, name, len(names)),
                                          cells=name == "cells")  # fmt: skip
                for name, table in tables.items():
                    self.con.register("batch_rows", table)
                    self.con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM batch_rows")
                    self.con.unregister("batch_rows")
            if files:
                held = _arrow(("path", "hash", "bytes", "error"), columns(list(files), 4))
                self.con.register("batch_files", held)
                self.con.execute("DELETE FROM files WHERE path IN (SELECT path FROM batch_files)")
                self.con.execute(
                    "INSERT INTO files "
                    "SELECT path, hash, bytes, now()::TIMESTAMP, error FROM batch_files"
                )
                self.con.unregister("batch_files")
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return stored

    def errors(self) -> dict[str, str]:
        """Each stored content that did not parse (its hash) and why, in one line."""
        rows = self.con.execute(
            "SELECT hash, coalesce(error, status) FROM reports WHERE status <> 'ok'"
        ).fetchall()
        return dict(rows)

    def mark_duplicates(self) -> int:
        """Work out again which stored reports are another's (table ``duplicates``,
        ``reports.duplicate_of``); returns how many are.

        Two contents hold the same report when their normalised text is the same
        (``same text``: one saved as GBK and as UTF-8, or with CRLF line ends). Of the
        other reports by one agency for one year, each is compared with the first
        (by path) cell for cell: ``same numbers`` (the same report in another format
        or script) or ``different numbers`` (``differing`` cells: two versions that
        disagree — both are kept and counted, since neither is known to be right).
        ``duplicate_of`` names the first for ``same text`` and ``same numbers`` only."""
        self.con.execute("BEGIN")
        try:
            self.con.execute(_SAME_TEXT)
            self.con.execute(_PAIRS)
            self.con.execute(_SAME_CELLS)
            (pairs,) = self.con.execute("SELECT count(*) FROM duplicate_pairs").fetchone()
            # compared in parts, so the query's memory does not grow with the corpus
            parts = max(1, -(-pairs // PAIRS_PER_PART))
            for part in range(parts):
                self.con.execute(_COMPARE_PAIRS, [parts, part])
            self.con.execute(_MARK_DUPLICATE_OF)
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        (count,) = self.con.execute(
            "SELECT count(*) FROM reports WHERE duplicate_of IS NOT NULL"
        ).fetchone()
        return count

    def prune(self) -> int:
        """Remove the reports no file holds any more (a file edited since it was
        parsed); returns how many went."""
        orphans = (
            "SELECT hash FROM reports "
            "WHERE hash NOT IN (SELECT hash FROM files WHERE hash IS NOT NULL)"
        )
        (count,) = self.con.execute(f"SELECT count(*) FROM ({orphans})").fetchone()
        if count:
            self.con.execute("BEGIN")
            for table in CHILD_TABLES:
                self.con.execute(f"DELETE FROM {table} WHERE report IN ({orphans})")
            self.con.execute(
                f"DELETE FROM duplicates WHERE report IN ({orphans}) OR same_as IN ({orphans})"
            )
            self.con.execute(f"DELETE FROM reports WHERE hash IN ({orphans})")
            self.con.execute("COMMIT")
        return count

    def export(self, directory: str | os.PathLike[str], fmt: str) -> list[str]:
        """Write every table to ``directory/<table>.<fmt>``; returns the files written."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; use one of {EXPORT_FORMATS}")
        os.makedirs(directory, exist_ok=True)
        options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER", "jsonl": "FORMAT json"}
        written = []
        tables = {name for (name,) in self.con.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()}  # fmt: skip
        for table in ("files", "reports", *CHILD_TABLES, "duplicates"):
            if table not in tables:  # an older database: what it has
                continue
            target = os.path.join(os.fspath(directory), f"{table}.{fmt}")
            escaped = target.replace("'", "''")
            source = table
            if table == "cells" and fmt != "parquet" and self.version >= 3:
                source = f"(SELECT * REPLACE ({_AMOUNT_TEXT[fmt]} AS amount) FROM cells)"
            self.con.execute(f"COPY {source} TO '{escaped}' ({options[fmt]})")
            written.append(target)
        return written


#: ``cells.amount`` in CSV and JSON lines: the exact decimal without trailing zeros
#: (``0.5``, not ``0.5000000000``), as ``govreport parse --format csv`` writes it.
_TRIMMED = (
    "CASE WHEN amount IS NOT NULL THEN "
    "regexp_replace(regexp_replace(amount::VARCHAR, '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '') END"
)
_AMOUNT_TEXT = {"csv": _TRIMMED, "jsonl": f"({_TRIMMED})::JSON"}

#: Pairs of reports (by one agency for one year) compared cell for cell in one statement.
PAIRS_PER_PART = 4000

_SAME_TEXT = """
DELETE FROM duplicates;
UPDATE reports SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL;
INSERT INTO duplicates
SELECT hash, same_as, 'same text', 0 FROM (
    SELECT hash, first_value(hash) OVER (PARTITION BY text_hash ORDER BY path, hash) AS same_as
    FROM reports WHERE status = 'ok' AND text_hash IS NOT NULL
) WHERE hash <> same_as;
"""
_PAIRS = """
CREATE OR REPLACE TEMP TABLE duplicate_pairs AS
WITH firsts AS (
    SELECT hash, first_value(hash) OVER (PARTITION BY agency, year ORDER BY path, hash) AS same_as
    FROM reports
    WHERE status = 'ok' AND agency IS NOT NULL AND year IS NOT NULL
      AND hash NOT IN (SELECT report FROM duplicates)
)
SELECT hash, same_as FROM firsts WHERE hash <> same_as;
"""
#: A cell's reading, as the two comparisons below compare it.
_READING = "concat_ws('|', state, coalesce(value::VARCHAR, ''), coalesce(amount::VARCHAR, ''))"
#: The pairs whose two reports hold the same cells (the same multiset of path and
#: reading: two 64-bit hashes summed, one pass over the cells) are ``same numbers``
#: at once; the others are left to be compared cell for cell. A cell-for-cell
#: comparison reads all of ``cells`` for each part of the pairs, so it grew with the
#: square of the corpus where most reports have another version (a PDF and its web
#: page): at 100,000 such reports, 25 parts.
_SAME_CELLS = f"""
CREATE OR REPLACE TEMP TABLE duplicate_prints AS
WITH readings AS (
    SELECT report, path || '|' || {_READING} AS reading
    FROM cells
    WHERE report IN (SELECT hash FROM duplicate_pairs UNION ALL SELECT same_as FROM duplicate_pairs)
)
SELECT report, count(*) AS n, sum(hash(reading)::HUGEINT) AS h1,
       sum(hash(reading || '#')::HUGEINT) AS h2
FROM readings GROUP BY report;
CREATE OR REPLACE TEMP TABLE same_cells AS
SELECT p.hash, p.same_as FROM duplicate_pairs p
JOIN duplicate_prints a ON a.report = p.hash
JOIN duplicate_prints b ON b.report = p.same_as
WHERE a.n = b.n AND a.h1 = b.h1 AND a.h2 = b.h2;
INSERT INTO duplicates SELECT hash, same_as, 'same numbers', 0 FROM same_cells;
DELETE FROM duplicate_pairs WHERE hash IN (SELECT hash FROM same_cells);
DROP TABLE same_cells;
DROP TABLE duplicate_prints;
"""
#: The pairs of part ``$2`` of ``$1``, with how many of their cells differ.
_COMPARE_PAIRS = f"""
INSERT INTO duplicates
WITH pairs AS (
    SELECT hash, same_as FROM duplicate_pairs WHERE hash(hash) % $1 = $2
), sides AS (
    SELECT p.hash, p.same_as, c.path, c.state, c.value, c.amount
    FROM pairs p JOIN cells c ON c.report = p.hash
    UNION ALL
    SELECT p.hash, p.same_as, c.path, c.state, c.value, c.amount
    FROM pairs p JOIN cells c ON c.report = p.same_as
), per_path AS (
    SELECT hash, same_as, path, count(*) AS n,
           count(DISTINCT {_READING}) AS readings
    FROM sides GROUP BY ALL
), differing AS (
    SELECT hash, same_as, count(*) FILTER (WHERE n <> 2 OR readings <> 1) AS differing
    FROM per_path GROUP BY ALL
)
SELECT p.hash, p.same_as,
       CASE WHEN coalesce(d.differing, 0) = 0 THEN 'same numbers' ELSE 'different numbers' END,
       coalesce(d.differing, 0)
FROM pairs p LEFT JOIN differing d ON d.hash = p.hash AND d.same_as = p.same_as;
"""
_MARK_DUPLICATE_OF = """
DROP TABLE duplicate_pairs;
UPDATE reports SET duplicate_of = d.same_as
FROM duplicates d
WHERE d.report = reports.hash AND d.reason IN ('same text', 'same numbers');
"""


def _concat(outcomes: Sequence[Outcome], table: str, width: int) -> list[list[Any]]:
    """The rows of child ``table`` of every outcome, column by column, ``report`` first."""
    out: list[list[Any]] = [[] for _ in range(width + 1)]
    report, rest = out[0], out[1:]
    for o in outcomes:
        found = o.children.get(table)
        if not found or not found[0]:
            continue
        report.extend([o.hash] * len(found[0]))
        for column, values in zip(rest, found, strict=True):
            column.extend(values)
    return out


def _arrow(names: Sequence[str], data: Sequence[Sequence[Any]], cells: bool = False) -> pa.Table:
    """Columns as an Arrow table (DuckDB inserts Arrow in bulk; row-wise inserts are slow)."""
    pa, types = _pyarrow(), _arrow_types()
    arrays = {}
    for name, values in zip(names, data, strict=True):
        if cells and name in ("amount", "value"):
            arrays[name] = pa.array(values, types[f"cells.{name}"])
        else:
            arrays[name] = pa.array(values, types.get(name))
    return pa.table(arrays)


@cache
def _arrow_types() -> dict[str, pa.DataType]:
    """The Arrow type of each column whose type pyarrow would not infer (or might infer
    otherwise from one batch's values): by name, and ``cells.<name>`` for the cells'."""
    pa = _pyarrow()
    return {
        "cells.amount": pa.decimal128(38, 10),  # 28 integer digits, 10 decimals
        "cells.value": pa.int64(),
        "candidates": pa.list_(pa.string()),
        "bbox": pa.list_(pa.float64()),
        "page": pa.int32(),
        "grid_table": pa.int32(),
        "grid_row": pa.int32(),
        "grid_col": pa.int32(),
        "strict": pa.bool_(),
        "schema_version": pa.int32(),
        "paths": pa.list_(pa.string()),
        "lines": pa.list_(pa.int32()),
        "year": pa.int32(),
        "line": pa.int32(),
        "error_line": pa.int32(),
        "error_column": pa.int32(),
        "number": pa.int32(),
        "inferred": pa.bool_(),
        "seconds": pa.float64(),
        "bytes": pa.int64(),
        "parsed_at": pa.timestamp("us"),
    }
