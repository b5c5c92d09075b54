"""The real-world suite: every report of ``../shared/real/`` parses to its hand-verified values.

One parametrised set of tests per input (ids like ``crawler-text/pt01``): it parses, its
template/year/agency/sections are right, no determinable value is wrong or missing, no
ambiguous cell is asserted, every published inconsistency is reported as a finding. The
rules are :mod:`tests.real`'s. Skipped only when the folder is absent.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from govreport import Cell, CellState, Report, Severity, parse, parse_file

from .real import (
    ExpectedReport,
    RealCase,
    SourceError,
    agency_matches,
    cases,
    listing,
    load_expected,
    real_dir,
    score,
)

CASES = cases()
PARAMS = [pytest.param(c, id=c.id) for c in CASES] or [
    pytest.param(None, id="absent", marks=pytest.mark.skip(reason=f"{real_dir()} is absent"))
]

_parsed: dict[RealCase, Report | Exception] = {}


def _outcome(case: RealCase) -> Report | Exception:
    """The case's report, or the exception parsing it raised (parsed once per session)."""
    if case not in _parsed:
        try:
            _parsed[case] = parse_file(case.input)
        except Exception as error:
            _parsed[case] = error
    return _parsed[case]


def _report(case: RealCase) -> Report:
    outcome = _outcome(case)
    if isinstance(outcome, Exception):
        pytest.fail(f"{case.id} does not parse: {type(outcome).__name__}: {outcome}")
    return outcome


def _expected(case: RealCase) -> ExpectedReport:
    assert case.expected.is_file(), f"{case.id}: no expected file {case.expected}"
    return load_expected(case.expected)


def test_cases_found() -> None:
    """The folder, when present, yields inputs, each with its expected file."""
    if not real_dir().is_dir():
        pytest.skip(f"{real_dir()} is absent")
    assert CASES, f"no inputs found under {real_dir()}"
    lacking = [c.id for c in CASES if not c.expected.is_file()]
    assert not lacking, f"inputs without an expected file: {lacking}"


@pytest.mark.parametrize("case", PARAMS)
def test_parses(case: RealCase) -> None:
    outcome = _outcome(case)
    assert not isinstance(outcome, Exception), (
        f"{case.id} does not parse: {type(outcome).__name__}: {outcome}"
    )


@pytest.mark.parametrize("case", PARAMS)
def test_metadata(case: RealCase) -> None:
    """template, year, agency (the expected name, or a longer one ending in it), sections."""
    expected = _expected(case)
    result = score(_report(case), expected)
    assert not result.metadata, f"{case.id}: metadata differs:\n{listing(result.metadata)}"


@pytest.mark.parametrize("case", PARAMS)
def test_values(case: RealCase) -> None:
    """Every determinable value is read, and read right (blank is blank, not 0)."""
    expected = _expected(case)
    report = _report(case)
    result = score(report, expected)
    problems = []
    if result.wrong:
        problems.append(f"{len(result.wrong)} wrong:\n{listing(result.wrong)}")
    if result.missing:
        problems.append(f"{len(result.missing)} missing:\n{listing(result.missing)}")
    assert not problems, (
        f"{case.id}: {len(result.right)}/{result.values} values right; " + "; ".join(problems)
    )


@pytest.mark.parametrize("case", PARAMS)
def test_runs_read_with_fewest_blanks_are_marked(case: RealCase) -> None:
    """Every cell a digit run gave by reading as few blanks as its digits allow (R6) is
    marked inferred: the verifier read these runs so, but a blank could hide in them."""
    report = _report(case)
    pinned = [p for f in report.findings if f.code == "R6" for p in f.paths]
    assert all(report.cell(p).inferred for p in pinned), case.id
    if case.id in FEWEST_BLANKS:
        assert set(FEWEST_BLANKS[case.id]) <= set(pinned), case.id


