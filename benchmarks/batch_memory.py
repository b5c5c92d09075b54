"""The batch parent's peak memory at corpus sizes, in minutes instead of hours.

    python benchmarks/batch_memory.py                      # 10,000 and 100,000 reports
    python benchmarks/batch_memory.py --sizes 10000,30000 --flush 150 --runs 3

:func:`govreport.batch.run` runs as it is — its loop, its flushes, the DuckDB store,
``prune`` and ``mark_duplicates`` — but its worker pool is replaced by one that hands
back copies of outcomes parsed once: the real and corpus texts' outcomes, each copy
given its own path, content hash and text hash, as ``speed.py`` makes its copies
distinct. No file is written and nothing is parsed, so a 100,000-report run takes
minutes; what it measures is the parent only (the workers' memory does not depend on
the corpus size). ``speed.py --memory`` runs the real command (files, workers) for the
same figure.

Prints, for each size and run, the peak RSS (VmHWM) of this process, its RSS at each
tenth of the run, and the time the run took. ``--flush`` sets how many outcomes a
flush writes (``batch.FLUSH_EVERY``, by default the batch's own).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from govreport import batch  # noqa: E402

_TEXT_HASH = batch.REPORTS_COLUMNS.index("text_hash")


def status() -> dict[str, int]:
    """VmHWM and VmRSS of this process, in MB."""
    with open("/proc/self/status") as f:
        return {
            line.split(":")[0]: int(line.split()[1]) // 1024
            for line in f
            if line.startswith(("VmHWM", "VmRSS"))
        }


def parsed_outcomes() -> list[bytes]:
    """The pickled outcome of each real and corpus text that parses."""
    import speed

    out = []
    for path in (*speed.real_texts(), *speed.corpus_texts()):
        o = batch.outcome(str(path), path.read_bytes())
        if o.ok:
            out.append(pickle.dumps(o))
    return out


class _Pool:
    """A stand-in for the worker processes: each path's outcome is a copy of one parsed
    outcome, made distinct, given back as soon as the path is handed out."""

    bases: ClassVar[list[bytes]] = []
    samples: ClassVar[list[tuple[int, int]]] = []
    size = 0
    handed = 0

    def __init__(self, *args, **kwargs) -> None:
        self.ready: list = []

    def start(self) -> None:
        pass

    def free(self) -> int:
        return 64 - len(self.ready)

    def outstanding(self) -> int:
        return len(self.ready)

    def send(self, path: str) -> None:
        k = _Pool.handed
        _Pool.handed += 1
        if k % max(1, self.size // 10) == 0:
            self.samples.append((k, status()["VmRSS"]))
        o = pickle.loads(self.bases[k % len(self.bases)])
        digest = hashlib.sha256(path.encode()).hexdigest()
        row = list(o.report)
        row[0], row[1] = digest, path
        row[_TEXT_HASH] = hashlib.sha256(b"text " + path.encode()).hexdigest()
        o.hash, o.path, o.report = digest, path, tuple(row)
        self.ready.append(o)

    def results(self, again):
        ready, self.ready = self.ready, []
        yield from ready

    def close(self) -> None:
        pass

    kill = close


def measure(size: int, bases: list[bytes]) -> None:
    work = Path(tempfile.mkdtemp(prefix="govreport-memory-"))
    try:
        _Pool.bases, _Pool.samples, _Pool.size, _Pool.handed = bases, [], size, 0
        started = time.perf_counter()
        summary = batch.run(["corpus"], work / "corpus.duckdb", jobs=1)
        seconds = time.perf_counter() - started
        tenths = " ".join(f"{rss}" for _, rss in _Pool.samples)
        print(
            f"{size:>7} reports: peak RSS {status()['VmHWM']} MB; RSS at each tenth {tenths} MB; "
            f"{summary.parsed} parsed, {summary.same_report} the same report as another; "
            f"{seconds:.0f} s"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="corpus sizes, e.g. 10000,100000")
    ap.add_argument("--flush", type=int, default=batch.FLUSH_EVERY, help="outcomes a flush writes")
    ap.add_argument("--runs", type=int, default=1, help="runs of each size (each in a new process)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:  # one size in this process, so that its peak is its own
        batch.FLUSH_EVERY = args.flush
        bases = pickle.loads(Path(os.environ["GOVREPORT_MEMORY_BASES"]).read_bytes())
        batch.discover = lambda targets, pattern=None: (f"/corpus/{i:07}.txt" for i in
                                                        range(args.child))  # fmt: skip
        batch._workers = _Pool  # type: ignore[assignment]
        measure(args.child, bases)
        return
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as f:
        f.write(pickle.dumps(parsed_outcomes()))
    try:
        print(f"flushes of at most {args.flush} outcomes; the parent's peak RSS (VmHWM)")
        for size in (int(s) for s in args.sizes.split(",") if s):
            for _ in range(args.runs):
                command = [sys.executable, __file__, "--child", str(size),
                           "--flush", str(args.flush)]  # fmt: skip
                env = {**os.environ, "GOVREPORT_MEMORY_BASES": f.name}
                subprocess.run(command, env=env, check=True)
    finally:
        os.unlink(f.name)


if __name__ == "__main__":
    main()
