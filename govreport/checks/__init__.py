"""Checks (勾稽关系, FORMAT.md §6): what a report's own numbers say about it.

A broken relation is a finding about the source, never a parse failure.

Each finding's code, severity and meaning: :data:`govreport.spec.codes.CODES`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from functools import cache

from govreport.model import Cell, CellState, Finding, Number, Report, Severity
from govreport.spec import paths
from govreport.spec.dictionary import APPLICANTS, TEMPLATES, Kind, template_for_year
from govreport.spec.relations import Relation, relations
from govreport.structure.narrative import NO_FEE_NOTICE, STATEMENTS, stated


class Verdict(enum.Enum):
    """What a relation says of a report (:func:`evaluate`)."""

    HOLDS = "holds"
    HOLDS_IF_BLANK_ZERO = "holds-if-blank-zero"
    BROKEN = "broken"
    UNCHECKABLE = "uncheckable"


def check(report: Report) -> list[Finding]:
    """Every check of one report, in a stable order."""
    findings: list[Finding] = []
    template = TEMPLATES[report.template]
    printed = {row for table in report.tables for row in table.rows}
    rows = {paths.join(table.key, row, "") for table in report.tables for row in table.rows}
    for rel in relations(template, variants=printed):
        if not any(p[: p.rindex("/") + 1] in rows for p in rel.paths):
            continue  # rows the report leaves out (finding T3): nothing to check
        finding = _relation_finding(report, rel)
        if finding:
            findings.append(finding)
    findings.extend(_counts(report))
    findings.extend(_template_year(report))
    findings.extend(_narrative(report))
    findings.extend(_fees(report))
    return findings


def evaluate(report: Report, rel: Relation) -> tuple[Verdict, Number | None, Number | None]:
    """Whether ``rel`` holds in ``report``, with both sides' sums (blank as 0)."""
    get = report.get
    sides: list[Number] = [0, 0]
    blank = False
    for n, path in enumerate(rel.paths):
        c = get(path)
        if c is None:
            return Verdict.UNCHECKABLE, None, None
        state = c.state  # compared by identity: an enum's hash is a Python call
        if state is CellState.PLACEHOLDER or state is CellState.AMBIGUOUS:
            return Verdict.UNCHECKABLE, None, None
        if c.value is not None:
            sides[n >= len(rel.left)] += c.value
        blank = blank or state is CellState.BLANK
    left, right = sides[0], sides[1] + rel.constant
    if left != right:
        return Verdict.BROKEN, left, right
    if blank:
        return Verdict.HOLDS_IF_BLANK_ZERO, left, right
    return Verdict.HOLDS, left, right


def _relation_finding(report: Report, rel: Relation) -> Finding | None:
    outcome, left, right = evaluate(report, rel)
    if outcome is Verdict.HOLDS:
        return None
    paths = rel.paths
    lines = _lines(report, paths)
    if outcome is Verdict.BROKEN:
        return Finding(
            rel.code,
            Severity.ERROR,
            f"{rel.code} broken — {rel.description}: {left} ≠ {right}",
            paths=paths,
            lines=lines,
            expected=str(left),
            actual=str(right),
        )
    if outcome is Verdict.HOLDS_IF_BLANK_ZERO:
        blanks = tuple(p for p in paths if _cell(report, p).state is CellState.BLANK)
        return Finding(
            f"{rel.code}-blank",
            Severity.INFO,
            f"{rel.code} holds only if blank cells count as 0 — {rel.description} "
            f"({len(blanks)} blank: {', '.join(blanks[:3])}{'…' if len(blanks) > 3 else ''})",
            paths=blanks,
            lines=lines,
        )
    if outcome is Verdict.UNCHECKABLE:
        unknown = tuple(
            p
            for p in paths
            if _cell(report, p) is None
            or _cell(report, p).state in (CellState.PLACEHOLDER, CellState.AMBIGUOUS)
        )
        return Finding(
            f"{rel.code}-unchecked",
            Severity.INFO,
            f"{rel.code} cannot be checked — {rel.description}: "
            f"{len(unknown)} cell(s) missing, placeholder or ambiguous",
            paths=unknown,
            lines=lines,
        )
    return None


@cache
def _kinds(template: str) -> dict[str, Kind]:
    """Each cell path of ``template``'s tables, with its column's kind."""
    return {
        paths.join(t.key, r.key, c.key): c.kind
        for t in TEMPLATES[template].tables
        for r in (*t.rows, *t.variants)
        for c in r.columns
    }


def _counts(report: Report) -> Iterable[Finding]:
    kinds = _kinds(report.template)
    for path, cell in report.cells():
        value = cell.value
        if value is None or (type(value) is int and value >= 0):
            continue  # (the usual cell: a whole number ≥ 0 is right in every column)
        if cell.state is not CellState.NUMBER:
            continue
        kind = kinds[path]
        negative = cell.value < 0 and kind is not Kind.SIGNED
        fractional = kind is not Kind.MONEY and cell.value != int(cell.value)
        if negative or fractional:
            yield Finding(
                "S5",
                Severity.ERROR,
                f"{path} is {cell.raw or cell.value}: a count must be a whole number ≥ 0",
                paths=(path,),
                lines=_lines(report, (path,)),
                actual=str(cell.value),
            )


