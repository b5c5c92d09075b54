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
or unit values run together, nor a space-aligned or line-per-cell row whose cells are all blank.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from govreport.model import Cell, CellState, Report
from govreport.output.writers import WrittenRow
from govreport.spec.dictionary import (
    APPLICANTS,
    OUTCOMES,
    TEMPLATES,
    Column,
    Kind,
    TableDef,
    article_caption,
)

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
    """The report as text in ``layout`` (see :data:`~govreport.readers.layouts.LAYOUTS`)
    and ``script``."""
    from govreport.readers.layouts import LAYOUTS  # the layouts register these writers

    if layout not in LAYOUTS:
        raise ValueError(f"no writer for layout {layout!r}; known: {', '.join(LAYOUTS)}")
    if script not in ("simplified", "traditional"):
        raise ValueError("script must be 'simplified' or 'traditional'")
    template = TEMPLATES[report.template]
    write = LAYOUTS[layout].writer
    assert write is not None
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


def _table_rows(report: Report, table: TableDef) -> Iterable[WrittenRow]:
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
    for row_def in _printed_rows(table, rows):
        if table.key == "active_disclosure" and row_def.key.split(".")[0] != block:
            block = row_def.key.split(".")[0]
            yield [article_caption(block) or block], []
            yield ["信息内容", *(c.label for c in row_def.columns)], []
        row = rows.get(row_def.key)
        if row is None:
            continue
        yield row_def.label.split(" "), [_value(row.cells[c.key], c) for c in row_def.columns]


def _printed_rows(table: TableDef, rows: dict) -> list:
    """The table's rows in template order, a variant row the report holds in place of
    the rows it replaces."""
    out = []
    for row_def in table.rows:
        variant = next((v for v in table.variants if row_def.key in v.replaces), None)
        if variant is not None and variant.key in rows:
            if variant not in out:
                out.append(variant)
            continue
        out.append(row_def)
    return out


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


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")
