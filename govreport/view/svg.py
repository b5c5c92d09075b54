"""Bar charts as inline SVG, drawn from the data (no script, no external library).

Bars are stacked by series; each segment has a ``<title>`` (its value, on hover), each bar
its total written above it, and the chart has a text legend — the values are also given in
a table beside the chart, so nothing is read off the picture alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from govreport.view._html import esc, number

__all__ = ["PALETTE", "legend_html", "stacked_bars"]

#: Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

Value = int | Decimal


def _nice(top: float) -> tuple[float, float]:
    """An axis maximum ≥ ``top`` and a tick step, both round numbers."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(top / step), step


def stacked_bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Mapping[str, Value]]],
    *,
    width: int = 560,
    height: int = 260,
    legend: bool = True,
) -> str:
    """An SVG bar chart: one bar per category (a year), stacked by ``series``
    (``(label, {category: value})``); a category with no value in any series gets no bar.
    ``legend=False`` leaves the legend to the caller (:func:`legend_html`)."""
    left, right, top, bottom = 58, 12, 16, 34
    legend_rows = math.ceil(len(series) / 3) if legend and len(series) > 1 else 0
    total_height = height + legend_rows * 18
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = {c: sum((s.get(c, 0) for _, s in series), start=0) for c in categories}
    top_value, step = _nice(float(max(totals.values(), default=0) or 0))
    n = max(len(categories), 1)
    slot = plot_w / n
    bar_w = min(slot * 0.62, 70.0)
    y = lambda v: top + plot_h - float(v) / top_value * plot_h  # noqa: E731
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
        f'viewBox="0 0 {width} {total_height}"'
        f' width="{width}" height="{total_height}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
    ]
    tick = 0.0
    while tick <= top_value + 1e-9:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" class="tick">'
            f"{_fmt(tick)}</text>"
        )
        tick += step
    for i, cat in enumerate(categories):
        cx = left + slot * i + slot / 2
        x0 = cx - bar_w / 2
        base = 0.0
        drawn = False
        for k, (label, values) in enumerate(series):
            v = values.get(cat)
            if v is None or v == 0:
                continue
            drawn = True
            y0, y1 = y(base), y(base + float(v))
            parts.append(
                f'<rect x="{x0:.1f}" y="{y1:.1f}" width="{bar_w:.1f}" height="{y0 - y1:.1f}" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{esc(cat)} · {esc(label)}: '
                f"{esc(number(v))}</title></rect>"
            )
            base += float(v)
        total = totals[cat]
        if drawn or any(cat in s for _, s in series):
            parts.append(
                f'<text x="{cx:.1f}" y="{y(base) - 4:.1f}" text-anchor="middle" class="val">'
                f"{esc(number(total))}</text>"
            )
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 18}" text-anchor="middle" class="cat">'
            f"{esc(cat)}</text>"
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'class="axis"/>'
    )
    if legend and len(series) > 1:
        col_w = (width - left) / 3
        for k, (label, _) in enumerate(series):
            lx = left + (k % 3) * col_w
            ly = height + (k // 3) * 18
            parts.append(
                f'<rect x="{lx:.1f}" y="{ly - 10}" width="11" height="11" '
                f'fill="{PALETTE[k % len(PALETTE)]}"/><text x="{lx + 15:.1f}" y="{ly}" '
                f'class="leg">{esc(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def legend_html(labels: Sequence[str]) -> str:
    """The legend of a chart as an HTML list (long labels wrap), in the chart's colours."""
    items = "".join(
        f'<li><span class="key" style="background:{PALETTE[k % len(PALETTE)]}"></span>'
        f"{esc(label)}</li>"
        for k, label in enumerate(labels)
    )
    return f'<ul class="chartlegend">{items}</ul>'
