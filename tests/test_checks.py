"""Checks on modified real reports: each finding with its code, severity and lines."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from govreport import Severity, compare, parse
from govreport.checks import Verdict, evaluate
from govreport.spec.dictionary import TEMPLATES
from govreport.spec.relations import relations

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_000 = (CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt").read_text("utf-8")
SEED_001 = (CORPUS / "001_jingyan_2023_cell_per_line_traditional" / "input.txt").read_text("utf-8")


def edit(text: str, replacements: dict[int, str]) -> str:
    lines = text.split("\n")
    for number, new in replacements.items():
        lines[number - 1] = new
    return "\n".join(lines)


def codes(report, severity=None):
    return sorted(f.code for f in report.findings if severity is None or f.severity is severity)


def test_a_consistent_report_has_no_findings():
    assert parse(SEED_000).findings == ()


def test_broken_total_breaks_o1_s1_s3():
    report = parse(edit(SEED_000, {59: "(七)总计 | 8 | 0 | 0 | 0 | 0 | 0 | 9 | ||"}))
    assert codes(report, Severity.ERROR) == ["O1", "S1", "S3"]
    s3 = next(f for f in report.findings if f.code == "S3")
    assert (s3.expected, s3.actual) == ("9", "8")
    assert 59 in s3.lines
    # the narrative says 8 applications and the table still says 8 received: no N1
    assert "N1" not in codes(report)


def test_blank_cell_makes_the_weaker_outcome():
    report = parse(SEED_001)
    assert codes(report) == ["O1-blank", "S1-blank", "S3-blank"]
    assert all(f.severity is Severity.INFO for f in report.findings)
    rel = next(
        r
        for r in relations(TEMPLATES["2021"])
        if r.code == "S3" and r.left == ("applications/results.total/total",)
    )
    assert evaluate(report, rel)[0] is Verdict.HOLDS_IF_BLANK_ZERO


def test_placeholder_makes_a_relation_uncheckable():
    report = parse(
        edit(
            SEED_000,
            {
                65: "0 | 0 | / | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            },
        )
    )
    assert codes(report) == ["S4-unchecked"]


def test_negative_count_is_s5():
    report = parse(edit(SEED_000, {27: "行政处罚 | -3 | ||"}))
    s5 = [f for f in report.findings if f.code == "S5"]
    assert len(s5) == 1 and s5[0].paths == (
        "active_disclosure/art20_6.administrative_penalty/decisions",
    )
    assert s5[0].lines == (27,)


def test_text_figure_differs_from_table():
    lines = SEED_000.split("\n")
    lines[7] = lines[7].replace("共收到政府信息公开申请8件", "共收到政府信息公开申请9件")
    report = parse("\n".join(lines))
    n1 = [f for f in report.findings if f.code == "N1"]
    assert len(n1) == 1 and n1[0].severity is Severity.WARNING
    assert (n1[0].expected, n1[0].actual) == ("9", "8")
    assert 8 in n1[0].lines


def test_template_year_mismatch():
    text = (CORPUS / "003_baoji_justice_2020_pipe_dropped_blanks" / "input.txt").read_text("utf-8")
    report = parse(
        text.replace("2020年度政府信息公开工作年度报告", "2022年度政府信息公开工作年度报告")
    )
    y1 = [f for f in report.findings if f.code == "Y1"]
    assert len(y1) == 1 and (y1[0].expected, y1[0].actual) == ("2021", "2019")


def test_fee_statement_vs_table():
    report = parse(
        edit(
            SEED_000,
            {
                57: "2.申请人逾期未按收费通知要求缴纳费用 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||",
            },
        )
    )
    assert "F1" in codes(report, Severity.WARNING)


def test_compare_consecutive_years():
    previous = parse(SEED_000.replace("2023年", "2022年"))
    current = parse(
        edit(
            SEED_000,
            {
                37: "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | ||",
                21: "行政规范性文件 | 2 | 0 | 5 |",
            },
        )
    )
    assert (previous.year, current.year) == (2022, 2023)
    found = compare(previous, current)
    assert sorted(f.code for f in found) == ["X1", "X1", "X2"]
    x2 = next(f for f in found if f.code == "X2")
    assert (x2.expected, x2.actual) == ("2", "5")


def test_compare_flags_non_consecutive_years():
    found = compare(parse(SEED_000), parse(SEED_000))
    assert [f.code for f in found] == ["X3"]


def test_a_2020_report_on_the_2021_template_is_flagged():
    # The 2019 template is for the 2019 and 2020 reports; a 2020 report on the 2021
    # template got no Y1 while the check tested ``year <= 2019``.
    report = parse(SEED_000.replace("2023年", "2020年"))
    assert report.year == 2020 and report.template == "2021"
    y1 = [f for f in report.findings if f.code == "Y1"]
    assert len(y1) == 1 and (y1[0].expected, y1[0].actual) == ("2019", "2021")


def test_the_template_years_come_from_the_spec():
    from govreport.spec.dictionary import TEMPLATES, template_for_year

    assert [template_for_year(y).id for y in (2019, 2020, 2021, 2030)] == [
        "2019",
        "2019",
        "2021",
        "2021",
    ]
    assert template_for_year(2018) is None
    assert TEMPLATES["2019"].years == "2019–2020"


#: Pieces of section 一's sentences, the statements' words among them.
_PIECES = (
    "收到政府信息公开申请", "受理", "共", "12", "3", "件", "起", "，", "。", "全区", "拟",
    "现行有效规范性文件", "现行有效的行政规范性文件", "制定规范性文件", "予以公开",
    "不予以公开", "部分公开", "无法提供", "行政复议", "行政诉讼案件", "未收到任何",
    "依申请公开申请", "无依申请公开事项", "的", "本机关", " ",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), max_size=6))
@example(["全区", "现行有效规范性文件12件"])  # a statement at a line's start, not the text's
def test_a_statement_is_found_in_a_section_as_on_its_lines(lines):
    # each line (behind the clause it continues) searched on its own gives the same
    # first figure as the search that first looks over the whole text (and skips the
    # lines when it finds nothing)
    from govreport.model import Section
    from govreport.structure.narrative import STATEMENTS, clauses, figures, stated

    section = Section(
        1, "一、总体情况", "\n".join(lines), line=1, text_lines=tuple(range(2, 2 + len(lines)))
    )
    for statement in STATEMENTS:
        expected = next(
            (
                (found[0], n)
                for n, t in zip(section.text_lines, clauses(lines), strict=True)
                if (found := figures(t, statement))
            ),
            None,
        )
        assert stated(statement, section) == expected


def test_a_statement_wrapped_onto_the_next_line_is_read_with_the_words_it_follows():
    """PDF text wraps prose at the page's width (seed 000 through PyMuPDF, corpus 256)."""
    from govreport.model import Section
    from govreport.structure.narrative import STATEMENTS, stated

    issued = next(s for s in STATEMENTS if s.what == "normative documents issued")

    def section(*lines):
        return Section(1, "一、总体情况", "\n".join(lines), line=1,
                       text_lines=tuple(range(2, 2 + len(lines))))  # fmt: skip

    # another body's figure, its clause broken after the body's name
    other = section("区政府制发规范性文件10件，各部门", "制发规范性文件4件。")
    assert stated(issued, other) is None
    # the agency's own, its figure on the next line
    assert stated(issued, section("本年度本机关制发规范性", "文件4件。")) == (4, 3)
    # a heading on a line of its own lends its words to nothing
    assert stated(issued, section("（三）政府信息管理", "制发规范性文件2件。")) == (2, 3)
    # a line that ends its clause lends nothing either
    assert stated(issued, section("全区情况如下。", "制发规范性文件3件。")) == (3, 3)
