"""Make corpus cases in the text shapes real reports come in, from the project's own seeds.

Real reports reach the parser as a crawler's page text (the whole body on one line, table
cells glued) or as what a PDF tool extracts (see ``../shared/real/``). Nobody on the project
may hand-shape such text, so this tool makes it with the tools users use, from seeds whose
values were checked by eye (``corpus/000``, ``002``, ``004``, and ``001`` in Traditional
characters):

1. the seed is rendered as one HTML page: its title, its lines outside the tables as
   paragraphs (verbatim, in order), and the three tables rebuilt from the seed's *checked*
   values (its ``expected.json``) in the national template's layout with the template's merged
   header cells, every cell printed (the approach of ``corpus/006_*/render_html.py``);
2. ``crawler_glued`` / ``crawler_spaced``: the page's article element flattened with lxml's
   ``text_content()`` and every whitespace run collapsed to one space, as a crawler does,
   behind a crawler header in the style of ``../shared/real/crawler-text/ptNN.txt``. The two
   differ only in the page's table markup: no whitespace between cells (all cells glued) or a
   newline between the cells of a row (cells space-separated, rows still glued);
3. ``pdftotext_layout`` / ``pdftotext_raw`` / ``pdfplumber_text`` / ``pdfplumber_tables``: the
   same page converted to PDF by LibreOffice headless (a CJK font, page numbers in the footer,
   at least one table broken across pages — checked), then extracted;
4. three template-drift cases edited from a copy of seed 002's text (``230``–``232``).

Each case gets ``input.txt`` and an ``expected.json`` with ``note``, ``template``, ``year``,
``agency``, ``sections`` and ``cells`` (the seed's values); the keys only a parse can tell
(layout, findings, unrecognised, year_source, script) are left for the lead. The PDFs
themselves are not kept. Deterministic: fixed metadata, no randomness.

    .venv/bin/python tools/make_text_shapes.py [--keep DIR] [--seed 001]

``--keep DIR`` keeps the intermediate HTML pages and PDFs in DIR (outside the corpus).
Needs LibreOffice (``soffice``), poppler-utils (``pdftotext``) and fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import lxml
import pdfplumber
from lxml import html as lxml_html

from govreport.spec.dictionary import APPLICANTS, OUTCOMES, TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FONT = "Noto Serif CJK SC"
#: Body font sizes tried in turn: LibreOffice 7.4's layout of some pages never finishes (a
#: table row split at a page break with the page-number footer, e.g. seed 000 at 12pt).
SIZES = ("12pt", "11pt", "10.5pt", "11.5pt")
SOFFICE_TIMEOUT = 90  # seconds; a normal conversion takes about 2
SEPARATOR = "==================== 正文 ===================="


@dataclass(frozen=True)
class Seed:
    case: str  #: the seed's corpus folder
    base: int  #: first number of the cases made from it
    stem: str  #: name part of those cases
    title: str  #: the page title (the report's title; 标题 of the crawler header)
    title_lines: tuple[str, ...]  #: the title as printed on the page (one block per line)
    published: str  #: 发布时间 (invented, fixed)
    publisher: str  #: 发布机构 (empty on most pages of the real portal)
    url_path: str  #: path part of the invented 原文链接
    invented_title: bool = False  #: the seed prints no title; one was written for the page
    #: what the text names that the written title rests on (for the note)
    title_basis: str = "its text names 区司法局, “法治东城”, “东城司法”"
    #: the seed is in Traditional characters: the whole page is written so (OpenCC s2t),
    #: the rebuilt tables' template words too
    traditional: bool = False
    agency: str | None = None  #: the agency the page's title gives, when the seed has none


SEEDS = (
    Seed(
        "000_dongcheng_justice_2023_pipe",
        200,
        "dongcheng_justice_2023",
        "北京市东城区司法局2023年政府信息公开工作年度报告",
        ("北京市东城区司法局", "2023年政府信息公开工作年度报告"),
        "2024-01-22 09:30",
        "",
        "zwgk/zfxxgk/zfxxgknb/202401/t20240122_30517.htm",
        invented_title=True,
    ),
    Seed(
        "002_litong_justice_2022_tab",
        210,
        "litong_justice_2022",
        "利通区司法局2022年政府信息公开工作年度报告",
        ("利通区司法局 2022 年政府信息公开工作年度报告",),
        "2023-01-16 16:20",
        "利通区司法局",
        "zwgk/zfxxgk/zfxxgknb/202301/t20230116_41208.htm",
    ),
    Seed(
        "004_dongcheng_office_2023_indented_docx",
        220,
        "dongcheng_office_2023",
        "北京市东城区人民政府办公室2023年政府信息公开工作年度报告",
        ("北京市东城区人民政府办公室", "2023年政府信息公开工作年度报告"),
        "2024-01-19 15:45",
        "",
        "zwgk/zfxxgk/zfxxgknb/202401/t20240119_30488.htm",
    ),
    Seed(
        "001_jingyan_2023_cell_per_line_traditional",
        240,
        "jingyan_2023_traditional",
        "井研縣2023年政府信息公開工作年度報告",
        ("井研縣2023年政府信息公開工作年度報告",),
        "2024-01-25 10:05",
        "",
        "zwgk/zfxxgk/zfxxgknb/202401/t20240125_52071.htm",
        invented_title=True,
        title_basis="its text names 井研縣人民政府網站 and its own office only as 我辦",
        traditional=True,
        agency="井研县",
    ),
)
#: Seed 003 (2019 template) is not used: its checked values leave many cells ambiguous
#: (dropped blanks), so a page printing "every cell" of it cannot be written truthfully.
SKIPPED = {"003_baoji_justice_2020_pipe_dropped_blanks": "its cells are ambiguous"}

#: Host of the invented 原文链接 (the reserved ``.example`` TLD: the page was never served).
HOST = "https://www.portal.example/"

CAPTIONS = {"1": "一", "5": "五", "6": "六", "8": "八", "9": "九"}
RECKONING = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


# --- the seed ------------------------------------------------------------------------


def load(case: str) -> tuple[list[str], dict]:
    folder = CORPUS / case
    text = (folder / "input.txt").read_text(encoding="utf-8")
    return text.split("\n"), json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def plain(value):
    """A checked value as the page prints it (an inferred value is printed as its value)."""
    if isinstance(value, dict):
        if "ambiguous" in value:
            raise ValueError("an ambiguous cell cannot be printed")
        return value["value"]
    return value


def printed(value) -> str:
    value = plain(value)
    if value == "blank":
        return ""
    if value == "placeholder":
        return "/"
    return str(value)


MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
DEBRIS = ("[bookmark: _GoBack]",)  # a DOCX-to-text artefact in seed 004, not page text
WEB_DEBRIS = ("扫一扫在手机上打开页面",)  # page chrome after seed 000's report


def blocks(seed: Seed, lines: list[str], expected: dict) -> tuple[list[tuple[str, str]], list[str]]:
    """The page's body in order: ("p", text), ("h", heading) and ("table", key) blocks, and
    what was left out of or changed in the seed's lines outside the tables (for the note).

    The seed's lines outside sections 二–四 are kept verbatim as paragraphs (blank lines,
    the seed's own title lines and web debris dropped); the lines between headings 二 and 五
    other than the headings are the tables, replaced by the rebuilt tables.
    """
    headings = expected["sections"]  # as parsed: in Simplified characters
    if seed.traditional:
        import opencc

        simplified = opencc.OpenCC("t2s").convert
    else:
        simplified = str
    at: dict[str, int] = {}
    start = 0
    for number, heading in sorted(headings.items(), key=lambda kv: int(kv[0])):
        for i in range(start, len(lines)):
            if simplified(lines[i].strip()) == heading:
                at[number] = i
                start = i + 1
                break
        else:
            raise ValueError(f"{seed.case}: heading {heading!r} not found")
    tables = {"2": "active_disclosure", "3": "applications", "4": "review_litigation"}
    in_table = set(range(at["2"] + 1, at["5"])) - {at["3"], at["4"]}
    title = {t.replace(" ", "") for t in seed.title_lines}
    out: list[tuple[str, str]] = []
    edits: list[str] = []
    for i, line in enumerate(lines):
        text = line.strip()
        for junk in DEBRIS:
            if junk in text:
                text = text.replace(junk, "")
                edits.append(f"the DOCX artefact '{junk}' removed from line {i + 1}")
        if i in in_table or not text:
            continue
        if text in WEB_DEBRIS:
            edits.append(f"line {i + 1} '{text}' (web page debris) dropped")
            continue
        if text.replace(" ", "") in title:
            edits.append(f"the title line {i + 1} moved out of the article into the page title")
            continue
        number = next((n for n, j in at.items() if j == i), None)
        if number is None:
            if MD_LINK.search(text):
                edits.append(f"the Markdown link on line {i + 1} written as an <a> element")
            out.append(("p", text))
        else:
            out.append(("h", text))
            if number in tables:
                out.append(("table", tables[number]))
    return out, edits


# --- the tables ----------------------------------------------------------------------


def td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f'<td valign="middle" align="center"{span}><p>{html.escape(text)}</p></td>'


def active_disclosure(cells: dict, table_def) -> list[list[str]]:
    rows, block = [], None
    for row_def in table_def.rows:
        b = row_def.key.split(".")[0]
        if b != block:
            block = b
            rows.append([td(f"第二十条第（{CAPTIONS[b.split('_')[1]]}）项", colspan=4)])
            heads = [c.label for c in row_def.columns]
            rows.append([td("信息内容"), *(td(h, colspan=4 - len(heads)) for h in heads)])
        n = len(row_def.columns)
        path = f"{table_def.key}/{row_def.key}/"
        rows.append(
            [
                td(row_def.label),
                *(
                    td(printed(cells[path + c.key]), colspan=4 - n if n == 1 else 1)
                    for c in row_def.columns
                ),
            ]
        )
    return rows


def applications(cells: dict, table_def) -> list[list[str]]:
    rows = [
        [td(RECKONING, 3, 3), td("申请人情况", colspan=7)],
        [td("自然人", rowspan=2), td("法人或其他组织", colspan=5), td("总计", rowspan=2)],
        [td(c.label) for c in APPLICANTS[1:6]],
    ]
    groups: dict[str, int] = {}
    for row_def in table_def.rows:
        parts = row_def.key.split(".")
        if parts[0] == "results" and len(parts) == 3:
            groups[parts[1]] = groups.get(parts[1], 0) + 1
    results = sum(1 for r in table_def.rows if r.key.startswith("results."))
    seen: set[str] = set()
    for row_def in table_def.rows:
        parts = row_def.key.split(".")
        labels = row_def.label.split(" ")
        path = f"{table_def.key}/{row_def.key}/"
        values = [td(printed(cells[path + c.key])) for c in row_def.columns]
        if parts[0] != "results":
            rows.append([td(labels[-1], colspan=3), *values])
            continue
        lead = []
        if "results" not in seen:
            seen.add("results")
            lead.append(td(labels.pop(0), rowspan=results))
        if len(parts) == 3:
            if parts[1] not in seen:
                seen.add(parts[1])
                lead.append(td(labels.pop(0), rowspan=groups[parts[1]]))
            rows.append([*lead, td(labels[-1]), *values])
        else:
            rows.append([*lead, td(labels[-1], colspan=2), *values])
    return rows


def review_litigation(cells: dict, table_def) -> list[list[str]]:
    outcomes = [c.label for c in OUTCOMES]
    return [
        [td("行政复议", colspan=5), td("行政诉讼", colspan=10)],
        [
            *(td(h, rowspan=2) for h in outcomes),
            td("未经复议直接起诉", colspan=5),
            td("复议后起诉", colspan=5),
        ],
        [td(h) for h in outcomes * 2],
        [
            td(printed(cells[f"{table_def.key}/{r.key}/{c.key}"]))
            for r in table_def.rows
            for c in r.columns
        ],
    ]


BUILD = {
    "active_disclosure": active_disclosure,
    "applications": applications,
    "review_litigation": review_litigation,
}

#: Column widths (percent) roughly as in the national template's Word tables.
COLGROUPS = {
    "active_disclosure": ['<col width="25%">'] * 4,
    "applications": [
        '<col width="8%">',
        '<col width="10%">',
        '<col width="24%">',
        *['<col width="8%">'] * 7,
    ],
    "review_litigation": [],
}


def table_html(key: str, rows: list[list[str]], spaced: bool) -> str:
    """One table on one line as a WPS/UEditor page serialises it; ``spaced`` puts a newline
    between the cells of a row (the only whitespace in the table's markup)."""
    between = "\n" if spaced else ""
    cols = "".join(COLGROUPS[key])
    body = "".join(f"<tr>{between.join(row)}</tr>" for row in rows)
    return (
        '<table style="border-collapse: collapse;" cellspacing="0" cellpadding="4" border="1" '
        f'width="100%">{f"<colgroup>{cols}</colgroup>" if cols else ""}<tbody>{body}</tbody>'
        "</table>"
    )


def page(
    seed: Seed,
    body: list[tuple[str, str]],
    cells: dict,
    template: str,
    spaced: bool,
    size: str = SIZES[0],
) -> str:
    """The whole HTML page: title, the article (one block per source line), a page footer."""
    table_defs = {t.key: t for t in TEMPLATES[template].tables}
    parts = []
    for kind, text in body:
        if kind == "table":
            parts.append(table_html(text, BUILD[text](cells, table_defs[text]), spaced))
        elif kind == "h":
            parts.append(f"<p><b>{html.escape(text)}</b></p>")
        else:
            escaped = html.escape(text)
            escaped = MD_LINK.sub(lambda m: f'<a href="{m[2]}">{m[1]}</a>', escaped)
            parts.append(f'<p style="text-indent: 2em;">{escaped}</p>')
    title = "<br>".join(html.escape(t) for t in seed.title_lines)
    # A page-number footer "- N -" as LibreOffice's HTML import reads it (ignored by browsers
    # and by the crawler, which reads the article only).
    footer = (
        '<div title="footer"><p align="center">- '
        "<sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield> -</p></div>"
    )
    style = f"body {{ font-family: '{FONT}'; font-size: {size}; }}"
    return _in_script(
        seed,
        (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{html.escape(seed.title)}</title><style>{style}</style></head><body>\n"
            f'<h1 align="center">{title}</h1>\n'
            '<div class="article_content">\n' + "\n".join(parts) + "\n</div>\n"
            f"{footer}\n</body></html>\n"
        ),
    )


def _in_script(seed: Seed, page_html: str) -> str:
    """The page in the seed's script: a Traditional seed's page is converted whole (its
    prose is Traditional already; the template's words in the tables become so too)."""
    if not seed.traditional:
        return page_html
    import opencc

    return opencc.OpenCC("s2t").convert(page_html)


# --- crawler text --------------------------------------------------------------------


def crawler_text(seed: Seed, page_html: str) -> str:
    """The page as the portal crawler saved it: a metadata header, then the article's text on
    one line (lxml ``text_content()``, whitespace runs collapsed to one space)."""
    doc = lxml_html.document_fromstring(page_html)
    (article,) = doc.find_class("article_content")
    body = " ".join(article.text_content().split())
    number = seed.url_path.rsplit("_", 1)[1].split(".")[0]
    local = seed.url_path.rsplit("/", 1)[0]
    header = [
        f"标题: {seed.title}",
        f"发布时间: {seed.published}",
        "文号: ",
        f"发布机构: {seed.publisher}",
        "栏目: 政府信息公开年报",
        f"原文链接: {HOST}{seed.url_path}",
        f"本地目录: {local}/{number}_{seed.title}",
        "页面链接与图片详见 links.tsv(同目录)",
        SEPARATOR,
    ]
    return "\n".join([*header, body])  # the real files end without a newline


# --- PDF -----------------------------------------------------------------------------


def run(*args: str, timeout: float | None = None) -> str:
    """Run a command; on a timeout kill its whole process group (soffice forks) and raise."""
    with subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args, out, err)
    return out


