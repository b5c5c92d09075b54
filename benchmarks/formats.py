"""Seconds per report for each input format, and the share spent in the third-party library.
Prints figures; asserts nothing.

    python benchmarks/formats.py [--runs 5] [--only pdf] [--import-runs 5] [--no-imports]
                                 [--real DIR]

Inputs: the corpus's text cases (``corpus/0*/input.txt``), its generated documents
(``corpus/1*/input.{docx,pdf,html}``) and, when present, the real-world
``pdf/hongze-2023.pdf`` and ``html/pt*.html`` (``--real``, default ``$GOVREPORT_REAL``
or ``../shared/real``).

Figures:

* per file and per format (text, html, docx, pdf): the median of ``--runs`` runs of
  ``govreport.parse_file``, of the reader alone (``govreport.readers.read`` on the bytes)
  and of the rest of the pipeline (``govreport.pipeline.build`` on its document), all
  warm (one parse of each format first, so lazy imports and grammar building are not
  counted). Each run times the four figures in turn, so load from other processes falls
  on all of them alike; still, on a busy machine a median can exceed its sum's;
* the reader's time in the third-party library, two ways. *bare*: the library calls the
  reader makes, timed on their own on the same bytes (pdf: ``pdfplumber.open`` and each
  page's objects, de-duplicated chars and text-line clustering; html: lxml's HTML
  parser on the page as UTF-8; docx: ``docx.Document``; text: none). *prof*: one
  profiled run of the reader, the wall time from entering any frame of the library
  (Python or C) until control is back outside all of it, over the profiled run's time.
  The profiler's per-call overhead weighs on call-heavy code, so *prof* is a share,
  not a time. lxml is compiled with Cython, whose functions the profiler hook does not
  see: its time counts as its caller's, so html has no *prof* figure and docx's counts
  lxml only inside python-docx's own calls. *bare* leaves out the reader's own walks
  over the library's objects (lxml element access, python-docx's element classes);
* import time, each in a new process (median of ``--import-runs``): ``govreport``
  alone, then each reader's libraries and the reader module after them (pdfplumber is
  imported on the first PDF read, not with the module), and what a first parse of a
  text file imports;
* installed size of each reader's libraries (the files listed by
  ``importlib.metadata``), alone and with their dependencies.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata, util
from pathlib import Path

import govreport
from govreport import pipeline, readers

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FORMATS = ("text", "html", "docx", "pdf")

#: Library families: the top-level modules whose time counts as the library's.
FAMILIES: dict[str, tuple[str, ...]] = {
    "pdfplumber+pdfminer": ("pdfplumber", "pdfminer", "pypdfium2", "pypdfium2_raw", "PIL"),
    "lxml": ("lxml",),
    "python-docx": ("docx",),
    "charset-normalizer": ("charset_normalizer",),
    "opencc": ("opencc",),
}
#: The library each reader is built on (the *bare* and headline *prof* figure).
PRIMARY = {"text": "opencc", "html": "lxml", "docx": "python-docx", "pdf": "pdfplumber+pdfminer"}
#: Families the profiler hook cannot see (compiled with Cython).
UNSEEN = frozenset({"lxml"})
#: Each reader's module and the libraries it imports, at import or on its first read.
READER_IMPORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "text": ("govreport.readers.text", ("opencc",)),
    "html": ("govreport.readers.html", ("lxml.etree", "charset_normalizer")),
    "docx": ("govreport.readers.docx", ("docx",)),
    "pdf": ("govreport.readers.pdf", ("pdfplumber", "pdfplumber.utils.text", "pdfminer.pdftypes")),
}
#: Distributions each reader depends on directly.
READER_DISTS: dict[str, tuple[str, ...]] = {
    "text": ("opencc",),
    "html": ("lxml", "charset-normalizer"),
    "docx": ("python-docx", "lxml"),
    "pdf": ("pdfplumber", "pdfminer.six", "pypdfium2"),
}


def real_dir(given: Path | None) -> Path:
    return given or Path(os.environ.get("GOVREPORT_REAL") or ROOT.parent / "shared" / "real")


def inputs(real: Path) -> dict[str, list[Path]]:
    """The input files of each format."""
    found = {
        "text": sorted(CORPUS.glob("0*/input.txt")),
        "html": sorted(CORPUS.glob("1*/input.html")) + sorted(real.glob("html/pt*.html")),
        "docx": sorted(CORPUS.glob("1*/input.docx")),
        "pdf": sorted(CORPUS.glob("1*/input.pdf")),
    }
    hongze = real / "pdf" / "hongze-2023.pdf"
    if hongze.is_file():
        found["pdf"].append(hongze)
    return found


# --- the library's time -------------------------------------------------------------


def _bare_pdf(data: bytes) -> Callable[[], object]:
    import pdfplumber
    from pdfplumber.utils.text import chars_to_textmap

    from govreport.readers import pdf as reader

    ratio = getattr(reader, "SPACE_EM", 0.3)

    def run() -> None:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                chars = page.dedupe_chars().chars
                _ = page.objects, page.images
                if chars:
                    textmap = chars_to_textmap(chars, x_tolerance_ratio=ratio)
                    textmap.extract_text_lines(strip=True, return_chars=False)

    return run


def _bare_html(data: bytes) -> Callable[[], object]:
    from lxml import etree

    utf8 = data
    for encoding in ("utf-8-sig", "gb18030"):  # the reader hands lxml the page as UTF-8
        try:
            utf8 = data.decode(encoding).encode("utf-8")
            break
        except UnicodeDecodeError:
            continue

    def run() -> object:
        parser = etree.HTMLParser(
            encoding="utf-8",
            no_network=True,
            remove_comments=True,
            remove_pis=True,
            default_doctype=False,
        )
        return etree.fromstring(utf8, parser)

    return run


def _bare_docx(data: bytes) -> Callable[[], object]:
    import docx

    return lambda: docx.Document(io.BytesIO(data))


BARE: dict[str, Callable[[bytes], Callable[[], object]]] = {
    "html": _bare_html,
    "docx": _bare_docx,
    "pdf": _bare_pdf,
}


class LibraryClock:
    """A ``sys.setprofile`` hook: wall time inside each library family, counted from
    entering its outermost frame (a Python function in its package or a C function of
    its modules) until that frame returns; calls it makes to anything else count as
    its own."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._stack: list[str | None] = []
        self._outer = -1
        self._family = ""
        self._start = 0.0
        self._dirs: list[tuple[str, str]] = []
        self._modules: dict[str, str] = {}
        for family, modules in FAMILIES.items():
            for module in modules:
                self._modules[module] = family
                spec = util.find_spec(module)
                for d in (spec and spec.submodule_search_locations) or ():
                    self._dirs.append((os.path.realpath(d) + os.sep, family))
                    self._dirs.append((d + os.sep, family))
        self._files: dict[str, str | None] = {}

    def _file_family(self, filename: str) -> str | None:
        try:
            return self._files[filename]
        except KeyError:
            family = next((f for d, f in self._dirs if filename.startswith(d)), None)
            self._files[filename] = family
            return family

    def _c_family(self, function: object) -> str | None:
        module = getattr(function, "__module__", None)
        if not isinstance(module, str):
            module = type(getattr(function, "__self__", None)).__module__
        return self._modules.get(module.partition(".")[0])

    def __call__(self, frame, event: str, arg: object) -> None:
        if event == "call" or event == "c_call":
            family = (
                self._file_family(frame.f_code.co_filename)
                if event == "call"
                else self._c_family(arg)
            )
            if family is not None and self._outer < 0:
                self._outer, self._family = len(self._stack), family
                self._start = time.perf_counter()
            self._stack.append(family)
        elif self._stack:  # return, c_return, c_exception
            self._stack.pop()
            if self._outer == len(self._stack):
                self.spent[self._family] += time.perf_counter() - self._start
                self._outer = -1


