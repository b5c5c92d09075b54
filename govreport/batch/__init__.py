"""Parse a whole corpus into a database: every file's outcome recorded, resumable, parallel.

Every file is read whatever its name: text, PDF, HTML and DOCX (and .doc/.wps, through
the DOCX reader) are recognised by content. Files are keyed by the SHA-256 of their
bytes: a re-run skips every content already in the database (``force=True`` parses it
again; so does a run with another ``strict``, or a database upgraded from a schema with
fewer columns), and two files with the same content are parsed once. Reports are also keyed
by their normalised text, so the same report saved twice (GBK and UTF-8, CRLF line
ends) is recorded as a duplicate (table ``duplicates``, ``reports.duplicate_of``).
Outcomes are written in transactions of whole reports, so an interrupt (Ctrl-C) or a
crash leaves a consistent database that the next run completes.

[`run`][govreport.batch.run] may be called at the top of a script, without an
``if __name__ == "__main__":`` guard: its worker processes do not run the script again.
"""

from __future__ import annotations

import collections
import contextlib
import glob
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import types
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any, TextIO

from attrs import define, field

from govreport import __version__

# not the store: workers import this module, and need neither DuckDB nor pyarrow
from govreport.batch.rows import (
    CHILD_TABLES,
    REPORTS_COLUMNS,
    SCHEMA_VERSION,
    Outcome,
    columns,
    fits,
)
from govreport.batch.workers import READY, Lost, Workers
from govreport.batch.workers import WorkerError as WorkerError  # raised by run()
from govreport.errors import ParseError
from govreport.model import Severity
from govreport.output.export import (
    REPORT_COLUMNS,
    cell_rows,
    finding_rows,
    report_row,
    section_rows,
    unrecognised_rows,
)

#: Statuses in ``reports.status`` and ``files``: parsed; refused with a ParseError; a
#: bug in govreport (any other exception — please report it); unreadable file.
OK, ERROR, CRASH, UNREADABLE = "ok", "error", "crash", "unreadable"

#: Write to the database every this many parsed outcomes, and at least this often
#: (seconds; a slow corpus's progress is kept). A fixed number of outcomes bounds the
#: parent's memory (about 0.4 MB per outcome while they are written) whatever the parse
#: rate; fewer than about 250 cost more CPU per report to write.
FLUSH_EVERY = 250
FLUSH_SECONDS = 10.0
#: ... and every this many files (of contents already stored: a re-run).
FLUSH_FILES = 5000
#: Files each worker may be handed beyond the outcomes the parent has taken: while the
#: parent writes, the workers parse on only this far, so the outcomes waiting for it
#: (about 0.15–0.4 MB each) are bounded however slow the database is.
AHEAD_PER_JOB = 32
#: Seconds one file's parse may take in a batch before its worker is stopped and the
#: file stored as a crash (the parser's own bounds should end any parse long before).
TIMEOUT = 600.0


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
    same_report: int = 0  #: stored reports that are another's (``reports.duplicate_of``)
    interrupted: bool = False
    seconds: float = 0.0
    statuses: dict[str, int] = field(factory=dict)
    #: Each given file that did not parse or could not be read (this run or before),
    #: with why, in one line.
    failures: list[tuple[str, str]] = field(factory=list)

    def line(self) -> str:
        rate = self.parsed / self.seconds if self.seconds else 0.0
        by_status = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()))
        return (
            f"{self.files} files: {self.parsed} parsed ({by_status or 'none'}), "
            f"{self.skipped} already done, {self.duplicates} duplicate content, "
            f"{self.unreadable} unreadable"
            + (f", {self.pruned} outdated contents removed" if self.pruned else "")
            + (f", {self.same_report} the same report as another" if self.same_report else "")
            + f"; {self.seconds:.1f} s, {rate:.0f} files/s"
            + ("; INTERRUPTED — run again to continue" if self.interrupted else "")
        )


#: The default ``pattern``: every file. Formats are recognised by content, not by
#: name, and a file that is no report is recorded as such, never skipped silently.
ALL_FILES = "*"


