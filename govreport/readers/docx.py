"""The DOCX reader: a Word document's body, in order, as text lines and grids.

A DOCX is a zip of XML parts. Before python-docx opens it the package is checked
with :mod:`zipfile` (member count, declared and actual uncompressed sizes, the
compression ratio of every member, CRCs, no ``<!DOCTYPE`` in an XML part), so a
zip bomb, a truncated download or random bytes fail fast with a
:class:`~govreport.errors.ParseError`. python-docx parses the parts with an lxml
parser that resolves no entities and loads no DTD (``resolve_entities=False``,
lxml's defaults ``load_dtd=False`` and ``no_network=True``).

The body is then walked element by element rather than through python-docx's
``Table.rows``/``row.cells`` (which repeat a merged cell once per grid column
and row it covers):

* ``w:p`` → one :class:`~govreport.document.TextLine` per non-empty paragraph,
  ``Source(line=k)`` with ``k`` the 1-based ordinal of the line;
* ``w:tbl`` → a :class:`~govreport.document.Grid` from the real ``w:tr``/``w:tc``
  elements: ``w:gridSpan`` is the colspan, ``w:vMerge`` restart/continue the
  rowspan (and the legacy ``w:hMerge`` a colspan), ``w:gridBefore`` shifts a
  row's first cell; ``rows[r]`` holds the cells that *start* in row ``r``, each
  with ``Source(table=t, row=r, col=c)``;
* content controls (``w:sdt``) and ``w:customXml`` wrappers are looked through at
  block, row, cell and run level; text in ``w:hyperlink``, ``w:ins``,
  ``w:smartTag``, fields and text boxes is kept, deleted text (``w:del``,
  ``w:moveFrom``), field instructions and ``mc:Fallback`` copies are dropped;
* a table nested in a cell contributes its text to that cell.

Legacy Word (``.doc``) and WPS (``.wps``) files, OLE2 compound files, are
converted to DOCX with LibreOffice (:func:`convert_legacy`) when it is installed.

``python -m govreport.readers.docx FILE`` prints what the reader makes of a file.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from attrs import define

from govreport.document import Block, Document, Grid, GridCell, Source, TextLine
from govreport.errors import ParseError
from govreport.readers.chars import join_pieces

# --- limits -------------------------------------------------------------------

#: Largest total uncompressed size of a package's members.
MAX_TOTAL_SIZE = 200 * 1024 * 1024
#: Most members a package may have (Word writes a few dozen; media add some).
MAX_MEMBERS = 5000
#: Largest uncompressed/compressed ratio of a member bigger than :data:`RATIO_FLOOR`.
MAX_RATIO = 200
#: Members smaller than this are not held to :data:`MAX_RATIO`.
RATIO_FLOOR = 1024 * 1024
#: Seconds LibreOffice gets to convert a legacy document.
CONVERT_TIMEOUT = 120.0

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_WORD_MAIN_TYPES = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_CONTENT_TYPES = "[Content_Types].xml"

# --- element names ----------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"

W_P = _W + "p"
W_TBL = _W + "tbl"
W_TR = _W + "tr"
W_TC = _W + "tc"
W_T = _W + "t"
W_SDT = _W + "sdt"
W_SDT_CONTENT = _W + "sdtContent"
W_CUSTOM_XML = _W + "customXml"
W_VAL = _W + "val"

#: Subtrees whose text is not part of what the document shows.
_SKIP = frozenset(
    _W + name
    for name in (
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "delInstrText",
        "pPr",
        "rPr",
        "tblPr",
        "tcPr",
        "trPr",
        "fldData",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
    )
) | {_MC + "Fallback"}
_TABS = frozenset({_W + "tab", _W + "ptab"})
_BREAKS = frozenset({_W + "br", _W + "cr"})
_WRAPPERS = frozenset({W_SDT, W_CUSTOM_XML})

# --- text joining -------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_SPACES_NOT_TAB = re.compile(r"[^\S\t]+")


def collapse(text: str) -> str:
    """All runs of whitespace (tabs, line breaks, ideographic spaces) to one space."""
    return _SPACES.sub(" ", text).strip()


# --- package checks -------------------------------------------------------


def looks_like_docx(data: bytes) -> bool:
    """Is ``data`` a Word package (DOCX, DOCM, DOTX)? Decided by content: a zip whose
    ``[Content_Types].xml`` names a Word main document part, or that has a
    ``word/document.xml``."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return True
            if _CONTENT_TYPES not in names:
                return False
            info = zf.getinfo(_CONTENT_TYPES)
            if info.file_size > RATIO_FLOOR:
                return False
            content_types = zf.read(info)
    except Exception:  # any damage: not something we can call a Word document
        return False
    return any(kind in content_types for kind in _WORD_MAIN_TYPES)


