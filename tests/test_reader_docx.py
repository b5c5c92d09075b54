"""The DOCX reader (:mod:`govreport.readers.docx`).

On the generated corpus DOCX files (``tools/make_documents.py``): the three grids
have the template's merged cells with the right spans and every value cell holds
the case's expected value. On hand-written packages: the XML features agencies'
documents use (content controls, hyperlinks, tracked changes, ``w:gridBefore``,
``w:vMerge`` without a value, nested tables, text boxes). On hostile input: zip
bombs, truncated and random bytes fail fast with a ParseError.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import opencc
import pytest

from govreport.document import Document, Grid, TextLine
from govreport.errors import ParseError
from govreport.readers import docx as reader
from govreport.spec.dictionary import TEMPLATES

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DOCX_CASES = sorted(CORPUS.glob("1[0-9][0-9]_*_docx_python_docx"))
ERROR_CASES = sorted((CORPUS / "errors").glob("docx_*"))
T2S = opencc.OpenCC("t2s")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def package(body: str, *, prolog: str = "", main: str = DOCX_MAIN, w_ns: str = W_NS) -> bytes:
    """A minimal DOCX whose ``w:body`` is ``body`` (WordprocessingML without namespaces
    declared: ``w:`` and ``mc:`` are bound here)."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{w_ns}" xmlns:mc="{MC_NS}"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document)
    return out.getvalue()


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tc(content: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def grids(document: Document) -> list[Grid]:
    return list(document.grids())


def spans(grid: Grid) -> dict[str, tuple[int, int, int, int]]:
    """``text → (row, col, rowspan, colspan)`` of every cell of a grid."""
    return {
        c.text: (c.source.row, c.source.col, c.rowspan, c.colspan)
        for row in grid.rows
        for c in row
        if c.text
    }


# --- the generated corpus documents -------------------------------------------


def printed(value: Any) -> str:
    """An expected cell as the document prints it."""
    if value == "blank":
        return ""
    if isinstance(value, dict):
        value = value["value"]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_the_generated_cases_exist() -> None:
    assert len(DOCX_CASES) >= 3, "run tools/make_documents.py"


@pytest.fixture(scope="module", params=DOCX_CASES, ids=[c.name for c in DOCX_CASES])
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Document]:
    path: Path = request.param
    expected = json.loads((path / "expected.json").read_text(encoding="utf-8"))
    return expected, reader.read((path / "input.docx").read_bytes())


def test_reader_and_blocks(case: tuple[dict[str, Any], Document]) -> None:
    expected, document = case
    assert document.reader == "docx"
    assert len(grids(document)) == 3
    lines = list(document.lines())
    assert [line.source.line for line in lines] == list(range(1, len(lines) + 1))
    assert all(line.text == line.text.strip() and line.text for line in lines)
    texts = [T2S.convert(line.text) for line in lines]
    headings = [T2S.convert(h) for h in expected["sections"].values()]
    positions = [next(i for i, t in enumerate(texts) if t.startswith(h[:6])) for h in headings]
    assert positions == sorted(positions), "section headings out of order"
    # each table comes right after its section's heading (sections 二, 三, 四 have no prose)
    kinds = ["grid" if isinstance(b, Grid) else T2S.convert(b.text) for b in document.blocks]
    for number, grid_index in (("2", 0), ("3", 1), ("4", 2)):
        at = kinds.index(next(k for k in kinds if k.startswith(expected["sections"][number][:6])))
        assert kinds[at + 1] == "grid"
        assert [i for i, k in enumerate(kinds) if k == "grid"][grid_index] == at + 1


def test_grid_positions_are_consistent(case: tuple[dict[str, Any], Document]) -> None:
    _, document = case
    for t, grid in enumerate(grids(document)):
        assert grid.source.table == t
        covered: set[tuple[int, int]] = set()
        width = max(c.source.col + c.colspan for row in grid.rows for c in row)
        for r, row in enumerate(grid.rows):
            cols = [c.source.col for c in row]
            assert cols == sorted(cols)
            for c in row:
                assert (c.source.table, c.source.row) == (t, r)
                for rr in range(r, r + c.rowspan):
                    for cc in range(c.source.col, c.source.col + c.colspan):
                        assert (rr, cc) not in covered
                        covered.add((rr, cc))
        assert covered == {(r, c) for r in range(len(grid.rows)) for c in range(width)}


