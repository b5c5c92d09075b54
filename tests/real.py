"""The real-world suite: discovery of ``../shared/real/`` and scoring against its expected files.

``../shared/real/<kind>/<name>.<ext>`` are real reports (crawler text, HTML pages, a PDF and
four text extractions of it); ``<kind>/<stem>.expected.json`` holds the values a person read
from each (the PDF's extractions share the PDF's file: the stem is the name up to its first
dot). See ``../shared/real/README.md``. Used by ``tests/test_real.py`` (assertions) and
``benchmarks/real.py`` (figures).

Scoring rules (:func:`score`):

* a determinable value (``cells``: an int, a float in 万元 compared as ``Decimal(str(v))``, or
  ``null`` for blank) is *right* when the report's cell is definite — ``NUMBER`` or ``BLANK`` —
  with that value (an inferred cell counts); *wrong* when it is definite with another value
  (a number for a blank, a blank for a number, another number); *missing* when the cell is
  absent, ``AMBIGUOUS`` or ``PLACEHOLDER``;
* an ``ambiguous`` cell is *kept* when the report has it ``AMBIGUOUS`` or marks it inferred,
  *absent* when the report has no such cell (allowed whether or not ``"absent"`` is a
  candidate), and a *violation* when the report asserts it: any state other than
  ``AMBIGUOUS`` (number, blank or placeholder) without ``inferred`` — even when the asserted
  value is the only candidate besides ``"absent"``;
* a source error (:class:`SourceError`) is *found* when the report's findings report it —
  see :meth:`SourceError.reported_by` for the exact rule;
* ``template`` and ``year`` must be equal; ``agency`` must match by :func:`agency_matches`;
  ``sections`` (the section numbers present, duplicates kept) must equal the expected list
  once both are sorted.

Cells the report gives that the expected file lists neither as a value nor as ambiguous are
counted as *extra* (informational: not printed in the source, or a path the file does not use).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from govreport import Cell, CellState, Finding, Report, Severity

#: The real-world folder: ``/work/shared/real`` beside the repository (``$GOVREPORT_REAL``
#: overrides it, see :func:`real_dir`).
REAL = Path(__file__).resolve().parents[2] / "shared" / "real"

#: An expected value: an int, a Decimal (万元) or None for a blank cell.
Expected = int | Decimal | None
#: An expected candidate of an ambiguous cell: a value, None (blank) or ``"absent"``.
Candidate = int | Decimal | str | None

ABSENT = "absent"
#: Relations of FORMAT.md §6 a source error can name, and what one instance of each spans:
#: a column of the applications table (O1, S1) or a row of its table (S3, S4).
RELATIONS: dict[str, tuple[str, str]] = {
    "O1": ("applications", "column"),
    "S1": ("applications", "column"),
    "S3": ("applications", "row"),
    "S4": ("review_litigation", "row"),
}
_CODE = re.compile(r"(?<![A-Za-z0-9_])(O1|S1|S3|S4)(?![0-9A-Za-z_])")
_PATH = re.compile(
    r"(?<![A-Za-z0-9_./])(?:active_disclosure|applications|review_litigation)/[\w.]+/\w+"
)
_INPUT_SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx"}


def real_dir() -> Path:
    """The real-world folder: ``$GOVREPORT_REAL`` if set and non-empty, else :data:`REAL`."""
    override = os.environ.get("GOVREPORT_REAL")
    return Path(override) if override else REAL


@dataclass(frozen=True)
class RealCase:
    """One input file of the real-world folder and the expected file it is scored against."""

    input: Path
    expected: Path
    #: The subfolder: ``crawler-text``, ``html`` or ``pdf``.
    kind: str

    @property
    def id(self) -> str:
        """``<kind>/<file name without its last suffix>``, e.g. ``crawler-text/pt01``,
        ``pdf/hongze-2023`` (the PDF), ``pdf/hongze-2023.pdftotext-layout`` (an extraction)."""
        return f"{self.kind}/{self.input.name.rsplit('.', 1)[0]}"


def cases(root: Path | None = None) -> list[RealCase]:
    """Every input of ``root`` (default :func:`real_dir`), sorted by id; ``[]`` only when the
    folder does not exist. An input whose expected file is missing is still returned (its
    test then fails on loading it) — nothing is skipped."""
    root = real_dir() if root is None else root
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in _INPUT_SUFFIXES:
                stem = path.name.split(".", 1)[0]
                out.append(RealCase(path, folder / f"{stem}.expected.json", folder.name))
    return sorted(out, key=lambda c: c.id)


@dataclass(frozen=True)
class SourceError:
    """An inconsistency the agency published (``source_errors``), as the expected file gives it.

    An entry is a string, or an object with ``description`` (or ``message``) and optionally
    ``paths`` and ``code``. Read from it: the relation codes it names (``O1``, ``S1``, ``S3``,
    ``S4`` as whole tokens, or ``code``), the cell paths it names (``paths``, or full
    ``table/row/column`` paths written in the text), and for each code the places it names —
    column keys of the applications table for O1/S1, row keys of the code's table for S3/S4,
    as whole identifiers taken from the expected file's own paths.
    """

    description: str
    codes: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    #: ``(code, place)``: place is a column key (O1, S1) or row key (S3, S4); None = any.
    instances: tuple[tuple[str, str | None], ...] = ()

    @classmethod
    def read(cls, entry: str | Mapping[str, Any], known: Iterable[str]) -> SourceError:
        """Parse one ``source_errors`` entry; ``known`` are the expected file's cell paths."""
        if isinstance(entry, str):
            text, paths, codes = entry, [], []
        else:
            text = str(entry.get("description") or entry.get("message") or "")
            paths = list(entry.get("paths") or ())
            codes = [entry["code"]] if entry.get("code") else []
        codes += [c for c in _CODE.findall(text) if c not in codes]
        paths += [p for p in _PATH.findall(text) if p not in paths]
        known = list(known)
        instances: list[tuple[str, str | None]] = []
        for code in codes:
            if code not in RELATIONS:
                continue
            table, axis = RELATIONS[code]
            keys = sorted(
                {
                    p.split("/")[2 if axis == "column" else 1]
                    for p in known
                    if p.startswith(f"{table}/")
                }
            )
            named = [k for k in keys if _names(text, k)]
            instances += [(code, k) for k in named] or [(code, None)]
        return cls(text, tuple(codes), tuple(paths), tuple(instances))

    def reported_by(self, findings: Iterable[Finding]) -> bool:
        """Whether ``findings`` report this source error:

        * with cell paths named: some finding whose paths intersect them, of a named code if
          the entry names one, else of severity error or warning (an info finding — a
          relation holding only if blank = 0, an inference — does not report an error);
        * else with relation codes named: for EVERY instance ``(code, place)``, a finding of
          exactly that code (``S3``, not ``S3-blank``/``S3-unchecked``) with a path in that
          place — the column (``applications/*/<place>``) for O1/S1, the row
          (``<table>/<place>/*``) for S3/S4; no place named means any finding of that code;
        * else (nothing to match on): never — the entry must be made precise.
        """
        findings = list(findings)
        if self.paths:
            wanted = set(self.paths)
            return any(
                wanted & set(f.paths)
                and (
                    f.code in self.codes
                    if self.codes
                    else f.severity in (Severity.ERROR, Severity.WARNING)
                )
                for f in findings
            )
        if self.instances:
            return all(
                any(f.code == code and _in_place(f.paths, code, place) for f in findings)
                for code, place in self.instances
            )
        return False

    def __str__(self) -> str:
        where = ", ".join(f"{c}@{p or '*'}" for c, p in self.instances) or ", ".join(self.paths)
        return f"[{where or 'unmatchable'}] {self.description}"