#: Cells the verifier pinned by reading a glued run with a digit in every cell.
FEWEST_BLANKS = {
    "crawler-text/pt11": ["active_disclosure/art20_1.normative_documents/issued"],
    "crawler-text/pt14": ["active_disclosure/art20_1.normative_documents/in_force"],
    "crawler-text/pt04": ["active_disclosure/art20_5.administrative_license/decisions"],
    "crawler-text/pt03": ["review_litigation/litigation_direct/total"],
    "crawler-text/pt12": ["applications/new_received/natural_person"],
}


@pytest.mark.parametrize("case", PARAMS)
def test_ambiguous_not_asserted(case: RealCase) -> None:
    """A cell the printed text cannot pin is ambiguous, inferred or absent — never asserted."""
    expected = _expected(case)
    result = score(_report(case), expected)
    assert not result.violations, (
        f"{case.id}: {len(result.violations)} of {result.ambiguous} ambiguous cells asserted:\n"
        f"{listing(result.violations)}"
    )


@pytest.mark.parametrize("case", PARAMS)
def test_source_errors_reported(case: RealCase) -> None:
    """Every inconsistency the agency published is reported as a finding (not repaired)."""
    expected = _expected(case)
    report = _report(case)
    result = score(report, expected)
    given = sorted({f"{f.code}: {', '.join(f.paths[:3])}" for f in report.findings})
    assert not result.unreported, (
        f"{case.id}: {len(result.unreported)} of {result.source_errors} source errors not "
        f"reported:\n{listing(result.unreported)}\nfindings given:\n{listing(given, 20)}"
    )


# The harness's own rules, on stand-in reports (only what ``score`` reads), so that a wrong
# figure above is the parser's and not the scorer's.


def _stand_in(cells: dict[str, Cell], findings: tuple[object, ...] = (), **meta: object) -> Any:
    fields = {"template": "2021", "year": 2023, "agency": "洪泽区人民政府", "sections": ()}
    fields.update(meta)
    return SimpleNamespace(cells=lambda: iter(cells.items()), findings=findings, **fields)


def _finding(code: str, *paths: str, severity: Severity = Severity.ERROR) -> object:
    return SimpleNamespace(code=code, paths=paths, severity=severity)


EXPECTED = {
    "template": "2021",
    "year": 2023,
    "agency": "洪泽区人民政府",
    "sections": [1, 2, 3, 4, 5, 6],
    "cells": {
        "t/a/x": 5,
        "t/b/x": 7730.28,
        "t/c/x": None,
        "t/d/x": 1,
        "t/e/x": 0,
        "t/f/x": 2,
        "t/g/x": 3,
    },
    "ambiguous": {
        "t/h/x": {"candidates": [0, "absent"]},
        "t/i/x": {"candidates": [1, 12]},
        "t/j/x": {"candidates": [1, 12]},
        "t/k/x": {"candidates": [1, 12]},
    },
    "source_errors": [],
}


def test_score_rules() -> None:
    n, b = CellState.NUMBER, CellState.BLANK
    cells = {
        "t/a/x": Cell(n, 5),
        "t/b/x": Cell(n, Decimal("7730.280"), inferred=True),  # right: same amount, inferred
        "t/c/x": Cell(n, 0),  # wrong: 0 is not blank
        "t/d/x": Cell(b),  # wrong: blank is not 1
        "t/e/x": Cell(CellState.PLACEHOLDER, raw="/"),  # missing
        "t/f/x": Cell(CellState.AMBIGUOUS, candidates=(2, 20)),  # missing
        # t/g/x absent: missing
        "t/h/x": Cell(n, 0),  # violation, though 0 is the only value candidate
        "t/i/x": Cell(n, 1, inferred=True),  # kept
        "t/j/x": Cell(CellState.AMBIGUOUS, candidates=(1, 12)),  # kept
        # t/k/x absent
        "t/z/x": Cell(b),  # extra
    }
    sections = tuple(SimpleNamespace(number=i) for i in (1, 2, 3, 4, 5, 5))
    result = score(_stand_in(cells, agency="淮安市洪泽区人民政府", sections=sections), EXPECTED)
    assert result.right == ["t/a/x", "t/b/x"]
    assert [m.path for m in result.wrong] == ["t/c/x", "t/d/x"]
    assert [m.path for m in result.missing] == ["t/e/x", "t/f/x", "t/g/x"]
    assert [m.path for m in result.violations] == ["t/h/x"]
    assert (result.kept, result.absent, result.extra) == (["t/i/x", "t/j/x"], ["t/k/x"], ["t/z/x"])
    assert [m.path for m in result.metadata] == ["sections"]
    assert str(result.wrong[0]) == "t/c/x: expected blank, got 0"


