"""Read a PDF report into a :class:`~govreport.document.Document` (reader ``pdf``).

The PDF is read with pdfplumber (pdfminer.six underneath). Per page:

* **Rulings.** The visible straight strokes: stroked lines, the sides of stroked
  rectangles, thin filled rectangles (a border drawn as a 0.5 pt bar) and the
  axis-parallel segments of stroked paths. Filled rectangles are *not* rulings:
  WPS paints a white box behind every paragraph line and every cell and shades
  header cells in colour, and pdfplumber's own ``find_tables`` takes those boxes
  for tables (a one-column "table" of prose on page 1 of a WPS export).
* **Tables.** Rulings are snapped and joined like pdfplumber's ``merge_edges``;
  each connected set of horizontal and vertical rulings is one table piece. Its
  column and row boundaries are the rulings' positions plus the piece's outer
  box, and elementary cells with no ruling between them form one merged cell
  (rowspan/colspan). Unlike pdfplumber's cells, which need a ruling on all four
  sides, this keeps the cells at a page break, where WPS draws no border (the
  last row of page 3 and the merged label cells continued on page 4 of
  ``hongze-2023.pdf``). A piece of one cell (a framed paragraph) is text, unless
  it continues a table over a page break (a caption row alone at a page foot). A
  cell's text is its characters (by their centres); its lines are joined with no
  space where either side is CJK and a space otherwise, whitespace collapsed.
* **Text.** Characters outside every table piece form the text lines
  (pdfplumber's line clustering; a gap under 0.3 em is no space, so justified
  CJK text comes out without the spaces pdfplumber would add).

Then over the document:

* page numbers (``- 2 -``, ``— 3 —``, ``第 2 页``, ``2/5``; a bare number only as
  the first or last line of a page inside the header/footer band) and running
  headers/footers (the same text at the same height on most pages, inside the
  band) are dropped;
* a table piece that is the last block of page *n* and a piece that is the first
  block of page *n* + 1 with the same left and right edges are one table: one
  :class:`~govreport.document.Grid` whose columns are the union of both pieces'
  columns. Cells continued over the break are merged into one (text joined,
  rowspan summed): when every cell of the continuation's first row that has no
  top ruling meets a cell with no bottom ruling on the page before (same
  columns) and no such pair holds a number on both sides (WPS: a merged label
  like 三、本年度办理结果, or a row split by the break), those pairs; and an empty
  cell at the top of the continuation under a label of the same columns, where
  one of the two spans several rows (LibreOffice closes the borders at the
  break). Otherwise rows stay as printed;
* :func:`govreport.readers.chars.fold` is applied to all text; ``(cid:N)``
  glyphs (a font without a Unicode map) are dropped and counted in the metadata
  (``unmapped_glyphs``), and a page that is mostly such glyphs is an error.

``Document.metadata`` holds ``pages`` (the page count), ``title`` (the PDF's
document information, when it has one), ``unmapped_glyphs`` and
``pages_without_text`` (e.g. ``3,4``: pages with no characters, say a scanned
page in a PDF otherwise with text) when there are any.

A text line's :class:`~govreport.document.Source` has ``page``, ``bbox`` and
``line`` (its 1-based ordinal among the document's text lines); a grid cell's has
``page`` and ``bbox`` of the page where the cell starts (a cell continued over a
page break keeps its first page's box).

Errors are :class:`PdfError` (a :class:`~govreport.errors.ParseError`): not a PDF,
truncated or corrupt, encrypted with a password, too large (more than
:data:`MAX_PAGES` pages or :data:`MAX_BYTES` bytes), too slow (more than
:data:`TIME_LIMIT` seconds), no text layer (a scan) or a font without a Unicode
map. ``python -m govreport.readers.pdf FILE`` prints what the reader read.
"""

from __future__ import annotations

import bisect
import io
import itertools
import math
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import define, evolve

from govreport.document import Document, Grid, GridCell, Source, TextLine
from govreport.errors import ParseError
from govreport.readers.chars import fold

#: The largest PDF read, in bytes.
MAX_BYTES = 100 * 1024 * 1024
#: The most pages read.
MAX_PAGES = 200
#: Seconds a read may take before it is abandoned (checked between pages).
TIME_LIMIT = 120.0

