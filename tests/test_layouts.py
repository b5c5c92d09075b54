"""The layout signatures say what their plain statements say.

Three signatures were first written with two unbounded repeats that can cover the same
characters (``.*[^|\\s][^|]*\\|``), which made a search on a line without a match take
time quadratic or worse in the line's length: 0.4 s for one 6,000-character crawler
line, minutes for a whole flattened report. They are now written so that a search is
linear; these properties hold them to the plain statements they replaced.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govreport.readers.layouts import LAYOUTS

#: each signature as first written (plain, but slow on long lines)
PLAIN = {
    "pipe": r"^(?!\s*\|.*\|\s*$)(?:.*[^|\s][^|]*\|\s*\S|\s*\|.*[^|\s])",
    "cell-per-line": r"^[^|]*\S[^|]*\s\|\s*$|^\s*\|+\s*$",
    "markdown": r"^\s*\|.*[^|\s].*\|\s*$",
}

lines = st.text(alphabet=["a", "中", "1", " ", "\t", "|", "\n", "　"], max_size=24)


@settings(max_examples=3000, deadline=None)
@given(lines)
def test_signatures_match_their_plain_statements(text: str) -> None:
    for name, plain in PLAIN.items():
        assert bool(LAYOUTS[name].signature.search(text)) == bool(re.search(plain, text)), name


def test_signatures_on_known_lines() -> None:
    expected = {
        "项目 | 本年新制作数量 | 本年新公开数量": {"pipe"},
        "| 规章 | 0 | 0 | 5 |": {"markdown"},
        "规章 |": {"cell-per-line"},
        "||": {"cell-per-line"},
        "| 规章 | 0": {"pipe"},
        "本机关依法主动公开政府信息": set(),
    }
    for text, names in expected.items():
        found = {n for n in PLAIN if LAYOUTS[n].signature.search(text)}
        assert found == names, text


def test_line_per_cell_signature_is_a_value_alone_on_its_line() -> None:
    sig = LAYOUTS["line-per-cell"].signature
    alone = ("0", " 12 ", "7730.28", "12万元", "—", "/", "不适用", "--")
    assert [bool(sig.search(t)) for t in alone] == [True] * len(alone)
    assert [bool(sig.search(t)) for t in ("规章 0 0 0", "规章", "1.属于国家秘密", "- 4 -")] == [
        False
    ] * 4


def test_line_per_cell_stream() -> None:
    """A row is its text lines, then its values; a numbered label's wrapped rest joins it,
    any other text line is a cell of its own; blank lines are nothing."""
    from govreport.readers.layouts import stream

    lines = [
        "第二十条第（一）项", "信息内容", "规章", "0", "", "0",
        "（二）部分公开（区分处理的，只计这一情形，不", "计其他情形）", "4",
        "（三", "）不", "1.属于国家秘", "密", "1", "—",
    ]  # fmt: skip
    items = stream(LAYOUTS["line-per-cell"], lines, 10)
    rows, row = [], []
    for item in items:
        if item.is_break:
            rows.append(row)
            row = []
        else:
            row.append(item.text)
    assert rows == [
        ["第二十条第（一）项", "信息内容", "规章", "0", "0"],
        ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "4"],
        ["（三", "）不", "1.属于国家秘密", "1", "—"],
    ]
    assert [i.line for i in items if i.text == "4"] == [18]
