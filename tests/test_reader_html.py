"""The HTML reader: real portal pages (../shared/real/html) and synthetic markup."""

from __future__ import annotations

import codecs
import json
import re
import time
from pathlib import Path

import pytest

from govreport.document import Document, Grid, GridCell, TextLine
from govreport.errors import DecodeError, ParseError
from govreport.readers import html
from govreport.readers.html import looks_like_html, read
from govreport.spec.dictionary import APPLICANTS as APPLICANT_COLUMNS

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
PAGES = ("pt02", "pt07", "pt11", "pt12")

HEADINGS = (
    r"^一、\s*总体情况",
    r"^二、\s*主动公开政府信息情况",
    r"^三、\s*收到和处理政府信息公开申请情况",
    r"^四、\s*政府信息公开行政(法)?复议、行政诉讼情况",
    r"^五、.*存在的主要问题及改进情况",
    r"^六、.*其他",
)
COLUMNS = tuple(c.key for c in APPLICANT_COLUMNS)  # the data dictionary's
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
CHROME = ("首页", "网站地图", "政务公开", "解读回应", "办事服务", "互动交流", "登录", "注册")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def texts(document: Document) -> list[str]:
    return [line.text for line in document.lines()]


def grid_texts(grid: Grid) -> list[list[str]]:
    return [[cell.text for cell in row] for row in grid.rows]


def positions(grid: Grid) -> list[list[tuple[str, int, int, int, int]]]:
    return [
        [(c.text, c.source.row, c.source.col, c.rowspan, c.colspan) for c in row]
        for row in grid.rows
    ]


def row_with(grid: Grid, label: str) -> tuple[GridCell, ...]:
    for row in grid.rows:
        if any(label in cell.text for cell in row):
            return row
    raise AssertionError(f"no row labelled {label!r}")


def grid_holding(document: Document, text: str) -> Grid:
    for grid in document.grids():
        if any(text in cell.text for row in grid.rows for cell in row):
            return grid
    raise AssertionError(f"no grid holds {text!r}")


# ---------------------------------------------------------------------------
# Real pages
# ---------------------------------------------------------------------------

needs_real = pytest.mark.skipif(not (REAL / "html").is_dir(), reason="../shared/real is absent")


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {name: read((REAL / "html" / f"{name}.html").read_bytes()) for name in PAGES}


def expected(name: str) -> dict[str, object]:
    return json.loads((REAL / "html" / f"{name}.expected.json").read_text("utf-8"))["cells"]


@needs_real
@pytest.mark.parametrize("name", PAGES)
def test_real_page_is_html(name: str) -> None:
    assert looks_like_html((REAL / "html" / f"{name}.html").read_bytes())


@needs_real
@pytest.mark.parametrize("name", PAGES)
def test_real_headings_in_order(documents: dict[str, Document], name: str) -> None:
    document = documents[name]
    assert document.reader == "html"
    lines = texts(document)
    found = []
    for pattern in HEADINGS:
        hits = [i for i, text in enumerate(lines) if re.match(pattern, text)]
        assert hits, f"{name}: no heading {pattern!r}"
        found.append(hits[0])
    assert found == sorted(found)
    # Line ordinals are 1..n in reading order.
    assert [line.source.line for line in document.lines()] == list(range(1, len(lines) + 1))


@needs_real
@pytest.mark.parametrize("name", PAGES)
def test_real_chrome_is_gone(documents: dict[str, Document], name: str) -> None:
    lines = texts(documents[name])
    for text in lines:
        assert text not in CHROME, text
        assert "function" not in text and "var " not in text and "{" not in text, text
        assert "分享到" not in text and text != "微信"
    assert not any("网站支持IPV6" in text or "附件下载" in text for text in lines)
    cells = [c.text for g in documents[name].grids() for row in g.rows for c in row]
    assert not any(text in CHROME for text in cells)


