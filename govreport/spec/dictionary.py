"""The data dictionary: every table, row and column of both national templates.

This module is the single source of the stable cell paths
(``<table>/<row key>/<column key>``) described in FORMAT.md §5. Grammars name
their row rules after these keys (``.`` written as ``__``); a meta-test keeps the
two in step, and the documentation is generated from here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from functools import cache

from attrs import frozen

from govreport.spec import paths


class Kind(enum.Enum):
    """What a column holds."""

    COUNT = "count"  #: a non-negative integer
    SIGNED = "signed"  #: a signed integer (本年增/减)
    MONEY = "money"  #: a decimal amount in 万元


@frozen(cache_hash=True)  # looked up by value in caches on every parse
class Column:
    key: str
    label: str
    kind: Kind = Kind.COUNT


@frozen(cache_hash=True)  # looked up by value in caches on every parse
class RowDef:
    key: str
    label: str
    columns: tuple[Column, ...]
    #: For a variant row: the template rows it stands for when a report prints it
    #: instead of them (their sum, in every relation).
    replaces: tuple[str, ...] = ()


@frozen(cache_hash=True)  # looked up by value in caches on every parse
class TableDef:
    key: str
    title: str
    section: int
    rows: tuple[RowDef, ...]
    #: Rows some reports print instead of template rows (see ``RowDef.replaces``);
    #: not part of the template's own paths.
    variants: tuple[RowDef, ...] = ()

    def row(self, key: str) -> RowDef:
        return _rows_by_key(self)[key]

    def paths(self) -> Iterator[str]:
        for row in self.rows:
            for col in row.columns:
                yield paths.join(self.key, row.key, col.key)


@frozen(cache_hash=True)  # looked up by value in caches on every parse
class Template:
    id: str
    document: str
    #: The first and last report years it is for (``None``: still in force).
    first_year: int
    last_year: int | None
    tables: tuple[TableDef, ...]

    @property
    def years(self) -> str:
        """The report years it is for, e.g. ``2019–2020`` or ``2021 onward``."""
        if self.last_year is None:
            return f"{self.first_year} onward"
        return f"{self.first_year}–{self.last_year}"

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def table(self, key: str) -> TableDef:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def paths(self) -> Iterator[str]:
        for table in self.tables:
            yield from table.paths()


# --- section 二 -----------------------------------------------------------

_ISSUED = (
    Column("issued", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
_DECISIONS = (Column("decisions", "本年处理决定数量"),)

ACTIVE_2021 = TableDef(
    "active_disclosure",
    "主动公开政府信息情况",
    2,
    (
        RowDef("art20_1.regulations", "规章", _ISSUED),
        RowDef("art20_1.normative_documents", "行政规范性文件", _ISSUED),
        RowDef("art20_5.administrative_license", "行政许可", _DECISIONS),
        RowDef("art20_6.administrative_penalty", "行政处罚", _DECISIONS),
        RowDef("art20_6.administrative_coercion", "行政强制", _DECISIONS),
        RowDef(
            "art20_8.administrative_fees",
            "行政事业性收费",
            (Column("amount_wan_yuan", "本年收费金额（单位：万元）", Kind.MONEY),),
        ),
    ),
)

_MADE = (
    Column("newly_made", "本年新制作数量"),
    Column("newly_published", "本年新公开数量"),
    Column("total_published", "对外公开总数量"),
)
_ITEMS = (
    Column("prev_year_count", "上一年项目数量"),
    Column("change", "本年增/减", Kind.SIGNED),
    Column("decisions", "处理决定数量"),
)

ACTIVE_2019 = TableDef(
    "active_disclosure",
    "主动公开政府信息情况",
    2,
    (
        RowDef("art20_1.regulations", "规章", _MADE),
        RowDef("art20_1.normative_documents", "规范性文件", _MADE),
        RowDef("art20_5.administrative_license", "行政许可", _ITEMS),
        RowDef("art20_5.other_services", "其他对外管理服务事项", _ITEMS),
        RowDef("art20_6.administrative_penalty", "行政处罚", _ITEMS),
        RowDef("art20_6.administrative_coercion", "行政强制", _ITEMS),
        RowDef("art20_8.administrative_fees", "行政事业性收费", _ITEMS[:2]),
        RowDef(
            "art20_9.central_procurement",
            "政府集中采购",
            (
                Column("procurement_count", "采购项目数量"),
                Column("procurement_amount_wan_yuan", "采购总金额", Kind.MONEY),
            ),
        ),
    ),
)

# --- section 三 -----------------------------------------------------------

APPLICANTS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)


def _app(key: str, label: str) -> RowDef:
    return RowDef(key, label, APPLICANTS)


_APPLICATIONS_HEAD = (
    _app("new_received", "一、本年新收政府信息公开申请数量"),
    _app("carried_over", "二、上年结转政府信息公开申请数量"),
    _app("results.granted", "三、本年度办理结果 （一）予以公开"),
    _app("results.partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    _app("results.withheld.state_secret", "（三）不予公开 1.属于国家秘密"),
    _app("results.withheld.prohibited_by_law", "2.其他法律行政法规禁止公开"),
    _app("results.withheld.three_safeties_one_stability", "3.危及“三安全一稳定”"),
    _app("results.withheld.third_party_rights", "4.保护第三方合法权益"),
    _app("results.withheld.internal_affairs", "5.属于三类内部事务信息"),
    _app("results.withheld.process_info", "6.属于四类过程性信息"),
    _app("results.withheld.enforcement_files", "7.属于行政执法案卷"),
    _app("results.withheld.administrative_query", "8.属于行政查询事项"),
    _app("results.unavailable.not_held", "（四）无法提供 1.本机关不掌握相关政府信息"),
    _app("results.unavailable.needs_creation", "2.没有现成信息需要另行制作"),
    _app("results.unavailable.unclear_after_correction", "3.补正后申请内容仍不明确"),
    _app("results.not_processed.petition_complaint", "（五）不予处理 1.信访举报投诉类申请"),
    _app("results.not_processed.repeated", "2.重复申请"),
    _app("results.not_processed.publications", "3.要求提供公开出版物"),
    _app("results.not_processed.massive_repeated", "4.无正当理由大量反复申请"),
    _app("results.not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息"),
)
_APPLICATIONS_TAIL = (
    _app("results.total", "（七）总计"),
    _app("carried_forward", "四、结转下年度继续办理"),
)

APPLICATIONS_2019 = TableDef(
    "applications",
    "收到和处理政府信息公开申请情况",
    3,
    (*_APPLICATIONS_HEAD, _app("results.other", "（六）其他处理"), *_APPLICATIONS_TAIL),
)
APPLICATIONS_2021 = TableDef(
    "applications",
    "收到和处理政府信息公开申请情况",
    3,
    (
        *_APPLICATIONS_HEAD,
        _app(
            "results.other.overdue_correction",
            "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        _app(
            "results.other.overdue_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        _app("results.other.other", "3.其他"),
        *_APPLICATIONS_TAIL,
    ),
    variants=(
        RowDef(
            "results.other",
            "（六）其他处理",
            APPLICANTS,
            replaces=(
                "results.other.overdue_correction",
                "results.other.overdue_fee",
                "results.other.other",
            ),
        ),
    ),
)

#: Rows of section 三 whose sum is ``results.total`` (relation S1).
OUTCOME_PREFIX = "results."

# --- section 四 -----------------------------------------------------------

OUTCOMES = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
REVIEW_LITIGATION = TableDef(
    "review_litigation",
    "政府信息公开行政复议、行政诉讼情况",
    4,
    (
        RowDef("review", "行政复议", OUTCOMES),
        RowDef("litigation_direct", "行政诉讼 未经复议直接起诉", OUTCOMES),
        RowDef("litigation_after_review", "行政诉讼 复议后起诉", OUTCOMES),
    ),
)

TEMPLATES: dict[str, Template] = {
    "2019": Template(
        "2019",
        "国办公开办函〔2019〕60号",
        2019,
        2020,
        (ACTIVE_2019, APPLICATIONS_2019, REVIEW_LITIGATION),
    ),
    "2021": Template(
        "2021",
        "国办公开办函〔2021〕30号",
        2021,
        None,
        (ACTIVE_2021, APPLICATIONS_2021, REVIEW_LITIGATION),
    ),
}


def template_for_year(year: int) -> Template | None:
    """The template reports on ``year`` should follow (None before the first)."""
    return next((t for t in TEMPLATES.values() if t.covers(year)), None)


#: The six sections: number → template heading.
SECTIONS = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


_NUMERALS = "零一二三四五六七八九十"
_ARTICLE = re.compile(r"^art(\d+)_(\d+)$")


def _numeral(n: int) -> str:
    """A small number in Chinese numerals (1–99), as the statute's articles are numbered."""
    if n <= 10:
        return _NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (_NUMERALS[tens] if tens > 1 else "") + "十" + (_NUMERALS[ones] if ones else "")


