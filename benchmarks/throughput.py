"""Throughput, memory and start-up figures for issue 5's targets. Prints figures; asserts nothing.

    python benchmarks/throughput.py                      # all figures, 1,000-report corpus
    python benchmarks/throughput.py --sizes 1000,10000,100000 --only memory

The synthetic corpus is the corpus's real reports (``corpus/*/input.txt``) rendered with
``govreport.dumps`` in every layout and both scripts, each copy made distinct by a
numbered closing line (so content hashes differ and nothing is skipped as a duplicate).
The reports are seed-sized: about 5–10 KB of text and 200 cells each.

Figures:
* parse: reports/s and MB/s in one process (warm), and the same for a bare regex
  tokenisation pass over the same texts (the floor no parser can beat);
* batch: ``govreport batch`` end to end on all cores, database writes included;
* memory: peak RSS of the batch's parent and of its workers, per corpus size;
* store: peak RSS and rate of the database writes alone, for up to 100,000 reports;
* cold start: wall time of ``govreport parse one.txt`` in a new process;
* lark: time in Lark per report, with the lark-cython plugin if it is installed.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import govreport
from govreport.readers.layouts import LAYOUTS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TOKENS = re.compile(r"\d+(?:\.\d+)?|[^\d\s|\t]+|[|\t]")


def seeds() -> list[govreport.Report]:
    """The corpus's reports that parse with no ambiguous cell (the writers' input)."""
    out = []
    for case in sorted(CORPUS.glob("*/input.txt")):
        report = govreport.parse_file(case)
        if all(c.state is not govreport.CellState.AMBIGUOUS for _, c in report.cells()):
            out.append(report)
    return out


def corpus(n: int, layouts: tuple[str, ...] = ()) -> list[bytes]:
    """``n`` distinct seed-sized report texts across layouts (all, or ``layouts``),
    templates and scripts."""
    bases = [
        govreport.dumps(report, layout=layout, script=script)
        for report in seeds()
        for layout in layouts or tuple(LAYOUTS)
        for script in ("simplified", "traditional")
    ]
    return [f"{bases[i % len(bases)]}\n附：第{i}份\n".encode() for i in range(n)]


def parse_rate(texts: list[bytes], seconds: float = 10.0) -> tuple[float, float, int]:
    """Reports/s and MB/s parsing ``texts`` in this process for about ``seconds``."""
    for t in texts[:20]:
        govreport.parse(t)  # warm: grammars built, OpenCC loaded
    done = size = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = texts[done % len(texts)]
        govreport.parse(t)
        done += 1
        size += len(t)
    elapsed = time.perf_counter() - start
    return done / elapsed, size / elapsed / 1e6, done


def regex_rate(texts: list[bytes]) -> tuple[float, float]:
    """Reports/s and MB/s of decoding and tokenising with one regular expression."""
    start = time.perf_counter()
    rounds = 0
    while time.perf_counter() - start < 3.0:
        for t in texts:
            TOKENS.findall(t.decode("utf-8"))
        rounds += 1
    elapsed = time.perf_counter() - start
    return rounds * len(texts) / elapsed, rounds * sum(map(len, texts)) / elapsed / 1e6


def batch(texts: list[bytes], jobs: int) -> dict[str, float]:
    """Write ``texts`` to files and run ``govreport batch`` on them in a new process."""
    from speed import corpus_folder

    work, folder, db = corpus_folder(texts, "govreport-bench-")
    try:
        probe = (
            "import resource, sys, time; from govreport.batch import run; "
            f"t = time.perf_counter(); s = run([{str(folder)!r}], {str(db)!r}, jobs={jobs}, "
            "progress=False); t = time.perf_counter() - t; "
            "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
            "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
            "print(t, s.parsed, s.failed, me, kids)"
        )
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout.split()
        seconds, parsed, failed, parent_kb, worker_kb = map(float, out)
        return {
            "seconds": seconds,
            "reports_per_s": parsed / seconds,
            "mb_per_s": sum(map(len, texts)) / seconds / 1e6,
            "failed": failed,
            "parent_mb": parent_kb / 1024,
            "worker_mb": worker_kb / 1024,
            "db_mb": db.stat().st_size / 1e6,
        }
    finally:
        shutil.rmtree(work)


def store_memory(texts: list[bytes], n: int) -> dict[str, float]:
    """Peak RSS of writing ``n`` reports' rows to a new database in flushes of
    :data:`govreport.batch.FLUSH_EVERY`, as ``batch``'s parent does — the outcomes of
    ``texts`` replayed under fresh hashes, so no parsing: the database side alone."""
    work = Path(tempfile.mkdtemp(prefix="govreport-store-"))
    probe = f"""
import hashlib, pickle, resource, sys, time
from attrs import evolve
from govreport.batch import FLUSH_EVERY, outcome
from govreport.batch.store import Store
texts = pickle.loads(sys.stdin.buffer.read())
made = [outcome(str(i), t) for i, t in enumerate(texts)]
start = time.perf_counter()
with Store({str(work / "s.duckdb")!r}) as store:
    done = 0
    while done < {n}:
        batch = []
        for i in range(done, min(done + FLUSH_EVERY, {n})):
            o = made[i % len(made)]
            h = hashlib.sha256(str(i).encode()).hexdigest()
            batch.append(evolve(o, hash=h, report=(h, *o.report[1:])))
        store.write(batch, [(o.path + str(i), o.hash, 1, None) for i, o in enumerate(batch)])
        done += len(batch)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    import pickle

    try:
        out = subprocess.run(
            [sys.executable, "-c", probe],
            input=pickle.dumps(texts[:100]),
            capture_output=True,
            check=True,
        ).stdout.split()
        seconds, peak_kb = map(float, out)
        return {"seconds": seconds, "peak_mb": peak_kb / 1024, "reports_per_s": n / seconds}
    finally:
        shutil.rmtree(work)


