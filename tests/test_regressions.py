"""Bugs found by review on mutated corpus texts, each kept as a test."""

from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport import CellState, parse

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_000 = (CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt").read_text("utf-8")
SEED_003 = (CORPUS / "003_baoji_justice_2020_pipe_dropped_blanks" / "input.txt").read_text("utf-8")


def lines_of(text):
    return text.split("\n")


def test_values_after_a_row_break_are_not_dropped():
    lines = lines_of(SEED_000)
    lines.insert(38, "| 5 | 0 | 0 | 0 | 0 | 0 | 5 | ||")  # a stray row after 予以公开
    report = parse("\n".join(lines))
    cell = report.cell("applications/results.granted/natural_person")
    assert cell.state is CellState.AMBIGUOUS  # 14 values for 7 columns: not silently 3
    assert "R4" in {f.code for f in report.findings}


def test_not_granted_is_not_granted():
    lines = lines_of(SEED_000)
    lines[7] = lines[7].replace("予以公开3件", "不予以公开0件,予以公开3件")
    report = parse("\n".join(lines))
    assert "N2" not in {f.code for f in report.findings}


def test_fee_collected_nothing_is_compatible_with_a_notice():
    lines = lines_of(SEED_000)
    lines[72] = "发出收费通知1件,申请人逾期未缴纳,本机关未收取信息处理费。"
    lines[56] = "2.申请人逾期未按收费通知要求缴纳费用 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||"
    assert "F1" not in {f.code for f in parse("\n".join(lines)).findings}


def test_placeholder_readings_are_listed_among_candidates():
    lines = lines_of(SEED_003)
    lines[8] = "2020年,本局办理了申请。"  # no stated figure
    lines[38] = "一、本年新收政府信息公开申请数量 | / | 1 | |||||||"
    report = parse("\n".join(lines))
    cell = report.cell("applications/new_received/natural_person")
    assert cell.state is CellState.AMBIGUOUS
    assert "/" in cell.candidates and None in cell.candidates


def test_a_row_printing_only_its_label_is_blank_not_an_error():
    lines = lines_of(SEED_000)
    lines[38] = "(二)部分公开(区分处理的,只计这一情形,不计其他情形) |"
    report = parse("\n".join(lines))
    cells = report.applications.rows["results.partially_granted"].cells
    assert {c.state for c in cells.values()} == {CellState.BLANK}
    assert "R4" not in {f.code for f in report.findings}


def test_a_placeholder_cannot_satisfy_a_stated_figure():
    lines = lines_of(SEED_003)
    lines[38] = "一、本年新收政府信息公开申请数量 | 1 | / | |||||||"
    report = parse("\n".join(lines))
    total = report.cell("applications/new_received/total")
    # section 一 states 1 application: the total is not read as the placeholder
    assert total.state is not CellState.PLACEHOLDER


def test_lone_surrogate_in_text_is_a_decode_error_not_a_crash():
    """Fuzzing found: a str holding a lone surrogate crashed inside OpenCC (UnicodeEncodeError)."""
    text = "一、总体情况\n本年度\udbbb信息"
    with pytest.raises(govreport.DecodeError) as caught:
        govreport.parse(text)
    assert (caught.value.line, caught.value.column) == (2, 4)
    assert "surrogate" in caught.value.message


def test_a_row_decided_alone_follows_the_joint_search_rules_for_placeholders():
    """Review found: deciding a damaged row on its own let a placeholder "satisfy" a
    relation the source breaks, so '/' and a blank were placed as inferred — wrong.
    With the joint search's rules those cells stay ambiguous."""
    lines = (
        (CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt")
        .read_text(encoding="utf-8-sig")
        .split("\n")
    )
    lines[37] = "三、本年度办理结果 | (一)予以公开 | 3 | / | 3 |||||||"
    lines[58] = "(七)总计 | 8 | 1 | 0 | 0 | 0 | 0 | 8 | ||"
    report = parse("\n".join(lines))
    for column in ("commercial", "research"):
        cell = report.cell(f"applications/results.granted/{column}")
        assert cell.state is CellState.AMBIGUOUS, cell
        assert set(cell.candidates) == {"/", None}
    assert report.cell("applications/results.granted/natural_person").value == 3
