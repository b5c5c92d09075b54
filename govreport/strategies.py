"""Hypothesis strategies for synthetic reports, and the damage real extractions do.

Use them to fuzz your own pipelines (``pip install govreport[hypothesis]``)::

    from hypothesis import given
    from govreport import strategies as st_gov

    @given(st_gov.reports())
    def test_my_pipeline(report): ...

``reports()`` draws whole :class:`~govreport.model.Report` objects whose tables
keep every relation of FORMAT.md §6 (``consistent=True``) or hold arbitrary
values; blank cells count as 0 in the arithmetic, as reports treat them.
``arbitrary_reports()`` draws reports with no arithmetic at all: any count, money
or signed value, blank cells and placeholders (``/``, ``—``, ``无`` …) anywhere,
and sections 一, 五, 六 sometimes missing.
Write one out with :func:`govreport.output.serialise.dumps`, then damage the text with
:func:`drop_blank_cells` as some converters do.

Text noise: each of these takes text written by ``dumps`` and returns a strategy
of variants that the parser must read to the same report (the noise real
extractions add and :mod:`govreport.readers.text` undoes):

* :func:`spacing_noise` — odd spaces (NBSP, ideographic, thin …), doubled
  spaces, zero-width characters;
* :func:`width_noise` — ASCII letters, digits and punctuation in full width;
* :func:`traditional_script` — the whole text in Traditional characters;
* :func:`extraction_artifacts` — DOCX bookmarks, site-converter pinyin
  (``統(tǒng)一``), web-page debris lines before the title and after the end;
* :func:`line_endings` — CRLF or CR line ends, a leading BOM;
* :func:`noisy_text` — any combination of the above;
* :func:`encoded` — bytes: UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030;
* :func:`dropped_blank_cells` — pipe text whose rows lost blank cells (some
  converters do this); the parser must give every cell its value or leave it
  ``ambiguous`` with the true value among the candidates — never a wrong value.

Example, in another project's tests::

    from hypothesis import given, strategies as st
    import govreport
    from govreport import strategies as gs

    @given(gs.reports(), st.data())
    def test_reads_noisy_reports(report, data):
        text = data.draw(gs.noisy_text(govreport.dumps(report, "tab")))
        assert govreport.parse(text) == report
"""

from __future__ import annotations

import codecs
import re
from decimal import Decimal
from functools import lru_cache

from hypothesis import strategies as st

from govreport.grammars import placeholder_words
from govreport.model import Cell, CellState, Report, Row, Section, Table
from govreport.spec.dictionary import OUTCOME_PREFIX, SECTIONS, TEMPLATES, Kind, Template

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
    year = draw(_years(TEMPLATES[tid]))
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


#: Placeholders as reports print them: neither zero nor blank (the grammars' own).
PLACEHOLDERS = placeholder_words()

_AGENCIES = (None, "某市司法局", "某区人民政府办公室", "某县财政局", "某省自然资源厅")


@st.composite
def _any_cell(draw, kind: Kind, placeholders: tuple[str, ...]) -> Cell:
    """A cell with no arithmetic behind it: a value, blank or a placeholder."""
    what = draw(st.sampled_from(("number", "number", "number", "blank", "placeholder")))
    if what == "blank":
        return Cell(CellState.BLANK)
    if what == "placeholder" and placeholders:
        return Cell(CellState.PLACEHOLDER, raw=draw(st.sampled_from(placeholders)))
    if what == "placeholder":
        return Cell(CellState.BLANK)
    if kind is Kind.MONEY:
        cents = draw(st.one_of(st.integers(0, 99), st.integers(0, 10**7)))
        return _cell(Decimal(cents) / draw(st.sampled_from((1, 10, 100, 10000))))
    if kind is Kind.SIGNED:
        return _cell(draw(st.integers(-999, 999)))
    return _cell(draw(st.one_of(_small, st.integers(1000, 10**6))))


@st.composite
def _any_table(draw, template: str, key: str, placeholders: tuple[str, ...]) -> Table:
    table = TEMPLATES[template].table(key)
    rows = {
        row.key: Row(row.key, {c.key: draw(_any_cell(c.kind, placeholders)) for c in row.columns})
        for row in table.rows
    }
    return Table(key, rows)


@st.composite
def arbitrary_reports(
    draw, template: str | None = None, placeholders: tuple[str, ...] = PLACEHOLDERS
) -> Report:
    """Reports whose cells are anything a table may print: any value of the
    column's kind (counts up to 10⁶, money to four decimals, signed changes),
    blank cells and placeholders — no arithmetic holds. Sections 一, 五 and 六 are
    sometimes missing (the tables' sections 二, 三, 四 are always there).
    ``placeholders``: the placeholder spellings to print (raw text of the cells)."""
    tid = template or draw(st.sampled_from(sorted(TEMPLATES)))
    year = draw(_years(TEMPLATES[tid]))
    missing = draw(st.sets(st.sampled_from((1, 5, 6))))
    sections = tuple(
        Section(n, heading, _PROSE.get(n, ""))
        for n, heading in SECTIONS.items()
        if n not in missing
    )
    return Report(
        template=tid,
        year=year,
        agency=draw(st.sampled_from(_AGENCIES)),
        sections=sections,
        active_disclosure=draw(_any_table(tid, "active_disclosure", placeholders)),
        applications=draw(_any_table(tid, "applications", placeholders)),
        review_litigation=draw(_any_table(tid, "review_litigation", placeholders)),
    )


# --- text noise ------------------------------------------------------------

