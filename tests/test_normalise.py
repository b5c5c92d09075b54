from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from govreport import DecodeError, parse
from govreport.readers.text import decode, is_traditional, normalise

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_000 = (CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt").read_text("utf-8")


def test_pinyin_annotations_are_removed_with_column_map():
    text = "按照縣政府信息公開辦的統(tǒng)一部署,規(guī)範開展\n第二行(zhí)"
    norm = normalise(text)
    assert norm.lines[0] == "按照县政府信息公开办的统一部署,规范开展"
    # column of "一" in the normalised line maps back past "(tǒng)"
    col = norm.lines[0].index("一") + 1
    assert text.split("\n")[0][norm.original_column(1, col) - 1] == "一"


def test_pinyin_needs_tone_marked_evidence():
    """Ordinary parentheses after a character are left alone in ordinary text."""
    norm = normalise("面积(ha)和长度(km)")
    assert norm.lines[0] == "面积(ha)和长度(km)"


def test_width_spaces_and_artifacts():
    norm = normalise("[bookmark: _GoBack]（一）第二十条第（五）项\u3000\u00a0１２")
    assert norm.lines[0] == "(一)第二十条第(五)项  12"


def test_debris_lines_are_blanked_and_reported():
    norm = normalise("正文\n扫一扫在手机上打开页面\n")
    assert norm.lines[1] == ""
    assert [(d.line, d.reason) for d in norm.dropped] == [(2, "web-page debris")]


def test_script_detection():
    assert is_traditional("一、總體情況。我辦認真貫徹執行政府信息公開條例")
    assert not is_traditional(SEED_000)
    # simplified text is not run through t2s: 乾县 is a real place name
    assert normalise("乾县人民政府\n" + SEED_000).lines[0] == "乾县人民政府"


def test_normalise_is_idempotent_on_seed():
    once = normalise(SEED_000).text
    assert normalise(once).text == once


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_give_the_same_report(encoding):
    data = SEED_000.replace("\n", "\r\n").encode(encoding)
    report = parse(data)
    assert report == parse(SEED_000)
    assert report.cell("applications/new_received/total").value == 8


def test_undecodable_bytes_say_where():
    data = "一、总体情况\n".encode() + b"\xff\xfe\xfd\x81\x30"
    with pytest.raises(DecodeError) as err:
        decode(codecs.BOM_UTF8 + data)
    assert err.value.line == 2


def test_binary_is_refused():
    with pytest.raises(DecodeError, match="binary"):
        parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_page_numbers_and_form_feeds():
    """pdftotext -layout: a page footer "- 4 -" between a table's lines is reported and
    blanked; the form feed that starts a page is a space (columns keep their place)."""
    norm = normalise("规章  0\n\n   - 4 -\n\f行政许可  0\n第 5 页 共 9 页\n-1-\n- 0 1\n")
    assert [(d.line, d.reason) for d in norm.dropped] == [
        (3, "page number"),
        (5, "page number"),
        (6, "page number"),
    ]
    assert norm.lines[3] == " 行政许可  0"
    assert norm.lines[6] == "- 0 1"


@pytest.mark.parametrize(
    ("text", "narrow", "wide"),
    [
        ("ab 12", 5, 5),
        ("行政许可", 8, 8),
        ("“本年”①", 7, 10),  # “ ” ① are of ambiguous width: one column or two
        ("", 0, 0),
    ],
)
def test_display_width(text, narrow, wide):
    from govreport.readers.chars import display_columns, display_width

    assert (display_width(text, 1), display_width(text, 2)) == (narrow, wide)
    for ambiguous in (1, 2):
        columns = display_columns(text, ambiguous)
        assert columns == [display_width(text[:k], ambiguous) for k in range(len(text) + 1)]
