"""The ``govreport`` command.

Exit codes: 0 when every file parsed, 2 when any file could not be parsed (each
such file gets a one-line message on stderr; the others are still processed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import ParseError
from .export import cell_records, to_csv, to_dict
from .layouts import LAYOUTS
from .model import Report
from .parse import parse, parse_file

EXIT_OK = 0
EXIT_UNPARSEABLE = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _arguments() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="govreport",
        description="Turn government information disclosure annual reports into typed data.",
    )
    top.add_argument("--version", action="version", version=f"govreport {__version__}")
    commands = top.add_subparsers(required=True, metavar="COMMAND")

    p = commands.add_parser("parse", help="parse report files and print their data")
    p.add_argument("files", nargs="+", metavar="FILE", help="report text files; - reads stdin")
    p.add_argument(
        "--format",
        choices=("json", "cells", "csv"),
        default="json",
        help="json: the whole report; cells: one JSON object per cell per line; "
        "csv: one row per cell (default: json)",
    )
    p.add_argument("--layout", choices=sorted(LAYOUTS), help="force a table layout")
    p.add_argument("--template", choices=("2019", "2021"), help="force a template")
    p.set_defaults(run=_parse_command)
    return top


def _read(name: str, args: argparse.Namespace) -> Report:
    if name == "-":
        return parse(sys.stdin.buffer.read(), layout=args.layout, template=args.template)
    return parse_file(name, layout=args.layout, template=args.template)


def _parse_command(args: argparse.Namespace) -> int:
    several = len(args.files) > 1
    status = EXIT_OK
    documents = []
    records = []
    for name in args.files:
        try:
            report = _read(name, args)
        except ParseError as exc:
            print(f"govreport: {name}: {exc.one_line()}", file=sys.stderr)
            status = EXIT_UNPARSEABLE
            continue
        except OSError as exc:
            print(f"govreport: {name}: cannot read: {exc.strerror}", file=sys.stderr)
            status = EXIT_UNPARSEABLE
            continue
        label = name if several else None
        if args.format == "json":
            doc = to_dict(report)
            documents.append({"file": name, **doc} if several else doc)
        elif args.format == "cells":
            for record in cell_records(report, label):
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            records.extend(cell_records(report, name))
    if args.format == "json" and documents:
        out = documents if several else documents[0]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv" and records:
        sys.stdout.write(to_csv(records))
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
