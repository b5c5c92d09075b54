"""The text-shape mechanisms on layouts the corpus does not hold: each seed of
``tools/make_text_shapes.py`` rendered at other font sizes (so labels wrap, tables break
and group-label columns narrow elsewhere), converted by LibreOffice and extracted the four
ways, then parsed and scored against the seed's checked values.

    python benchmarks/shapes_sweep.py [--sizes 9pt,10pt,13pt,14pt] [--seed 000]

Prints per seed, size and extraction: values right / wrong / missing (a cell left
ambiguous with the true value among its candidates counts as kept, not wrong), and the
error when the parse fails. Nothing is written to the corpus. Figures, no assertions.
Needs LibreOffice, poppler-utils and fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_text_shapes as shapes  # noqa: E402

import govreport  # noqa: E402
from govreport import CellState  # noqa: E402


def score(report: govreport.Report, cells: dict) -> tuple[int, int, int, int]:
    """(right, wrong, kept ambiguous, missing) against the seed's plain values."""
    right = wrong = kept = missing = 0
    for path, want in cells.items():
        cell = report.get(path)
        want = None if want == "blank" else want
        if cell is None:
            missing += 1
        elif cell.state is CellState.AMBIGUOUS:
            if want in (cell.candidates or ()):
                kept += 1
            else:
                wrong += 1
        elif cell.state is CellState.BLANK:
            right, wrong = (right + 1, wrong) if want is None else (right, wrong + 1)
        elif cell.state is CellState.PLACEHOLDER:
            right, wrong = (right + 1, wrong) if want == "placeholder" else (right, wrong + 1)
        elif cell.value == want:
            right += 1
        else:
            wrong += 1
    return right, wrong, kept, missing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="9pt,10pt,13pt,14pt")
    ap.add_argument("--seed", default="", help="only seeds whose folder starts so")
    ap.add_argument("--why", action="store_true", help="print why each unread table failed")
    ap.add_argument("--keep", type=Path, help="write each extraction into this folder")
    args = ap.parse_args()
    totals = [0, 0, 0, 0]
    extract = {
        "pdftotext-layout": lambda pdf: shapes.pdftotext(pdf, "layout"),
        "pdftotext-raw": lambda pdf: shapes.pdftotext(pdf, "raw"),
        "pdfplumber-text": shapes.plumber_text,
        "pdfplumber-tables": shapes.plumber_tables,
        "pdf (the file)": None,  # govreport's own PDF reader on the file itself
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for seed in shapes.SEEDS:
            if not seed.case.startswith(args.seed):
                continue
            lines, expected = shapes.load(seed.case)
            body, _ = shapes.blocks(seed, lines, expected)
            cells = {k: shapes.plain(v) for k, v in expected["cells"].items()}
            for size in args.sizes.split(","):
                html = shapes.page(seed, body, expected["cells"], expected["template"], False, size)
                try:
                    pdf = shapes.to_pdf(html, work, f"{seed.stem}_{size}")
                except subprocess.TimeoutExpired:
                    print(f"{seed.case[:3]} {size:>6}: soffice did not finish")
                    continue
                for name, how in extract.items():
                    text = how(pdf) if how else ""
                    data = text.encode("utf-8") if how else Path(pdf).read_bytes()
                    try:
                        report = govreport.parse(data)
                    except govreport.ParseError as exc:
                        print(f"{seed.case[:3]} {size:>6} {name:<18} ERROR {exc.one_line()[:90]}")
                        totals[3] += len(cells)
                        continue
                    got = score(report, cells)
                    totals = [a + b for a, b in zip(totals, got, strict=True)]
                    t2 = sum(1 for f in report.findings if f.code == "T2")
                    print(
                        f"{seed.case[:3]} {size:>6} {name:<18} right {got[0]:3} wrong {got[1]:2} "
                        f"kept {got[2]:3} missing {got[3]:3}" + (f"  T2×{t2}" if t2 else "")
                    )
                    if args.keep and how:
                        out = args.keep / f"{seed.case[:3]}_{size}_{name}.txt"
                        out.write_text(text, encoding="utf-8")
                    for f in report.findings:
                        if f.code == "T2" and args.why:
                            print("      ", f.message.split(": ", 2)[-1][:160])
    print(f"total: right {totals[0]}, wrong {totals[1]}, kept ambiguous {totals[2]}, "
          f"missing {totals[3]}")  # fmt: skip


if __name__ == "__main__":
    main()
