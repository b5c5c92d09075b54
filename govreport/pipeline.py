"""The parsing pipeline: reader → document → skeleton → template → tables → placement →
checks → Report."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import cache

from attrs import evolve, frozen
from lark import Tree
from lark.exceptions import LarkError, UnexpectedInput

from govreport import checks, placement, readers, tables
from govreport.document import Document, GridCell, Source, TextLine
from govreport.errors import LayoutError, ParseError, StructureError, TableError
from govreport.grammars import TOKEN_TYPES, parse_text, parser
from govreport.model import CellState, Finding, Report, Section, Severity, SourceLine, Table
from govreport.readers import layouts
from govreport.spec import paths
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


def parse(
    data: str | bytes,
    *,
    layout: str | None = None,
    template: str | None = None,
    strict: bool = False,
) -> Report:
    """Parse a report into a :class:`Report`: its text, or its bytes in any format we read
    (text in any encoding we read, PDF, HTML, DOCX; recognised by content).

    ``layout`` forces a text table layout (see :data:`govreport.readers.layouts.LAYOUTS`)
    and ``template`` a template id (``"2019"``/``"2021"``) instead of detecting them.
    A table that cannot be read becomes a finding (``T2``) and the rest of the report is
    still returned; ``strict=True`` raises instead. Raises
    :class:`~govreport.errors.ParseError` (or a subclass) for input that is no report.
    """
    return build(readers.read(data), layout=layout, template=template, strict=strict)


def parse_file(
    path: str | os.PathLike[str],
    *,
    layout: str | None = None,
    template: str | None = None,
    strict: bool = False,
) -> Report:
    """Parse a report file: text (UTF-8 with or without BOM, UTF-16, GB18030/GBK), PDF,
    HTML or DOCX (``.doc``/``.wps`` through LibreOffice when it is installed)."""
    with open(path, "rb") as f:
        return parse(f.read(), layout=layout, template=template, strict=strict)


def build(
    document: Document,
    *,
    layout: str | None = None,
    template: str | None = None,
    strict: bool = False,
) -> Report:
    """The report in an intermediate document (see :mod:`govreport.document`)."""
    try:
        return _build(_Lines.of(document), layout, template, strict)
    except ParseError:
        raise
    except UnexpectedInput as exc:  # pragma: no cover - every grammar call handles its own
        raise ParseError(str(exc).splitlines()[0], line=exc.line, column=exc.column) from None
    except LarkError as exc:  # pragma: no cover
        raise ParseError(f"internal grammar error: {exc}") from None


#: Grid rows are lines of their own in the linearised document, marked so that no
#: heading or layout signature can match them.
_GRID_MARK = "\ue010"


@frozen
class _Lines:
    """The document linearised: line ``n`` is a text line or one row of a grid."""

    document: Document
    lines: tuple[str, ...]
    #: line number → the grid row on that line
    grid_rows: dict[int, tuple[GridCell, ...]]

    @classmethod
    def of(cls, document: Document) -> _Lines:
        lines: list[str] = []
        rows: dict[int, tuple[GridCell, ...]] = {}
        for block in document.blocks:
            if isinstance(block, TextLine):
                lines.append(block.text)
                continue
            for row in block.rows:
                lines.append(_GRID_MARK + "\t".join(c.text for c in row))
                rows[len(lines)] = row
        return cls(document, tuple(lines), rows)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def original(self) -> str:
        if self.document.original:
            return self.document.original
        return "\n".join(line.removeprefix(_GRID_MARK) for line in self.lines)


def _build(doc: _Lines, layout_name: str | None, template_id: str | None, strict: bool) -> Report:
    if not doc.text.strip():
        raise StructureError(
            "the input is empty",
            line=1,
            expected="the text of an annual report",
            hint="check that the file was extracted or downloaded completely",
        )
    headings, preamble_end = _skeleton(doc)
    detect.check_not_legacy(doc.text)
    numbers = [h.number for h in headings]
    if not {2, 3, 4} & set(numbers):
        raise StructureError(
            "no report sections found",
            line=1,
            expected="the section headings 一、总体情况 … 六、其他需要报告的事项 "
            "(at least one of 二, 三, 四, which hold the tables)",
            snippet=next((line for line in doc.lines if line.strip()), "")[:40] or None,
        )
    bodies = _bodies(doc, headings)
    table_lines = [t for h in headings if h.number in (2, 3, 4) for _, t in bodies[h.number]]
    tid = template_id or detect.template("\n".join(table_lines))
    if tid not in TEMPLATES:
        raise ParseError(f"unknown template {tid!r}", expected=" or ".join(TEMPLATES))
    tpl = TEMPLATES[tid]
    text_table_lines = [
        t for h in headings if h.number in (2, 3, 4) for n, t in bodies[h.number]
        if n not in doc.grid_rows
    ]  # fmt: skip
    layout = _layout(layout_name, text_table_lines)

    preamble = [(n, doc.lines[n - 1]) for n in range(1, preamble_end) if doc.lines[n - 1].strip()]
    body_lines = [pair for h in headings for pair in bodies[h.number]]
    given = doc.document.metadata.get("title")
    meta = metadata.find(preamble, body_lines, titles=(given,) if given else ())

    unrecognised = [SourceLine(d.source.line or 0, d.text, d.reason) for d in doc.document.dropped]
    sections: list[Section] = []
    built: dict[str, Table] = {}
    findings: list[Finding] = []
    pins: list = []
    budget = placement.Budget()
    read: dict[int, _Read] = {}
    for heading in headings:
        table_def = next((t for t in tpl.tables if t.section == heading.number), None)
        if table_def is None:
            continue
        try:
            got = _read_section(
                table_def, tid, layout, bodies[heading.number], doc, forced=layout_name is not None
            )
            read[heading.number] = got
            if got.layout is not None and layout is not None:
                findings.append(
                    Finding(
                        "T4",
                        Severity.INFO,
                        f"section {table_def.section} ({table_def.title}): the table does not "
                        f"read in the document's layout, {layout.name}; it was read in its "
                        f"own lines' layout, {got.layout}",
                        lines=got.lines[:1],
                    )
                )
        except (LayoutError, TableError) as exc:
            if strict:
                raise
            built[table_def.key] = Table(table_def.key, {})
            findings.append(_unreadable(table_def, exc))
            lines = [(n, t) for n, t in bodies[heading.number] if _is_table_line(n, t, doc, layout)]
            unrecognised.extend(
                SourceLine(n, t.removeprefix(_GRID_MARK).strip(), f"in the unreadable table "
                           f"of section {table_def.section}")
                for n, t in lines
            )  # fmt: skip
            bodies[heading.number] = [p for p in bodies[heading.number] if p not in lines]
    # An extraction that drops blank cells drops them everywhere, so one row that
    # prints a blank between two values on one line shows this one may keep them
    # (padding between a row and a stray line of values joined to it does not count).
    keeps_blanks = any(r.printed.prints_blanks for r in read.values())
    rels = relations(
        tpl, variants={k for r in read.values() for row in r.printed.rows for k in row.keys}
    )
    for heading in headings:
        body = bodies[heading.number]
        prose = body
        if heading.number in read:
            got = read[heading.number]
            printed = got.printed
            if not printed.exact:
                printed = evolve(printed, keeps_blanks=keeps_blanks)
            table, found = _place(got.table_def, printed, rels, pins, budget)
            built[table.key] = evolve(table, lines=got.lines)
            findings.extend(found)
            findings.extend(_absent_rows(got.table_def, table))
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

    title_lines = meta.title_lines
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
        layout=layout.name if layout and text_table_lines else None,
        reader=doc.document.reader,
        script=doc.document.script,
        metadata=dict(doc.document.metadata),
        metadata_lines=doc.document.metadata_lines,
        unrecognised=tuple(sorted(unrecognised, key=lambda s: s.line)),
        findings=tuple(findings),
        original_text=doc.original(),
    )
    return evolve(report, findings=(*report.findings, *checks.check(report)))


def _absent_rows(table_def: TableDef, table: Table) -> list[Finding]:
    """T3 for the template rows a table leaves out (a variant row printed instead of
    the rows it replaces leaves none out)."""
    replaced = {k for v in table_def.variants if v.key in table.rows for k in v.replaces}
    absent = [r for r in table_def.rows if r.key not in table.rows and r.key not in replaced]
    if not absent:
        return []
    labels = "; ".join(r.label for r in absent[:4]) + ("…" if len(absent) > 4 else "")
    return [
        Finding(
            "T3",
            Severity.WARNING,
            f"section {table_def.section} ({table_def.title}): {len(absent)} row(s) of the "
            f"template are not in the table, so their cells are absent: {labels}",
            paths=tuple(paths.join(table_def.key, r.key, "*") for r in absent),
        )
    ]


def _unreadable(table_def: TableDef, exc: ParseError) -> Finding:
    return Finding(
        "T2",
        Severity.ERROR,
        f"section {table_def.section} ({table_def.title}): the table could not be read, so "
        f"its cells are absent: {exc}",
        paths=(table_def.key,),
        lines=(exc.line,) if exc.line else (),
    )


def _is_table_line(n: int, text: str, doc: _Lines, layout: layouts.Layout | None) -> bool:
    if n in doc.grid_rows:
        return True
    if layout is None or not text.strip():
        return False
    return bool((layout.region or layout.signature).search(text))


def _has_ambiguous(table: Table) -> bool:
    return any(
        c.state is CellState.AMBIGUOUS for row in table.rows.values() for c in row.cells.values()
    )


def _changed_cells(before: Table, after: Table) -> list[str]:
    return [
        paths.join(before.key, key, col)
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


@cache
def _headings() -> re.Pattern[str]:
    """Any heading terminal of ``skeleton.lark``, as the grammar compiles them."""
    found = [t.pattern.to_regexp() for t in parser("skeleton").terminals
             if t.name.startswith("HEADING_")]  # fmt: skip
    return re.compile("|".join(f"(?:{p})" for p in found))


def _heading_lines(lines: Sequence[str]) -> tuple[str, list[int]]:
    """The text the skeleton grammar reads, and the line each of its lines stands for.

    Only lines where a heading terminal matches can be headings; each run of other lines
    with text is one line of the reduced text (a run of LINE tokens parses as one does),
    so the grammar reads a few dozen lines instead of every line of prose."""
    text = "\n".join(lines) + "\n"
    pattern = _headings()
    kept: list[str] = []
    where: list[int] = []
    prose = False  # is the last kept line a stand-in for lines of prose?
    offset = 0
    covered = 0  # lines up to here are part of a heading matched above
    for number, line in enumerate(lines, start=1):
        start, offset = offset, offset + len(line) + 1
        if number <= covered:
            kept.append(line)
            where.append(number)
            continue
        found = pattern.match(text, start)
        if found:
            covered = number + text.count("\n", start, found.end())
            kept.append(line)
            where.append(number)
            prose = False
        elif line.strip() and not prose:
            kept.append("x")
            where.append(number)
            prose = True
    return "\n".join(kept) + "\n", where


def _skeleton(norm: _Lines) -> tuple[list[_Heading], int]:
    """The section headings in order, and the line where the first one starts."""
    reduced, where = _heading_lines(norm.lines)
    try:
        tree = parse_text("skeleton", reduced)
    except UnexpectedInput as exc:
        exc.line = where[exc.line - 1] if 0 < exc.line <= len(where) else exc.line
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
            assert isinstance(token, TOKEN_TYPES)
            line = where[token.line - 1]
            headings.append(_Heading(int(child.data[-1]), " ".join(str(token).split()), line))
    first = headings[0].line if headings else len(norm.lines) + 1
    return headings, first


def _bodies(norm: _Lines, headings: Sequence[_Heading]) -> dict[int, list[tuple[int, str]]]:
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


def _read_section(
    table_def: TableDef,
    template: str,
    layout: layouts.Layout | None,
    body: list[tuple[int, str]],
    doc: _Lines,
    *,
    forced: bool = False,
) -> _Read:
    """The section's table in the document's layout or, when it does not read so and no
    layout was forced, in the layout of the section's own lines (an extraction may print
    one table's rows otherwise than another's: pypdfium2 prints a short row's values on
    one line and a long row's one per line)."""
    try:
        return _read(table_def, template, layout, body, doc, forced=forced)
    except (LayoutError, TableError) as exc:
        grid = any(n in doc.grid_rows for n, _ in body)  # read as a grid whatever the layout
        own = None if forced or grid else layouts.detect([t for n, t in body])
        if own is None or own is layout:
            raise
        try:
            return evolve(_read(table_def, template, own, body, doc), layout=own.name)
        except (LayoutError, TableError):
            raise exc from None


