"""Turn a printed cell into a typed :class:`~govreport.model.Cell`.

The token type (which value terminal of ``grammars/tables/cells.lark`` matched)
says what was printed; the column's kind says how to read it (FORMAT.md §5).
"""

from __future__ import annotations

import re
from decimal import Decimal

from govreport.model import Cell, CellState, Number
from govreport.spec.dictionary import Kind
from govreport.tables import Printed

_DIGITS = re.compile(r"[0-9][0-9,]*(\.[0-9]+)?")


def cell(printed: Printed | None, kind: Kind, *, inferred: bool = False) -> Cell:
    """The typed cell for ``printed`` (``None``: a column nothing was printed in)."""
    if printed is None:
        return Cell(CellState.BLANK, inferred=inferred)
    inferred = inferred or printed.moved
    if printed.empty:
        state, number = CellState.BLANK, None
    elif printed.kind == "PLACEHOLDER":
        state, number = CellState.PLACEHOLDER, None
    else:
        state, number = CellState.NUMBER, value(printed, kind)
    return Cell(
        state,
        number,
        inferred=inferred,
        raw=printed.text,
        line=printed.line,
        column=printed.column,
        source=printed.source,
    )


def value(printed: Printed, kind: Kind) -> Number:
    """The number a value cell stands for, in the column's unit."""
    text = printed.text
    if printed.kind == "COUNT" and text.isascii() and text.isdigit():
        return Decimal(text) if kind is Kind.MONEY else int(text)  # the usual cell: 12
    digits = _DIGITS.search(text)
    assert digits is not None, text  # the value terminals all contain digits
    number = Decimal(digits.group().replace(",", ""))
    if printed.kind == "SIGNED" and ("减" in text or text.lstrip().startswith("-")):
        number = -number
    if printed.kind == "MONEY" and "万" not in text:
        number = number.scaleb(-4)  # 元 → 万元, exactly (no rounding to 28 digits)
    if kind is Kind.MONEY:
        return number
    return int(number) if number == number.to_integral_value() else number