def _names(text: str, key: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_.]){re.escape(key)}(?![A-Za-z0-9_.])", text) is not None


def _in_place(paths: Iterable[str], code: str, place: str | None) -> bool:
    table, axis = RELATIONS[code]
    for path in paths:
        parts = path.split("/")
        if len(parts) != 3 or parts[0] != table:
            continue
        if place is None or parts[2 if axis == "column" else 1] == place:
            return True
    return False


def _number(value: Any) -> int | Decimal:
    """A JSON number as compared: ints as they are, floats as the decimal they print as."""
    if isinstance(value, bool):
        raise TypeError(f"not a cell value: {value!r}")
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, int | Decimal):
        return value
    raise TypeError(f"not a cell value: {value!r}")


@dataclass(frozen=True)
class ExpectedReport:
    """A ``*.expected.json``, typed."""

    template: str
    year: int | None
    agency: str | None
    sections: tuple[int, ...]
    cells: dict[str, Expected]
    ambiguous: dict[str, tuple[Candidate, ...]]
    source_errors: tuple[SourceError, ...]
    notes: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExpectedReport:
        cells = {p: None if v is None else _number(v) for p, v in data["cells"].items()}
        ambiguous = {
            p: tuple(c if c is None or isinstance(c, str) else _number(c) for c in a["candidates"])
            for p, a in data.get("ambiguous", {}).items()
        }
        known = [*cells, *ambiguous]
        return cls(
            template=str(data["template"]),
            year=data.get("year"),
            agency=data.get("agency"),
            sections=tuple(data.get("sections", ())),
            cells=cells,
            ambiguous=ambiguous,
            source_errors=tuple(SourceError.read(e, known) for e in data.get("source_errors", ())),
            notes=str(data.get("notes") or ""),
        )


