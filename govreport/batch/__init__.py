"""Parse a whole corpus into a database: every file's outcome recorded, resumable, parallel.

Files are keyed by the SHA-256 of their bytes: a re-run skips every content already in
the database (``force=True`` parses it again), and two files with the same content are
parsed once. Outcomes are written in transactions of whole reports, so an interrupt
(Ctrl-C) or a crash leaves a consistent database that the next run completes.
"""

from __future__ import annotations

import glob
import hashlib
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import TextIO

import duckdb
from attrs import define, field

from govreport import __version__
from govreport.batch.store import REPORTS_COLUMNS, Outcome, Store, fits
from govreport.errors import ParseError
from govreport.model import Severity
from govreport.output.export import (
    cell_rows,
    finding_rows,
    report_row,
    section_rows,
    unrecognised_rows,
)
from govreport.pipeline import parse

#: Statuses in ``reports.status`` and ``files``: parsed; refused with a ParseError; a
#: bug in govreport (any other exception — please report it); unreadable file.
OK, ERROR, CRASH, UNREADABLE = "ok", "error", "crash", "unreadable"

#: Write to the database at least this often (outcomes, seconds).
FLUSH_EVERY = 500
FLUSH_SECONDS = 2.0


@define
class Summary:
    """What one batch run did."""

    files: int = 0  #: files given (after expanding folders and globs)
    parsed: int = 0  #: contents parsed in this run
    skipped: int = 0  #: contents already in the database
    duplicates: int = 0  #: files whose content another file of this run already had
    failed: int = 0  #: given files whose content did not parse (this run or before)
    unreadable: int = 0
    pruned: int = 0  #: stored contents that no file holds any more (edited files)
    interrupted: bool = False
    seconds: float = 0.0
    statuses: dict[str, int] = field(factory=dict)

    def line(self) -> str:
        rate = self.parsed / self.seconds if self.seconds else 0.0
        by_status = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()))
        return (
            f"{self.files} files: {self.parsed} parsed ({by_status or 'none'}), "
            f"{self.skipped} already done, {self.duplicates} duplicate content, "
            f"{self.unreadable} unreadable"
            + (f", {self.pruned} outdated contents removed" if self.pruned else "")
            + f"; {self.seconds:.1f} s, {rate:.0f} files/s"
            + ("; INTERRUPTED — run again to continue" if self.interrupted else "")
        )


def discover(targets: Iterable[str], pattern: str = "*") -> Iterator[str]:
    """Files named by ``targets``: files, folders (recursively, files matching
    ``pattern``, hidden ones skipped) and glob patterns. Each path once, in order.
    A target that names nothing, or a pattern that matches nothing, is yielded as is
    (its outcome is "unreadable")."""
    seen: set[str] = set()
    for target in targets:
        if os.path.isdir(target):
            found = sorted(_walk(target, pattern))
        elif os.path.exists(target) or not glob.has_magic(target):
            found = [target]  # a file (its name may hold [ or *), or nothing: unreadable
        else:
            found = sorted(p for p in glob.glob(target, recursive=True) if os.path.isfile(p))
            found = found or [target]  # a pattern that matches nothing is reported
        for path in found:
            if path not in seen:
                seen.add(path)
                yield path


def _walk(folder: str, pattern: str) -> Iterator[str]:
    import fnmatch

    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and fnmatch.fnmatch(name, pattern):
                yield os.path.join(root, name)


def outcome(path: str, data: bytes, digest: str | None = None) -> Outcome:
    """Parse one file's bytes into the rows the database stores; never raises."""
    digest = digest or hashlib.sha256(data).hexdigest()
    started = time.perf_counter()
    error_type = error = None
    error_line = error_column = None
    report = None
    try:
        report = parse(data)
        status = OK
        unstorable = next(((p, c.value) for p, c in report.cells() if not fits(c.value)), None)
        if unstorable:
            report = None
            status, error_type = ERROR, "UnstorableValue"
            error = (f"{unstorable[0]} = {unstorable[1]} does not fit the database's "
                     "DECIMAL(38, 10) exactly; parse the file on its own to see it")  # fmt: skip
    except ParseError as exc:
        status, error_type, error = ERROR, type(exc).__name__, exc.one_line()
        error_line, error_column = exc.line, exc.column
    except Exception as exc:  # a bug in govreport: record it, never stop the batch
        status, error_type = CRASH, type(exc).__name__
        error = (
            "internal error, please report: "
            + "".join(traceback.format_exception_only(type(exc), exc)).strip()
        )
    seconds = time.perf_counter() - started
    children: dict[str, list[tuple]] = {}
    counts: tuple = (None, None, None, None)
    fields: tuple = (None,) * 7
    if report is not None:
        children = {
            "cells": list(cell_rows(report)),
            "findings": list(finding_rows(report)),
            "sections": list(section_rows(report)),
            "unrecognised": list(unrecognised_rows(report)),
        }
        errors = sum(f.severity is Severity.ERROR for f in report.findings)
        counts = (len(children["cells"]), len(report.findings), len(report.unrecognised), errors)
        fields = report_row(report)
    row = (
        digest, path, len(data), status, error_type, error, error_line, error_column,
        *fields, *counts, seconds, __version__, datetime.now(timezone.utc).replace(tzinfo=None),
    )  # fmt: skip
    return Outcome(digest, path, row, children)


