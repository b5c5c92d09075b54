"""The intermediate document: what every reader turns its input into.

A :class:`Document` is the report in reading order, as a sequence of blocks:

* :class:`TextLine` — one line of text (a heading, prose, or a line of a table
  that a text extraction printed as text), with where it came from;
* :class:`Grid` — a table whose cells the source itself delimits (an HTML
  ``<table>``, a DOCX ``w:tbl``, a ruled PDF table): rows of :class:`GridCell`,
  each with its text, its provenance and its row/column span.

Everything after the readers — the skeleton, the table grammars, placement and
the checks — reads only this representation. A grid's cells are where the
source put them (``exact``), so placement takes each row as printed; a text
layout that loses cell positions leaves its table as text lines, and the text
layouts (:mod:`govreport.readers.layouts`) turn them into an inexact grid.
"""

from __future__ import annotations

from collections.abc import Iterator

from attrs import field, frozen


@frozen
class Source:
    """Where a piece of the document came from; each reader sets what it knows.

    ``line``/``column`` (1-based) for text; ``page`` (1-based) and ``bbox``
    (``x0, top, x1, bottom`` in PDF points) for PDF; ``table``/``row``/``col``
    (0-based, the grid position after spans are resolved) for HTML and DOCX.
    """

    line: int | None = None
    column: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def describe(self) -> str:
        """A short human-readable location, e.g. ``page 3, (72.0, 100.5)``."""
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.bbox is not None:
            parts.append("box ({:.1f}, {:.1f}, {:.1f}, {:.1f})".format(*self.bbox))
        if self.table is not None:
            parts.append(f"table {self.table + 1}")
        if self.row is not None:
            parts.append(f"row {self.row + 1}")
        if self.col is not None:
            parts.append(f"column {self.col + 1}")
        if not parts and self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        return ", ".join(parts)


@frozen
class TextLine:
    """One line of text in reading order."""

    text: str
    source: Source = Source()


@frozen
class GridCell:
    """One cell of a grid, placed at its top-left position when it spans."""

    text: str
    source: Source = Source()
    rowspan: int = 1
    colspan: int = 1


@frozen
class Grid:
    """A table whose cells the source delimits: ``rows[r]`` lists the cells that
    *start* in row ``r``, left to right (a cell spanning rows appears once, in its
    first row)."""

    rows: tuple[tuple[GridCell, ...], ...]
    source: Source = Source()
    #: Are cell positions known (the source delimits every cell, blanks included)?
    exact: bool = True


Block = TextLine | Grid


@frozen
class Dropped:
    """Input a reader left out of the document on purpose (page numbers, web-page
    debris), and why; it is reported in the report's ``unrecognised``."""

    text: str
    source: Source
    reason: str


@frozen
class Document:
    """A report as a reader read it: blocks in reading order, plus metadata.

    ``reader`` names the reader (``text``, ``html``, ``docx``, ``pdf``);
    ``metadata`` holds what the source says about itself outside the report
    (a crawler's header: ``title``, ``published``, ``url`` …).
    """

    blocks: tuple[Block, ...]
    reader: str = "text"
    metadata: dict[str, str] = field(factory=dict)
    #: The input as decoded text, when it was text (else a rendering of the blocks).
    original: str = ""
    #: ``simplified`` or ``traditional``: the script the source was written in.
    script: str = "simplified"
    dropped: tuple[Dropped, ...] = ()
    #: Lines that hold ``metadata`` (a crawler's header), by the document's numbering.
    metadata_lines: tuple[int, ...] = ()

    def lines(self) -> Iterator[TextLine]:
        """The text lines, skipping grids."""
        for block in self.blocks:
            if isinstance(block, TextLine):
                yield block

    def grids(self) -> Iterator[Grid]:
        for block in self.blocks:
            if isinstance(block, Grid):
                yield block