def profiled_shares(data: bytes) -> dict[str, float]:
    """Each library family's share of one profiled ``readers.read(data)``."""
    clock = LibraryClock()
    start = time.perf_counter()
    sys.setprofile(clock)
    try:
        readers.read(data)
    finally:
        sys.setprofile(None)
    elapsed = time.perf_counter() - start
    return {family: spent / elapsed for family, spent in clock.spent.items()}


# --- per file -----------------------------------------------------------------------


@dataclass
class Figures:
    path: Path
    size: int
    parse: float
    read: float
    build: float
    bare: float | None
    shares: dict[str, float] = field(default_factory=dict)


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = run()
    return time.perf_counter() - start, out


def measure(kind: str, path: Path, runs: int) -> Figures:
    """The figures of one file; each run times all four in turn, so that load from
    other processes falls on all of them alike."""
    data = path.read_bytes()
    bare = BARE[kind](data) if kind in BARE else None
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        times["parse"].append(timed(lambda: govreport.parse_file(path))[0])
        seconds, document = timed(lambda: readers.read(data))
        times["read"].append(seconds)
        times["build"].append(timed(partial(pipeline.build, document))[0])
        if bare:
            times["bare"].append(timed(bare)[0])
    median = {k: statistics.median(v) for k, v in times.items()}
    return Figures(
        path=path,
        size=len(data),
        parse=median["parse"],
        read=median["read"],
        build=median["build"],
        bare=median.get("bare"),
        shares=profiled_shares(data),
    )