def discover(targets: Iterable[str], pattern: str | Sequence[str] = ALL_FILES) -> Iterator[str]:
    """Files named by ``targets``: files, folders (recursively, files matching
    ``pattern`` — one shell pattern or several, any of which may match — hidden ones
    skipped) and glob patterns. Each path once, in order. A target that names nothing,
    or a pattern that matches nothing, is yielded as is (its outcome is "unreadable")."""
    patterns = (pattern,) if isinstance(pattern, str) else tuple(pattern)
    seen: set[str] = set()
    for target in targets:
        if os.path.isdir(target):
            found = sorted(_walk(target, patterns))
        elif os.path.exists(target) or not glob.has_magic(target):
            found = [target]  # a file (its name may hold [ or *), or nothing: unreadable
        else:
            found = sorted(p for p in glob.glob(target, recursive=True) if os.path.isfile(p))
            found = found or [target]  # a pattern that matches nothing is reported
        for path in found:
            if path not in seen:
                seen.add(path)
                yield path


def _walk(folder: str, patterns: Sequence[str]) -> Iterator[str]:
    import fnmatch

    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and any(fnmatch.fnmatch(name, p) for p in patterns):
                yield os.path.join(root, name)


def text_key(text: str) -> str:
    """The SHA-256 of a report's normalised text: the same for the same report saved
    in another encoding (GBK, UTF-8, UTF-16), with or without a BOM, with CRLF or CR
    line ends, or with trailing spaces or blank lines."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    normalised = "\n".join(line.rstrip() for line in lines).strip("\n")
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def outcome(path: str, data: bytes, digest: str | None = None, *, strict: bool = False) -> Outcome:
    """Parse one file's bytes into the rows the database stores; never raises.
    ``strict`` is :func:`govreport.parse`'s (an unreadable table fails the file)."""
    from govreport.pipeline import parse  # here: the batch's parent never parses

    started = time.perf_counter()
    error_type = error = None
    error_line = error_column = None
    report = None
    try:
        report = parse(data, strict=strict)
        status = OK
        unstorable = next(((p, c.value) for p, c in report.cells() if not fits(c.value)), None)
        if unstorable:
            report = None
            status, error_type = ERROR, "UnstorableValue"
            error = (f"{unstorable[0]} = {unstorable[1]} does not fit the database exactly "
                     "(a BIGINT count, a DECIMAL(38, 10) amount); parse the file on its "
                     "own to see it")  # fmt: skip
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
    values = _report_values(path, data, digest, status, strict)
    values.update(error_type=error_type, error=error, error_line=error_line,
                  error_column=error_column, seconds=seconds)  # fmt: skip
    children: dict[str, tuple[tuple, ...]] = {}
    if report is not None:
        rows = {
            "cells": list(cell_rows(report)),
            "findings": list(finding_rows(report)),
            "sections": list(section_rows(report)),
            "unrecognised": list(unrecognised_rows(report)),
        }
        children = {name: columns(rows[name], len(names)) for name, names in CHILD_TABLES.items()}
        values.update(zip(REPORT_COLUMNS, report_row(report), strict=True))
        values.update(
            text_hash=text_key(report.original_text),
            cells=len(rows["cells"]),
            findings=len(report.findings),
            unrecognised=len(report.unrecognised),
            errors=sum(f.severity is Severity.ERROR for f in report.findings),
        )
    row = tuple(values[name] for name in REPORTS_COLUMNS)
    return Outcome(values["hash"], path, row, children)


def _report_values(
    path: str, data: bytes, digest: str | None, status: str, strict: bool
) -> dict[str, object]:
    """A ``reports`` row's columns for one file's content, as a dict (no report's yet)."""
    values: dict[str, object] = dict.fromkeys(REPORTS_COLUMNS)
    values.update(
        hash=digest or hashlib.sha256(data).hexdigest(), path=path, bytes=len(data),
        status=status, govreport_version=__version__, strict=strict,
        schema_version=SCHEMA_VERSION,
        parsed_at=datetime.now(timezone.utc).replace(tzinfo=None),
    )  # fmt: skip
    return values


def lost(path: str, why: str, error_type: str, *, strict: bool = False) -> Outcome:
    """The outcome of a file whose parse never finished: its worker process died or ran
    past the time allowed (status ``crash``; read again here to key it by content)."""
    digest = hashlib.sha256()
    try:  # in blocks: the file may be what took its worker's memory
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
            size = f.tell()
    except OSError as exc:
        return unreadable(path, exc.strerror or str(exc))
    values = _report_values(path, b"", digest.hexdigest(), CRASH, strict)
    values.update(bytes=size, error_type=error_type, error=f"{why}; please report it")
    return Outcome(str(values["hash"]), path, tuple(values[n] for n in REPORTS_COLUMNS))


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
_STRICT = False


