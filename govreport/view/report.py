"""A report's audit page: one self-contained HTML file to check a parsed report by eye.

:func:`render_report` lays the three tables out as the template prints them (from
``govreport.spec``; see :mod:`govreport.view.layout`), each cell marked by its state with a
glyph and a colour, its raw text and provenance on hover and on keyboard focus; lists the
findings, each linked to its cells; and shows the source beside it with the lines that fed
the tables marked and the unrecognised lines flagged. For a PDF the pages are drawn beside
the source with the cells boxed, and each cell's tooltip shows its region of the page.

The page needs no network: CSS, script and images are inline. The tables, tooltips and
links work without JavaScript (links to cells use ``:target``); a small inline script adds
click-to-highlight between findings, cells and source lines.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence

from govreport.model import Cell, CellState, Finding, Report, Table
from govreport.spec import paths
from govreport.spec.codes import CODES
from govreport.spec.dictionary import SECTIONS, TEMPLATES, Column, TableDef
from govreport.view._html import SEVERITY_GLYPH, asset, esc, number, page
from govreport.view.layout import LabelCell, LaidRow, TableLayout, lay_out
from govreport.view.pdfimages import PageImage, render_pages

__all__ = ["ABSENT", "STATE_GLYPHS", "cell_id", "cell_state", "render_file", "render_report"]

#: The state a page gives a cell the template has and the report does not.
ABSENT = "absent"

#: The mark of each state a page shows, so that colour is not the only signal
#: (``number``: a figure as printed carries no mark).
STATE_GLYPHS = {
    "number": "",
    "inferred": "∴",
    "blank": "○",
    "placeholder": "〃",
    "ambiguous": "?",
    ABSENT: "∅",
}
_STATE_NAMES = {
    "number": "number — a figure as printed",
    "inferred": "inferred — a figure placed by the table's arithmetic, not where printed",
    "blank": "blank — printed empty; not 0",
    "placeholder": "placeholder — “/”, “—”, “无” … as printed; neither 0 nor blank",
    "ambiguous": "ambiguous — the damage admits several readings; candidates listed",
    ABSENT: "absent — the report has no such cell (row left out, table unreadable)",
}
_SEVERITIES = ("error", "warning", "info")


def cell_id(path: str) -> str:
    """The HTML id of the element showing the cell at ``path``."""
    return f"cell:{path}"


def cell_state(cell: Cell | None) -> str:
    """The state a page shows: the model's state, ``inferred`` for an inferred number,
    or :data:`ABSENT` for ``None``."""
    if cell is None:
        return ABSENT
    if cell.state is CellState.NUMBER and cell.inferred:
        return "inferred"
    return cell.state.value


def render_file(
    path: str | os.PathLike[str],
    *,
    layout: str | None = None,
    template: str | None = None,
    strict: bool = False,
) -> str:
    """Parse the report file at ``path`` and render its page (a PDF's pages drawn too)."""
    from govreport import parse

    with open(path, "rb") as f:
        data = f.read()
    report = parse(data, layout=layout, template=template, strict=strict)
    return render_report(report, pdf=data if report.reader == "pdf" else None)


def render_report(
    report: Report,
    source: str | Sequence[str] | None = None,
    *,
    pdf: bytes | str | os.PathLike[str] | None = None,
    title: str | None = None,
) -> str:
    """One self-contained HTML page for ``report``.

    ``source`` is the text the report's line numbers count (a string or its lines); by
    default ``report.original_text``, which they count. ``pdf`` (the PDF's bytes or path),
    for a report read from a PDF, draws its pages beside the source and each cell's page
    region in its tooltip; it is left out when the PDF cannot be rendered.
    """
    return _Page(report, source, pdf, title).html()


def _source_lines(report: Report, source: str | Sequence[str] | None) -> list[str]:
    if source is None:
        source = report.original_text
    if isinstance(source, str):
        return source.split("\n")
    return list(source)


class _Page:
    """The page under construction: the layout of every table, the cells it shows and
    the links between findings, cells and source lines."""

    def __init__(
        self,
        report: Report,
        source: str | Sequence[str] | None,
        pdf: bytes | str | os.PathLike[str] | None,
        title: str | None,
    ) -> None:
        self.report = report
        self.template = TEMPLATES.get(report.template)
        self.lines = _source_lines(report, source)
        named = " · ".join(str(p) for p in (report.agency, report.year) if p is not None)
        self.title = title or named or report.title or "govreport"
        tables = {t.key: t for t in report.tables}
        self.layouts: list[tuple[TableLayout, Table]] = []
        defs: Sequence[TableDef] = self.template.tables if self.template else ()
        for table_def in defs:
            table = tables.get(table_def.key, Table(table_def.key, {}))
            columns = {k: tuple(r.cells) for k, r in table.rows.items()}
            self.layouts.append((lay_out(table_def, table.rows, columns), table))
        #: every cell the page shows: path → the report's cell (None: absent)
        self.shown: dict[str, Cell | None] = {}
        #: row path prefix (table/row) → paths of its cells; table key → paths
        self.by_row: dict[str, list[str]] = defaultdict(list)
        self.by_table: dict[str, list[str]] = defaultdict(list)
        self.labels: dict[str, tuple[str, str]] = {}
        for layout, table in self.layouts:
            for row in layout.rows:
                cells = table.rows[row.key].cells if row.key in table.rows else {}
                for column in row.columns:
                    path = paths.join(table.key, row.key, column.key)
                    self.shown[path] = cells.get(column.key)
                    self.by_row[paths.join(table.key, row.key, "*")].append(path)
                    self.by_table[table.key].append(path)
                    self.labels[path] = (row.label, column.label)
        # any cell of the report no layout placed (there should be none) is still shown
        self.stray = [(p, c) for p, c in report.cells() if p not in self.shown]
        for p, c in self.stray:
            self.shown[p] = c
        self.finding_ids = {id(f): f"f{i}" for i, f in enumerate(report.findings, start=1)}
        self.finding_cells: dict[str, list[str]] = {}
        self.cell_findings: dict[str, list[Finding]] = defaultdict(list)
        for finding in report.findings:
            linked = self._resolve(finding)
            self.finding_cells[self.finding_ids[id(finding)]] = linked
            for p in linked:
                self.cell_findings[p].append(finding)
        self.line_cells: dict[int, list[str]] = defaultdict(list)
        for p, c in self.shown.items():
            if c is not None and c.line is not None:
                self.line_cells[c.line].append(p)
        self.pages: dict[int, PageImage] = {}
        if pdf is not None and report.reader == "pdf":
            rendered = render_pages(pdf)
            self.pages = {p.number: p for p in rendered or ()}

    def _resolve(self, finding: Finding) -> list[str]:
        """The shown cells a finding names: cell paths, ``table/row/*`` and table keys."""
        out: list[str] = []
        for p in finding.paths:
            if p in self.shown:
                out.append(p)
            elif p in self.by_row:
                out.extend(self.by_row[p])
            elif p in self.by_table:
                out.extend(self.by_table[p])
        return list(dict.fromkeys(out))

    # --- the page -----------------------------------------------------------------

    def html(self) -> str:
        body = [
            '<a class="skip" href="#tables">Skip to the tables</a>',
            self._header(),
            '<div class="wrap">',
            '<main id="tables">',
            *(self._table(layout, table) for layout, table in self.layouts),
            self._stray_table(),
            self._sections(),
            "</main>",
            '<aside aria-label="Findings and source">',
            self._inspector(),
            self._findings(),
            self._source(),
            "</aside>",
            "</div>",
        ]
        return page(
            f"{self.title} — govreport",
            asset("report.css") + self._page_css(),
            "\n".join(body),
            asset("report.js"),
        )

    def _header(self) -> str:
        r = self.report
        tpl = self.template
        facts: list[tuple[str, str]] = []
        if tpl is not None:
            facts.append(("Template", f"{esc(tpl.id)} <span class=muted>{esc(tpl.document)} · "
                                      f"reports {esc(tpl.years)}</span>"))  # fmt: skip
        else:
            facts.append(("Template", esc(r.template)))
        year = esc(r.year) if r.year is not None else '<span class="missing">not found</span>'
        if r.year_source:
            year += f" <span class=muted>(from the {esc(r.year_source)})</span>"
        facts.append(("Year", year))
        facts.append(
            ("Agency", esc(r.agency) if r.agency else '<span class="missing">not found</span>')
        )
        if r.title:
            facts.append(("Title", esc(r.title)))
        facts.append(("Reader", esc(r.reader)))
        facts.append(
            (
                "Layout",
                esc(r.layout)
                if r.layout
                else "<span class=muted>— (a grid: cells as the source delimits them)</span>"
                if r.reader != "text"
                else "<span class=muted>—</span>",
            )
        )
        facts.append(("Script", esc(r.script)))
        facts.append(("Lines", f"{len(self.lines)} <span class=muted>({len(r.unrecognised)} "
                               "unrecognised)</span>"))  # fmt: skip
        dl = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
        meta = ""
        if r.metadata:
            items = "".join(
                f"<div><dt>{esc(k)}</dt><dd>{_maybe_link(v)}</dd></div>"
                for k, v in r.metadata.items()
            )
            meta = f'<dl class="facts meta" aria-label="Source metadata"><div class="cap">Source metadata</div>{items}</dl>'  # noqa: E501
        counts: dict[str, int] = defaultdict(int)
        for c in self.shown.values():
            counts[cell_state(c)] += 1
        states = "".join(
            f'<li class="chip st s-{s}" title="{esc(_STATE_NAMES[s])}">'
            f'<span class="sw s-{s}"><span class="g" aria-hidden="true">'
            f"{STATE_GLYPHS[s] or '12'}</span></span> {esc(s)} <b>{counts.get(s, 0)}</b></li>"
            for s in STATE_GLYPHS
        )
        sev: dict[str, int] = defaultdict(int)
        for f in r.findings:
            sev[f.severity.value] += 1
        chips = []
        for s in _SEVERITIES:
            badge = f'<span class="sev sev-{s}">{SEVERITY_GLYPH[s]} {s}</span>'
            if sev.get(s):
                badge = f'<a href="#findings-{s}">{badge}</a>'
            chips.append(f'<li class="chip">{badge} <b>{sev.get(s, 0)}</b></li>')
        sevs = "".join(chips)
        return (
            '<header class="top">'
            f"<h1>{esc(self.title)}</h1>"
            f'<dl class="facts">{dl}</dl>{meta}'
            f'<div class="summary"><span class="cap">{len(self.shown)} cells</span>'
            f'<ul class="chips legend" aria-label="Cell states">{states}</ul>'
            f'<span class="cap">{len(r.findings)} findings</span>'
            f'<ul class="chips" aria-label="Findings by severity">{sevs}</ul></div>'
            '<p class="hint muted">Hover over or tab to a cell for its raw text and where it came '
            "from; click it (or press Enter) to see its findings and its source line. Click a "
            "finding to light up its cells.</p>"
            "</header>"
        )

    def _table(self, layout: TableLayout, table: Table) -> str:
        t = layout.table
        cells = self.by_table[t.key]
        absent = sum(1 for p in cells if self.shown[p] is None)
        banner = ""
        why = [f for f in self.report.findings if f.code in ("T1", "T2") and t.key in f.paths]
        if why:
            links = ", ".join(
                f'<a href="#{self.finding_ids[id(f)]}">{esc(f.code)}</a>' for f in why
            )
            banner = (
                f'<p class="banner" role="note"><span aria-hidden="true">∅</span> This table was '
                f"not read ({links}): its {absent} cells are absent — never blank, never 0.</p>"
            )
        head = (
            f'<h2 id="table-{esc(t.key)}">{esc(layout.caption)} '
            f'<span class="muted sub">{esc(t.key)} · {len(cells)} cells'
            f"{f' · {absent} absent' if absent and not why else ''}</span></h2>"
        )
        grid = self._transposed(layout, table) if layout.transposed else self._rows(layout, table)
        return f'<section class="tbl">{head}{banner}<div class="scroll">{grid}</div></section>'

    def _rows(self, layout: TableLayout, table: Table) -> str:
        t = layout.table
        parts = [f'<table class="report" data-table="{esc(t.key)}">']
        parts.append(f'<caption class="visually-hidden">{esc(layout.caption)}</caption>')
        for index, block in enumerate(layout.blocks):
            header = self._head_cells(block.columns, layout.width)
            if block.caption is not None:
                parts.append(
                    f'<tbody><tr class="blockhead"><th scope="colgroup" colspan="{layout.depth}">'
                    f"{esc(block.caption)}</th>{header}</tr>"
                )
            elif index == 0:
                parts.append(
                    f'<thead><tr><td class="corner" colspan="{layout.depth}"></td>{header}</tr>'
                    "</thead><tbody>"
                )
            else:
                parts.append("<tbody>")
            for row in block.rows:
                labels = "".join(self._label(row, c) for c in row.labels)
                values = self._values(t.key, row, table, layout.width)
                parts.append(f'<tr data-row="{esc(row.key)}">{labels}{values}</tr>')
            parts.append("</tbody>")
        parts.append("</table>")
        return "".join(parts)

    @staticmethod
    def _head_cells(columns: Sequence[Column], width: int) -> str:
        out = []
        for i, col in enumerate(columns):
            span = width - len(columns) + 1 if i == len(columns) - 1 else 1
            colspan = f' colspan="{span}"' if span > 1 else ""
            out.append(f'<th scope="col"{colspan} data-col="{esc(col.key)}">{esc(col.label)}</th>')
        return "".join(out)

    def _label(self, row: LaidRow, cell: LabelCell) -> str:
        attrs = ""
        if cell.rowspan > 1:
            attrs += f' rowspan="{cell.rowspan}"'
        if cell.colspan > 1:
            attrs += f' colspan="{cell.colspan}"'
        own = cell.key == row.key
        note = ""
        if own and row.replaces:
            note = (
                ' <span class="note" title="a variant row: the report prints it instead of '
                f'the template rows {esc(", ".join(row.replaces))}">(printed instead of '
                f"{len(row.replaces)} template rows)</span>"
            )
        if own and row.unknown:
            note = ' <span class="note">(not a row of the template)</span>'
        scope = "row" if own else "rowgroup"
        cls = "lab" if own else "grp"
        return f'<th scope="{scope}" class="{cls}"{attrs}>{esc(cell.text or "")}{note}</th>'

    def _values(self, table: str, row: LaidRow, model: Table, width: int) -> str:
        out = []
        for i, col in enumerate(row.columns):
            span = width - len(row.columns) + 1 if i == len(row.columns) - 1 else 1
            out.append(self._cell(paths.join(table, row.key, col.key), span))
        return "".join(out)

    def _transposed(self, layout: TableLayout, table: Table) -> str:
        t = layout.table
        parts = [f'<table class="report transposed" data-table="{esc(t.key)}">']
        parts.append(f'<caption class="visually-hidden">{esc(layout.caption)}</caption><thead>')
        for level in layout.head:
            cells = "".join(
                f'<th scope="colgroup"{f" colspan={c.colspan}" if c.colspan > 1 else ""}'
                f"{f' rowspan={c.rowspan}' if c.rowspan > 1 else ''}>{esc(c.text or '')}</th>"
                for c in level
            )
            parts.append(f"<tr>{cells}</tr>")
        cols = "".join(
            f'<th scope="col" data-col="{esc(c.key)}">{esc(c.label)}</th>'
            for row in layout.rows
            for c in row.columns
        )
        parts.append(f"<tr>{cols}</tr></thead><tbody><tr>")
        for row in layout.rows:
            parts.extend(self._cell(paths.join(t.key, row.key, c.key), 1) for c in row.columns)
        parts.append("</tr></tbody></table>")
        return "".join(parts)

    def _stray_table(self) -> str:
        if not self.stray:
            return ""
        rows = "".join(
            f'<tr><th scope="row"><code>{esc(p)}</code></th>{self._cell(p, 1)}</tr>'
            for p, _ in self.stray
        )
        return (
            '<section class="tbl"><h2>Other cells</h2><p class="muted">Cells of the report '
            f'that no template row holds.</p><table class="report">{rows}</table></section>'
        )

    # --- one cell -----------------------------------------------------------------

    def _cell(self, path: str, span: int) -> str:
        cell = self.shown[path]
        state = cell_state(cell)
        cid = cell_id(path)
        findings = self.cell_findings.get(path, [])
        worst = next(
            (s for s in _SEVERITIES[:2] if any(f.severity.value == s for f in findings)), None
        )
        classes = f"cell s-{state}" + (f" f-{worst}" if worst else "")
        attrs = [
            f'id="{esc(cid)}"',
            f'class="{classes}"',
            f'data-path="{esc(path)}"',
            f'data-state="{state}"',
            'tabindex="0"',
            f'aria-describedby="{esc("tip:" + path)}"',
        ]
        if span > 1:
            attrs.append(f'colspan="{span}"')
        if findings:
            ids = " ".join(self.finding_ids[id(f)] for f in findings)
            attrs.append(f'data-findings="{ids}"')
        if cell is not None and cell.line is not None:
            attrs.append(f'data-line="{cell.line}"')
        glyph = STATE_GLYPHS[state]
        shown = self._shown_value(cell, state)
        flag = ""
        if worst:
            flag = f'<span class="fl" aria-hidden="true">{SEVERITY_GLYPH[worst]}</span>'
        g = f'<span class="g" aria-hidden="true">{glyph}</span>' if glyph else ""
        return (
            f'<td {" ".join(attrs)}>{flag}{g}<span class="v">{shown}</span>'
            f"{self._tip(path, cell, state, findings)}</td>"
        )

    @staticmethod
    def _shown_value(cell: Cell | None, state: str) -> str:
        if cell is None:
            return '<span class="visually-hidden">absent</span>'
        if cell.state is CellState.NUMBER:
            return esc(number(cell.value))
        if cell.state is CellState.BLANK:
            return '<span class="visually-hidden">blank</span>'
        if cell.state is CellState.PLACEHOLDER:
            return esc(cell.raw.strip() or "?")
        if not cell.candidates:
            return '<span class="cands">unresolved</span>'
        shown = [_candidate(c) for c in cell.candidates[:4]]
        more = f" +{len(cell.candidates) - 4}" if len(cell.candidates) > 4 else ""
        return f'<span class="cands">{" / ".join(shown)}{more}</span>'

    def _tip(self, path: str, cell: Cell | None, state: str, findings: list[Finding]) -> str:
        row_label, col_label = self.labels.get(path, ("", ""))
        rows = [f'<span class="tp"><code>{esc(path)}</code></span>']
        if row_label or col_label:
            rows.append(f'<span class="tl">{esc(row_label)} · {esc(col_label)}</span>')
        rows.append(f'<span class="ts">{esc(_STATE_NAMES[state])}</span>')
        if cell is not None:
            if cell.state is CellState.AMBIGUOUS:
                if cell.candidates:
                    cands = ", ".join(_candidate(c, words=True) for c in cell.candidates)
                    rows.append(f"<span>candidates: {cands}</span>")
                else:
                    rows.append("<span>too many readings (or none) to list: unresolved</span>")
            raw = f"«{esc(cell.raw)}»" if cell.raw else '<span class="muted">nothing printed</span>'
            rows.append(f"<span>raw: {raw}</span>")
            rows.append(f"<span>{self._provenance(cell)}</span>")
            crop = self._crop(cell)
            if crop:
                rows.append(crop)
        if findings:
            links = " ".join(
                f'<a href="#{self.finding_ids[id(f)]}" class="sev sev-{f.severity.value}">'
                f"{SEVERITY_GLYPH[f.severity.value]} {esc(f.code)}</a>"
                for f in findings
            )
            rows.append(f'<span class="tf">findings: {links}</span>')
        return f'<span class="tip" role="tooltip" id="{esc("tip:" + path)}">{"".join(rows)}</span>'

    @staticmethod
    def _provenance(cell: Cell) -> str:
        where = []
        if cell.line is not None:
            col = f", column {cell.column}" if cell.column is not None else ""
            where.append(f'<a href="#L{cell.line}">line {cell.line}</a>{col}')
        s = cell.source
        if s is not None:
            if s.page is not None:
                box = ""
                if s.bbox is not None:
                    box = " box " + ", ".join(f"{v:.1f}" for v in s.bbox) + " pt"
                where.append(f"page {s.page}{box}")
            if s.table is not None or s.row is not None or s.col is not None:
                where.append(
                    f"table {s.table}, row {s.row}, column {s.col} <span class=muted>"
                    "(0-based)</span>"
                )
        return "from " + "; ".join(where) if where else '<span class="muted">no provenance</span>'

    def _crop(self, cell: Cell) -> str:
        s = cell.source
        if s is None or s.page is None or s.bbox is None or s.page not in self.pages:
            return ""
        img = self.pages[s.page]
        x0, top, x1, bottom = s.bbox
        pad_x, pad_y = 24.0, 8.0
        rx0, rtop = max(x0 - pad_x, 0.0), max(top - pad_y, 0.0)
        rx1, rbottom = min(x1 + pad_x, img.width), min(bottom + pad_y, img.height)
        scale = img.scale * min(1.0, 300.0 / max((rx1 - rx0) * img.scale, 1.0))
        w, h = (rx1 - rx0) * scale, (rbottom - rtop) * scale
        style = (
            f"width:{w:.0f}px;height:{h:.0f}px;background-size:{img.width * scale:.0f}px "
            f"{img.height * scale:.0f}px;"
            f"background-position:-{rx0 * scale:.0f}px -{rtop * scale:.0f}px"
        )
        box = (
            f"left:{(x0 - rx0) * scale:.0f}px;top:{(top - rtop) * scale:.0f}px;"
            f"width:{(x1 - x0) * scale:.0f}px;height:{(bottom - top) * scale:.0f}px"
        )
        return (
            f'<span class="crop pg{img.number}" style="{style}" role="img" '
            f'aria-label="the cell as page {img.number} prints it">'
            f'<span class="cropbox" style="{box}"></span></span>'
        )

    # --- findings, sections, source -----------------------------------------------

    def _inspector(self) -> str:
        return (
            '<section id="inspector" class="pane js-only" aria-live="polite">'
            '<h2>Selected</h2><div class="ibody muted">Nothing selected: click a cell or a '
            "finding.</div></section>"
        )

    def _findings(self) -> str:
        by: dict[str, list[Finding]] = defaultdict(list)
        for f in self.report.findings:
            by[f.severity.value].append(f)
        parts = [
            f'<section id="findings" class="pane"><h2>Findings ({len(self.report.findings)})</h2>'
        ]
        if not self.report.findings:
            parts.append('<p class="muted">No findings: every check holds.</p>')
        for sev in _SEVERITIES:
            items = by.get(sev, [])
            if not items:
                continue
            lis = "".join(self._finding(f) for f in items)
            open_ = " open" if sev != "info" or len(items) <= 6 else ""
            parts.append(
                f'<details id="findings-{sev}"{open_}><summary><span class="sev sev-{sev}">'
                f"{SEVERITY_GLYPH[sev]} {sev}</span> {len(items)}</summary>"
                f'<ol class="findings">{lis}</ol></details>'
            )
        parts.append("</section>")
        return "".join(parts)

    def _finding(self, f: Finding) -> str:
        fid = self.finding_ids[id(f)]
        linked = self.finding_cells[fid]
        sev = f.severity.value
        meaning = CODES[f.code].meaning if f.code in CODES else ""
        extra = []
        if f.expected is not None or f.actual is not None:
            extra.append(
                f'<div class="ea">expected <b>{esc(f.expected)}</b>, '
                f"actual <b>{esc(f.actual)}</b></div>"
            )
        if f.candidates:
            cands = "".join(f"<li><code>{esc(c)}</code></li>" for c in f.candidates)
            extra.append(
                f"<details><summary>{len(f.candidates)} readings</summary>"
                f'<ul class="cl">{cands}</ul></details>'
            )
        if linked:
            links = " ".join(
                f'<a href="#{esc(cell_id(p))}" class="cl-{cell_state(self.shown[p])}"><code>'
                f"{esc(paths.split(p).row)}/{esc(paths.split(p).column)}</code></a>"
                for p in linked
            )
            if len(linked) > 8:
                links = f"<details><summary>{len(linked)} cells</summary>{links}</details>"
            extra.append(f'<div class="links">cells: {links}</div>')
        unplaced = [p for p in f.paths if p not in self.shown and p not in self.by_row
                    and p not in self.by_table]  # fmt: skip
        if unplaced:
            extra.append(
                '<div class="links muted">not in the tables: '
                + " ".join(f"<code>{esc(p)}</code>" for p in unplaced)
                + "</div>"
            )
        if f.lines:
            lines = " ".join(f'<a href="#L{n}">{n}</a>' for n in f.lines)
            extra.append(f'<div class="links">lines: {lines}</div>')
        pick = (
            f'<button type="button" class="pick js-only">show {len(linked)} cell'
            f"{'s' if len(linked) != 1 else ''}</button>"
            if linked
            else ""
        )
        return (
            f'<li id="{fid}" class="finding sev-{sev}-b" data-code="{esc(f.code)}" '
            f'data-cells="{esc(" ".join(cell_id(p) for p in linked))}" '
            f'data-lines="{" ".join(str(n) for n in f.lines)}">'
            f'<span class="sev sev-{sev}" title="{esc(meaning)}">{SEVERITY_GLYPH[sev]} '
            f"{esc(f.code)}</span> {esc(f.message)} {pick}{''.join(extra)}</li>"
        )

    def _sections(self) -> str:
        present = {s.number: s for s in self.report.sections}
        items = []
        for number_, heading in SECTIONS.items():
            s = present.get(number_)
            if s is None:
                items.append(f'<li class="missing"><span aria-hidden="true">∅</span> '
                             f"{esc(heading)} "
                             "<span class=muted>(not in the report)</span></li>")  # fmt: skip
                continue
            where = f' <a href="#L{s.line}" class="muted">line {s.line}</a>' if s.line else ""
            chars = len(s.text)
            items.append(
                f"<li>{esc(s.heading)}{where} <span class=muted>· {chars} characters of text"
                "</span></li>"
            )
        return f'<section class="sections"><h2>Sections</h2><ol>{"".join(items)}</ol></section>'

    def _source(self) -> str:
        r = self.report
        kinds: dict[int, str] = {}
        for n in (*r.metadata_lines,):
            kinds[n] = "meta"
        for n in (*r.title_lines, *r.preamble_lines):
            kinds[n] = "title"
        for s in r.sections:
            for n in s.text_lines:
                kinds[n] = "prose"
            if s.line is not None:
                kinds[s.line] = "heading"
        for t in r.tables:
            for n in t.lines:
                kinds[n] = "table"
        for n in self.line_cells:
            kinds[n] = "cells"
        unrec: dict[int, list[str]] = defaultdict(list)
        for u in r.unrecognised:
            unrec[u.line].append(u.reason)
        marks = {"meta": "M", "title": "T", "heading": "H", "prose": "", "table": "▦",
                 "cells": "▦"}  # fmt: skip
        rows = []
        for n, text in enumerate(self.lines, start=1):
            kind = kinds.get(n, "")
            cls = f"k-{kind}" if kind else "k-none"
            mark = marks.get(kind, "")
            note = ""
            if n in unrec:
                cls += " k-unrec"
                mark = "⚑"
                note = f'<span class="why">unrecognised: {esc("; ".join(unrec[n]))}</span>'
            extra = ""
            if n in self.line_cells:
                extra = f' data-cells="{esc(" ".join(cell_id(p) for p in self.line_cells[n]))}"'
            rows.append(
                f'<li id="L{n}" class="{cls}"{extra}><span class="ln">{n}</span>'
                f'<span class="mk" aria-hidden="true">{mark}</span>'
                f'<span class="tx">{esc(text) or " "}</span>{note}</li>'
            )
        fed = sum(1 for k in kinds.values() if k in ("table", "cells"))
        legend = (
            '<p class="srclegend muted"><span class="mk">▦</span> fed a table '
            f'({fed} lines) · <span class="mk">H</span> section heading · '
            '<span class="mk">T</span> title/preamble · <span class="mk">M</span> source '
            f'metadata · <span class="mk un">⚑</span> unrecognised ({len(unrec)} lines) · '
            "unmarked: prose</p>"
        )
        pages = self._pages()
        return (
            f'<section id="source" class="pane"><h2>Source <span class="muted sub">'
            f"{esc(r.reader)}{' · ' + esc(r.layout) if r.layout else ''}</span></h2>{legend}{pages}"
            f'<ol class="src">{"".join(rows)}</ol></section>'
        )

    def _pages(self) -> str:
        if not self.pages:
            return ""
        by_page: dict[int, list[tuple[str, Cell]]] = defaultdict(list)
        for p, c in self.shown.items():
            if c is not None and c.source is not None and c.source.page and c.source.bbox:
                by_page[c.source.page].append((p, c))
        figs = []
        for number_, img in sorted(self.pages.items()):
            boxes = []
            for p, c in by_page.get(number_, []):
                assert c.source is not None and c.source.bbox is not None
                x0, top, x1, bottom = c.source.bbox
                style = (
                    f"left:{x0 / img.width:.3%};top:{top / img.height:.3%};"
                    f"width:{(x1 - x0) / img.width:.3%};height:{(bottom - top) / img.height:.3%}"
                )
                boxes.append(
                    f'<a class="box s-{cell_state(c)}" href="#{esc(cell_id(p))}" '
                    f'data-box="{esc(cell_id(p))}" style="{style}" tabindex="-1" '
                    f'aria-label="{esc(p)}"></a>'
                )
            figs.append(
                f'<figure class="pdfpage"><div class="pg pg{number_}" role="img" '
                f'aria-label="page {number_}" '
                f'style="aspect-ratio:{img.width:.1f}/{img.height:.1f}">'
                f"{''.join(boxes)}</div><figcaption>page {number_}"
                f"{f' · {len(boxes)} cells' if boxes else ''}</figcaption></figure>"
            )
        return (
            f'<details class="pages" open><summary>PDF pages ({len(self.pages)}), cells boxed'
            f'</summary><div class="pagelist">{"".join(figs)}</div></details>'
        )

    def _page_css(self) -> str:
        return "".join(
            f".pg{img.number}{{background-image:url({img.uri})}}\n" for img in self.pages.values()
        )


def _candidate(value: object, *, words: bool = False) -> str:
    if value is None:
        return "blank" if words else STATE_GLYPHS["blank"]
    if isinstance(value, str):
        return f"“{esc(value)}”"
    return esc(number(value))


def _maybe_link(value: str) -> str:
    """A metadata value; a URL is shown as text (the page makes no request, and a
    link away from an audit page is not needed to check it)."""
    return f"<code>{esc(value)}</code>" if "://" in value else esc(value)
