"""Grid tables drawn in text with ``+``, ``-`` and ``|`` (``pandoc -t plain``, reST,
``tabulate``'s ``grid`` format) or with box-drawing characters (``w3m -dump``,
``tabulate``'s ``fancy_grid``): each becomes a :class:`~govreport.document.Grid`, so
its merged cells and cells wrapped over several lines are read as a table whose
cells the source delimits, not as lines of text.

The grid is parsed by docutils' reST grid-table parser. Converters pad cells by
display width — a CJK character takes two columns — so each wide character is padded
to two before the borders are matched, as docutils does for reST; the colons of
pandoc's alignment marks (``+:---:+``) are border. Box-drawing characters are read as
the ASCII border they draw (one column each, as the converters count them)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from govreport.document import Grid, GridCell, Source
from govreport.grammars import vocabulary
from govreport.readers.chars import join_pieces

#: Box-drawing characters as the ASCII border docutils reads: corners and joints ``+``,
#: rules ``-`` (double rules too: docutils takes ``=`` for the head's separator only),
#: bars ``|``.
_BOX = str.maketrans(
    {
        **dict.fromkeys("┌┬┐├┼┤└┴┘╭╮╯╰┏┳┓┣╋┫┗┻┛╔╦╗╠╬╣╚╩╝╒╤╕╞╪╡╘╧╛╓╥╖╟╫╢╙╨╜", "+"),
        **dict.fromkeys("─━═┄┅┈┉╌╍", "-"),
        **dict.fromkeys("│┃║┆┇┊┋╎╏", "|"),
    }
)
_BOX_CORNERS = "┌╭┏╔╒╓"


def may_draw(text: str) -> bool:
    """May ``text`` draw a grid? (A quick test before the lines are matched.)"""
    return "+-" in text or "+:" in text or any(c in text for c in _BOX_CORNERS)


def ascii_borders(text: str) -> str:
    """``text`` with its box-drawing characters as the ASCII border they draw."""
    return text.translate(_BOX)


#: A grid's top or bottom border, or a rule between its rows.
BORDER = re.compile(r"^[^\S\n]*\+(?:[-=:]+\+)+[^\S\n]*$")
#: A line inside a grid: a rule (perhaps under a cell spanning rows) or a row's line.
_INSIDE = re.compile(r"^[^\S\n]*[+|].*[+|][^\S\n]*$")
#: A cell line that is a value alone (a number, a sum of money, a placeholder).
_VALUE = re.compile(
    rf"[+-]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元|件|条|个|项|次|%)?|{vocabulary('PLACEHOLDER_WORD')}"
)
_PAD = "\x00"  # after a wide character: it takes two columns
#: The East Asian widths that take two columns, in the order tried: converters differ
#: on the ambiguous ones (“ ” ① …): pandoc pads them as one column, w3m as two.
_WIDTHS = (("W", "F"), ("W", "F", "A"))
#: Grids of fewer lines are no table (a top border, a row, a bottom border).
MIN_LINES = 3
#: Grids wider (columns, wide characters counted twice) or larger (columns × lines)
#: are no report's table; they stay text.
MAX_WIDTH = 1000
MAX_AREA = 200_000


def spans(lines: Sequence[str]) -> Iterator[tuple[int, int]]:
    """``(first, last)`` index of each grid in ``lines``: from a border, lines inside
    a grid, to the last border before the grid ends."""
    k = 0
    while k < len(lines):
        if not BORDER.match(lines[k]):
            k += 1
            continue
        last = k
        j = k + 1
        while j < len(lines) and _INSIDE.match(lines[j]):
            if BORDER.match(lines[j]):
                last = j
            j += 1
        if last - k + 1 >= MIN_LINES:
            yield k, last
        k = max(last, k) + 1


def grid(lines: Sequence[str], first_line: int, table: int) -> Grid | None:
    """The grid drawn by ``lines`` (the first is source line ``first_line``), or None
    when they draw none docutils can read (a border missing, columns that do not
    line up)."""
    from docutils.parsers.rst.tableparser import GridTableParser, TableMarkupError
    from docutils.statemachine import StringList

    indent = min(len(line) - len(line.lstrip()) for line in lines)
    for wide in _WIDTHS:
        block = [_padded(line[indent:].rstrip(), wide) for line in lines]
        if len({len(line) for line in block}) == 1:
            break
    else:
        return None  # ragged: its columns cannot be told
    block = [_without_alignment(line) if BORDER.match(line) else line for line in block]
    if len(block[0]) > MAX_WIDTH or len(block[0]) * len(block) > MAX_AREA:
        return None  # no report's table: docutils' time grows with the width squared
    try:
        _, head, body = GridTableParser().parse(StringList(block))
    except (TableMarkupError, AssertionError, IndexError):
        return None  # borders docutils cannot follow (it asserts on some broken ones)
    rows = []
    for r, row in enumerate((*head, *body)):
        cells = []
        for c, cell in enumerate(row):
            if cell is None:
                continue  # under a cell spanning rows or columns
            more_rows, more_cols, offset, text = cell
            pieces = [piece.replace(_PAD, "").strip() for piece in text]
            if sum(1 for piece in pieces if _VALUE.fullmatch(piece)) > 1:
                # two values in one cell: rows with no rule between them (MySQL's
                # tables), not a cell wrapped over lines; its lines stay text
                return None
            cells.append(
                GridCell(
                    join_pieces(pieces),
                    Source(line=first_line + offset, table=table, row=r, col=c),
                    rowspan=more_rows + 1,
                    colspan=more_cols + 1,
                )
            )
        rows.append(tuple(cells))
    return Grid(tuple(rows), Source(line=first_line, table=table))


def _without_alignment(border: str) -> str:
    """A border with pandoc's alignment colons drawn as the rule they sit on."""
    return border.replace(":", "=" if "=" in border else "-")


def _padded(line: str, wide: tuple[str, ...]) -> str:
    return "".join(c + _PAD if unicodedata.east_asian_width(c) in wide else c for c in line)
