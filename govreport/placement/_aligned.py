"""Where a row's values sit on the page, for layouts that print cells at their columns.

``pdftotext -layout`` (and pdfplumber's ``layout=True``, w3m) pads every cell with
spaces to where the page prints it, and prints nothing for a blank cell. A row that
prints fewer values than its columns, all on one line, can then be placed by where its
values stand: under the columns of the rows around it that print every one of theirs.

Only where the table shows that it is laid out so: the nearest such rows above and
below it print each column at one place, give or take a column (a page break between
them moves the columns: each page is laid out anew); at least three rows around it
agree so, with labels of different lengths (text that merely separates cells by spaces
puts the values of a longer label further right, so only rows of equal labels would
agree; text spaced by estimated widths drifts with the label). Each value must stand
under one column, in order, within two columns of its place and within a third of the
narrowest gap between two columns' places (w3m sets a row's cells two columns off where
a label spans two columns). Otherwise there is no such reading, and the arithmetic decides.
A reading found here is kept only where a table whose arithmetic holds takes it
(``placement._narrow_by_position``): positions that mislead are outvoted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import pairwise

from govreport.readers.chars import display_width
from govreport.tables import Printed, PrintedRow

#: How a tool counts a line's columns: in characters (pdftotext, pdfplumber), or in
#: display columns, an ambiguous-width character (“ ”) one or two wide (w3m).
MEASURES = (0, 1, 2)
#: How far (in columns) the full rows around a row may print one column apart: a tool
#: that lays text out prints a column at one place, give or take the rounding of a
#: number's centre; one that only spaces words apart (PyMuPDF's sorted text) drifts
AGREE = 1.0
#: How far from its column's place a value may stand (and no more than a third of the
#: narrowest gap between two columns' places)
STAND = 2.0
#: Full rows that must agree on the columns' places, those above and below together
MIN_ROWS = 3


def columns_of(rows: Sequence[PrintedRow], widths: Sequence[int], i: int) -> tuple[int, ...] | None:
    """The columns row ``i``'s values stand under (in order, one per value), or None
    where their positions do not say — or, counted in characters and in display
    columns, say different things."""
    values = _values(rows[i])
    if values is None or len(values) >= widths[i]:
        return None
    found = {_measured(rows, widths, i, values, m) for m in MEASURES} - {None}
    return found.pop() if len(found) == 1 else None


def _measured(
    rows: Sequence[PrintedRow],
    widths: Sequence[int],
    i: int,
    values: list[Printed],
    measure: int,
) -> tuple[int, ...] | None:
    width = widths[i]
    above = list(_full_rows(rows, widths, range(i - 1, -1, -1), width, measure))
    below = list(_full_rows(rows, widths, range(i + 1, len(rows)), width, measure))
    if not above or not below:
        return None
    centres = [(a + b) / 2 for a, b in zip(above[0][1], below[0][1], strict=True)]
    gaps = [b - a for a, b in pairwise(centres)]
    if min(gaps) <= 0:
        return None

    def agrees(found: list[float]) -> bool:
        return all(
            abs(f - a) <= AGREE and abs(f - b) <= AGREE
            for f, a, b in zip(found, above[0][1], below[0][1], strict=True)
        )

    if not agrees(above[0][1]):  # the row above and the row below print them apart
        return None
    agreeing = [j for side in (above, below) for j in _while(side, agrees)]
    if len(agreeing) < MIN_ROWS or len({len(rows[j].label) for j in agreeing}) < 2:
        return None
    tolerance = min(STAND, min(gaps) / 3)
    placed: list[int] = []
    for value in values:
        at = _centre(value, measure)
        if at is None:
            return None
        column = min(range(width), key=lambda c: abs(centres[c] - at))
        if abs(centres[column] - at) > tolerance or (placed and column <= placed[-1]):
            return None
        placed.append(column)
    return tuple(placed)


def _values(row: PrintedRow) -> list[Printed] | None:
    """The row's values, when all were printed on one line with a position."""
    values = [c for c in row.cells[: row.unbroken] if not c.empty]
    if not values or any(c.kind == "RUN" or c.source is not None for c in values):
        return None
    if len({c.line for c in values}) != 1:
        return None
    return values


def _centre(cell: Printed, measure: int) -> float | None:
    if measure == 0:
        return cell.column + len(cell.text) / 2
    if cell.display is None:
        return None
    return cell.display[measure - 1] + display_width(cell.text, measure) / 2


def _full_rows(
    rows: Sequence[PrintedRow],
    widths: Sequence[int],
    order: Sequence[int],
    width: int,
    measure: int,
) -> Iterator[tuple[int, list[float]]]:
    """The rows in ``order`` that print all of their ``width`` columns on one line,
    each with its values' centres — up to the first such row whose centres cannot be
    measured (no display columns: its line is not the source's, character for
    character), past which no row is taken as evidence."""
    for j in order:
        if widths[j] != width:
            continue
        values = _values(rows[j])
        if values is not None and len(values) == width:
            centres = [_centre(c, measure) for c in values]
            if None in centres:
                return
            yield j, centres  # type: ignore[misc]


def _while(side: list[tuple[int, list[float]]], agrees) -> Iterator[int]:
    """The rows of one side, nearest first, up to the first that prints its columns
    elsewhere."""
    for j, found in side:
        if not agrees(found):
            return
        yield j
