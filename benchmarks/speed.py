"""Issue 14's figures in one run: parse speed on real text, where it goes, and batch.

    python benchmarks/speed.py                     # parse figures and batch on 400 reports
    python benchmarks/speed.py --memory 10000,100000   # and batch peak memory at those sizes
    python benchmarks/speed.py --only memory --memory 10000,100000   # that alone
    python benchmarks/speed.py --only parse        # parse figures only
    python benchmarks/speed.py --corpus OTHER/corpus   # another checkout's cases (before/after)
    python benchmarks/speed.py --before OTHER          # before/after table: OTHER's code, then this
    python benchmarks/speed.py --only instructions --before OTHER   # the same, counted by valgrind

``GOVREPORT_REAL`` names the real-world folder (default ``../shared/real``).

Figures (no assertions; CPU time of this process, so another process on the machine
slows them less than wall time would):
* parse: ms per report (median and mean of each input's fastest of ``--runs``), cold
  (placement's cache of digit-run readings emptied before each parse) and warm (kept,
  as a batch worker keeps it, so a run seen before is not split again), on the
  real suite (``../shared/real/``: crawler text and PDF text extractions), on the
  corpus's text inputs, and on seed 003 (damaged tables), with lark-cython when it is
  installed and with Lark's pure-Python parser (``GOVREPORT_PURE_PYTHON``);
* floor: the same texts decoded and tokenised by one regular expression, and how many
  times slower the parse is;
* stages: each stage's share of the parse time;
* batch: ``govreport batch`` timed as a whole command on ``--reports`` distinct real-text
  reports (the real and corpus texts, each copy made distinct by a numbered closing line),
  with 1 and 2 jobs, DuckDB writes included; and on one report, for the cost of starting
  and finishing a batch (imports, the workers' start and first parse, the database);
* batch, where the time goes: each worker's own parse time (``reports.seconds``) against
  the command's, and the ceiling — the bare parse in one process, then in two at once
  (no batch, no database): what two cores of this machine give the parse itself;
* memory: peak RSS of the batch command's parent and largest worker for each size, and
  the parent's floor (what it has imported and opened before any report);
* before/after (``--before OTHER``): the parse figures of another checkout's code (an
  earlier commit in a ``git worktree``) and of this one on the same inputs, measured in
  alternating rounds of one run so that the machine's drift falls on both alike;
* instructions (``--only instructions``, needs valgrind): machine instructions per warm
  parse, counted by cachegrind, of this checkout (and of ``--before``) — a count that
  does not drift with the machine's load, for changes smaller than its noise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import govreport  # noqa: E402
from govreport import checks, grammars, placement, readers, tables  # noqa: E402
from govreport import pipeline as pipeline_module  # noqa: E402
from govreport.readers import layouts  # noqa: E402
from govreport.structure import metadata, narrative  # noqa: E402

REAL = Path(os.environ.get("GOVREPORT_REAL", ROOT.parent / "shared" / "real"))
CORPUS = ROOT / "corpus"  #: --corpus sets it
TOKENS = re.compile(r"\d+(?:\.\d+)?|[^\d\s|\t]+|[|\t]")


def real_texts() -> list[Path]:
    return sorted((REAL / "crawler-text").glob("*.txt")) + sorted((REAL / "pdf").glob("*.txt"))


def corpus_texts() -> list[Path]:
    return sorted(CORPUS.glob("[0-9]*/input.txt"))


def fastest(data: bytes, runs: int, cold: bool = True) -> float | None:
    """The fastest of ``runs`` parses of ``data``, in CPU ms (None if it does not parse).

    ``cold``: each parse starts with placement's cache of digit-run readings empty, as
    the first report of a process would (a batch keeps it: ``cold=False``)."""
    try:
        govreport.parse(data)
    except govreport.ParseError:
        return None
    best = float("inf")
    for _ in range(runs):
        if cold:
            placement.clear_caches()
        start = time.process_time()
        govreport.parse(data)
        best = min(best, time.process_time() - start)
    return best * 1000


def parse_figures(runs: int) -> None:
    groups = {
        "real suite": real_texts(),
        "corpus text": corpus_texts(),
        "seed 003": sorted(CORPUS.glob("003_*/input.txt")),
    }
    modes = ["pure"] + (["lark-cython"] if getattr(grammars, "lark_cython", None) else [])
    for mode in modes:
        if mode == "pure":
            os.environ["GOVREPORT_PURE_PYTHON"] = "1"
        else:
            os.environ.pop("GOVREPORT_PURE_PYTHON", None)
        for name, files in groups.items():
            if not files:
                print(f"parse [{mode}] {name}: no inputs (is ../shared/real/ there?)")
                continue
            for cold in (True, False):
                times = [t for f in files if (t := fastest(f.read_bytes(), runs, cold)) is not None]
                print(
                    f"parse [{mode}, {'cold' if cold else 'warm'}] {name}: median "
                    f"{statistics.median(times):.2f} ms/report, "
                    f"mean {statistics.mean(times):.2f}, max {max(times):.1f} "
                    f"({len(times)} of {len(files)} inputs parse; "
                    f"{1000 / statistics.median(times):.0f} reports/s at the median)"
                )
    texts = [f.read_bytes() for f in (*groups["real suite"], *groups["corpus text"])]
    start = time.process_time()
    for _ in range(20):
        for t in texts:
            TOKENS.findall(t.decode("utf-8", "replace"))
    floor = (time.process_time() - start) / 20 / len(texts) * 1000
    parse = statistics.mean(fastest(t, 3) or 0 for t in texts)
    print(
        f"floor: decode + one-regex tokenisation {floor:.3f} ms/report; "
        f"the parse (mean {parse:.2f} ms) is {parse / floor:.0f}× that"
    )


#: Run in a fresh interpreter by ``--before``: parse each file with the govreport found at
#: argv[1], cold, the fastest of argv[2] parses, and print CPU ms by file as JSON.
_TIMED_PARSES = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import govreport
from govreport import placement
clear = getattr(placement, "clear_caches", lambda: None)
out = {}
for name in sys.argv[3:]:
    data = open(name, "rb").read()
    try:
        govreport.parse(data)
    except govreport.ParseError:
        continue
    best = float("inf")
    for _ in range(int(sys.argv[2])):
        clear()
        start = time.process_time()
        govreport.parse(data)
        best = min(best, time.process_time() - start)
    out[name] = best * 1000
print(json.dumps(out))
"""


