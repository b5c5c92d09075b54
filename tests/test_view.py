"""The audit page of a report and the corpus overview (``govreport.view``).

Every corpus case is rendered and its page checked against the model with lxml: each cell
path once, with the state the model gives it, each finding linked to cells that exist, the
source lines marked, nothing fetched from outside. A batch of corpus files goes through
``govreport.batch`` into a DuckDB file whose overview is checked the same way, and its
totals against the reports. When Chromium is installed, the pages are opened in it
(headless): no console error, no network request, the script's highlighting works.
"""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from govreport import CellState, Report, parse_file
from govreport.spec.dictionary import SECTIONS, TEMPLATES
from govreport.view import render_overview, render_report, write_views
from govreport.view._html import number
from govreport.view.browser import find_chromium, open_page
from govreport.view.layout import lay_out
from govreport.view.report import ABSENT, cell_id, cell_state

from .corpus import cases, compact_cell, input_file

CASES = cases()
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REAL_PDF = CORPUS.parent.parent / "shared" / "real" / "pdf" / "hongze-2023.pdf"
#: a seed whose damaged table leaves cells ambiguous, with warnings (R2)
DAMAGED = CORPUS / "003_baoji_justice_2020_pipe_dropped_blanks"
PDF_CASE = CORPUS / "101_dongcheng_justice_2023_pdf_libreoffice"


@cache
def _page(path: Path) -> tuple[Report, str]:
    report = parse_file(path)
    data = path.read_bytes() if report.reader == "pdf" else None
    return report, render_report(report, pdf=data)


def _external(doc: lxml.html.HtmlElement, *, relative: bool = False) -> list[str]:
    """Every src/href/style URL of the page that is not in the page itself (``relative``:
    links to files beside it are allowed too)."""
    found = []
    for el in doc.iter():
        for attr in ("src", "href", "srcset", "action", "poster", "data"):
            value = el.get(attr)
            if value is None or value.startswith(("#", "data:")):
                continue
            if not (relative and attr == "href" and not re.match(r"^[a-zA-Z][\w+.-]*:|^//", value)):
                found.append(f"{el.tag} {attr}={value[:60]}")
    for style in [*doc.xpath("//style/text()"), *doc.xpath("//@style")]:
        for url in re.findall(r"url\(\s*['\"]?([^)'\"]*)", style):
            if not url.startswith("data:"):
                found.append(f"css url({url[:60]})")
    return found


