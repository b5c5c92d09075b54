"""Bad input gets a clear govreport error: where, what was expected, a snippet."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreport import (
    DecodeError,
    LayoutError,
    LegacyReportError,
    ParseError,
    Severity,
    StructureError,
    TableError,
    parse,
)

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


def test_row_out_of_order_points_at_the_line():
    lines = SEED_000.split("\n")
    lines[36], lines[37] = lines[37], lines[36]  # 二、上年结转 after 三、本年度办理结果（一）
    with pytest.raises(TableError) as err:
        parse("\n".join(lines), strict=True)
    e = err.value
    assert e.line == 38  # 二、上年结转政府信息公开申请数量, now on line 38
    assert e.column is not None
    assert "二、上年结转" in e.snippet
    assert "line 38" in str(e)


def test_an_unreadable_table_costs_only_itself():
    lines = SEED_000.split("\n")
    lines[36], lines[37] = lines[37], lines[36]
    report = parse("\n".join(lines))
    t2 = [f for f in report.findings if f.code == "T2"]
    assert len(t2) == 1 and t2[0].severity is Severity.ERROR and t2[0].paths == ("applications",)
    assert report.applications.rows == {}
    assert report.get("applications/new_received/total") is None
    # the other tables and every section are still there
    assert report.cell("active_disclosure/art20_1.regulations/issued").value == 0
    assert report.cell("review_litigation/review/total").value == 0
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    # the table's lines are reported, not lost
    assert {37, 38, 59} <= {u.line for u in report.unrecognised}


def test_a_row_left_out_is_absent_with_a_finding():
    lines = SEED_000.split("\n")
    del lines[36]  # 二、上年结转政府信息公开申请数量 (line 37)
    report = parse("\n".join(lines))
    assert report.get("applications/carried_over/total") is None
    assert report.cell("applications/new_received/total").value == 8
    t3 = [f for f in report.findings if f.code == "T3"]
    assert len(t3) == 1 and "二、上年结转" in t3[0].message
    # O1 involves the absent row: it cannot be checked, and says so
    assert any(f.code == "O1-unchecked" for f in report.findings)


def test_forced_layout_that_does_not_fit():
    with pytest.raises(LayoutError):
        parse(SEED_000, layout="indented-cell-per-line", strict=True)
    report = parse(SEED_000, layout="indented-cell-per-line")
    assert {f.code for f in report.findings} >= {"T2"}


def test_unknown_layout():
    with pytest.raises(LayoutError, match="unknown layout"):
        parse(SEED_000, layout="nonsense")


def test_errors_are_parse_errors():
    for cls in (LayoutError, LegacyReportError, StructureError, TableError):
        assert issubclass(cls, ParseError)


# Issue 15, item 4: diagnoses that name what is wrong with the bytes.


def test_a_utf8_file_cut_inside_a_character_is_called_cut_short_where_it_ends():
    data = SEED_000.encode("utf-8")
    cut = data[: data.index("本年".encode()) + 1]  # one byte into 本
    with pytest.raises(DecodeError) as exc:
        parse(cut)
    assert "cut short" in str(exc.value) and "UTF-8" in str(exc.value)
    assert exc.value.line == cut.count(b"\n") + 1  # the last line, not line 1
    assert "GB18030" not in str(exc.value).split(";")[0]


def test_a_utf8_file_with_a_bad_byte_inside_is_named_utf8_at_that_byte():
    data = SEED_000.encode("utf-8")
    at = data.index("本年".encode())
    broken = data[:at] + b"\xff" + data[at:]
    with pytest.raises(DecodeError) as exc:
        parse(broken)
    assert "not valid UTF-8" in str(exc.value)
    assert exc.value.line == data[:at].count(b"\n") + 1


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(codec):
    report = parse(SEED_000.encode(codec))
    assert report.cell("applications/new_received/total") == parse(SEED_000).cell(
        "applications/new_received/total"
    )


def test_binary_data_is_still_called_binary():
    with pytest.raises(DecodeError, match="binary data"):
        parse(b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 100)


# Issue 15, item 9: messages in the words of the report, not of the code.


def _lines_of_000() -> list[str]:
    return SEED_000.split("\n")


def test_a_table_that_ends_too_soon_says_so_in_plain_words():
    lines = _lines_of_000()
    first = next(k for k, line in enumerate(lines) if "本年新收" in line)
    text = "\n".join([*lines[: first + 1], "四、行政复议、行政诉讼情况"])
    with pytest.raises(TableError) as exc:
        parse(text, strict=True)
    assert "unexpected the end" not in str(exc.value)
    assert "the table ends" in str(exc.value)


def test_an_expected_row_is_named_by_its_printed_label_beside_its_key():
    lines = _lines_of_000()
    a = next(k for k, line in enumerate(lines) if "行政执法案卷" in line)
    b = next(k for k, line in enumerate(lines) if "国家秘密" in line)
    lines[a], lines[b] = lines[b], lines[a]
    with pytest.raises(TableError) as exc:
        parse("\n".join(lines), strict=True)
    assert exc.value.expected is not None
    assert "8.属于行政查询事项 (results.withheld.administrative_query)" in exc.value.expected


def test_a_forced_layout_that_does_not_fit_does_not_hint_to_force_a_layout():
    with pytest.raises(LayoutError) as exc:
        parse(SEED_000, layout="tab", strict=True)
    assert "force the layout" not in (exc.value.hint or "")
    assert "tab" in str(exc.value) and "without" in (exc.value.hint or "")
