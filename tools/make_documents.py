"""Make corpus inputs the way agencies make them: DOCX, PDF and HTML of seed reports.

For each seed case (``corpus/<seed>/input.txt`` + ``expected.json``) this writes

* ``1NN_<name>_docx_python_docx/input.docx`` — the report as a Word document,
  written with python-docx: title, preamble, section headings, prose, and the
  three tables in the national template's layout with its merged header cells
  (real ``w:gridSpan``/``w:vMerge``, made with ``cell.merge``);
* ``1NN_<name>_pdf_libreoffice/input.pdf`` — that DOCX converted by LibreOffice
  headless (``soffice --headless --convert-to pdf``);
* ``1NN_<name>_html_libreoffice/input.html`` — the same, ``--convert-to html``;
* ``1NN_<name>_html_portal_gbk/input.html`` — that HTML's body inside typical
  government-portal chrome (navigation, breadcrumbs, 发布时间, 分享到, footer,
  an inline script), encoded as GBK with ``<meta charset="gbk">``;

each with an ``expected.json`` holding the seed's checked cells (an inferred
value as its plain value: the document prints every cell), its template, year,
agency, script and section headings, and a note on how the file was made. It
also writes two error cases under ``corpus/errors/`` (a zip bomb DOCX and a
truncated DOCX).

The prose is taken from the seed's own lines (``parse_file``: the title,
preamble and section heading/text line numbers, read back from the original
text so the script and punctuation stay as printed); the tables are rebuilt
from the cell values, not copied from the seed's text.

Run from the repository root::

    .venv/bin/python tools/make_documents.py            # everything
    .venv/bin/python tools/make_documents.py --no-convert   # DOCX and errors only
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import docx
from attrs import frozen
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from govreport import CellState, parse
from govreport.readers.text import decode

try:  # the package is being reorganised: the dictionary moves to govreport.spec
    from govreport.spec.dictionary import APPLICANTS, OUTCOMES, TEMPLATES, TableDef
except ImportError:  # pragma: no cover
    from govreport.dictionary import APPLICANTS, OUTCOMES, TEMPLATES, TableDef

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIRST_NUMBER = 100


@frozen
class Seed:
    """A seed case and what the generated cases are called and carry."""

    case: str  #: the seed's corpus directory
    name: str  #: the generated cases' name part
    site: str  #: the portal the page pretends to be on
    icp: str  #: its (made-up) ICP filing number


SEEDS = (
    Seed("000_dongcheng_justice_2023_pipe", "dongcheng_justice_2023", "北京市东城区人民政府",
         "京ICP备05060933号"),
    Seed("002_litong_justice_2022_tab", "litong_justice_2022", "吴忠市利通区人民政府",
         "宁ICP备05001234号"),
    Seed("004_dongcheng_office_2023_indented_docx", "dongcheng_office_2023",
         "北京市东城区人民政府", "京ICP备05060933号"),
    Seed("001_jingyan_2023_cell_per_line_traditional", "jingyan_2023_traditional",
         "井研县人民政府", "蜀ICP备05004321号"),
)  # fmt: skip

# --- what the document says -------------------------------------------------


@frozen
class Content:
    """The prose of a seed report, lines as printed in the seed."""

    title: tuple[str, ...]
    preamble: tuple[str, ...]
    sections: tuple[tuple[int, str, tuple[str, ...]], ...]  #: (number, heading, paragraphs)
    template: str
    year: int
    agency: str | None
    script: str
    title_made_up: bool


def parse_seed(seed_dir: Path) -> Any:
    """The seed's report, parsed from its text (decoded here, so no format detection)."""
    return parse(decode((seed_dir / "input.txt").read_bytes()))


def load_content(seed_dir: Path, expected: dict[str, Any]) -> Content:
    """The seed's title, preamble and sections, read back from its original lines.

    A seed without a title (a crawled page body) gets the generic
    ``<year>年政府信息公开工作年度报告``: a Word document always has one.
    """
    report = parse_seed(seed_dir)
    lines = report.original_text.split("\n")

    def text(numbers: Sequence[int]) -> tuple[str, ...]:
        return tuple(lines[n - 1].strip() for n in numbers if lines[n - 1].strip())

    title = text(report.title_lines)
    made_up = not title
    if made_up:
        title = (f"{expected['year']}年政府信息公开工作年度报告",)
    sections = tuple(
        (s.number, lines[s.line - 1].strip(), text(s.text_lines)) for s in report.sections
    )
    return Content(
        title=title,
        preamble=text(report.preamble_lines),
        sections=sections,
        template=expected["template"],
        year=expected["year"],
        agency=expected["agency"],
        script=expected.get("script", "simplified"),
        title_made_up=made_up,
    )