def test_active_disclosure_grid(case: tuple[dict[str, Any], Document]) -> None:
    expected, document = case
    grid = grids(document)[0]
    table = TEMPLATES[expected["template"]].table("active_disclosure")
    captions = [row[0] for row in grid.rows if T2S.convert(row[0].text).startswith("第二十条")]
    assert [(c.colspan, c.rowspan) for c in captions] == [(4, 1)] * 4
    for row_def in table.rows:
        rows = [row for row in grid.rows if T2S.convert(row[0].text) == row_def.label]
        assert len(rows) == 1, row_def.label
        values = rows[0][1:]
        assert len(values) == len(row_def.columns)
        assert sum(c.colspan for c in values) == 3
        for cell, column in zip(values, row_def.columns, strict=True):
            path = f"active_disclosure/{row_def.key}/{column.key}"
            assert cell.text == printed(expected["cells"][path]), path


def test_applications_header_spans(case: tuple[dict[str, Any], Document]) -> None:
    expected, document = case
    grid = grids(document)[1]
    found = {T2S.convert(text): where for text, where in spans(grid).items()}
    assert found["申请人情况"] == (0, 3, 1, 7)
    assert found["自然人"] == (1, 3, 2, 1)
    assert found["法人或其他组织"] == (1, 4, 1, 5)
    assert found["总计"] == (1, 9, 2, 1)
    for col, label in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")):
        assert found[label] == (2, 4 + col, 1, 1)
    note = next(text for text in found if text.startswith("（本列数据"))
    assert found[note] == (0, 0, 3, 3)
    results = [r for r in TEMPLATES[expected["template"]].table("applications").rows]
    n_results = sum(1 for r in results if r.key.startswith("results."))
    assert found["三、本年度办理结果"] == (5, 0, n_results, 1)
    assert found["（三）不予公开"][2:] == (8, 1)
    assert found["（四）无法提供"][2:] == (3, 1)
    assert found["（五）不予处理"][2:] == (5, 1)
    if expected["template"] == "2021":
        assert found["（六）其他处理"][2:] == (3, 1)
    assert found["（七）总计"][2:] == (1, 2)
    assert found["一、本年新收政府信息公开申请数量"][2:] == (1, 3)


def test_applications_values(case: tuple[dict[str, Any], Document]) -> None:
    expected, document = case
    grid = grids(document)[1]
    table = TEMPLATES[expected["template"]].table("applications")
    data_rows = grid.rows[3:]
    assert len(data_rows) == len(table.rows)
    for row, row_def in zip(data_rows, table.rows, strict=True):
        labels = [T2S.convert(c.text) for c in row if c.source.col < 3]
        assert labels and labels[-1] == row_def.label.split(" ")[-1], row_def.key
        values = row[-7:]
        assert [c.source.col for c in values] == list(range(3, 10))
        want = [
            printed(expected["cells"][f"applications/{row_def.key}/{c.key}"])
            for c in row_def.columns
        ]
        assert [c.text for c in values] == want, row_def.key
    new_received = next(r for r in data_rows if "本年新收" in r[0].text)
    assert [c.text for c in new_received[-7:]] == [
        printed(expected["cells"][f"applications/new_received/{k}"])
        for k in ("natural_person", "commercial", "research", "social_welfare", "legal_service",
                  "other_org", "total")
    ]  # fmt: skip


def test_review_litigation_grid(case: tuple[dict[str, Any], Document]) -> None:
    expected, document = case
    grid = grids(document)[2]
    found = {T2S.convert(text): where for text, where in spans(grid).items()}
    assert found["行政复议"] == (0, 0, 1, 5)
    assert found["行政诉讼"] == (0, 5, 1, 10)
    assert found["未经复议直接起诉"] == (1, 5, 1, 5)
    assert found["复议后起诉"] == (1, 10, 1, 5)
    assert [(c.rowspan, c.colspan) for c in grid.rows[1][:5]] == [(2, 1)] * 5
    assert len(grid.rows[2]) == 10
    table = TEMPLATES[expected["template"]].table("review_litigation")
    want = [
        printed(expected["cells"][f"review_litigation/{row.key}/{col.key}"])
        for row in table.rows
        for col in row.columns
    ]
    assert [c.text for c in grid.rows[3]] == want
    assert [c.source.col for c in grid.rows[3]] == list(range(15))


