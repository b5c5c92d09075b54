"""The PDF reader (govreport.readers.pdf) and the radical folding it applies
(govreport.readers.chars): the real hongze-2023.pdf, small PDFs written here, and
every kind of unreadable PDF, each of which must fail fast with a ParseError."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import struct
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from govreport.document import Document, Grid, TextLine
from govreport.errors import ParseError
from govreport.readers import pdf as pdf_reader
from govreport.readers.chars import FOLD_TABLE, RADICALS_SUPPLEMENT, fold
from govreport.readers.pdf import (
    EncryptedPdfError,
    PdfError,
    ScannedPdfError,
    UnmappedFontError,
    looks_like_pdf,
    read,
)
from govreport.spec.dictionary import APPLICANTS as APPLICANT_COLUMNS

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
HONGZE = REAL / "pdf" / "hongze-2023.pdf"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is absent")

HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
APPLICANTS = tuple(c.key for c in APPLICANT_COLUMNS)  # the data dictionary's


# --- chars.fold -----------------------------------------------------------------


def test_fold_kangxi_radicals() -> None:
    assert fold("⼀⼆⼗") == "一二十"
    assert fold("\u2f08\u2f2f") == "人工"


def test_fold_radicals_supplement() -> None:
    assert fold("⻓⻔") == "长门"
    assert fold("⻅⻋⻚⻢⻥⻬⻰⻳⺟") == "见车页马鱼齐龙龟母"


def test_fold_compatibility_ideographs() -> None:
    assert fold("\uf900\U0002f800") == "\u8c48\u4e3d"


def test_fold_leaves_everything_else() -> None:
    text = "二、主动公开政府信息情况 Report 2023 （一）１２ ，。\u3000-—"
    assert fold(text) == text
    assert fold("") == ""


def test_fold_table_targets_are_unified_ideographs() -> None:
    import unicodedata

    for radical, ideograph in RADICALS_SUPPLEMENT.items():
        assert 0x2E80 <= ord(radical) <= 0x2EF3
        assert unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH"), radical
    assert all(len(v) == 1 for v in FOLD_TABLE.values())
    kangxi = [chr(c) for c in range(0x2F00, 0x2FD6)]
    assert all(ord(c) in FOLD_TABLE for c in kangxi)


# --- the real report --------------------------------------------------------------


@pytest.fixture(scope="module")
def hongze() -> Document:
    if not HONGZE.is_file():
        pytest.skip("../shared/real is absent")
    return read(HONGZE.read_bytes())


@needs_real
def test_hongze_looks_like_pdf() -> None:
    assert looks_like_pdf(HONGZE.read_bytes())


@needs_real
def test_hongze_headings_in_order(hongze: Document) -> None:
    texts = [line.text for line in hongze.lines()]
    positions = [texts.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert texts[0] == "洪泽区人民政府"
    assert texts[1] == "2023年政府信息公开工作年度报告"
    assert texts[-1].endswith("全年收取政府信息公开信息处理费0元。")


@needs_real
def test_hongze_blocks_in_reading_order(hongze: Document) -> None:
    kinds = []
    for block in hongze.blocks:
        if isinstance(block, Grid):
            kinds.append("grid")
        elif block.text in HEADINGS:
            kinds.append(block.text[0])
    assert kinds == ["一", "二", "grid", "三", "grid", "四", "grid", "五", "六"]


@needs_real
def test_hongze_no_page_furniture(hongze: Document) -> None:
    for line in hongze.lines():
        assert not re.fullmatch(r"[-—–\s]*\d+[-—–\s]*", line.text), line
    assert hongze.metadata["pages"] == "5"
    assert hongze.metadata["title"] == "洪泽区人民政府2023年政府信息公开工作年度报告"


@needs_real
def test_hongze_line_sources(hongze: Document) -> None:
    lines = list(hongze.lines())
    assert [line.source.line for line in lines] == list(range(1, len(lines) + 1))
    pages = [line.source.page for line in lines]
    assert pages == sorted(pages) and set(pages) == {1, 2, 3, 4, 5}
    for line in lines:
        x0, top, x1, bottom = line.source.bbox
        assert 0 <= x0 < x1 <= 595 and 0 <= top < bottom <= 842
        assert line.text == line.text.strip() and "  " not in line.text
        assert not any(0x2E80 <= ord(c) <= 0x2FDF for c in line.text)


@needs_real
def test_hongze_three_grids_joined_over_pages(hongze: Document) -> None:
    grids = list(hongze.grids())
    assert len(grids) == 3
    pages = [sorted({c.source.page for row in g.rows for c in row}) for g in grids]
    assert pages == [[2, 3], [3, 4], [4]]
    for grid in grids:
        for row in grid.rows:
            assert row
            for cell in row:
                assert cell.source.page is not None and cell.source.bbox is not None
                x0, top, x1, bottom = cell.source.bbox
                assert 0 <= x0 < x1 <= 595 and 0 <= top < bottom <= 842
                assert cell.rowspan >= 1 and cell.colspan >= 1


def _width(grid: Grid) -> int:
    """The number of columns of a grid, checked to be the same in every row."""
    covered: dict[int, int] = {}
    widths = set()
    for r, row in enumerate(grid.rows):
        taken = sum(n for row_end, n in covered.items() if row_end > r)
        widths.add(taken + sum(cell.colspan for cell in row))
        for cell in row:
            if cell.rowspan > 1:
                covered[r + cell.rowspan] = covered.get(r + cell.rowspan, 0) + cell.colspan
    assert len(widths) == 1, widths
    return widths.pop()


@needs_real
def test_hongze_grids_are_rectangular(hongze: Document) -> None:
    assert [_width(g) for g in hongze.grids()] == [4, 10, 15]


def _expected() -> dict[str, object]:
    path = REAL / "pdf" / "hongze-2023.expected.json"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _number(value: object) -> str:
    return str(value)


@needs_real
def test_hongze_section_two_values(hongze: Document) -> None:
    grid = next(hongze.grids())
    rows = {row[0].text: [c.text for c in row[1:]] for row in grid.rows}
    cells = _expected()
    prefix = "active_disclosure/"
    assert rows["规章"] == [
        _number(cells[prefix + f"art20_1.regulations/{k}"])
        for k in ("issued", "repealed", "in_force")
    ]
    assert rows["行政规范性文件"] == ["0", "5", "5"]
    assert rows["行政许可"] == [_number(cells[prefix + "art20_5.administrative_license/decisions"])]
    assert rows["行政处罚"] == ["4119"]
    assert rows["行政强制"] == ["195"]
    assert rows["行政事业性收费"] == ["7730.28"]
    captions = [row[0].text for row in grid.rows if row[0].colspan == 4]
    assert captions == [f"第二十条第（{n}）项" for n in "一五六八"]


@needs_real
def test_hongze_section_three_values(hongze: Document) -> None:
    grid = list(hongze.grids())[1]
    new = next(row for row in grid.rows if any("本年新收" in c.text for c in row))
    cells = _expected()
    assert [c.text for c in new[-7:]] == [
        _number(cells[f"applications/new_received/{k}"]) for k in APPLICANTS
    ]
    # Every data row, in order, against the values a person read.
    keys = []
    for key in cells:
        table, row, _ = key.split("/")
        if table == "applications" and row not in keys:
            keys.append(row)
    data = [row for row in grid.rows if len(row) >= 7 and all(c.text.isdigit() for c in row[-7:])]
    assert len(data) == len(keys) == 23
    for key, row in zip(keys, data, strict=True):
        assert [c.text for c in row[-7:]] == [
            _number(cells[f"applications/{key}/{k}"]) for k in APPLICANTS
        ], key


@needs_real
def test_hongze_cells_merged_over_page_break(hongze: Document) -> None:
    grid = list(hongze.grids())[1]
    spans = {c.text: (c.rowspan, c.colspan) for row in grid.rows for c in row}
    assert spans["三、本年度办理结果"] == (20, 1)  # page 3 into page 4
    assert spans["（四）无法提供"] == (3, 1)  # two rows on page 3, one on page 4
    assert spans["（五）不予处理"] == (5, 1)
    assert spans["（三）不予公开"] == (8, 1)
    assert spans["申请人情况"] == (1, 7)
    label = next(c for row in grid.rows for c in row if c.text == "三、本年度办理结果")
    assert label.source.page == 3
    texts = [c.text for row in grid.rows for c in row]
    assert "3.补正后申请内容仍不明确" in texts
    assert "商业企业" in texts and "社会公益组织" in texts  # cell line breaks joined


@needs_real
def test_hongze_section_four_values(hongze: Document) -> None:
    grid = list(hongze.grids())[2]
    cells = _expected()
    expected = [
        _number(cells[f"review_litigation/{row}/{col}"])
        for row in ("review", "litigation_direct", "litigation_after_review")
        for col in ("upheld", "corrected", "other", "pending", "total")
    ]
    assert [c.text for c in grid.rows[-1]] == expected
    assert [c.text for c in grid.rows[0]] == ["行政复议", "行政诉讼"]


@needs_real
def test_hongze_reads_quickly() -> None:
    data = HONGZE.read_bytes()
    started = time.perf_counter()
    read(data)
    assert time.perf_counter() - started < 15


@needs_real
def test_debug_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert pdf_reader.main([str(HONGZE)]) == 0
    out = capsys.readouterr().out
    assert "p3: 一、本年新收政府信息公开申请数量⟨→3⟩ | 21 | 0 | 0 | 0 | 0 | 0 | 21" in out
    assert "p1 L10: 一、总体情况" in out


# --- PDFs written here ------------------------------------------------------------


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _write_pdf(
    contents: list[bytes],
    *,
    font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    extra: Sequence[bytes] = (),
    user_password: bytes | None = None,
) -> bytes:
    """A PDF with one page per content stream (A4, font /F1); with ``user_password``
    encrypted by the standard security handler, revision 2 (40-bit RC4)."""
    n = len(contents)
    # 1 catalog, 2 pages, 3 font, 4.. extra objects, then page/content pairs.
    first_page = 4 + len(extra)
    kids = " ".join(f"{first_page + 2 * k} 0 R" for k in range(n))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        font,
        *extra,
    ]
    file_id = hashlib.md5(b"govreport test").digest()
    key = b""
    if user_password is not None:
        owner = hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5]
        o_value = _rc4(owner, (user_password + _PAD)[:32])
        permissions = -4
        key = hashlib.md5(
            (user_password + _PAD)[:32] + o_value + struct.pack("<i", permissions) + file_id
        ).digest()[:5]
        u_value = _rc4(key, _PAD)
    streams: dict[int, bytes] = {}
    for k, content in enumerate(contents):
        page_no = first_page + 2 * k
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_no + 1} 0 R >>".encode()
        )
        objects.append(b"")
        streams[page_no + 1] = content
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode())
        if number in streams:
            data = streams[number]
            if key:
                object_key = hashlib.md5(key + struct.pack("<i", number)[:3] + b"\0\0").digest()
                data = _rc4(object_key[:10], data)
            out.write(f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream")
        else:
            out.write(body)
        out.write(b"\nendobj\n")
    encrypt_ref = b""
    if user_password is not None:
        offsets.append(out.tell())
        number = len(objects) + 1
        out.write(
            f"{number} 0 obj\n<< /Filter /Standard /V 1 /R 2 /P -4 /O <{o_value.hex()}> "
            f"/U <{u_value.hex()}> >>\nendobj\n".encode()
        )
        encrypt_ref = f" /Encrypt {number} 0 R".encode()
    xref = out.tell()
    out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R /ID [<{file_id.hex()}> "
        f"<{file_id.hex()}>]".encode()
        + encrypt_ref
        + f" >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _text(x: float, y_top: float, text: str, size: float = 10) -> str:
    """A content-stream fragment writing ``text`` with its top near ``y_top`` (from
    the top of an A4 page)."""
    return f"BT /F1 {size} Tf {x} {842 - y_top - size} Td ({text}) Tj ET\n"


def _lines(*segments: tuple[float, float, float, float]) -> str:
    """Stroked segments, coordinates from the top of the page."""
    return "".join(f"{x0} {842 - y0} m {x1} {842 - y1} l S\n" for x0, y0, x1, y1 in segments)


def _table_pdf() -> bytes:
    """Two pages: a heading, then a table of 3 columns (x 100, 200, 300, 400) whose
    first column's cell "Group" spans the last row of page 1 and the first of page 2
    (no ruling at the break under/over it); the value cells are closed."""
    page1 = (
        _text(100, 60, "- 7 -")  # a page number in the header band
        + _text(100, 100, "Heading one")
        + _lines(
            (100, 150, 400, 150),
            (100, 180, 400, 180),
            (200, 210, 400, 210),  # no ruling under "Group"
            (100, 150, 100, 210),
            (200, 150, 200, 210),
            (300, 150, 300, 210),
            (400, 150, 400, 210),
        )
        + _text(110, 155, "Label")
        + _text(210, 155, "A")
        + _text(310, 155, "B")
        + _text(110, 185, "Group")
        + _text(210, 185, "Row one")
        + _text(310, 185, "1")
        + _text(280, 800, "1")  # a bare page number at the foot
    )
    page2 = (
        _text(100, 60, "- 8 -")
        + _lines(
            (200, 80, 400, 80),  # no ruling over "Group"'s continuation
            (100, 110, 400, 110),
            (100, 80, 100, 110),
            (200, 80, 200, 110),
            (300, 80, 300, 110),
            (400, 80, 400, 110),
        )
        + _text(210, 85, "Row two")
        + _text(310, 85, "2")
        + _text(100, 150, "After the table")
        + _text(280, 800, "2")
    )
    return _write_pdf([page1.encode(), page2.encode()])


def test_synthetic_table_joined_over_page_break() -> None:
    document = read(_table_pdf())
    assert document.reader == "pdf"
    assert [b.text if isinstance(b, TextLine) else "grid" for b in document.blocks] == [
        "Heading one",
        "grid",
        "After the table",
    ]
    (grid,) = document.grids()
    rows = [[(c.text, c.rowspan, c.colspan, c.source.page) for c in row] for row in grid.rows]
    assert rows == [
        [("Label", 1, 1, 1), ("A", 1, 1, 1), ("B", 1, 1, 1)],
        [("Group", 2, 1, 1), ("Row one", 1, 1, 1), ("1", 1, 1, 1)],
        [("Row two", 1, 1, 2), ("2", 1, 1, 2)],
    ]
    lines = list(document.lines())
    assert [(line.source.page, line.source.line) for line in lines] == [(1, 1), (2, 2)]


def test_synthetic_tables_not_joined_across_a_heading() -> None:
    box = _lines(
        (100, 100, 400, 100),
        (100, 130, 400, 130),
        (100, 100, 100, 130),
        (250, 100, 250, 130),
        (400, 100, 400, 130),
    )
    page1 = box + _text(110, 105, "x") + _text(260, 105, "1")
    page2 = _text(100, 60, "Heading two") + box + _text(110, 105, "y") + _text(260, 105, "2")
    document = read(_write_pdf([page1.encode(), page2.encode()]))
    assert len(list(document.grids())) == 2


def test_white_boxes_are_not_tables() -> None:
    """WPS paints a white box behind each line: no grid may come of them."""
    boxes = "".join(f"q 1 1 1 rg 100 {842 - 100 - 20 * k - 20} 300 20 re f Q\n" for k in range(5))
    text = "".join(_text(105, 104 + 20 * k, f"Line {k}") for k in range(5))
    document = read(_write_pdf([(boxes + text).encode()]))
    assert not list(document.grids())
    assert [line.text for line in document.lines()] == [f"Line {k}" for k in range(5)]


def test_image_only_pdf_is_a_scan() -> None:
    from PIL import Image

    buffer = io.BytesIO()
    pages = [Image.new("RGB", (300, 400), "white") for _ in range(2)]
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:])
    started = time.perf_counter()
    with pytest.raises(ScannedPdfError) as caught:
        read(buffer.getvalue())
    assert time.perf_counter() - started < 5
    assert "no text layer" in caught.value.message
    assert "ocrmypdf" in (caught.value.hint or "")
    assert isinstance(caught.value, ParseError)


def test_encrypted_pdf() -> None:
    data = _write_pdf([_text(100, 100, "Secret report").encode()], user_password=b"secret")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data), password="secret") as opened:
        assert "Secret report" in opened.pages[0].extract_text()  # a real encrypted PDF
    started = time.perf_counter()
    with pytest.raises(EncryptedPdfError) as caught:
        read(data)
    assert time.perf_counter() - started < 5
    assert "encrypted" in caught.value.message


def test_unencrypted_copy_reads() -> None:
    document = read(_write_pdf([_text(100, 100, "Open report").encode()]))
    assert [line.text for line in document.lines()] == ["Open report"]


@needs_real
def test_truncated_pdf() -> None:
    data = HONGZE.read_bytes()
    started = time.perf_counter()
    with pytest.raises(PdfError) as caught:
        read(data[: len(data) // 2])
    assert time.perf_counter() - started < 5
    assert "truncated" in caught.value.message


def test_truncated_synthetic_pdf() -> None:
    data = _table_pdf()
    with pytest.raises(PdfError):
        read(data[: len(data) // 2])


def test_random_bytes() -> None:
    noise = random.Random(7).randbytes(8192)
    with pytest.raises(PdfError) as caught:
        read(noise)
    assert "not a PDF" in caught.value.message
    assert not looks_like_pdf(noise)
    with pytest.raises(PdfError):
        read(b"%PDF-1.7\n" + noise)
    with pytest.raises(PdfError):
        read(b"")


def test_too_many_pages() -> None:
    data = _write_pdf([b""] * (pdf_reader.MAX_PAGES + 1))
    started = time.perf_counter()
    with pytest.raises(PdfError) as caught:
        read(data)
    assert time.perf_counter() - started < 10
    assert "pages" in caught.value.message


def test_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_BYTES", 100)
    with pytest.raises(PdfError) as caught:
        read(_table_pdf())
    assert "MB" in caught.value.message


_CID_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H "
    b"/DescendantFonts [4 0 R] >>"
)
_CID_DESCENDANT = (
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
    b"/DW 1000 /FontDescriptor 5 0 R >>"
)
_CID_DESCRIPTOR = (
    b"<< /Type /FontDescriptor /FontName /NoMap /Flags 4 /FontBBox [0 0 1000 1000] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
)


def test_font_without_unicode_map() -> None:
    glyphs = "".join(f"{g:04x}" for g in range(1001, 1031))
    content = f"BT /F1 12 Tf 72 700 Td <{glyphs}> Tj ET\n".encode()
    data = _write_pdf([content], font=_CID_FONT, extra=[_CID_DESCENDANT, _CID_DESCRIPTOR])
    with pytest.raises(UnmappedFontError) as caught:
        read(data)
    assert "Unicode" in caught.value.message
    assert "OCR" in (caught.value.hint or "")


def test_a_few_unmapped_glyphs_are_dropped_and_counted() -> None:
    data = _write_pdf(
        [b"BT /F1 12 Tf 72 700 Td <03e903ea> Tj ET\n"],
        font=_CID_FONT,
        extra=[_CID_DESCENDANT, _CID_DESCRIPTOR],
    )
    document = read(data)  # two glyphs on the page: too few to refuse it
    assert document.metadata["unmapped_glyphs"] == "2"
    assert not list(document.lines())


def test_running_header_and_footer_dropped() -> None:
    pages = [
        (
            _text(100, 40, "Annual report 2023")  # the same header on every page
            + _text(100, 200, f"Body text of page {k}")
            + _text(260, 800, f"Page {k} of 3")
        ).encode()
        for k in (1, 2, 3)
    ]
    document = read(_write_pdf(pages))
    assert [line.text for line in document.lines()] == [f"Body text of page {k}" for k in (1, 2, 3)]


def test_numbers_in_the_body_stay() -> None:
    page = (_text(100, 300, "Fees") + _text(100, 320, "2023") + _text(100, 340, "- 4 -")).encode()
    document = read(_write_pdf([page]))
    assert [line.text for line in document.lines()] == ["Fees", "2023"]


def test_cell_lines_joined() -> None:
    join = pdf_reader._join_lines
    assert join(["社会", "公益", "组织"]) == "社会公益组织"
    assert join(["2.没有现成信息", "需要另行制作"]) == "2.没有现成信息需要另行制作"
    assert join(["第20", "条"]) == "第20条"
    assert join(["Total", "count"]) == "Total count"
    assert join(["10", "5"]) == "10 5"  # never one number made of two
    assert join(["  a  b ", "", "c"]) == "a b c"
    assert join(["\u2ed3期", "(cid:12)"]) == "长期"


def test_cells_without_a_ruling_inside_are_split_into_row_runs() -> None:
    """Rulings that leave an L-shaped region (a ruling missing inside a table) give
    one cell per row run, not one cell covering another."""
    seg = pdf_reader._Seg
    hs = [seg(0, 0, 20), seg(10, 0, 10), seg(20, 0, 20)]  # no ruling under (0, 1)
    vs = [seg(0, 0, 20), seg(10, 10, 20), seg(20, 0, 20)]  # none between (0, 0), (0, 1)
    xs, ys, cells = pdf_reader._cell_boxes(hs, vs)
    assert xs == [0, 10, 20] and ys == [0, 10, 20]
    assert sorted(c[:4] for c in cells) == [(0, 1, 0, 2), (1, 2, 0, 1), (1, 2, 1, 2)]


def _grid_lines(x: list[float], y: list[float]) -> str:
    """A fully ruled grid over column bounds ``x`` and row bounds ``y``."""
    horizontal = [(x[0], yy, x[-1], yy) for yy in y]
    vertical = [(xx, y[0], xx, y[-1]) for xx in x]
    return _lines(*horizontal, *vertical)


def test_closed_borders_group_label_continued() -> None:
    """LibreOffice closes cells at a page break: the empty cell at the top of page 2
    under the group label is that label continued."""
    page1 = (
        _text(100, 100, "Heading")
        + _grid_lines([100, 200, 300, 400], [700, 730, 760])
        + _text(110, 705, "Head")
        + _text(210, 705, "Item")
        + _text(310, 705, "N")
        + _text(110, 735, "Group")
        + _text(210, 735, "a")
        + _text(310, 735, "1")
    )
    # Page 2: column 1 is one cell over two rows (no ruling between its rows).
    rows = _lines(
        (100, 80, 400, 80),
        (200, 110, 400, 110),
        (100, 140, 400, 140),
        (100, 170, 400, 170),
        *[(xx, 80, xx, 170) for xx in (100, 200, 300, 400)],
    )
    page2 = (
        rows
        + _text(210, 85, "b")
        + _text(310, 85, "2")
        + _text(210, 115, "c")
        + _text(310, 115, "3")
        + _text(110, 145, "Total")
        + _text(210, 145, "-")
        + _text(310, 145, "6")
    )
    document = read(_write_pdf([page1.encode(), page2.encode()]))
    (grid,) = document.grids()
    rows_ = [[(c.text, c.rowspan) for c in row] for row in grid.rows]
    assert rows_ == [
        [("Head", 1), ("Item", 1), ("N", 1)],
        [("Group", 3), ("a", 1), ("1", 1)],
        [("b", 1), ("2", 1)],
        [("c", 1), ("3", 1)],
        [("Total", 1), ("-", 1), ("6", 1)],
    ]


def test_caption_row_alone_at_a_page_foot_joins_the_table() -> None:
    """A table's first row (a caption cell) alone at the foot of page 1 is one
    cell, like a framed paragraph, but it continues on page 2: one grid."""
    page1 = (
        _text(100, 100, "Heading")
        + _grid_lines([100, 400], [740, 770])
        + _text(110, 745, "Caption")
    )
    page2 = (
        _grid_lines([100, 250, 400], [80, 110, 140])
        + _text(110, 85, "Label")
        + _text(260, 85, "Value")
        + _text(110, 115, "x")
        + _text(260, 115, "5")
    )
    document = read(_write_pdf([page1.encode(), page2.encode()]))
    (grid,) = document.grids()
    assert [[(c.text, c.colspan) for c in row] for row in grid.rows] == [
        [("Caption", 2)],
        [("Label", 1), ("Value", 1)],
        [("x", 1), ("5", 1)],
    ]


def test_framed_paragraph_is_text() -> None:
    page = (
        _grid_lines([100, 400], [200, 260])
        + _text(110, 205, "A boxed note")
        + _text(110, 225, "on two lines")
        + _text(100, 300, "After")
    )
    document = read(_write_pdf([page.encode()]))
    assert not list(document.grids())
    assert [line.text for line in document.lines()] == ["A boxed note", "on two lines", "After"]


def test_page_without_text_is_reported() -> None:
    document = read(_write_pdf([_text(100, 100, "Page one").encode(), b""]))
    assert document.metadata["pages_without_text"] == "2"
    assert document.metadata["pages"] == "2"