def cold_start(runs: int = 7) -> list[float]:
    exe = shutil.which("govreport") or ""
    command = [exe] if exe else [sys.executable, "-m", "govreport"]
    sample = CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*command, "parse", str(sample)], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def lark_share(texts: list[bytes]) -> None:
    """Time spent inside Lark per report, with and without lark-cython."""
    from lark import Lark, Transformer, Tree

    import govreport.grammars as grammars

    calls: list[tuple[str, str]] = []
    real = grammars.parser
    parse_text = grammars.parse_text

    def spy(name: str, text: str, on_error=None):
        calls.append((name, text))
        return parse_text(name, text, on_error)

    modules = [
        sys.modules[m]
        for m in ("govreport.readers.layouts", "govreport.tables", "govreport.pipeline")
    ]
    for m in modules:
        m.parse_text = spy
    try:
        for t in texts[:50]:
            govreport.parse(t)
    finally:
        for m in modules:
            m.parse_text = parse_text
    reports = 50

    def timed(make) -> float:
        parsers = {name: make(name) for name, _ in calls}
        start = time.perf_counter()
        for name, text in calls:
            parsers[name].parse(text)
        return (time.perf_counter() - start) / reports * 1000

    print(f"lark: {len(calls) / reports:.1f} Lark parses per report")
    print(f"lark: {timed(real):.2f} ms per report in Lark (LALR, contextual lexer, cached)")

    class Discard(Transformer):
        """The cheapest inline transformer: the floor of a tree-less parse."""

        def __default__(self, data, children, meta):
            return Tree(data, [])

    def variant(**options):
        """Lark parsers built as ours are, with ``options`` added."""

        def make(name: str) -> Lark:
            return Lark.open(
                str(grammars.grammar_path(name)),
                parser="lalr",
                lexer="contextual",
                maybe_placeholders=False,
                import_paths=[str(grammars.grammar_dir())],
                **options,
            )

        return make

    treeless = variant(transformer=Discard())

    print(
        f"lark: {timed(treeless):.2f} ms per report with an inline transformer that builds nothing"
    )
    try:
        import lark_cython
    except ImportError:
        print("lark: lark-cython not installed (pip install lark-cython to compare)")
        return

    cython = variant(_plugins=lark_cython.plugins)

    print(f"lark: {timed(cython):.2f} ms per report in Lark with lark-cython")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=1000, help="corpus size for parse/batch")
    ap.add_argument("--sizes", default="1000,5000", help="corpus sizes for the memory figure")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    figures = ("parse", "batch", "memory", "store", "cold", "lark")
    ap.add_argument("--only", choices=figures, action="append", help="only these figures")
    ap.add_argument(
        "--store-sizes", default="1000,10000,100000", help="report counts for the store figure"
    )
    args = ap.parse_args()
    only = set(args.only or figures)
    texts = corpus(args.reports)
    mean_kb = statistics.mean(map(len, texts)) / 1024
    print(
        f"corpus: {len(texts)} reports, mean {mean_kb:.1f} KB, {len(LAYOUTS)} layouts × 2 scripts"
    )
    if "parse" in only:
        rate, mb, n = parse_rate(texts)
        floor, floor_mb = regex_rate(texts)
        print(f"parse: {rate:.0f} reports/s, {mb:.2f} MB/s in one process ({n} parses)")
        print(
            f"regex floor: {floor:.0f} reports/s, {floor_mb:.1f} MB/s; "
            f"parse is {floor / rate:.0f}× slower"
        )
        for layout in LAYOUTS:
            rate, mb, n = parse_rate(corpus(100, (layout,)), seconds=3.0)
            print(f"parse: {layout}: {rate:.0f} reports/s, {mb:.2f} MB/s")
    if "lark" in only:
        lark_share(texts)
    if "batch" in only:
        b = batch(texts, args.jobs)
        print(
            f"batch: {b['reports_per_s']:.0f} reports/s, {b['mb_per_s']:.2f} MB/s on {args.jobs} "
            f"processes incl. database writes ({len(texts)} reports in {b['seconds']:.1f} s, "
            f"{b['failed']:.0f} failed; database {b['db_mb']:.1f} MB)"
        )
    if "memory" in only:
        for size in (int(s) for s in args.sizes.split(",")):
            b = batch(corpus(size), args.jobs)
            print(
                f"memory: {size} reports: peak RSS parent {b['parent_mb']:.0f} MB, "
                f"largest worker {b['worker_mb']:.0f} MB ({b['reports_per_s']:.0f} reports/s)"
            )
    if "store" in only:
        for size in (int(s) for s in args.store_sizes.split(",")):
            m = store_memory(texts, size)
            print(
                f"store: {size} reports written (no parsing): peak RSS {m['peak_mb']:.0f} MB, "
                f"{m['reports_per_s']:.0f} reports/s of database writes"
            )
    if "cold" in only:
        times = cold_start()
        print(
            f"cold start: govreport parse one.txt: median {statistics.median(times):.2f} s, "
            f"min {min(times):.2f} s, max {max(times):.2f} s ({len(times)} runs)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this script's own peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