@needs_real
@pytest.mark.parametrize("name", PAGES)
def test_real_three_tables_interleaved(documents: dict[str, Document], name: str) -> None:
    document = documents[name]
    kinds = []
    for block in document.blocks:
        if isinstance(block, Grid):
            kinds.append("grid")
        elif re.match(r"^[二三四]、", block.text):
            kinds.append(block.text[0])
    # Each table directly follows its section heading.
    assert kinds == ["二", "grid", "三", "grid", "四", "grid"]
    assert [g.source.table for g in document.grids()] == [0, 1, 2]
    for grid in document.grids():
        for r, row in enumerate(grid.rows):
            for cell in row:
                assert cell.source.table == grid.source.table
                assert cell.source.row == r


@needs_real
@pytest.mark.parametrize("name", PAGES)
def test_real_section3_values(documents: dict[str, Document], name: str) -> None:
    cells = expected(name)
    grid = grid_holding(documents[name], "本年新收")
    for label, key in (("本年新收", "new_received"), ("上年结转", "carried_over")):
        row = row_with(grid, label)
        assert [c.source.col for c in row] == sorted(c.source.col for c in row)
        values = [c.text for c in row[-7:]]
        assert values == [str(cells[f"applications/{key}/{column}"]) for column in COLUMNS]
        assert [c.source.col for c in row[-7:]] == list(range(3, 10))


@needs_real
@pytest.mark.parametrize("name", PAGES)
def test_real_section4_header_and_values(documents: dict[str, Document], name: str) -> None:
    cells = expected(name)
    grid = grid_holding(documents[name], "未经复议直接起诉")
    header = [c.text for row in grid.rows[:3] for c in row]
    assert "结果纠正" in header
    assert "尚未审结" in header and "结果维持" in header
    assert header.count("结果纠正") == 3
    values = [c.text for c in grid.rows[-1]]
    assert values == [
        str(cells[f"review_litigation/{row}/{column}"])
        for row in REVIEW_ROWS
        for column in REVIEW_COLUMNS
    ]
    assert [c.source.col for c in grid.rows[-1]] == list(range(15))


@needs_real
@pytest.mark.parametrize("name", PAGES)
def test_real_metadata(documents: dict[str, Document], name: str) -> None:
    assert documents[name].script == "simplified"
    metadata = documents[name].metadata
    assert metadata["title"].startswith("平潭综合实验区")
    assert metadata["title"].endswith("年度报告")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", metadata["published"])


@needs_real
def test_real_pt02_split_group_label(documents: dict[str, Document]) -> None:
    """Word split 三、本年度办理结果 at a page break: two rowspan cells, both in column 0."""
    grid = grid_holding(documents["pt02"], "本年新收")
    starts = [
        (c.source.row, c.rowspan) for row in grid.rows for c in row if "本年度办理结果" in c.text
    ]
    assert starts == [(5, 10), (15, 10)]
    row = row_with(grid, "本机关不掌握")
    assert [c.source.col for c in row] == [0, 1, 2, *range(3, 10)]
    assert documents["pt02"].metadata["published"] == "2020-01-20"


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def only_grid(document: Document) -> Grid:
    grids = list(document.grids())
    assert len(grids) == 1
    return grids[0]


def test_rowspan_colspan_placement() -> None:
    markup = """<table>
      <tr><td rowspan="2" colspan="2">A</td><td colspan="3">B</td></tr>
      <tr><td>c</td><td rowspan="2">d</td><td>e</td></tr>
      <tr><td>f</td><td>g</td><td>h</td><td>i</td></tr>
      <tr><td colspan="5">j</td></tr>
    </table>"""
    grid = only_grid(read(page(markup)))
    assert positions(grid) == [
        [("A", 0, 0, 2, 2), ("B", 0, 2, 1, 3)],
        [("c", 1, 2, 1, 1), ("d", 1, 3, 2, 1), ("e", 1, 4, 1, 1)],
        [("f", 2, 0, 1, 1), ("g", 2, 1, 1, 1), ("h", 2, 2, 1, 1), ("i", 2, 4, 1, 1)],
        [("j", 3, 0, 1, 5)],
    ]
    assert all(cell.source.table == 0 for row in grid.rows for cell in row)


