"""Hypothesis strategies for synthetic reports, and the damage real extractions do.

Use them to fuzz your own pipelines (``pip install govreport[hypothesis]``)::

    from hypothesis import given
    from govreport import strategies as st_gov

    @given(st_gov.reports())
    def test_my_pipeline(report): ...

``reports()`` draws whole :class:`~govreport.model.Report` objects whose tables
keep every relation of FORMAT.md §6 (``consistent=True``) or hold arbitrary
values; blank cells count as 0 in the arithmetic, as reports treat them.
Write one out with :func:`govreport.serialise.dumps`, then damage the text with
:func:`drop_blank_cells` as some converters do.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import strategies as st

from .dictionary import OUTCOME_PREFIX, SECTIONS, TEMPLATES
from .model import Cell, CellState, Report, Row, Section, Table

_small = st.one_of(st.just(0), st.just(0), st.integers(1, 9), st.integers(10, 999))


def _cell(value: int | Decimal | None) -> Cell:
    if value is None:
        return Cell(CellState.BLANK)
    return Cell(CellState.NUMBER, value)


@st.composite
def _blank_or(draw, value: int | Decimal, blank_zeros: bool) -> Cell:
    """``value``, printed blank now and then when it is 0 (blank counts as 0)."""
    if value == 0 and blank_zeros and draw(st.booleans()):
        return Cell(CellState.BLANK)
    return _cell(value)


@st.composite
def applications(draw, template: str = "2021", consistent: bool = True) -> Table:
    table = TEMPLATES[template].table("applications")
    cols = [c.key for c in table.rows[0].columns]
    applicants = cols[:-1]
    blanks = draw(st.booleans())
    outcome_keys = [
        r.key for r in table.rows if r.key.startswith(OUTCOME_PREFIX) and r.key != "results.total"
    ]
    values: dict[str, dict[str, int]] = {}
    for key in outcome_keys:
        values[key] = {c: draw(_small) if draw(st.integers(0, 4)) == 0 else 0 for c in applicants}
    values["results.total"] = {c: sum(values[k][c] for k in outcome_keys) for c in applicants}
    values["carried_forward"] = {c: draw(st.integers(0, 3)) for c in applicants}
    values["carried_over"] = {
        c: draw(st.integers(0, values["results.total"][c] + values["carried_forward"][c]))
        for c in applicants
    }
    values["new_received"] = {
        c: values["results.total"][c] + values["carried_forward"][c] - values["carried_over"][c]
        for c in applicants
    }
    rows = {}
    for row in table.rows:
        v = values[row.key] if consistent else {c: draw(_small) for c in applicants}
        v = {**v, "total": sum(v[c] for c in applicants) if consistent else draw(_small)}
        rows[row.key] = Row(row.key, {c: draw(_blank_or(v[c], blanks)) for c in cols})
    return Table("applications", rows)


@st.composite
def review_litigation(draw, consistent: bool = True) -> Table:
    table = TEMPLATES["2021"].table("review_litigation")
    rows = {}
    for row in table.rows:
        parts = [draw(_small) for _ in range(4)]
        total = sum(parts) if consistent else draw(_small)
        cells = dict(zip([c.key for c in row.columns], [*parts, total], strict=True))
        rows[row.key] = Row(row.key, {k: _cell(v) for k, v in cells.items()})
    return Table("review_litigation", rows)


@st.composite
def active_disclosure(draw, template: str = "2021") -> Table:
    table = TEMPLATES[template].table("active_disclosure")
    rows = {}
    for row in table.rows:
        cells = {}
        for col in row.columns:
            if col.kind.value == "money":
                cells[col.key] = _cell(Decimal(draw(st.integers(0, 5000))) / 10)
            elif col.kind.value == "signed":
                cells[col.key] = _cell(draw(st.integers(-20, 20)))
            else:
                cells[col.key] = _cell(draw(_small))
        rows[row.key] = Row(row.key, cells)
    return Table("active_disclosure", rows)


_PROSE = {
    1: "本机关认真贯彻落实《中华人民共和国政府信息公开条例》,持续推进政务公开工作。",
    5: "存在的主要问题是信息更新不够及时。下一步将加强培训,提升公开质量。",
    6: "本机关未收取信息处理费。",
}


@st.composite
def reports(draw, template: str | None = None, consistent: bool = True) -> Report:
    """Whole reports: title, six sections, three tables (see the module docstring)."""
    tid = template or draw(st.sampled_from(sorted(TEMPLATES)))
    year = draw(st.integers(2019, 2020) if tid == "2019" else st.integers(2021, 2025))
    agency = draw(st.sampled_from([None, "某市司法局", "某区人民政府办公室", "某县财政局"]))
    sections = tuple(Section(n, heading, _PROSE.get(n, "")) for n, heading in SECTIONS.items())
    return Report(
        template=tid,
        year=year,
        agency=agency,
        sections=sections,
        active_disclosure=draw(active_disclosure(tid)),
        applications=draw(applications(tid, consistent)),
        review_litigation=draw(review_litigation(consistent)),
    )


_VALUE = re.compile(r"^\s*(\d+(\.\d+)?(万元)?|-\d+)?\s*$")


def drop_blank_cells(text: str) -> str:
    """Damage pipe-layout text as some converters do: each table row loses its
    blank value cells, the values left-packed and the row padded with bars
    (seed 003: ``| 1 | 1 | |||||||``)."""
    out = []
    for line in text.split("\n"):
        cells = line.split(" | ") if " | " in line else None
        if not cells or not line.endswith(" |"):
            out.append(line)
            continue
        cells[-1] = cells[-1][:-2]
        labels = []
        while cells and not _VALUE.match(cells[0]):
            labels.append(cells.pop(0))
        kept = [c for c in cells if c.strip()]
        dropped = len(cells) - len(kept)
        if not labels or not dropped:
            out.append(line)
            continue
        out.append(" | ".join([*labels, *kept]) + " |" + "|" * dropped)
    return "\n".join(out)