def to_pdf(page_html: str, work: Path, name: str) -> Path:
    """Convert with LibreOffice; raises TimeoutExpired if its layout does not finish."""
    source = work / f"{name}.html"
    source.write_text(page_html, encoding="utf-8")
    profile = work / "lo-profile"  # own profile: other soffice runs may be going on
    pdf = work / f"{name}.pdf"
    pdf.unlink(missing_ok=True)
    run(
        "soffice",
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--infilter=HTML (StarWriter)",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(work),
        str(source),
        timeout=SOFFICE_TIMEOUT,
    )
    if not pdf.exists():
        raise RuntimeError(f"soffice made no {pdf}")
    return pdf


def pdftotext(pdf: Path, mode: str) -> str:
    out = pdf.with_suffix(f".{mode}.txt")
    run("pdftotext", f"-{mode}", str(pdf), str(out))
    return out.read_text(encoding="utf-8")


def plumber_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        return "\n".join(p.extract_text() for p in doc.pages) + "\n"


def plumber_tables(pdf: Path) -> str:
    """Per page, top to bottom: the text between tables (``extract_text`` of the band), and
    each table's rows (``extract_tables`` settings) with cells joined by `` | ``, a missing
    cell as empty and a cell's line breaks as spaces."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for p in doc.pages:
            top = 0.0
            for table in sorted(p.find_tables(), key=lambda t: t.bbox[1]):
                if table.bbox[1] > top:
                    text = p.crop((0, top, p.width, table.bbox[1])).extract_text()
                    if text.strip():
                        out.append(text)
                for row in table.extract():
                    out.append(" | ".join((c or "").replace("\n", " ") for c in row))
                top = table.bbox[3]
            if top < p.height:
                text = p.crop((0, top, p.width, p.height)).extract_text()
                if text.strip():
                    out.append(text)
    return "\n".join(out) + "\n"


def broken_tables(pdf: Path, sections: dict[str, str]) -> tuple[int, list[str]]:
    """The page count, and each page break a table runs across: a page whose first table
    starts at the top margin right after a page whose last table reaches the bottom one. The
    table is the one of the last section heading (a line of its own) before the break."""
    numerals = "一二三四五六七八九"
    broken = []
    with pdfplumber.open(pdf) as doc:
        current, reached_bottom = None, False
        for i, p in enumerate(doc.pages):
            tables = sorted(p.find_tables(), key=lambda t: t.bbox[1])
            if reached_bottom and tables and tables[0].bbox[1] < 0.1 * p.height:
                broken.append(f"section {current}'s table across pages {i}-{i + 1}")
            for line in p.extract_text().split("\n"):
                for number, heading in sections.items():
                    if line.strip() == heading:
                        current = numerals[int(number) - 1]
            reached_bottom = bool(tables) and tables[-1].bbox[3] > 0.9 * p.height
        return len(doc.pages), broken


# --- glued rows ----------------------------------------------------------------------


def splits(digits: str, n: int) -> list[tuple[int, ...]]:
    """Every way to read ``digits`` as n printed counts (no leading zeros)."""
    if n == 1:
        return [(int(digits),)] if digits and (digits == "0" or digits[0] != "0") else []
    out = []
    for i in range(1, len(digits)):
        head = digits[:i]
        if head != "0" and head[0] == "0":
            break
        out.extend((int(head), *rest) for rest in splits(digits[i:], n - 1))
    return out


def glued_ambiguity(cells: dict, template: str) -> dict[str, tuple[str, dict[str, list]]]:
    """Section 二's rows whose glued cells read more than one way: row label -> (the glued
    digits, {path: candidates} for each cell that has more than one). Section 二 has no
    arithmetic to pin them (sections 三 and 四 have: their true values stay)."""
    out = {}
    table = TEMPLATES[template].table("active_disclosure")
    for row in table.rows:
        paths = [f"{table.key}/{row.key}/{c.key}" for c in row.columns]
        values = [plain(cells[p]) for p in paths]
        if len(paths) < 2 or not all(isinstance(v, int) for v in values):
            continue
        digits = "".join(map(str, values))
        readings = splits(digits, len(values))
        candidates = {p: sorted({r[i] for r in readings}) for i, p in enumerate(paths)}
        candidates = {p: c for p, c in candidates.items() if len(c) > 1}
        if candidates:
            out[row.label] = (digits, candidates)
    return out


# --- writing cases -------------------------------------------------------------------


def tool_versions() -> dict[str, str]:
    def deb(package: str) -> str:
        return run("dpkg-query", "-W", "-f=${Version}", package)

    return {
        "soffice": run("soffice", "--version").split("\n")[0].strip(),
        "pdftotext": f"poppler-utils {deb('poppler-utils')}",
        "font": f"{FONT} (fonts-noto-cjk {deb('fonts-noto-cjk')})",
        "pdfplumber": f"pdfplumber {pdfplumber.__version__}",
        "lxml": f"lxml {lxml.__version__}",
    }


def write_case(name: str, text: str, note: str, meta: dict, cells: dict) -> None:
    folder = CORPUS / name
    folder.mkdir(exist_ok=True)
    (folder / "input.txt").write_text(text, encoding="utf-8")
    data = {"note": note, **meta, "cells": cells}
    (folder / "expected.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{name}: {len(text.encode('utf-8'))} bytes")


def seed_meta(seed: Seed, expected: dict) -> dict:
    agency = seed.title_lines[0] if len(seed.title_lines) > 1 else expected["agency"]
    agency = seed.agency or agency
    return {
        "template": expected["template"],
        "year": expected["year"],
        "agency": agency,
        "sections": expected["sections"],
    }


def page_note(seed: Seed, edits: list[str]) -> str:
    title = (
        f"a title written for the page ('{' / '.join(seed.title_lines)}': seed {seed.case[:3]} "
        f"prints none; {seed.title_basis})"
        if seed.invented_title
        else f"the seed's title ('{' / '.join(seed.title_lines)}') as the page heading"
    )
    return (
        f"Made by tools/make_text_shapes.py from seed corpus/{seed.case} (checked by eye). "
        f"The seed was rendered as one HTML page: {title}; the seed's lines outside sections "
        "二-四 kept verbatim as paragraphs in order (blank lines dropped"
        + "".join(f"; {e}" for e in edits)
        + "), the section headings as bold paragraphs, and the three tables rebuilt from the "
        "seed's "
        "checked expected.json values in the 2021 template's layout with its merged header "
        "cells (rowspan/colspan, the approach of corpus/006_*/render_html.py), every cell "
        "printed (numbers; blanks empty; placeholders '/')."
    )


def crawler_cases(seed, body, edits, expected, versions, work) -> None:
    meta = seed_meta(seed, expected)
    cells = {k: plain(v) for k, v in expected["cells"].items()}
    for offset, spaced in ((0, False), (1, True)):
        page_html = page(seed, body, expected["cells"], expected["template"], spaced)
        (work / f"{seed.stem}_{'spaced' if spaced else 'glued'}.html").write_text(
            page_html, encoding="utf-8"
        )
        text = crawler_text(seed, page_html)
        case_cells = dict(cells)
        extra = ""
        if spaced:
            shape = (
                "crawler_spaced",
                "The page's table markup has a newline between the <td>s of a row and none "
                "between rows, so the cells of a row come out space-separated and rows glued "
                "(last value of a row glued to the next row's label, as in pt10).",
            )
        else:
            shape = (
                "crawler_glued",
                "The page's table markup has no whitespace at all, so every table cell is "
                "glued to the next with no separator and rows are glued (as in pt01/pt07's "
                "tables); the blocks (paragraphs, headings, tables) are separated by one space "
                "(newlines between them in the page source).",
            )
            ambiguous = glued_ambiguity(expected["cells"], expected["template"])
            for label, (digits, candidates) in ambiguous.items():
                case_cells.update({p: {"ambiguous": c} for p, c in candidates.items()})
                truth = ", ".join(
                    f"{p.rsplit('/', 1)[1]} {plain(expected['cells'][p])}" for p in candidates
                )
                extra += (
                    f" Section 二 has no arithmetic, and its glued row {label}{digits} reads "
                    "more than one way, so its cells are written ambiguous with the candidates "
                    "of every split into counts without leading zeros (true values: "
                    f"{truth}; readings with blank cells are not listed: the lead settles the "
                    "candidates the parser should give)."
                )
            if ambiguous:
                extra += " All other cells are the seed's."
            else:
                extra = " Every glued row splits one way only."
        note = (
            f"{page_note(seed, edits)} Flattened as the portal crawler of "
            "../shared/real/crawler-text/ptNN.txt did: lxml.html.document_fromstring(page), "
            "the article element (div.article_content; the title is not in it) .text_content(), "
            "' '.join(text.split()) (every whitespace run -> one space), the whole body on one "
            f"line, behind a crawler header in the pt files' style ({versions['lxml']}). "
            f"{shape[1]} Header metadata invented and fixed: 发布时间 {seed.published}, 文号 "
            f"empty, 发布机构 {seed.publisher or 'empty'}, 原文链接 on the reserved .example "
            "host (the page was never served), no trailing newline as in the pt files. "
            f"Cells: the seed's checked values (an inferred value as its plain value).{extra}"
        )
        write_case(f"{seed.base + offset}_{seed.stem}_{shape[0]}", text, note, meta, case_cells)


def pdf_cases(seed, body, edits, expected, versions, work) -> None:
    meta = seed_meta(seed, expected)
    cells = {k: plain(v) for k, v in expected["cells"].items()}
    hung = []
    for size in SIZES:
        page_html = page(seed, body, expected["cells"], expected["template"], False, size)
        try:
            pdf = to_pdf(page_html, work, seed.stem)
        except subprocess.TimeoutExpired:
            print(f"{seed.stem}: soffice did not finish at {size}", file=sys.stderr)
            hung.append(size)
            continue
        break
    else:
        raise RuntimeError(f"{seed.stem}: soffice hung at every size")
    pages, broken = broken_tables(pdf, expected["sections"])
    if not broken:
        raise RuntimeError(f"{pdf}: no table breaks across pages")
    made = (
        f"{page_note(seed, edits)} Font {versions['font']} {size}"
        + (
            f" (at {', '.join(hung)} soffice's layout never finished: killed after "
            f"{SOFFICE_TIMEOUT} s)"
            if hung
            else ""
        )
        + ", a '- N -' page number in the footer (LibreOffice's <sdfield type=PAGE>). "
        "Converted with "
        "soffice -env:UserInstallation=file://<own profile> --headless "
        "--infilter='HTML (StarWriter)' --convert-to pdf:writer_pdf_Export page.html "
        f"({versions['soffice']}, Debian bookworm, A4): {pages} pages, "
        f"{'; '.join(broken)} (checked). The PDF is not kept. "
    )
    extractions = (
        (
            "pdftotext_layout",
            lambda: pdftotext(pdf, "layout"),
            f"Extracted with pdftotext -layout page.pdf input.txt ({versions['pdftotext']}); "
            "input.txt is that output byte for byte (form feeds between pages).",
        ),
        (
            "pdftotext_raw",
            lambda: pdftotext(pdf, "raw"),
            f"Extracted with pdftotext -raw page.pdf input.txt ({versions['pdftotext']}); "
            "input.txt is that output byte for byte (form feeds between pages).",
        ),
        (
            "pdfplumber_text",
            lambda: plumber_text(pdf),
            f"Extracted with {versions['pdfplumber']}: '\\n'.join(page.extract_text() for "
            "page in pdf.pages) + '\\n' (default settings).",
        ),
        (
            "pdfplumber_tables",
            lambda: plumber_tables(pdf),
            f"Extracted with {versions['pdfplumber']} as "
            "../shared/real/pdf/hongze-2023.pdfplumber-tables.txt was: per page, top to "
            "bottom, the text of each band between tables (page.crop(band).extract_text()) "
            "and each table of page.find_tables() (default settings) as rows, cells joined "
            "with ' | ' (a None cell empty, a cell's line breaks as spaces); all joined "
            "with '\\n'.",
        ),
    )
    for offset, (tool, extract, how) in enumerate(extractions, start=2):
        note = made + how + " Cells: the seed's checked values (an inferred value as its value)."
        write_case(f"{seed.base + offset}_{seed.stem}_{tool}", extract(), note, meta, cells)


# --- template drift ------------------------------------------------------------------


def swapped_rows_case() -> None:
    """Two rows of section 三 printed out of the template's order: no grammar reads the
    table, so it is finding T2 (its cells absent, its lines unrecognised) while the sections
    and the other two tables are read."""
    case = "002_litong_justice_2022_tab"
    text = (CORPUS / case / "input.txt").read_text(encoding="utf-8")
    expected = json.loads((CORPUS / case / "expected.json").read_text(encoding="utf-8"))
    meta = {k: expected[k] for k in ("template", "year", "agency", "sections")}
    three = "\t\t3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0\n"
    four = "\t\t4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0\n"
    swapped = replace_once(text, three + four, four + three)
    write_case(
        "233_litong_justice_2022_tab_rows_out_of_order",
        swapped,
        f"Made by tools/make_text_shapes.py from a copy of seed corpus/{case}/input.txt (tab "
        "layout, checked by eye): in section 三 the rows 3.危及“三安全一稳定” and "
        "4.保护第三方合法权益 swapped, as an agency that reorders the template's rows prints "
        "them. Section 三's table is not read (finding T2): its cells are absent and its lines "
        "unrecognised; sections 二 and 四 and their tables are the seed's.",
        meta,
        {k: plain(v) for k, v in expected["cells"].items() if not k.startswith("applications/")},
    )


def replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise ValueError(f"{old!r} occurs {text.count(old)} times")
    return text.replace(old, new)


def drift_cases() -> None:
    case = "002_litong_justice_2022_tab"
    swapped_rows_case()
    text = (CORPUS / case / "input.txt").read_text(encoding="utf-8")
    expected = json.loads((CORPUS / case / "expected.json").read_text(encoding="utf-8"))
    meta = {k: expected[k] for k in ("template", "year", "agency", "sections")}
    cells = {k: plain(v) for k, v in expected["cells"].items()}
    origin = (
        f"Made by tools/make_text_shapes.py from a copy of seed corpus/{case}/input.txt "
        "(tab layout, checked by eye, all 200 cells 0), edited as a real report drifts from "
        "the template; nothing else changed."
    )

    no_regs = replace_once(text, "规章\t0\t0\t0\n", "")
    write_case(
        "230_litong_justice_2022_tab_no_regulations_row",
        no_regs,
        f"{origin} Section 二's table: the line '规章<TAB>0<TAB>0<TAB>0' (the 规章 row) "
        "removed, as agencies without regulations print it. Its three cells "
        "(active_disclosure/art20_1.regulations/issued, repealed, in_force) are absent from the "
        "document and are left out of cells; the other 197 are the seed's.",
        meta,
        {k: v for k, v in cells.items() if "art20_1.regulations/" not in k},
    )

    rows = (
        "\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
        "\t0\t0\t0\t0\t0\t0\t0\n"
        "\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
        "\t0\t0\t0\t0\t0\t0\t0\n"
        "3.其他\t\t0\t0\t0\t0\t0\t0\t0\t\n"
    )
    single = replace_once(text, rows, "\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0\t\n")
    other = {k: v for k, v in cells.items() if not k.startswith("applications/results.other.")}
    merged = {}
    for k, v in other.items():
        if k.startswith("applications/results.total/"):
            for col in APPLICANTS:
                merged[f"applications/results.other/{col.key}"] = 0
        merged[k] = v
    write_case(
        "231_litong_justice_2022_tab_single_other_row",
        single,
        f"{origin} Section 三 of this 2021-template report: the three （六）其他处理 sub-rows "
        "(1.申请人无正当理由逾期不补正…, 2.申请人逾期未按收费通知…, 3.其他) replaced by the 2019 "
        "template's single row, written as the document writes its （二） row: "
        "'<TAB>(六) 其他处理<TAB>0<TAB>0<TAB>0<TAB>0<TAB>0<TAB>0<TAB>0<TAB>' (values 0, the "
        "seed's, so every relation still holds). Cells: applications/results.other/<column> "
        "holds the row's seven values; the three 2021 sub-rows "
        "(results.other.overdue_correction/overdue_fee/other) are left out; the rest are the "
        "seed's. Template stays 2021: section 二 still prints 本年制发件数, 现行有效件数 and "
        "本年收费金额 (the 2021 phrases 逾期不补正 and 收费通知 went with the sub-rows).",
        meta,
        merged,
    )

    typos = replace_once(text, "勾稽关系", "钩稽关系")
    typos = replace_once(
        typos, "四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况"
    )
    typos = replace_once(typos, "7.属于行政执法案卷", "7.属于行政执法案件")
    typos = replace_once(typos, "本年度止件数", "本年废纸件数")
    typo_meta = dict(meta, sections=dict(meta["sections"]))
    typo_meta["sections"]["4"] = "四、政府信息公开行政法复议、行政诉讼情况"
    write_case(
        "232_litong_justice_2022_tab_label_typos",
        typos,
        f"{origin} Label typos found in real reports put in, one each: 勾稽关系 -> 钩稽关系 "
        "(section 三's header cell, as pt07), heading 四、政府信息公开行政复议、… -> "
        "四、政府信息公开行政法复议、行政诉讼情况 (as pt01/pt07; the table's own 行政复议 header "
        "unchanged), 7.属于行政执法案卷 -> 7.属于行政执法案件, and section 二's header "
        "本年度止件数 (the seed's own typo for 本年废止件数) -> 本年废纸件数. Cells: all 200, the "
        "seed's; sections: the seed's with heading 4 as printed here.",
        typo_meta,
        cells,
    )


def flattened(seed_case: str, changes: dict[str, object]) -> str:
    """The crawler-glued text of the seed's page with some cells printed otherwise: the page
    rendered as for the seed's crawler cases, its checked values with ``changes`` (a
    number, "blank" or "placeholder"), and flattened as the pt crawler did."""
    seed = next(s for s in SEEDS if s.case == seed_case)
    lines, expected = load(seed.case)
    body, _ = blocks(seed, lines, expected)
    cells = {**expected["cells"], **changes}
    return crawler_text(seed, page(seed, body, cells, expected["template"], spaced=False))


def glued_run_cases() -> None:
    """Section 二's glued runs with a digit for every cell (read with no blank cell, R6),
    and beside a run that must hold a blank (not read so): seed 000's page rendered with
    those values and flattened as the pt crawler did."""
    seed = "000_dongcheng_justice_2023_pipe"
    expected = json.loads((CORPUS / seed / "expected.json").read_text(encoding="utf-8"))
    meta = {k: expected[k] for k in ("template", "year", "agency", "sections")}
    cells = {k: plain(v) for k, v in expected["cells"].items()}
    regs = "active_disclosure/art20_1.regulations"
    docs = "active_disclosure/art20_1.normative_documents"
    origin = (
        f"Made by tools/make_text_shapes.py (flattened()): seed corpus/{seed}'s page rendered "
        "as for its crawler cases (corpus/200, see its note) but with section 二's 规章 and "
        "行政规范性文件 rows printed as below, then flattened as the pt crawler did (lxml "
        "text_content(), whitespace runs collapsed; the table markup has no whitespace, so "
        "cells are glued)."
    )
    every = {f"{regs}/issued": 7, f"{regs}/repealed": 0, f"{regs}/in_force": 0}
    every |= {f"{docs}/issued": 5, f"{docs}/repealed": 0, f"{docs}/in_force": 5}
    write_case(
        "248_dongcheng_justice_2023_crawler_glued_digit_per_cell",
        flattened(seed, every),
        f"{origin} 规章 7, 0, 0 and 行政规范性文件 5, 0, 5 flatten to '规章700行政规范性文件505'. "
        "Section 二 has no arithmetic: 700 also reads 70, 0 and a blank, or 700 and two "
        "blanks. Read with as few blanks as the digits allow (one digit a cell, the "
        "verifier's reading of ../shared/real/crawler-text/pt11 '700' and pt14 '505'), the "
        "six cells are 7, 0, 0, 5, 0, 5, marked inferred (finding R6). Other cells: the "
        "seed's.",
        meta,
        {**cells, **{p: {"value": v, "inferred": True} for p, v in every.items()}},
    )
    shown = {f"{regs}/issued": 5, f"{regs}/repealed": "blank", f"{regs}/in_force": 5}
    shown |= {f"{docs}/issued": 1, f"{docs}/repealed": 2, f"{docs}/in_force": 0}
    write_case(
        "249_dongcheng_justice_2023_crawler_glued_blank_shown",
        flattened(seed, shown),
        f"{origin} 规章 5, blank, 5 and 行政规范性文件 1, 2, 0 flatten to "
        "'规章55行政规范性文件120'. 55 under three cells must hold a blank, so this table "
        "shows it has blank cells, and 120 is not read with one digit a cell: all six cells "
        "stay ambiguous with every reading's values, blank included (no R6). Other cells: "
        "the seed's (the lead filled in the six ambiguous cells from the parse, checked by "
        "eye).",
        meta,
        {k: v for k, v in cells.items() if k not in shown},
    )


def glued_placeholder_case() -> None:
    """Placeholders in section 二's cells, glued after their labels by the crawler's
    flattening (行政许可/): cells, not part of the label."""
    seed = "000_dongcheng_justice_2023_pipe"
    expected = json.loads((CORPUS / seed / "expected.json").read_text(encoding="utf-8"))
    meta = {k: expected[k] for k in ("template", "year", "agency", "sections")}
    cells = {k: plain(v) for k, v in expected["cells"].items()}
    placeholders = {
        f"active_disclosure/art20_1.regulations/{c}": "placeholder"
        for c in ("issued", "repealed", "in_force")
    }
    placeholders["active_disclosure/art20_5.administrative_license/decisions"] = "placeholder"
    write_case(
        "250_dongcheng_justice_2023_crawler_glued_placeholders",
        flattened(seed, placeholders),
        f"Made by tools/make_text_shapes.py (flattened()): seed corpus/{seed}'s page rendered "
        "as for its crawler cases (corpus/200, see its note) but printing '/' in the 规章 "
        "row's three cells and in 行政许可's one, then flattened as the pt crawler did: "
        "'规章///' and '行政许可/'. The placeholders are cells (PLACEHOLDER, raw '/'), "
        "neither blank nor 0, and not part of the label. Other cells: the seed's.",
        meta,
        {**cells, **placeholders},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="keep the HTML pages and PDFs here")
    parser.add_argument(
        "--seed", help="only the cases of the seed whose folder starts so (e.g. 001)"
    )
    args = parser.parse_args()
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed")
    versions = tool_versions()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for seed in SEEDS:
            if args.seed and not seed.case.startswith(args.seed):
                continue
            lines, expected = load(seed.case)
            if expected["template"] != "2021":
                raise ValueError(f"{seed.case}: only the 2021 template's tables are rendered")
            body, edits = blocks(seed, lines, expected)
            crawler_cases(seed, body, edits, expected, versions, work)
            pdf_cases(seed, body, edits, expected, versions, work)
        for case, why in SKIPPED.items():
            print(f"skipped {case}: {why}")
        if not args.seed:
            drift_cases()
            glued_run_cases()
            glued_placeholder_case()


if __name__ == "__main__":
    main()
