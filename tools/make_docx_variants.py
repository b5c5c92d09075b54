"""PDFs of the seeds' DOCX as agencies lay their tables out otherwise, for the extraction tools.

``tools/make_documents.py`` writes each seed's report as a DOCX with centred values and a
4.2 cm label column in section 三. Agencies' documents differ: values left-aligned in their
cells (they then stand against the label column, and PDF tools glue labels to counts) and
narrower label columns (labels wrap over two or three lines, the merged group labels'
pieces land on the values' lines). This writes, for every seed and each label-column
width, the DOCX with left-aligned values converted to PDF by LibreOffice:

    .venv/bin/python tools/make_docx_variants.py OUT [--label-cm 4.2,3.4]
    .venv/bin/python benchmarks/tools.py --pdf OUT/002_label3.4.pdf=002 …

``OUT/<seed>_label<cm>.pdf``, scored against the seed's case (its first three digits). The
corpus's cases 277–280 are extractions of these PDFs. Nothing is written to the corpus.
Needs LibreOffice (``soffice``) and fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_documents as md
from docx.enum.text import WD_ALIGN_PARAGRAPH


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--label-cm", default="4.2,3.4", help="section 三's label column widths")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    md.VALUE_ALIGNMENT = WD_ALIGN_PARAGRAPH.LEFT
    for width in (float(w) for w in args.label_cm.split(",")):
        md.APPLICATIONS_LABEL_CM = width
        for seed in md.SEEDS:
            seed_dir = md.CORPUS / seed.case
            expected = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
            content = md.load_content(seed_dir, expected)
            cells = md.resolved_cells(expected["cells"])
            data = md.build_docx(content, md.printed_cells(seed_dir, cells))
            with tempfile.TemporaryDirectory() as tmp:
                pdf = md.convert(data, "pdf", Path(tmp))
            target = args.out / f"{seed.case[:3]}_label{width}.pdf"
            target.write_bytes(pdf)
            print(target)


if __name__ == "__main__":
    main()
