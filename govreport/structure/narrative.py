"""Figures that reports state in prose, and the table cells they speak about.

Each entry is a pattern over a section's normalised text and the cell paths
whose sum the stated figure should equal. Patterns whose figure is implied
(``未收到…申请`` means 0) carry a fixed value instead of a group.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from attrs import frozen

from govreport.grammars import vocabulary
from govreport.model import Section
from govreport.spec.relations import Relation

_N = r"(?P<n>\d+)"


@frozen
class Statement:
    code: str
    pattern: re.Pattern[str]
    paths: tuple[str, ...]
    what: str
    sections: tuple[int, ...] = (1,)
    value: int | None = None  #: the figure, when the wording implies it


def _s(code, regex, paths, what, sections=(1,), value=None) -> Statement:
    return Statement(code, re.compile(regex), tuple(paths), what, sections, value)


_UNAVAILABLE = tuple(
    f"applications/results.unavailable.{k}/total"
    for k in ("not_held", "needs_creation", "unclear_after_correction")
)

_NORMATIVE = "active_disclosure/art20_1.normative_documents"
#: A clause (from the last comma or stop) that names no other body: a figure of 全区…,
#: 区政府…, 各单位… or one 审核ed for others is not this agency's own.
_OTHER_BODIES = "全区|全市|全县|全省|各部门|各单位|各级|政府|审核|拟"
_OWN_CLAUSE = rf"(?:^|(?<=[，。；;,]))(?:(?!{_OTHER_BODIES})[^，。；;,])*?"

STATEMENTS: tuple[Statement, ...] = (
    _s(
        "N4",
        rf"{_OWN_CLAUSE}现行有效的?(?:行政)?规范性文件(?:共)?{_N}\s*[件个份]",
        [f"{_NORMATIVE}/in_force"],
        "normative documents in force",
    ),
    _s(
        "N4",
        rf"{_OWN_CLAUSE}(?:制发|制定|出台|印发)(?:了)?(?:的)?(?:行政)?规范性文件(?:共)?"
        rf"{_N}\s*[件个份]",
        [f"{_NORMATIVE}/issued"],
        "normative documents issued",
    ),
    _s(
        "N1",
        rf"(?:共|累计)?(?:收到|受理|新收)(?:各类|各种)?(?:政府信息公开|依申请公开)(?:申请|事项)?(?:共)?{_N}\s*[件个条]",
        ["applications/new_received/total"],
        "applications received",
    ),
    _s(
        "N1",
        r"(?:未|没有)(?:收到|受理)(?:过)?(?:任何)?(?:政府信息公开|依申请公开)(?:的)?申请|无依申请公开(?:事项|申请)",
        ["applications/new_received/total"],
        "applications received",
        value=0,
    ),
    _s(
        "N2",
        rf"(?<!不)予以公开{_N}\s*件",
        ["applications/results.granted/total"],
        "applications granted",
    ),
    _s(
        "N2",
        rf"部分公开{_N}\s*件",
        ["applications/results.partially_granted/total"],
        "applications partially granted",
    ),
    _s("N2", rf"无法提供{_N}\s*件", _UNAVAILABLE, "applications that could not be answered"),
    _s(
        "N3",
        rf"行政复议(?:案件)?{_N}\s*[起件]",
        ["review_litigation/review/total"],
        "administrative reviews",
        sections=(1, 4),
    ),
    _s(
        "N3",
        rf"行政诉讼(?:案件)?{_N}\s*[起件]",
        [
            "review_litigation/litigation_direct/total",
            "review_litigation/litigation_after_review/total",
        ],
        "administrative lawsuits",
        sections=(1, 4),
    ),
)

#: Section 六 saying no fee notice went out: then no application can have lapsed
#: for an unpaid fee (results.other.overdue_fee, template 2021).
#: (Not 未收取信息处理费: nothing is collected when an applicant ignores a notice.)
NO_FEE_NOTICE = re.compile(
    r"发出收费通知的件数和总金额[^。]*均为\s*0|未(?:发出|发送)(?:任何)?收费通知"
)


def figures(text: str, statement: Statement) -> list[int]:
    """Every figure ``statement`` finds in ``text``."""
    if statement.value is not None:
        return [statement.value] if statement.pattern.search(text) else []
    return [int(m["n"]) for m in statement.pattern.finditer(text)]


def stated(statement: Statement, section: Section) -> tuple[int, int] | None:
    """The first figure ``statement`` finds in ``section``, with its source line."""
    if not section.text:
        return None
    lines, joined = _clauses_of(section.text)
    if _over_lines(statement.pattern).search(joined) is None:
        return None  # on no line either: a match on a line is one in the text
    for number, text in zip(section.text_lines, lines, strict=True):
        found = figures(text, statement)
        if found:
            return found[0], number
    return None


_CLAUSE_END = "，。；;,：:！？!?"
_TAIL = re.compile(rf"[^{_CLAUSE_END}]*$")  #: the last clause of a text
_HEADING = re.compile(rf"^\s*(?:{vocabulary('NUMBERING')})")


def clauses(lines: list[str]) -> list[str]:
    """``lines``, each behind the clause it continues: a PDF's text wraps prose at the
    page's width, so a line whose last clause runs on (…各部门 / 制发规范性文件4件) lends
    that clause to the next line, and a figure is read with the words it follows. A
    heading on a line of its own (（三）政府信息管理) lends nothing."""
    out = []
    tail = ""
    for line in lines:
        text = tail + line
        out.append(text)
        ends = text.rstrip().endswith(tuple(_CLAUSE_END))
        heading = not tail and _HEADING.match(line) and _TAIL.fullmatch(line)
        tail = "" if ends or heading else _TAIL.search(text).group()
    return out


@lru_cache(maxsize=16)
def _clauses_of(text: str) -> tuple[tuple[str, ...], str]:
    """A section text's :func:`clauses` by line, and joined: read once for every
    statement looked for in it."""
    lines = tuple(clauses(text.split("\n")))
    return lines, "\n".join(lines)


@cache
def _over_lines(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` for a text of many lines: ^ and $ at each line's ends (its lookarounds
    look for no line break, so what it finds on one line it finds in the text)."""
    return re.compile(pattern.pattern, pattern.flags | re.MULTILINE)


def pins(section: Section) -> list[Relation]:
    """Section 一's stated figures as relations ``sum(paths) = figure``, for placement."""
    out = []
    for statement in STATEMENTS:
        if 1 in statement.sections and (found := stated(statement, section)):
            figure, line = found
            out.append(
                Relation(
                    statement.code,
                    statement.paths,
                    (),
                    f"section 一 line {line} states {figure} {statement.what}",
                    constant=figure,
                    lines=(line,),
                    strict=True,
                )
            )
    return out