def name_of(path: Path) -> str:
    return path.parent.name if path.name.startswith("input.") else path.name


HEADER = (
    f"{'file':<48} {'KB':>5} {'parse ms':>9} {'read ms':>8} {'build ms':>8} {'read%':>5} "
    f"{'bare ms':>8} {'bare%':>5} {'prof%':>5}"
)
LEGEND = (
    "read% = read / (read + build); bare% = bare library calls / read; "
    "prof% = the library's share of a profiled read"
)


def line(kind: str, f: Figures) -> str:
    bare = "-" if f.bare is None else f"{f.bare * 1000:.1f}"
    bare_share = "-" if f.bare is None else f"{100 * f.bare / f.read:.0f}"
    prof = "-" if PRIMARY[kind] in UNSEEN else f"{100 * f.shares.get(PRIMARY[kind], 0.0):.0f}"
    return (
        f"{name_of(f.path)[:48]:<48} {f.size / 1024:>5.0f} {f.parse * 1000:>9.1f} "
        f"{f.read * 1000:>8.1f} {f.build * 1000:>8.1f} {100 * f.read / (f.read + f.build):>5.0f} "
        f"{bare:>8} {bare_share:>5} {prof:>5}"
    )


def summary(kind: str, figures: list[Figures]) -> str:
    parse = [f.parse for f in figures]
    read, build = sum(f.read for f in figures), sum(f.build for f in figures)
    total = read + build
    out = (
        f"{kind}: {len(figures)} reports, median {statistics.median(parse):.3f} s per report "
        f"(min {min(parse):.3f}, max {max(parse):.3f}); of reader + pipeline: reader "
        f"{100 * read / total:.0f}%, rest of the pipeline {100 * build / total:.0f}%"
    )
    families = sorted({k for f in figures for k in f.shares}, key=list(FAMILIES).index)
    # the profiled shares, weighted by each file's (unprofiled) reader time
    prof = {k: sum(f.shares.get(k, 0.0) * f.read for f in figures) / read for k in families}
    primary = PRIMARY[kind]
    parts = []
    if figures[0].bare is not None:
        bare = sum(f.bare or 0.0 for f in figures)
        parts.append(
            f"bare {primary} calls {100 * bare / read:.0f}% of the reader "
            f"({100 * bare / total:.0f}% of reader + pipeline)"
        )
    if primary in UNSEEN:
        parts.append(f"no profiled {primary} share (compiled: invisible to the profiler)")
    else:
        parts.append(
            f"profiled {primary} {100 * prof.get(primary, 0.0):.0f}% of the reader "
            f"(~{100 * prof.get(primary, 0.0) * read / total:.0f}% of reader + pipeline)"
        )
    others = [f"{k} {100 * v:.1f}%" for k, v in prof.items() if k != primary and v >= 0.0005]
    if others:
        parts.append("other libraries in the reader (profiled): " + ", ".join(others))
    return out + "\n    " + "; ".join(parts)


# --- imports and sizes --------------------------------------------------------------

IMPORT_PROBE = """
import importlib, sys, time
t = time.perf_counter()
import govreport
times = [time.perf_counter() - t]
for name in sys.argv[1:]:
    t = time.perf_counter()
    importlib.import_module(name)
    times.append(time.perf_counter() - t)
print(*times)
"""

FIRST_PARSE_PROBE = """
import sys, time
import govreport
before = set(sys.modules)
t = time.perf_counter()
govreport.parse_file(sys.argv[1])
first = time.perf_counter() - t
t = time.perf_counter()
govreport.parse_file(sys.argv[1])
second = time.perf_counter() - t
loaded = {m.partition(".")[0] for m in set(sys.modules) - before}
print(first, second, *sorted(loaded))
"""


def probe(script: str, *args: str) -> list[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    ).stdout.split()