#: Space characters extractions put where a space was (normalisation folds them).
ODD_SPACES = ("\u00a0", "\u3000", "\u2002", "\u2003", "\u2009", "\u202f", "  ")
#: Invisible characters extractions leave inside text (normalisation drops them).
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
#: Lines web pages and viewers add around a report (normalisation blanks them).
DEBRIS = (
    "扫一扫在手机打开当前页面",
    "【打印本页】【关闭窗口】",
    "分享到:",
    "字号:大 中 小",
    "打印",
)


def _positions(draw, text: str, where: re.Pattern[str], most: int = 40) -> list[int]:
    """Some match positions of ``where`` in ``text``, in order."""
    spots = [m.start() for m in where.finditer(text)]
    if not spots:
        return []
    return sorted(draw(st.sets(st.sampled_from(spots), max_size=min(most, len(spots)))))


def _insert(text: str, at: list[int], pieces: list[str]) -> str:
    out, pos = [], 0
    for i, piece in zip(at, pieces, strict=True):
        out.append(text[pos:i])
        out.append(piece)
        pos = i
    out.append(text[pos:])
    return "".join(out)


@st.composite
def spacing_noise(draw, text: str) -> str:
    """Spaces replaced by odd or doubled spaces; zero-width characters inserted
    anywhere except inside a line ending."""
    spaces = _positions(draw, text, re.compile(" "))
    chars = list(text)
    for i in spaces:
        chars[i] = draw(st.sampled_from(ODD_SPACES))
    text = "".join(chars)
    at = _positions(draw, text, re.compile(r"(?<!\r)(?=[^\n])|(?<=[^\r\n])(?=\n)"))
    return _insert(text, at, [draw(st.sampled_from(ZERO_WIDTH)) for _ in at])


_FULL = {c: c + 0xFEE0 for c in range(0x21, 0x7F) if c != ord(",")}


@st.composite
def width_noise(draw, text: str) -> str:
    """ASCII letters, digits and punctuation printed full width (``１２｜``), all
    of them or some; a comma stays a comma (``1，2`` reads as two cells)."""
    if draw(st.booleans()):
        return text.translate(_FULL)
    at = set(_positions(draw, text, re.compile(r"[!-+\-~]"), most=200))
    return "".join(c.translate(_FULL) if i in at else c for i, c in enumerate(text))


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional_script(text: str) -> st.SearchStrategy[str]:
    """The text converted to Traditional characters (OpenCC ``s2t``), as reports
    from Hong Kong-style site converters print them."""
    return st.just(_s2t().convert(text))


_CJK_CHAR = re.compile(r"(?<=[\u4e00-\u9fff])")
_PINYIN = ("(tǒng)", "(zhèng)", "(gōng)", "(kāi)", "(xìn)", "(xī)", "（nián）")


@st.composite
def extraction_artifacts(draw, text: str) -> str:
    """What converters leave in: ``[bookmark: _GoBack]`` inline, pinyin after
    Chinese characters (at least two, as site converters do it throughout), and
    web-page debris lines before the title and after the report."""
    at = _positions(draw, text, re.compile(r"(?=[^\n])"), most=5)
    text = _insert(text, at, ["[bookmark: _GoBack]"] * len(at))
    if draw(st.booleans()):
        at = _positions(draw, text, _CJK_CHAR, most=20)
        if len(at) >= 2:
            text = _insert(text, at, [draw(st.sampled_from(_PINYIN)) for _ in at])
    head = draw(st.lists(st.sampled_from(DEBRIS), max_size=3))
    tail = draw(st.lists(st.sampled_from(DEBRIS), max_size=3))
    if tail and text and not text.endswith("\n"):
        text += "\n"
    return "".join(f"{line}\n" for line in head) + text + "".join(f"{line}\n" for line in tail)


@st.composite
def line_endings(draw, text: str) -> str:
    """Line ends as Windows (CRLF) or old Mac (CR) write them; maybe a BOM first."""
    end = draw(st.sampled_from(("\n", "\r\n", "\r")))
    text = text.replace("\n", end)
    return ("\ufeff" + text) if draw(st.booleans()) else text


@st.composite
def noisy_text(draw, text: str) -> str:
    """Any combination of the noise above, in an order real pipelines apply it
    (script, then widths and spacing, then artifacts, then line ends)."""
    if draw(st.booleans()):
        text = draw(traditional_script(text))
    if draw(st.booleans()):
        text = draw(width_noise(text))
    if draw(st.booleans()):
        text = draw(spacing_noise(text))
    if draw(st.booleans()):
        text = draw(extraction_artifacts(text))
    return draw(line_endings(text))


@st.composite
def encoded(draw, text: str) -> bytes:
    """The text as bytes in an encoding reports come in: UTF-8 with or without
    BOM, UTF-16 (LE or BE) with BOM, or GB18030 (GBK's superset)."""
    how = draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-be", "gb18030")))
    if how == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(how)


@st.composite
def dropped_blank_cells(draw, text: str) -> str:
    """Pipe text (``dumps(report, "pipe")``) whose table rows lost their blank
    cells, the values left-packed — in every row or in some (seed 003)."""
    if draw(st.booleans()):
        return drop_blank_cells(text)
    lines = text.split("\n")
    keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    return "\n".join(
        line if k else drop_blank_cells(line) for line, k in zip(lines, keep, strict=True)
    )


def _years(template: Template) -> st.SearchStrategy[int]:
    """Report years the template is for (a still-current one: five years on)."""
    return st.integers(template.first_year, template.last_year or template.first_year + 4)