def load_expected(path: Path) -> ExpectedReport:
    """Read and type an expected file."""
    return ExpectedReport.from_json(json.loads(path.read_text(encoding="utf-8")))


def agency_matches(actual: str | None, expected: str | None) -> bool:
    """The report's agency is right when, whitespace removed, it equals the expected name or
    ENDS with it — a longer name with a higher-level prefix (淮安市洪泽区人民政府 for
    洪泽区人民政府, as hongze's note allows). Not the other way round and not any substring:
    平潭综合实验区 is not 平潭综合实验区公安局, and 洪泽区人民政府办公室 is not 洪泽区人民政府."""
    if expected is None or actual is None:
        return actual == expected
    a, e = "".join(actual.split()), "".join(expected.split())
    return bool(e) and a.endswith(e)


def show(cell: Cell | None) -> str:
    """A report cell in one short phrase, for messages: ``5``, ``5 (inferred)``, ``blank``,
    ``placeholder '/'``, ``ambiguous [1, 12]``, ``absent``."""
    if cell is None:
        return "absent"
    if cell.state is CellState.NUMBER:
        text = str(cell.value)
    elif cell.state is CellState.AMBIGUOUS:
        text = f"ambiguous {show_value(list(cell.candidates))}"
    elif cell.state is CellState.PLACEHOLDER:
        text = f"placeholder {cell.raw!r}"
    else:
        text = cell.state.value
    return f"{text} (inferred)" if cell.inferred else text


def show_value(value: Any) -> str:
    """An expected value or candidate list for messages (None is ``blank``)."""
    if value is None:
        return "blank"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return str(value)


@dataclass(frozen=True)
class Mismatch:
    """One offending path (or metadata field): what was expected, what the report gives."""

    path: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.path}: expected {self.expected}, got {self.actual}"


