"""Readers: each turns one input format into a :class:`~govreport.document.Document`.

:func:`read` recognises the format by content — PDF and OLE2 magic bytes, a zip
holding a Word document, HTML markup — not by the file name; anything else is
text in one of the encodings :func:`govreport.readers.text.decode` reads.
"""

from __future__ import annotations

from govreport.document import Document
from govreport.readers import text

__all__ = ["FORMATS", "detect_format", "read"]

#: The formats :func:`read` recognises.
FORMATS = ("pdf", "docx", "doc", "html", "text")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_format(data: bytes) -> str:
    """One of :data:`FORMATS`, from the bytes alone."""
    # a reader's module (and its library) is imported only when the bytes may be its
    if b"%PDF-" in data[:1024]:
        from govreport.readers import pdf

        if pdf.looks_like_pdf(data):
            return "pdf"
    if data.startswith(_OLE2):
        return "doc"
    if data.startswith(b"PK"):
        from govreport.readers import docx

        if docx.looks_like_docx(data):
            return "docx"
    if b"<" in data[:4096]:
        from govreport.readers import html

        if html.looks_like_html(data):
            return "html"
    return "text"


def read(data: bytes | str) -> Document:
    """The intermediate document of a report given as bytes (any format) or text."""
    if isinstance(data, str):
        return text.read(data)
    kind = detect_format(data)
    if kind == "text":
        return text.read(text.decode(data))
    return text.normalise_document(_read_cells(kind, data))


def _read_cells(kind: str, data: bytes) -> Document:
    if kind == "pdf":
        from govreport.readers import pdf

        return pdf.read(data)
    if kind == "html":
        from govreport.readers import html

        return html.read(data)
    from govreport.readers import docx

    if kind == "doc":
        data = docx.convert_legacy(data)
    return docx.read(data)