@frozen
class _Read:
    table_def: TableDef
    printed: tables.PrintedTable
    lines: tuple[int, ...]  #: the table's non-empty lines
    prose: list[tuple[int, str]]  #: the section's lines outside the table
    layout: str | None = None  #: the layout it was read in, when not the document's


def _read(
    table_def: TableDef,
    template: str,
    layout: layouts.Layout | None,
    body: list[tuple[int, str]],
    doc: _Lines,
    *,
    forced: bool = False,
) -> _Read:
    grid = [(n, doc.grid_rows[n]) for n, _ in body if n in doc.grid_rows]
    if grid:
        return _read_grid(table_def, template, body, grid)
    texts = [t for _, t in body]
    span = layouts.table_span(layout, texts) if layout else None
    if layout is None or span is None:
        first = next((n for n, t in body if t.strip()), body[0][0] if body else None)
        snippet = next((t.strip()[:40] for t in texts if t.strip()), None)
        if forced and layout is not None:
            raise LayoutError(
                f"section {table_def.section} has no table in the {layout.name} layout, "
                "which was forced",
                line=first,
                expected=layout.description,
                snippet=snippet,
                hint="parse without layout=/--layout to detect the layout, or force another",
            )
        raise LayoutError(
            f"section {table_def.section} has no table in a layout we read",
            line=first,
            expected="table rows split by |, by tabs, or one cell per line "
            f"({', '.join(layouts.LAYOUTS)})",
            snippet=snippet,
            hint="if the table is there, force the layout with layout=/--layout",
        )
    start, end = span
    top = next((k for k, t in enumerate(texts) if t.strip()), start)
    # lines a reader blanked (page numbers, web debris): no blank line of the table
    debris = frozenset(d.source.line for d in doc.document.dropped if d.source.line)
    originals = _original_lines(doc, body) if layout.aligned else None

    def read_from(first: int) -> tables.PrintedTable:
        items = layouts.stream(
            layout, texts[first : end + 1], body[first][0], forced=forced, debris=debris,
            originals=originals[first : end + 1] if originals else None,
        )  # fmt: skip
        return tables.read(table_def, template, items)

    try:
        printed = read_from(start)
    except TableError:
        if top >= start:
            raise
        # the table's first rows printed outside its layout's region (a caption above
        # the first ruled row, a page break between them): read from the section's top
        start = top
        printed = read_from(start)
    if layout.whole_rows:
        _check_whole_rows(printed, table_def, layout)
    printed = evolve(printed, may_drop_blanks=layout.may_drop_blanks, aligned=layout.aligned)
    lines = tuple(n for n, t in body[start : end + 1] if t.strip())
    return _Read(table_def, printed, lines, body[:start] + body[end + 1 :])


