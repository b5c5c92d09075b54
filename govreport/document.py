"""The intermediate document: what every reader turns its input into.

A :class:`Document` is the report in reading order, as a sequence of blocks:

* :class:`TextLine` — one line of text (a heading, prose, or a line of a table
  that a text extraction printed as text), with where it came from;
* :class:`Grid` — a table whose cells the source itself delimits (an HTML
  ``<table>``, a DOCX ``w:tbl``, a ruled PDF table): rows of :class:`GridCell`,
  each with its text, its provenance and its row/column span.

Everything after the readers — the skeleton, the table grammars, placement and
the checks — reads only this representation. A grid's cells are where the
source put them, so placement takes each row as printed; a text extraction that
loses cell positions leaves its table as text lines, which the text layouts
(:mod:`govreport.readers.layouts`) read into cells, and placement infers the
columns the text lost.
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
