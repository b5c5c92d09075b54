"""Page images of a PDF report, embedded as ``data:`` URIs.

Each page is rendered once (pdfplumber, which renders with pypdfium2); the report page
shows it beside the source with the table cells boxed, and every cell's tooltip shows
its region of the page — the same image, cropped with CSS — so that a PDF cell can be
checked against what the PDF prints. Rendering is skipped cleanly (``None``) when the
PDF cannot be rendered.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Iterable

from attrs import frozen

__all__ = ["PageImage", "render_pages"]


@frozen
class PageImage:
    """One rendered page: its number (1-based), its size in PDF points, the scale of
    the image (pixels per point) and the image as a ``data:`` URI."""

    number: int
    width: float
    height: float
    scale: float
    uri: str


def render_pages(
    pdf: bytes | str | os.PathLike[str],
    pages: Iterable[int] | None = None,
    *,
    resolution: int = 144,
    max_pages: int = 40,
) -> list[PageImage] | None:
    """The pages of ``pdf`` (bytes or a path) as grayscale PNG images; ``pages`` selects
    pages (1-based; default all, at most ``max_pages``). ``None`` if rendering fails."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a core dependency
        return None
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else os.fspath(pdf)
    wanted = None if pages is None else set(pages)
    out: list[PageImage] = []
    try:
        with pdfplumber.open(source) as doc:
            for number, pg in enumerate(doc.pages, start=1):
                if wanted is not None and number not in wanted:
                    continue
                if len(out) >= max_pages:
                    break
                image = pg.to_image(resolution=resolution).original.convert("L")
                buffer = io.BytesIO()
                image.save(buffer, "PNG", optimize=True)
                uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
                out.append(
                    PageImage(
                        number, float(pg.width), float(pg.height), image.width / pg.width, uri
                    )
                )
    except Exception:  # a PDF pdfplumber read but pdfium cannot draw: no images
        return None
    return out