def _init_worker(done: frozenset[str], strict: bool = False) -> None:
    global _DONE, _STRICT
    _DONE, _STRICT = done, strict
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    import govreport.pipeline  # noqa: F401  (now, while the parent gets ready)


@contextlib.contextmanager
def _starting_workers() -> Iterator[None]:
    """Start worker processes that neither run the caller's script again nor die of an
    early Ctrl-C.

    A spawned worker imports the parent's ``__main__`` (a script that calls
    :func:`run` at top level would run again in every worker): while the workers
    start, ``__main__`` is a blank module, which they need not import — they run
    govreport's functions only. SIGINT is ignored meanwhile, which the workers
    inherit, so a Ctrl-C while they import reaches the parent only."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _in_a_starting_worker() -> bool:
    """Whether this process is a worker importing its parent's script (which called
    :func:`run` at top level)."""
    current = multiprocessing.current_process()
    return multiprocessing.parent_process() is not None and getattr(current, "_inheriting", False)


def _work(path: str) -> Outcome | _Seen:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return unreadable(path, exc.strerror or str(exc))
    digest = hashlib.sha256(data).hexdigest()
    if digest in _DONE:
        return _Seen(path, digest, len(data))
    return outcome(path, data, digest, strict=_STRICT)


def _serve(conn: Any, done: frozenset[str], strict: bool) -> None:
    """A worker process: READY once it has imported the parser, then each path
    received is answered with its outcome, until None."""
    _init_worker(done, strict)
    try:
        conn.send(READY)
    except (EOFError, OSError):
        return
    while True:
        try:
            path = conn.recv()
            if path is None:
                return
            conn.send(_work(path))
        except (EOFError, OSError):  # the parent is gone
            return


def _workers(jobs: int, done: frozenset[str], strict: bool, timeout: float | None) -> Workers:
    """The worker processes (started by ``start()``)."""
    return Workers(multiprocessing.get_context("spawn"), jobs, _serve, (done, strict),
                   depth=AHEAD_PER_JOB, timeout=timeout, starting=_starting_workers)  # fmt: skip


def run(
    targets: Sequence[str],
    db: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    force: bool = False,
    pattern: str | Sequence[str] = ALL_FILES,
    progress: bool | None = None,
    log: TextIO | None = None,
    strict: bool = False,
    timeout: float | None = TIMEOUT,
) -> Summary:
    """Parse every file of ``targets`` into the database ``db``; see :mod:`govreport.batch`.

    ``jobs`` worker processes (default: all cores; never more than the files);
    ``pattern``: the names to take in folders (:func:`discover`); ``strict`` as in
    :func:`govreport.parse` (a content stored by a run with the other ``strict`` is
    parsed again); ``progress`` shows a progress bar on stderr (default: when stderr is
    a terminal). Messages about unreadable files, and files that did not parse (one
    line each, as ``govreport parse`` gives), go to ``log`` (default stderr). A file
    whose parse takes longer than ``timeout`` seconds (None: no limit), or kills its
    worker process, is stored with status ``crash`` and the batch goes on. Returns
    what was done (`Summary.failures` lists the files that failed); KeyboardInterrupt
    stops the batch cleanly, with ``Summary.interrupted`` set.

    It may be called at the top of a script without an ``if __name__ == "__main__":``
    guard: the worker processes do not run the script again (and should one import it
    anyway, ``run`` does nothing there).
    """
    import duckdb

    from govreport.batch.store import Store

    if _in_a_starting_worker():  # a worker importing a script that calls run()
        return Summary()
    log = log or sys.stderr
    started = time.perf_counter()
    # a deque that is emptied as the paths are handed out (by the worker pool), so they are not
    # all held to the end
    paths = collections.deque(discover(targets, pattern))
    summary = Summary(files=len(paths))
    # no more workers than files: each costs its start (about half a second of CPU)
    jobs = min(jobs or os.cpu_count() or 1, len(paths))
    with Store(db) as store:
        previous = store.statuses()
        errors = store.errors()
        done = frozenset() if force else frozenset(store.done(strict=strict))
        # the contents of pending, and the stored ones that this run parsed again; the
        # others this run wrote are the database's (Store.write does not write them twice)
        written: set[str] = set()
        pending: list[Outcome] = []
        files: list[tuple[str, str | None, int | None, str | None]] = []
        last_flush = time.perf_counter()

        def flush() -> None:
            nonlocal last_flush
            outcomes, held = pending[:], files[:]
            pending.clear()  # before writing: an interrupt must not write them twice
            files.clear()
            replace = [o.hash for o in outcomes if o.hash in previous]
            stored = store.write(outcomes, held, replace=replace)  # written by an earlier flush
            for o in outcomes:
                if o.hash in stored:
                    summary.duplicates += 1
                else:
                    summary.parsed += 1
                    summary.statuses[o.status] = summary.statuses.get(o.status, 0) + 1
            written.difference_update(o.hash for o in outcomes if o.hash not in previous)
            last_flush = time.perf_counter()

        bar = None

        def failed(path: str, why: str) -> None:
            summary.failed += 1
            summary.failures.append((path, why))
            message = f"govreport: {path}: {why}"
            if bar is None or bar.disable:
                print(message, file=log)
            else:
                bar.write(message, file=log)

        pool: Workers | None = None
        again: collections.deque[str] = collections.deque()  # a dead worker's files

        def hand_out() -> None:
            assert pool is not None
            while pool.free() and (again or paths):
                pool.send((again or paths).popleft())

        def results() -> Iterator[Outcome | _Seen]:
            assert pool is not None
            while True:
                hand_out()
                if not pool.outstanding():
                    return
                for result in pool.results(again):
                    if isinstance(result, Lost):
                        result = lost(result.path, result.why, result.error_type, strict=strict)
                    yield result

        broken = False
        tail_written = False
        try:
            if jobs:  # (no files: no workers)
                pool = _workers(jobs, done, strict, timeout)
                pool.start()
                hand_out()  # their first files, to parse as soon as they have started
            # what only the parent needs is imported while the workers start
            store.prepare_writes()
            from tqdm import tqdm

            bar = tqdm(
                total=summary.files,
                unit="file",
                desc="govreport batch",
                file=sys.stderr,
                disable=not (sys.stderr.isatty() if progress is None else progress),
                smoothing=0.1,
            )
            for result in results() if pool is not None else ():
                if isinstance(result, _Seen):
                    summary.skipped += 1
                    if previous.get(result.hash) != OK:
                        failed(result.path, errors.get(result.hash) or "did not parse")
                    files.append((result.path, result.hash, result.bytes, None))
                elif result.status == UNREADABLE:
                    summary.unreadable += 1
                    failed(result.path, f"cannot read: {result.error}")
                    files.append((result.path, None, None, result.error))
                elif result.hash in written:
                    summary.duplicates += 1
                    if not result.ok:
                        failed(result.path, result.error or result.status)
                    files.append((result.path, result.hash, result.bytes, None))
                else:  # counted when written (flush): it may be a duplicate still
                    written.add(result.hash)
                    if not result.ok:
                        failed(result.path, result.error or result.status)
                    pending.append(result)
                    files.append((result.path, result.hash, result.bytes, None))
                bar.update()
                bar.set_postfix(failed=summary.failed, refresh=False)
                # once the last files are handed out, what is pending is written while
                # the workers parse them: the final write (on one core) is short
                tail = not tail_written and not (paths or again)
                if (
                    len(pending) >= FLUSH_EVERY
                    or len(files) >= FLUSH_FILES
                    or time.perf_counter() - last_flush > FLUSH_SECONDS
                    or tail
                ):
                    tail_written = tail_written or tail
                    flush()
            if pool is not None:
                pool.close()
                pool = None
        except (KeyboardInterrupt, duckdb.InterruptException):
            summary.interrupted = True
            if pool is not None:
                pool.kill()
                pool = None
        except BaseException:
            # another error (the database failing to write, say): the workers stop, and
            # the error goes through as raised, nothing more written
            broken = True
            raise
        finally:
            if pool is not None:  # (broken: an error in the parent)
                pool.kill()
            if bar is not None:
                bar.close()
            if not broken:
                flush()
        if not summary.interrupted:
            summary.pruned = store.prune()
        summary.same_report = store.mark_duplicates()
    summary.seconds = time.perf_counter() - started
    return summary
