"""A long fuzz campaign: ``parse`` must raise nothing but ``ParseError`` on any input,
and take time in line with the input's size.

    python benchmarks/fuzz.py [--inputs N] [--seed S] [--out DIR] [--no-linearity]

Sources (weights per 1,000 inputs, chosen so that 1,000,000 inputs fit in about an
hour on one core — mutations of corpus files go through the whole pipeline and
cost ~30 ms each, random text fails within a millisecond):

* ``mutation``  corpus files with lines deleted, duplicated, swapped, the file
  truncated, random characters inserted, digits changed, several of these at
  once, or the whole file repeated;
* ``soup``      report pieces (headings, row labels, values, separators, line
  ends) in random order — gets past the skeleton and into the tables;
* ``grammar``   text drawn by ``hypothesis.extra.lark.from_lark`` from our own
  grammars (skeleton; the table grammars, their cell stream written back as
  pipe rows inside a report skeleton). Drawing costs ~50 ms a text, so a pool
  of ``--grammar-pool`` texts is drawn once and each input is a pool text,
  as drawn or mutated;
* ``text``      random strings over a report's alphabet;
* ``bytes``     random bytes (and random bytes behind a BOM).

Any exception other than ``govreport.ParseError`` is written to ``--out`` as a
reproducer file (``<source>-<n>.bin``, the exact input bytes/text) with its
traceback, and the campaign carries on. Times are CPU seconds of this process.
An input is *slow* when its parse took more than ``0.25 s + 0.25 s per KB`` —
about twice the time per KB of the slowest corpus file (seed 003, whose damaged
table is solved with Z3); a slow input is *within the placement budget* when it
took at most ``PARSE_BUDGET_S`` (3 s, ``govreport/placement.py``) + 1 s, the
constant a damaged table may cost by design, and *out of line* beyond that.
Both are recorded likewise. Then the linearity check: corpus files repeated 1, 2, 4, …
times, and one 10 MB input, timed.
"""

from __future__ import annotations

import argparse
import codecs
import random
import statistics
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import ClassVar

from govreport import ParseError, parse
from govreport.placement import PARSE_BUDGET_S

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "corpus").glob("*/input.txt"))

#: Inputs per 1,000 from each source.
WEIGHTS = {"mutation": 100, "soup": 60, "grammar": 50, "text": 540, "bytes": 250}
#: Out of line: slower than this many seconds, plus this many per KB.
SLOW_FLOOR, SLOW_PER_KB = 0.25, 0.25

HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def _pieces() -> list[str]:
    """Report fragments for the soup: labels and headers of every table, values."""
    from govreport.spec.dictionary import TEMPLATES

    out = set(HEADINGS)
    for template in TEMPLATES.values():
        for table in template.tables:
            out.add(table.title)
            for row in table.rows:
                out.update(row.label.split(" "))
                out.update(c.label for c in row.columns)
    out.update(["第二十条第（一）项", "信息内容", "申请人情况", "自然人", "总计", "行政复议"])
    out.update(["0", "1", "12", "345", "1,234", "0.5", "12万元", "-3", "增5", "/", "—", "无"])
    out.update(["2023年政府信息公开工作年度报告", "某市司法局", "本机关", "件", "万元"])
    return sorted(out)


PIECES = _pieces()
SEPARATORS = [" | ", "|", "\t", "\n", "\n", " |\n", "||\n", "\n\t", " ", "", "\r\n", "\u3000"]
ALPHABET = "".join(sorted(set("".join(PIECES)))) + "0123456789|\t\n\n\n  ,.()（）、\r\ufeff\u200b"