def check_report_page(report: Report, html: str) -> lxml.html.HtmlElement:
    """The page shows the model: asserts, and returns the parsed page."""
    doc = lxml.html.fromstring(html)
    ids = Counter(doc.xpath("//@id"))
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    tds = doc.xpath("//td[@data-path]")
    shown = Counter(td.get("data-path") for td in tds)
    model = dict(report.cells())
    # every cell of the report exactly once, with the model's state
    assert {p: shown[p] for p in model if shown[p] != 1} == {}
    by_path = {td.get("data-path"): td for td in tds}
    for path, cell in model.items():
        td = by_path[path]
        assert td.get("data-state") == cell_state(cell), path
        assert td.get("id") == cell_id(path)
        assert td.get("tabindex") == "0"  # keyboard focus shows what hover shows
        tip = doc.get_element_by_id(td.get("aria-describedby"))
        assert tip.getparent() is td
        text = tip.text_content()
        assert path in text
        if cell.raw:
            assert f"«{cell.raw}»" in text
        if cell.line is not None:
            assert f"line {cell.line}" in text
        value = "".join(td.xpath('./span[@class="v"]//text()'))
        if cell.state is CellState.NUMBER:
            assert value == number(cell.value), path
        if cell.state is CellState.AMBIGUOUS and cell.candidates:
            words = ["blank" if c is None else f"“{c}”" if isinstance(c, str) else number(c)
                     for c in cell.candidates]  # fmt: skip
            assert "candidates: " + ", ".join(words) in text, path
        if cell.source is not None and cell.source.page is not None:
            assert f"page {cell.source.page}" in text
        if cell.source is not None and cell.source.table is not None:
            assert f"table {cell.source.table}, row {cell.source.row}" in text
    # the other cells shown are the template's, absent from the report
    template = TEMPLATES[report.template]
    known = set(template.paths()) | {
        f"{t.key}/{v.key}/{c.key}" for t in template.tables for v in t.variants for c in v.columns
    }
    for path in set(shown) - set(model):
        assert path in known, path
        assert by_path[path].get("data-state") == ABSENT
    missing = [p for p in template.paths() if p not in model]
    replaced = {
        f"{t.key}/{r}/{c.key}"
        for t in template.tables
        for v in t.variants
        if any(p.startswith(f"{t.key}/{v.key}/") for p in model)
        for r in v.replaces
        for c in v.columns
    }
    assert {p for p in missing if p not in replaced} <= set(shown)
    # findings: one item each, linked to cells that exist
    items = doc.xpath('//li[contains(concat(" ", @class, " "), " finding ")]')
    items.sort(key=lambda li: int(li.get("id").removeprefix("f")))  # grouped by severity
    assert [li.get("data-code") for li in items] == [f.code for f in report.findings]
    for li, finding in zip(items, report.findings, strict=True):
        linked = li.get("data-cells").split()
        assert all(ids[c] == 1 for c in linked), finding.code
        want = {cell_id(p) for p in finding.paths if p in shown}
        assert want <= set(linked), finding.code
        for p in finding.paths:  # a row or a table: its cells
            if p.endswith("/*") or "/" not in p:
                prefix = p.removesuffix("*")
                prefix = prefix if "/" in prefix else prefix + "/"
                assert {cell_id(q) for q in shown if q.startswith(prefix)} <= set(linked)
        hrefs = li.xpath('.//a[starts-with(@href, "#cell:")]/@href')
        assert sorted(h[1:] for h in hrefs) == sorted(linked)  # links work without JS
    finding_ids = {li.get("id") for li in items}
    for td in tds:
        assert set((td.get("data-findings") or "").split()) <= finding_ids
    # every link inside the page lands on something; nothing leaves the page
    for href in doc.xpath('//a[starts-with(@href, "#")]/@href'):
        assert ids[href[1:]] == 1, href
    assert _external(doc) == []
    # the source beside it, line for line, marked
    lines = doc.xpath('//ol[@class="src"]/li')
    assert len(lines) == len(report.original_text.split("\n"))
    classes = {int(li.get("id")[1:]): li.get("class").split() for li in lines}
    for u in report.unrecognised:
        if u.line in classes:
            assert "k-unrec" in classes[u.line]
    for table in report.tables:
        for n in table.lines:
            assert {"k-table", "k-cells"} & set(classes[n]), n
    for cell in model.values():
        if cell.line is not None:
            assert "k-cells" in classes[cell.line]
    text = doc.text_content()
    for value in report.metadata.values():
        assert value in text
    for key in ("template", "reader"):
        assert str(getattr(report, key)) in text
    if report.agency:
        assert report.agency in text
    # the tables as the template prints them: each under its section's heading
    for table in template.tables:
        assert (
            doc.xpath(f'//h2[@id="table-{table.key}"]')[0].text.strip() == SECTIONS[table.section]
        )
    return doc


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_corpus_case_renders_a_page_that_shows_the_model(case):
    report, html = _page(input_file(case))
    doc = check_report_page(report, html)
    if report.reader == "pdf":
        # the pages drawn once each, every cell's region cropped from them
        assert doc.xpath('//div[contains(@class, "pg ")]')
        located = [c for _, c in report.cells() if c.source and c.source.bbox]
        assert located
        assert len(doc.xpath('//span[contains(@class, "crop ")]')) == len(located)


def test_the_damaged_seed_shows_its_ambiguous_cells_and_warnings():
    report, html = _page(input_file(DAMAGED))
    doc = lxml.html.fromstring(html)
    ambiguous = doc.xpath('//td[@data-state="ambiguous"]')
    assert len(ambiguous) == sum(1 for _, c in report.cells() if c.state is CellState.AMBIGUOUS)
    assert ambiguous and all(td.xpath('.//span[@class="g"]/text()') == ["?"] for td in ambiguous)
    r2 = [li for li in doc.xpath("//li[@data-code]") if li.get("data-code") == "R2"]
    assert r2 and all(li.get("data-cells") for li in r2)
    # a section the report lacks is said to be missing
    assert "(not in the report)" in doc.xpath('//section[@class="sections"]')[0].text_content()


