"""Bugs found by review on mutated corpus texts, each kept as a test."""

from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport import CellState, parse, parse_file
from govreport.readers.text import normalise

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


# --- found by reviewing the real-world-text mechanisms (each gave a wrong value) -------

_REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _corpus_text(name: str) -> str:
    return next(_CORPUS.glob(f"{name}*/input.txt")).read_text("utf-8")


def test_a_row_of_placeholders_is_no_piece_of_a_group_label():
    # 无 is inside （四）无法提供: a row printing only 无 was dropped as a group label
    src = _corpus_text("006_")
    lines = src.split("\n")
    assert lines[76].startswith("二、上年结转")
    lines[76:78] = [
        "二、上年结转政府信息公开申请数",
        " " * 30 + "无     无      无   无   无       无    无",
        "量",
    ]
    report = parse("\n".join(lines))
    cells = report.applications.rows["carried_over"].cells
    assert {c.state for c in cells.values()} == {CellState.PLACEHOLDER}


@pytest.mark.skipif(not _REAL.is_dir(), reason="../shared/real is absent")
def test_a_line_of_values_between_two_bare_labels_is_not_given_to_either():
    src = (_REAL / "pdf" / "hongze-2023.pdfplumber-text.txt").read_text("utf-8")
    a = "3.补正后申请内容仍不明确 0 0 0 0 0 0 0\n1.信访举报投诉类申请 1 0 0 0 0 0 1\n"
    assert src.count(a) == 1
    b = "3.补正后申请内容仍不明确\n1 0 0 0 0 0 1\n1.信访举报投诉类申请\n"
    report = parse(src.replace(a, b))
    assert [f.code for f in report.findings if f.code == "T2"] == ["T2"]
    assert report.get("applications/results.unavailable.unclear_after_correction/total") is None
    assert report.cell("review_litigation/review/upheld").value == 10  # the rest is read


def test_another_body_s_figure_does_not_pin_a_glued_row():
    src = _corpus_text("220_")
    for statement in ("全区共制发行政规范性文件1件。", "审核区政府拟制发的规范性文件1件。"):
        text = src.replace("共88条。", "共88条。" + statement, 1)
        cell = parse(text).cell("active_disclosure/art20_1.normative_documents/issued")
        assert cell.state is CellState.AMBIGUOUS and 12 in cell.candidates


def test_a_list_of_the_sections_in_the_prose_is_no_flattened_report():
    src = _corpus_text("002_")
    a = (
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进措施、其他需要报告的事项"
        "共 6 个部分组成。"
    )
    b = (
        "本报告由一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况，"
        "四、政府信息公开行政复议、行政诉讼情况，五、存在的主要问题及改进情况，"
        "六、其他需要报告的事项共 6 个部分组成。"
    )
    assert src.count(a) == 1
    report = parse(src.replace(a, b))
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert not [f for f in report.findings if f.code == "T2"]


def test_a_blank_row_in_a_raw_extraction_stays_a_row():
    src = _corpus_text("203_")
    assert src.count("行政许可 0") == 1
    report = parse(src.replace("行政许可 0", "行政许可 无"))
    # a placeholder after a label in a digit-run table is no blank: it is the row's cell
    cell = report.cell("active_disclosure/art20_5.administrative_license/decisions")
    assert cell.state is CellState.PLACEHOLDER and cell.raw == "无"
    assert not [f for f in report.findings if f.code in ("T2", "T3", "R4")]


def test_a_table_s_last_row_left_out_is_absent_not_an_unreadable_table():
    lines = _corpus_text("000_").split("\n")
    last = next(k for k, t in enumerate(lines) if t.startswith("四、结转下年度"))
    report = parse("\n".join(lines[:last] + lines[last + 1 :]))
    assert report.get("applications/carried_forward/total") is None
    assert report.cell("applications/results.total/total").value == 8
    assert [f.code for f in report.findings if f.code in ("T2", "T3")] == ["T3"]


def test_html_captions_printed_as_paragraphs_between_the_tables():
    def table(rows):
        cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        return f"<table>{cells}</table>"

    out = ["<html><head><meta charset='utf-8'></head><body>"]
    rows: list[list[str]] = []
    for line in _corpus_text("002_").split("\n"):
        if "\t" in line and not line.startswith("第二十条"):
            rows.append(line.split("\t"))
            continue
        if rows:
            out.append(table(rows))
            rows = []
        if line.strip():
            out.append(f"<p>{line.strip()}</p>")
    if rows:
        out.append(table(rows))
    report = parse(("".join(out) + "</body></html>").encode("utf-8"))
    assert report.reader == "html"
    assert report.cell("active_disclosure/art20_6.administrative_penalty/decisions").value == 0
    assert not [f for f in report.findings if f.code == "T2"]


