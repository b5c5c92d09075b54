"""Detect which national template a report follows, or that it follows none."""

from __future__ import annotations

from govreport.errors import LegacyReportError, StructureError
from govreport.spec.dictionary import FINGERPRINTS, LEGACY_MARKERS, MODERN_MARKERS, TEMPLATES


def template(text: str) -> str:
    """The template id (``2019`` or ``2021``) whose fingerprints ``text`` shows most."""
    compact = "".join(text.split())
    scores = {tid: sum(p in compact for p in phrases) for tid, phrases in FINGERPRINTS.items()}
    best = max(scores.values())
    winners = [tid for tid, score in scores.items() if score == best]
    if best == 0 or len(winners) > 1:
        raise StructureError(
            "cannot tell which template the tables follow",
            expected="header phrases of the 2019 template (本年新制作数量, 上一年项目数量…) "
            "or of the 2021 template (本年制发件数, 本年收费金额…)",
            hint="force one with template='2019'/'2021' (--template)",
        )
    return winners[0]


def check_not_legacy(text: str) -> None:
    """Raise :class:`LegacyReportError` for a pre-2019 report."""
    compact = "".join(text.split())
    if any(m in compact for m in MODERN_MARKERS):
        return
    markers = [m for m in LEGACY_MARKERS if m in compact]
    if markers:
        raise LegacyReportError(
            "this is a pre-2019 (legacy) report: it has no 第二十条 tables and no "
            "本年新收政府信息公开申请数量 row, but shows " + "、".join(markers[:3]),
            expected=f"a report on the {' or '.join(TEMPLATES)} national template",
            hint="legacy reports (2008–2018) are recognised but not parsed into the model",
        )
