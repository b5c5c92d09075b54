from __future__ import annotations

from decimal import Decimal

import pytest

from govreport.model import CellState
from govreport.placement.values import cell
from govreport.spec.dictionary import Kind
from govreport.tables import Printed


@pytest.mark.parametrize(
    ("text", "kind", "column", "expected"),
    [
        ("7", "COUNT", Kind.COUNT, 7),
        ("1,234", "COUNT", Kind.COUNT, 1234),
        ("3件", "COUNT", Kind.COUNT, 3),
        ("(减)7", "SIGNED", Kind.SIGNED, -7),
        ("减少1", "SIGNED", Kind.SIGNED, -1),
        ("增加2", "SIGNED", Kind.SIGNED, 2),
        ("+3", "SIGNED", Kind.SIGNED, 3),
        ("-2", "SIGNED", Kind.SIGNED, -2),
        ("2.5万元", "MONEY", Kind.MONEY, Decimal("2.5")),
        ("251000元", "MONEY", Kind.MONEY, Decimal("25.1")),
        ("0", "COUNT", Kind.MONEY, Decimal(0)),
        ("0.35", "DECIMAL", Kind.MONEY, Decimal("0.35")),
    ],
)
def test_numbers(text, kind, column, expected):
    c = cell(Printed(text, kind, 1, 1), column)
    assert c.state is CellState.NUMBER
    assert c.value == expected
    assert type(c.value) is type(expected)
    assert c.raw == text


@pytest.mark.parametrize("text", ["/", "—", "-", "--", "无", "不适用"])
def test_placeholders_are_neither_zero_nor_blank(text):
    c = cell(Printed(text, "PLACEHOLDER", 1, 1), Kind.COUNT)
    assert c.state is CellState.PLACEHOLDER
    assert c.value is None


def test_blank_is_not_zero():
    c = cell(Printed("", "EMPTY", 4, 2), Kind.COUNT)
    assert c.state is CellState.BLANK and c.value is None and c.line == 4