#: Parses each input once (the warm-up: grammars built, caches filled), then as many
#: times again as ``sys.argv[2]`` says (0 or 1).
_COUNTED_PARSES = """
import sys
sys.path.insert(0, sys.argv[1])
import govreport
data = [open(name, "rb").read() for name in sys.argv[3:]]
for _ in range(1 + int(sys.argv[2])):
    for d in data:
        try:
            govreport.parse(d)
        except govreport.ParseError:
            pass
"""


def instructions(roots: dict[str, Path], files: list[Path]) -> dict[str, float] | None:
    """Machine instructions per parse of ``files`` for each checkout of ``roots``
    (pure Python, warm), counted by valgrind's cachegrind: a count does not drift with
    the machine's load as times do. None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    env = dict(os.environ, GOVREPORT_PURE_PYTHON="1", PYTHONHASHSEED="0")
    out = {}
    for side, root in roots.items():
        counts = []
        for again in (0, 1):  # the parse's count is the difference
            run = subprocess.run(
                [valgrind, "--tool=cachegrind", "--cache-sim=no",
                 "--cachegrind-out-file=/dev/null", sys.executable, "-c", _COUNTED_PARSES,
                 str(root), str(again), *map(str, files)],
                capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(),
            )  # fmt: skip
            found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
            if found is None:
                return None
            counts.append(int(found.group(1).replace(",", "")))
        out[side] = (counts[1] - counts[0]) / len(files)
    return out


def instruction_figures(before: Path | None) -> None:
    files = [*real_texts(), *corpus_texts()[::3]]
    roots = {"this checkout": ROOT} if before is None else {"before": before, "after": ROOT}
    counts = instructions(roots, files)
    if counts is None:
        print("instructions: valgrind is not installed (apt-get install valgrind)")
        return
    line = ", ".join(f"{side} {n / 1e6:.1f} M" for side, n in counts.items())
    ratio = f" (after/before {counts['after'] / counts['before']:.3f})" if before else ""
    print(f"instructions: per warm parse of {len(files)} inputs (the real suite and every "
          f"third corpus text; pure Python), counted by cachegrind: {line}{ratio}")  # fmt: skip


def before_after(before: Path, runs: int, rounds: int = 3) -> None:
    """The parse figures of ``before``'s code and this checkout's, from alternating rounds
    (each input's fastest over all rounds), pure Python and cold, on the same inputs."""
    groups = {
        "real suite": real_texts(),
        "corpus text": corpus_texts(),
        "seed 003": sorted(CORPUS.glob("003_*/input.txt")),
    }
    files = [str(f) for fs in groups.values() for f in fs]
    env = dict(os.environ, GOVREPORT_PURE_PYTHON="1")
    best: dict[str, dict[str, float]] = {"before": {}, "after": {}}
    for _ in range(rounds):
        for side, root in (("before", before.resolve()), ("after", ROOT)):
            run = subprocess.run(
                [sys.executable, "-c", _TIMED_PARSES, str(root), str(runs), *files],
                capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(),
            )  # fmt: skip
            for name, ms in json.loads(run.stdout or "{}").items():
                best[side][name] = min(best[side].get(name, float("inf")), ms)
    print(f"before/after: {before} → this checkout (CPU ms per report, pure Python, cold)")
    for name, fs in groups.items():
        row = []
        for side in ("before", "after"):
            times = [best[side][str(f)] for f in fs if str(f) in best[side]]
            row.append(
                f"median {statistics.median(times):6.2f}, mean {statistics.mean(times):6.2f}"
                if times
                else "no inputs"
            )
        print(f"before/after: {name:<12} before {row[0]}  |  after {row[1]}")


def stage_figures() -> None:
    """Each stage's share of the parse of the real and corpus texts."""
    spent: dict[str, float] = defaultdict(float)

    def timed(owner: object, name: str, label: str) -> Callable[[], None]:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - start

        setattr(owner, name, wrapper)
        return lambda: setattr(owner, name, original)

    undo = [
        timed(readers, "read", "reader (decode, normalise, re-flow)"),
        timed(pipeline_module, "_skeleton", "skeleton grammar"),
        timed(layouts, "stream", "layout grammar (cell stream)"),
        timed(tables, "read", "table grammar (printed rows)"),
        timed(placement, "place", "placement"),
        timed(checks, "check", "checks"),
        timed(metadata, "find", "metadata"),
        timed(narrative, "pins", "narrative figures"),
    ]
    texts = [f.read_bytes() for f in (*real_texts(), *corpus_texts())]
    ok = []
    for t in texts:
        try:
            govreport.parse(t)
            ok.append(t)
        except govreport.ParseError:
            pass
    spent.clear()
    start = time.process_time()
    for t in ok:
        placement.clear_caches()  # cold, as the parse figures' first line
        govreport.parse(t)
    total = time.process_time() - start
    for restore in undo:
        restore()
    # the table grammar's time includes nothing of the layout's: they are called apart
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"stages: {label:<38} {seconds / total:6.1%}  {seconds / len(ok) * 1000:6.2f} ms")
    rest = total - sum(spent.values())
    print(f"stages: {'the rest (pipeline, model, findings)':<38} {rest / total:6.1%}  "
          f"{rest / len(ok) * 1000:6.2f} ms")  # fmt: skip


