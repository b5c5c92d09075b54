"""Render a corpus report as an HTML page with the national template's tables.

Used only to make fixtures (see the notes in expected.json): the text lines of
the seed outside its tables are kept as paragraphs, in order; the three tables
are rebuilt from the parsed values as real HTML tables with the template's
merged cells (rowspan/colspan). Not part of the library.

    python render_html.py SEED_INPUT.txt OUT.html [--traditional] [--drop-debris]

``--traditional`` writes the rebuilt tables in Traditional characters (the
seed's own lines are kept as they are).
"""

from __future__ import annotations

import html
import sys

import govreport
from govreport.model import CellState
from govreport.spec.dictionary import APPLICANTS, OUTCOMES, TEMPLATES

CAPTIONS = {"1": "一", "5": "五", "6": "六", "8": "八", "9": "九"}


def value(cell) -> str:
    if cell.state is CellState.BLANK:
        return ""
    if cell.state is CellState.PLACEHOLDER:
        return cell.raw or "/"
    return str(cell.value)


def td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f'<td valign="top"{span}>{html.escape(text)}</td>'


def active_disclosure(report, table_def) -> list[str]:
    rows = report.active_disclosure.rows
    out, block = [], None
    for row_def in table_def.rows:
        b = row_def.key.split(".")[0]
        if b != block:
            block = b
            out.append(td(f"第二十条第（{CAPTIONS[b.split('_')[1]]}）项", colspan=4))
            heads = [c.label for c in row_def.columns]
            out.append(td("信息内容") + "".join(td(h, colspan=4 - len(heads)) for h in heads))
        cells = rows[row_def.key].cells
        n = len(row_def.columns)
        out.append(
            td(row_def.label)
            + "".join(
                td(value(cells[c.key]), colspan=4 - n if n == 1 else 1) for c in row_def.columns
            )
        )
    return out


def applications(report, table_def) -> list[str]:
    rows = report.applications.rows
    out = [
        td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
        + td("申请人情况", colspan=7),
        td("自然人", rowspan=2) + td("法人或其他组织", colspan=5) + td("总计", rowspan=2),
        "".join(td(c.label) for c in APPLICANTS[1:6]),
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
        cells = "".join(td(value(rows[row_def.key].cells[c.key])) for c in row_def.columns)
        if parts[0] != "results":
            out.append(td(labels[-1], colspan=3) + cells)
            continue
        lead = ""
        if "results" not in seen:
            seen.add("results")
            lead += td(labels.pop(0), rowspan=results)
        if len(parts) == 3:
            if parts[1] not in seen:
                seen.add(parts[1])
                lead += td(labels.pop(0), rowspan=groups[parts[1]])
            out.append(lead + td(labels[-1]) + cells)
        else:
            out.append(lead + td(labels[-1], colspan=2) + cells)
    return out


def review_litigation(report, table_def) -> list[str]:
    rows = report.review_litigation.rows
    outcomes = [c.label for c in OUTCOMES]
    return [
        td("行政复议", colspan=5) + td("行政诉讼", colspan=10),
        "".join(td(h, rowspan=2) for h in outcomes)
        + td("未经复议直接起诉", colspan=5)
        + td("复议后起诉", colspan=5),
        "".join(td(h) for h in outcomes * 2),
        "".join(td(value(rows[r.key].cells[c.key])) for r in table_def.rows for c in r.columns),
    ]


#: Column widths (percent) roughly as in the national template's Word tables.
COLGROUPS = {
    "active_disclosure": ["<colgroup>", *['<col width="25%">'] * 4, "</colgroup>"],
    "applications": [
        "<colgroup>",
        '<col width="8%">',
        '<col width="10%">',
        '<col width="24%">',
        *['<col width="8%">'] * 7,
        "</colgroup>",
    ],
    "review_litigation": [],
}

BUILD = {
    "active_disclosure": active_disclosure,
    "applications": applications,
    "review_litigation": review_litigation,
}


def render(path: str, drop_debris: bool, traditional: bool) -> str:
    report = govreport.parse_file(path)
    template = TEMPLATES[report.template]
    lines = report.original_text.split("\n")
    table_lines = {}
    for table_def in template.tables:
        table = getattr(report, table_def.key)
        if table.lines:
            table_lines[min(table.lines)] = (
                table_def,
                set(range(min(table.lines), max(table.lines) + 1)),
            )
    skip = set().union(*(span for _, span in table_lines.values()))
    debris = {u.line for u in report.unrecognised}
    body = []
    for number, line in enumerate(lines, start=1):
        if number in table_lines:
            table_def, _ = table_lines[number]
            rows = BUILD[table_def.key](report, table_def)
            body.append('<table border="1" cellspacing="0" cellpadding="4" width="100%">')
            body.extend(COLGROUPS[table_def.key])
            if traditional:  # the seed's own lines are already in its script
                import opencc

                rows = [opencc.OpenCC("s2t").convert(row) for row in rows]
            body.extend(f"<tr>{row}</tr>" for row in rows)
            body.append("</table>")
        elif number in skip or not line.strip() or (drop_debris and number in debris):
            continue
        else:
            body.append(f"<p>{html.escape(line.strip())}</p>")
    # A page-number footer "- N -" as LibreOffice's HTML import reads it.
    footer = (
        '<div title="footer"><p align="center">- '
        "<sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield> -</p></div>"
    )
    style = "body { font-family: 'WenQuanYi Micro Hei'; font-size: 10.5pt; }"
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + f"\n{footer}\n</body></html>\n"
    )


if __name__ == "__main__":
    text = render(sys.argv[1], "--drop-debris" in sys.argv, "--traditional" in sys.argv)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(text)