def test_rowspan_past_the_end_and_hostile_spans() -> None:
    markup = """<table>
      <tr><td rowspan="99">a</td><td colspan="100000000">b</td></tr>
      <tr><td rowspan="0">c</td><td colspan="x">d</td></tr>
    </table>"""
    grid = only_grid(read(page(markup)))
    assert positions(grid) == [
        [("a", 0, 0, 2, 1), ("b", 0, 1, 1, 1000)],
        [("c", 1, 1, 1, 1), ("d", 1, 2, 1, 1)],
    ]


def test_th_thead_tbody_and_empty_rows() -> None:
    markup = """<table><thead><tr><th>h1</th><th>h2</th></tr></thead>
      <tbody><tr></tr><tr><td>1</td><td>2</td></tr></tbody></table>"""
    grid = only_grid(read(page(markup)))
    assert grid_texts(grid) == [["h1", "h2"], [], ["1", "2"]]
    assert grid.rows[2][1].source.row == 2


def test_br_and_paragraphs_in_cells() -> None:
    markup = """<table><tr>
      <td><p>结</p><p>果</p><p>纠</p><p>正</p></td>
      <td>结果<br/>维持</td>
      <td><p>Total</p><p>count</p></td>
      <td><div>本年</div>2019<br>年</td>
      <td><span>行政</span><span>复议</span></td>
      <td>（三）<p>不予公开</p></td>
    </tr></table>"""
    grid = only_grid(read(page(markup)))
    assert grid_texts(grid) == [
        ["结果纠正", "结果维持", "Total count", "本年 2019 年", "行政复议", "（三）不予公开"]
    ]


def test_nbsp_blank_cells_and_padding() -> None:
    markup = """<table><tr>
      <td>&nbsp;</td><td></td><td><p>&nbsp;0</p></td><td>0&nbsp;&nbsp;&nbsp;</td>
      <td><span>&#12288;</span></td><td><p><span>1</span><span>&nbsp;</span></p></td>
    </tr></table>"""
    grid = only_grid(read(page(markup)))
    assert grid_texts(grid) == [["", "", "0", "0", "", "1"]]
    assert [c.source.col for c in grid.rows[0]] == list(range(6))


def test_nested_table_is_cell_text() -> None:
    markup = """<table><tr><td>outer</td><td><table><tr><td>内</td><td>表</td></tr>
      </table></td></tr></table>"""
    document = read(page(markup))
    grid = only_grid(document)
    assert grid_texts(grid) == [["outer", "内表"]]


def test_layout_table_is_descended() -> None:
    markup = """<table width="100%"><tr><td>导航 首页</td></tr><tr><td>
      <p>一、总体情况</p><p>正文。</p>
      <p>二、主动公开政府信息情况</p>
      <table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>1</td></tr></table>
      <p>三、收到和处理政府信息公开申请情况</p>
      <table><tr><td>一、本年新收政府信息公开申请数量</td><td>5</td></tr></table>
      <p>四、政府信息公开行政复议、行政诉讼情况</p>
      <p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p>
      </td></tr></table><p>版权所有</p>"""
    document = read(page(markup))
    assert [type(block).__name__ for block in document.blocks] == [
        "TextLine",
        "TextLine",
        "TextLine",
        "Grid",
        "TextLine",
        "Grid",
        "TextLine",
        "TextLine",
        "TextLine",
    ]
    assert texts(document)[0] == "一、总体情况"
    assert "版权所有" not in texts(document)
    assert grid_texts(list(document.grids())[1]) == [["一、本年新收政府信息公开申请数量", "5"]]


def test_two_tables_at_a_page_break_stay_two_grids() -> None:
    markup = """<table><tr><td>a</td><td>1</td></tr></table>
      <table><tr><td>b</td><td>2</td></tr></table>"""
    document = read(page(markup))
    grids = list(document.grids())
    assert [grid_texts(g) for g in grids] == [[["a", "1"]], [["b", "2"]]]
    assert [g.source.table for g in grids] == [0, 1]
    assert grids[1].rows[0][0].source.table == 1


