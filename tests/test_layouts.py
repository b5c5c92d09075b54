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
