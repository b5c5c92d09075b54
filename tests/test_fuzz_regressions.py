"""Bugs found by the properties (tests/test_properties.py) and the campaigns
(benchmarks/fuzz.py, benchmarks/roundtrip.py), each as its smallest reproducer.

Those marked ``xfail(strict=True)`` are open: the fix belongs in a module this
test file's author does not own (named in the reason). When the fix lands the
test passes, strict xfail turns that into a failure, and the mark comes off.

Found and fixed since (the tests here pass): a ``-`` placeholder cell and the
number cell after it lexed as one signed value (b0d01ca); normalisation was not
idempotent around zero-width characters (17fa981); two reports in one file gave
lark's bare message (4686133). Found and fixed, tested
in tests/test_regressions.py: text holding a lone surrogate crashed inside OpenCC
(UnicodeEncodeError), now a DecodeError (a5d9c57).
"""

from __future__ import annotations

import pytest
from attrs import evolve

from govreport import Cell, CellState, StructureError, dumps, parse
from govreport.grammars import parser
from govreport.readers.text import normalise

from .corpus import cases


def _seed_002():
    """Seed 002: tab layout, template 2021, every table value 0."""
    return parse((cases()[2] / "input.txt").read_bytes())


def _with_row(report, table: str, row: str, cells: dict[str, Cell]):
    tbl = getattr(report, table)
    rows = dict(tbl.rows)
    rows[row] = evolve(rows[row], cells={**rows[row].cells, **cells})
    return evolve(report, **{table: evolve(tbl, rows=rows)})


def test_dash_placeholder_before_a_number_is_two_cells():
    """Cells.lark's SIGNED had ``\\s*`` between sign and digits, and ``\\s``
    matches the cell separator ``\\x1f``."""
    report = _with_row(
        _seed_002(),
        "applications",
        "new_received",
        {"commercial": Cell(CellState.PLACEHOLDER, raw="-"), "research": Cell(CellState.NUMBER, 0)},
    )
    text = dumps(report, "tab")
    assert "一、本年新收政府信息公开申请数量\t0\t-\t0\t" in text
    again = parse(text)
    assert again.cell("applications/new_received/commercial").state is CellState.PLACEHOLDER
    assert again.cell("applications/new_received/research").value == 0
    assert again == report


def test_signed_terminal_does_not_span_cells():
    types = [t.type for t in parser("tables/applications_2021").lex("自然人\x1f-\x1f0\x1f")]
    assert "SIGNED" not in types


@pytest.mark.xfail(
    strict=True,
    reason="known limitation, documented in the README ('Damaged tables'): inference "
    "assumes the table's own arithmetic holds. In a lossy layout (space-aligned: a blank "
    "prints nothing; pipe when blanks may be dropped) a table whose arithmetic is broken "
    "can be placed by another reading that satisfies it; the value is marked inferred "
    "(R1) but wrong. No fix is known that keeps seed 003's recovery",
)
def test_space_aligned_blank_is_not_read_as_zero_when_the_arithmetic_is_broken():
    blank, dash = Cell(CellState.BLANK), Cell(CellState.PLACEHOLDER, raw="—")
    slash = Cell(CellState.PLACEHOLDER, raw="/")

    def n(value: int) -> Cell:
        return Cell(CellState.NUMBER, value)

    report = _seed_002()
    for row, cells in {
        "review": [dash, blank, n(0), n(0), n(0)],
        "litigation_direct": [n(0), blank, slash, n(0), blank],
        "litigation_after_review": [n(33838), n(0), n(1539), blank, n(0)],
    }.items():
        keys = ["upheld", "corrected", "other", "pending", "total"]
        report = _with_row(report, "review_litigation", row, dict(zip(keys, cells, strict=True)))
    text = dumps(report, "space-aligned")
    assert "—    0    0    0    0    /    0    33838    0    1539    0" in text
    got = parse(text).cell("review_litigation/review/corrected")
    assert got.state is CellState.BLANK or (
        got.state is CellState.AMBIGUOUS and None in got.candidates
    ), got


@pytest.mark.parametrize(
    "text",
    ["[book\u200bmark: _GoBack]规章", "統\u200b(tǒng)一 政(zhèng)府"],
    ids=["bookmark", "pinyin"],
)
def test_normalisation_is_idempotent_around_zero_width_characters(text):
    """Inline artifacts used to be removed in one pass over the original line, so
    a zero-width character inside a bookmark or before pinyin hid it (17fa981)."""
    once = normalise(text).text
    assert normalise(once).text == once


def test_two_reports_in_one_file_is_a_structure_error():
    """Lark's UnexpectedInput from the skeleton used to reach parse()'s fallback:
    a bare ParseError with lark's message (4686133)."""
    text = (cases()[0] / "input.txt").read_text(encoding="utf-8-sig")
    with pytest.raises(StructureError) as raised:
        parse(text * 2)  # converters that concatenate documents; fuzz mutation "repeat"
    heading = next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith("一、"))
    assert raised.value.line == text.count("\n") + heading  # the second report's 一、
    assert raised.value.expected