@dataclass
class Score:
    """How one report compares with its expected file (see the module docstring)."""

    right: list[str] = field(default_factory=list)
    wrong: list[Mismatch] = field(default_factory=list)
    missing: list[Mismatch] = field(default_factory=list)
    #: Expected-ambiguous cells the report has ambiguous or inferred.
    kept: list[str] = field(default_factory=list)
    #: Expected-ambiguous cells the report does not have.
    absent: list[str] = field(default_factory=list)
    violations: list[Mismatch] = field(default_factory=list)
    found: list[SourceError] = field(default_factory=list)
    unreported: list[SourceError] = field(default_factory=list)
    #: template / year / agency / sections that differ.
    metadata: list[Mismatch] = field(default_factory=list)
    #: Definite cells at paths the expected file does not list.
    extra: list[str] = field(default_factory=list)

    @property
    def values(self) -> int:
        """Determinable values scored."""
        return len(self.right) + len(self.wrong) + len(self.missing)

    @property
    def ambiguous(self) -> int:
        """Expected-ambiguous cells scored."""
        return len(self.kept) + len(self.absent) + len(self.violations)

    @property
    def source_errors(self) -> int:
        return len(self.found) + len(self.unreported)

    def figures(self) -> dict[str, int]:
        """The counts, for tables and JSON."""
        return {
            "values": self.values,
            "right": len(self.right),
            "wrong": len(self.wrong),
            "missing": len(self.missing),
            "ambiguous": self.ambiguous,
            "ambiguous_kept": len(self.kept),
            "ambiguous_absent": len(self.absent),
            "violations": len(self.violations),
            "source_errors": self.source_errors,
            "source_errors_found": len(self.found),
            "metadata_wrong": len(self.metadata),
            "extra": len(self.extra),
        }


def listing(items: Iterable[object], limit: int = 10) -> str:
    """The first ``limit`` items, one per line, and how many more there are."""
    items = list(items)
    lines = [f"  {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"  … and {len(items) - limit} more")
    return "\n".join(lines)


def score(report: Report, expected: ExpectedReport | Mapping[str, Any]) -> Score:
    """Compare ``report`` with an expected file (typed, or the JSON as loaded)."""
    if not isinstance(expected, ExpectedReport):
        expected = ExpectedReport.from_json(expected)
    got: dict[str, Cell] = dict(report.cells())
    out = Score()
    for path, want in expected.cells.items():
        cell = got.get(path)
        if cell is None or cell.state not in (CellState.NUMBER, CellState.BLANK):
            out.missing.append(Mismatch(path, show_value(want), show(cell)))
        elif _equal(cell, want):
            out.right.append(path)
        else:
            out.wrong.append(Mismatch(path, show_value(want), show(cell)))
    for path, candidates in expected.ambiguous.items():
        cell = got.get(path)
        if cell is None:
            out.absent.append(path)
        elif cell.state is CellState.AMBIGUOUS or cell.inferred:
            out.kept.append(path)
        else:
            want = f"ambiguous {show_value(candidates)} (or inferred, or absent)"
            out.violations.append(Mismatch(path, want, show(cell)))
    for error in expected.source_errors:
        (out.found if error.reported_by(report.findings) else out.unreported).append(error)
    out.metadata = metadata(report, expected)
    listed = expected.cells.keys() | expected.ambiguous.keys()
    out.extra = [
        p
        for p, c in got.items()
        if p not in listed and c.state in (CellState.NUMBER, CellState.BLANK)
    ]
    return out


def unparsed(expected: ExpectedReport) -> Score:
    """The score of a file that did not parse: every value missing, every source error
    unreported, every ambiguous cell absent."""
    return Score(
        missing=[Mismatch(p, show_value(v), "no report") for p, v in expected.cells.items()],
        absent=list(expected.ambiguous),
        unreported=list(expected.source_errors),
    )


def metadata(report: Report, expected: ExpectedReport) -> list[Mismatch]:
    """template, year, agency (:func:`agency_matches`) and sections that differ."""
    out = []
    if str(report.template) != expected.template:
        out.append(Mismatch("template", expected.template, str(report.template)))
    if report.year != expected.year:
        out.append(Mismatch("year", str(expected.year), str(report.year)))
    if not agency_matches(report.agency, expected.agency):
        want = f"{expected.agency!r} (or a name ending in it)"
        out.append(Mismatch("agency", want, repr(report.agency)))
    numbers = sorted(s.number for s in report.sections)
    if numbers != sorted(expected.sections):
        out.append(Mismatch("sections", str(sorted(expected.sections)), str(numbers)))
    return out


def _equal(cell: Cell, want: Expected) -> bool:
    if want is None:
        return cell.state is CellState.BLANK
    if cell.state is not CellState.NUMBER or cell.value is None:
        return False
    value = cell.value
    actual = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return actual == Decimal(want)
