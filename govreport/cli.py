"""The ``govreport`` command.

Exit codes (:data:`EXIT_CODES`, also in ``--help``): 0 when every file parsed into a
whole report with no error-severity finding; 1 when a report has an error-severity
finding (a broken relation, a table that could not be read: T2, …) or is partial
(rows left out: T3) — the same rule for ``parse`` (which still prints the report and
says why on stderr, one line per file) and ``check``; for ``compare``, an
error-severity finding of the comparison; 2 when any file could not be parsed (each
such file gets a one-line message on stderr — for ``batch``, a row in the database;
the others are still processed); 130 when ``batch`` was interrupted (the database
holds every file finished so far). The highest code that applies wins.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from typing import Any, TextIO

from govreport import __version__
from govreport.errors import ParseError
from govreport.model import Finding, Report, Severity
from govreport.output.export import cell_records, converter, to_csv, to_dict
from govreport.spec.dictionary import TEMPLATES

# The parser is imported by the commands that parse, not by `batch` or `export`, whose
# process only writes or reads the database (a batch's workers parse).


class _Names(Sequence[str]):
    """The sorted names of a registry, looked up when first needed (as ``choices``, when
    an option is given or help is printed: the option has a ``metavar``, or argparse
    would list them as it builds the parser)."""

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        self._load = names

    @cached_property
    def _names(self) -> list[str]:
        return sorted(self._load())

    def __getitem__(self, index: Any) -> Any:
        return self._names[index]

    def __len__(self) -> int:
        return len(self._names)


def _layouts() -> Iterable[str]:
    from govreport.readers.layouts import LAYOUTS

    return LAYOUTS


LAYOUT_NAMES = _Names(_layouts)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNPARSEABLE = 2
EXIT_INTERRUPTED = 130

#: The exit codes, as ``--help`` shows them.
EXIT_CODES = """\
exit status:
  0    every file parsed; for parse and check, into whole reports with no
       error-severity finding
  1    parse, check: a report has an error-severity finding (e.g. T2: a table
       could not be read) or is partial (T3: rows left out) — parse still
       prints it and says why on stderr; compare: an error-severity finding
  2    a file could not be parsed (one line on stderr each; the others are
       still processed); batch: some file did not parse (see the database)
  130  batch was interrupted (run it again to continue)"""


class _Formatter(argparse.HelpFormatter):
    """Wraps descriptions as usual; prints the exit status table as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("exit status:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


#: What is read: the format is recognised by content, not by the file name.
READS = "report files: text, PDF, HTML or DOCX, recognised by content; - reads stdin"
STRICT = (
    "fail a file whose table cannot be read (exit 2) instead of returning the rest of "
    "the report with finding T2"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``govreport`` command with ``argv`` (default: ``sys.argv[1:]``); returns
    the exit status."""
    args = _arguments().parse_args(argv)
    try:
        # a page command writes its own file; the others print to -o or stdout
        sink = None if getattr(args, "page", False) else getattr(args, "output", None)
        with _output(sink) as out:
            args.sink = out
            return args.run(args)
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # -o names a file that cannot be written
        print(f"govreport: {exc.filename}: cannot write: {exc.strerror}", file=sys.stderr)
        return EXIT_UNPARSEABLE


@contextlib.contextmanager
def _output(name: str | None) -> Iterator[TextIO]:
    """Where a command prints: standard output, or the file ``-o`` names (UTF-8)."""
    if name is None or name == "-":
        yield sys.stdout
        return
    with open(name, "w", encoding="utf-8", newline="") as f:
        yield f


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (UTF-8) instead of standard output",
    )


def _arguments() -> argparse.ArgumentParser:
    common = {"epilog": EXIT_CODES, "formatter_class": _Formatter}
    top = argparse.ArgumentParser(
        prog="govreport",
        description="Turn government information disclosure annual reports (text, PDF, "
        "HTML, DOCX) into typed data.",
        **common,
    )
    top.add_argument("--version", action="version", version=f"govreport {__version__}")
    commands = top.add_subparsers(required=True, metavar="COMMAND")

    p = commands.add_parser(
        "parse",
        help="parse reports (text, PDF, HTML, DOCX) and print their data",
        description="Parse each report and print its data. A partial report (a table "
        "that could not be read, rows left out) is still printed; the command says so on "
        "stderr and exits 1.",
        **common,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help=READS)
    p.add_argument(
        "--format",
        choices=("json", "cells", "csv"),
        default="json",
        help="json: the whole report; cells: one JSON object per cell per line; "
        "csv: one row per cell (default: json)",
    )
    p.add_argument(
        "--layout", choices=LAYOUT_NAMES, metavar="LAYOUT", help="force a table layout: %(choices)s"
    )
    p.add_argument("--template", choices=tuple(TEMPLATES), help="force a template")
    p.add_argument("--strict", action="store_true", help=STRICT)
    _add_output(p)
    p.set_defaults(run=_parse_command)

    c = commands.add_parser(
        "check",
        help="check reports' arithmetic and statements; exit 1 on an error finding or a "
        "partial report",
        **common,
    )
    c.add_argument("files", nargs="+", metavar="FILE", help=READS)
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--all", action="store_true", help="also show info-severity findings")
    c.add_argument(
        "--layout", choices=LAYOUT_NAMES, metavar="LAYOUT", help="force a table layout: %(choices)s"
    )
    c.add_argument("--template", choices=tuple(TEMPLATES), help="force a template")
    c.add_argument("--strict", action="store_true", help=STRICT)
    _add_output(c)
    c.set_defaults(run=_check_command)

    x = commands.add_parser(
        "compare", help="compare one agency's reports of two consecutive years", **common
    )
    x.add_argument(
        "previous", metavar="PREVIOUS", help="the earlier year's report (text, PDF, HTML, DOCX)"
    )
    x.add_argument("current", metavar="CURRENT", help="the later year's report")
    x.add_argument("--format", choices=("text", "json"), default="text")
    x.add_argument("--strict", action="store_true", help=STRICT)
    _add_output(x)
    x.set_defaults(run=_compare_command, layout=None, template=None)

    b = commands.add_parser(
        "batch",
        help="parse a corpus (files, folders, globs) into a DuckDB database",
        description="Parse every file into the database, in parallel: text, PDF, HTML and "
        "DOCX (.doc/.wps through LibreOffice), recognised by content, so folders are read "
        "whatever the file names. Files are keyed by content hash: a re-run skips what is "
        "done. Ctrl-C stops cleanly; run again to continue. A partial report is stored "
        "with its findings (T2, T3) and does not change the exit status.",
        **common,
    )
    b.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="report files (text, PDF, HTML, DOCX), folders (recursive) or globs",
    )
    b.add_argument("--db", required=True, help="the DuckDB database file (created if missing)")
    b.add_argument(
        "--jobs", "-j", type=int, help="worker processes (default: all cores; at most one a file)"
    )
    b.add_argument("--force", action="store_true", help="parse again what is already done")
    b.add_argument(
        "--timeout",
        type=_seconds,
        default=600.0,
        metavar="SECONDS",
        help="stop a file's parse after this long and store it as a crash (default: "
        "%(default)g; 0: no limit); a file that kills its worker is stored so too",
    )
    b.add_argument(
        "--pattern",
        action="append",
        help="take only the files in folders whose name matches; repeat for several "
        "(e.g. --pattern '*.pdf' --pattern '*.htm*'; default: every file)",
    )
    b.add_argument(
        "--strict",
        action="store_true",
        help="store a file whose table cannot be read as status error instead of a report "
        "with finding T2 (contents stored without --strict are parsed again)",
    )
    progress = b.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress", action="store_true", default=None, help="always show the progress bar"
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show it"
    )
    b.set_defaults(run=_batch_command)

    v = commands.add_parser(
        "view",
        help="write a report's audit page: its tables, cells, findings and source, as HTML",
        description="Write one self-contained HTML page (no network) to check a report by "
        "eye: the tables as the template lays them out, each cell's state, raw text and "
        "source, the findings linked to their cells, and the source beside them.",
        **common,
    )
    v.add_argument("file", metavar="FILE", help="a report file: text, PDF, HTML or DOCX")
    v.add_argument(
        "--layout", choices=LAYOUT_NAMES, metavar="LAYOUT", help="force a table layout: %(choices)s"
    )
    v.add_argument("--template", choices=tuple(TEMPLATES), help="force a template")
    v.add_argument("--strict", action="store_true", help=STRICT)
    _add_page_output(v, "FILE's name with .html, in the current folder")
    v.set_defaults(run=_view_command)

    o = commands.add_parser(
        "overview",
        help="write an HTML overview of a batch database: status, findings, years, totals",
        **common,
    )
    o.add_argument("--db", required=True, help="a database written by govreport batch")
    o.add_argument(
        "--views",
        metavar="DIR",
        help="also write every report's audit page into DIR and link the overview to them",
    )
    _add_page_output(o, "overview.html")
    o.set_defaults(run=_overview_command)

    e = commands.add_parser(
        "export", help="write a batch database's tables out as Parquet, CSV or JSON lines", **common
    )
    e.add_argument("--db", required=True, help="a database written by govreport batch")
    e.add_argument("--to", required=True, choices=("parquet", "csv", "jsonl"), dest="fmt")
    e.add_argument(
        "--out", default=".", help="folder for <table>.<format> files (default: current)"
    )
    e.set_defaults(run=_export_command)
    return top


def _add_page_output(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "-o", "--output", metavar="PAGE", help=f"the HTML file to write (default: {default}; "
        "- for standard output)",
    )  # fmt: skip
    parser.set_defaults(page=True)


def _page_path(args: argparse.Namespace, default: str) -> str:
    return args.output if args.output is not None else default


def _write_page(path: str, html: str) -> None:
    if path == "-":
        sys.stdout.write(html)
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    print(f"govreport: wrote {path}", file=sys.stderr)


def _view_command(args: argparse.Namespace) -> int:
    from govreport.view import render_file

    try:
        html = render_file(args.file, layout=args.layout, template=args.template,
                           strict=args.strict)  # fmt: skip
    except (ParseError, OSError) as exc:
        print(f"govreport: {args.file}: {_why(exc)}", file=sys.stderr)
        return EXIT_UNPARSEABLE
    _write_page(_page_path(args, os.path.splitext(os.path.basename(args.file))[0] + ".html"), html)
    return EXIT_OK


def _overview_command(args: argparse.Namespace) -> int:
    if missing := _batch_extra_missing("overview"):
        print(missing, file=sys.stderr)
        return EXIT_UNPARSEABLE
    import duckdb

    from govreport.view import render_overview, write_views

    page = _page_path(args, "overview.html")
    if not os.path.exists(args.db):
        print(f"govreport: {args.db}: no such database (make one with govreport batch)",
              file=sys.stderr)  # fmt: skip
        return EXIT_UNPARSEABLE
    try:
        views = None
        if args.views:
            os.makedirs(args.views, exist_ok=True)
            here = os.path.dirname(os.path.abspath(page)) if page != "-" else os.getcwd()
            views = write_views(args.db, args.views, relative_to=here)
        html = render_overview(args.db, views=views)
    except duckdb.Error as exc:
        print(f"govreport: {args.db}: {exc}", file=sys.stderr)
        return EXIT_UNPARSEABLE
    _write_page(page, html)
    return EXIT_OK


def _read(name: str, args: argparse.Namespace) -> Report:
    from govreport.pipeline import parse, parse_file

    options = {"layout": args.layout, "template": args.template, "strict": args.strict}
    if name == "-":
        return parse(sys.stdin.buffer.read(), **options)
    return parse_file(name, **options)


def _shortfalls(report: Report) -> str | None:
    """Why ``report`` exits 1 — partial (T2: a table not read, T3: rows left out) or
    other error-severity findings — in one line; None when it does not."""
    tables = TEMPLATES[report.template]
    partial, errors = [], []
    for f in report.findings:
        if f.code in ("T2", "T3"):
            key = f.paths[0].split("/")[0] if f.paths else ""
            try:
                where = f"section {tables.table(key).section} table"
            except KeyError:
                where = "a table"
            if f.code == "T2":
                partial.append(f"{where} could not be read (T2)")
            else:
                partial.append(f"{where} leaves out {len(f.paths)} row(s) (T3)")
        elif f.severity is Severity.ERROR and f.code not in errors:
            errors.append(f.code)
    parts = []
    if partial:
        parts.append("partial report: " + "; ".join(partial))
    if errors:
        parts.append(f"error findings: {', '.join(errors)} (govreport check lists them)")
    return "; ".join(parts) or None


def _reports(args: argparse.Namespace, failed: list[str]) -> Iterator[tuple[str, Report]]:
    """Each readable file's report; each unreadable one gets a line on stderr."""
    for name in args.files:
        try:
            report = _read(name, args)
        except (ParseError, OSError) as exc:
            print(f"govreport: {name}: {_why(exc)}", file=sys.stderr)
            failed.append(name)
            continue
        yield name, report


def _parse_command(args: argparse.Namespace) -> int:
    several = len(args.files) > 1
    out = args.sink
    failed: list[str] = []
    short = False
    documents = []
    reports: list[tuple[str, Report]] = []
    for name, report in _reports(args, failed):
        if why := _shortfalls(report):
            print(f"govreport: {name}: {why}", file=sys.stderr)
            short = True
        label = name if several else None
        if args.format == "json":
            doc = to_dict(report)
            documents.append({"file": name, **doc} if several else doc)
        elif args.format == "cells":
            for record in cell_records(report, label):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            reports.append((name, report))
    if args.format == "json" and documents:
        printed = documents if several else documents[0]
        out.write(json.dumps(printed, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv" and reports:
        out.write(to_csv(reports))
    if failed:
        return EXIT_UNPARSEABLE
    return EXIT_FINDINGS if short else EXIT_OK


def _check_command(args: argparse.Namespace) -> int:
    failed: list[str] = []
    reports = list(_reports(args, failed))
    results = [(name, report.findings) for name, report in reports]
    show_info = args.all if args.format == "text" else True
    _print_findings(args.sink, results, args.format, show_info)
    if failed:
        return EXIT_UNPARSEABLE
    short = any(_shortfalls(report) for _, report in reports)
    return EXIT_FINDINGS if short else EXIT_OK


def _compare_command(args: argparse.Namespace) -> int:
    read = {}
    for role, name in (("previous", args.previous), ("current", args.current)):
        try:
            read[role] = _read(name, args)
        except (ParseError, OSError) as exc:
            print(f"govreport: {name}: {_why(exc)}", file=sys.stderr)
    if len(read) < 2:
        return EXIT_UNPARSEABLE
    previous, current = read["previous"], read["current"]
    if previous.year is not None and current.year is not None and previous.year > current.year:
        print(
            f"govreport: the later year given first: {args.previous} is the "
            f"{previous.year} report and {args.current} the {current.year} one; give the "
            f"earlier year first: govreport compare {args.current} {args.previous}",
            file=sys.stderr,
        )
        return EXIT_UNPARSEABLE
    from govreport.checks import compare

    findings = tuple(compare(previous, current))
    notes = _unchecked(args, previous, current)
    if args.format == "json":
        doc = {
            "previous": _side(args.previous, previous),
            "current": _side(args.current, current),
            "findings": converter.unstructure(list(findings)),
            "unchecked": notes,
        }
        args.sink.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        name = f"{args.previous} ({previous.year}) → {args.current} ({current.year})"
        _print_findings(args.sink, [(name, findings)], "text", True)
        for note in notes:
            args.sink.write(f"  not checked: {note}\n")
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


def _side(name: str, report: Report) -> dict[str, Any]:
    """One report of a comparison, as ``compare --format json`` prints it."""
    return {"file": name, "year": report.year, "agency": report.agency,
            "template": report.template}  # fmt: skip


def _unchecked(args: argparse.Namespace, previous: Report, current: Report) -> list[str]:
    """What ``compare`` could not check for want of a year or an agency."""
    notes = []
    for what in ("agency", "year"):
        unknown = [name for name, report in ((args.previous, previous),
                                             (args.current, current))
                   if getattr(report, what) is None]  # fmt: skip
        if unknown:
            whose = " and ".join(unknown)
            check = "that both are by one agency" if what == "agency" else "the years"
            notes.append(f"{check}: the {what} of {whose} is not known")
    return notes


def _seconds(text: str) -> float:
    """A ``--timeout``: a number of seconds ≥ 0."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds ≥ 0")
    return value


def _batch_extra_missing(command: str) -> str | None:
    """Why ``command`` cannot run here (the ``batch`` extra is not installed), or None."""
    # found, not imported: a batch imports each when it needs it (pyarrow and tqdm once
    # its workers are starting)
    needed = ("duckdb", "pyarrow", "tqdm")
    missing = next((m for m in needed if not importlib.util.find_spec(m)), None)
    if missing:
        return (f"govreport {command} needs the batch extra ({missing} is missing): "
                "pip install 'govreport[batch]'")  # fmt: skip
    return None


def _batch_command(args: argparse.Namespace) -> int:
    if missing := _batch_extra_missing("batch"):
        print(missing, file=sys.stderr)
        return EXIT_UNPARSEABLE
    import duckdb

    from govreport.batch import ALL_FILES, WorkerError, run
    from govreport.batch.store import SchemaError

    try:
        summary = run(args.paths, args.db, jobs=args.jobs, force=args.force,
                      pattern=args.pattern or ALL_FILES, progress=args.progress,
                      strict=args.strict, timeout=args.timeout or None)  # fmt: skip
    except (duckdb.Error, OSError, SchemaError) as exc:
        print(f"govreport: {args.db}: {exc}", file=sys.stderr)
        return EXIT_UNPARSEABLE
    except ImportError as exc:  # installed but broken (pyarrow built for another numpy)
        print(f"govreport batch needs the batch extra, and {exc.name or 'a module'} does not "
              f"import: {exc}; pip install --force-reinstall 'govreport[batch]'",
              file=sys.stderr)  # fmt: skip
        return EXIT_UNPARSEABLE
    except WorkerError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return EXIT_UNPARSEABLE
    except KeyboardInterrupt:  # before the batch started or while it was finishing
        print("govreport: interrupted — run again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"govreport: {summary.line()}", file=sys.stderr)
    if summary.failures:
        count = len(summary.failures)
        print(f"govreport: {count} file{'s' if count > 1 else ''} failed (their errors are "
              "in the database):", file=sys.stderr)  # fmt: skip
        for path, _ in summary.failures:
            print(f"  {path}", file=sys.stderr)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_UNPARSEABLE if summary.failed else EXIT_OK


def _export_command(args: argparse.Namespace) -> int:
    if missing := _batch_extra_missing("export"):
        print(missing, file=sys.stderr)
        return EXIT_UNPARSEABLE
    import duckdb

    from govreport.batch.store import Store

    if not os.path.exists(args.db):
        print(f"govreport: {args.db}: no such database (make one with govreport batch)",
              file=sys.stderr)  # fmt: skip
        return EXIT_UNPARSEABLE
    try:
        with Store(args.db, read_only=True) as store:
            for path in store.export(args.out, args.fmt):
                print(path)
    except duckdb.Error as exc:
        print(f"govreport: {args.db}: {exc}", file=sys.stderr)
        return EXIT_UNPARSEABLE
    return EXIT_OK


#: How many source lines ``check`` lists for one finding before "… and N more".
SHOWN_LINES = 40


def _print_findings(
    out: TextIO, results: Sequence[tuple[str, Sequence[Finding]]], fmt: str, show_info: bool
) -> None:
    if fmt == "json":
        doc = [
            {"file": name, "findings": converter.unstructure(list(found))}
            for name, found in results
        ]
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    for name, found in results:
        shown = [f for f in found if show_info or f.severity is not Severity.INFO]
        errors = sum(f.severity is Severity.ERROR for f in found)
        warnings = sum(f.severity is Severity.WARNING for f in found)
        out.write(
            f"{name}: {errors} error(s), {warnings} warning(s), "
            f"{len(found) - errors - warnings} info\n"
        )
        for f in shown:
            out.write(f"  {f.severity.value:7} {f.code:14} {f.message}{_lines(f.lines)}\n")


def _lines(lines: Sequence[int]) -> str:
    """A finding's source lines as ``check`` prints them: every one, or the first
    :data:`SHOWN_LINES` and how many more."""
    if not lines:
        return ""
    listed = ", ".join(map(str, lines[:SHOWN_LINES]))
    more = len(lines) - SHOWN_LINES
    return f" (line {listed}" + (f" … and {more} more)" if more > 0 else ")")


def _why(exc: Exception) -> str:
    if isinstance(exc, ParseError):
        return exc.one_line()
    return f"cannot read: {getattr(exc, 'strerror', exc)}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