def looks_like_legacy(data: bytes) -> bool:
    """Is ``data`` an OLE2 compound file (``.doc``, ``.wps``, and also ``.xls`` …)?"""
    return data.startswith(OLE2_MAGIC)


def check_package(data: bytes) -> None:
    """Check a zip before any XML in it is parsed; raise :class:`ParseError` for a
    corrupt or truncated zip, a zip bomb, too many members or a DTD in a part.

    Declared sizes are checked first (cheap), then every member is inflated in
    chunks, counting what it really yields, so the CRCs are verified and a lying
    header cannot get past the bound either.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, NotImplementedError, struct/OS errors on junk
        raise ParseError(
            f"not a readable DOCX: the zip is corrupt or truncated ({exc})",
            expected="a complete .docx file (a zip archive)",
            snippet=_snippet(data),
            hint="download the file again; a .docx that Word cannot open cannot be read",
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ParseError(
                f"DOCX has {len(infos)} zip members (limit {MAX_MEMBERS})",
                hint="this is not a document Word writes; refusing it as a possible zip bomb",
            )
        total = 0
        for info in infos:
            total += info.file_size
            _check_ratio(info.filename, info.file_size, info.compress_size)
        if total > MAX_TOTAL_SIZE:
            raise ParseError(
                f"DOCX inflates to {total:,} bytes (limit {MAX_TOTAL_SIZE:,})",
                hint="refusing it as a possible zip bomb",
            )
        inflated = 0
        for info in infos:
            if info.is_dir():
                continue
            head = b""
            try:
                with zf.open(info) as member:
                    while chunk := member.read(1 << 20):
                        if len(head) < 4096:
                            head += chunk[: 4096 - len(head)]
                        inflated += len(chunk)
                        if inflated > MAX_TOTAL_SIZE:
                            raise ParseError(
                                f"DOCX inflates past {MAX_TOTAL_SIZE:,} bytes",
                                hint="refusing it as a possible zip bomb",
                            )
            except ParseError:
                raise
            except NotImplementedError as exc:
                raise ParseError(
                    f"zip member {info.filename!r} uses an unsupported compression ({exc})",
                    hint="save the document again with Word or LibreOffice",
                ) from None
            except RuntimeError as exc:  # zipfile: "File ... is encrypted"
                raise ParseError(
                    f"zip member {info.filename!r} is encrypted ({exc})",
                    hint="remove the password in Word or WPS and save it again",
                ) from None
            except Exception as exc:  # BadZipFile (CRC), zlib.error, EOFError, OSError …
                raise ParseError(
                    f"not a readable DOCX: zip member {info.filename!r} is damaged ({exc})",
                    hint="the file is probably truncated or corrupt; download it again",
                ) from None
            if _is_xml_part(info.filename) and b"<!DOCTYPE" in head:
                raise ParseError(
                    f"zip member {info.filename!r} declares a DTD",
                    hint="Word never writes DOCTYPE declarations; refusing the file "
                    "(possible XML entity attack)",
                )


def _check_ratio(name: str, size: int, compressed: int) -> None:
    if size > RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1):
        raise ParseError(
            f"zip member {name!r} inflates {size:,} bytes from {compressed:,} "
            f"(ratio above {MAX_RATIO})",
            hint="refusing it as a possible zip bomb",
        )


def _is_xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels")) or name == _CONTENT_TYPES


def _snippet(data: bytes) -> str:
    return data[:16].hex(" ")


def _as_docx_content_type(data: bytes) -> bytes:
    """A macro-enabled document or a template, relabelled as a plain document so
    python-docx opens it (its body is read the same way; macros never run)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            content_types = zf.read(_CONTENT_TYPES)
        except KeyError:
            return data
        if _WORD_MAIN_TYPES[0] in content_types:
            return data
        for kind in _WORD_MAIN_TYPES[1:]:
            content_types = content_types.replace(kind, _WORD_MAIN_TYPES[0])
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for info in zf.infolist():
                body = content_types if info.filename == _CONTENT_TYPES else zf.read(info)
                new.writestr(info.filename, body)
    return out.getvalue()