def test_a_crawler_header_is_metadata_not_report_text():
    path = next(_CORPUS.glob("200_*/input.txt"))
    report = govreport.parse_file(path)
    assert report.metadata["title"] == "北京市东城区司法局2023年政府信息公开工作年度报告"
    assert report.metadata["published"] == "2024-01-22 09:30"
    assert report.metadata["url"].startswith("https://www.portal.example/")
    assert report.metadata["column"] == "政府信息公开年报"
    assert report.metadata_lines == tuple(range(1, 10))  # the header and the 正文 line
    # the body was one line: re-flowed, its six sections found inside it
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert "原文链接" not in report.preamble
    assert not any("发布时间" in s.text for s in report.sections)
    # the header's title names the agency and the year the body never prints
    assert (report.agency, report.year, report.year_source) == ("北京市东城区司法局", 2023, "title")


def test_a_title_quoted_in_a_preamble_sentence_is_the_quoted_title():
    """Seed 003 opens 根据《条例》…现将《宝鸡市司法局2020年度…年度报告》予以公布。: the title is
    what the quotes hold, and the sentence stays in the preamble (found by the audit page)."""
    report = parse_file(CORPUS / "003_baoji_justice_2020_pipe_dropped_blanks" / "input.txt")
    assert report.title == "宝鸡市司法局2020年度政府信息公开工作年度报告"
    assert report.title_lines == ()
    assert report.preamble.startswith("根据《中华人民共和国政府信息公开条例》")
    assert (report.agency, report.year, report.year_source) == ("宝鸡市司法局", 2020, "title")


def test_label_pieces_join_only_into_the_label_the_template_prints():
    """A label's words on the next line join a numbered label above only when together
    they begin that row's label as the template prints it: review of the wrapped-label
    rules found that 1.本机关不掌 (not_held) + 信访举报投诉类申请 (petition, also numbered
    1.) would otherwise have moved one row's values to another."""
    from govreport.grammars import parser
    from govreport.spec.dictionary import TEMPLATES
    from govreport.tables import _begins_label, _numbered_as, _row_keys, grammar_name

    table = TEMPLATES["2021"].table("applications")
    keys = _row_keys(parser(grammar_name(table, "2021")))
    petition, publications = (
        "results.not_processed.petition_complaint",
        "results.not_processed.publications",
    )
    assert not _numbered_as("1.本机关不掌", petition, keys, table, "信访举报投诉类申请")
    assert _numbered_as("3.要求提供公", publications, keys, table, "开出版物")
    # a group label's character printed among the words is no obstacle; another row's is
    assert _begins_label(
        "2.没有现成信息需要另行制供作", "results.unavailable.needs_creation", table
    )
    assert not _begins_label("(七)总计结转下一年度", "results.total", table)


def test_a_whole_group_label_before_its_first_row_is_kept_a_split_one_set_apart():
    """A group label's piece beside a row's label is set apart, and so is its rest on the
    next row, though the rest reads as the whole label (（三 / ）不予公开: the group's merged
    cell split between its first two rows); a whole group label printed before its group's
    first row stays, for the grammar to take."""
    from govreport.grammars import parser
    from govreport.readers.layouts import Item
    from govreport.spec.dictionary import TEMPLATES
    from govreport.tables import _without_stray_groups, grammar_name

    table = TEMPLATES["2021"].table("applications")
    lark = parser(grammar_name(table, "2021"))

    # (the texts as the reader gives them: full-width brackets folded)
    def rows(*cells: tuple[str, ...]) -> list[Item]:
        out = []
        for line, row in enumerate(cells, 1):
            out += [Item(text, line, k) for k, text in enumerate(row)]
            out.append(Item("", line, len(row), is_break=True))
        return out

    def kept(items: list[Item]) -> list[str]:
        return [i.text for i in _without_stray_groups(items, lark, table) if i.text]

    split = rows(
        ("", "(三", "1.属于国家秘密", "0"), ("", ")不 予公 开", "2.其他法律行政法规禁止公开", "0")
    )
    assert kept(split) == ["1.属于国家秘密", "0", "2.其他法律行政法规禁止公开", "0"]
    whole = rows(
        ("", "(三)不予公开", "1.属于国家秘密", "0"), ("", "", "2.其他法律行政法规禁止公开", "0")
    )
    assert kept(whole) == [
        "(三)不予公开",
        "1.属于国家秘密",
        "0",
        "2.其他法律行政法规禁止公开",
        "0",
    ]


