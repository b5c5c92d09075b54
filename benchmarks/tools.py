"""How much of a report each PDF text-extraction tool's output lets govreport read.

    python benchmarks/tools.py                      # the corpus's PDFs, every tool installed
    python benchmarks/tools.py --pdf page.pdf=212   # and another PDF, scored as case 212
    python benchmarks/tools.py --only pypdf_plain,pdftotext_layout --keep OUT

Each PDF is extracted with each tool the way a user calls it (one function per tool
below), the text parsed, and every cell of the expected file scored: right (the value,
or blank, as expected), wrong (a number that is not the expected one, or blank where a
value is expected) and missing (absent or ambiguous). The corpus's PDFs are its
``input.pdf`` cases, each scored against its own ``expected.json``; ``--pdf PDF=CASE``
adds another (``tools/make_text_shapes.py --keep DIR`` keeps the PDFs of rendered pages,
scored against the seed's text-shape cases, e.g. 202, 212, 222, 242). Tools that are not
installed (a Python package or ``pdftotext``) are skipped and named. The README's table
("Extracting the text yourself?") is this script's totals. Figures, no assertions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport import CellState, ParseError, parse  # noqa: E402


def pdftotext_layout(pdf: str) -> str:
    return _run(["pdftotext", "-layout", pdf, "-"])


def pdftotext_raw(pdf: str) -> str:
    return _run(["pdftotext", "-raw", pdf, "-"])


def pdftotext_default(pdf: str) -> str:
    return _run(["pdftotext", pdf, "-"])


def pdfplumber_text(pdf: str) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() for page in doc.pages)


def pdfplumber_layout(pdf: str) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text(layout=True) for page in doc.pages)


def pymupdf_text(pdf: str) -> str:
    import pymupdf

    return "".join(page.get_text() for page in pymupdf.open(pdf))


def pymupdf_sorted(pdf: str) -> str:
    import pymupdf

    return "\n".join(page.get_text(sort=True) for page in pymupdf.open(pdf))


def pymupdf_sorted_unjoined(pdf: str) -> str:
    import pymupdf

    return "".join(page.get_text(sort=True) for page in pymupdf.open(pdf))


def pymupdf4llm_markdown(pdf: str) -> str:
    import pymupdf4llm

    return pymupdf4llm.to_markdown(pdf)


def pypdf_plain(pdf: str) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def pypdf_layout(pdf: str) -> str:
    from pypdf import PdfReader

    pages = PdfReader(pdf).pages
    return "\n".join(page.extract_text(extraction_mode="layout") for page in pages)


def pypdfium2_text(pdf: str) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def pdfminer_text(pdf: str) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(pdf)


def markitdown_pdf(pdf: str) -> str:
    from markitdown import MarkItDown

    return MarkItDown().convert(pdf).text_content


TOOLS: dict[str, Callable[[str], str]] = {
    f.__name__: f
    for f in (
        pdftotext_layout, pdftotext_raw, pdftotext_default, pdfplumber_text,
        pdfplumber_layout, pymupdf_text, pymupdf_sorted, pymupdf_sorted_unjoined,
        pymupdf4llm_markdown, pypdf_plain, pypdf_layout, pypdfium2_text, pdfminer_text,
        markitdown_pdf,
    )
}  # fmt: skip


def _run(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        raise ModuleNotFoundError(command[0])
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def expected_cells(case: Path) -> dict[str, object]:
    """The case's cells as values (``"blank"`` for a blank), its ambiguous ones left out."""
    cells = json.loads((case / "expected.json").read_text(encoding="utf-8"))["cells"]
    out = {}
    for path, value in cells.items():
        if isinstance(value, dict):
            if "value" not in value:
                continue  # expected ambiguous: nothing to score
            value = value["value"]
        out[path] = value
    return out


def score(text: str, expected: dict[str, object]) -> tuple[Counter, str]:
    counts: Counter = Counter()
    try:
        report = parse(text)
    except ParseError as exc:
        counts["missing"] = len(expected)
        return counts, f"{type(exc).__name__}: {str(exc)[:60]}"
    for path, want in expected.items():
        cell = report.get(path)
        if cell is None or cell.state in (CellState.AMBIGUOUS, CellState.PLACEHOLDER):
            counts["missing"] += 1
        elif cell.state is CellState.BLANK:
            counts["right" if want == "blank" else "wrong"] += 1
        else:
            counts["right" if cell.value == want else "wrong"] += 1
    codes = Counter(f.code for f in report.findings if f.code[:2] in {"T1", "T2", "R2", "R4"})
    return counts, " ".join(f"{c}×{n}" for c, n in sorted(codes.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdf", action="append", default=[], help="PDF=CASE (a corpus case)")
    parser.add_argument("--only", help="comma-separated tool names")
    parser.add_argument("--keep", type=Path, help="write each extraction here")
    args = parser.parse_args()
    corpus = ROOT / "corpus"
    pdfs = [(pdf, pdf.parent) for pdf in sorted(corpus.glob("*/input.pdf"))]
    for pair in args.pdf:
        pdf, _, number = pair.partition("=")
        case = next(corpus.glob(f"{number}_*"), None)
        if case is None:
            parser.error(f"no corpus case {number!r} for {pdf}")
        pdfs.append((Path(pdf), case))
    tools = {k: v for k, v in TOOLS.items() if not args.only or k in args.only.split(",")}
    totals: dict[str, Counter] = {name: Counter() for name in tools}
    skipped: set[str] = set()
    print(f"{'pdf':<44} {'tool':<24} {'right':>5} {'wrong':>5} {'miss':>5}  findings")
    for pdf, case in pdfs:
        expected = expected_cells(case)
        for name, extract in tools.items():
            if name in skipped:
                continue
            try:
                text = extract(str(pdf))
            except (ModuleNotFoundError, ImportError):
                skipped.add(name)
                continue
            if args.keep:
                (args.keep / pdf.stem).mkdir(parents=True, exist_ok=True)
                (args.keep / pdf.stem / f"{name}.txt").write_text(text, encoding="utf-8")
            counts, note = score(text, expected)
            totals[name] += counts
            label = f"{case.name[:3]} {pdf.name}"[:44]
            print(
                f"{label:<44} {name:<24} {counts['right']:>5} {counts['wrong']:>5} "
                f"{counts['missing']:>5}  {note}"
            )
    print(f"\n{'total':<44} {'tool':<24} {'right':>5} {'wrong':>5} {'miss':>5}")
    for name, counts in sorted(totals.items(), key=lambda kv: -kv[1]["right"]):
        if name not in skipped:
            print(
                f"{'':<44} {name:<24} {counts['right']:>5} {counts['wrong']:>5} "
                f"{counts['missing']:>5}"
            )
    if skipped:
        print(f"\nnot installed, skipped: {', '.join(sorted(skipped))}")


if __name__ == "__main__":
    main()
