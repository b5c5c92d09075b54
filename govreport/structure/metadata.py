"""Report metadata printed in the text: title, agency and year.

The title is usually ``<agency><year>年(度)政府信息公开工作年度报告``, on one line,
over two lines (agency above), or quoted 《…》 in the preamble. When no title
gives the year, the statistics period (``统计…2023年1月1日至2023年12月31日``)
does; failing that, the year most mentioned in the text is used and marked as
inferred (``year_source = "text"``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from attrs import frozen

#: A title's words: the agency, the year, 政府信息公开工作年度报告.
_TITLE_WORDS = (
    r"\s*(?P<agency>[^《》\s,，。:：;；、]{0,40}?)\s*(?P<year>20\d\d)\s*年度?\s*"
    r"政府信息公开(?:工作)?年度报告"
)
TITLE = re.compile(rf"(?:^|《){_TITLE_WORDS}(?:》|$)")
PERIOD = re.compile(
    r"(?P<year>20\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?至"
    r"\s*(?P=year)\s*年\s*12\s*月\s*31\s*日"
)
YEAR_OF_WORK = re.compile(r"(?P<year>20\d\d)\s*年度?政府信息公开工作")
ANY_YEAR = re.compile(r"(?<!\d)(?P<year>20[12]\d)\s*年")
#: A title that opens the text with its first sentence on the same line after it (a
#: PDF-to-markdown converter joined the lines of a paragraph block).
_TITLE_THEN_TEXT = re.compile(rf"^{_TITLE_WORDS}(?=\s+\S)")
#: The first line of a title wrapped onto the next: it stops inside the title's words.
_WRAPPED_TITLE = re.compile(r"20\d\d\s*年度?\s*(政府信息(公开(工作(年(度(报)?)?)?)?)?)?\s*$")
#: A line that can be the agency printed above a title line.
AGENCY_LINE = re.compile(
    r"^[^\s,，。:：;；、0-9]{2,40}"
    r"(局|委|办|办公室|政府|委员会|院|厅|部|署|中心|所|会|站|处|队|室)$"
)


@frozen
class Metadata:
    title: str | None
    #: the lines the title (and an agency line above it) occupy
    title_lines: tuple[int, ...]
    agency: str | None
    year: int | None
    year_source: str | None


def find(
    preamble: Sequence[tuple[int, str]],
    body: Sequence[tuple[int, str]],
    titles: Sequence[str] = (),
) -> Metadata:
    """Metadata from the preamble lines, then the body lines (``(line, text)`` pairs);
    ``titles`` are titles the source gives outside the text (a crawler's header),
    used when the text prints none."""
    found = _find(preamble, body)
    if found.title is None:
        for title in titles:
            m = TITLE.search(title.strip())
            if m:
                return Metadata(title.strip(), (), m["agency"] or None, int(m["year"]), "title")
    return found


def _find(preamble: Sequence[tuple[int, str]], body: Sequence[tuple[int, str]]) -> Metadata:
    title = title_line = agency = agency_line = continued_line = None
    year: int | None = None
    source: str | None = None
    for index, (number, text) in enumerate(preamble):
        m = TITLE.search(text.strip())
        wrapped = None
        if not m and index + 1 < len(preamble) and _WRAPPED_TITLE.search(text):
            # a title wrapped onto the next line, as a PDF prints a long one
            wrapped = preamble[index + 1]
            text = text.strip() + wrapped[1].strip()
            m = TITLE.search(text)
        if not m and index == 0:
            m = _TITLE_THEN_TEXT.search(text.strip())
            if m:  # the title is what it matched; the line stays text of the preamble
                title, year, source = m.group().strip(), int(m["year"]), "title"
                agency = m["agency"] or None
                break
        if not m:
            continue
        title, title_line, year, source = text.strip(), number, int(m["year"]), "title"
        if m.group().lstrip().startswith("《") and _outside_quotes(text, m):
            # quoted in a sentence of the preamble (现将《…年度报告》予以公布): the title
            # is what the quotes hold, and the sentence stays preamble text
            title, title_line = m.group().strip().strip("《》").strip(), None
        if wrapped is not None:
            continued_line = wrapped[0]
        agency = m["agency"] or None
        if agency and title_line is not None:
            agency_line = number
        elif (
            not agency
            and title_line is not None
            and index > 0
            and AGENCY_LINE.match(preamble[index - 1][1].strip())
        ):
            agency, agency_line = preamble[index - 1][1].strip(), preamble[index - 1][0]
            title = f"{agency}{title}"
        break
    if year is None:
        for pattern, kind in ((PERIOD, "statistics-period"), (YEAR_OF_WORK, "text")):
            found = [int(m["year"]) for _, t in [*preamble, *body] for m in pattern.finditer(t)]
            if found:
                year, source = Counter(found).most_common(1)[0][0], kind
                break
    if year is None:
        found = [int(m["year"]) for _, t in [*preamble, *body] for m in ANY_YEAR.finditer(t)]
        if found:
            year, source = Counter(found).most_common(1)[0][0], "text"
    lines = tuple(n for n in (agency_line, title_line, continued_line) if n is not None)
    return Metadata(title, tuple(sorted(set(lines))), agency, year, source)


def _outside_quotes(text: str, match: re.Match[str]) -> bool:
    """Does the line hold words outside the quoted title?"""
    rest = (text[: match.start()] + text[match.end() :]).strip(" \t\u3000《》")
    return bool(rest)
