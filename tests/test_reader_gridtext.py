"""Grid tables drawn in text (pandoc -t plain, reST, tabulate's grid): read as grids.

The whole reports are corpus cases 117 and 118 (pandoc's plain text of HTML pages) and
260 and 261 (w3m's dumps, drawn with box-drawing characters);
these tests pin the grid reading itself on small tables written as pandoc writes them:
cells padded by display width (a CJK character is two columns), a label wrapped inside
its cell, a cell spanning two rows (the rule under it stops short of it)."""

from __future__ import annotations

import pytest

from govreport.document import Grid, TextLine
from govreport.readers import gridtext, read

GRID = """\
三、收到和处理政府信息公开申请情况

+------------+--------+--------+
| 申请人情况 | 自然人 | 总计   |
+:==========:+:======:+:======:+
| 一、本年新 | 3      | 3      |
| 收申请数量 |        |        |
+------------+--------+--------+
| （一）予以 | 1      | 1      |
| 公开       +--------+--------+
|            | 2      | 2      |
+------------+--------+--------+

四、政府信息公开行政复议、行政诉讼情况
"""


def _cells(grid: Grid) -> list[list[tuple[str, int, int, int | None]]]:
    return [[(c.text, c.rowspan, c.colspan, c.source.line) for c in row] for row in grid.rows]


def test_a_grid_drawn_in_text_is_read_as_a_grid_with_its_merged_and_wrapped_cells():
    document = read(GRID)
    grids = [b for b in document.blocks if isinstance(b, Grid)]
    assert len(grids) == 1
    assert _cells(grids[0]) == [
        [("申请人情况", 1, 1, 4), ("自然人", 1, 1, 4), ("总计", 1, 1, 4)],
        [("一、本年新收申请数量", 1, 1, 6), ("3", 1, 1, 6), ("3", 1, 1, 6)],
        # the wrapped label is joined with nothing between its CJK pieces; its
        # full-width brackets folded as every line's are
        [("(一)予以公开", 2, 1, 9), ("1", 1, 1, 9), ("1", 1, 1, 9)],
        [("2", 1, 1, 11), ("2", 1, 1, 11)],
    ]
    # the lines after the grid keep their numbers: the grid is one line a row, and
    # the rest of its lines are blank
    texts = [(b.source.line, b.text) for b in document.blocks if isinstance(b, TextLine)]
    assert (14, "四、政府信息公开行政复议、行政诉讼情况") in texts
    lines = sum(len(b.rows) if isinstance(b, Grid) else 1 for b in document.blocks)
    assert lines == len(GRID.split("\n"))


BOX = """\
三、收到和处理政府信息公开申请情况

┌────────────┬────────┬────────┐
│ 申请人情况 │ 自然人 │ 总计   │
├────────────┼────────┼────────┤
│ 3.危及“三 │ 3      │ 3      │
│ 安全”     │        │        │
├────────────┼────────┼────────┤
│ （一）予以 │ 1      │ 1      │
│ 公开       ├────────┼────────┤
│            │        │ 2      │
└────────────┴────────┴────────┘
"""


def test_a_grid_drawn_with_box_characters_is_read_as_its_ascii_twin():
    """w3m draws bordered tables with box-drawing characters and pads the ambiguous-
    width quotes “ ” as two columns (pandoc as one): the same cells either way, an
    empty cell blank, not gone."""
    grids = [b for b in read(BOX).blocks if isinstance(b, Grid)]
    assert len(grids) == 1
    assert _cells(grids[0]) == [
        [("申请人情况", 1, 1, 4), ("自然人", 1, 1, 4), ("总计", 1, 1, 4)],
        [("3.危及“三安全”", 1, 1, 6), ("3", 1, 1, 6), ("3", 1, 1, 6)],
        [("(一)予以公开", 2, 1, 9), ("1", 1, 1, 9), ("1", 1, 1, 9)],
        [("", 1, 1, 11), ("2", 1, 1, 11)],
    ]
    # the quotes padded as one column each, as pandoc pads them: the same grid
    narrow = BOX.replace("“三 │", "“三  │").replace("安全”     │", "安全”      │")
    assert narrow != BOX
    grids = [b for b in read(narrow).blocks if isinstance(b, Grid)]
    assert len(grids) == 1 and _cells(grids[0])[1][0] == ("3.危及“三安全”", 1, 1, 6)


def test_a_grid_whose_columns_do_not_line_up_stays_text():
    """A grid whose lines are of different widths (a cell's wide characters counted
    as one column each, say) cannot be told apart into cells: its lines stay text, for
    the layouts to read or to report, never cells guessed from wrong columns."""
    ragged = GRID.replace("| 申请人情况 | 自然人 | 总计   |", "| 申请人情况 | 自然人 | 总计 |")
    document = read(ragged)
    assert not any(isinstance(b, Grid) for b in document.blocks)
    assert "| 申请人情况 | 自然人 | 总计 |" in [b.text for b in document.blocks]


def test_a_grid_with_no_rule_between_its_rows_stays_text():
    """MySQL's tables rule only under the header: the lines between two rules would be
    one row of cells wrapped over lines, each cell's values joined (``3 1``) — a
    cell holding two values is read as no grid, and its lines stay text."""
    mysql = GRID.replace("+------------+--------+--------+\n| （一）予以", "| （一）予以")
    mysql = mysql.replace("| 公开       +--------+--------+", "| 公开       | 9      | 9      |")
    document = read(mysql)
    assert not any(isinstance(b, Grid) for b in document.blocks)


def test_grid_spans_need_a_border_above_and_below():
    lines = GRID.splitlines()
    assert list(gridtext.spans(lines)) == [(2, 11)]
    # a rule alone, or a rule and a row with no border under them, is no grid
    assert list(gridtext.spans(["+---+---+"])) == []
    assert list(gridtext.spans(["+---+---+", "| a | b |", "text"])) == []


def test_grids_docutils_cannot_follow_or_too_large_stay_text_and_raise_nothing():
    """Broken borders on which docutils asserts, and a huge grid (its time grows with
    the width squared), are read as text: no traceback, no minutes spent."""
    import govreport

    for text in ("一、总体情况\n+---+=+\n+===+=+\n+----:+\n", "+-+-=+\n+-++=+\n+--+=+\n"):
        document = read(text)
        assert not any(isinstance(b, Grid) for b in document.blocks)
    wide = "+" + "-+" * 12000
    document = read("\n".join([wide, "|" + " |" * 12000, wide]))
    assert not any(isinstance(b, Grid) for b in document.blocks)
    with pytest.raises(govreport.ParseError):
        govreport.parse("+-+-=+\n+-++=+\n+--+=+\n")  # (no report: refused, not a crash)
