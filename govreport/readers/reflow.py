"""Re-flow text whose report body a crawler flattened onto one line.

A crawler that saves a page's text often joins every block element with a space
and every table cell with nothing, so that headings, prose and tables run
together on one line (``…。 三、收到和处理政府信息公开申请情况 … 一、本年新收政府信息公开
申请数量 713000074二、上年结转…``). A line is *flattened* when it holds the
headings of two or more sections, in order. Such a line is cut into the lines
the other readers see:

* before each section heading (the skeleton grammar's heading terminals), and
  after it, where its words end (``…情况`` / ``…事项``);
* in the sections that hold tables (二, 三, 四), before each row label of the
  template (its numbering and first words, e.g. ``1.属于国家``, ``规章``, with the
  group label that may precede it, ``（三）不予公开``) and before each caption
  (``第二十条``), so that each table row is one line: its label, then its cells'
  digits run together — the ``run-together`` layout;
* prose is kept whole.

Each piece keeps its source line and the column where it started.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from govreport.grammars import parser, vocabulary
from govreport.spec.dictionary import TEMPLATES

#: Sections whose body holds a table.
TABLE_SECTIONS = frozenset({2, 3, 4})
#: A heading's words end at the first of these, looked for this far from its start.
_HEADING_END = re.compile(vocabulary("HEADING_END"))
_HEADING_SPAN = 40
#: Characters of a row label (after its numbering) that locate it in a flattened table.
_LABEL_CHARS = 4
_NUMBERING = re.compile(f"^(?:{vocabulary('NUMBERING')})")


@cache
def _headings() -> list[tuple[int, re.Pattern[str]]]:
    """The skeleton grammar's heading terminals, as patterns that match inside a line."""
    out = []
    for terminal in parser("skeleton").terminals:
        name = str(terminal.name)
        if not name.startswith("HEADING_"):
            continue
        regexp = terminal.pattern.to_regexp()
        regexp = regexp.replace("[^\n]*", "[^\n]{0,16}?")
        out.append((int(name.rsplit("_", 1)[1]), re.compile(regexp)))
    return sorted(out)


@cache
def _row_starts() -> re.Pattern[str]:
    """Where a row (or a caption) of section 二's or 三's table starts."""
    from govreport.readers.text import fold_line  # normalised as the text is

    phrases: set[str] = set()
    for template in TEMPLATES.values():
        for table in template.tables:
            if table.key == "review_litigation":
                continue
            for row in (*table.rows, *table.variants):
                group, _, label = fold_line(row.label).rpartition(" ")
                numbering = _NUMBERING.match(label)
                cut = (numbering.end() if numbering else 0) + _LABEL_CHARS
                start = _spaced(label[:cut])
                phrases.add(f"(?:{_spaced(group)}\\s*)?{start}" if group else start)
                if group:
                    phrases.add(_spaced(group))  # a group label standing alone
    alternatives = sorted(phrases, key=len, reverse=True)
    return re.compile("第二十条|" + "|".join(alternatives))


def _spaced(phrase: str) -> str:
    """A pattern for ``phrase`` that a crawler may have spread with spaces (（三）不予 公开)."""
    return r"\s*".join(re.escape(c) for c in phrase if not c.isspace())


#: A flattened body is long: shorter lines are not searched for headings.
FLATTENED_LENGTH = 200


#: A table row flattened into the line: a row label with digits glued after it.
_GLUED_ROW = re.compile(r"[\u3400-\u9fff)）][\d ]*\d{2,}")


def is_flattened(line: str) -> bool:
    """Does ``line`` hold the headings of two or more sections, in order, and a table
    row (a list of the sections in the prose is no flattened report)?"""
    return (
        len(line) >= FLATTENED_LENGTH
        and len(_heading_cuts(line)) >= 2
        and any(_GLUED_ROW.match(line, m.end()) or _digits_after(line, m.end())
                for m in _row_starts().finditer(line))
    )  # fmt: skip


def _digits_after(line: str, end: int) -> bool:
    """Do digits follow a row label's first words within its label's length?"""
    return re.match(r"[^\d，。；]{0,40}?[\d]", line[end:]) is not None


def reflow(line: str) -> list[tuple[int, str]]:
    """``line`` cut into ``(column, text)`` pieces (0-based columns), blank ones dropped."""
    cuts = _heading_cuts(line)
    pieces: list[tuple[int, str]] = []
    bounds = [*cuts, (len(line), len(line), 0)]
    pieces.append((0, line[: bounds[0][0]]))
    for (start, end, number), (following, _, _) in itertools.pairwise(bounds):
        pieces.append((start, line[start:end]))
        body = line[end:following]
        if number in TABLE_SECTIONS:
            pieces.extend((end + col, text) for col, text in _rows(body))
        else:
            pieces.append((end, body))
    return [(col + len(t) - len(t.lstrip()), t.strip()) for col, t in pieces if t.strip()]


def _heading_cuts(line: str) -> list[tuple[int, int, int]]:
    """``(start, end, section)`` of the section headings in ``line``, in section order."""
    cuts: list[tuple[int, int, int]] = []
    for number, pattern in _headings():
        after = cuts[-1][1] if cuts else 0
        found = pattern.search(line, after)
        if found is None:
            continue
        start = found.start()
        words = _HEADING_END.search(line, start, start + _HEADING_SPAN)
        end = words.end() if words else found.end()
        cuts.append((start, end, number))
    return cuts


def _rows(body: str) -> list[tuple[int, str]]:
    starts = [m.start() for m in _row_starts().finditer(body)]
    if not starts:
        return [(0, body)]
    bounds = [0, *starts, len(body)]
    return [(a, body[a:b]) for a, b in itertools.pairwise(bounds) if a < b]


#: A sentence's end, then a top-level numbering: where a heading may follow prose.
_AFTER_SENTENCE = re.compile(r"[。！？；!?;][^\S\n]*(?=[一二三四五六][^\S\n]*、)")


def heading_at_end(line: str) -> int | None:
    """Where a section heading printed at the end of a line of prose starts (a converter
    joined it to the paragraph before it: ``…查阅或下载。 一、总体情况``), or None."""
    stripped = line.rstrip()
    for sentence in _AFTER_SENTENCE.finditer(stripped):
        start = sentence.end()
        for _, pattern in _headings():
            found = pattern.match(stripped, start)
            if found is None:
                continue
            words = _HEADING_END.search(stripped, start, start + _HEADING_SPAN)
            if (words.end() if words else found.end()) == len(stripped):
                return start
    return None
