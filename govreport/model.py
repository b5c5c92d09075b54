"""The typed report model: small frozen attrs classes.

Equality compares data, not provenance: source lines, columns and raw text are
kept on every cell but excluded from ``==`` so that a report rebuilt from another
layout compares equal to the original.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property

from attrs import field, frozen

from govreport.document import Source
from govreport.spec import paths
from govreport.spec.codes import CODES, Severity

Number = int | Decimal


class CellState(enum.Enum):
    """What a table cell holds. Blank, placeholder and zero are never conflated."""

    NUMBER = "number"  #: a value was printed
    BLANK = "blank"  #: the cell is empty — not zero
    PLACEHOLDER = "placeholder"  #: ``/``, ``—``, ``无`` … — neither zero nor blank
    AMBIGUOUS = "ambiguous"  #: damaged input admits several readings; see ``candidates``


@frozen
class Cell:
    """One table cell.

    ``value`` is set only for ``NUMBER``. ``inferred`` marks a cell whose column
    (or value) was not printed where it belongs but deduced from the table's
    arithmetic; ``candidates`` lists the possible values of an ``AMBIGUOUS`` cell
    (``None`` standing for blank, a string for a placeholder as printed) — empty
    when the row had too many readings to list (finding R3) or none that could be
    read (finding R4).
    """

    state: CellState
    value: Number | None = None
    inferred: bool = False
    candidates: tuple[Number | str | None, ...] = ()
    raw: str = field(default="", eq=False)
    line: int | None = field(default=None, eq=False)
    column: int | None = field(default=None, eq=False)
    #: Where the cell came from when the reader knows more than a text line and
    #: column: page and box (PDF), table/row/column (HTML, DOCX).
    source: Source | None = field(default=None, eq=False)


@frozen
class Row:
    """One table row: its cells by column key (``natural_person`` … ``total``), the label
    as printed and the source line it starts on. A row the report leaves out is absent
    from its table, not a row of blank cells."""

    key: str
    cells: dict[str, Cell]
    label: str = field(default="", eq=False)
    line: int | None = field(default=None, eq=False)


@frozen
class Table:
    """One of the three statistical tables (``active_disclosure``, ``applications``,
    ``review_litigation``): its rows by row key, as in the data dictionary."""

    key: str
    rows: dict[str, Row]
    #: Source lines the table occupies (captions, headers, fillers and rows).
    lines: tuple[int, ...] = field(default=(), eq=False)


@frozen
class Section:
    """One of the six report sections (1–6): its heading as printed and its prose (the
    table's lines are not in ``text``)."""

    number: int
    heading: str
    text: str
    line: int | None = field(default=None, eq=False)
    #: Source lines of the prose in ``text``.
    text_lines: tuple[int, ...] = field(default=(), eq=False)


@frozen
class SourceLine:
    """A non-empty input line that is not part of the model, and why."""

    line: int
    text: str
    reason: str


def _catalogued(finding: Finding, attribute: object, code: str) -> None:
    known = CODES.get(code)
    if known is None:
        raise ValueError(f"finding code {code!r} is not in govreport.spec.codes.CODES")
    if known.severity is not finding.severity:
        raise ValueError(f"{code} has severity {known.severity.value}, not {finding.severity}")


@frozen
class Finding:
    """Something worth knowing about the source: a broken relation, a recovery, …

    ``code`` is one of :data:`govreport.spec.codes.CODES`, with that code's severity.
    """

    code: str = field(validator=_catalogued)
    severity: Severity
    message: str
    paths: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()
    expected: str | None = None
    actual: str | None = None
    candidates: tuple[str, ...] = ()


@frozen
class Report:
    """One annual report: its template, year and agency, the sections it prints, the
    three tables, the input lines that are not part of the model (``unrecognised``) and
    the findings of the checks. Look a cell up with :meth:`cell` or :meth:`get` by its
    path (``applications/results.total/natural_person``), or walk :meth:`cells`."""

    template: str
    year: int | None
    agency: str | None
    sections: tuple[Section, ...]
    active_disclosure: Table
    applications: Table
    review_litigation: Table
    #: Text before section 一 other than the title.
    preamble: str = ""
    title: str | None = field(default=None, eq=False)
    title_lines: tuple[int, ...] = field(default=(), eq=False)
    preamble_lines: tuple[int, ...] = field(default=(), eq=False)
    #: Where ``year`` came from: ``title``, ``statistics-period`` or ``text`` (inferred).
    year_source: str | None = field(default=None, eq=False)
    layout: str | None = field(default=None, eq=False)
    #: The reader that read the input: ``text``, ``pdf``, ``html`` or ``docx``.
    reader: str = field(default="text", eq=False)
    #: What the source says about itself outside the report (a crawler's header:
    #: ``title``, ``published``, ``url`` …).
    metadata: dict[str, str] = field(factory=dict, eq=False)
    #: Source lines that hold ``metadata`` (a crawler's header).
    metadata_lines: tuple[int, ...] = field(default=(), eq=False)
    script: str = field(default="simplified", eq=False)
    unrecognised: tuple[SourceLine, ...] = field(default=(), eq=False)
    findings: tuple[Finding, ...] = field(default=(), eq=False)
    #: The text exactly as decoded, before any normalisation.
    original_text: str = field(default="", eq=False, repr=False)

    @property
    def tables(self) -> tuple[Table, Table, Table]:
        return (self.active_disclosure, self.applications, self.review_litigation)

    def section(self, number: int) -> Section | None:
        for section in self.sections:
            if section.number == number:
                return section
        return None

    def cells(self) -> Iterator[tuple[str, Cell]]:
        """Every cell with its path ``<table>/<row key>/<column key>``."""
        for table, row, column, cell in self.cells_by_part():
            yield paths.join(table, row, column), cell

    def cells_by_part(self) -> Iterator[tuple[str, str, str, Cell]]:
        """Every cell with its table key, row key and column key (the parts of its path)."""
        for table in self.tables:
            for row in table.rows.values():
                for column, cell in row.cells.items():
                    yield table.key, row.key, column, cell

    def source_lines(self) -> set[int]:
        """Every source line the model holds (titles, headings, prose, tables)."""
        used = {*self.title_lines, *self.preamble_lines, *self.metadata_lines}
        for section in self.sections:
            used.update(section.text_lines)
            if section.line is not None:
                used.add(section.line)
        for table in self.tables:
            used.update(table.lines)
        return used

    @cached_property
    def _index(self) -> dict[str, Cell]:
        return dict(self.cells())

    def get(self, path: str) -> Cell | None:
        """The cell at ``path``, or None when the report has no such cell (a row the
        report leaves out, an unreadable table). ValueError if ``path`` is no path."""
        found = self._index.get(path)
        if found is None:
            paths.split(path)  # a path that is no path is an error, not an absent cell
        return found

    def cell(self, path: str) -> Cell:
        """The cell at ``path``; KeyError naming the path when the report has none."""
        found = self.get(path)
        if found is None:
            raise KeyError(
                f"{path!r}: no such cell in this report (the row may be absent from the "
                "report, or the path is not in the data dictionary, docs/spec/FORMAT.md §5); "
                "use Report.get(path) to get None instead"
            )
        return found
