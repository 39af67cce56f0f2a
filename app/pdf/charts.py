"""ReportLab graphics: the denial reasons bar chart."""
from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import inch

from app.dashboards.disclosure import SMALL_CELL

from .formatting import reason_label, short_category
from .styles import ACCENT, BODY_WIDTH, BOLD, FONT, INK, MUTED, RULE


def nice_step(maximum: int) -> int:
    """A round tick step giving at most about six ticks."""
    if maximum <= 6:
        return 1
    raw = maximum / 6
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return int(multiple * power)
    return int(10 * power)


def reasons_chart(rows: list[dict], width: float = BODY_WIDTH, limit: int = 8) -> Drawing | None:
    """Horizontal bars of the denial reasons with an exact count; suppressed rows are not drawn."""
    shown = [row for row in rows if isinstance(row.get("count"), int)][:limit]
    if not shown:
        return None
    labels = []
    for row in shown:
        label = f"{reason_label(row)}  {short_category(row)}".strip()
        labels.append(label if len(label) <= 34 else label[:33] + "\u2026")
    bar_space = 20
    chart_height = bar_space * len(shown)
    height = chart_height + 34
    label_width = 2.05 * inch
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 24
    chart.width, chart.height = width - label_width - 0.35 * inch, chart_height
    # The chart draws its first category at the bottom: reverse so the largest is on top.
    chart.data = [[row["count"] for row in reversed(shown)]]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -6
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.tickLeft = 0
    top = max(row["count"] for row in shown)
    step = nice_step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = step * math.ceil(top * 1.08 / step) if top else 1
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e6ebf0")
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barWidth = 12
    chart.groupSpacing = bar_space - 12
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = BOLD
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 4
    chart.barLabels.fillColor = INK
    drawing.add(chart)
    drawing.add(String(label_width + chart.width / 2, 4, f"Reports (groups under {SMALL_CELL} are not drawn)",
                       fontName=FONT, fontSize=7, fillColor=MUTED, textAnchor="middle"))
    return drawing