class Mutator:
    """The mutations of issue 4, on the lines (or characters) of a corpus file."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.files = [p.read_text(encoding="utf-8-sig") for p in CORPUS]
        # seed 003 is solved by Z3 and costs ~25x the others: draw it rarely
        self.weights = [1 if "003_" in str(p) else 8 for p in CORPUS]

    def __call__(self) -> str:
        rng = self.rng
        text = rng.choices(self.files, self.weights)[0]
        kind = rng.choice(
            ["delete", "duplicate", "swap", "truncate", "chars", "digits", "several", "repeat"]
        )
        if kind == "several":
            for _ in range(rng.randint(2, 6)):
                text = self.one(
                    text, rng.choice(["delete", "duplicate", "swap", "chars", "digits"])
                )
            return text
        return self.one(text, kind)

    def one(self, text: str, kind: str) -> str:
        rng = self.rng
        lines = text.split("\n")
        n = len(lines)
        if kind == "delete":
            for _ in range(rng.randint(1, 5)):
                if lines:
                    del lines[rng.randrange(len(lines))]
        elif kind == "duplicate":
            i = rng.randrange(n)
            j = min(n, i + rng.randint(1, 4))
            lines[j:j] = lines[i:j] * rng.randint(1, 3)
        elif kind == "swap":
            i, j = rng.randrange(n), rng.randrange(n)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "truncate":
            return text[: rng.randrange(len(text) + 1)]
        elif kind == "chars":
            chars = list(text)
            for _ in range(rng.randint(1, 20)):
                i = rng.randrange(len(chars) + 1)
                c = rng.choice(ALPHABET) if rng.random() < 0.8 else chr(rng.randrange(1, 0x10000))
                chars.insert(i, c)
            return "".join(chars)
        elif kind == "digits":
            chars = list(text)
            spots = [i for i, c in enumerate(chars) if c.isdigit()]
            for i in rng.sample(spots, min(len(spots), rng.randint(1, 10))):
                chars[i] = rng.choice("0123456789-/ |")
            return "".join(chars)
        elif kind == "repeat":
            return text * rng.randint(2, 3)
        return "\n".join(lines)


def soup(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(1, 300)):
        out.append(rng.choice(PIECES) if rng.random() < 0.6 else rng.choice(SEPARATORS))
        if rng.random() < 0.05:
            out.append("\n" + rng.choice(HEADINGS) + "\n")
    return "".join(out)


def random_text(rng: random.Random) -> str:
    n = rng.choice([0, 1, 5, 20, 100, 500, 2000])
    if rng.random() < 0.8:
        return "".join(rng.choices(ALPHABET, k=rng.randint(0, n)))
    return "".join(chr(rng.randrange(1, 0x30000)) for _ in range(rng.randint(0, n)))


def random_bytes(rng: random.Random) -> bytes:
    data = rng.randbytes(rng.choice([0, 1, 4, 50, 500, 3000]))
    prefix = rng.choice([b"", b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
    return prefix + data


class GrammarSource:
    """Text drawn by ``from_lark`` from our grammars, in batches (hypothesis draws
    them; ``find``-style generation outside a test is slow, so a batch is drawn
    with ``@given`` and replayed)."""

    TABLES: ClassVar[dict[str, int]] = {
        "tables/active_disclosure_2021": 2,
        "tables/applications_2021": 3,
        "tables/applications_2019": 3,
        "tables/review_litigation": 4,
    }

    def __init__(self, seed: int, mutate: Mutator, batch: int = 1000) -> None:
        from hypothesis import strategies as st
        from hypothesis.extra.lark import from_lark
        from lark import Lark

        from govreport.grammars import grammar_dir, grammar_path

        def grammar(name: str) -> Lark:  # from_lark needs an uncached Lark (it reads .grammar)
            return Lark.open(
                str(grammar_path(name)),
                parser="lalr",
                lexer="contextual",
                import_paths=[str(grammar_dir())],
            )

        # mostly a report's characters; any character where a terminal needs others
        ours = st.sampled_from(ALPHABET + "\x1f\ue000\ue001\ue002")
        alphabet = st.one_of(ours, ours, ours, st.characters(codec="utf-8"))
        self.strategies = {
            name: from_lark(grammar(name), alphabet=alphabet)
            for name in ["skeleton", *self.TABLES, "layouts/pipe"]
        }
        self.seed = seed
        self.batch = batch
        self.pool: list[str] = []
        self.rng = random.Random(seed)
        self.mutate = mutate

    def _refill(self) -> None:
        from hypothesis import HealthCheck, Phase, given, seed, settings
        from hypothesis import strategies as st

        drawn: list[tuple[str, str]] = []

        @seed(self.rng.randrange(2**32))
        @settings(
            max_examples=self.batch,
            database=None,
            phases=[Phase.generate],
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            st.sampled_from(sorted(self.strategies)).flatmap(
                lambda n: st.tuples(st.just(n), self.strategies[n])
            )
        )
        def collect(pair):
            drawn.append(pair)

        collect()
        self.pool = [self._as_report(name, text) for name, text in drawn]
        self.rng.shuffle(self.pool)

    def _as_report(self, name: str, text: str) -> str:
        if name == "skeleton":
            return text
        if name.startswith("tables/"):
            # the cell stream back into pipe rows, inside a report skeleton
            rows = text.replace("\ue002", "").replace("\ue000", " ").replace("\x1f", " | ")
            table = rows.replace("\ue001", " |\n")
            section = self.TABLES[name]
        else:
            table, section = text, self.rng.choice([2, 3, 4])
        out = ["某市司法局2023年政府信息公开工作年度报告"]
        for number, heading in enumerate(HEADINGS, start=1):
            out.append(heading)
            out.append(table if number == section else "本机关无此项。")
        return "\n".join(out)

    def __call__(self) -> str:
        if not self.pool:
            started = time.perf_counter()
            self._refill()
            took = time.perf_counter() - started
            print(f"drew {len(self.pool)} texts from the grammars in {took:.0f} s", flush=True)
        text = self.rng.choice(self.pool)
        if self.rng.random() < 0.5:
            kind = self.rng.choice(["delete", "duplicate", "swap", "chars", "truncate"])
            text = self.mutate.one(text, kind)
        return text


def run_one(data: str | bytes) -> tuple[str, float]:
    """Parse ``data``; the outcome and the CPU time taken (this process's, so that
    other work on a shared machine does not count)."""
    start = time.process_time()
    try:
        parse(data)
        outcome = "parsed"
    except ParseError as exc:
        outcome = type(exc).__name__
    return outcome, time.process_time() - start


def record(out: Path, name: str, data: str | bytes, note: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    path = out / f"{name}.bin"
    path.write_bytes(raw)
    (out / f"{name}.txt").write_text(
        f"type: {'bytes' if isinstance(data, bytes) else 'str (utf-8 in .bin)'}\n{note}\n",
        encoding="utf-8",
    )
    return path


def campaign(n: int, seed: int, out: Path, report_every: int, grammar_pool: int) -> int:
    rng = random.Random(seed)
    mutate = Mutator(rng)
    grammar = GrammarSource(seed, mutate, grammar_pool)
    sources = {
        "mutation": mutate,
        "soup": lambda: soup(rng),
        "grammar": grammar,
        "text": lambda: random_text(rng),
        "bytes": lambda: random_bytes(rng),
    }
    names = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in names]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    times: dict[str, float] = Counter()
    sizes: dict[str, int] = Counter()
    per_kb: list[tuple[float, float, int, str]] = []  # (s/KB, s, bytes, source) for ≥1 KB
    slowest: list[tuple[float, int, str]] = []
    crashes = slow = budget_hits = 0
    signatures: Counter[str] = Counter()
    start = time.perf_counter()
    for i in range(1, n + 1):
        source = rng.choices(names, weights)[0]
        data = sources[source]()
        size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
        try:
            outcome, took = run_one(data)
        except Exception as exc:  # a bug: record it and carry on
            crashes += 1
            outcome, took = f"CRASH {type(exc).__name__}", 0.0
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            signatures[where] += 1
            if signatures[where] <= 5:  # a few reproducers per distinct crash
                path = record(out, f"crash-{source}-{i}", data, traceback.format_exc())
                print(f"CRASH {where}: {exc} -> {path}", flush=True)
        counts[source][outcome] += 1
        times[source] += took
        sizes[source] += size
        kb = size / 1024
        if kb >= 1:
            per_kb.append((took / kb, took, size, source))
        slowest.append((took, size, source))
        if len(slowest) > 200:
            slowest = sorted(slowest, reverse=True)[:20]
        if took > SLOW_FLOOR + SLOW_PER_KB * kb:
            within = took <= PARSE_BUDGET_S + 1 + SLOW_PER_KB * kb
            budget_hits += within
            slow += not within
            label = "slow, within the placement budget" if within else "OUT OF LINE"
            path = record(out, f"slow-{source}-{i}", data, f"parse took {took:.3f} s, {size} bytes")
            print(f"{label}: {took:.3f} s for {size} bytes ({source}) -> {path}", flush=True)
        if i % report_every == 0 or i == n:
            elapsed = time.perf_counter() - start
            print(
                f"[{i}/{n}] {elapsed:.0f} s, {i / elapsed:.0f} inputs/s, "
                f"crashes {crashes}, slow within budget {budget_hits}, out of line {slow}",
                flush=True,
            )
    elapsed = time.perf_counter() - start
    print(f"\n== {n} inputs in {elapsed:.0f} s wall (seed {seed}); times below are CPU s ==")
    print(f"{'source':10} {'inputs':>8} {'MB':>7} {'s':>7} {'ms/input':>9}  outcomes")
    for source in names:
        total = sum(counts[source].values())
        if not total:
            continue
        outcomes = ", ".join(f"{k} {v}" for k, v in counts[source].most_common())
        print(
            f"{source:10} {total:8} {sizes[source] / 1e6:7.1f} {times[source]:7.0f} "
            f"{1000 * times[source] / total:9.2f}  {outcomes}"
        )
    if per_kb:
        rates = sorted(r for r, *_ in per_kb)
        median = statistics.median(rates)
        print(
            f"time per KB over {len(rates)} inputs of 1 KB or more: "
            f"median {1000 * median:.2f} ms, "
            f"p99 {1000 * rates[int(0.99 * (len(rates) - 1))]:.2f} ms, "
            f"max {1000 * rates[-1]:.2f} ms"
        )
        for rate, took, size, source in sorted(per_kb, reverse=True)[:5]:
            print(
                f"  slowest per KB: {1000 * rate:.1f} ms/KB ({took:.3f} s, {size} bytes, {source})"
            )
    for took, size, source in sorted(slowest, reverse=True)[:5]:
        print(f"  slowest: {took:.3f} s ({size} bytes, {source})")
    print(
        f"crashes (exceptions other than ParseError): {crashes}; "
        f"slow within the placement budget: {budget_hits}; out of line: {slow}"
    )
    for where, count in signatures.most_common():
        print(f"  crash {where}: {count} inputs")
    return crashes + slow


def _series(name: str, make, max_bytes: int) -> int:
    """Time ``make(k)`` for k = 1, 2, 4, … until it is ``max_bytes`` long; count the
    steps whose time per byte is over 3x that of k = 1."""
    print(name, flush=True)
    first = len(make(1).encode("utf-8"))
    step = len(make(2).encode("utf-8")) - first  # bytes added per k
    last = 1 + -(-(max_bytes - first) // step)  # the k that reaches max_bytes
    run_one(make(1))  # warm up: grammars built and cached before the timing
    base = None
    bad = 0
    k = 1
    while True:
        data = make(k)
        size = len(data.encode("utf-8"))
        outcome, took = run_one(data)
        base = base or max(took, 1e-6) / size
        ratio = (took / size) / base
        print(
            f"  x{k:<5} {size / 1e6:8.3f} MB {took:8.3f} s  "
            f"{1000 * took / (size / 1024):7.3f} ms/KB  (x{ratio:.2f} of x1)  {outcome}",
            flush=True,
        )
        bad += ratio > 3
        if k >= last:
            return bad
        k = min(k * 2, last)


def _table_repeated(text: str):
    """``text`` with its section 三 table lines repeated k times in place."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、"))
    table = [line for line in lines[start + 1 : end] if "|" in line or "\t" in line]
    head, tail = lines[:end], lines[end:]
    return lambda k: "\n".join(head + table * (k - 1) + tail)


