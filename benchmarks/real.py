"""Figures for the real-world suite (``../shared/real/``): how much of each real report is read.

    python benchmarks/real.py [--runs 3] [--only pt0] [--json figures.json] [--real DIR]

One line per input: determinable values right / wrong / missing, expected-ambiguous cells
kept (reported ambiguous or inferred) and violations (asserted), source errors found of
those listed, cells given that the expected file does not list (extra), and the median
parse time of ``--runs`` runs. A file that raises gets its error on the next line and all
its values counted as missing. Then the totals. Scoring rules: ``tests/real.py``.
Not a test: figures, no assertions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.real

from govreport import parse_file  # noqa: E402
from tests.real import RealCase, Score, cases, load_expected, real_dir, score, unparsed  # noqa: E402

HEADER = (
    f"{'file':<36} {'values':>6} {'right':>6} {'wrong':>6} {'miss':>6} "
    f"{'amb':>4} {'kept':>4} {'viol':>4} {'src-err':>7} {'extra':>5} {'ms':>8}"
)


def measure(case: RealCase, runs: int) -> dict[str, Any]:
    """Score one input and time its parse (median of ``runs``); the error if it raises."""
    expected = load_expected(case.expected)
    times: list[float] = []
    error: str | None = None
    result: Score
    try:
        for _ in range(runs):
            start = time.perf_counter()
            report = parse_file(case.input)
            times.append(time.perf_counter() - start)
        result = score(report, expected)
    except Exception as exc:
        error = " ".join(f"{type(exc).__name__}: {exc}".split())
        result = unparsed(expected)
    return {
        "id": case.id,
        "kind": case.kind,
        **result.figures(),
        "metadata": [str(m) for m in result.metadata],
        "parse_ms": statistics.median(times) * 1000 if times and error is None else None,
        "error": error,
    }


def line(name: str, f: dict[str, Any]) -> str:
    ms = "-" if f["parse_ms"] is None else f"{f['parse_ms']:.1f}"
    errors = f"{f['source_errors_found']}/{f['source_errors']}"
    return (
        f"{name:<36} {f['values']:>6} {f['right']:>6} {f['wrong']:>6} {f['missing']:>6} "
        f"{f['ambiguous']:>4} {f['ambiguous_kept']:>4} {f['violations']:>4} {errors:>7} "
        f"{f['extra']:>5} {ms:>8}"
    )


def total(figures: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k, v in figures[0].items() if isinstance(v, int) and k != "parse_ms"]
    out: dict[str, Any] = {k: sum(f[k] for f in figures) for k in keys}
    timed = [f["parse_ms"] for f in figures if f["parse_ms"] is not None]
    out["parse_ms"] = sum(timed) if timed else None
    out["files"] = len(figures)
    out["parsed"] = sum(f["error"] is None for f in figures)
    out["metadata_right"] = sum(f["error"] is None and not f["metadata"] for f in figures)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--runs", type=int, default=3, help="parses per file; the median is shown")
    ap.add_argument("--only", help="only inputs whose id contains this")
    ap.add_argument("--json", type=Path, help="also write the per-file figures here")
    ap.add_argument(
        "--real",
        type=Path,
        help="the real-world folder (default: $GOVREPORT_REAL or ../shared/real)",
    )
    args = ap.parse_args()
    root = args.real or real_dir()
    found = [c for c in cases(root) if not args.only or args.only in c.id]
    if not found:
        print(f"no inputs under {root}")
        return 0
    print(HEADER)
    figures = []
    for case in found:
        f = measure(case, max(1, args.runs))
        figures.append(f)
        print(line(case.id, f))
        if f["error"]:
            print(f"    error: {f['error'][:160]}")
        elif f["metadata"]:
            print(f"    metadata: {'; '.join(f['metadata'])[:160]}")
    sums = total(figures)
    print(line("total", sums))
    print(
        f"files {sums['files']}, parsed {sums['parsed']}, metadata right {sums['metadata_right']}; "
        f"values right {sums['right']} of {sums['values']} "
        f"({100 * sums['right'] / max(1, sums['values']):.1f}%)"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"files": figures, "total": sums}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
