"""MkDocs hooks: the reference pages generated from the code, so they cannot drift.

* ``reference/data-dictionary.md`` — every table, row and column of both templates, with
  its cell path (``govreport.spec.dictionary``);
* ``reference/checks.md`` — every finding code (``govreport.spec.codes``);
* ``reference/cli.md`` — every command's ``--help`` (``govreport.cli``);
* ``reference/schema.md``, ``reference/report.schema.json``, ``reference/cell.schema.json``
  — the JSON Schemas of ``govreport parse --format json`` and ``--format cells``
  (``govreport.output.schema``).
"""

from __future__ import annotations

import argparse
import io
import json
from contextlib import redirect_stdout

from mkdocs.structure.files import File, Files

from govreport.cli import _arguments
from govreport.output.schema import cell_schema, report_schema
from govreport.readers.layouts import LAYOUTS
from govreport.spec.codes import CODES
from govreport.spec.dictionary import SECTIONS, TEMPLATES


def data_dictionary() -> str:
    out = [
        "# Data dictionary",
        "",
        "Generated from `govreport/dictionary.py`. A cell's path is "
        "`<table>/<row>/<column>`, e.g. `applications/results.total/natural_person`; "
        "the names are those of the format specification (`spec/FORMAT.md` §5), which "
        "the test suite checks.",
        "",
        "## Sections",
        "",
        "| number | heading |",
        "|---|---|",
        *(f"| {n} | {heading} |" for n, heading in sorted(SECTIONS.items())),
    ]
    for template in TEMPLATES.values():
        out += ["", f"## Template {template.id}", "", f"{template.document} — {template.years}."]
        for table in template.tables:
            out += [
                "",
                f"### `{table.key}` (section {table.section}: {table.title})",
                "",
                "| row | label | columns (key: label, kind) |",
                "|---|---|---|",
            ]
            for row in table.rows:
                columns = "<br>".join(f"`{c.key}`: {c.label} ({c.kind.value})" for c in row.columns)
                out.append(f"| `{row.key}` | {row.label} | {columns} |")
        paths = list(template.paths())
        out += ["", f"All {len(paths)} paths of template {template.id}:", "", "```text"]
        out += [*paths, "```"]
    return "\n".join(out) + "\n"


def checks() -> str:
    out = [
        "# Checks catalogue",
        "",
        "Generated from `govreport/codes.py`. Every finding a report carries has one of "
        "these codes and its severity. `govreport check` exits 1 when a report has an "
        "error-severity finding.",
        "",
        "| code | severity | kind | meaning |",
        "|---|---|---|---|",
    ]
    out += [f"| `{c.code}` | {c.severity.value} | {c.kind} | {c.meaning} |" for c in CODES.values()]
    return "\n".join(out) + "\n"


def cli() -> str:
    top = _arguments()
    out = ["# Command line", "", "Generated from `govreport --help`.", "", "```text"]
    out += [top.format_help().rstrip(), "```"]
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        out += ["", f"## `govreport {name}`", "", "```text", sub.format_help().rstrip(), "```"]
    out += [
        "",
        "## Layouts (`--layout`)",
        "",
        "| name | description |",
        "|---|---|",
        *(
            f"| `{layout.name}` | {layout.description.replace('|', '&#124;')} |"
            for layout in LAYOUTS.values()
        ),
    ]
    return "\n".join(out) + "\n"


def _json(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema() -> str:
    out = [
        "# JSON Schema",
        "",
        "Generated from the model (`govreport.output.schema`), in JSON Schema draft 2020-12; "
        "the test suite validates the output of every corpus case against them.",
        "",
        "- [report.schema.json](report.schema.json): `govreport parse --format json` "
        "(`govreport.output.export.to_dict`) — one report, or an array of reports (each "
        "with its `file`) when several files are given;",
        "- [cell.schema.json](cell.schema.json): one line of `govreport parse --format "
        "cells` (`govreport.output.export.cell_records`).",
        "",
        "A cell's `value` is a number exactly when its `state` is `number`: a blank, a "
        "placeholder or an ambiguous cell has `null`, never 0. Validate with any JSON Schema "
        "library, e.g. Python's `jsonschema`:",
        "",
        "```python",
        "import json, jsonschema",
        "from govreport.output.schema import report_schema",
        "",
        'jsonschema.validate(json.load(open("report.json")), report_schema())',
        "```",
        "",
        "## `report.schema.json`",
        "",
        "```json",
        _json(report_schema()).rstrip(),
        "```",
        "",
        "## `cell.schema.json`",
        "",
        "```json",
        _json(cell_schema()).rstrip(),
        "```",
    ]
    return "\n".join(out) + "\n"


PAGES = {
    "reference/data-dictionary.md": data_dictionary,
    "reference/checks.md": checks,
    "reference/cli.md": cli,
    "reference/schema.md": schema,
    "reference/report.schema.json": lambda: _json(report_schema()),
    "reference/cell.schema.json": lambda: _json(cell_schema()),
}


def on_files(files: Files, config) -> Files:
    for path, make in PAGES.items():
        with redirect_stdout(io.StringIO()):
            content = make()
        files.append(File.generated(config, path, content=content))
    return files
