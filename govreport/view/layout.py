"""How the template prints a table, derived from the data dictionary (``govreport.spec``).

Nothing here copies a caption, header or row label: every text comes from a
:class:`~govreport.spec.dictionary.TableDef`. What is derived:

* **row groups** — a row key's dotted segments are its groups (``results.withheld.state_secret``
  lies in ``results`` and ``results.withheld``), and the leading words of a row's label name
  the groups that begin at that row (``（三）不予公开 1.属于国家秘密``); a group's label is
  printed once, merged over its rows;
* **column blocks** — where a table's rows do not all share one set of columns (section 二),
  each run of rows with the same article (key prefix) and columns gets its own header row,
  as the template prints it;
* **transposed tables** — section 四 is printed as one row of values under column groups
  taken from its row labels (``行政诉讼 未经复议直接起诉``): the tables whose one printed
  row fills several dictionary rows (``govreport.tables.SPANNING_ROWS``).

A report's variant row (``RowDef.replaces``, e.g. the 2019 template's single （六） row in a
2021-template table) is laid out where the rows it replaces stand; a row a report has that
the template does not know is laid out at the end, so every cell of a report has a place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen

from govreport.spec.dictionary import SECTIONS, Column, RowDef, TableDef, article_caption
from govreport.tables import SPANNING_ROWS

__all__ = [
    "Block",
    "LabelCell",
    "LaidRow",
    "TableLayout",
    "group_label",
    "label_paths",
    "lay_out",
]


def group_label(segment: str) -> str:
    """The caption of a row group that has no label of its own, from its key segment:
    ``art20_1`` → ``第二十条第（一）项`` (:func:`govreport.spec.dictionary.article_caption`)."""
    return article_caption(segment) or segment


def label_paths(rows: Sequence[RowDef]) -> list[tuple[str | None, ...]]:
    """Each row's label as a path of group labels ending in the row's own label.

    The last word of a label names the row; the words before it name the groups that
    begin at the row, innermost last. A group a row lies in whose label was printed at
    an earlier row is filled in from there; ``None`` where no row names it.
    """
    known: dict[tuple[str, ...], str] = {}
    out: list[tuple[str | None, ...]] = []
    for row in rows:
        segs = tuple(row.key.split("."))
        parts = tuple(row.label.split()) or (row.key,)
        k = len(segs)
        for j in range(1, min(k, len(parts))):
            known.setdefault(segs[: k - j], parts[-1 - j])
        if len(parts) >= k:
            out.append(parts)
        else:
            ancestors = tuple(known.get(segs[:i]) for i in range(1, k))
            out.append((*ancestors, parts[-1]))
    return out


@frozen
class LabelCell:
    """A label cell of a row: ``text`` (``None``: a group with no label), merged over
    ``rowspan`` rows and ``colspan`` label columns."""

    text: str | None
    rowspan: int = 1
    colspan: int = 1
    #: the key of the row or group it labels (``results``, ``results.withheld`` …)
    key: str = ""


@frozen
class LaidRow:
    """A row of values: its row key, its label cells (those that begin at this row), its
    columns, and the template rows it stands for when it is a variant row."""

    key: str
    label: str
    labels: tuple[LabelCell, ...]
    columns: tuple[Column, ...]
    replaces: tuple[str, ...] = ()
    #: not a row of the template (nor one of its variants): laid out at the end
    unknown: bool = False


@frozen
class Block:
    """Rows printed under one header row: ``caption`` names the block (section 二's
    articles; ``None`` for a table with a single header), ``columns`` its header."""

    caption: str | None
    columns: tuple[Column, ...]
    rows: tuple[LaidRow, ...]


@frozen
class HeadCell:
    """A header cell of a transposed table."""

    text: str | None
    colspan: int = 1
    rowspan: int = 1


@frozen
class TableLayout:
    """A table as the template prints it."""

    table: TableDef
    #: the section heading the table stands under, e.g. ``三、收到和处理政府信息公开申请情况``
    caption: str
    #: label columns (merged row-group labels take one each)
    depth: int
    #: value columns
    width: int
    blocks: tuple[Block, ...]
    transposed: bool = False
    #: for a transposed table: header rows over the value columns (groups, then columns)
    head: tuple[tuple[HeadCell, ...], ...] = ()

    @property
    def rows(self) -> tuple[LaidRow, ...]:
        return tuple(row for block in self.blocks for row in block.rows)


def _rows_for(table: TableDef, present: Iterable[str] | None) -> list[tuple[RowDef, bool]]:
    """The template's rows, with each variant row a report prints in place of the rows it
    replaces, then any row the template does not know (flagged ``True``)."""
    keys = list(present) if present is not None else []
    variants = {v.key: v for v in table.variants if v.key in keys}
    replaced = {r: v for v in variants.values() for r in v.replaces}
    out: list[tuple[RowDef, bool]] = []
    placed: set[str] = set()
    for row in table.rows:
        variant = replaced.get(row.key)
        if variant is None:
            out.append((row, False))
            placed.add(row.key)
        elif variant.key not in placed:
            out.append((variant, False))
            placed.add(variant.key)
    template_keys = {r.key for r in (*table.rows, *table.variants)}
    for key in keys:
        if key not in template_keys and key not in placed:
            out.append((RowDef(key, key, ()), True))
            placed.add(key)
    return out


def lay_out(
    table: TableDef,
    present: Iterable[str] | None = None,
    columns: dict[str, Sequence[str]] | None = None,
) -> TableLayout:
    """The layout of ``table``; ``present`` lists the row keys a report's table holds (its
    variant rows and unknown rows are laid out too), ``columns`` the column keys of an
    unknown row."""
    pairs = _rows_for(table, present)
    rows = [r for r, _ in pairs]
    unknown = {r.key for r, u in pairs if u}
    if unknown and columns:
        rows = [
            RowDef(r.key, r.label, tuple(Column(c, c) for c in columns.get(r.key, ())))
            if r.key in unknown
            else r
            for r in rows
        ]
    label_of = label_paths(rows)
    caption = SECTIONS.get(table.section, table.title)
    if table.key in SPANNING_ROWS:  # one printed row of values under column groups
        return _transposed(table, caption, rows, label_of, unknown)
    blocked = len({r.columns for r in rows if r.key not in unknown}) > 1
    width = max((len(r.columns) for r in rows), default=0)
    groups: list[tuple[tuple[str | None, Sequence[Column]], list[int]]] = []
    for i, row in enumerate(rows):
        segs = row.key.split(".")
        gkey = (segs[0] if blocked and len(segs) > 1 else None, row.columns if blocked else ())
        if not groups or groups[-1][0] != gkey:
            groups.append((gkey, []))
        groups[-1][1].append(i)
    paths_of: list[tuple[str | None, ...]] = []
    for i, row in enumerate(rows):
        path = label_of[i]
        if blocked and len(row.key.split(".")) > 1:
            path = path[1:] or path
        paths_of.append(path)
    depth = max((len(p) for p in paths_of), default=1)
    blocks = []
    for gkey, members in groups:
        laid = _label_rows([rows[i] for i in members], [paths_of[i] for i in members], depth)
        laid = [
            LaidRow(r.key, r.label, labels, r.columns, r.replaces, r.key in unknown)
            for r, labels in zip((rows[i] for i in members), laid, strict=True)
        ]
        first = rows[members[0]]
        block_caption = None
        if blocked and gkey[0] is not None:
            named = label_of[members[0]][0]
            block_caption = named if named is not None else group_label(gkey[0])
        blocks.append(Block(block_caption, first.columns, tuple(laid)))
    if not blocked and blocks:  # one header: the table's widest row's columns
        widest = max(rows, key=lambda r: len(r.columns)).columns
        blocks = [Block(b.caption, widest, b.rows) for b in blocks]
    return TableLayout(table, caption, depth, width, tuple(blocks))


def _label_rows(
    rows: Sequence[RowDef], paths_of: Sequence[tuple[str | None, ...]], depth: int
) -> list[tuple[LabelCell, ...]]:
    """Label cells per row: a group's label merged down over the rows that share it, the
    row's own label spanning the label columns its path leaves free."""
    spans: list[list[list[int | str | None]]] = []  # per row: [text, rowspan, colspan, key]
    owner: dict[int, list[int | str | None]] = {}
    for i, (row, path) in enumerate(zip(rows, paths_of, strict=True)):
        cells: list[list[int | str | None]] = []
        segs = row.key.split(".")
        for level, text in enumerate(path):
            last = level == len(path) - 1
            same = (
                i > 0
                and not last
                and len(paths_of[i - 1]) > level + 1
                and paths_of[i - 1][: level + 1] == path[: level + 1]
                and level in owner
            )
            if same:
                owner[level][1] = int(owner[level][1] or 1) + 1  # type: ignore[call-overload]
                continue
            key = ".".join(segs[: level + 1]) if not last else row.key
            cell: list[int | str | None] = [text, 1, depth - level if last else 1, key]
            cells.append(cell)
            if not last:
                owner[level] = cell
        for level in [lv for lv in owner if lv >= len(path) - 1]:
            del owner[level]
        spans.append(cells)
    return [
        tuple(LabelCell(c[0], int(c[1] or 1), int(c[2] or 1), str(c[3])) for c in cells)  # type: ignore[arg-type]
        for cells in spans
    ]