def _original_lines(doc: _Lines, body: list[tuple[int, str]]) -> list[str | None]:
    """The source's own text of each line of ``body``, before normalisation folded its
    full-width characters (an aligned layout's columns are counted on it) — or, where
    the reader kept no text of the source (re-flowed or grid text), the lines as read."""
    original = doc.original().split("\n")
    return [original[n - 1] if 0 < n <= len(original) else None for n, _ in body]


def _check_whole_rows(
    printed: tables.PrintedTable, table_def: TableDef, layout: layouts.Layout
) -> None:
    """Raise :class:`TableError` if a row prints more values than it has columns, or
    none: where blank cells print nothing, a row of labels alone is as likely the start
    of a table printed column by column (every label, then each column's values) as a
    row of blanks, and reading it as blanks could be wrong."""
    widths = {r.key: len(r.columns) for r in (*table_def.rows, *table_def.variants)}
    for row in printed.rows:
        values = sum(1 for c in row.cells if not c.empty)
        width = sum(widths[k] for k in row.keys)
        if values > width or values == 0:
            raise TableError(
                f"section {table_def.section} table ({table_def.key}): row {row.label!r} "
                f"prints {values} values for its {width} columns, so the extraction may not "
                "have printed the table row by row",
                line=row.line,
                expected=layout.description,
                snippet=row.label[:40],
                hint="extract the text row by row (pdftotext -layout, PyMuPDF, pdfplumber), "
                "or parse the PDF itself",
            )