def unreadable(path: str, error: str) -> Outcome:
    """The outcome of a file that could not be read (no content, so no hash)."""
    row = [None] * len(REPORTS_COLUMNS)
    row[REPORTS_COLUMNS.index("path")] = path
    row[REPORTS_COLUMNS.index("status")] = UNREADABLE
    row[REPORTS_COLUMNS.index("error")] = error
    return Outcome("", path, tuple(row))


@define
class _Seen:
    """A worker's answer for a file whose content is already in the database."""

    path: str
    hash: str
    bytes: int


_DONE: frozenset[str] = frozenset()


def _init_worker(done: frozenset[str]) -> None:
    global _DONE
    _DONE = done
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def _work(path: str) -> Outcome | _Seen:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return unreadable(path, exc.strerror or str(exc))
    digest = hashlib.sha256(data).hexdigest()
    if digest in _DONE:
        return _Seen(path, digest, len(data))
    return outcome(path, data, digest)


def run(
    targets: Sequence[str],
    db: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    force: bool = False,
    pattern: str = "*",
    progress: bool | None = None,
    log: TextIO | None = None,
) -> Summary:
    """Parse every file of ``targets`` into the database ``db``; see :mod:`govreport.batch`.

    ``jobs`` worker processes (default: all cores); ``progress`` shows a progress bar
    on stderr (default: when stderr is a terminal). Messages about unreadable files go
    to ``log`` (default stderr). Returns what was done; KeyboardInterrupt stops the
    batch cleanly, with ``Summary.interrupted`` set.
    """
    from tqdm import tqdm

    log = log or sys.stderr
    started = time.perf_counter()
    paths = list(discover(targets, pattern))
    summary = Summary(files=len(paths))
    jobs = max(1, jobs or os.cpu_count() or 1)
    with Store(db) as store:
        previous = store.statuses()
        done = frozenset() if force else frozenset(previous)
        written: set[str] = set()
        pending: list[Outcome] = []
        files: list[tuple[str, str | None, int | None, str | None]] = []
        last_flush = time.perf_counter()

        def flush() -> None:
            nonlocal last_flush
            outcomes, held = pending[:], files[:]
            pending.clear()  # before writing: an interrupt must not write them twice
            files.clear()
            replace = [o.hash for o in outcomes if o.hash in previous] if force else []
            store.write(outcomes, held, replace=replace)
            last_flush = time.perf_counter()

        bar = tqdm(
            total=len(paths),
            unit="file",
            desc="govreport batch",
            file=sys.stderr,
            disable=not (sys.stderr.isatty() if progress is None else progress),
            smoothing=0.1,
        )
        context = multiprocessing.get_context("spawn")
        pool = context.Pool(jobs, initializer=_init_worker, initargs=(done,))
        try:
            for result in pool.imap_unordered(_work, paths, chunksize=4):
                if isinstance(result, _Seen):
                    summary.skipped += 1
                    summary.failed += previous.get(result.hash) != OK
                    files.append((result.path, result.hash, result.bytes, None))
                elif result.status == UNREADABLE:
                    summary.unreadable += 1
                    summary.failed += 1
                    files.append((result.path, None, None, result.error))
                    print(f"govreport: {result.path}: cannot read: {result.error}", file=log)
                elif result.hash in written:
                    summary.duplicates += 1
                    summary.failed += not result.ok
                    files.append((result.path, result.hash, result.report[2], None))
                else:
                    written.add(result.hash)
                    status = result.status
                    summary.parsed += 1
                    summary.statuses[status] = summary.statuses.get(status, 0) + 1
                    summary.failed += status != OK
                    pending.append(result)
                    files.append((result.path, result.hash, result.report[2], None))
                bar.update()
                bar.set_postfix(failed=summary.failed, refresh=False)
                if len(files) >= FLUSH_EVERY or time.perf_counter() - last_flush > FLUSH_SECONDS:
                    flush()
            pool.close()
        except (KeyboardInterrupt, duckdb.InterruptException):
            summary.interrupted = True
            pool.terminate()
        finally:
            pool.join()
            bar.close()
            flush()
        if not summary.interrupted:
            summary.pruned = store.prune()
    summary.seconds = time.perf_counter() - started
    return summary
