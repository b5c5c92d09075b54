"""Write a report back out as text, in any table layout and either script.

The output is a plausible whole report: title, preamble, the six headings with
their text, and the three tables with the template's captions and headers.
``parse(dumps(report, layout, script)) == report`` for the tab, markdown and
one-cell-per-line layouts, both templates and scripts (tested). In ``pipe`` a
row whose values are followed only by blanks may read back ambiguous (pipe
extractions are seen to drop blank cells); ``run-together`` reads values back
as inferred, or ambiguous, never different; so does ``space-aligned`` where a
row has blank cells (a blank prints nothing there), and exactly otherwise.
Ambiguous cells cannot be written and raise ``ValueError``; neither can signed
or unit values run together, nor a space-aligned row whose cells are all blank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache

from govreport.model import Cell, CellState, Report
from govreport.spec.dictionary import APPLICANTS, OUTCOMES, TEMPLATES, Column, Kind, TableDef

#: A printed table row: label cells, then value cells ("" for blank).
Printed = tuple[list[str], list[str]]

_CAPTION = {"1": "一", "5": "五", "6": "六", "8": "八", "9": "九"}
_APPLICATION_HEADERS = [
    ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"],
    ["自然人", "法人或其他组织", "总计"],
    [c.label for c in APPLICANTS[1:6]],
]
_REVIEW_HEADERS = [
    ["行政复议", "行政诉讼"],
    [*(c.label for c in OUTCOMES), "未经复议直接起诉", "复议后起诉"],
    [c.label for c in OUTCOMES] * 2,
]


def dumps(report: Report, layout: str = "pipe", script: str = "simplified") -> str:
    """The report as text in ``layout`` (see :data:`WRITERS`) and ``script``."""
    if layout not in WRITERS:
        raise ValueError(f"no writer for layout {layout!r}; known: {', '.join(WRITERS)}")
    if script not in ("simplified", "traditional"):
        raise ValueError("script must be 'simplified' or 'traditional'")
    template = TEMPLATES[report.template]
    write = WRITERS[layout]
    out: list[str] = []
    if report.year is not None:
        out.append(f"{report.agency or ''}{report.year}年政府信息公开工作年度报告")
    if report.preamble:
        out.append(report.preamble)
    for section in report.sections:
        out.append(section.heading)
        if section.text:
            out.append(section.text)
        table = next((t for t in template.tables if t.section == section.number), None)
        if table is not None:
            out.extend(write(_table_rows(report, table)))
    text = "\n".join(out) + "\n"
    return _s2t().convert(text) if script == "traditional" else text


def _table_rows(report: Report, table: TableDef) -> Iterable[Printed]:
    rows = getattr(report, table.key).rows
    if table.key == "review_litigation":
        for header in _REVIEW_HEADERS:
            yield header, []
        values = [
            _value(rows[r.key].cells[c.key], c) if r.key in rows else ""
            for r in table.rows
            for c in r.columns
        ]
        yield [], values
        return
    if table.key == "applications":
        for header in _APPLICATION_HEADERS:
            yield header, []
    block = None
    for row_def in table.rows:
        if table.key == "active_disclosure" and row_def.key.split(".")[0] != block:
            block = row_def.key.split(".")[0]
            yield [f"第二十条第（{_CAPTION[block.split('_')[1]]}）项"], []
            yield ["信息内容", *(c.label for c in row_def.columns)], []
        row = rows.get(row_def.key)
        if row is None:
            continue
        yield row_def.label.split(" "), [_value(row.cells[c.key], c) for c in row_def.columns]


def _value(cell: Cell, column: Column) -> str:
    if cell.state is CellState.AMBIGUOUS:
        raise ValueError("an ambiguous cell cannot be written")
    if cell.state is CellState.BLANK:
        return ""
    if cell.state is CellState.PLACEHOLDER:
        return cell.raw or "/"
    value = cell.value
    assert value is not None
    if column.kind is Kind.MONEY:
        text = format(Decimal(value).normalize(), "f")
        return text if "万元" in column.label else f"{text}万元"
    return str(value)


def _padded(rows: Iterable[Printed]) -> list[list[str]]:
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


def _pipe(rows: Iterable[Printed]) -> list[str]:
    return [" | ".join(row) + " |" for row in _padded(rows)]


def _tab(rows: Iterable[Printed]) -> list[str]:
    # a tab ends each row, as in real extractions, so a blank last cell still shows
    return ["\t".join(row) + "\t" for row in _padded(rows)]


def _markdown(rows: Iterable[Printed]) -> list[str]:
    out = []
    for row in _padded(rows):
        out.append("| " + " | ".join(row) + " |")
        if len(out) == 1:  # the delimiter row goes under a table's first row
            out.append("|" + "---|" * len(row))
    return out


def _space_aligned(rows: Iterable[Printed]) -> list[str]:
    # As pdftotext -layout prints a table: cells split by runs of spaces, so a blank
    # cell prints nothing at all (the parser then places the row's values by the
    # table's arithmetic, or leaves them ambiguous).
    out = []
    for labels, values in rows:
        if values and not any(values):
            raise ValueError(
                "a row of blank cells cannot be written space-aligned: its label alone "
                "would read as the wrapped end of the label above"
            )
        if any(" " in cell for cell in [*labels, *values]):
            raise ValueError("cells with spaces cannot be written space-aligned")
        # captions and headers print indented, as cells centred over a table's
        # columns do; flush under a row label no narrower, they would continue it
        indent = "" if values else " " * 8
        out.append(indent + "    ".join(cell for cell in [*labels, *values] if cell))
    return out


def _cell_per_line(rows: Iterable[Printed]) -> list[str]:
    out = []
    for labels, values in rows:
        out.extend(f"{cell} |".strip() if cell else "|" for cell in [*labels, *values])
        out.append("||")
    return out


def _indented(rows: Iterable[Printed]) -> list[str]:
    out = []
    for labels, values in rows:
        out.extend(f"\t{cell}" for cell in [*labels, *values])
        out.append("")
    return out


def _run_together(rows: Iterable[Printed]) -> list[str]:
    out = []
    for labels, values in rows:
        if any(v.startswith("-") or not (v[:1].isdigit() or v == "") for v in values):
            raise ValueError("only digit values can be written run together")
        out.append("".join(labels) + "".join(values))
    return out


#: Layout name → writer of printed rows.
WRITERS: dict[str, Callable[[Iterable[Printed]], list[str]]] = {
    "pipe": _pipe,
    "tab": _tab,
    "cell-per-line": _cell_per_line,
    "indented-cell-per-line": _indented,
    "run-together": _run_together,
    "markdown": _markdown,
    "space-aligned": _space_aligned,
}


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")
