"""How a corpus went: one self-contained HTML page from a ``govreport batch`` database.

:func:`render_overview` reads the DuckDB database (``govreport.batch.store``, read-only) and
shows files by status, findings by code and severity, reports per year and template, the
agencies with most error findings (linked to their report pages when ``views`` says where
they are; :func:`write_views` writes them), the files that were refused and why, and the
national totals by year — applications received, their outcomes, reviews and suits — as
inline SVG charts with their figures in tables.

The totals add up only cells whose state is ``number``: a blank, placeholder or ambiguous
cell adds nothing and is counted as left out, as is a report without the cell. The same
report is often found in several files or formats (the corpus renders each seed many
ways), so the totals take one report per agency and year — the one with the most figures,
then the fewest error findings. A report whose agency was not found is taken as the report
of the agency whose report of that year has every cell the same (another file or format of
it), else as the same report as those with every cell the same, else on its own.
Where the database marks reports as the same as another (``reports.duplicate_of``), those
are left out first. Both the schema that stores every value as ``DECIMAL`` and the one with
counts in ``value`` and money in ``amount`` are read (the totals are counts).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from govreport.spec.codes import CODES
from govreport.spec.dictionary import OUTCOME_PREFIX, TEMPLATES, TableDef
from govreport.view._html import SEVERITY_GLYPH, asset, esc, number, page
from govreport.view.layout import label_paths
from govreport.view.svg import PALETTE, legend_html, stacked_bars

__all__ = ["FILE_STATUSES", "render_overview", "write_views"]

#: A file's status on the overview, and what it means.
FILE_STATUSES = {
    "ok": "parsed into a whole report with no error finding",
    "error findings": "parsed whole; the report breaks a relation or a count (an error finding)",
    "partial": "parsed, but a table could not be read (T2) or rows are left out (T3)",
    "refused": "not a report govreport reads (a ParseError: legacy, empty, not a report …)",
    "crash": "a bug in govreport while parsing it",
    "unreadable": "the file could not be read",
}
_STATUS_COLOURS = dict(zip(FILE_STATUSES, ("#009E73", "#D55E00", "#E69F00", "#777777",
                                           "#000000", "#CC79A7"), strict=True))  # fmt: skip
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _connect(db_path: str | os.PathLike[str]) -> Any:
    import duckdb

    if not os.path.exists(db_path):
        raise FileNotFoundError(f"{os.fspath(db_path)}: no such database (run govreport batch)")
    con = duckdb.connect(os.fspath(db_path), read_only=True)
    con.execute("SET enable_progress_bar = false")
    return con


def _rows(con: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


#: One report per agency and year (see the module's docstring), for the totals; filled in
#: by :func:`_chosen` for the database's schema.
_CHOSEN = """
WITH numbers AS (
    SELECT report, count(*) FILTER (WHERE state = 'number') AS n,
           md5(string_agg(path || '=' || state || ':' || {value}, ',' ORDER BY path)) AS cells
    FROM cells GROUP BY report
), base AS (
    SELECT r.hash, r.year, r.agency, coalesce(r.errors, 0) AS errors,
           coalesce(numbers.n, 0) AS n, numbers.cells
    FROM reports r LEFT JOIN numbers ON numbers.report = r.hash
    WHERE r.status = 'ok' AND r.year IS NOT NULL {not_duplicate}
), named AS (
    SELECT year, cells, min(agency) AS agency FROM base
    WHERE agency IS NOT NULL GROUP BY year, cells
), keyed AS (
    SELECT base.*, coalesce(base.agency, named.agency, 'cells:' || base.cells, base.hash) AS who
    FROM base LEFT JOIN named
      ON base.agency IS NULL AND named.year = base.year AND named.cells = base.cells
), ranked AS (
    SELECT hash, year,
           row_number() OVER (PARTITION BY who, year ORDER BY n DESC, errors, hash) AS rank
    FROM keyed
)
SELECT hash, year FROM ranked WHERE rank = 1
"""


def _columns(con: Any, table: str) -> set[str]:
    rows = _rows(
        con,
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
        "AND database_name = current_database()",
        [table],
    )
    return {name for (name,) in rows}


def _chosen(con: Any) -> str:
    """:data:`_CHOSEN` for this database: a report the batch marked as the same as another
    (``reports.duplicate_of``, where the schema has it) is left out first."""
    cells, reports = _columns(con, "cells"), _columns(con, "reports")
    value = "coalesce(value::VARCHAR, '')"
    if "amount" in cells:  # money in its own column
        value = "coalesce(value::VARCHAR, amount::VARCHAR, '')"
    not_duplicate = "AND r.duplicate_of IS NULL" if "duplicate_of" in reports else ""
    return _CHOSEN.format(value=value, not_duplicate=not_duplicate)


def render_overview(
    db_path: str | os.PathLike[str],
    *,
    views: Mapping[str, str] | None = None,
    title: str | None = None,
) -> str:
    """The overview page of the batch database at ``db_path``.

    ``views`` maps a report's content hash, or the path of a file holding it, to the href of
    its page (see :func:`write_views`); the agencies' reports link there.
    """
    con = _connect(db_path)
    try:
        return _Overview(
            con, views or {}, title or f"Corpus overview — {Path(db_path).name}"
        ).html()
    finally:
        con.close()


def write_views(
    db_path: str | os.PathLike[str],
    directory: str | os.PathLike[str],
    *,
    relative_to: str | os.PathLike[str] | None = None,
) -> dict[str, str]:
    """Write the page of every parsed report in the database to ``directory`` (named by
    content hash), parsing again each report's file that still exists; returns content hash →
    href, relative to ``relative_to`` (default: ``directory`` itself), for
    :func:`render_overview`'s ``views``."""
    from govreport.view.report import render_file

    con = _connect(db_path)
    try:
        rows = _rows(con, "SELECT hash, path FROM reports WHERE status = 'ok' ORDER BY path")
    finally:
        con.close()
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = Path(relative_to) if relative_to is not None else out_dir
    hrefs: dict[str, str] = {}
    for digest, path in rows:
        if not path or not os.path.exists(path):
            continue
        try:
            html = render_file(path)
        except Exception:  # the file changed since the batch: no page for it
            continue
        target = out_dir / f"{digest[:16]}.html"
        target.write_text(html, encoding="utf-8")
        hrefs[digest] = Path(os.path.relpath(target, base)).as_posix()
    return hrefs


