"""The overview's charts for paper: drawn as vector graphics (reportlab.graphics), in
the colours of the window's charts, from the same series (services/figures.py)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from app.services.reports.fonts import Typesetter

# the window's colours (ui/charts.py): formations in the party's red, orange, yellow
COLOURS = {
    "own": "#c0392b",
    "joint": "#e67e22",
    "attached": "#f1c40f",
    "none": "#bdc3c7",
    "formal": "#c0392b",
    "probationary": "#e67e22",
    "activists": "#7f8c8d",
}


def bar_chart(
    typesetter: Typesetter,
    title: str,
    series: dict[str, dict[str, int]],
    parts: tuple[tuple[str, str], ...],
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
    chart.data = [[series[g].get(key, 0) for g in groups] for key, _label in parts]
    chart.categoryAxis.categoryNames = groups
    # one font for the axis' labels: the one that draws all of them
    chart.categoryAxis.labels.fontName = typesetter.single_font("".join(groups))
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if stacked:
        chart.categoryAxis.style = "stacked"
    for n, (key, _label) in enumerate(parts):
        chart.bars[n].fillColor = colors.HexColor(COLOURS.get(key, "#34495e"))
        chart.bars[n].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 38, 14
    legend.fontName = typesetter.single_font("".join(label for _key, label in parts))
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 52
    legend.colorNamePairs = [
        (colors.HexColor(COLOURS.get(key, "#34495e")), label) for key, label in parts
    ]
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