# --- legacy formats -------------------------------------------------------


def soffice_path() -> str | None:
    """The LibreOffice executable on ``PATH``, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_legacy(data: bytes, *, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """Convert a legacy Word (``.doc``) or WPS (``.wps``) file to DOCX bytes with
    LibreOffice headless (``soffice --headless --convert-to docx``).

    Runs with a private LibreOffice profile in a temporary directory (so it does
    not clash with a running LibreOffice) and is killed after ``timeout`` seconds.
    Raises :class:`ParseError` when LibreOffice is not installed or fails.
    """
    _check_legacy_word(data)
    exe = soffice_path()
    if exe is None:
        raise ParseError(
            "this is a legacy Word/WPS file (.doc/.wps); reading it needs LibreOffice",
            expected="soffice or libreoffice on PATH",
            hint="install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui, "
            "or libreoffice-writer), or save the file as .docx",
        )
    if len(data) > MAX_TOTAL_SIZE:
        raise ParseError(f"legacy document of {len(data):,} bytes is too large to convert")
    with tempfile.TemporaryDirectory(prefix="govreport-soffice-") as tmp:
        tmpdir = Path(tmp)
        source = tmpdir / "input.doc"
        source.write_bytes(data)
        outdir = tmpdir / "out"
        outdir.mkdir()
        command = [
            exe,
            f"-env:UserInstallation={(tmpdir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(source),
        ]
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ParseError(
                f"LibreOffice did not convert the legacy document within {timeout:g} s",
                hint="convert it to .docx by hand",
            ) from None
        result = outdir / "input.docx"
        if not result.exists():
            message = err.decode("utf-8", "replace").strip().splitlines()
            raise ParseError(
                "LibreOffice could not convert the legacy document to DOCX",
                snippet=(message[-1][:120] if message else None),
                hint="the file may be damaged, encrypted, or not a word-processing document",
            )
        return result.read_bytes()


def _check_legacy_word(data: bytes) -> None:
    """Refuse an OLE2 file that holds no Word text stream before LibreOffice sees it
    (LibreOffice would import anything else as plain text). The stream names sit in
    the compound file's directory as UTF-16LE."""
    if not looks_like_legacy(data):
        raise ParseError("not a legacy Word file", snippet=_snippet(data) or None)
    if _OLE_ENCRYPTED in data:
        raise ParseError(
            "the document is password-protected (an encrypted Office package)",
            hint="remove the password in Word or WPS and save it again",
        )
    if _OLE_WORD not in data:
        raise ParseError(
            "an OLE2 compound file without a WordDocument stream: not a .doc/.wps",
            hint="an Excel (.xls) or PowerPoint (.ppt) file is not a report document",
        )


_OLE_WORD = "WordDocument".encode("utf-16-le")
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process group of a LibreOffice we started (soffice forks soffice.bin)."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


# --- reading ---------------------------------------------------------------


