"""Bad input gets a clear govreport error: where, what was expected, a snippet."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreport import LayoutError, LegacyReportError, ParseError, StructureError, TableError, parse

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_000 = (CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt").read_text("utf-8")

LEGACY = """北京市某区2015年政府信息公开工作年度报告
一、概述
2015年，我局认真贯彻落实《政府信息公开条例》。
二、主动公开政府信息情况
全年主动公开政府信息120条。
三、依申请公开政府信息情况
政府信息公开情况统计表
统计指标 | 单位 | 统计数
主动公开政府信息数 | 条 | 120
"""


def test_garbage_is_a_structure_error():
    with pytest.raises(StructureError) as err:
        parse("hello\nworld\n")
    assert err.value.line == 1
    assert "section headings" in err.value.expected
    assert err.value.snippet == "hello"


def test_empty_input():
    with pytest.raises(StructureError):
        parse("")


def test_legacy_report_is_named_as_such():
    with pytest.raises(LegacyReportError, match="pre-2019"):
        parse(LEGACY)


def test_missing_row_points_at_the_line():
    lines = SEED_000.split("\n")
    del lines[36]  # 二、上年结转政府信息公开申请数量 (line 37)
    with pytest.raises(TableError) as err:
        parse("\n".join(lines))
    e = err.value
    assert e.line == 37  # the row that came instead, 三、本年度办理结果, now on line 37
    assert e.column is not None
    assert "carried_over" in e.expected
    assert "三、本年度办理结果" in e.snippet
    assert "line 37" in str(e)


def test_forced_layout_that_does_not_fit():
    with pytest.raises(LayoutError):
        parse(SEED_000, layout="indented-cell-per-line")


def test_unknown_layout():
    with pytest.raises(LayoutError, match="unknown layout"):
        parse(SEED_000, layout="nonsense")


def test_errors_are_parse_errors():
    for cls in (LayoutError, LegacyReportError, StructureError, TableError):
        assert issubclass(cls, ParseError)