def import_times(runs: int) -> None:
    alone = []
    extra: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(runs):
        for kind in FORMATS:
            module, libraries = READER_IMPORTS[kind]
            t = [float(x) for x in probe(IMPORT_PROBE, *libraries, module)]
            alone.append(t[0])
            extra[kind].append((sum(t[1:-1]), t[-1]))
    print(
        f"import govreport: median {statistics.median(alone) * 1000:.0f} ms "
        f"(new processes, {len(alone)} runs)"
    )
    for kind in FORMATS:
        module, libraries = READER_IMPORTS[kind]
        libs = statistics.median(t for t, _ in extra[kind]) * 1000
        own = statistics.median(t for _, t in extra[kind]) * 1000
        print(
            f"  + {kind} reader: {libs + own:.0f} ms more: {', '.join(libraries)} {libs:.0f} ms, "
            f"then {module} {own:.0f} ms"
        )
    sample = sorted(CORPUS.glob("0*/input.txt"))[0]
    first, second, *loaded = probe(FIRST_PARSE_PROBE, str(sample))
    shown = sorted(m for m in loaded if m in {x for f in FAMILIES.values() for x in f})
    print(
        f"first parse_file of {sample.parent.name}/input.txt in a new process: "
        f"{float(first):.3f} s (second {float(second):.3f} s); the libraries it imports: "
        f"{', '.join(shown) or 'none'}"
    )


def _requires(name: str) -> list[str]:
    """The distributions ``name`` requires (no extras; markers evaluated here)."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover - packaging is nearly always there
        Requirement = None
    out = []
    for text in metadata.distribution(name).requires or ():
        if Requirement is None:
            if "extra ==" not in text:
                out.append(text.split(";")[0].split("[")[0].split("<")[0].split(">")[0])
            continue
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            out.append(req.name)
    return [n.strip() for n in out]


def dist_size(name: str) -> int | None:
    """Bytes of the files a distribution installed, or None when it is not installed."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    total = 0
    for f in dist.files or ():
        p = Path(str(dist.locate_file(f)))
        if p.is_file():
            total += p.stat().st_size
    return total


def closure(names: tuple[str, ...]) -> list[str]:
    """``names`` and every installed distribution they require, transitively."""
    seen: dict[str, str] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        key = metadata.distribution(name).metadata["Name"].lower().replace("_", "-")
        if key in seen:
            continue
        seen[key] = name
        todo.extend(r for r in _requires(name) if dist_size(r) is not None)
    return list(seen.values())


def sizes() -> None:
    mb = 1024 * 1024
    for kind in FORMATS:
        names = READER_DISTS[kind]
        own = {n: dist_size(n) for n in names}
        installed = tuple(n for n in names if own[n] is not None)
        listed = " + ".join(
            f"{n} {s / mb:.1f}" if s is not None else f"{n} (not installed)" for n, s in own.items()
        )
        direct = sum(s for s in own.values() if s is not None)
        everything = closure(installed)
        deps = [n for n in everything if n not in installed]
        total = sum(dist_size(n) or 0 for n in everything)
        extra = ", ".join(
            f"{n} {(dist_size(n) or 0) / mb:.1f}" for n in sorted(deps, key=str.lower)
        )
        print(
            f"size: {kind} reader: {listed} = {direct / mb:.1f} MB; with their dependencies "
            f"{total / mb:.1f} MB" + (f" (+ {extra})" if extra else "")
        )


# --- main ---------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per file; the median is shown")
    ap.add_argument("--only", choices=FORMATS, action="append", help="only these formats")
    ap.add_argument("--import-runs", type=int, default=5, help="new processes per import figure")
    ap.add_argument("--no-imports", action="store_true", help="skip the import and size figures")
    ap.add_argument(
        "--real",
        type=Path,
        help="the real-world folder (default: $GOVREPORT_REAL or ../shared/real)",
    )
    args = ap.parse_args()
    runs = max(1, args.runs)
    found = inputs(real_dir(args.real))
    kinds = [k for k in FORMATS if k in (args.only or FORMATS) and found[k]]
    for kind in kinds:  # warm: lazy imports, grammars, OpenCC
        govreport.parse_file(found[kind][0])
    print(f"median of {runs} runs per file, warm; times in ms")
    print(LEGEND)
    print(HEADER)
    results: dict[str, list[Figures]] = {}
    for kind in kinds:
        results[kind] = []
        for path in found[kind]:
            f = measure(kind, path, runs)
            results[kind].append(f)
            print(line(kind, f))
    print()
    for kind in kinds:
        print(summary(kind, results[kind]))
    if not args.no_imports:
        print()
        import_times(max(1, args.import_runs))
        sizes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