def _transposed(
    table: TableDef,
    caption: str,
    rows: Sequence[RowDef],
    label_of: Sequence[tuple[str | None, ...]],
    unknown: set[str],
) -> TableLayout:
    depth = max((len(p) for p in label_of), default=1)
    head: list[tuple[HeadCell, ...]] = []
    for level in range(depth):
        cells: list[HeadCell] = []
        prev: tuple[str | None, ...] | None = None
        for row, path in zip(rows, label_of, strict=True):
            if level >= len(path):
                continue
            last = level == len(path) - 1
            span = max(len(row.columns), 1)
            if (
                prev is not None
                and not last
                and prev[: level + 1] == path[: level + 1]
                and len(prev) > level + 1
                and cells
            ):
                cells[-1] = HeadCell(cells[-1].text, cells[-1].colspan + span, cells[-1].rowspan)
            else:
                cells.append(HeadCell(path[level], span, depth - level if last else 1))
            prev = path
        head.append(tuple(cells))
    laid = tuple(LaidRow(r.key, r.label, (), r.columns, r.replaces, r.key in unknown) for r in rows)
    width = sum(len(r.columns) for r in rows)
    block = Block(None, tuple(c for r in rows for c in r.columns), laid)
    return TableLayout(table, caption, 0, width, (block,), transposed=True, head=tuple(head))