def resolved_cells(cells: dict[str, Any]) -> dict[str, Any]:
    """The seed's checked cells with inferred values as plain values."""
    out: dict[str, Any] = {}
    for path, value in cells.items():
        if isinstance(value, dict):
            if "ambiguous" in value:
                raise SystemExit(f"{path}: an ambiguous seed cell cannot be printed")
            value = value["value"]
        out[path] = value
    return out


def printed_cells(seed_dir: Path, cells: dict[str, Any]) -> dict[str, str]:
    """What each cell prints: a number as written, a blank as nothing, a
    placeholder as the seed prints it (``/``, ``—``)."""
    report = None
    out: dict[str, str] = {}
    for path, value in cells.items():
        if value == "blank":
            out[path] = ""
        elif value == "placeholder":
            if report is None:
                report = parse_seed(seed_dir)
            raw = dict(report.cells()).get(path)
            out[path] = raw.raw.strip() if raw is not None and raw.raw.strip() else "—"
            assert raw is None or raw.state is CellState.PLACEHOLDER, path
        elif isinstance(value, float) and value.is_integer():
            out[path] = str(int(value))
        else:
            out[path] = str(value)
    return out


# --- the Word document -------------------------------------------------------

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
LATIN_FONT = "Times New Roman"
NUMERALS = "〇一二三四五六七八九十"
NOTE_2021 = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _fonts(
    run_or_style: Any, east_asia: str, size: float | None = None, bold: bool = False
) -> None:
    """Set a run's or style's Latin and East Asian font (python-docx sets only Latin)."""
    font = run_or_style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    font.bold = bold or None
    r_pr = run_or_style.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asia)


def _paragraph(
    document: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    center: bool = False,
    indent: bool = True,
) -> None:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        fmt.first_line_indent = Pt(2 * size)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    _fonts(paragraph.add_run(text), font, size, bold)


#: How the tables are laid out (``tools/make_docx_variants.py`` changes them): the value
#: cells' alignment, and section 三's label column width in cm.
VALUE_ALIGNMENT = WD_ALIGN_PARAGRAPH.CENTER
APPLICATIONS_LABEL_CM = 4.2


class _TableWriter:
    """Writes cells into a python-docx table, merging spans with ``cell.merge``."""

    def __init__(self, document: Any, rows: int, widths_cm: Sequence[float], size: float) -> None:
        self.table: Table = document.add_table(rows=rows, cols=len(widths_cm))
        self.table.style = "Table Grid"
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        self.size = size
        for column, width in zip(self.table.columns, widths_cm, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)

    def put(self, row: int, col: int, text: str, *, rs: int = 1, cs: int = 1) -> None:
        cell: _Cell = self.table.cell(row, col)
        if rs > 1 or cs > 1:
            cell = cell.merge(self.table.cell(row + rs - 1, col + cs - 1))
        for extra in cell.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
        paragraph = cell.paragraphs[0]
        value = re.fullmatch(r"[0-9.]+", text or "") is not None
        paragraph.alignment = VALUE_ALIGNMENT if value else WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if text:
            _fonts(paragraph.add_run(text), BODY_FONT, self.size)


def _caption(block: str) -> str:
    """``art20_1`` → ``第二十条第（一）项``."""
    number = int(block.removeprefix("art20_"))
    return f"第二十条第（{NUMERALS[number]}）项"


def active_table(document: Any, table: TableDef, cells: dict[str, str], cv: Callable[[str], str]):
    """Section 二: stacked 第二十条 blocks (caption row, 信息内容 header, data rows);
    a block with fewer value columns than the widest spans its last one."""
    blocks: dict[str, list[Any]] = {}
    for row in table.rows:
        blocks.setdefault(row.key.split(".")[0], []).append(row)
    width = max(len(row.columns) for row in table.rows)
    n_rows = sum(2 + len(rows) for rows in blocks.values())
    writer = _TableWriter(document, n_rows, [4.6] + [11.4 / width] * width, 10.5)
    r = 0
    for block, rows in blocks.items():
        writer.put(r, 0, cv(_caption(block)), cs=width + 1)
        columns = rows[0].columns
        writer.put(r + 1, 0, cv("信息内容"))
        for i, column in enumerate(columns):
            span = width - i if i == len(columns) - 1 else 1
            writer.put(r + 1, 1 + i, cv(column.label), cs=span)
        r += 2
        for row in rows:
            writer.put(r, 0, cv(row.label))
            for i, column in enumerate(row.columns):
                span = width - i if i == len(row.columns) - 1 else 1
                writer.put(r, 1 + i, cells[f"{table.key}/{row.key}/{column.key}"], cs=span)
            r += 1