def test_metadata(case: tuple[dict[str, Any], Document]) -> None:
    _, document = case
    assert document.metadata["title"].endswith("政府信息公开工作年度报告")
    assert document.metadata["created"].startswith(str(case[0]["year"] + 1))


# --- the XML features --------------------------------------------------------


def test_paragraph_text_keeps_inserted_linked_and_control_text() -> None:
    body = (
        p("一、总体情况")
        + "<w:p/>"
        + "<w:p><w:r><w:t xml:space='preserve'>   </w:t></w:r></w:p>"
        + "<w:p><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>"
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        '<w:r><w:instrText> HYPERLINK "http://x" </w:instrText></w:r>'
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>字段</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:smartTag><w:r><w:t>标记</w:t></w:r></w:smartTag></w:p>"
        + "<w:sdt><w:sdtPr/><w:sdtContent>"
        + p("块级控件")
        + "</w:sdtContent></w:sdt>"
        + "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"
        + "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c  d</w:t></w:r></w:p>"
        + "<w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing>"
        "<w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent>"
        "</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>"
        "<w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
        + "<w:customXml><w:p><w:r><w:t>自定义</w:t></w:r></w:p></w:customXml>"
        + "<w:sectPr/>"
    )
    document = reader.read(package(body))
    assert [(line.text, line.source.line) for line in document.lines()] == [
        ("一、总体情况", 1),
        ("链接插入字段控件标记", 2),
        ("块级控件", 3),
        ("第一行第二行", 4),
        ("a\tb c d", 5),
        ("文本框", 6),
        ("自定义", 7),
    ]
    assert all(isinstance(b, TextLine) for b in document.blocks)


def test_grid_spans_from_the_real_elements() -> None:
    nested = "<w:tbl><w:tr>" + tc(p("商业")) + tc(p("企业")) + "</w:tr></w:tbl>"
    body = (
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>"
        + tc(p("甲"), "<w:gridSpan w:val='2'/>")
        + tc(p("乙"), "<w:vMerge w:val='restart'/>")
        + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>"
        + tc(p("丙"))
        + tc("<w:p/>", "<w:vMerge/>")
        + "</w:tr>"
        "<w:sdt><w:sdtContent><w:tr>"
        + tc(p("丁"))
        + tc(nested + "<w:p/>")
        + tc(p("Total") + p("count"))
        + "</w:tr></w:sdtContent></w:sdt>"
        "<w:tr>"
        + tc(p("戊"), "<w:vMerge w:val='restart'/>")
        + tc(p("己") + p("1"), "<w:gridSpan w:val='2'/>")
        + "</w:tr>"
        "<w:tr>" + tc("<w:p/>", "<w:vMerge w:val='continue'/>")
        + "<w:customXml>" + tc(p("庚")) + "</w:customXml>"
        + tc(p("辛"))
        + "</w:tr>"
        "<w:tr><w:trPr><w:del w:id='1' w:author='x'/></w:trPr>" + tc(p("已删除行")) + "</w:tr>"
        "<w:tr>" + tc(p("壬"), "<w:hMerge w:val='restart'/>") + tc(p(""), "<w:hMerge/>")
        + tc(p("癸"))
        + "</w:tr>"
        "</w:tbl>" + p("表后")
    )  # fmt: skip
    document = reader.read(package(body))
    assert isinstance(document.blocks[0], Grid) and document.blocks[1] == TextLine(
        "表后", document.blocks[1].source
    )
    grid = document.blocks[0]
    assert [[(c.text, c.source.col, c.rowspan, c.colspan) for c in row] for row in grid.rows] == [
        [("甲", 0, 1, 2), ("乙", 2, 2, 1)],
        [("丙", 1, 1, 1)],
        [("丁", 0, 1, 1), ("商业企业", 1, 1, 1), ("Total count", 2, 1, 1)],
        [("戊", 0, 2, 1), ("己 1", 1, 1, 2)],
        [("庚", 1, 1, 1), ("辛", 2, 1, 1)],
        [("壬", 0, 1, 2), ("癸", 2, 1, 1)],
    ]
    assert grid.rows[4][0].source.row == 4 and grid.rows[3][0].source.table == 0


