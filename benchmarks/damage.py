"""Damage generated reports the ways real extractions do and count the outcome
of every cell: recovered exactly, left ambiguous (candidates listed), left
unresolved (past the search bounds), or wrong — which must never happen.

    python benchmarks/damage.py [--reports N] [--seed S]

Prints one line per damage kind and the slowest parse. Not a test: figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from sample import sample

from govreport import CellState, parse
from govreport.output.serialise import dumps
from govreport.strategies import drop_blank_cells, reports

DAMAGES = {
    "dropped-blanks": lambda r: drop_blank_cells(dumps(r, "pipe")),
    "run-together": lambda r: dumps(r, "run-together"),
}


def draw(n: int, seed: int) -> list:
    return sample(reports(template="2021"), n, seed)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    sample = draw(args.reports, args.seed)
    wrong_total = 0
    for name, damage in DAMAGES.items():
        counts: Counter[str] = Counter()
        tables = Counter()
        slowest = 0.0
        for report in sample:
            text = damage(report)
            start = time.perf_counter()
            parsed = parse(text)
            slowest = max(slowest, time.perf_counter() - start)
            outcome = "exact"
            for path, cell in report.cells():
                got = parsed.cell(path)
                truth = cell.value if cell.state is CellState.NUMBER else None
                if got.state is CellState.AMBIGUOUS:
                    kind = "ambiguous" if got.candidates else "unresolved"
                    if got.candidates and truth not in got.candidates:
                        kind = "wrong"
                elif (got.state, got.value) == (cell.state, cell.value):
                    kind = "exact"
                else:
                    kind = "wrong"
                counts[kind] += 1
                if kind == "wrong":
                    outcome = "wrong"
                elif kind != "exact" and outcome == "exact":
                    outcome = "not exact"
            tables[outcome] += 1
        wrong_total += counts["wrong"]
        print(
            f"{name:15} reports={len(sample)} exact-reports={tables['exact']} "
            f"with-ambiguity={tables['not exact']} wrong-reports={tables['wrong']} | cells: "
            f"exact={counts['exact']} ambiguous={counts['ambiguous']} "
            f"unresolved={counts['unresolved']} wrong={counts['wrong']} | "
            f"slowest parse {slowest:.2f} s"
        )
    return 1 if wrong_total else 0


if __name__ == "__main__":
    sys.exit(main())
