"""The parsing pipeline: normalise → skeleton → detect → tables → placement → Report."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from attrs import evolve, frozen
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

from govreport import checks, placement, tables
from govreport.errors import LayoutError, ParseError, StructureError
from govreport.grammars import parser
from govreport.model import CellState, Finding, Report, Section, Severity, SourceLine, Table
from govreport.readers import layouts
from govreport.readers.text import Normalised, check_text, decode, normalise
from govreport.spec.dictionary import TEMPLATES, TableDef
from govreport.spec.relations import relations
from govreport.structure import detect, metadata, narrative

#: A line of nothing but table bars: debris when it is not inside a table.
_BARS_ONLY = re.compile(r"^\s*\|[\s|]*$")


@frozen
class _Heading:
    number: int
    text: str
    line: int


def parse(text: str | bytes, *, layout: str | None = None, template: str | None = None) -> Report:
    """Parse a report's text (or its bytes, in any encoding we read) into a :class:`Report`.

    ``layout`` forces a table layout (see :data:`govreport.readers.layouts.LAYOUTS`) and
    ``template`` a template id (``"2019"``/``"2021"``) instead of detecting them.
    Raises :class:`~govreport.errors.ParseError` (or a subclass) for bad input.
    """
    text = decode(text) if isinstance(text, bytes) else check_text(text)
    norm = normalise(text)
    try:
        return _parse(norm, layout, template)
    except ParseError:
        raise
    except UnexpectedInput as exc:  # pragma: no cover - every grammar call handles its own
        raise ParseError(str(exc).splitlines()[0], line=exc.line, column=exc.column) from None
    except LarkError as exc:  # pragma: no cover
        raise ParseError(f"internal grammar error: {exc}") from None


def parse_file(
    path: str | os.PathLike[str], *, layout: str | None = None, template: str | None = None
) -> Report:
    """Parse a report file: UTF-8 with or without BOM, UTF-16 with BOM, or GB18030/GBK."""
    with open(path, "rb") as f:
        return parse(f.read(), layout=layout, template=template)


def _parse(norm: Normalised, layout_name: str | None, template_id: str | None) -> Report:
    if not norm.text.strip():
        raise StructureError(
            "the input is empty",
            line=1,
            expected="the text of an annual report",
            hint="check that the file was extracted or downloaded completely",
        )
    headings, preamble_end = _skeleton(norm)
    detect.check_not_legacy(norm.text)
    numbers = [h.number for h in headings]
    if not {2, 3, 4} & set(numbers):
        raise StructureError(
            "no report sections found",
            line=1,
            expected="the section headings 一、总体情况 … 六、其他需要报告的事项 "
            "(at least one of 二, 三, 四, which hold the tables)",
            snippet=next((line for line in norm.lines if line.strip()), "")[:40] or None,
        )
    bodies = _bodies(norm, headings)
    table_lines = [t for h in headings if h.number in (2, 3, 4) for _, t in bodies[h.number]]
    table_text = "\n".join(table_lines)
    tid = template_id or detect.template(table_text)
    if tid not in TEMPLATES:
        raise ParseError(f"unknown template {tid!r}", expected=" or ".join(TEMPLATES))
    tpl = TEMPLATES[tid]
    layout = _layout(layout_name, table_lines)

    preamble = [(n, norm.lines[n - 1]) for n in range(1, preamble_end) if norm.lines[n - 1].strip()]
    body_lines = [pair for h in headings for pair in bodies[h.number]]
    meta = metadata.find(preamble, body_lines)

    unrecognised = list(norm.dropped)
    sections: list[Section] = []
    built: dict[str, Table] = {}
    findings: list[Finding] = []
    rels = relations(tpl)
    pins: list = []
    budget = placement.Budget()
    read: dict[int, _Read] = {}
    for heading in headings:
        table_def = next((t for t in tpl.tables if t.section == heading.number), None)
        if table_def is not None:
            read[heading.number] = _read(table_def, tid, layout, bodies[heading.number])
    # An extraction that drops blank cells drops them everywhere, so one row that
    # prints a blank between two values on one line shows this one may keep them
    # (padding between a row and a stray line of values joined to it does not count).
    keeps_blanks = any(r.printed.prints_blanks for r in read.values())
    for heading in headings:
        body = bodies[heading.number]
        prose = body
        if heading.number in read:
            got = read[heading.number]
            printed = evolve(got.printed, keeps_blanks=keeps_blanks)
            table, found = _place(got.table_def, printed, rels, pins, budget)
            built[table.key] = evolve(table, lines=got.lines)
            findings.extend(found)
            prose = got.prose
        kept = []
        for n, t in prose:
            if _BARS_ONLY.match(t):
                unrecognised.append(SourceLine(n, t.strip(), "table bars outside a table"))
            elif t.strip():
                kept.append((n, t))
        section = Section(
            heading.number,
            heading.text,
            "\n".join(t.strip() for _, t in kept),
            line=heading.line,
            text_lines=tuple(n for n, _ in kept),
        )
        sections.append(section)
        if section.number == 1:
            pins = narrative.pins(section)
    for table_def in tpl.tables:
        if table_def.key not in built:
            built[table_def.key] = Table(table_def.key, {})
            findings.append(
                Finding(
                    "T1",
                    Severity.WARNING,
                    f"section {table_def.section} ({table_def.title}) is missing, so is its table",
                    paths=(table_def.key,),
                )
            )

    title_lines = tuple(n for n in (meta.agency_line, meta.title_line) if n is not None)
    rest = [(n, t) for n, t in preamble if n not in title_lines]
    report = Report(
        template=tid,
        year=meta.year,
        agency=meta.agency,
        sections=tuple(sections),
        active_disclosure=built["active_disclosure"],
        applications=built["applications"],
        review_litigation=built["review_litigation"],
        preamble="\n".join(t.strip() for _, t in rest),
        title=meta.title,
        title_lines=title_lines,
        preamble_lines=tuple(n for n, _ in rest),
        year_source=meta.year_source,
        layout=layout.name if layout else None,
        script=norm.script,
        unrecognised=tuple(sorted(unrecognised, key=lambda s: s.line)),
        findings=tuple(findings),
        original_text=norm.original,
    )
    return evolve(report, findings=(*report.findings, *checks.check(report)))


def _has_ambiguous(table: Table) -> bool:
    return any(
        c.state is CellState.AMBIGUOUS for row in table.rows.values() for c in row.cells.values()
    )


def _changed_cells(before: Table, after: Table) -> list[str]:
    return [
        f"{before.key}/{key}/{col}"
        for key, row in before.rows.items()
        for col, cell in row.cells.items()
        if after.rows[key].cells[col] != cell
    ]


def _pinned_finding(pins: list, changed: list[str]) -> Finding:
    said = "; ".join(p.description for p in pins)
    return Finding(
        "R5",
        Severity.WARNING,
        f"{len(changed)} cell(s) could be placed only by trusting figures stated in the text "
        f"({said})",
        paths=tuple(changed),
        lines=tuple(sorted({n for p in pins for n in p.lines})),
    )


def _skeleton(norm: Normalised) -> tuple[list[_Heading], int]:
    """The section headings in order, and the line where the first one starts."""
    try:
        tree = parser("skeleton").parse(norm.text + "\n")
    except UnexpectedInput as exc:
        line = norm.lines[exc.line - 1].strip() if 0 < exc.line <= len(norm.lines) else ""
        raise StructureError(
            "a section heading where it cannot come: the six sections must appear once "
            "each, in order",
            line=exc.line,
            column=exc.column,
            expected="the headings 一、… 六、 in order, each once",
            snippet=line[:40] or None,
            hint="if the file holds two reports (or one twice), split it",
        ) from None
    headings = []
    for child in tree.children:
        if isinstance(child, Tree) and child.data.startswith("section_"):
            token = child.children[0]
            assert isinstance(token, Token)
            headings.append(_Heading(int(child.data[-1]), " ".join(token.split()), token.line))
    first = headings[0].line if headings else len(norm.lines) + 1
    return headings, first


def _bodies(norm: Normalised, headings: Sequence[_Heading]) -> dict[int, list[tuple[int, str]]]:
    out = {}
    ends = [h.line for h in headings[1:]] + [len(norm.lines) + 1]
    for heading, end in zip(headings, ends, strict=True):
        out[heading.number] = [(n, norm.lines[n - 1]) for n in range(heading.line + 1, end)]
    return out


def _layout(name: str | None, lines: list[str]) -> layouts.Layout | None:
    if name is not None:
        if name not in layouts.LAYOUTS:
            raise LayoutError(f"unknown layout {name!r}", expected=", ".join(layouts.LAYOUTS))
        return layouts.LAYOUTS[name]
    return layouts.detect(lines)


@frozen
class _Read:
    table_def: TableDef
    printed: tables.PrintedTable
    lines: tuple[int, ...]  #: the table's non-empty lines
    prose: list[tuple[int, str]]  #: the section's lines outside the table


def _read(
    table_def: TableDef,
    template: str,
    layout: layouts.Layout | None,
    body: list[tuple[int, str]],
) -> _Read:
    texts = [t for _, t in body]
    span = layouts.table_span(layout, texts) if layout else None
    if layout is None or span is None:
        first = next((n for n, t in body if t.strip()), body[0][0] if body else None)
        raise LayoutError(
            f"section {table_def.section} has no table in a layout we read",
            line=first,
            expected="table rows split by |, by tabs, or one cell per line "
            f"({', '.join(layouts.LAYOUTS)})",
            snippet=next((t.strip()[:40] for t in texts if t.strip()), None),
            hint="if the table is there, force the layout with --layout",
        )
    start, end = span
    items = layouts.stream(layout, texts[start : end + 1], body[start][0])
    printed = evolve(
        tables.read(table_def, template, items), may_drop_blanks=layout.may_drop_blanks
    )
    lines = tuple(n for n, t in body[start : end + 1] if t.strip())
    return _Read(table_def, printed, lines, body[:start] + body[end + 1 :])


def _place(
    table_def: TableDef,
    printed: tables.PrintedTable,
    rels,
    pins,
    budget: placement.Budget,
) -> tuple[Table, list[Finding]]:
    table, findings = placement.place(printed, table_def, rels, budget)
    own_pins = [p for p in pins if all(x.startswith(table_def.key + "/") for x in p.left)]
    if own_pins and _has_ambiguous(table):
        pinned, pinned_findings = placement.place(printed, table_def, [*rels, *own_pins], budget)
        changed = _changed_cells(table, pinned)
        if changed:
            table = pinned
            findings = [*pinned_findings, _pinned_finding(own_pins, changed)]
    return table, findings
