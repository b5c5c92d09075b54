"""govreport: Chinese government information disclosure annual reports as typed, checked data.

>>> import govreport
>>> report = govreport.parse_file("report.txt")  # doctest: +SKIP
>>> report.cell("applications/new_received/total").value  # doctest: +SKIP
8
"""

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