def test_cell_text_whitespace_and_joining() -> None:
    body = (
        "<w:tbl><w:tr>"
        + tc(p("  商业 ") + p("企业 "))
        + tc(p("本年收费金额") + p("(单位:万元)"))
        + tc(p("1.") + p("属于国家秘密"))
        + tc("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>")
        + "</w:tr></w:tbl>"
    )
    grid = grids(reader.read(package(body)))[0]
    assert [c.text for c in grid.rows[0]] == [
        "商业企业",
        "本年收费金额 (单位:万元)",
        "1. 属于国家秘密",
        "a b c",
    ]
    assert reader.join_pieces(["（一）", "予以公开"]) == "（一）予以公开"


def test_macro_enabled_document_is_read() -> None:
    data = package(p("报告"), main="application/vnd.ms-word.document.macroEnabled.main+xml")
    assert reader.looks_like_docx(data)
    assert [line.text for line in reader.read(data).lines()] == ["报告"]


def test_describe_and_main(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(
        package(
            p("一、总体情况")
            + "<w:tbl><w:tr>"
            + tc(p("甲"), "<w:gridSpan w:val='2'/>")
            + "</w:tr></w:tbl>"
        )
    )
    assert reader.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "1  一、总体情况" in out and "0[1x2]:'甲'" in out
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a docx")
    assert reader.main([str(bad)]) == 1
    assert "error:" in capsys.readouterr().err


def test_module_runs_as_a_script() -> None:
    case = DOCX_CASES[0] / "input.docx"
    result = subprocess.run(
        [__import__("sys").executable, "-m", "govreport.readers.docx", str(case)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "---- table 2" in result.stdout and "申请人情况" in result.stdout


# --- hostile input ------------------------------------------------------------


def _quick_parse_error(data: bytes, contains: str = "") -> ParseError:
    start = time.perf_counter()
    with pytest.raises(ParseError) as info:
        reader.read(data)
    assert time.perf_counter() - start < 2.0
    assert contains in info.value.message
    return info.value


@pytest.mark.parametrize("path", ERROR_CASES, ids=[c.name for c in ERROR_CASES])
def test_corpus_error_cases(path: Path) -> None:
    expected = json.loads((path / "expected.json").read_text(encoding="utf-8"))
    assert expected["error"] == "ParseError"
    _quick_parse_error((path / "input.docx").read_bytes(), expected["message_contains"])


def test_zip_bomb_cases_are_small_files() -> None:
    for name in ("docx_zip_bomb", "docx_zip_bomb_overlapping"):
        data = (CORPUS / "errors" / name / "input.docx").read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            declared = sum(i.file_size for i in zf.infolist())
        assert len(data) < 400_000 and declared > reader.MAX_TOTAL_SIZE


def test_ratio_bound_catches_a_bomb_under_the_total_bound() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package(p("x")))) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr("word/media/zeros.bin", bytes(50 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    _quick_parse_error(out.getvalue(), "ratio above")


def test_lying_sizes_and_crc_are_caught() -> None:
    data = bytearray(package(p("一、总体情况" * 50)))
    # flip a byte inside word/document.xml's compressed data: CRC or inflate error
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    data[offset] ^= 0xFF
    _quick_parse_error(bytes(data), "damaged")


def test_too_many_members() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package(p("x")))) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for i in range(reader.MAX_MEMBERS + 1):
            new.writestr(f"customXml/item{i}.xml", b"")
    _quick_parse_error(out.getvalue(), "zip members")


def test_truncated_random_and_empty() -> None:
    data = (DOCX_CASES[0] / "input.docx").read_bytes()
    for cut in (10, 100, len(data) // 3, len(data) - 10):
        _quick_parse_error(data[:cut])
    rng = random.Random(20240601)
    for _ in range(20):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
        _quick_parse_error(reader.ZIP_MAGIC + junk)
        _quick_parse_error(junk.lstrip(b"\xd0"))
    _quick_parse_error(b"", "not a DOCX")
    _quick_parse_error("一、总体情况".encode(), "not a DOCX")


def test_zip_that_is_not_word() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _quick_parse_error(out.getvalue(), "not a Word document")


def test_no_dtd_no_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    _quick_parse_error(package(p("&xxe;"), prolog=prolog), "DTD")
    # and python-docx's own parsers would not fetch it either
    from docx.opc.oxml import parse_xml as opc_parse
    from docx.oxml.parser import parse_xml
    from lxml import etree

    xml = (
        f'<?xml version="1.0"?>{prolog}<w:document xmlns:w="{W_NS}"><w:body>'
        f"{p('&xxe;')}</w:body></w:document>"
    ).encode()
    for parse in (parse_xml, opc_parse):
        assert b"TOP-SECRET" not in etree.tostring(parse(xml))


def test_strict_ooxml_is_explained() -> None:
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    data = package("", w_ns=strict)
    error = _quick_parse_error(data, "no w:body")
    assert "Strict" in (error.hint or "")


# --- looks_like_docx ------------------------------------------------------------


def test_looks_like_docx() -> None:
    assert reader.looks_like_docx((DOCX_CASES[0] / "input.docx").read_bytes())
    assert reader.looks_like_docx(package(p("x")))
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("a.txt", "x")
    assert not reader.looks_like_docx(plain.getvalue())
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            CONTENT_TYPES.format(
                main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
            ),
        )
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert not reader.looks_like_docx(xlsx.getvalue())
    assert not reader.looks_like_docx("一、总体情况\n二、主动公开".encode())
    assert not reader.looks_like_docx(b"")
    assert not reader.looks_like_docx(reader.ZIP_MAGIC + b"\x00" * 100)
    data = (DOCX_CASES[0] / "input.docx").read_bytes()
    assert not reader.looks_like_docx(data[: len(data) // 2])
    assert not reader.looks_like_docx(b"%PDF-1.7\n")


# --- legacy .doc / .wps -----------------------------------------------------------


def test_legacy_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader.shutil, "which", lambda name: None)
    fake_doc = reader.OLE2_MAGIC + b"\x00" * 512 + "WordDocument".encode("utf-16-le")
    with pytest.raises(ParseError) as info:
        reader.read(fake_doc)
    assert "libreoffice-writer" in (info.value.hint or "")
    assert reader.looks_like_legacy(reader.OLE2_MAGIC)


def test_legacy_that_is_not_word_is_refused_before_libreoffice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_soffice(*args: object, **kwargs: object) -> None:
        raise AssertionError("LibreOffice must not run")

    monkeypatch.setattr(reader.subprocess, "Popen", no_soffice)
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(5000))
    _quick_parse_error(reader.OLE2_MAGIC + junk, "WordDocument")
    encrypted = reader.OLE2_MAGIC + junk + "EncryptedPackage".encode("utf-16-le")
    _quick_parse_error(encrypted, "password")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_legacy_doc_through_libreoffice(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes((DOCX_CASES[0] / "input.docx").read_bytes())
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    data = (tmp_path / "report.doc").read_bytes()
    assert reader.looks_like_legacy(data) and not reader.looks_like_docx(data)
    document = reader.read(data)
    assert document.metadata["converted_from"] == "doc"
    found = spans(grids(document)[1])
    assert found["申请人情况"] == (0, 3, 1, 7)
    assert found["三、本年度办理结果"][2:] == (22, 1)


def test_damaged_documents_only_ever_raise_parse_error() -> None:
    """Bytes flipped anywhere, the central directory scrambled, or a slice cut out:
    the reader either reads the document or raises ParseError, never anything else."""
    data = (DOCX_CASES[0] / "input.docx").read_bytes()
    rng = random.Random(20240602)
    for i in range(150):
        damaged = bytearray(data)
        if i % 3 == 0:
            for _ in range(rng.randrange(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        elif i % 3 == 1:
            for _ in range(rng.randrange(1, 10)):
                damaged[rng.randrange(len(damaged) - 3000, len(damaged))] = rng.randrange(256)
        else:
            start = rng.randrange(len(damaged))
            del damaged[start : start + rng.randrange(1, 5000)]
        try:
            document = reader.read(bytes(damaged))
        except ParseError:
            continue
        assert document.reader == "docx"