def _prose_repeated(text: str):
    """``text`` with section 一's prose lines repeated k times in place: the input
    goes through the whole pipeline and parses (a repeated file, or repeated table
    lines, stop at the skeleton or the table grammar)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("一、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("二、"))
    prose = lines[start + 1 : end]
    head, tail = lines[:end], lines[end:]
    return lambda k: "\n".join(head + prose * (k - 1) + tail)


def linearity(max_bytes: int = 10 * 1024 * 1024) -> int:
    """Parse time as inputs grow 1, 2, 4, … times up to ≥10 MB: whole corpus files
    repeated, section 三 table lines repeated, section 一 prose repeated."""
    print("\n== linearity: CPU time as the input grows to 10 MB ==")
    bad = 0
    for path in CORPUS:
        text = path.read_text(encoding="utf-8-sig")
        if any(s in path.parent.name for s in ("000_", "003_", "004_")):
            bad += _series(
                f"{path.parent.name}, whole file x k", lambda k, t=text: t * k, max_bytes
            )
        if any(s in path.parent.name for s in ("000_", "002_")):
            bad += _series(
                f"{path.parent.name}, section 三 table lines x k", _table_repeated(text), max_bytes
            )
        if any(s in path.parent.name for s in ("000_", "004_")):
            bad += _series(
                f"{path.parent.name}, section 一 prose x k", _prose_repeated(text), max_bytes
            )
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("/tmp/govreport-fuzz"))
    ap.add_argument("--report-every", type=int, default=10_000)
    ap.add_argument("--grammar-pool", type=int, default=1000)
    ap.add_argument("--no-linearity", action="store_true")
    ap.add_argument("--linearity-only", action="store_true")
    args = ap.parse_args()
    problems = 0
    if not args.linearity_only:
        problems += campaign(args.inputs, args.seed, args.out, args.report_every, args.grammar_pool)
    if not args.no_linearity:
        problems += linearity()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
