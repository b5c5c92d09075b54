"""Table layouts: how a text extraction delimits table cells.

Each layout is a grammar in ``grammars/layouts/`` plus a registration here: a
name, the grammar, and a *signature* — a regular expression that a table line of
this layout matches, used to detect the layout and to find where a section's
table starts and ends.

Every layout grammar reduces its region to the same cell stream, using this
vocabulary (so that registering a layout needs no new Python):

* a ``row`` tree: one printed row, its cells split by ``BAR``/``TAB`` tokens
  (two cell tokens with no separator between them are two cells);
* a ``textline`` tree: a line of text cells only, as ``pdftotext -layout``
  prints a table whose long cells wrap *in place*, onto the lines below their
  first. It continues the cells above it when each of its cells sits under a
  text cell of the row above (same column, give or take ``WRAP_COLUMNS``) that
  is no narrower — or of a row further up, when the rows between print nothing
  in that column (a cell spanning rows); otherwise it is a row of its own (a
  caption, a header);
* a ``cell`` tree or a ``CELL`` token: one cell (a leading tab is not text);
* a ``CONTINUATION`` token: more text of the previous cell (a wrapped cell);
* a ``FILLER`` or ``BLANK`` token: the end of a printed row;
* a ``LABEL`` token: a row label, and a ``RUN`` token: the row's values joined
  in one run of digits, which placement splits.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise, product
from math import prod

from attrs import evolve, frozen
from lark import Token, Tree
from lark.exceptions import UnexpectedInput
from lark.visitors import Interpreter

from govreport.document import Source
from govreport.errors import LayoutError
from govreport.grammars import TOKEN_TYPES, parse_text, vocabulary
from govreport.output import writers
from govreport.output.writers import WrittenRow
from govreport.readers.chars import display_columns


@frozen
class Layout:
    name: str
    grammar: str
    signature: re.Pattern[str]
    description: str
    #: Lines that belong to the table once the layout is known (default: the signature).
    region: re.Pattern[str] | None = None
    #: Whether extractions in this layout have been seen to drop blank cells and
    #: left-pack a row's values (seed 003, pipe). Where they print blank cells
    #: (seeds 001, 002, 004), a row that prints all its cells is read as printed.
    may_drop_blanks: bool = False
    #: Writes a table's printed rows (label cells, value cells) as lines of this layout.
    writer: Callable[[Iterable[WrittenRow]], list[str]] | None = None
    #: What ``parse(dumps(report, layout))`` promises: ``exact`` (the same report) or
    #: ``lossy`` (values may come back inferred or ambiguous, never different).
    round_trip: str = "exact"
    #: Does a row print nothing but its own cells? Then a row printing more values than
    #: it has columns shows that the extraction did not print the table row by row
    #: (pdfminer prints a table column by column), and the table is unreadable rather
    #: than read into the wrong rows.
    whole_rows: bool = False
    #: Does a line print each cell at its column's position (``pdftotext -layout`` pads
    #: cells with spaces to where the page prints them)? Then a row printing fewer values
    #: than its columns is placed under the columns its values sit at in the rows of
    #: the table that print every column.
    aligned: bool = False


def _layout(
    name: str,
    signature: str,
    description: str,
    writer: Callable[[Iterable[WrittenRow]], list[str]],
    region: str | None = None,
    may_drop_blanks: bool = False,
    round_trip: str = "exact",
    whole_rows: bool = False,
    aligned: bool = False,
) -> Layout:
    return Layout(
        name,
        f"layouts/{name.replace('-', '_')}",
        re.compile(signature),
        description,
        re.compile(region) if region else None,
        may_drop_blanks,
        writer,
        round_trip,
        whole_rows,
        aligned,
    )


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        _layout(
            "pipe",
            # a bar beside a cell's text, on a line that is no markdown row (| … |);
            # pdfplumber's tables joined with " | " start with a bar where the
            # first cell is empty. (Written so that a search takes time linear in
            # the line: a crawler prints a whole report on one line.)
            r"^(?!\s*\|.*\|\s*$)"
            r"(?:(?:[^|\n]*\|)*?[^\S\n]*[^|\s][^|]*\|\s*\S|\s*\|.*[^|\s])",
            "rows on lines, cells split by |",
            writers.pipe,
            region=r"\|",
            may_drop_blanks=True,
        ),
        _layout(
            "tab",
            r"^[^\t]*\t[^\t]*\t",
            "rows on lines, cells split by tabs",
            writers.tab,
            region=r"\t",
        ),
        _layout(
            "cell-per-line",
            # text, a space and a bar (or text, a bar, text, a space and a bar), or bars
            r"^(?:\s*[^|\s][^|]*|[^|]*\|[^|]*)(?<=\s)\|\s*$|^\s*\|+\s*$",
            "one cell per line ending in |; || ends a row",
            writers.cell_per_line,
        ),
        _layout(
            "indented-cell-per-line",
            r"^\t[^\t]*$",
            "one tab-indented cell per line; blank line ends a row",
            writers.indented,
        ),
        _layout(
            "markdown",
            r"^\s*\|.*[^|\s](?:[^\S\n]*\|)+\s*$",
            "markdown tables: | a | b | rows, a |---|---| line under the first",
            writers.markdown,
            region=r"^\s*\|",
        ),
        _layout(
            "line-per-cell",
            # a value alone on its line (the other layouts print a row's values together)
            rf"^[^\S\n]*(?:[+-]?\d[\d,]*(?:\.\d+)?(?:万元|元)?|{vocabulary('PLACEHOLDER_WORD')})"
            r"[^\S\n]*$",
            "one cell per line, no separators: a row's text lines, then its values",
            writers.line_per_cell,
            region=r"\S",
            may_drop_blanks=True,
            round_trip="lossy",
            whole_rows=True,
        ),
        _layout(
            "space-aligned",
            r"[^\s|] {2,}[^\s|]",
            "pdftotext -layout: cells split by spaces, long cells wrapped onto the next lines",
            writers.space_aligned,
            region=r"\S",
            round_trip="lossy",
            aligned=True,
        ),
        _layout(
            "run-together",
            r"[\u3400-\u9fff)）】”][\d ]*\d$|^[\d ]{5,}$",
            "a row per line, its values joined in one run of digits",
            writers.run_together,
            region=r"\S",
            round_trip="lossy",
        ),
    )
}


@frozen
class Item:
    """One entry of the cell stream: a cell (``text`` may be empty) or a row break."""

    text: str
    line: int
    column: int
    is_break: bool = False
    is_run: bool = False  #: several cells' digits joined (run-together layout)
    source: Source | None = None  #: where a reader that knows more placed the cell
    #: printed on a line of its own before its row's label: its row was deduced
    moved: bool = False
    #: the cell's lines, where its text was written over several (``<br>``); empty
    #: otherwise (a merged cell cut at a column's edge is joined again line by line)
    lines: tuple[str, ...] = ()
    #: in an aligned layout, where the cell starts counted in display columns: a wide
    #: character taking two, an ambiguous one (“ ”) one, then two — tools pad so (w3m)
    #: where others count characters (pdftotext), see ``govreport.placement._aligned``
    display: tuple[int, int] | None = None


BREAK_TOKENS = frozenset({"FILLER", "BLANK"})
SEPARATOR_TOKENS = frozenset({"BAR", "TAB"})


def detect(lines: Sequence[str]) -> Layout | None:
    """The layout whose signature matches most of ``lines``, or None."""
    best: tuple[int, Layout | None] = (0, None)
    for layout in LAYOUTS.values():
        hits = sum(1 for line in lines if layout.signature.search(line))
        if hits > best[0]:
            best = (hits, layout)
    return best[1]


def table_span(layout: Layout, lines: Sequence[str]) -> tuple[int, int] | None:
    """Indexes ``(first, last)`` of the lines of ``lines`` that hold the table."""
    if not any(layout.signature.search(line) for line in lines):
        return None
    region = layout.region or layout.signature
    hits = [i for i, line in enumerate(lines) if region.search(line)]
    return hits[0], hits[-1]


def stream(
    layout: Layout,
    lines: Sequence[str],
    first_line: int,
    *,
    forced: bool = False,
    debris: frozenset[int] = frozenset(),
    originals: Sequence[str | None] | None = None,
) -> list[Item]:
    """Read table lines (the first is source line ``first_line``) into a cell stream
    (``forced``: the caller forced the layout, so the hint does not say to force one;
    ``debris``: source lines a reader blanked, such as page numbers, which are not the
    blank lines between rows; ``originals``: the lines as the source printed them, on
    which an aligned layout's display columns are counted)."""
    text = "\n".join(lines) + "\n"
    try:
        tree = parse_text(layout.grammar, text)
    except UnexpectedInput as exc:
        raise LayoutError(
            f"this table does not fit the {layout.name} layout",
            line=first_line + exc.line - 1,
            column=exc.column,
            expected=layout.description,
            snippet=lines[exc.line - 1][:40] if 0 < exc.line <= len(lines) else None,
            hint=(
                "parse without layout=/--layout to detect the layout, or force another"
                if forced
                else "force another layout with layout=/--layout"
            ),
        ) from None
    blank = frozenset(
        n
        for k, line in enumerate(lines)
        if not line.strip() and (n := first_line + k) not in debris
    )
    items = _Stream(first_line - 1, blank).walk(tree)
    if not layout.aligned or originals is None:
        return items
    return _with_display_columns(items, lines, originals, first_line)


def _with_display_columns(
    items: list[Item], lines: Sequence[str], originals: Sequence[str | None], first_line: int
) -> list[Item]:
    """``items`` with the display column each starts at on its source line — where that
    line is the normalised one character for character (no artifact was cut out of it)."""
    out = []
    measured: dict[int, tuple[list[int], list[int]]] = {}  # each line's display columns
    for item in items:
        k = item.line - first_line
        source = originals[k] if 0 <= k < len(originals) else None
        if item.is_break or not item.text or source is None or len(source) != len(lines[k]):
            out.append(item)
            continue
        if k not in measured:
            measured[k] = (display_columns(source, 1), display_columns(source, 2))
        narrow, wide = measured[k]
        at = len(source[: item.column - 1])
        out.append(evolve(item, display=(narrow[at], wide[at])))
    return out


class _Stream(Interpreter):
    """The cell stream of a layout's parse tree: one method per vocabulary item of the
    layout grammars — the rules ``textline``, ``row`` and ``cell``, and the terminals
    ``CELL``, ``CONTINUATION`` and the row breaks (``FILLER``, ``BLANK``)."""

    def __init__(self, offset: int, blank: frozenset[int] = frozenset()) -> None:
        super().__init__()
        self.offset = offset  #: source line of the table's first line, less one
        self.blank = blank  #: the source lines of the table that are blank
        self.out: list[Item] = []
        self.open_cell = False  #: may a CONTINUATION extend the last cell?
        self.recent: list[list[_Placed]] = []  #: the cells of the last rows (wrapped layouts)
        self.reach: dict[int, int] = {}  #: a wrapped cell's last line

    def walk(self, tree: Tree) -> list[Item]:
        for child in tree.children:
            if isinstance(child, Tree):
                self.visit(child)
            else:
                name = "BREAK" if child.type in BREAK_TOKENS else child.type
                getattr(self, name, self.__default_token__)(child)
        return self.out

    def _remember(self, row: Tree) -> None:
        self.recent = [*self.recent[-(WRAP_ROWS - 1) :], _placed(row, len(self.out))]

    def textline(self, line: Tree) -> None:
        """A line of text cells: the continuation of cells above, or a row."""
        if not _wrap(line, self.out, self.recent, self.offset, self.reach, self.blank):
            self._remember(line)
            self.out.extend(_row(line, self.offset))
        self.open_cell = False

    def row(self, row: Tree) -> None:
        """A delimited row, or a row of a label and digit runs (run-together)."""
        if _is_run_row(row):
            for token in row.children:
                self.out.append(
                    Item(_clean(token), token.line + self.offset, token.column,
                         is_run=token.type == "RUN")
                )  # fmt: skip
            self.out.append(Item("", row.children[-1].line + self.offset, 1, is_break=True))
        else:
            self._remember(row)
            self.out.extend(_row(row, self.offset))
        self.open_cell = False

    def cell(self, cell: Tree) -> None:
        """One cell on lines of its own (cell-per-line layouts, indented)."""
        tokens = [t for t in cell.children if isinstance(t, TOKEN_TYPES)]
        text_token = next((t for t in tokens if t.type == "CELL"), None)
        anchor = text_token or tokens[0]
        self.out.append(Item(_clean(text_token or ""), anchor.line + self.offset, anchor.column))
        self.open_cell = True

    def CELL(self, token: Token) -> None:
        self.out.append(Item(_clean(token), token.line + self.offset, token.column))
        self.open_cell = True

    def CONTINUATION(self, token: Token) -> None:
        """More of the cell above, or a cell of its own where no cell is open."""
        if self.open_cell:
            last = self.out[-1]
            self.out[-1] = Item(_join(last.text, _clean(token)), last.line, last.column)
            return
        self.out.append(Item(_clean(token), token.line + self.offset, token.column))
        self.open_cell = True

    def BREAK(self, token: Token) -> None:
        self.out.append(Item("", token.line + self.offset, token.column, is_break=True))
        self.open_cell = False

    def __default_token__(self, token: Token) -> None:
        """Other terminals (separators outside rows) carry no cell."""

    def __default__(self, tree: Tree) -> None:
        """Other rules (a markdown table's rule line) carry no cell."""


#: A caption of section 二's tables (第二十条第（五）项).
_ARTICLE_ITEM = re.compile(vocabulary("ARTICLE_ITEM"))
#: A row label's numbering at the start of a line — perhaps behind a stray piece of
#: a group label wrapped beside it (``（四 1.本机关…``, ``三 2.其他…``): such a line
#: starts a row of its own; it never continues the cell above.
NUMBERED = re.compile(rf"^\s*(?:\S{{1,3}}\s+)?(?:{vocabulary('NUMBERING')})")


def _is_run_row(row: Tree) -> bool:
    return any(isinstance(t, TOKEN_TYPES) and t.type in ("RUN", "LABEL") for t in row.children)


def _row(row: Tree, offset: int) -> list[Item]:
    """A delimited row: the cells between separators, then a row break.

    A separator ends the cell before it, so a line ending in ``|`` has no
    trailing empty cell; a line starting with ``|`` has a leading one. A
    ``CONTINUATION`` token is more of the cell before it (line-per-cell: a label's
    wrapped lines).
    """
    pieces: list[Item] = []
    segment: Token | None = None
    text = ""  # the segment's text, with the continuations joined on
    lines: tuple[str, ...] = ()  # … and its lines, where it was written over several
    last: Token | None = None
    for token in row.children:
        if not isinstance(token, TOKEN_TYPES):
            continue
        if token.type in SEPARATOR_TOKENS:
            where = segment or token
            pieces.append(Item(text, where.line + offset, where.column, lines=lines))
            segment, text, lines = None, "", ()
        elif token.type == "CONTINUATION" and segment is not None:
            text = _join(text, _clean(token))  # more of the cell before it (a wrapped cell)
            lines = ()
        else:
            if segment is not None:  # two cells with no separator token between them
                pieces.append(Item(text, segment.line + offset, segment.column, lines=lines))
            *before, own = _cells_of(str(token))
            pieces.extend(_cell_item(c, token.line + offset, token.column) for c in before)
            cell = _cell_item(own, token.line + offset, token.column)
            segment, text, lines = token, cell.text, cell.lines
        last = token
    if segment is not None:
        pieces.append(Item(text, segment.line + offset, segment.column, lines=lines))
    if last is not None:
        pieces.append(Item("", last.line + offset, last.end_column or last.column, is_break=True))
    return pieces


#: A wrapped cell's continuation may start this many columns left or right of the
#: cell's first line (pdftotext places lines on a character grid; wide characters
#: make it drift), and may continue a cell of up to ``WRAP_ROWS`` rows back (the
#: lines of a cell spanning rows print among the next rows' lines).
WRAP_COLUMNS = 3
WRAP_ROWS = 3
#: … and at most this many lines below it (a caption under another caption, rows
#: further down, is a row of its own).
WRAP_LINES = 4
#: Past this many ways to place a line's cells under the cells above, it is a row.
MAX_WRAP_CHOICES = 4096


#: One cell of a recent row: (index in the stream or -1 for a value, column, width).
_Placed = tuple[int, int, int]


def _placed(row: Tree, base: int) -> list[_Placed]:
    """Where a row's cells sit, for rows whose every token is a cell (no separator or
    continuation tokens: the layouts that wrap cells in place); value cells get index -1."""
    tokens = [t for t in row.children if isinstance(t, TOKEN_TYPES)]
    if any(t.type in SEPARATOR_TOKENS or t.type == "CONTINUATION" for t in tokens):
        return []
    return [
        (base + k if t.type == "CELL" else -1, t.column or 0, len(str(t)))
        for k, t in enumerate(tokens)
    ]


def _wrap(
    line: Tree,
    out: list[Item],
    recent: list[list[_Placed]],
    offset: int,
    reach: dict[int, int],
    blank: frozenset[int] = frozenset(),
) -> bool:
    """Join a text-only line to the cells it continues, if it continues cells (see the
    module docstring); return whether it did.

    Each cell of the line needs a home; two cells of one line continue two
    different cells, left to right (across a page break the columns may shift,
    so the nearest home alone can mislead): the assignment that keeps that order
    and moves least is taken."""
    tokens = [t for t in line.children if isinstance(t, TOKEN_TYPES)]
    if not tokens or any(t.type != "CELL" for t in tokens):
        return False
    if any(NUMBERED.match(str(t)) or _ARTICLE_ITEM.fullmatch(str(t).strip()) for t in tokens):
        # a numbered label (二、… / （三）… / 2.…) starts a row, also behind a piece of
        # a group label's narrow cell on its line (供   2.没有现成信); so does a whole
        # caption (第二十条第（五）项 under 第二十条第（一）项 and a row of values)
        return False

    def near(home: _Placed, token: Token) -> bool:
        last = reach.get(home[0], out[home[0]].line)  # the line the cell reached so far
        at = (token.line or 0) + offset
        # a cell's lines follow one another (a line of its row's values may come
        # between); a blank line ends it (double-spaced rows: the next is a caption)
        return at - last <= WRAP_LINES and not any(n in blank for n in range(last + 1, at))

    homes = [[h for h in _homes(token, recent) if near(h, token)] for token in tokens]
    if prod(len(h) for h in homes) > MAX_WRAP_CHOICES:
        return False  # no home for a cell, or too many ways: a row of its own
    best: tuple[int, tuple[_Placed, ...]] | None = None
    for choice in product(*homes):
        starts = [start for _, start, _ in choice]
        if all(a < b for a, b in pairwise(starts)):
            cost = sum(abs(s - (t.column or 0)) for s, t in zip(starts, tokens, strict=True))
            if best is None or cost < best[0]:
                best = (cost, choice)
    if best is None:
        return False
    for (index, _, _), token in zip(best[1], tokens, strict=True):
        cell = out[index]
        out[index] = Item(_join(cell.text, _clean(token)), cell.line, cell.column)
        reach[index] = (token.line or 0) + offset
    return True


def _homes(token: Token, recent: list[list[_Placed]]) -> list[_Placed]:
    """The text cells ``token`` may continue: those in its column, no narrower than
    it, in the latest row that has any; rows further up only while the rows
    between print nothing in that column (a cell spanning several rows). In the
    nearest row with text, if it printed no values (they come on a line below), a
    cell whose text spans ``token``'s column counts too (a wrapped line centred
    under a long label)."""
    column = token.column or 0
    texts_between = False  # has a row between printed any text?
    for cells in reversed(recent):
        label_only = all(index >= 0 for index, _, _ in cells)  # its values are below
        near = [
            cell
            for cell in cells
            if cell[0] >= 0
            and len(str(token)) <= cell[2]
            and (
                abs(cell[1] - column) <= WRAP_COLUMNS
                or (label_only and not texts_between and cell[1] <= column < cell[1] + cell[2])
            )
        ]
        if near:
            return near
        if any(start - WRAP_COLUMNS <= column < start + width for _, start, width in cells):
            return []
        texts_between = texts_between or any(index >= 0 for index, _, _ in cells)
    return []


_CJK_END = re.compile(r"[\u3400-\u9fff)）]$")
_CJK_START = re.compile(r"^[\u3400-\u9fff(（)）,，、。;；:：”]")


def _join_lines(head: str, tail: str) -> str:
    """Join a cell's lines (written ``<br>``): a space only between two letters or
    digits (``1<br>0`` are two numbers, ``3.<br>“`` one label)."""
    if head[-1:].isascii() and head[-1:].isalnum() and tail[:1].isascii() and tail[:1].isalnum():
        return f"{head} {tail}"
    return head + tail


def _join(head: str, tail: str) -> str:
    """Join a wrapped cell: no space between Chinese characters."""
    if _CJK_END.search(head) and _CJK_START.search(tail):
        return head + tail
    return f"{head} {tail}".strip()


#: A line break inside a cell, as markdown writers print it (``三<br>、``).
_CELL_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_NUMBERING_START = re.compile(rf"\s*(?:{vocabulary('NUMBERING')})")


def _clean(text: str) -> str:
    """A cell's text, spaces collapsed; its lines (``<br>``) joined as a wrapped
    cell's are."""
    return " ".join(_cell_lines(str(text)))


def _cells_of(text: str) -> list[tuple[str, ...]]:
    """The cells a cell's text holds, each as its lines: one cell, its lines written
    ``<br>`` — except that a line starting with a row label's numbering starts a
    cell of its own, as it does a row of its own in the lines of a text (a piece of a
    vertical group label printed in the cell above it: ``本<br>年<br>（三）不予公开``)."""
    lines = _cell_lines(text)
    if len(lines) < 2:
        return [tuple(lines) or ("",)]
    cells = [[lines[0]]]
    for line in lines[1:]:
        if _NUMBERING_START.match(line):
            cells.append([line])
        else:
            cells[-1].append(line)
    return [tuple(c) for c in cells]


def _cell_item(lines: tuple[str, ...], line: int, column: int) -> Item:
    text = functools.reduce(_join_lines, lines[1:], lines[0])
    return Item(text, line, column, lines=lines if len(lines) > 1 else ())


def _cell_lines(text: str) -> list[str]:
    """The non-empty lines of a cell's text (a line break written ``<br>``), each
    with its spaces collapsed."""
    if "<" in text and _CELL_BREAK.search(text):
        lines = (" ".join(p.split()) for p in _CELL_BREAK.split(text))
        return [line for line in lines if line]
    return [" ".join(text.split())] if text.strip() else []