def test_the_layout_follows_the_data_dictionary():
    for template in TEMPLATES.values():
        apps = lay_out(template.table("applications"))
        assert apps.depth == 3 and apps.width == 7 and len(apps.blocks) == 1
        results = [r for r in apps.rows if r.key.startswith("results.")]
        group = results[0].labels[0]
        assert group.rowspan == len(results) and group.text == "三、本年度办理结果"
        withheld = [r for r in results if r.key.startswith("results.withheld.")]
        assert withheld[0].labels[0].text == "（三）不予公开"
        assert withheld[0].labels[0].rowspan == len(withheld)
        review = lay_out(template.table("review_litigation"))
        assert review.transposed and review.width == 15
        assert [c.colspan for c in review.head[0]] == [5, 10]
        active = lay_out(template.table("active_disclosure"))
        assert all(b.caption and b.caption.startswith("第二十条第") for b in active.blocks)
    # the 2019 template's single （六） row, printed in a 2021 table, stands where its rows do
    tpl = TEMPLATES["2021"].table("applications")
    keys = [r.key for r in tpl.rows if not r.key.startswith("results.other.")]
    at = [r.key for r in tpl.rows].index("results.other.overdue_correction")
    laid = lay_out(tpl, [*keys[:at], "results.other", *keys[at:]])
    assert [r.key for r in laid.rows][at] == "results.other"
    assert laid.rows[at].replaces


def test_absent_rows_and_unreadable_tables_are_shown_absent():
    case = next(c for c in CASES if c.name.startswith("230_"))  # no 规章 row (T3)
    _, html = _page(input_file(case))
    doc = lxml.html.fromstring(html)
    row = doc.xpath('//tr[@data-row="art20_1.regulations"]/td')
    assert row and {td.get("data-state") for td in row} == {ABSENT}
    t3 = doc.xpath('//li[@data-code="T3"]')[0]
    assert set(t3.get("data-cells").split()) == {td.get("id") for td in row}
    case = next(c for c in CASES if c.name.startswith("233_"))  # section 三 not read (T2)
    _, html = _page(input_file(case))
    doc = lxml.html.fromstring(html)
    cells = doc.xpath('//table[@data-table="applications"]//td[@data-path]')
    assert cells and {td.get("data-state") for td in cells} == {ABSENT}
    assert "This table was not read" in html


@pytest.mark.skipif(not REAL_PDF.exists(), reason="../shared/real is not here")
def test_the_real_pdf():
    report, html = _page(REAL_PDF)
    check_report_page(report, html)
    assert html.count("data:image/png;base64,") == int(report.metadata["pages"])


# --- a batch and its overview ------------------------------------------------------

#: seeds and renderings: two files of one report (000 as text and as PDF), a 2019-template
#: report with ambiguous cells, a table that cannot be read, and junk
BATCH = ("000_", "101_", "002_", "003_", "004_", "233_", "230_")


@pytest.fixture(scope="module")
def batch_db(tmp_path_factory) -> tuple[Path, list[Path]]:
    from govreport import batch

    folder = tmp_path_factory.mktemp("view-batch")
    chosen = [input_file(c) for c in CASES if c.name.startswith(BATCH)]
    for i, path in enumerate(chosen):
        shutil.copy(path, folder / f"{i:02d}_{path.parent.name[:3]}{path.suffix}")
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 4)
    db = folder / "corpus.duckdb"
    batch.run([str(folder)], db, jobs=2, log=io.StringIO())
    return db, chosen