def read(data: bytes) -> Document:
    """Read a DOCX (or, through LibreOffice, a ``.doc``/``.wps``) into a
    :class:`Document` with ``reader="docx"``."""
    metadata: dict[str, str] = {}
    if looks_like_legacy(data):
        data = convert_legacy(data)
        metadata["converted_from"] = "doc"
    if not data.startswith(ZIP_MAGIC):
        raise ParseError(
            "not a DOCX file",
            expected="a Word .docx (a zip archive starting PK\\x03\\x04) or a .doc/.wps",
            snippet=_snippet(data) or None,
        )
    check_package(data)
    if not looks_like_docx(data):
        raise ParseError(
            "the zip is not a Word document (no word/document.xml)",
            expected="a .docx written by Word, WPS or LibreOffice",
            hint="an .xlsx, .odt or other zip cannot be read as a report here",
        )
    data = _as_docx_content_type(data)
    body, core = _open(data)
    metadata.update(core)
    try:
        blocks = tuple(_blocks(body))
    except RecursionError:
        raise ParseError("the document nests tables or text boxes too deeply") from None
    return Document(blocks, reader="docx", metadata=metadata)


def read_file(path: str | os.PathLike[str]) -> Document:
    """:func:`read` on a file's bytes."""
    return read(Path(path).read_bytes())