def test_line_per_cell_rows_of_labels_alone_are_not_read_as_blanks():
    """Where blank cells print nothing, labels printed before all their values (a table
    extracted column by column) must not read as rows of blanks: the table is unreadable."""
    case = next((Path(__file__).parent.parent / "corpus").glob("255_*"))
    text = (case / "input.txt").read_text(encoding="utf-8")
    row_wise = "规章\n0\n0\n0\n行政规范性文件\n0\n0\n0\n"
    assert row_wise in text
    column_wise = text.replace(row_wise, "规章\n行政规范性文件\n1\n2\n3\n")
    report = parse_file(case / "input.txt")
    assert report.cell("active_disclosure/art20_1.regulations/issued").value == 0
    damaged = parse(column_wise.encode("utf-8"))
    assert damaged.get("active_disclosure/art20_1.regulations/issued") is None
    assert "T2" in {f.code for f in damaged.findings}


def test_a_section_read_in_its_own_lines_layout_says_so():
    """pypdfium2's text (corpus 258): the document reads as line-per-cell, but sections 二
    and 四 print each row's values on one line; they are read run together, with T4."""
    case = next((Path(__file__).parent.parent / "corpus").glob("258_*"))
    report = parse_file(case / "input.txt")
    assert report.layout == "line-per-cell"
    t4 = [f for f in report.findings if f.code == "T4"]
    assert [f.message.split(" ", 2)[1] for f in t4] == ["2", "4"]
    assert all(f.message.endswith("run-together") for f in t4)
    cell = report.cell("active_disclosure/art20_1.normative_documents/in_force")
    assert (cell.value, cell.inferred) == (0, True)
    assert report.get("applications/new_received/total") is None  # section 三: T2


PYMUPDF4LLM = CORPUS / "262_dongcheng_office_2023_pdf_libreoffice_pymupdf4llm" / "input.txt"


def test_two_numbers_on_the_lines_of_one_markdown_cell_are_never_one_number():
    """A markdown cell's lines written ``<br>`` are joined as a wrapped label's are,
    without a space between Chinese pieces — but two numbers stay apart: 1<br>2 is
    never read as 12."""
    text = PYMUPDF4LLM.read_text("utf-8")
    assert "|行政规范性文件|12|0|64|" in text
    report = parse(text.replace("|行政规范性文件|12|0|64|", "|行政规范性文件|1<br>2|0|64|"))
    issued = report.cell("active_disclosure/art20_1.normative_documents/issued")
    assert issued.value != 12
    assert issued.state is not CellState.NUMBER or issued.inferred
    # as printed, the same row reads as the template's
    report = parse(text)
    assert report.cell("active_disclosure/art20_1.normative_documents/issued").value == 12


def test_a_label_split_over_two_markdown_cells_line_by_line_is_one_label():
    """pymupdf4llm cuts a merged cell at a column's edge, each of its lines in two:
    （二）部<br>一 | 分公开（区分处理的，只计这<br>情形，不计其他情形） is the label
    （二）部分公开（区分处理的，只计这一情形，不计其他情形）, its row read."""
    text = PYMUPDF4LLM.read_text("utf-8")
    assert "|（二）部<br>一|分公开（区分处理的，只计这<br>情形，不计其他情形）|0|" in text
    report = parse(text)
    table = next(t for t in report.tables if t.key == "applications")
    assert table.rows["results.partially_granted"].label.startswith(
        "(二)部分公开(区分处理的,只计这一情形"
    )
    cell = report.cell("applications/results.partially_granted/total")
    assert cell.state is CellState.NUMBER and cell.value == 0 and not cell.inferred


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # PyMuPDF's sorted text, pages joined with nothing between: the footer goes
        ("   - 3 -             3.补正后申请内容仍不明确     0   0", "3.补正后申请内容仍不明确"),
        ("— 12 —   五、存在的主要问题及改进情况", "五、存在的主要问题及改进情况"),
        # a row of cells starting with placeholders and a zero is no footer
        ("-\t0\t—\t\t0\t\t0\t0", "-\t0\t—\t\t0\t\t0\t0"),
        ("-  0  -  2  0", "-  0  -  2  0"),
        ("- 3 -  0  0  0", "- 3 -  0  0  0"),
    ],
)
def test_a_page_footer_glued_to_a_line_is_removed_and_a_row_of_cells_is_not(line, kept):
    lines = normalise(line).lines
    assert lines[0].strip().startswith(kept)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("## **一、总体情况** ", "一、总体情况 "),  # pymupdf4llm, markitdown, html2text
        ("**加粗** 与 **再一次**", "加粗 与 再一次"),
        ("|**0**|1|", "|0|1|"),
        ("经办人王** 说明", "经办人王** 说明"),  # a masked name is no bold
        ("王**、李**等", "王**、李**等"),
        ("** 一、总体情况", "** 一、总体情况"),
        ("**1**2", "**1**2"),  # two numbers are never joined
        ("3**0**", "3**0**"),
    ],
)
def test_markdown_bold_marks_go_and_the_text_stays(line, kept):
    assert normalise(line).lines[0] == kept


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("3\\.其他", "3.其他"),  # mammoth's and pandoc's markdown: 3. would start a list
        ("\\*注", "*注"),
        ("|行政\\|许可|0|", "|行政\\|许可|0|"),  # an escaped bar stays: one cell, not two
    ],
)
def test_markdown_escapes_go_but_not_an_escaped_bar(line, kept):
    assert normalise(line).lines[0] == kept


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        # pymupdf4llm joins a heading to the paragraph before it
        ("本报告电子版可在网站查阅或下载。 一、总体情况 ", 17),
        ("提高社会监督力度。 六、其他需要报告的事项", 10),
        # no heading at the end of a sentence: the line stays whole
        ("本报告包括一、总体情况", None),
        ("下载。一、总体情况。本年度", None),
        ("一、总体情况", None),
    ],
)
def test_a_heading_after_the_prose_of_its_line_is_a_line_of_its_own(line, cut):
    from govreport.readers.reflow import heading_at_end

    assert heading_at_end(line) == cut
    if cut is not None:
        lines = [b.text for b in govreport.readers.text.read(f"前言\n{line}\n正文").blocks]
        assert lines[1:3] == [line[:cut].rstrip(), line[cut:].strip()]