def article_caption(segment: str) -> str | None:
    """The caption section 二 prints over a block of rows, from the block's key segment:
    ``art20_1`` → ``第二十条第（一）项``; None for a segment that names no article item."""
    m = _ARTICLE.match(segment)
    if m is None:
        return None
    return f"第{_numeral(int(m[1]))}条第（{_numeral(int(m[2]))}）项"


def rule_name(row_key: str) -> str:
    """The grammar rule name for a row key (``.`` is not allowed in Lark names)."""
    return row_key.replace(".", "__")


@cache
def _rows_by_key(table: TableDef) -> dict[str, RowDef]:
    found: dict[str, RowDef] = {}
    for row in (*table.rows, *table.variants):
        found.setdefault(row.key, row)
    return found


def row_key(rule: str) -> str:
    return rule.replace("__", ".")


#: Phrases whose presence in sections 二 and 三 marks a template (FORMAT.md §2).
FINGERPRINTS: dict[str, tuple[str, ...]] = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "第二十条第(九)项",
        "政府集中采购",
    ),
    "2021": ("本年制发件数", "现行有效件数", "本年收费金额", "逾期不补正", "收费通知"),
}

#: Phrases of pre-2019 ("legacy") reports, which follow no national table template.
LEGACY_MARKERS = (
    "政府信息公开情况统计表",
    "统计指标",
    "依申请公开政府信息情况",
    "政府信息公开的收费及减免情况",
    "回应解读情况",
    "概述",
)
#: Phrases every 2019/2021 report's tables contain.
MODERN_MARKERS = ("第二十条", "本年新收")