# ---------------------------------------------------------------------------
# Text, chrome, metadata
# ---------------------------------------------------------------------------

PORTAL = """
<div class="header"><ul><li><a href="/">首页</a></li><li>网站地图</li></ul>
  <script>var nav = {"首页": 1};</script><style>.x{color:red}</style></div>
<div class="crumb">当前位置：首页 &gt; 政务公开</div>
<div class="main">
  <h1 class="article_title">某某局2023年政府信息公开工作年度报告</h1>
  <div class="info">发布时间：2024-01-31 &nbsp; 来源：某某局 <span>分享到微信</span></div>
  <div class="content">
    <p>　　根据《条例》编制本报告。</p>
    <p><span>一、</span><span>总体情况</span></p>
    <p>第一行<br>第二行&nbsp;&nbsp;有空格</p>
    <noscript>请启用脚本</noscript><!-- 注释 -->
    <p>二、主动公开政府信息情况</p>
    <table><tr><td>第二十条第（一）项</td></tr></table>
    <p>三、收到和处理政府信息公开申请情况</p>
    <table><tr><td>本年新收</td><td>1</td></tr></table>
    <p>四、政府信息公开行政复议、行政诉讼情况</p>
    <table><tr><td>结果纠正</td></tr></table>
    <p>五、存在的主要问题及改进情况</p><ul><li>问题一</li><li>问题二</li></ul>
    <p>六、其他需要报告的事项</p><p>&nbsp;</p><p>无。</p>
    <script>document.write("广告")</script>
  </div>
  <div class="share"><a>微博</a><a>QQ空间</a></div>
</div>
<div class="footer">版权所有 网站标识码 3590000001</div>
"""


def test_portal_chrome_dropped_and_lines() -> None:
    document = read(page(PORTAL, head="<meta charset='utf-8'><title>页面_站点</title>"))
    assert texts(document) == [
        "根据《条例》编制本报告。",
        "一、总体情况",
        "第一行",
        "第二行 有空格",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "问题一",
        "问题二",
        "六、其他需要报告的事项",
        "无。",
    ]
    assert len(list(document.grids())) == 3
    assert document.metadata == {
        "title": "某某局2023年政府信息公开工作年度报告",
        "published": "2024-01-31",
    }
    kinds = ["G" if isinstance(b, Grid) else b.text[:2] for b in document.blocks]
    assert kinds[4:10] == ["二、", "G", "三、", "G", "四、", "G"]


def test_markup_line_breaks_between_cjk_are_no_space() -> None:
    markup = """<p><span>收到和</span>
        <span>处理</span> 2019
        年 and
        more</p><p>行政\u200b复议&#8203;</p>"""
    assert texts(read(page(markup))) == ["收到和处理 2019 年 and more", "行政复议"]


def test_pre_lines_and_empty_tables() -> None:
    markup = "<pre>第一行\n  第二行<script>x()</script>\n\n第三行</pre><table></table><p>后</p>"
    document = read(page(markup))
    assert texts(document) == ["第一行", "第二行", "第三行", "后"]
    assert not list(document.grids())


def test_traditional_script_page() -> None:
    markup = """<div class="nav">首頁 網站地圖</div><div class="article">
      <p>一、總體情況</p><p>本機關認真貫徹落實《條例》，全年主動公開政府信息。</p>
      <p>二、主動公開政府信息情況</p><table><tr><td>第二十條第（一）項</td></tr></table>
      <p>三、收到和處理政府信息公開申請情況</p><table><tr><td>本年新收</td></tr></table>
      <p>四、政府信息公開行政復議、行政訴訟情況</p><table><tr><td>結果糾正</td></tr></table>
      <p>五、存在的主要問題及改進情況</p><p>六、其他需要報告的事項</p></div>
      <div class="footer">版權所有</div>"""
    document = read(page(markup))
    assert document.script == "traditional"
    assert texts(document)[0] == "一、總體情況"
    assert texts(document)[-1] == "六、其他需要報告的事項"
    assert len(list(document.grids())) == 3