def test_agency_rule() -> None:
    assert agency_matches("洪泽区人民政府", "洪泽区人民政府")
    assert agency_matches("淮安市洪泽区人民政府", "洪泽区人民政府")
    assert agency_matches("平潭综合实验区 公安局", "平潭综合实验区公安局")
    assert not agency_matches("平潭综合实验区", "平潭综合实验区公安局")
    assert not agency_matches("平潭综合实验区公安局", "平潭综合实验区")
    assert not agency_matches("洪泽区人民政府办公室", "洪泽区人民政府")
    assert not agency_matches(None, "洪泽区人民政府")


def test_source_error_rule() -> None:
    known = [
        f"applications/{row}/{col}"
        for row in ("new_received", "carried_over", "results.total")
        for col in ("natural_person", "commercial", "total")
    ] + [f"review_litigation/{r}/total" for r in ("review", "litigation_after_review")]
    both = SourceError.read("S1 and O1 broken in natural_person and total columns.", known)
    assert set(both.instances) == {
        (c, p) for c in ("S1", "O1") for p in ("natural_person", "total")
    }
    o1 = [
        _finding("O1", *(f"applications/{r}/{c}" for r in ("new_received",)))
        for c in ("natural_person", "total")
    ]
    s1 = [_finding("S1", f"applications/results.total/{c}") for c in ("natural_person", "total")]
    assert both.reported_by([*o1, *s1])
    assert not both.reported_by([*o1, s1[0]])  # S1 in the total column not reported
    blank = [_finding("S1-blank", "applications/results.total/total", severity=Severity.INFO)]
    assert not both.reported_by([*o1, s1[0], *blank])
    s4 = SourceError.read("S4 row review: upheld+corrected+other+pending=11 != total=0", known)
    assert s4.instances == (("S4", "review"),)
    assert not s4.reported_by([_finding("S4", "review_litigation/litigation_after_review/total")])
    assert s4.reported_by([_finding("S4", "review_litigation/review/total")])
    by_path = SourceError.read({"description": "typed one row low", "paths": ["t/a/x"]}, known)
    assert by_path.reported_by([_finding("N1", "t/a/x", severity=Severity.WARNING)])
    assert not by_path.reported_by([_finding("R1", "t/a/x", severity=Severity.INFO)])
    assert not SourceError.read("the 7 looks misplaced", known).reported_by([_finding("S3")])


#: The real PDF's text as other tools extract it, each a call a user makes; the suite's
#: own extractions of it are files of ``../shared/real/pdf/``.
PDF_TOOLS = {
    # pypdf's layout mode prints the label column up to the values: one label's count
    # glued to its end (5.要求行政机关确认或重新出具0  0  0 …)
    "pypdf-layout": lambda reader: "\n".join(
        page.extract_text(extraction_mode="layout") for page in reader.pages
    ),
    "pypdf-plain": lambda reader: "\n".join(page.extract_text() for page in reader.pages),
}


@pytest.mark.parametrize("tool", sorted(PDF_TOOLS))
def test_real_pdf_through_other_tools(tool: str) -> None:
    """The real PDF's text as pypdf extracts it reads to the hand-verified values."""
    pypdf = pytest.importorskip("pypdf")
    pdf = real_dir() / "pdf" / "hongze-2023.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent")
    text = PDF_TOOLS[tool](pypdf.PdfReader(str(pdf)))
    result = score(parse(text.encode("utf-8")), load_expected(pdf.with_suffix(".expected.json")))
    assert not result.wrong and not result.missing, (
        f"{tool}: {len(result.right)}/{result.values} right; wrong {listing(result.wrong)}; "
        f"missing {listing(result.missing)}"
    )
    assert not result.violations and not result.metadata, tool
