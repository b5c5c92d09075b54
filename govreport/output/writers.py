"""Writers of table rows, one per text layout (registered with the layout in
:data:`govreport.readers.layouts.LAYOUTS`): each turns a table's rows into lines."""

from __future__ import annotations

from collections.abc import Iterable

#: A table row to write: label cells, then value cells ("" for blank).
WrittenRow = tuple[list[str], list[str]]


def _padded(rows: Iterable[WrittenRow]) -> list[list[str]]:
    """Captions and headers padded to the table's width, as converters print them.

    Data rows are not padded: a padding cell after a blank value would make the
    blank indistinguishable from padding, and the parser would rightly call the
    cell ambiguous.
    """
    rows = list(rows)
    width = max((len(labels) + len(values) for labels, values in rows), default=0)
    return [
        [*labels, *values] if values else labels + [""] * (width - len(labels))
        for labels, values in rows
    ]


def _no_blank_rows(rows: Iterable[WrittenRow], layout: str) -> Iterable[WrittenRow]:
    """``rows``; ValueError at a row of blank cells, which a layout that prints a blank
    cell as nothing cannot write (its label alone would not read as a row of blanks)."""
    for labels, values in rows:
        if values and not any(values):
            raise ValueError(f"a row of blank cells cannot be written {layout}")
        yield labels, values


def pipe(rows: Iterable[WrittenRow]) -> list[str]:
    return [" | ".join(row) + " |" for row in _padded(rows)]


def tab(rows: Iterable[WrittenRow]) -> list[str]:
    # a tab ends each row, as in real extractions, so a blank last cell still shows
    return ["\t".join(row) + "\t" for row in _padded(rows)]


def markdown(rows: Iterable[WrittenRow]) -> list[str]:
    out = []
    for row in _padded(rows):
        out.append("| " + " | ".join(row) + " |")
        if len(out) == 1:  # the delimiter row goes under a table's first row
            out.append("|" + "---|" * len(row))
    return out


def space_aligned(rows: Iterable[WrittenRow]) -> list[str]:
    # As pdftotext -layout prints a table: cells split by runs of spaces, so a blank
    # cell prints nothing at all (the parser then places the row's values by the
    # table's arithmetic, or leaves them ambiguous).
    out = []
    for labels, values in _no_blank_rows(rows, "space-aligned"):
        if any(" " in cell for cell in [*labels, *values]):
            raise ValueError("cells with spaces cannot be written space-aligned")
        # captions and headers print indented, as cells centred over a table's
        # columns do; flush under a row label no narrower, they would continue it
        indent = "" if values else " " * 8
        out.append(indent + "    ".join(cell for cell in [*labels, *values] if cell))
    return out


def cell_per_line(rows: Iterable[WrittenRow]) -> list[str]:
    out = []
    for labels, values in rows:
        out.extend(f"{cell} |".strip() if cell else "|" for cell in [*labels, *values])
        out.append("||")
    return out


def line_per_cell(rows: Iterable[WrittenRow]) -> list[str]:
    # As PyMuPDF's get_text() prints a table: each cell on a line of its own, a blank
    # cell not at all (the parser then places the row's values by the table's
    # arithmetic, or leaves them ambiguous)
    out = []
    for labels, values in _no_blank_rows(rows, "line-per-cell"):
        out.extend(cell for cell in [*labels, *values] if cell)
    return out


def indented(rows: Iterable[WrittenRow]) -> list[str]:
    out = []
    for labels, values in rows:
        out.extend(f"\t{cell}" for cell in [*labels, *values])
        out.append("")
    return out


def run_together(rows: Iterable[WrittenRow]) -> list[str]:
    out = []
    for labels, values in rows:
        if any(v.startswith("-") or not (v[:1].isdigit() or v == "") for v in values):
            raise ValueError("only digit values can be written run together")
        out.append("".join(labels) + "".join(values))
    return out