def test_title_from_title_element() -> None:
    body = "<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理申请情况</p>"
    head = "<title>某县2022年政府信息公开工作年度报告_年报_某县人民政府</title>"
    document = read(page(body, head=head))
    assert document.metadata["title"] == "某县2022年政府信息公开工作年度报告"
    assert "published" not in document.metadata


def test_fragment_without_headings_keeps_everything() -> None:
    document = read(b"<p>hello</p><div>world <b>bold</b></div>")
    assert texts(document) == ["hello", "world bold"]
    assert isinstance(document.blocks[0], TextLine)
    assert document.metadata == {}


def test_a_blank_line_breaks_paragraphs_in_a_container_s_own_text_only() -> None:
    """pandoc -t gfm writes a page's paragraphs as markdown between its raw divs and
    tables: a blank line in a div's own text is a paragraph break; inside a <p>, whose
    inline runs a page may separate with blank lines, it is a space as HTML has it."""
    body = (
        "<div>一、总体情况\n\n本年度主动公开信息2077条。\n\n二、主动公开政府信息情况"
        "<p>本年度主动公开各类政府信息\n\n<b>2077</b>\n\n条。</p></div>"
    )
    assert texts(read(page(body))) == [
        "一、总体情况",
        "本年度主动公开信息2077条。",
        "二、主动公开政府信息情况",
        "本年度主动公开各类政府信息 2077 条。",
    ]


# ---------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------

REPORT = "<p>一、总体情况</p><p>政府信息公开申请 結果</p>"


def test_gbk_with_meta_charset() -> None:
    data = f"<html><head><meta charset=gbk></head><body>{REPORT}</body></html>".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert texts(read(data)) == ["一、总体情况", "政府信息公开申请 結果"]


def test_gb18030_only_characters_under_gb2312_label() -> None:
    body = "<p>一、总体情况 𠀀 ·</p>"
    head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    data = f"<html><head>{head}</head><body>{body}</body></html>".encode("gb18030")
    assert texts(read(data)) == ["一、总体情况 𠀀 ·"]


def test_charset_from_http_equiv() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=GBK" />'
    data = f"<html><head>{head}</head><body>{REPORT}</body></html>".encode("gbk")
    assert texts(read(data))[0] == "一、总体情况"


def test_undeclared_gbk_falls_back_to_gb18030() -> None:
    data = f"<html><body>{REPORT}</body></html>".encode("gbk")
    assert texts(read(data))[0] == "一、总体情况"


LONG_REPORT = (
    "<p>一、总体情况</p><p>本机关认真贯彻落实政府信息公开条例，全年主动公开政府信息二百条。</p>"
)


def test_utf8_page_under_a_gbk_label_is_read_as_utf8() -> None:
    data = f"<html><head><meta charset=gb2312></head><body>{LONG_REPORT}</body></html>".encode()
    assert texts(read(data))[0] == "一、总体情况"


def test_gbk_page_under_a_utf8_label_is_read_as_gb18030() -> None:
    markup = f"<html><head><meta charset=utf-8></head><body>{LONG_REPORT}</body></html>"
    assert texts(read(markup.encode("gbk")))[0] == "一、总体情况"


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252", "utf-16"])
def test_gbk_page_under_a_western_or_utf16_label(label: str) -> None:
    markup = f"<html><head><meta charset={label}></head><body>{LONG_REPORT}</body></html>"
    assert texts(read(markup.encode("gbk")))[0] == "一、总体情况"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_bom(bom: bytes, codec: str) -> None:
    # The BOM wins over a (wrong) declared charset.
    markup = f"<html><head><meta charset=gbk></head><body>{REPORT}</body></html>"
    data = bom + markup.encode(codec)
    assert looks_like_html(data)
    assert texts(read(data)) == ["一、总体情况", "政府信息公开申请 結果"]