def test_overview_of_a_batch(batch_db, tmp_path):
    db, chosen = batch_db
    site = tmp_path / "site"
    views = write_views(db, site / "reports", relative_to=site)
    assert len(views) == len(chosen)
    for href in views.values():
        check_report_page(*_rendered(site / href))
    html = render_overview(db, views=views)
    (site / "overview.html").write_text(html, encoding="utf-8")
    doc = lxml.html.fromstring(html)
    assert _external(doc, relative=True) == []
    for href in doc.xpath("//a/@href"):
        assert not re.match(r"^[a-z]+:|^//", href), href
        assert (site / href).is_file(), href
    # every file counted once by status
    status = doc.xpath('//section[h2="Files by status"]//tbody/tr')
    counted = {tr[0].text_content(): int(tr[1].text) for tr in status}
    assert sum(counted.values()) == len(chosen) + 1
    assert counted["refused"] == 1 and counted["partial"] >= 2
    # findings by code, as the reports have them
    reports = [parse_file(p) for p in chosen]
    codes = Counter(f.code for r in reports[1:] for f in r.findings)  # 000 and 101 …
    codes.update(f.code for f in reports[0].findings)
    table = doc.xpath('//section[h2="Findings by code and severity"]//tbody/tr')
    shown = {tr[0].text_content(): int(tr[2].text) for tr in table}
    assert shown == dict(codes)
    # every agency's reports linked to their pages
    linked = doc.xpath('//td[@class="reps"]/a/@href')
    assert sorted(linked) == sorted(views.values())

    # national totals: one report per agency and year, only numbers added up
    # one report per agency and year; a report with no agency is the report of the same
    # year whose cells are all the same as its own
    def cells(r: Report) -> str:
        return repr(sorted((p, compact_cell(c)) for p, c in r.cells()))

    named = {(r.year, cells(r)): r.agency for r in reports if r.agency}
    expected: dict[tuple[object, int | None], int] = {}
    for r in reports:
        who = r.agency or named.get((r.year, cells(r))) or cells(r)
        cell = r.get("applications/new_received/total")
        if cell is not None and cell.state is CellState.NUMBER:
            expected[(who, r.year)] = cell.value
    per_year = Counter()
    for (_agency, year), value in expected.items():
        per_year[str(year)] += value
    figures = doc.xpath('//figure[@class="chartbox"]')[0]
    years = [th.text for th in figures.xpath(".//thead//th")[1:]]
    values = [td.text for td in figures.xpath(".//tbody/tr[1]/td")]
    assert {y: int(v) for y, v in zip(years, values, strict=True) if v != "—"} == dict(per_year)
    assert len(doc.xpath("//svg")) >= 4
    assert "Noto Sans CJK SC" in html and "Microsoft YaHei" in html


def _rendered(path: Path) -> tuple[Report, str]:
    """The report a written page shows (the page names its source in no way, so it is
    found by content: the same page is rendered again from each chosen file)."""
    html = path.read_text(encoding="utf-8")
    for case in CASES:
        if not case.name.startswith(BATCH):
            continue
        report, page = _page(input_file(case))
        if page == html:
            return report, html
    raise AssertionError(f"{path}: no corpus case renders this page")


# --- in a browser -------------------------------------------------------------------

CHROMIUM = find_chromium()


@pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium (apt-get install chromium fonts-noto-cjk)"
)
def test_pages_in_headless_chromium(batch_db, tmp_path):
    report, html = _page(input_file(DAMAGED))
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    first = next(f for f in report.findings if f.code == "R2")
    ambiguous = next(p for p, c in report.cells() if c.state is CellState.AMBIGUOUS)
    run = open_page(
        page,
        evaluate=[
            "document.querySelectorAll('td.cell').length",
            # a click on a finding lights up its cells
            "document.getElementById('f1').click();document.querySelectorAll('td.cell.hl').length",
            # a click on a cell shows its findings
            f"document.getElementById({cell_id(ambiguous)!r}).click();"
            "document.querySelectorAll('li.finding.hl').length",
            # keyboard focus shows the tooltip hover shows
            f"var c = document.getElementById({cell_id(ambiguous)!r}); c.focus();"
            "getComputedStyle(c.querySelector('.tip')).display",
        ],
    )
    assert run.errors == []
    assert run.external_requests == []
    linked = report.findings.index(first) == 0
    shown = lxml.html.fromstring(html).xpath("//td[@data-path]")
    n_first = len(lxml.html.fromstring(html).get_element_by_id("f1").get("data-cells").split())
    assert run.results[0] == len(shown)
    assert run.results[1] == n_first and (n_first > 0 or not linked)
    involving = sum(1 for f in report.findings if ambiguous in f.paths)
    assert run.results[2] == involving > 0
    assert run.results[3] == "block"
    assert run.screenshot and run.screenshot.startswith(b"\x89PNG")
    (tmp_path / "report.png").write_bytes(run.screenshot)

    db, _ = batch_db
    overview = tmp_path / "overview.html"
    overview.write_text(render_overview(db), encoding="utf-8")
    run = open_page(overview, evaluate=["document.querySelectorAll('svg rect').length"])
    assert run.errors == [] and run.external_requests == []
    assert run.results[0] > 0
    assert run.screenshot and run.screenshot.startswith(b"\x89PNG")