#: Rulings closer than this (points) are one ruling; segments closer end to end join.
SNAP = 2.0
#: How far a ruling may miss another and still meet it (points).
MEET = 3.0
#: Rulings shorter than this are not rulings (a rectangle's 0.5 pt ends).
MIN_RULING = 3.0
#: A rectangle thinner than this, filled, is a ruling drawn as a bar.
BAR = 3.0
#: Boundaries of one table closer than this are one column/row boundary.
GRID_SNAP = 3.0
#: Share of a cell side a ruling must cover to separate two cells.
COVER = 0.5
#: Left/right edges of two table pieces this close: one table over a page break.
JOIN_EDGE = 6.0
#: Gap between characters, in em, above which a space is written.
SPACE_EM = 0.3
#: Header/footer band: this share of the page height at the top and at the bottom.
BAND = 0.1
#: A page whose glyphs are more than this share ``(cid:N)`` has no usable text.
CID_SHARE = 0.5

_CID = re.compile(r"^\(cid:\d+\)$")
_CID_ANY = re.compile(r"\(cid:\d+\)")
_DASHES = "-—–－~_―"
_PAGE_NUMBER = (
    re.compile(rf"^[{_DASHES}]+\s*\d{{1,4}}\s*[{_DASHES}]+$"),
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(?i:page)\s*\d{1,4}(\s*(?i:of)\s*\d{1,4})?$"),
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_NUMBER = re.compile(r"^[\d.,，\s]+$")
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)


class PdfError(ParseError):
    """The PDF cannot be read as a report."""


class EncryptedPdfError(PdfError):
    """The PDF is encrypted and cannot be opened without its password."""


class ScannedPdfError(PdfError):
    """The PDF has no text layer (scanned page images): it needs OCR."""


class UnmappedFontError(PdfError):
    """A page's font has no Unicode map: its text comes out as ``(cid:N)``."""


# --- public ------------------------------------------------------------------


def looks_like_pdf(data: bytes) -> bool:
    """Does ``data`` start like a PDF (``%PDF-`` within its first 1024 bytes)?"""
    return b"%PDF-" in data[:1024]


def read(data: bytes) -> Document:
    """Read the PDF ``data`` into a document: text lines and grids in reading order.

    Raises :class:`PdfError` (a :class:`~govreport.errors.ParseError`) when the
    PDF cannot be read; see the module docstring.
    """
    if len(data) > MAX_BYTES:
        raise PdfError(
            f"this PDF is {len(data) / 2**20:.0f} MB; the PDF reader reads at most "
            f"{MAX_BYTES // 2**20} MB",
            hint="split the file or extract its text first",
        )
    if not looks_like_pdf(data):
        raise PdfError(
            "this is not a PDF (no %PDF- header)",
            snippet=data[:16].decode("latin-1"),
        )
    import pdfplumber  # imported here: a text-only run never pays for it

    start = time.monotonic()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises many kinds; all mean "unreadable"
        raise _open_error(error, data) from error
    try:
        return _read(pdf, start)
    except PdfError:
        raise
    except Exception as error:
        raise PdfError(
            f"this PDF is corrupt: {_describe(error)}",
            hint=_TRUNCATED_HINT if _truncated(data) else None,
        ) from error
    finally:
        pdf.close()


# --- errors --------------------------------------------------------------------

_TRUNCATED_HINT = "the file does not end with %%EOF: it is truncated; download it again"


def _truncated(data: bytes) -> bool:
    return b"%%EOF" not in data[-4096:]


def _cause(error: BaseException) -> BaseException:
    """The pdfminer exception pdfplumber wrapped (``PdfminerException(cause)``)."""
    if error.args and isinstance(error.args[0], BaseException):
        return error.args[0]
    return error.__cause__ or error


def _describe(error: BaseException) -> str:
    cause = _cause(error)
    text = str(cause) or type(cause).__name__
    return f"{type(cause).__name__}: {text}" if text != type(cause).__name__ else text


