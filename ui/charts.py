"""Charts with matplotlib, embedded; matplotlib is imported off the GUI thread.

A CJK font is chosen from the fonts matplotlib can see (Microsoft YaHei and
SimHei on Windows, WenQuanYi Micro Hei or Noto Sans CJK on Linux); the default
font draws Chinese as empty boxes.
"""

from __future__ import annotations

import functools
from typing import Any

from app.domain.figure_parts import (
    CLASS_COLOUR,
    COVERAGE_PARTS,
    FORMATION_PARTS,
    MEMBER_PARTS,
    RATE_PARTS,
    Part,
)

CJK_FONTS = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "SimHei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
)


def load_matplotlib() -> list[str]:
    """Import matplotlib and its Qt canvas (slow: ~0.6 s) and set a CJK font.

    Safe to call from a worker thread; returns the CJK fonts in use."""
    import matplotlib

    matplotlib.use("QtAgg")
    from matplotlib import font_manager
    from matplotlib.backends import backend_qtagg  # noqa: F401 - imported here, not on the GUI thread

    from app.services.files.resources import CJK_FONT

    if CJK_FONT.is_file():  # the font shipped with the program: charts never lack one
        font_manager.fontManager.addfont(str(CJK_FONT))
    present = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [name for name in CJK_FONTS if name in present]
    matplotlib.rcParams["font.sans-serif"] = [*fonts, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["font.size"] = 9
    return fonts


@functools.cache
def _canvas_class() -> Any:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    class Canvas(FigureCanvasQTAgg):  # type: ignore[misc]
        """A chart on a scrolling page: the mouse wheel scrolls the page (matplotlib's
        canvas took it, and the page stopped scrolling under the pointer)."""

        def wheelEvent(self, event: Any) -> None:
            event.ignore()

    return Canvas


def new_canvas(width: float = 4.2, height: float = 2.8) -> Any:
    """A chart canvas around a fresh Figure (no pyplot: no global state)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    return _canvas_class()(figure)


def _stacked(
    canvas: Any,
    series: dict[str, dict[str, int]],
    parts: tuple[Part, ...],
    title: str,
    legend_at: str,
) -> None:
    """One bar per group, its parts stacked, with room above the tallest stack."""
    fig = canvas.figure
    fig.clear()
    ax = fig.add_subplot()
    groups = list(series)
    bottoms = [0] * len(groups)
    for part in parts:
        values = [series[g].get(part.key, 0) for g in groups]
        ax.bar(groups, values, bottom=bottoms, label=part.label, color=part.colour)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    # a zero-height segment on top of a stack pins the axis to the stack's top
    # (matplotlib's sticky edges): the room above is set by hand
    ax.set_ylim(0, max([*bottoms, 1]) * 1.1)
    ax.set_title(title)
    ax.legend(fontsize=8, loc=legend_at)
    canvas.draw_idle()


def draw_coverage(canvas: Any, series: dict[str, dict[str, int]]) -> None:
    """Per kind: own / joint / attached / not covered."""
    _stacked(canvas, series, COVERAGE_PARTS, "党组织覆盖情况（个）", "upper right")


def draw_party_orgs(canvas: Any, counts: dict[str, dict[str, int]]) -> None:
    """Per level (党委 / 党总支 / 党支部): own / joint / attached."""
    _stacked(canvas, counts, FORMATION_PARTS, "党组织（个）", "upper left")


def draw_members(canvas: Any, series: dict[str, dict[str, int]]) -> None:
    """Grouped bars per kind: formal members, probationary members, activists."""
    fig = canvas.figure
    fig.clear()
    ax = fig.add_subplot()
    kinds = list(series)
    width = 0.8 / len(MEMBER_PARTS)
    for n, part in enumerate(MEMBER_PARTS):
        xs = [i + (n - 1) * width for i in range(len(kinds))]
        values = [series[k][part.key] for k in kinds]
        ax.bar(xs, values, width=width, label=part.label, color=part.colour)
    ax.set_xticks(range(len(kinds)), kinds)
    ax.set_title("党员情况（人）")
    ax.legend(fontsize=8, loc="upper right")
    canvas.draw_idle()


def draw_classes(canvas: Any, counts: dict[str, int]) -> None:
    fig = canvas.figure
    fig.clear()
    ax = fig.add_subplot()
    labels = list(counts)
    ax.bar(labels, [counts[k] for k in labels], color=CLASS_COLOUR)
    ax.set_title("分类情况（个）")
    canvas.draw_idle()


def draw_trend(canvas: Any, quarters: list[str], series: dict[str, list[float]]) -> None:
    fig = canvas.figure
    fig.clear()
    ax = fig.add_subplot()
    colours = {part.label: part.colour for part in RATE_PARTS}
    for label, values in series.items():
        ax.plot(quarters, values, marker="o", label=label, color=colours.get(label))
    ax.set_ylim(0, 100)
    ax.set_title("覆盖率变化（%）")
    ax.legend(fontsize=8, loc="lower right")
    canvas.draw_idle()


def _percent(value: Any) -> float:
    """A rate (an exact fraction) as a bar's height: plotted, never shown as a figure."""
    return 0.0 if value is None else float(value) * 100


def draw_park_rates(canvas: Any, parks: dict[str, Any]) -> None:
    """园区对比: each park's three rates side by side (its KindFigures total)."""
    fig = canvas.figure
    fig.clear()
    ax = fig.add_subplot()
    names = list(parks)
    width = 0.8 / len(RATE_PARTS)
    for n, part in enumerate(RATE_PARTS):
        xs = [i + (n - 1) * width for i in range(len(names))]
        values = [_percent(getattr(parks[p], part.key)) for p in names]
        ax.bar(xs, values, width=width, label=part.label, color=part.colour)
    ax.set_xticks(range(len(names)), names, rotation=30 if len(names) > 4 else 0, ha="right")
    ax.set_ylim(0, 110)
    ax.set_title("各园区覆盖率（%）")
    ax.legend(fontsize=8, loc="upper right", ncols=3)
    canvas.draw_idle()


def draw_park_trend(canvas: Any, series: dict[str, list[tuple[str, Any]]]) -> None:
    """园区对比: each park's 党组织覆盖率 over the quarters it submitted."""
    fig = canvas.figure
    fig.clear()
    ax = fig.add_subplot()
    quarters = sorted({q for points in series.values() for q, _f in points})
    for park, points in series.items():
        xs = [quarters.index(q) for q, _f in points]
        ax.plot(xs, [_percent(f.org_coverage_rate) for _q, f in points], marker="o", label=park)
    ax.set_xticks(range(len(quarters)), quarters)
    ax.set_ylim(0, 100)
    ax.set_title("各园区党组织覆盖率变化（%）")
    if series:
        ax.legend(fontsize=8, loc="lower right", ncols=2)
    canvas.draw_idle()


def draw_score_distribution(canvas: Any, totals: dict[str, list[float]]) -> None:
    """Per class: the spread of totals (a box per class, each unit a dot)."""
    fig = canvas.figure
    fig.clear()
    ax = fig.add_subplot()
    labels = [k for k, v in totals.items() if v]
    if labels:
        ax.boxplot([totals[k] for k in labels], showfliers=False)
        for n, key in enumerate(labels, start=1):
            values = totals[key]
            # spread sideways by the golden ratio: dots of sorted totals would form a line
            xs = [n - 0.15 + 0.3 * ((i * 0.618) % 1) for i in range(len(values))]
            ax.scatter(xs, values, s=6, alpha=0.5, color="#c0392b")
        ax.set_xticks(range(1, len(labels) + 1), labels)
    ax.set_title("各类总分分布（分）")
    canvas.draw_idle()


def draw_dimension_averages(canvas: Any, averages: dict[str, dict[str, float]]) -> None:
    """Grouped bars: each class's average in each dimension (as a share of its maximum)."""
    fig = canvas.figure
    fig.clear()
    ax = fig.add_subplot()
    classes = list(averages)
    dimensions = list(next(iter(averages.values()), {}))
    colors = ("#c0392b", "#e67e22", "#f1c40f", "#27ae60", "#2e86c1", "#8e44ad", "#7f8c8d")
    width = 0.8 / max(len(classes), 1)
    for n, cls in enumerate(classes):
        xs = [i + (n - (len(classes) - 1) / 2) * width for i in range(len(dimensions))]
        values = [averages[cls][d] for d in dimensions]
        ax.bar(xs, values, width=width, label=cls, color=colors[n % len(colors)])
    ax.set_xticks(range(len(dimensions)), dimensions)
    ax.set_ylim(0, 118)  # room for the legend above the bars
    ax.set_yticks(range(0, 101, 20))
    ax.set_title("各类各维度平均得分率（%）")
    if classes:
        ax.legend(fontsize=8, loc="upper center", ncols=min(len(classes), 6))
    canvas.draw_idle()
