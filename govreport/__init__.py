"""govreport: Chinese government information disclosure annual reports as typed, checked data.

>>> import govreport
>>> report = govreport.parse_file("report.txt")  # doctest: +SKIP
>>> report.cell("applications/new_received/total").value  # doctest: +SKIP
8

The public names are imported when first used, so that a process that needs only part
of the package (the parent of a batch, which writes the database while its workers
parse) does not pay for importing the parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govreport.checks import compare
    from govreport.errors import (
        DecodeError,
        LayoutError,
        LegacyReportError,
        ParseError,
        StructureError,
        TableError,
    )
    from govreport.model import (
        Cell,
        CellState,
        Finding,
        Report,
        Row,
        Section,
        Severity,
        SourceLine,
        Table,
    )
    from govreport.output.export import to_arrow, to_dataframe
    from govreport.output.serialise import dumps
    from govreport.pipeline import parse, parse_file

#: Each public name → the module that defines it.
_WHERE = {
    "compare": "govreport.checks",
    **dict.fromkeys(
        (
            "DecodeError",
            "LayoutError",
            "LegacyReportError",
            "ParseError",
            "StructureError",
            "TableError",
        ),
        "govreport.errors",
    ),
    **dict.fromkeys(
        (
            "Cell",
            "CellState",
            "Finding",
            "Report",
            "Row",
            "Section",
            "Severity",
            "SourceLine",
            "Table",
        ),
        "govreport.model",
    ),
    "to_arrow": "govreport.output.export",
    "to_dataframe": "govreport.output.export",
    "dumps": "govreport.output.serialise",
    "parse": "govreport.pipeline",
    "parse_file": "govreport.pipeline",
}

__all__ = [
    "Cell",
    "CellState",
    "DecodeError",
    "Finding",
    "LayoutError",
    "LegacyReportError",
    "ParseError",
    "Report",
    "Row",
    "Section",
    "Severity",
    "SourceLine",
    "StructureError",
    "Table",
    "TableError",
    "compare",
    "dumps",
    "parse",
    "parse_file",
    "to_arrow",
    "to_dataframe",
]
__version__ = "0.1.0"


if not TYPE_CHECKING:  # to a type checker, a name not imported above is a mistake

    def __getattr__(name: str) -> Any:
        where = _WHERE.get(name)
        if where is None:
            raise AttributeError(f"module 'govreport' has no attribute {name!r}")
        value = getattr(importlib.import_module(where), name)
        globals()[name] = value  # found at once from now on
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