def _open_error(error: BaseException, data: bytes) -> PdfError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = _cause(error)
    if isinstance(cause, PDFPasswordIncorrect):
        return EncryptedPdfError(
            "this PDF is encrypted with a password (it does not open with an empty one)",
            hint="save an unencrypted copy, e.g. qpdf --password=PASSWORD --decrypt in.pdf out.pdf",
        )
    if isinstance(cause, PDFEncryptionError) or "encrypt" in str(cause).lower():
        return EncryptedPdfError(
            f"this PDF is encrypted in a way the reader cannot open ({_describe(cause)})",
            hint="save an unencrypted copy, e.g. qpdf --decrypt in.pdf out.pdf",
        )
    if _truncated(data):
        return PdfError(f"this PDF is truncated ({_describe(cause)})", hint=_TRUNCATED_HINT)
    return PdfError(f"this PDF is corrupt and cannot be opened ({_describe(cause)})")


# --- geometry ------------------------------------------------------------------


@define
class _Seg:
    """A ruling: at ``pos`` (y for horizontal, x for vertical), from ``lo`` to ``hi``."""

    pos: float
    lo: float
    hi: float


@define
class _Cell:
    """A table cell while the reader builds the grid (rows are piece/global indexes)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    r0: int
    r1: int
    text: str
    open_top: bool = False
    open_bottom: bool = False


@define
class _Piece:
    """The part of one table on one page."""

    page: int
    bbox: tuple[float, float, float, float]
    nrows: int
    cells: list[_Cell]
    #: A framed paragraph (one cell): its text lines, used unless the frame
    #: turns out to be part of a table continued over a page break.
    frame: list[_Line] | None = None


@define
class _Line:
    """A text line on a page, before page furniture is dropped and lines numbered."""

    page: int
    text: str
    bbox: tuple[float, float, float, float]


def _is_white(color: Any) -> bool:
    """Is a pdfplumber colour (gray, RGB or CMYK tuple) white or nearly?"""
    if isinstance(color, (int, float)):
        values: tuple[float, ...] = (float(color),)
    elif isinstance(color, (tuple, list)) and all(isinstance(v, (int, float)) for v in color):
        values = tuple(float(v) for v in color)
    else:
        return False
    if len(values) in (1, 3):
        return all(v >= 0.95 for v in values)
    if len(values) == 4:
        return all(v <= 0.05 for v in values)
    return False


def _rulings(objects: dict[str, list[dict[str, Any]]]) -> tuple[list[_Seg], list[_Seg]]:
    """The visible horizontal and vertical rulings among a page's graphics."""
    hs: list[_Seg] = []
    vs: list[_Seg] = []

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y0 - y1) <= 1.0:
            hs.append(_Seg((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) <= 1.0:
            vs.append(_Seg((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    for obj in objects.get("line", ()):
        if obj.get("stroke", True) and not _is_white(obj.get("stroking_color")):
            add(obj["x0"], obj["top"], obj["x1"], obj["bottom"])
    for obj in objects.get("rect", ()):
        x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
            add(x0, top, x1, top)
            add(x0, bottom, x1, bottom)
            add(x0, top, x0, bottom)
            add(x1, top, x1, bottom)
        elif obj.get("fill") and not _is_white(obj.get("non_stroking_color")):
            if bottom - top <= BAR:
                mid = (top + bottom) / 2
                add(x0, mid, x1, mid)
            elif x1 - x0 <= BAR:
                mid = (x0 + x1) / 2
                add(mid, top, mid, bottom)
    for obj in objects.get("curve", ()):
        if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
            points = obj.get("pts") or []
            for (ax, ay), (bx, by) in itertools.pairwise(points):
                add(ax, ay, bx, by)
    return _merge(hs), _merge(vs)


def _merge(segs: list[_Seg]) -> list[_Seg]:
    """Snap rulings at nearly the same position together and join touching ones."""
    merged: list[_Seg] = []
    segs = sorted(segs, key=lambda s: s.pos)
    i = 0
    while i < len(segs):
        j = i + 1
        while j < len(segs) and segs[j].pos - segs[j - 1].pos <= SNAP:
            j += 1
        group = segs[i:j]
        pos = sum(s.pos for s in group) / len(group)
        run: _Seg | None = None
        for seg in sorted(group, key=lambda s: s.lo):
            if run is not None and seg.lo <= run.hi + SNAP:
                run.hi = max(run.hi, seg.hi)
                continue
            if run is not None and run.hi - run.lo >= MIN_RULING:
                merged.append(run)
            run = _Seg(pos, seg.lo, seg.hi)
        if run is not None and run.hi - run.lo >= MIN_RULING:
            merged.append(run)
        i = j
    return merged


def _components(hs: list[_Seg], vs: list[_Seg]) -> list[tuple[list[_Seg], list[_Seg]]]:
    """Group rulings into connected sets (a horizontal meets a vertical)."""
    parent = list(range(len(hs) + len(vs)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    order = sorted(range(len(vs)), key=lambda k: vs[k].pos)
    xs = [vs[k].pos for k in order]
    for i, h in enumerate(hs):
        lo = bisect.bisect_left(xs, h.lo - MEET)
        hi = bisect.bisect_right(xs, h.hi + MEET)
        for k in order[lo:hi]:
            v = vs[k]
            if v.lo - MEET <= h.pos <= v.hi + MEET:
                a, b = find(i), find(len(hs) + k)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[_Seg], list[_Seg]]] = defaultdict(lambda: ([], []))
    for i, h in enumerate(hs):
        groups[find(i)][0].append(h)
    for k, v in enumerate(vs):
        groups[find(len(hs) + k)][1].append(v)
    return [g for g in groups.values() if g[0] and len(g[1]) >= 2]


def _cluster(values: Iterable[float], tolerance: float) -> list[float]:
    """Sorted values with runs closer than ``tolerance`` replaced by their mean."""
    out: list[float] = []
    run: list[float] = []
    for value in sorted(values):
        if run and value - run[-1] > tolerance:
            out.append(sum(run) / len(run))
            run = []
        run.append(value)
    if run:
        out.append(sum(run) / len(run))
    return out


def _nearest(bounds: Sequence[float], value: float) -> int:
    """Index of the boundary nearest ``value``."""
    i = bisect.bisect_left(bounds, value)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - value < value - bounds[i - 1] else i - 1


def _covered(segs: list[_Seg], lo: float, hi: float) -> bool:
    """Do the rulings (all at one position) cover at least :data:`COVER` of lo..hi?"""
    total = sum(max(0.0, min(s.hi, hi) - max(s.lo, lo)) for s in segs)
    return total >= COVER * (hi - lo)


def _cell_boxes(
    hs: list[_Seg], vs: list[_Seg]
) -> tuple[list[float], list[float], list[tuple[int, int, int, int, bool, bool]]]:
    """Column bounds, row bounds and merged cells ``(r0, r1, c0, c1, open_top,
    open_bottom)`` of one connected set of rulings."""
    left = min(min(v.pos for v in vs), min(h.lo for h in hs))
    right = max(max(v.pos for v in vs), max(h.hi for h in hs))
    top = min(min(h.pos for h in hs), min(v.lo for v in vs))
    bottom = max(max(h.pos for h in hs), max(v.hi for v in vs))
    xs = _cluster([left, right, *(v.pos for v in vs)], GRID_SNAP)
    ys = _cluster([top, bottom, *(h.pos for h in hs)], GRID_SNAP)
    ncols, nrows = len(xs) - 1, len(ys) - 1
    if ncols < 1 or nrows < 1:
        return xs, ys, []
    at_x: dict[int, list[_Seg]] = defaultdict(list)
    for v in vs:
        at_x[_nearest(xs, v.pos)].append(v)
    at_y: dict[int, list[_Seg]] = defaultdict(list)
    for h in hs:
        at_y[_nearest(ys, h.pos)].append(h)

    parent = list(range(nrows * ncols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    for r in range(nrows):
        for c in range(ncols - 1):
            if not _covered(at_x[c + 1], ys[r], ys[r + 1]):
                union(r * ncols + c, r * ncols + c + 1)
    for r in range(nrows - 1):
        for c in range(ncols):
            if not _covered(at_y[r + 1], xs[c], xs[c + 1]):
                union(r * ncols + c, (r + 1) * ncols + c)

    members: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r in range(nrows):
        for c in range(ncols):
            members[find(r * ncols + c)].append((r, c))
    rects: list[tuple[int, int, int, int]] = []
    for group in members.values():
        r0 = min(r for r, _ in group)
        r1 = max(r for r, _ in group) + 1
        c0 = min(c for _, c in group)
        c1 = max(c for _, c in group) + 1
        if len(group) == (r1 - r0) * (c1 - c0):
            rects.append((r0, r1, c0, c1))
            continue
        # Not a rectangle (a ruling is missing inside): fall back to row runs.
        by_row: dict[int, list[int]] = defaultdict(list)
        for r, c in group:
            by_row[r].append(c)
        for r, cols in by_row.items():
            cols.sort()
            run_start = cols[0]
            for prev, col in itertools.pairwise([*cols, None]):
                if col is None or col != prev + 1:
                    rects.append((r, r + 1, run_start, prev + 1))
                    if col is not None:
                        run_start = col
    cells = []
    for r0, r1, c0, c1 in rects:
        open_top = r0 == 0 and not _covered(at_y[0], xs[c0], xs[c1])
        open_bottom = r1 == nrows and not _covered(at_y[nrows], xs[c0], xs[c1])
        cells.append((r0, r1, c0, c1, open_top, open_bottom))
    return xs, ys, cells


# --- text ----------------------------------------------------------------------


def _clean(text: str) -> str:
    """Folded text with ``(cid:N)`` removed and whitespace collapsed."""
    return " ".join(_CID_ANY.sub("", fold(text)).split())


def _join_lines(lines: Iterable[str]) -> str:
    """Lines of one cell joined: no space where either side is CJK (a Chinese line
    break is never a space), a space otherwise — also between digits, so that two
    numbers run together by a missing ruling stay visibly two."""
    out = ""
    for line in lines:
        line = _clean(line)
        if not line:
            continue
        if out:
            a, b = out[-1], line[0]
            glue = _CJK.match(a) or _CJK.match(b)
            out += line if glue else " " + line
        else:
            out = line
    return out


def _text_lines(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pdfplumber's text lines of ``chars`` (dicts with text and bbox)."""
    if not chars:
        return []
    from pdfplumber.utils.text import chars_to_textmap

    textmap = chars_to_textmap(chars, x_tolerance_ratio=SPACE_EM)
    return textmap.extract_text_lines(strip=True, return_chars=False)


def _cell_text(chars: list[dict[str, Any]]) -> str:
    return _join_lines(line["text"] for line in _text_lines(chars))


# --- pages ---------------------------------------------------------------------


def _read(pdf: Any, start: float) -> Document:
    _check_pages(_page_count(pdf))  # before pdfplumber walks the page tree
    pages = pdf.pages
    _check_pages(len(pages))
    if not pages:
        raise PdfError("this PDF has no pages")
    per_page: list[tuple[list[_Line | _Piece], tuple[float, float]]] = []
    unmapped = 0
    textless: list[int] = []
    images = 0
    for page in pages:
        if time.monotonic() - start > TIME_LIMIT:
            raise PdfError(
                f"reading this PDF took more than {TIME_LIMIT:.0f} s (stopped at page "
                f"{page.page_number})"
            )
        blocks, cids, nchars = _read_page(page)
        unmapped += cids
        images += len(page.images)
        if nchars == 0:
            textless.append(page.page_number)
        per_page.append((blocks, (float(page.bbox[1]), float(page.bbox[3]))))
    if len(textless) == len(pages):
        raise ScannedPdfError(
            "this PDF has no text layer (a scanned image?)"
            + (f": its {len(pages)} page(s) hold only images" if images else ""),
            hint="run OCR first, e.g. ocrmypdf -l chi_sim in.pdf out.pdf",
        )
    blocks = _drop_furniture(per_page)
    metadata = {"pages": str(len(pages))}
    title = _info_text(pdf, "Title")
    if title:
        metadata["title"] = title
    if unmapped:
        metadata["unmapped_glyphs"] = str(unmapped)
    if textless:
        metadata["pages_without_text"] = ",".join(map(str, textless))
    return Document(blocks=tuple(_assemble(blocks)), reader="pdf", metadata=metadata)


def _check_pages(count: int | None) -> None:
    if count is not None and count > MAX_PAGES:
        raise PdfError(
            f"this PDF has {count} pages; the PDF reader reads at most {MAX_PAGES}",
            hint="an annual report is a few pages long: is this the right file?",
        )


def _page_count(pdf: Any) -> int | None:
    """The page count the page tree declares (before pdfplumber walks it), if any."""
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
    except Exception:
        return None
    return count if isinstance(count, int) else None


def _read_page(page: Any) -> tuple[list[_Line | _Piece], int, int]:
    """A page's text lines and table pieces in reading order, its ``(cid:N)``
    count and its number of glyphs."""
    number = page.page_number
    x0, top, x1, bottom = page.bbox
    chars = []
    cids = 0
    for char in page.dedupe_chars().chars:
        cx = (char["x0"] + char["x1"]) / 2
        cy = (char["top"] + char["bottom"]) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        if _CID.match(char["text"]):
            cids += 1
            continue
        chars.append(char)
    total = cids + len(chars)
    if total >= 10 and cids > CID_SHARE * total:
        raise UnmappedFontError(
            f"page {number}: {cids} of its {total} glyphs have no Unicode value "
            "(the PDF's font has no Unicode map, its text reads as (cid:N))",
            hint="the text must be recovered by OCR, e.g. ocrmypdf --force-ocr -l chi_sim "
            "in.pdf out.pdf",
        )
    hs, vs = _rulings(page.objects)
    pieces: list[_Piece] = []
    claimed: set[int] = set()
    for group_h, group_v in _components(hs, vs):
        xs, ys, boxes = _cell_boxes(group_h, group_v)
        if not boxes:
            continue
        inside = [
            k
            for k, char in enumerate(chars)
            if k not in claimed
            and xs[0] - 1 <= (char["x0"] + char["x1"]) / 2 <= xs[-1] + 1
            and ys[0] - 1 <= (char["top"] + char["bottom"]) / 2 <= ys[-1] + 1
        ]
        if inside:
            claimed.update(inside)
            piece = _piece(number, xs, ys, boxes, [chars[k] for k in inside])
            if len(boxes) == 1:
                piece.frame = _page_lines(number, [chars[k] for k in inside])
            pieces.append(piece)
    lines = _page_lines(number, [char for k, char in enumerate(chars) if k not in claimed])
    blocks: list[_Line | _Piece] = [*lines, *pieces]
    blocks.sort(key=lambda b: (b.bbox[1], b.bbox[0]))
    return blocks, cids, total


def _page_lines(page: int, chars: list[dict[str, Any]]) -> list[_Line]:
    """The non-empty text lines of ``chars`` on page ``page``."""
    lines = []
    for line in _text_lines(chars):
        text = _clean(line["text"])
        if text:
            lines.append(_Line(page, text, (line["x0"], line["top"], line["x1"], line["bottom"])))
    return lines


def _piece(
    page: int,
    xs: list[float],
    ys: list[float],
    boxes: list[tuple[int, int, int, int, bool, bool]],
    chars: list[dict[str, Any]],
) -> _Piece:
    """A table piece: its cells (from :func:`_cell_boxes`) with the text of the
    characters whose centres fall in them."""
    owner: dict[tuple[int, int], int] = {}
    for index, (r0, r1, c0, c1, _, _) in enumerate(boxes):
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[r, c] = index
    cell_chars: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for char in chars:
        y = (char["top"] + char["bottom"]) / 2
        x = (char["x0"] + char["x1"]) / 2
        r = min(max(bisect.bisect_right(ys, y) - 1, 0), len(ys) - 2)
        c = min(max(bisect.bisect_right(xs, x) - 1, 0), len(xs) - 2)
        cell_chars[owner[r, c]].append(char)
    cells = [
        _Cell(
            page=page,
            x0=xs[c0],
            top=ys[r0],
            x1=xs[c1],
            bottom=ys[r1],
            r0=r0,
            r1=r1,
            text=_cell_text(cell_chars.get(index, [])),
            open_top=open_top,
            open_bottom=open_bottom,
        )
        for index, (r0, r1, c0, c1, open_top, open_bottom) in enumerate(boxes)
    ]
    return _Piece(page, (xs[0], ys[0], xs[-1], ys[-1]), len(ys) - 1, cells)


def _info_text(pdf: Any, key: str) -> str | None:
    """A document-information string (``Title``), decoded: UTF-16 with either byte
    order mark (WPS writes little-endian ones pdfminer does not decode), else
    PDFDocEncoding."""
    try:
        info = pdf.doc.info[0] if pdf.doc.info else {}
        from pdfminer.pdftypes import resolve1
        from pdfminer.utils import decode_text

        value = resolve1(info.get(key))
    except Exception:
        return None
    if isinstance(value, bytes):
        if value[:2] in (b"\xfe\xff", b"\xff\xfe"):
            text = value.decode("utf-16", errors="replace")
        else:
            text = decode_text(value)
    elif isinstance(value, str):
        text = value
    else:
        return None
    text = _clean(text.replace("\x00", ""))
    return text or None


# --- document ------------------------------------------------------------------


def _in_band(line: _Line, page: tuple[float, float]) -> bool:
    """Is the line in the header or footer band of its page (``page`` = top, bottom)?"""
    top, bottom = page
    band = BAND * (bottom - top)
    return line.bbox[1] < top + band or line.bbox[3] > bottom - band


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _drop_furniture(
    per_page: list[tuple[list[_Line | _Piece], tuple[float, float]]],
) -> list[_Line | _Piece]:
    """All pages' blocks without page numbers and running headers/footers."""
    # Running headers/footers: same text (digits aside) at the same height, in the band.
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for index, (blocks, band) in enumerate(per_page):
        for block in blocks:
            if isinstance(block, _Line) and _in_band(block, band):
                seen[_furniture_key(block.text)].append((index, block.bbox[1]))
    need = max(2, math.ceil(0.5 * len(per_page)))
    running: set[tuple[int, str]] = set()
    for key, where in seen.items():
        tops = sorted(top for _, top in where)
        median = tops[len(tops) // 2]
        pages = {index for index, top in where if abs(top - median) <= 4.0}
        if len(pages) >= need:
            running.update((index, key) for index in pages)

    out: list[_Line | _Piece] = []
    for index, (blocks, band) in enumerate(per_page):
        lines = [b for b in blocks if isinstance(b, _Line)]
        edge = {id(lines[0]), id(lines[-1])} if lines else set()
        for block in blocks:
            if isinstance(block, _Line):
                text = block.text
                if any(p.match(text) for p in _PAGE_NUMBER) and (
                    _in_band(block, band) or id(block) in edge
                ):
                    continue
                if _BARE_NUMBER.match(text) and id(block) in edge and _in_band(block, band):
                    continue
                if _in_band(block, band) and (index, _furniture_key(text)) in running:
                    continue
            out.append(block)
    return out


def _assemble(blocks: list[_Line | _Piece]) -> list[TextLine | Grid]:
    """Number the text lines, join table pieces over page breaks, build grids."""
    out: list[TextLine | Grid] = []
    order: list[_Line | list[_Piece]] = []
    for block in blocks:
        if isinstance(block, _Piece):
            previous = order[-1] if order else None
            if (
                isinstance(previous, list)
                and previous[-1].page + 1 == block.page
                and abs(previous[-1].bbox[0] - block.bbox[0]) <= JOIN_EDGE
                and abs(previous[-1].bbox[2] - block.bbox[2]) <= JOIN_EDGE
            ):
                previous.append(block)
                continue
            order.append([block])
        else:
            order.append(block)
    line_number = 0
    for item in order:
        if isinstance(item, list) and len(item) == 1 and item[0].frame is not None:
            lines: list[_Line | list[_Piece]] = list(item[0].frame)  # a framed paragraph
        else:
            lines = [item]
        for line in lines:
            if isinstance(line, _Line):
                line_number += 1
                source = Source(page=line.page, bbox=line.bbox, line=line_number)
                out.append(TextLine(line.text, source))
            else:
                out.append(_grid(line))
    return out


def _grid(pieces: list[_Piece]) -> Grid:
    """One grid from a table's pieces (one per page), continued cells merged."""
    cells: list[_Cell] = []
    offset = 0
    last_row: list[_Cell] = []
    for piece in pieces:
        shifted = [evolve(c, r0=c.r0 + offset, r1=c.r1 + offset) for c in piece.cells]
        first_row = [c for c in shifted if c.r0 == offset]
        merged = _continued(last_row, first_row)
        for above, below in merged:
            above.r1 = below.r1
            above.text = _join_lines([above.text, below.text])
            above.open_bottom = below.open_bottom
        gone = {id(below) for _, below in merged}
        cells.extend(c for c in shifted if id(c) not in gone)
        offset += piece.nrows
        last_row = [c for c in cells if c.r1 == offset]

    xs = _cluster([x for c in cells for x in (c.x0, c.x1)], GRID_SNAP)
    spans = [(c, c.r0, c.r1, _nearest(xs, c.x0), _nearest(xs, c.x1)) for c in cells]
    spans = [s for s in spans if s[4] > s[3]]
    # Drop rows and columns where no cell starts (a boundary only one piece has).
    row_starts = sorted({s[1] for s in spans})
    col_starts = sorted({s[3] for s in spans})

    def rank(starts: list[int], value: int) -> int:
        return bisect.bisect_left(starts, value)

    rows: dict[int, list[tuple[int, GridCell]]] = defaultdict(list)
    for cell, r0, r1, c0, c1 in spans:
        row, col = rank(row_starts, r0), rank(col_starts, c0)
        rowspan = max(1, rank(row_starts, r1) - row)
        colspan = max(1, rank(col_starts, c1) - col)
        source = Source(page=cell.page, bbox=(cell.x0, cell.top, cell.x1, cell.bottom))
        rows[row].append((col, GridCell(cell.text, source, rowspan, colspan)))
    first = pieces[0]
    return Grid(
        rows=tuple(
            tuple(cell for _, cell in sorted(rows[r], key=lambda item: item[0]))
            for r in range(len(row_starts))
        ),
        source=Source(page=first.page, bbox=first.bbox),
    )


def _continued(above: list[_Cell], below: list[_Cell]) -> list[tuple[_Cell, _Cell]]:
    """Pairs (cell ending page n, cell starting page n + 1, same columns) that are
    one cell continued over the break.

    * Open borders (WPS): when every cell below with no top ruling meets a cell
      above with no bottom ruling, and no such pair holds numbers on both sides,
      all those pairs; if any open cell below has no open partner, none of them.
    * Closed borders (LibreOffice closes cells at the break): an *empty* cell
      below under a label above (text, not a number), where one of the two spans
      several rows — a merged group label like 三、本年度办理结果 continued.
    """

    def partner(cell: _Cell, candidates: Iterable[_Cell]) -> _Cell | None:
        return next(
            (
                a
                for a in candidates
                if abs(a.x0 - cell.x0) <= GRID_SNAP and abs(a.x1 - cell.x1) <= GRID_SNAP
            ),
            None,
        )

    pairs: list[tuple[_Cell, _Cell]] = []
    for cell in below:
        if not cell.open_top:
            continue
        match = partner(cell, (a for a in above if a.open_bottom))
        if match is None or (_NUMBER.match(match.text) and _NUMBER.match(cell.text)):
            pairs = []
            break
        pairs.append((match, cell))
    taken = {id(c) for pair in pairs for c in pair}
    for cell in below:
        if id(cell) in taken or cell.text:
            continue
        match = partner(cell, (a for a in above if id(a) not in taken))
        if (
            match is not None
            and match.text
            and not _NUMBER.match(match.text)
            and (match.r1 - match.r0 > 1 or cell.r1 - cell.r0 > 1)
        ):
            pairs.append((match, cell))
            taken.update((id(match), id(cell)))
    return pairs


# --- debugging -----------------------------------------------------------------


def _render(document: Document) -> str:
    """The document as text: text lines with page/line, grids as ``|``-joined rows."""
    out = [
        f"# reader={document.reader} " + " ".join(f"{k}={v}" for k, v in document.metadata.items())
    ]
    for index, block in enumerate(document.blocks):
        if isinstance(block, TextLine):
            out.append(f"p{block.source.page} L{block.source.line}: {block.text}")
            continue
        out.append(f"[grid {index}: {len(block.rows)} rows, page {block.source.page}]")
        for row in block.rows:
            pages = sorted({c.source.page for c in row if c.source.page is not None})
            texts = []
            for cell in row:
                span = ""
                if cell.rowspan > 1:
                    span += f"↓{cell.rowspan}"
                if cell.colspan > 1:
                    span += f"→{cell.colspan}"
                texts.append(cell.text + (f"⟨{span}⟩" if span else ""))
            out.append(f"  p{','.join(map(str, pages))}: " + " | ".join(texts))
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m govreport.readers.pdf FILE``: print what the reader reads."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m govreport.readers.pdf FILE.pdf", file=sys.stderr)
        return 2
    with open(args[0], "rb") as handle:
        data = handle.read()
    started = time.perf_counter()
    try:
        document = read(data)
    except ParseError as error:
        print(f"error: {error.one_line()}", file=sys.stderr)
        return 1
    print(_render(document))
    print(f"# read in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