def test_bad_bytes_after_bom_is_decode_error() -> None:
    with pytest.raises(DecodeError):
        read(codecs.BOM_UTF8 + b"<p>\xff\xfe\xfd</p>")


# ---------------------------------------------------------------------------
# Hostile input
# ---------------------------------------------------------------------------

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + "]>\n<html><body><p>&lol9;</p><p>一、总体情况</p></body></html>".encode()
)


def test_billion_laughs_does_not_expand() -> None:
    started = time.monotonic()
    document = read(LAUGHS)
    assert time.monotonic() - started < 5
    assert texts(document) == ["&lol9;", "一、总体情况"]


def test_external_entities_and_network_are_not_fetched() -> None:
    data = (
        b'<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<html><body><p>&x;</p><img src="http://example.invalid/x.png"></body></html>'
    )
    assert texts(read(data)) == ["&x;"]


def test_oversized_input_is_refused() -> None:
    data = b"<p>" + b"x" * html.MAX_BYTES
    started = time.monotonic()
    with pytest.raises(DecodeError) as raised:
        read(data)
    assert time.monotonic() - started < 1
    assert isinstance(raised.value, ParseError)
    assert "bytes" in raised.value.message


def test_deep_nesting_and_unclosed_markup_finish() -> None:
    data = b"<div>" * 20000 + b"<p>\xe4\xb8\x80" + b"<table><tr><td rowspan=5>" * 2000
    started = time.monotonic()
    read(data)
    assert time.monotonic() - started < 10


def test_large_page_finishes() -> None:
    row = "<tr>" + "<td><p><span>0&nbsp;</span></p></td>" * 10 + "</tr>"
    body = "".join(f"<p>一、总体情况 第{i}段。</p><table>{row * 20}</table>" for i in range(100))
    data = page(f"<div>{body}</div>")
    assert len(data) > 700_000
    started = time.monotonic()
    document = read(data)
    assert time.monotonic() - started < 10
    assert len(list(document.grids())) == 100


@pytest.mark.parametrize("data", [b"", b"   \n ", b"<!-- only a comment -->"])
def test_empty_pages(data: bytes) -> None:
    try:
        document = read(data)
    except ParseError:
        return
    assert not list(document.lines())


def test_binary_is_decode_error() -> None:
    with pytest.raises(DecodeError):
        read(b"PK\x03\x04\x00\x00binary")


# ---------------------------------------------------------------------------
# Sniffing
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><title>x</title>",
        b"<!doctype HTML PUBLIC '-//W3C//DTD HTML 4.01//EN'>",
        b"\xef\xbb\xbf  \n<html>",
        b"<!-- saved from url=(0014)about:internet -->\r\n<HTML><HEAD>",
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
        b"<meta charset=gbk><p>",
        b"<table><tr><td>1</td></tr></table>",
        b"<p>\xd2\xbb\xa1\xa2</p>",
        codecs.BOM_UTF16_LE + "<html><body>".encode("utf-16-le"),
    ],
)
def test_looks_like_html(data: bytes) -> None:
    assert looks_like_html(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
        b"PK\x03\x04\x14\x00\x06\x00",
        "一、总体情况\n二、主动公开政府信息情况".encode(),
        "标题：报告\n<p>后面才有标签</p>".encode(),
        b'<?xml version="1.0"?><w:document xmlns:w="x">',
        b"<<\xe6\x9d\xa1\xe4\xbe\x8b>>",
        b"\x00\x01\x02\x03",
        b'{"html": "<p>"}',
    ],
)
def test_does_not_look_like_html(data: bytes) -> None:
    assert not looks_like_html(data)


# ---------------------------------------------------------------------------
# Debugging entry
# ---------------------------------------------------------------------------


def test_main_prints_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page(PORTAL))
    assert html.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "# title: 某某局2023年政府信息公开工作年度报告" in out
    assert "   2  一、总体情况" in out
    assert "@0 本年新收 | @1 1" in out