def _template_year(report: Report) -> Iterable[Finding]:
    if report.year is None:
        return
    should = template_for_year(report.year)
    if should is None or should.id == report.template:
        return
    expected = should.id
    yield Finding(
        "Y1",
        Severity.WARNING,
        f"a {report.year} report on the {report.template} template: reports on {report.year} "
        f"should follow the {expected} template",
        expected=expected,
        actual=report.template,
    )


def _narrative(report: Report) -> Iterable[Finding]:
    for statement in STATEMENTS:
        for number in statement.sections:
            section = report.section(number)
            if section is None:
                continue
            found = stated(statement, section)
            if found is None:
                continue
            cells = [_cell(report, p) for p in statement.paths]
            if any(
                c is None or c.state in (CellState.PLACEHOLDER, CellState.AMBIGUOUS) for c in cells
            ):
                continue
            table = sum((_num(c) for c in cells), start=0)
            figure, line = found
            if figure != table:
                yield Finding(
                    statement.code,
                    Severity.WARNING,
                    f"section {number} states {figure} {statement.what}; the table says {table}",
                    paths=statement.paths,
                    lines=tuple(sorted({line, *_lines(report, statement.paths)})),
                    expected=str(figure),
                    actual=str(table),
                )
            break


def _fees(report: Report) -> Iterable[Finding]:
    section = report.section(6)
    path = "applications/results.other.overdue_fee/total"
    if section is None or not NO_FEE_NOTICE.search(section.text):
        return
    cell = _cell(report, path)
    if cell is not None and cell.state is CellState.NUMBER and cell.value:
        yield Finding(
            "F1",
            Severity.WARNING,
            f"section 六 says no fee notice went out, but {cell.value} application(s) "
            "lapsed for an unpaid fee",
            paths=(path,),
            lines=(*section.text_lines[:1], *_lines(report, (path,))),
            expected="0",
            actual=str(cell.value),
        )


def compare(previous: Report, current: Report) -> list[Finding]:
    """Findings across two years of one agency's reports (``previous`` first)."""
    findings: list[Finding] = []
    if previous.year is not None and current.year is not None and current.year != previous.year + 1:
        findings.append(
            Finding(
                "X3",
                Severity.WARNING,
                f"the reports are for {previous.year} and {current.year}, not consecutive years",
                expected=str(previous.year + 1),
                actual=str(current.year),
            )
        )
    if previous.agency and current.agency and previous.agency != current.agency:
        findings.append(
            Finding(
                "X3",
                Severity.WARNING,
                f"the reports are by {previous.agency!r} and {current.agency!r}",
            )
        )
    for col in (c.key for c in APPLICANTS):
        before = _cell(previous, f"applications/carried_forward/{col}")
        now = _cell(current, f"applications/carried_over/{col}")
        if _comparable(before, now) and _num(before) != _num(now):
            findings.append(
                Finding(
                    "X1",
                    Severity.WARNING,
                    f"carried over into {current.year} ({col}) is {_num(now)}, but "
                    f"{previous.year} carried forward {_num(before)}",
                    paths=(f"applications/carried_over/{col}",),
                    lines=tuple(c.line for c in (now,) if c.line),
                    expected=str(_num(before)),
                    actual=str(_num(now)),
                )
            )
    if previous.template == current.template == "2021":
        row = "active_disclosure/art20_1.normative_documents"
        cells = [_cell(previous, f"{row}/in_force")] + [
            _cell(current, f"{row}/{k}") for k in ("issued", "repealed", "in_force")
        ]
        if all(_comparable(c, c) for c in cells):
            before, issued, repealed, now = (_num(c) for c in cells)
            if before + issued - repealed != now:
                findings.append(
                    Finding(
                        "X2",
                        Severity.WARNING,
                        f"normative documents in force: {before} last year + {issued} issued "
                        f"− {repealed} repealed = {before + issued - repealed}, "
                        f"but {now} are reported",
                        paths=(f"{row}/in_force",),
                        expected=str(before + issued - repealed),
                        actual=str(now),
                    )
                )
    return findings


def _comparable(a: Cell | None, b: Cell | None) -> bool:
    """Both cells hold numbers (a blank is not 0, so it is not compared)."""
    ok = CellState.NUMBER
    return a is not None and b is not None and a.state is ok and b.state is ok


def _cell(report: Report, path: str) -> Cell | None:
    return report.get(path)


def _num(cell: Cell | None) -> Number:
    return cell.value if cell is not None and cell.value is not None else 0


def _lines(report: Report, paths: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted({c.line for p in paths if (c := _cell(report, p)) and c.line}))