def distinct_reports(n: int) -> list[bytes]:
    """``n`` distinct real-text reports: the real and corpus texts that parse, each copy
    made distinct by a numbered closing line."""
    bases = []
    for f in (*real_texts(), *corpus_texts()):
        data = f.read_bytes()
        try:
            govreport.parse(data)
        except govreport.ParseError:
            continue
        bases.append(data.decode("utf-8"))
    return [f"{bases[i % len(bases)]}\n附：第{i}份\n".encode() for i in range(n)]


def bare_parse(texts: list[bytes]) -> float:
    """Mean wall ms of :func:`govreport.parse` on ``texts`` in this process (warm)."""
    for t in texts[:20]:
        govreport.parse(t)
    start = time.perf_counter()
    for t in texts:
        govreport.parse(t)
    return (time.perf_counter() - start) / len(texts) * 1000


def corpus_folder(texts: list[bytes], prefix: str) -> tuple[Path, Path, Path]:
    """A new temporary folder holding ``texts`` as files: (the folder to remove, the
    folder of reports, a database path beside them)."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    folder = work / "in"
    folder.mkdir()
    for i, t in enumerate(texts):
        (folder / f"{i:06}.txt").write_bytes(t)
    return work, folder, work / "corpus.duckdb"


def batch(texts: list[bytes], jobs: int) -> dict[str, float]:
    """``govreport batch`` on ``texts`` as files, timed as a whole command."""
    work, folder, db = corpus_folder(texts, "govreport-speed-")
    try:
        # the command as `govreport batch` runs it, with the peak RSS of this process
        # (the parent) and of its largest child (a worker) printed as it ends. Peaks are
        # VmHWM, not ru_maxrss: a process's ru_maxrss starts at the RSS of the process
        # that forked it (it survives exec), so it would count this one, which holds the
        # whole corpus (about 70 MB per 10,000 reports), and the parent's for a worker
        probe = (
            "import atexit, os, sys, threading, time\n"
            "def hwm(pid='self'):\n"
            "    try:\n"
            "        with open(f'/proc/{pid}/status') as f:\n"
            "            return next(int(l.split()[1]) for l in f if l.startswith('VmHWM'))\n"
            "    except (OSError, StopIteration, ValueError):\n"
            "        return 0\n"
            "def ppid(pid):\n"
            "    try:\n"
            "        with open(f'/proc/{pid}/stat') as f:\n"
            "            return int(f.read().rsplit(')', 1)[1].split()[1])\n"
            "    except (OSError, IndexError, ValueError):\n"
            "        return 0\n"
            "workers = [0]\n"
            "def watch():\n"
            "    me = os.getpid()\n"
            "    while True:\n"
            "        kids = [p for p in os.listdir('/proc') if p.isdigit() and ppid(p) == me]\n"
            "        workers[0] = max([workers[0], *map(hwm, kids)])\n"
            "        time.sleep(0.5)\n"
            "threading.Thread(target=watch, daemon=True).start()\n"
            "atexit.register(lambda: print('PEAKS', hwm(), workers[0], file=sys.stderr))\n"
            "from govreport.cli import main\n"
            "sys.exit(main())\n"
        )
        command = [sys.executable, "-c", probe, "batch", str(folder), "--db", str(db),
                   "--jobs", str(jobs)]  # fmt: skip
        start = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        peaks = [line.split() for line in run.stderr.splitlines() if line.startswith("PEAKS")]
        parent_kb, worker_kb = (float(peaks[-1][1]), float(peaks[-1][2])) if peaks else (0, 0)
        import duckdb

        with duckdb.connect(str(db), read_only=True) as con:
            (in_workers,) = con.execute("SELECT sum(seconds) FROM reports").fetchone()
        return {
            "seconds": seconds,
            # each report's parse as its worker timed it (reports.seconds), summed
            "worker_seconds": in_workers or 0.0,
            "reports_per_s": len(texts) / seconds,
            "exit": run.returncode,
            "parent_mb": parent_kb / 1024,
            "worker_mb": worker_kb / 1024,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


#: Parses the texts of a folder, one after another, and prints the seconds it took.
_PARSE_ALL = (
    "import sys, time, pathlib, govreport\n"
    "files = sorted(pathlib.Path(sys.argv[1]).iterdir())\n"
    "for f in files[:20]: govreport.parse(f.read_bytes())\n"
    "start = time.perf_counter()\n"
    "for f in files: govreport.parse(f.read_bytes())\n"
    "print(time.perf_counter() - start)\n"
)


def two_process_ceiling(texts: list[bytes]) -> tuple[float, float]:
    """Seconds for one process to parse ``texts`` alone, and for the slower of two
    processes parsing them each at the same time: no batch, no parent, no database,
    so their ratio is what two cores of this machine give the parse itself."""
    work, folder, _ = corpus_folder(texts, "govreport-ceiling-")
    try:
        command = [sys.executable, "-c", _PARSE_ALL, str(folder)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        alone = float(subprocess.run(command, capture_output=True, text=True, env=env).stdout)
        both = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
                for _ in range(2)]  # fmt: skip
        together = max(float(p.communicate()[0]) for p in both)
        return alone, together
    finally:
        shutil.rmtree(work, ignore_errors=True)


def parent_floor_mb() -> float:
    """The RSS of a process that has imported and opened what a batch's parent does
    (the CLI, DuckDB, pyarrow and the pandas it loads): what a batch's peak stands on."""
    probe = (
        "import tempfile, os\n"
        "import govreport.cli, govreport.batch\n"
        "from govreport.batch import store\n"
        "with tempfile.TemporaryDirectory() as d:\n"
        "    s = store.Store(os.path.join(d, 'x.duckdb'))\n"
        "    s.prepare_writes()\n"
        "    print(next(int(l.split()[1]) for l in open('/proc/self/status')\n"
        "               if l.startswith('VmRSS')))\n"
        "    s.close()\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return int(run.stdout.strip() or 0) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="parses per input (fastest is taken)")
    ap.add_argument("--reports", type=int, default=400, help="distinct reports for batch")
    ap.add_argument("--memory", default="", help="corpus sizes for batch memory, e.g. 10000")
    ap.add_argument(
        "--only",
        choices=("parse", "stages", "batch", "memory", "instructions"),
        action="append",
        help="these figures only (memory: just the --memory sizes; instructions: the "
        "instruction count per parse under valgrind, of --before too if given)",
    )
    ap.add_argument("--corpus", type=Path, help="the corpus folder (default: this checkout's)")
    ap.add_argument("--before", type=Path, help="another checkout: its code's parse figures first")
    args = ap.parse_args()
    global CORPUS
    CORPUS = args.corpus or CORPUS
    only = set(args.only or ("parse", "stages", "batch"))
    if "instructions" in only:
        instruction_figures(args.before)
        return
    if args.before:
        before_after(args.before, args.runs)
        if not args.only:
            return
    if "parse" in only:
        parse_figures(args.runs)
    if "stages" in only:
        stage_figures()
    if "batch" in only:
        texts = distinct_reports(args.reports)
        one = batch(texts, 1)
        two = batch(texts, 2)
        print(
            f"batch: {len(texts)} distinct real-text reports, the command timed whole: "
            f"1 job {one['reports_per_s']:.0f} reports/s ({one['seconds']:.1f} s), "
            f"2 jobs {two['reports_per_s']:.0f} reports/s ({two['seconds']:.1f} s): "
            f"{one['seconds'] / two['seconds']:.2f}× (exit {one['exit']:.0f}, {two['exit']:.0f})"
        )
        # what a batch costs before and after its reports: one file, whole command
        fixed = {jobs: batch(texts[:1], jobs)["seconds"] for jobs in (1, 2)}
        print(
            f"batch: start-up and finish (1 report, the command timed whole): 1 job "
            f"{fixed[1]:.2f} s, 2 jobs {fixed[2]:.2f} s; without them the {len(texts)} "
            f"reports scale {(one['seconds'] - fixed[1]) / (two['seconds'] - fixed[2]):.2f}×"
        )
        parse = bare_parse(texts)
        for jobs, b in ((1, one), (2, two)):
            per_core = b["seconds"] * jobs / len(texts) * 1000
            in_worker = b["worker_seconds"] / len(texts) * 1000
            print(
                f"batch: {jobs} job{'s' * (jobs > 1)}: {per_core:.1f} ms per report per core "
                f"against {parse:.1f} ms for the bare parse of the same texts in one process; "
                f"the workers' own parse took {in_worker:.1f} ms a report (reports.seconds), "
                f"so {per_core - in_worker:.1f} ms a report is outside it (start-up, reading, "
                f"IPC, waiting)"
            )
        alone, together = two_process_ceiling(texts)
        print(
            f"batch: ceiling: the bare parse of the {len(texts)} texts in one process "
            f"{alone:.1f} s, in two processes at once {together:.1f} s each: two cores "
            f"give this machine's parse {2 * alone / together:.2f}× (the batch's 2 jobs: "
            f"{one['seconds'] / two['seconds']:.2f}×)"
        )
    if args.memory:
        print(f"memory: the parent's floor (the batch's imports and DuckDB, no report yet) "
              f"{parent_floor_mb():.0f} MB")  # fmt: skip
    for size in (int(s) for s in args.memory.split(",") if s):
        b = batch(distinct_reports(size), 2)
        print(
            f"memory: batch of {size} reports, 2 jobs: peak RSS parent {b['parent_mb']:.0f} MB, "
            f"largest worker {b['worker_mb']:.0f} MB ({b['reports_per_s']:.0f} reports/s)"
        )


if __name__ == "__main__":
    main()