PDFTOTEXT_202 = (CORPUS / "202_dongcheng_justice_2023_pdftotext_layout" / "input.txt").read_text(
    "utf-8"
)
REPEATED = "applications/results.not_processed.repeated"


def test_a_count_glued_to_its_label_is_the_rows_first_value():
    """A PDF tool that prints a label's column up to the values glues the first value to
    the label (pypdf's layout mode: 重新出具0  0 …); with the count the row prints as many
    values as its columns, so the count is the first value — inferred, as are the row's
    other cells: a footnote's digit on a row printing a blank as nothing reads so too."""
    row = "               2.重复申请   0        0      0     0     0        0   0"
    assert row in PDFTOTEXT_202
    glued = row.replace("申请   0", "申请0   ")
    report = parse(PDFTOTEXT_202.replace(row, glued).encode())
    first = report.cell(f"{REPEATED}/natural_person")
    assert (first.value, first.inferred, first.column) == (0, True, glued.index("0") + 1)
    others = [report.cell(f"{REPEATED}/{c}") for c in ("commercial", "total")]
    assert [(c.value, c.inferred) for c in others] == [(0, True), (0, True)]
    assert report.applications.rows["results.not_processed.repeated"].label == "2.重复申请"
    assert not [f for f in report.findings if f.severity.value == "error"]


def test_a_footnote_digit_on_a_row_printing_a_blank_as_nothing_is_not_asserted():
    """A footnote's digit after a label on a row that prints one blank as nothing fits as
    the row's first value too: the cells so read are inferred, never asserted, and the
    table's arithmetic reports the misreading (S1, S3)."""
    row = "               2.重复申请   0        0      0     0     0        0   0"
    edited = "               2.重复申请1  0        0      0     0              0   0"
    report = parse(PDFTOTEXT_202.replace(row, edited).encode())
    cells = [report.cell(f"{REPEATED}/{c}") for c in ("natural_person", "legal_service")]
    assert all(c.inferred or c.state is CellState.AMBIGUOUS for c in cells)
    assert {"S1", "S3"} <= {f.code for f in report.findings}


def test_a_digit_after_a_label_with_every_value_printed_stays_in_the_label():
    """Where the row prints all its values besides the digit, the digit is not a value
    (a footnote mark, say): the row is not read (R4), no cell guessed."""
    row = "               2.重复申请   0        0      0     0     0        0   0"
    report = parse(PDFTOTEXT_202.replace(row, row.replace("申请   0", "申请1   0")).encode())
    assert report.cell(f"{REPEATED}/natural_person").state is CellState.AMBIGUOUS
    assert "R4" in {f.code for f in report.findings}
    assert report.applications.rows["results.not_processed.repeated"].label == "2.重复申请1"


def test_a_variant_spelling_of_a_label_reads_as_its_row():
    """大量反覆 (a variant of 大量反复, and what OpenCC leaves of Traditional 反覆 when a
    label wraps between the two characters) reads as its row."""
    seed = (CORPUS / "002_litong_justice_2022_tab" / "input.txt").read_text("utf-8")
    assert "大量反复" in seed
    report = parse(seed.replace("大量反复", "大量反覆").encode())
    row = report.applications.rows["results.not_processed.massive_repeated"]
    assert "大量反覆" in row.label
    assert [c.value for c in row.cells.values()] == [
        c.value for c in parse(seed.encode()).applications.rows[row.key].cells.values()
    ]
    assert not [f for f in report.findings if f.code in ("T2", "T3")]