def _read_grid(
    table_def: TableDef,
    template: str,
    body: list[tuple[int, str]],
    grid: list[tuple[int, tuple[GridCell, ...]]],
) -> _Read:
    """A table whose cells the source delimits: every row is read as printed. If the
    grids alone do not make the table, the text lines between them are taken as rows of
    one cell each (a page whose captions 第二十条第（五）项 are paragraphs between tables)."""
    rows = dict(grid)
    first, last = grid[0][0], grid[-1][0]
    texts = [(n, t) for n, t in body if n not in rows and t.strip()]
    # the text lines between the grids, then every text line of the section
    tries = [[], [(n, t) for n, t in texts if first < n < last], texts]
    error: TableError | None = None
    for extra in dict.fromkeys(tuple(x) for x in tries):
        lines = [(n, (GridCell(t.strip(), Source(line=n)),)) for n, t in extra]
        try:
            printed = tables.read(
                table_def, template, _grid_items(sorted([*grid, *lines], key=lambda p: p[0]))
            )
        except TableError as exc:
            error = error or exc
            continue
        taken = {*rows, *(n for n, _ in extra)}
        break
    else:
        assert error is not None
        raise error
    printed = evolve(printed, may_drop_blanks=False, exact=True)
    return _Read(table_def, printed, tuple(sorted(taken)), [p for p in body if p[0] not in taken])