def applications_table(
    document: Any, table: TableDef, cells: dict[str, str], cv: Callable[[str], str]
):
    """Section 三: a 3×3 note cell, 申请人情况 over 自然人 / 法人或其他组织 (five
    columns) / 总计, then the rows with 三、本年度办理结果 and the （三）…（六）
    groups merged down their rows."""
    head = 3
    widths = [1.4, 1.6, APPLICATIONS_LABEL_CM] + [1.25] * 7
    writer = _TableWriter(document, head + len(table.rows), widths, 9)
    writer.put(0, 0, cv(NOTE_2021), rs=3, cs=3)
    writer.put(0, 3, cv("申请人情况"), cs=7)
    writer.put(1, 3, cv(APPLICANTS[0].label), rs=2)
    writer.put(1, 4, cv("法人或其他组织"), cs=5)
    writer.put(1, 9, cv(APPLICANTS[6].label), rs=2)
    for i, column in enumerate(APPLICANTS[1:6]):
        writer.put(2, 4 + i, cv(column.label))
    keys = [row.key for row in table.rows]
    results = [k for k in keys if k.startswith("results.")]
    for i, row in enumerate(table.rows):
        r = head + i
        parts = row.key.split(".")
        labels = row.label.split(" ")
        if parts[0] != "results":
            writer.put(r, 0, cv(labels[-1]), cs=3)
        else:
            if row.key == results[0]:
                writer.put(r, 0, cv(labels[0]), rs=len(results))
            if len(parts) == 3:
                group = [k for k in results if k.startswith(f"results.{parts[1]}.")]
                if row.key == group[0]:
                    writer.put(r, 1, cv(labels[-2]), rs=len(group))
                writer.put(r, 2, cv(labels[-1]))
            else:
                writer.put(r, 1, cv(labels[-1]), cs=2)
        for j, column in enumerate(row.columns):
            writer.put(r, 3 + j, cells[f"{table.key}/{row.key}/{column.key}"])


def review_table(document: Any, table: TableDef, cells: dict[str, str], cv: Callable[[str], str]):
    """Section 四: 行政复议 (five columns) | 行政诉讼 over 未经复议直接起诉 and
    复议后起诉 (five each), then one row of 15 values."""
    writer = _TableWriter(document, 4, [16.0 / 15] * 15, 9)
    writer.put(0, 0, cv("行政复议"), cs=5)
    writer.put(0, 5, cv("行政诉讼"), cs=10)
    for i, column in enumerate(OUTCOMES):
        writer.put(1, i, cv(column.label), rs=2)
    for k, row in enumerate(table.rows[1:]):
        writer.put(1, 5 + 5 * k, cv(row.label.split(" ")[-1]), cs=5)
        for i, column in enumerate(OUTCOMES):
            writer.put(2, 5 + 5 * k + i, cv(column.label))
    col = 0
    for row in table.rows:
        for column in row.columns:
            writer.put(3, col, cells[f"{table.key}/{row.key}/{column.key}"])
            col += 1


TABLE_WRITERS = {2: active_table, 3: applications_table, 4: review_table}


def converter(script: str) -> Callable[[str], str]:
    """Template labels in the report's script (OpenCC ``s2t`` for traditional)."""
    if script != "traditional":
        return lambda text: text
    import opencc

    cc = opencc.OpenCC("s2t")
    return cc.convert


