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
    _legend(drawing, typesetter, parts, deltax=52)
    _title(drawing, typesetter, title, width, height)
    return drawing


def line_chart(
    typesetter: Typesetter,
    title: str,
    categories: list[str],
    series: dict[str, list[float]],
    parts: tuple[Part, ...],
    width: float = 480,
    height: float = 180,
) -> Drawing:
    """One line per part (its label a key of ``series``) over ``categories``, 0–100: the
    rates' trend as the window draws it."""
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.widgets.markers import makeMarker

    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 38, 42, width - 60, height - 72
    shown = [part for part in parts if part.label in series]
    chart.data = [series[part.label] for part in shown]
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.labels.fontName = typesetter.single_font("".join(categories))
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = typesetter.primary
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    for n, part in enumerate(shown):
        chart.lines[n].strokeColor = colors.HexColor(part.colour)
        chart.lines[n].strokeWidth = 1.5
        chart.lines[n].symbol = makeMarker("FilledCircle", size=3)
        chart.lines[n].symbol.fillColor = colors.HexColor(part.colour)
    drawing.add(chart)
    _legend(drawing, typesetter, shown)
    _title(drawing, typesetter, title, width, height)
    return drawing


def _legend(
    drawing: Drawing,
    typesetter: Typesetter,
    parts: list[Part] | tuple[Part, ...],
    deltax: float = 70,
) -> None:
    legend = Legend()
    legend.x, legend.y = 38, 14
    legend.fontName = typesetter.single_font("".join(part.label for part in parts))
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = deltax
    legend.colorNamePairs = [(colors.HexColor(part.colour), part.label) for part in parts]
    drawing.add(legend)


def _title(
    drawing: Drawing, typesetter: Typesetter, title: str, width: float, height: float
) -> None:
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
