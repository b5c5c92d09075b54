"""The tables' arithmetic (勾稽关系, FORMAT.md §6) as linear relations on cell paths.

Used both to place values whose columns were lost (:mod:`govreport.placement`)
and to check reports.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from attrs import evolve, field, frozen

from govreport.spec import paths
from govreport.spec.dictionary import OUTCOME_PREFIX, TEMPLATES, RowDef, TableDef, Template

#: The relations of the template, by finding code: what each says.
KINDS = {
    "O1": "new + carried-over applications = results total + carried forward",
    "S1": "each applicant column's results add up to its total",
    "S3": "each row's applicant columns add up to the row's 总计/total",
    "S4": "review and litigation outcomes add up to their totals",
}


@frozen
class Relation:
    """``sum(left) == sum(right) + constant`` over cell paths."""

    code: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    description: str
    constant: int = 0
    #: Source lines the relation comes from (a statement in the text).
    lines: tuple[int, ...] = ()
    #: A stated figure: a placeholder or unreadable cell does not satisfy it.
    strict: bool = False
    #: The one table all its cells are in (None: cells of several tables).
    table: str | None = field(init=False, eq=False, repr=False)

    @table.default
    def _one_table(self) -> str | None:
        tables = {paths.table_of(p) for p in (*self.left, *self.right)}
        return tables.pop() if len(tables) == 1 else None

    @property
    def paths(self) -> tuple[str, ...]:
        return self.left + self.right


def relations(template: Template, variants: Collection[str] = ()) -> list[Relation]:
    """Every relation of a template's tables.

    ``variants`` are the keys of variant rows a report prints (``RowDef.replaces``):
    each stands, in every relation, for the rows it replaces.
    """
    printed = frozenset(v.key for t in template.tables for v in t.variants if v.key in variants)
    if TEMPLATES.get(template.id) is template:
        return list(_of_template(template.id, printed))
    return list(_with_variants(template, printed))


@cache
def _of_template(template_id: str, variants: frozenset[str]) -> tuple[Relation, ...]:
    return _with_variants(TEMPLATES[template_id], variants)


def _with_variants(template: Template, variants: frozenset[str]) -> tuple[Relation, ...]:
    out = _relations(template)
    for table in template.tables:
        for variant in table.variants:
            if variant.key in variants:
                replaced = {paths.join(table.key, r, "") for r in variant.replaces}
                out = [
                    _substitute(rel, table.key, variant)
                    for rel in out
                    # the replaced rows' own totals go with them
                    if not all(p[: p.rindex("/") + 1] in replaced for p in rel.paths)
                ]
                out.extend(_row_totals_of(table, variant, "S3", "总计 = 各类申请人之和"))
    return tuple(out)


def _substitute(rel: Relation, table: str, variant: RowDef) -> Relation:
    def side(terms: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for term in terms:
            t, row, col = paths.split(term)
            if t == table and row in variant.replaces:
                term = paths.join(table, variant.key, col)
                if term in out:
                    continue
            out.append(term)
        return tuple(out)

    return evolve(rel, left=side(rel.left), right=side(rel.right))


def _relations(template: Template) -> list[Relation]:
    out: list[Relation] = []
    apps = template.table("applications")
    for col in apps.rows[0].columns:
        c = col.key
        out.append(
            Relation(
                "O1",
                (f"applications/new_received/{c}", f"applications/carried_over/{c}"),
                (f"applications/results.total/{c}", f"applications/carried_forward/{c}"),
                f"{col.label}: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
            )
        )
        outcomes = tuple(
            f"applications/{r.key}/{c}"
            for r in apps.rows
            if r.key.startswith(OUTCOME_PREFIX) and r.key != "results.total"
        )
        out.append(
            Relation(
                "S1",
                (f"applications/results.total/{c}",),
                outcomes,
                f"{col.label}: 总计 = 各项办理结果之和",
            )
        )
    out.extend(_row_totals(apps, "S3", "总计 = 各类申请人之和"))
    review = template.table("review_litigation")
    out.extend(_row_totals(review, "S4", "总计 = 维持+纠正+其他+尚未审结"))
    return out


def _row_totals(table: TableDef, code: str, description: str) -> list[Relation]:
    return [rel for row in table.rows for rel in _row_totals_of(table, row, code, description)]


def _row_totals_of(table: TableDef, row: RowDef, code: str, description: str) -> list[Relation]:
    parts = tuple(paths.join(table.key, row.key, c.key) for c in row.columns if c.key != "total")
    return [
        Relation(
            code,
            (paths.join(table.key, row.key, "total"),),
            parts,
            f"{row.label}: {description}",
        )
    ]
