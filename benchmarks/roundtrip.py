"""Round trip on generated reports: ``parse(dumps(report, layout, script)) == report``
for every layout that ``govreport.output.serialise`` writes, both templates, both scripts.

    python benchmarks/roundtrip.py [--reports N] [--seed S] [--out DIR] [--layouts a,b]

``N`` reports are drawn per template (a third each: arithmetic holds, arbitrary
values, arbitrary values with blanks and placeholders — see
``govreport.strategies``; with ``--consistent`` only the first kind, the scope in
which run-together and space-aligned promise values or ambiguity); each is
written in every layout and both scripts, so a layout gets ``4 N`` round trips
(parse times are CPU seconds). Outcomes:

* ``exact``      the parsed report equals the one written;
* ``honest``     not equal, but every cell is either read as written or left
  ``ambiguous`` with the written value among its candidates (empty candidates:
  unresolved) — allowed only where the layout says extractions drop blank cells
  (``may_drop_blanks``, so a value followed by blanks may honestly be read
  elsewhere), for ``run-together``, whose values are placed by arithmetic, and
  for ``space-aligned``, where a blank cell prints nothing;
* ``unwritable`` ``dumps`` refused (run-together cannot write signed, unit or
  placeholder values) — not a failure;
* ``failed``     anything else: a wrong value, a different section or year, an
  exception. Each failure is written to ``--out`` with the report's repr.

Until b0d01ca a ``-`` cell followed by a number cell read as one signed value,
so ``-`` was left out of the arbitrary reports (the 10,000-per-layout runs of tab,
markdown and the one-cell-per-line layouts were made at 609ce69, without it); now every
placeholder is drawn. The last figures are in ``docs/strategies.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import strategies as st
from sample import sample

from govreport import CellState, parse
from govreport.output.serialise import dumps
from govreport.readers.layouts import LAYOUTS
from govreport.spec.dictionary import TEMPLATES
from govreport.strategies import PLACEHOLDERS, arbitrary_reports, reports

SCRIPTS = ("simplified", "traditional")


def honest_layouts() -> set[str]:
    """The layouts serialise's docstring lets read back ambiguous."""
    dropping = {name for name, layout in LAYOUTS.items() if layout.may_drop_blanks}
    return dropping | {"run-together", "space-aligned"}


def draw(template: str, n: int, seed_value: int, consistent: bool = False) -> list:
    strategy = st.one_of(
        reports(template=template, consistent=True),
        reports(template=template, consistent=False),
        arbitrary_reports(template=template, placeholders=PLACEHOLDERS),
    )
    if consistent:
        strategy = reports(template=template, consistent=True)

    return sample(strategy, n, seed_value)


def outcome(report, text: str) -> tuple[str, str]:
    try:
        again = parse(text)
    except Exception:
        return "failed", traceback.format_exc()
    if again == report:
        return "exact", ""
    whole = ("template", "year", "agency", "sections", "preamble")
    differ = [k for k in whole if getattr(again, k) != getattr(report, k)]
    if differ:
        return "failed", f"differs in {differ}"
    for path, cell in report.cells():
        got = again.cell(path)
        if got.state is CellState.AMBIGUOUS:
            truth = cell.value if cell.state is CellState.NUMBER else None
            if cell.state is CellState.PLACEHOLDER:
                truth = cell.raw or "/"
            if got.candidates and truth not in got.candidates:
                return "failed", f"{path}: wrote {cell}, read {got}"
        elif (got.state, got.value) != (cell.state, cell.value):
            return "failed", f"{path}: wrote {cell}, read {got}"
    return "honest", ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=250, help="reports drawn per template")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("/tmp/govreport-roundtrip"))
    ap.add_argument("--layouts", help="comma-separated layout names (default: every writer)")
    ap.add_argument(
        "--consistent",
        action="store_true",
        help="only reports whose arithmetic holds (the scope of run-together and space-aligned)",
    )
    args = ap.parse_args()
    layouts = args.layouts.split(",") if args.layouts else sorted(LAYOUTS)
    unknown = set(layouts) - set(LAYOUTS)
    if unknown:
        ap.error(f"no writer for {', '.join(sorted(unknown))}; known: {', '.join(LAYOUTS)}")
    honest_ok = honest_layouts()
    counts: dict[tuple[str, str, str], Counter[str]] = {}
    slowest = (0.0, "")
    seconds: Counter[str] = Counter()
    failures = 0
    start = time.perf_counter()
    for template in sorted(TEMPLATES):
        drawn_at = time.perf_counter()
        sample = draw(template, args.reports, args.seed, args.consistent)
        print(
            f"template {template}: drew {len(sample)} reports in "
            f"{time.perf_counter() - drawn_at:.0f} s",
            flush=True,
        )
        for i, report in enumerate(sample):
            for layout in layouts:
                for script in SCRIPTS:
                    c = counts.setdefault((layout, template, script), Counter())
                    try:
                        text = dumps(report, layout, script)
                    except ValueError:
                        c["unwritable"] += 1
                        continue
                    began = time.process_time()
                    kind, why = outcome(report, text)
                    took = time.process_time() - began
                    seconds[layout] += took
                    slowest = max(slowest, (took, f"{layout}/{template}/{script}"))
                    if kind == "honest" and layout not in honest_ok:
                        kind, why = "failed", "not equal (this layout must read back exactly)"
                    c[kind] += 1
                    if kind == "failed":
                        failures += 1
                        if failures <= 50:
                            args.out.mkdir(parents=True, exist_ok=True)
                            name = f"{layout}-{template}-{script}-{i}"
                            (args.out / f"{name}.txt").write_text(text, encoding="utf-8")
                            (args.out / f"{name}.why").write_text(
                                f"{why}\n\n{report!r}\n", encoding="utf-8"
                            )
            if (i + 1) % 250 == 0:
                print(
                    f"  {template}: {i + 1} reports, {time.perf_counter() - start:.0f} s, "
                    f"failures {failures}",
                    flush=True,
                )
    elapsed = time.perf_counter() - start
    print(f"\n== {elapsed:.0f} s wall; slowest parse {slowest[0]:.2f} s ({slowest[1]}) ==")
    kinds = ("exact", "honest", "unwritable", "failed")
    print(f"{'layout':24} {'template':8} {'script':11} " + " ".join(f"{k:>10}" for k in kinds))
    totals: dict[str, Counter[str]] = {}
    for (layout, template, script), c in sorted(counts.items()):
        totals.setdefault(layout, Counter()).update(c)
        print(f"{layout:24} {template:8} {script:11} " + " ".join(f"{c[k]:10}" for k in kinds))
    print("\nper layout (all templates and scripts):")
    for layout, c in sorted(totals.items()):
        total = sum(c.values())
        print(
            f"{layout:24} {total:6} round trips: "
            + ", ".join(f"{k} {c[k]}" for k in kinds)
            + f"; parse {seconds[layout]:.0f} s"
        )
    print(f"failed: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
