"""Corpus cases: ``corpus/<case>/input.<ext>`` (a report, byte for byte) and
``corpus/<case>/expected.json`` (what parsing it must give, checked by eye).

``python -m tests.corpus CASE_DIR`` prints a *draft* expected file for a new
case. A draft is only a typing aid: check every value against the source text
before committing it — an expected file generated and accepted blindly tests
nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from govreport import CellState, Report, parse_file
from govreport.output.export import converter

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


#: Corpus folders that hold no report case (``errors/``: inputs that must fail).
NOT_CASES = {"errors"}


def cases() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name not in NOT_CASES)


def input_file(case: Path) -> Path:
    """The case's input: ``input.txt``, ``input.pdf``, ``input.html``, ``input.docx`` …"""
    found = sorted(case.glob("input.*"))
    if len(found) != 1:
        raise FileNotFoundError(f"{case} must hold exactly one input.* file, not {found}")
    return found[0]


def compact_cell(cell) -> Any:
    """A cell as written in expected files: a number, "blank", "placeholder",
    {"value": v, "inferred": true} or {"ambiguous": [candidates]}."""
    if cell.state is CellState.AMBIGUOUS:
        return {"ambiguous": converter.unstructure(cell.candidates)}
    if cell.state is CellState.NUMBER:
        value = converter.unstructure(cell.value)
    else:
        value = cell.state.value
    return {"value": value, "inferred": True} if cell.inferred else value


def actual(report: Report) -> dict[str, Any]:
    """The parts of a report an expected file pins down."""
    return {
        "template": report.template,
        "year": report.year,
        "year_source": report.year_source,
        "agency": report.agency,
        "layout": report.layout,
        "reader": report.reader,
        "script": report.script,
        "sections": {str(s.number): s.heading for s in report.sections},
        "unrecognised": [u.line for u in report.unrecognised],
        "findings": sorted({f.code for f in report.findings}),
        "cells": {path: compact_cell(cell) for path, cell in report.cells()},
    }


def expected(case: Path) -> dict[str, Any]:
    data = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    data.pop("note", None)
    return data


if __name__ == "__main__":
    draft = actual(parse_file(input_file(Path(sys.argv[1]))))
    print(
        json.dumps(
            {"note": "DRAFT - check every value against the input", **draft},
            ensure_ascii=False,
            indent=1,
        )
    )