class _Overview:
    def __init__(self, con: Any, views: Mapping[str, str], title: str) -> None:
        self.con = con
        self.views = views
        self.title = title

    def href(self, digest: str, path: str | None) -> str | None:
        return self.views.get(digest) or (self.views.get(path) if path else None)

    def html(self) -> str:
        body = [
            f'<header class="top"><h1>{esc(self.title)}</h1>{self._cards()}</header>',
            "<main>",
            '<div class="cols">',
            self._files(),
            self._years(),
            "</div>",
            '<div class="cols">',
            self._findings(),
            self._agencies(),
            "</div>",
            self._totals(),
            self._refused(),
            "</main>",
        ]
        return page(self.title, asset("overview.css"), "\n".join(body))

    # --- numbers at the top -------------------------------------------------------

    def _cards(self) -> str:
        (files, contents) = _rows(self.con, "SELECT count(*), count(DISTINCT hash) FROM files")[0]
        status = dict(_rows(self.con, "SELECT status, count(*) FROM reports GROUP BY 1"))
        sev = dict(_rows(self.con, "SELECT severity, count(*) FROM findings GROUP BY 1"))
        (cells,) = _rows(self.con, "SELECT count(*) FROM cells")[0]
        cards = [
            ("files", files, "given to the batch"),
            ("contents", contents, "distinct (duplicates parsed once)"),
            ("reports", status.get("ok", 0), "parsed"),
            ("refused", status.get("error", 0), "not read as a report"),
            ("crashes", status.get("crash", 0), "bugs in govreport"),
            ("cells", cells, "stored"),
        ]
        out = "".join(
            f'<div class="card"><b>{esc(v)}</b><span>{esc(k)}</span>'
            f'<small class="muted">{esc(note)}</small></div>'
            for k, v, note in cards
        )
        sevs = "".join(
            f'<div class="card"><b>{sev.get(s, 0)}</b><span class="sev sev-{s}">'
            f"{SEVERITY_GLYPH[s]} {s}</span><small class=muted>findings</small></div>"
            for s in ("error", "warning", "info")
        )
        return f'<div class="cards">{out}{sevs}</div>'

    def _files(self) -> str:
        rows = _rows(
            self.con,
            """
            SELECT CASE
                WHEN f.error IS NOT NULL OR f.hash IS NULL OR r.hash IS NULL THEN 'unreadable'
                WHEN r.status = 'error' THEN 'refused'
                WHEN r.status = 'crash' THEN 'crash'
                WHEN EXISTS (SELECT 1 FROM findings x WHERE x.report = r.hash
                             AND x.code IN ('T2', 'T3')) THEN 'partial'
                WHEN coalesce(r.errors, 0) > 0 THEN 'error findings'
                ELSE 'ok' END AS status,
                count(*)
            FROM files f LEFT JOIN reports r ON r.hash = f.hash
            GROUP BY 1
            """,
        )
        counts = dict(rows)
        total = sum(counts.values()) or 1
        bar = []
        x = 0.0
        for s in FILE_STATUSES:
            n = counts.get(s, 0)
            if not n:
                continue
            w = n / total * 100
            bar.append(
                f'<rect x="{x:.2f}%" y="0" width="{w:.2f}%" height="22" '
                f'fill="{_STATUS_COLOURS[s]}">'
                f"<title>{esc(s)}: {n}</title></rect>"
            )
            x += w
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" class="statusbar" width="100%" height="22" '
            f'role="img" aria-label="files by status">{"".join(bar)}</svg>'
        )
        trs = "".join(
            f'<tr><th scope="row"><span class="key" style="background:{_STATUS_COLOURS[s]}">'
            f'</span>{esc(s)}</th><td class="n">{counts.get(s, 0)}</td>'
            f'<td class="n muted">{counts.get(s, 0) / total:.0%}</td>'
            f'<td class="muted">{esc(meaning)}</td></tr>'
            for s, meaning in FILE_STATUSES.items()
        )
        return (
            f'<section class="box"><h2>Files by status</h2>{svg}'
            f'<table class="data"><thead><tr><th>status</th><th>files</th><th>share</th>'
            f"<th>meaning</th></tr></thead><tbody>{trs}</tbody></table></section>"
        )

    def _years(self) -> str:
        rows = _rows(
            self.con,
            "SELECT year, template, count(*) FROM reports WHERE status = 'ok' GROUP BY 1, 2",
        )
        templates = sorted({t for _, t, _ in rows if t is not None} | set(TEMPLATES))
        grid: dict[Any, dict[str, int]] = defaultdict(dict)
        for year, tpl, n in rows:
            grid[year][tpl] = n
        years = sorted(grid, key=lambda y: (y is None, y or 0))
        head = "".join(f"<th scope=col>template {esc(t)}</th>" for t in templates)
        body = []
        for year in years:
            cells = []
            for t in templates:
                n = grid[year].get(t, 0)
                fits = year is None or t not in TEMPLATES or TEMPLATES[t].covers(year)
                cls = "n" if fits or not n else "n misfit"
                mark = " ▲" if n and not fits else ""
                cells.append(f'<td class="{cls}">{n or ""}{mark}</td>')
            label = esc(year) if year is not None else '<span class="muted">year unknown</span>'
            total = sum(grid[year].values())
            body.append(
                f"<tr><th scope=row>{label}</th>{''.join(cells)}"
                f"<td class=n><b>{total}</b></td></tr>"
            )
        note = (
            '<p class="muted small">▲ a report on a template that is not for its year '
            "(finding Y1). "
            + " · ".join(
                f"template {esc(t.id)}: {esc(t.document)}, reports {esc(t.years)}"
                for t in TEMPLATES.values()
            )
            + "</p>"
        )
        table = (
            f'<table class="data"><thead><tr><th>year</th>{head}<th>all</th></tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
        if not body:
            table = '<p class="muted">No report was parsed.</p>'
        return f'<section class="box"><h2>Reports per year and template</h2>{table}{note}</section>'

    # --- findings and agencies ----------------------------------------------------

    def _findings(self) -> str:
        rows = _rows(
            self.con,
            "SELECT code, severity, count(*), count(DISTINCT report) FROM findings GROUP BY 1, 2",
        )
        rows.sort(key=lambda r: (_SEVERITY_ORDER.get(r[1], 9), -r[2], r[0]))
        top = max((r[2] for r in rows), default=1)
        trs = []
        for code, sev, n, reports in rows:
            meaning = CODES[code].meaning if code in CODES else ""
            trs.append(
                f'<tr><th scope="row"><code>{esc(code)}</code></th>'
                f'<td><span class="sev sev-{esc(sev)}">{SEVERITY_GLYPH.get(sev, "")} '
                f"{esc(sev)}</span></td>"
                f'<td class="n">{n}</td><td class="n">{reports}</td>'
                f'<td class="barcell"><span class="hbar sev-{esc(sev)}" '
                f'style="width:{n / top * 100:.1f}%">'
                f'</span></td><td class="muted small">{esc(meaning)}</td></tr>'
            )
        if not trs:
            return '<section class="box"><h2>Findings by code</h2><p class="muted">No findings.</p></section>'  # noqa: E501
        return (
            '<section class="box wide"><h2>Findings by code and severity</h2>'
            '<table class="data"><thead><tr><th>code</th><th>severity</th><th>findings</th>'
            "<th>reports</th><th></th><th>meaning</th></tr></thead>"
            f"<tbody>{''.join(trs)}</tbody></table></section>"
        )

    def _agencies(self, limit: int = 15) -> str:
        rows = _rows(
            self.con,
            """
            SELECT agency, count(*) AS reports, sum(coalesce(errors, 0)) AS errors,
                   sum(coalesce(findings, 0)) AS findings,
                   list(struct_pack(hash := hash, path := path, year := year, errors := errors)
                        ORDER BY year, path) AS items
            FROM reports WHERE status = 'ok'
            GROUP BY agency ORDER BY errors DESC, reports DESC, agency NULLS LAST LIMIT ?
            """,
            [limit],
        )
        codes: dict[Any, list[tuple[str, int]]] = defaultdict(list)
        for agency, code, n in _rows(
            self.con,
            "SELECT r.agency, f.code, count(*) FROM findings f JOIN reports r ON r.hash = f.report "
            "WHERE f.severity = 'error' GROUP BY 1, 2 ORDER BY 3 DESC, 2",
        ):
            codes[agency].append((code, n))
        trs = []
        for agency, reports, errors, findings, items in rows:
            name = esc(agency) if agency else '<span class="muted">agency not found</span>'
            links = []
            for item in items:
                label = str(item["year"]) if item["year"] is not None else "?"
                kind = _kind(item["path"])
                if kind:
                    label += f" {kind}"
                if item["errors"]:
                    label += f" ✖{item['errors']}"
                href = self.href(item["hash"], item["path"])
                tip = esc(item["path"] or item["hash"])
                if href:
                    links.append(f'<a href="{esc(href)}" title="{tip}">{esc(label)}</a>')
                else:
                    links.append(f'<span title="{tip}">{esc(label)}</span>')
            top = ", ".join(f"<code>{esc(c)}</code>×{n}" for c, n in codes.get(agency, [])[:4])
            trs.append(
                f'<tr><th scope="row">{name}</th><td class="n">{reports}</td>'
                f'<td class="n">{"<b class=err>✖ " + str(errors) + "</b>" if errors else "0"}</td>'
                f'<td class="n">{findings}</td><td>{top}</td>'
                f'<td class="reps">{" ".join(links)}</td></tr>'
            )
        if not trs:
            return '<section class="box"><h2>Agencies</h2><p class="muted">No report was parsed.</p></section>'  # noqa: E501
        linked = " (linked to their pages)" if self.views else ""
        return (
            '<section class="box wide"><h2>Agencies with most error findings</h2>'
            '<table class="data"><thead><tr><th>agency</th><th>reports</th><th>errors</th>'
            f"<th>findings</th><th>error codes</th><th>reports by year{linked}</th></tr></thead>"
            f"<tbody>{''.join(trs)}</tbody></table></section>"
        )

    def _refused(self) -> str:
        rows = _rows(
            self.con,
            """
            SELECT coalesce(error_type, status), status, count(*),
                   list(struct_pack(path := path, error := error) ORDER BY path)[1:3]
            FROM reports WHERE status <> 'ok' GROUP BY 1, 2 ORDER BY 3 DESC, 1
            """,
        )
        unreadable = _rows(
            self.con, "SELECT path, error FROM files WHERE error IS NOT NULL ORDER BY path LIMIT 5"
        )
        if not rows and not unreadable:
            return ""
        trs = []
        for kind, status, n, examples in rows:
            ex = "".join(
                f"<li><code>{esc(_short(e['path']))}</code> — {esc((e['error'] or '')[:160])}</li>"
                for e in examples
            )
            trs.append(
                f'<tr><th scope="row"><code>{esc(kind)}</code></th><td>{esc(status)}</td>'
                f'<td class="n">{n}</td><td><ul class="ex">{ex}</ul></td></tr>'
            )
        for path, error in unreadable:
            trs.append(
                f'<tr><th scope="row">unreadable</th><td>file</td><td class="n">1</td>'
                f"<td><code>{esc(_short(path))}</code> — {esc((error or '')[:160])}</td></tr>"
            )
        return (
            '<section class="box wide"><h2>Files not read as reports</h2>'
            '<table class="data"><thead><tr><th>why</th><th>status</th><th>contents</th>'
            f"<th>examples</th></tr></thead><tbody>{''.join(trs)}</tbody></table></section>"
        )

    # --- national totals ----------------------------------------------------------

    def _totals(self) -> str:
        chosen = _chosen(self.con)
        rows = _rows(
            self.con,
            f"""
            WITH chosen AS ({chosen})
            SELECT chosen.year, c."table", c."row",
                   sum(c.value) FILTER (WHERE c.state = 'number'),
                   count(*) FILTER (WHERE c.state = 'number'),
                   count(*) FILTER (WHERE c.state <> 'number')
            FROM cells c JOIN chosen ON chosen.hash = c.report
            WHERE c."column" = 'total' AND c."table" IN ('applications', 'review_litigation')
            GROUP BY ALL
            """,
        )
        per_year = dict(_rows(self.con, f"SELECT year, count(*) FROM ({chosen}) GROUP BY year"))
        (all_ok,) = _rows(self.con, "SELECT count(*) FROM reports WHERE status = 'ok'")[0]
        years = sorted(per_year)
        if not years:
            return (
                '<section class="box wide"><h2>National totals by year</h2><p class="muted">'
                "No parsed report states its year.</p></section>"
            )
        sums: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
        left_out: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        for year, table, row, total, _n, other in rows:
            key = (table, row)
            if total is not None:
                sums[key][str(year)] = _exact(total)
            if other:
                left_out[key][str(year)] = other
        cats = [str(y) for y in years]
        apps = _latest_table("applications")
        review = _latest_table("review_litigation")
        received = [(_label(apps, "new_received"), sums.get(("applications", "new_received"), {}))]
        outcome_groups = _outcome_groups(apps)
        outcomes = []
        for seg, label in outcome_groups:
            merged: dict[str, Decimal] = defaultdict(Decimal)
            for (table, row), values in sums.items():
                if table == "applications" and row.split(".")[:2] == ["results", seg]:
                    for y, v in values.items():
                        merged[y] += v
            outcomes.append((label, dict(merged)))
        suits = [
            (_label(review, r.key), sums.get(("review_litigation", r.key), {})) for r in review.rows
        ]
        charts = [
            ("Applications received", received, [("applications", "new_received")]),
            ("Outcomes of the applications handled", outcomes,
             [k for k in sums if k[0] == "applications" and k[1].startswith(OUTCOME_PREFIX)
              and k[1] != f"{OUTCOME_PREFIX}total"]),
            ("Administrative reviews and lawsuits", suits,
             [("review_litigation", r.key) for r in review.rows]),
        ]  # fmt: skip
        figs = []
        for title, series, keys in charts:
            svg = stacked_bars(title, cats, series, width=460, height=240, legend=False)
            if len(series) > 1:
                svg += legend_html([label for label, _ in series])
            excluded = {y: sum(left_out.get(k, {}).get(y, 0) for k in keys) for y in cats}
            figs.append(
                f'<figure class="chartbox"><figcaption><b>{esc(title)}</b> '
                f'<span class="muted small">(column 总计, summed)</span></figcaption>{svg}'
                f"{_figures(cats, series, excluded, per_year)}</figure>"
            )
        note = (
            f'<p class="muted small">Sums of the figures in the column 总计 of one report per '
            f"agency and year ({sum(per_year.values())} of {all_ok} parsed reports; a corpus often "
            "holds one report in several files or formats). Only cells that are numbers count: a "
            "blank, placeholder or ambiguous cell adds nothing and is counted under “cells left "
            "out”; a report without the row adds nothing either. Nothing is estimated.</p>"
        )
        return (
            f'<section class="box wide"><h2>National totals by year</h2>{note}'
            f'<div class="charts">{"".join(figs)}</div></section>'
        )


def _figures(
    cats: Sequence[str],
    series: Sequence[tuple[str, Mapping[str, Decimal]]],
    excluded: Mapping[str, int],
    per_year: Mapping[Any, int],
) -> str:
    head = "".join(f"<th scope=col>{esc(c)}</th>" for c in cats)
    body = []
    for k, (label, values) in enumerate(series):
        cells = "".join(
            f'<td class="n">{esc(number(values[c])) if c in values else "—"}</td>' for c in cats
        )
        key = f'<span class="key" style="background:{PALETTE[k % len(PALETTE)]}"></span>'
        body.append(f"<tr><th scope=row>{key}{esc(label)}</th>{cells}</tr>")
    reports = "".join(f'<td class="n">{per_year.get(int(c), 0)}</td>' for c in cats)
    left = "".join(f'<td class="n">{excluded.get(c, 0)}</td>' for c in cats)
    body.append(f'<tr class="muted"><th scope=row>reports counted</th>{reports}</tr>')
    body.append(f'<tr class="muted"><th scope=row>cells left out (not numbers)</th>{left}</tr>')
    return (
        '<details class="figs"><summary>figures</summary><table class="data small">'
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></details>"
    )


def _exact(value: Any) -> Decimal:
    d = Decimal(value)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _latest_table(key: str) -> TableDef:
    latest = max(TEMPLATES.values(), key=lambda t: t.first_year)
    return latest.table(key)


def _label(table: TableDef, row_key: str) -> str:
    return table.row(row_key).label


def _outcome_groups(table: TableDef) -> list[tuple[str, str]]:
    """The outcome categories of section 三 (``results.<segment>``, the total left out),
    each with its label as the template prints it (``（三）不予公开``)."""
    rows = list(table.rows)
    labels = label_paths(rows)
    out: dict[str, str] = {}
    for row, path in zip(rows, labels, strict=True):
        segs = row.key.split(".")
        if not row.key.startswith(OUTCOME_PREFIX) or row.key == f"{OUTCOME_PREFIX}total":
            continue
        if len(segs) < 2 or segs[1] in out:
            continue
        out[segs[1]] = path[1] if len(path) > 1 and path[1] else segs[1]
    return list(out.items())


def _kind(path: str | None) -> str:
    """A file's kind from its name, to tell one report's files apart (``pdf``, ``txt``)."""
    suffix = Path(path or "").suffix.lstrip(".").lower()
    return suffix if 0 < len(suffix) <= 5 else ""


def _short(path: str | None, keep: int = 60) -> str:
    if not path:
        return ""
    return path if len(path) <= keep else "…" + path[-keep:]