def build_docx(content: Content, cells: dict[str, str]) -> bytes:
    """The report as a DOCX an agency would write, as deterministic bytes."""
    document = docx.Document()
    _fonts(document.styles["Normal"], BODY_FONT, 16)
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin = section.bottom_margin = Cm(2.54)
        section.left_margin = section.right_margin = Cm(2.5)
    for line in content.title:
        _paragraph(document, line, font=TITLE_FONT, size=22, center=True)
    for line in content.preamble:
        _paragraph(document, line)
    template = TEMPLATES[content.template]
    cv = converter(content.script)
    for number, heading, paragraphs in content.sections:
        _paragraph(document, heading, font=HEADING_FONT)
        for line in paragraphs:
            _paragraph(document, line)
        if number in TABLE_WRITERS:
            table = next(t for t in template.tables if t.section == number)
            TABLE_WRITERS[number](document, table, cells, cv)
    stamp = dt.datetime(content.year + 1, 1, 15, 9, 0, 0)
    props = document.core_properties
    props.title = "".join(content.title)
    props.author = content.agency or ""
    props.last_modified_by = content.agency or ""
    props.comments = ""
    props.created = props.modified = stamp
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip_times(out.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every member dated 2000-01-01, so reruns give identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            fixed = zipfile.ZipInfo(info.filename, (2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(fixed, old.read(info))
    return out.getvalue()


# --- LibreOffice ------------------------------------------------------------


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice (soffice) is not on PATH; use --no-convert")
    return exe


def soffice_version() -> str:
    result = subprocess.run(
        [soffice(), "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip()


def convert(docx_bytes: bytes, fmt: str, workdir: Path) -> bytes:
    """``soffice --headless --convert-to FMT`` on the DOCX (private profile in ``workdir``)."""
    source = workdir / "input.docx"
    source.write_bytes(docx_bytes)
    outdir = workdir / f"out-{fmt}"
    outdir.mkdir(exist_ok=True)
    profile = (workdir / "profile").as_uri()
    command = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
               "--outdir", str(outdir), str(source)]  # fmt: skip
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    return (outdir / f"input.{fmt}").read_bytes()


SOFFICE_COMMAND = "soffice --headless --convert-to {fmt} --outdir OUT input.docx"

# --- the portal page -------------------------------------------------------

PORTAL = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="gbk">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}_{site}</title>
<meta name="SiteName" content="{site}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{published} 09:30">
<link rel="stylesheet" href="/images/common.css">
<style>
.header{{background:#c4000a;color:#fff}} .nav a{{color:#fff;margin:0 12px}}
.article{{width:1000px;margin:0 auto}} .footer{{background:#eee;font-size:12px}}
</style>
</head>
<body>
<div class="header">
  <div class="logo"><a href="/">{site}</a></div>
  <div class="top-links"><a href="/">无障碍</a> | <a href="/">长者模式</a> | <a href="/">English</a></div>
  <ul class="nav">
    <li><a href="/">首页</a></li>
    <li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li>
    <li><a href="/zjzq/">走进本区</a></li>
  </ul>
  <form class="search" action="/search/"><input name="q" placeholder="请输入关键字"><button>搜索</button></form>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/xxgk/">政府信息公开</a> &gt; <a href="/zwgk/xxgk/ndbg/">政府信息公开年报</a></div>
<div class="article">
  <h1 class="article-title">{title}</h1>
  <div class="article-info">发布时间：{published}　　浏览次数：<span id="hits">1024</span>　　字号：<a href="javascript:size(18)">大</a> <a href="javascript:size(16)">中</a> <a href="javascript:size(14)">小</a>　　<a href="javascript:window.print()">打印</a></div>
  <div class="article-content" id="zoom">
{body}
  </div>
  <div class="share">分享到：<a href="javascript:share('weixin')">微信</a> <a href="javascript:share('weibo')">微博</a> <a href="javascript:share('qzone')">QQ空间</a></div>
  <div class="qrcode"><img src="/images/qrcode.png" alt="二维码">扫一扫在手机上打开页面</div>
  <div class="article-tools"><a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer">
  <p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/mzsm/">免责声明</a></p>
  <p>主办单位：{site}办公室　　承办单位：{site}政务服务中心</p>
  <p><a href="https://beian.miit.gov.cn/">{icp}</a>　　网站标识码：1100000001　　公网安备 11000002000001号</p>
</div>
<script type="text/javascript">
var pageInfo = {{ site: "{site}", column: "政府信息公开年报", pubDate: "{published}" }};
function size(px) {{ document.getElementById("zoom").style.fontSize = px + "px"; }}
function share(to) {{
  var url = encodeURIComponent(location.href), title = encodeURIComponent(document.title);
  if (to === "weibo") {{ window.open("https://service.weibo.com/share/share.php?url=" + url + "&title=" + title); }}
  else {{ alert("请使用浏览器的分享功能分享到" + (to === "weixin" ? "微信" : "QQ空间")); }}
}}
document.getElementById("hits").innerHTML = 1024 + Math.floor(Math.random() * 100);
</script>
</body>
</html>
"""  # noqa: E501 - the page is laid out as portals write it


def portal_page(html: bytes, content: Content, seed: Seed) -> tuple[bytes, int]:
    """The LibreOffice HTML's body inside portal chrome, encoded as GBK; also the
    number of characters GBK could not hold (written as character references)."""
    text = html.decode("utf-8")
    match = re.search(r"<body[^>]*>(.*)</body>", text, re.S | re.I)
    if match is None:
        raise SystemExit("LibreOffice HTML has no <body>")
    body = match.group(1).strip()
    page = PORTAL.format(
        title="".join(content.title),
        site=seed.site,
        icp=seed.icp,
        published=f"{content.year + 1}-01-20",
        body=body,
    )
    unencodable = sum(1 for ch in page if not _gbk_ok(ch))
    return page.encode("gbk", errors="xmlcharrefreplace"), unencodable


def _gbk_ok(char: str) -> bool:
    try:
        char.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


# --- cases --------------------------------------------------------------------


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {"python": platform.python_version(), "python-docx": version("python-docx")}


def write_case(directory: Path, filename: str, data: bytes, expected: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("input.*"):
        if old.name != filename:
            old.unlink()
    (directory / filename).write_bytes(data)
    text = json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
    (directory / "expected.json").write_text(text, encoding="utf-8")
    print(f"  {directory.relative_to(ROOT)}/{filename}: {len(data):,} bytes")


def case_expected(note: str, seed_expected: dict[str, Any], cells: dict[str, Any]) -> dict:
    return {
        "note": note,
        "template": seed_expected["template"],
        "year": seed_expected["year"],
        "agency": seed_expected["agency"],
        "script": seed_expected.get("script", "simplified"),
        "sections": seed_expected["sections"],
        "cells": cells,
    }


def make_seed(seed: Seed, number: int, *, do_convert: bool, lo_version: str | None) -> bytes:
    """Write the four cases of one seed from ``number`` on; the DOCX bytes."""
    seed_dir = CORPUS / seed.case
    seed_expected = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    content = load_content(seed_dir, seed_expected)
    cells = resolved_cells(seed_expected["cells"])
    printed = printed_cells(seed_dir, cells)
    data = build_docx(content, printed)
    v = versions()
    made_up = (
        f" The seed has no title, so the document's title is the generic {content.title[0]!r}."
        if content.title_made_up
        else ""
    )
    base = (
        f"Generated by tools/make_documents.py from corpus/{seed.case}: its title, preamble, "
        "section headings and prose lines as printed there, and its checked cell values "
        "(inferred ones as plain values) in the three tables laid out as the national "
        "template (merged header cells, group labels merged down their rows; blank cells "
        f"empty).{made_up}"
    )
    docx_note = (
        f"{base} Written with python-docx {v['python-docx']} (Python {v['python']}); merged "
        "cells made with cell.merge (real w:gridSpan/w:vMerge); zip members re-dated "
        "2000-01-01 for reproducible bytes."
    )
    formats = ("docx_python_docx", "pdf_libreoffice", "html_libreoffice", "html_portal_gbk")
    names = [f"{number + k}_{seed.name}_{fmt}" for k, fmt in enumerate(formats)]
    write_case(
        CORPUS / names[0], "input.docx", data, case_expected(docx_note, seed_expected, cells)
    )
    if not do_convert:
        return data
    with tempfile.TemporaryDirectory(prefix="make-documents-") as tmp:
        pdf = convert(data, "pdf", Path(tmp))
        html = convert(data, "html", Path(tmp))
    for name, fmt, payload in ((names[1], "pdf", pdf), (names[2], "html", html)):
        note = (
            f"{base} The DOCX of case {names[0]} (python-docx {v['python-docx']}) converted "
            f"with {lo_version}: `{SOFFICE_COMMAND.format(fmt=fmt)}` (with a private "
            "-env:UserInstallation profile), default export settings; fonts as LibreOffice "
            "substitutes them (仿宋_GB2312/黑体/方正小标宋简体 are not installed: Noto CJK)."
        )
        if fmt == "html":
            note += " UTF-8, tables as <table> with rowspan/colspan."
        write_case(
            CORPUS / name, f"input.{fmt}", payload, case_expected(note, seed_expected, cells)
        )
    page, lost = portal_page(html, content, seed)
    note = (
        f"{base} The <body> of case {names[2]} (LibreOffice HTML of the DOCX, {lo_version}) "
        "inside made-up government-portal chrome written by tools/make_documents.py: header "
        "navigation (首页/政务公开/政务服务/互动交流), search box, breadcrumbs 当前位置, the "
        f"<h1> title, a 发布时间 {content.year + 1}-01-20 line with 浏览次数/字号/打印, "
        "分享到 links, 扫一扫在手机上打开页面, a footer (网站地图, 主办单位, ICP备案) and an "
        "inline <script>; encoded as GBK (Python str.encode('gbk', "
        f"errors='xmlcharrefreplace'), {lost} characters written as &#...; references) with "
        '<meta charset="gbk">.'
    )
    write_case(CORPUS / names[3], "input.html", page, case_expected(note, seed_expected, cells))
    return data


# --- error cases ----------------------------------------------------------

BOMB_SIZE = 300 * 1024 * 1024
KERNEL_SIZE = 1024 * 1024


def zip_bomb(docx_bytes: bytes) -> bytes:
    """A real DOCX plus a member of 300 MB of zeros, deflated (about 1030:1, the most
    deflate gives: some 300 KB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        bomb = zipfile.ZipInfo("word/media/image1.png", (2000, 1, 1, 0, 0, 0))
        bomb.compress_type = zipfile.ZIP_DEFLATED
        with new.open(bomb, "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(BOMB_SIZE >> 20):
                member.write(chunk)
    return out.getvalue()


def overlapping_zip_bomb(docx_bytes: bytes) -> bytes:
    """A real DOCX plus one member of 1 MiB of zeros (about 1 KB deflated) that the
    zip's central directory lists 300 times, every entry pointing at the same
    data: 300 MiB declared from a file of a few kilobytes more than the DOCX."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        kernel = zipfile.ZipInfo("word/media/image1.png", (2000, 1, 1, 0, 0, 0))
        kernel.compress_type = zipfile.ZIP_DEFLATED
        new.writestr(kernel, bytes(KERNEL_SIZE), compresslevel=9)
        entry = new.filelist[-1]
        new.filelist.extend(copy.copy(entry) for _ in range(BOMB_SIZE // KERNEL_SIZE - 1))
    return out.getvalue()


def make_errors(docx_bytes: bytes, source_case: str) -> None:
    """The error cases: two zip bombs and a truncated DOCX."""
    errors = CORPUS / "errors"
    write_case(
        errors / "docx_zip_bomb",
        "input.docx",
        zip_bomb(docx_bytes),
        {
            "note": f"Generated by tools/make_documents.py: the DOCX of case {source_case} with "
            f"an extra member word/media/image1.png of {BOMB_SIZE:,} zero bytes (Python "
            "zipfile, ZIP_DEFLATED, zip64). The reader must refuse it from the zip "
            "directory, without inflating it.",
            "error": "ParseError",
            "message_contains": "inflates",
        },
    )
    write_case(
        errors / "docx_zip_bomb_overlapping",
        "input.docx",
        overlapping_zip_bomb(docx_bytes),
        {
            "note": f"Generated by tools/make_documents.py: the DOCX of case {source_case} with "
            f"one member word/media/image1.png of {KERNEL_SIZE:,} zero bytes (deflate level "
            f"9) listed {BOMB_SIZE // KERNEL_SIZE} times in the central directory, every "
            f"entry at the same offset: {BOMB_SIZE:,} bytes declared. The reader must refuse "
            "it from the zip directory, without inflating it.",
            "error": "ParseError",
            "message_contains": "inflates",
        },
    )
    write_case(
        errors / "docx_truncated",
        "input.docx",
        docx_bytes[: len(docx_bytes) // 2],
        {
            "note": f"Generated by tools/make_documents.py: the first half of the DOCX of case "
            f"{source_case} ({len(docx_bytes) // 2:,} of {len(docx_bytes):,} bytes): an "
            "interrupted download, no zip central directory.",
            "error": "ParseError",
            "message_contains": "corrupt or truncated",
        },
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-convert", action="store_true", help="DOCX only, no LibreOffice")
    parser.add_argument("--seed", action="append", help="only these seed cases (directory names)")
    args = parser.parse_args(argv)
    lo_version = None if args.no_convert else soffice_version()
    first_docx: tuple[bytes, str] | None = None
    for i, seed in enumerate(SEEDS):
        number = FIRST_NUMBER + 4 * i
        if args.seed and seed.case not in args.seed:
            continue
        print(f"{seed.case} -> {number}..{number + 3}")
        data = make_seed(seed, number, do_convert=not args.no_convert, lo_version=lo_version)
        if first_docx is None:
            first_docx = (data, f"{number}_{seed.name}_docx_python_docx")
    if first_docx is not None:
        make_errors(*first_docx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
