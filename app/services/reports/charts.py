"""The overview's charts for paper: drawn as vector graphics (reportlab.graphics), in
the colours of the window's charts, from the same series (services/overview/figures.py)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from app.domain.figure_parts import Part
from app.services.reports.fonts import Typesetter


def bar_chart(
    typesetter: Typesetter,
    title: str,
    series: dict[str, dict[str, int]],
    parts: tuple[Part, ...],
    stacked: bool = True,
    width: float = 240,
    height: float = 170,
) -> Drawing:
    """One bar (or group of bars) per group, ``parts`` stacked or side by side. Each
    label is drawn in one piece, in a font the report's Typesetter chose for it."""
    font = typesetter.primary
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 38, 42, width - 50, height - 72
    groups = list(series)
    chart.data = [[series[g].get(part.key, 0) for g in groups] for part in parts]
    chart.categoryAxis.categoryNames = groups
    # one font for the axis' labels: the one that draws all of them
    chart.categoryAxis.labels.fontName = typesetter.single_font("".join(groups))
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if stacked:
        chart.categoryAxis.style = "stacked"
    for n, part in enumerate(parts):
        chart.bars[n].fillColor = colors.HexColor(part.colour)
        chart.bars[n].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 38, 14
    legend.fontName = typesetter.single_font("".join(part.label for part in parts))
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 52
    legend.colorNamePairs = [(colors.HexColor(part.colour), part.label) for part in parts]
    drawing.add(legend)
    drawing.add(
        String(
            width / 2,
            height - 14,
            title,
            fontName=typesetter.single_font(title),
            fontSize=10,
            textAnchor="middle",
        )
    )
    return drawing