def _open(data: bytes) -> tuple[Any, dict[str, str]]:
    """Open the package with python-docx; the body element and core properties."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx on a hostile package: anything may surface
        raise ParseError(
            f"python-docx cannot open the document: {exc}",
            hint="the package is malformed; open and re-save it in Word or LibreOffice",
        ) from None
    root = document.element
    body = root.find(_W + "body")
    if body is None:
        strict = root.tag.startswith("{" + _STRICT_W)
        raise ParseError(
            "the document has no w:body",
            hint=(
                "this is Strict Open XML; save it as a Word 2007-365 (.docx) document"
                if strict
                else None
            ),
        )
    return body, _core_properties(document)


def _core_properties(document: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        props = document.core_properties
        for key in ("title", "author"):
            value = getattr(props, key)
            if value and value.strip():
                out[key] = value.strip()
        for key in ("created", "modified"):
            value = getattr(props, key)
            if value is not None:
                out[key] = value.isoformat()
    except (ValueError, KeyError, AttributeError):  # pragma: no cover - odd core.xml
        pass
    return out


def _children(element: Any, wanted: str) -> Iterator[Any]:
    """Children of ``element`` named ``wanted``, looking through content controls
    and custom-XML wrappers (``w:sdt/w:sdtContent``, ``w:customXml``)."""
    for child in element:
        if child.tag == wanted:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _children(content, wanted)
        elif child.tag == W_CUSTOM_XML:
            yield from _children(child, wanted)


def _block_elements(element: Any) -> Iterator[Any]:
    """The ``w:p`` and ``w:tbl`` of a body or cell in order, through wrappers."""
    for child in element:
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _block_elements(content)
        elif child.tag == W_CUSTOM_XML:
            yield from _block_elements(child)


def _blocks(body: Any) -> Iterator[Block]:
    line = 0
    table = 0
    for element in _block_elements(body):
        if element.tag == W_P:
            text = paragraph_text(element)
            if text:
                line += 1
                yield TextLine(text, Source(line=line))
        else:
            yield _grid(element, table)
            table += 1


def _paragraph_pieces(paragraph: Any) -> list[str]:
    """The text of a paragraph split at its line breaks (tabs kept as ``\\t``)."""
    pieces: list[str] = [""]

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W_T:
                pieces[-1] += child.text or ""
            elif tag in _TABS:
                pieces[-1] += "\t"
            elif tag in _BREAKS:
                pieces.append("")
            elif tag == _W + "noBreakHyphen":
                pieces[-1] += "-"
            elif tag == W_P:  # a paragraph in a text box
                pieces.append("")
                walk(child)
                pieces.append("")
            else:
                walk(child)

    walk(paragraph)
    return pieces


def paragraph_text(paragraph: Any) -> str:
    """A paragraph's text as one line: its ``w:t`` text (inserted, hyperlinked and
    content-control runs included, deleted runs not), tabs kept, other whitespace
    runs made one space, line breaks joined (no space between CJK characters)."""
    pieces = [_SPACES_NOT_TAB.sub(" ", piece).strip() for piece in _paragraph_pieces(paragraph)]
    return join_pieces(pieces).strip()


def cell_text(cell: Any) -> str:
    """A cell's text: its paragraphs (and nested tables' cells) joined, whitespace
    collapsed."""
    pieces: list[str] = []

    def walk(container: Any) -> None:
        for element in _block_elements(container):
            if element.tag == W_P:
                pieces.extend(collapse(p) for p in _paragraph_pieces(element))
            else:
                for row in _children(element, W_TR):
                    for inner in _children(row, W_TC):
                        walk(inner)

    walk(cell)
    return join_pieces(pieces)


def _int_val(element: Any, path: str, default: int) -> int:
    found = element.find(path)
    if found is None:
        return default
    try:
        return max(int(found.get(W_VAL, default)), 0)
    except ValueError:
        return default


@define
class _Cell:
    texts: list[str]
    row: int
    col: int
    colspan: int
    rowspan: int = 1


def _grid(table: Any, index: int) -> Grid:
    """A ``w:tbl`` as a :class:`Grid`, spans resolved from the real elements."""
    rows: list[list[_Cell]] = []
    open_cells: dict[int, _Cell] = {}  # vMerge restarts still open, by start column
    for tr in _children(table, W_TR):
        tr_pr = tr.find(_W + "trPr")
        if tr_pr is not None and tr_pr.find(_W + "del") is not None:
            continue  # a tracked deletion of the whole row
        r = len(rows)
        row: list[_Cell] = []
        still_open: dict[int, _Cell] = {}
        col = _int_val(tr_pr, _W + "gridBefore", 0) if tr_pr is not None else 0
        for tc in _children(tr, W_TC):
            tc_pr = tc.find(_W + "tcPr")
            span = 1
            vmerge: str | None = None
            hmerge: str | None = None
            if tc_pr is not None:
                span = max(_int_val(tc_pr, _W + "gridSpan", 1), 1)
                v = tc_pr.find(_W + "vMerge")
                if v is not None:
                    vmerge = v.get(W_VAL, "continue")
                h = tc_pr.find(_W + "hMerge")
                if h is not None:
                    hmerge = h.get(W_VAL, "continue")
            text = cell_text(tc)
            if hmerge == "continue" and row and row[-1].col + row[-1].colspan == col:
                row[-1].colspan += span  # legacy horizontal merge: widen the cell on the left
                if text:
                    row[-1].texts.append(text)
                col += span
                continue
            above = open_cells.get(col) if vmerge == "continue" else None
            if above is not None:
                above.rowspan = r - above.row + 1
                if text:
                    above.texts.append(text)
                still_open[col] = above
            else:
                cell = _Cell([text], r, col, span)
                row.append(cell)
                if vmerge is not None:  # restart (or a continue with nothing above)
                    still_open[col] = cell
            col += span
        open_cells = still_open
        rows.append(row)
    return Grid(
        tuple(
            tuple(
                GridCell(
                    join_pieces(c.texts),
                    Source(table=index, row=c.row, col=c.col),
                    rowspan=c.rowspan,
                    colspan=c.colspan,
                )
                for c in row
            )
            for row in rows
        ),
        Source(table=index),
    )


# --- debugging ------------------------------------------------------------


def describe(document: Document) -> str:
    """The document as text, one block per line, grid cells with position and spans."""
    out = [f"reader={document.reader} metadata={document.metadata}"]
    for block in document.blocks:
        if isinstance(block, TextLine):
            out.append(f"{block.source.line:>4}  {block.text}")
            continue
        width = (
            max((c.source.col or 0) + c.colspan for row in block.rows for c in row)
            if any(block.rows)
            else 0
        )
        table = (block.source.table or 0) + 1
        out.append(f"---- table {table}: {len(block.rows)} rows x {width} columns")
        for r, row in enumerate(block.rows):
            cells = []
            for c in row:
                span = ""
                if c.rowspan > 1 or c.colspan > 1:
                    span = f"[{c.rowspan}x{c.colspan}]"
                cells.append(f"{c.source.col}{span}:{c.text!r}")
            out.append(f"  r{r:<3} " + " | ".join(cells))
        out.append(f"---- end of table {table}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """``python -m govreport.readers.docx FILE``: print the document read from FILE."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m govreport.readers.docx FILE", file=sys.stderr)
        return 2
    try:
        document = read_file(args[0])
    except ParseError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 1
    print(describe(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