def _grid_items(grid: list[tuple[int, tuple[GridCell, ...]]]) -> list[layouts.Item]:
    items: list[layouts.Item] = []
    for n, row in grid:
        for cell in row:
            column = (cell.source.col or 0) + 1
            text = " ".join(cell.text.split())
            items.append(layouts.Item(text, n, column, source=cell.source))
        items.append(layouts.Item("", n, len(row) + 1, is_break=True))
    return items


def _place(
    table_def: TableDef,
    printed: tables.PrintedTable,
    rels,
    pins,
    budget: placement.Budget,
) -> tuple[Table, list[Finding]]:
    own_pins = [p for p in pins if all(x.startswith(table_def.key + "/") for x in p.left)]
    # the weakest evidence last: the relations, then stated figures, then (in the same
    # pass, cells still open) as few blanks as a digit run allows
    runs = placement.has_runs(printed)
    table, findings = placement.place(
        printed, table_def, rels, budget, fewest_blanks=runs and not own_pins
    )
    extra: list[Finding] = []
    if own_pins and _has_ambiguous(table):
        pinned, pinned_findings = placement.place(
            printed, table_def, [*rels, *own_pins], budget, fewest_blanks=runs
        )
        out_of_time = sum(f.code == "R3" for f in pinned_findings) > sum(
            f.code == "R3" for f in findings
        )  # keep what was read
        changed = _changed_cells(table, pinned)
        if changed and not out_of_time:
            fewer = {p for f in pinned_findings if f.code == "R6" for p in f.paths}
            by_pins = [c for c in changed if c not in fewer]
            table, findings = pinned, pinned_findings
            extra = [_pinned_finding(own_pins, by_pins)] if by_pins else []
    return table, [*findings, *extra]
