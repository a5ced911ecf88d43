"""Charts of a report with matplotlib (Agg backend, imported lazily): the same three charts in
every format — SVG text for HTML/PDF, PNG bytes for Word.

A chart draws a `ChartSpec` from the report document and computes nothing: the document has
already chosen the series, labels and the payback marker. Tick labels use the report's number
format (`-1.400` in Danish, `-1,400` in English).
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from ..numbers import format_number

if TYPE_CHECKING:
    from .document import ChartSpec

COLOURS = {
    "cost": "#c8553d",
    "investment": "#f2a541",
    "saving": "#2d6a4f",
    "net": "#1d3557",
    "cumulative": "#1d3557",
}
SIZE = (6.7, 3.2)  # inches: 170 x 81 mm, the text width of an A4 portrait page


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # text stays text: searchable, and small
    "svg.hashsalt": "socinvest",  # stable ids: the same report gives the same file
}


def _render(spec: ChartSpec, fmt: str, **kw) -> bytes:
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
        try:
            drawers = {
                "cumulative": _cumulative,
                "flows": _flows,
                "committees": _committees,
                "fan": _fan,
                "tornado": _tornado,
                "payback": _payback,
            }
            drawers[spec.chart](ax, spec)
            values = ax.xaxis if spec.chart == "tornado" else ax.yaxis  # the amount axis
            values.set_major_formatter(FuncFormatter(lambda v, _p: format_number(v, 0, spec.lang)))
            if spec.chart != "tornado":
                ax.axhline(0, color="#555555", linewidth=0.8, zorder=1)
            ax.set_xlabel(spec.xlabel)
            ax.set_ylabel(spec.ylabel)
            ax.set_title(spec.title, loc="left", fontsize=9, fontweight="bold")
            ax.grid(
                axis="x" if spec.chart == "tornado" else "y",
                color="#dddddd",
                linewidth=0.6,
                zorder=0,
            )
            ax.set_axisbelow(True)
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, **kw)
        finally:
            plt.close(fig)
    return buf.getvalue()


def _cumulative(ax, spec: ChartSpec) -> None:
    x = list(range(len(spec.categories)))
    s = spec.series[0]
    colours = [COLOURS["saving"] if v <= 0 else COLOURS["cost"] for v in s.values]
    ax.bar(x, s.values, color=colours, width=0.65, zorder=2, label=s.label)
    ax.plot(x, s.values, color=COLOURS["cumulative"], linewidth=1.2, marker="o", markersize=3)
    if spec.marker is not None:
        ax.axvline(spec.marker, color="#1d3557", linestyle="--", linewidth=1, zorder=3)
        top = max(max(s.values), 0.0)
        ax.annotate(
            spec.marker_label,
            xy=(spec.marker, top),
            xytext=(4, -2),
            textcoords="offset points",
            fontsize=8,
            va="top",
            color="#1d3557",
        )
    else:
        ax.text(0.01, 0.02, spec.marker_label, transform=ax.transAxes, fontsize=8)
    ax.set_xticks(x, spec.categories, rotation=45 if len(x) > 8 else 0)


def _flows(ax, spec: ChartSpec) -> None:
    x = list(range(len(spec.categories)))
    up = [0.0] * len(x)
    down = [0.0] * len(x)
    for s in spec.series:
        if s.role == "net":
            continue
        bottoms = []
        for i, v in enumerate(s.values):
            if v >= 0:
                bottoms.append(up[i])
                up[i] += v
            else:
                bottoms.append(down[i])
                down[i] += v
        ax.bar(
            x, s.values, bottom=bottoms, color=COLOURS[s.role], width=0.65, label=s.label, zorder=2
        )
    for s in spec.series:
        if s.role == "net":
            ax.plot(
                x,
                s.values,
                color=COLOURS["net"],
                marker="o",
                markersize=3,
                linewidth=1.4,
                label=s.label,
                zorder=4,
            )
    ax.set_xticks(x, spec.categories, rotation=45 if len(x) > 8 else 0)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _committees(ax, spec: ChartSpec) -> None:
    bars = [s for s in spec.series if s.role != "net"]
    n = len(bars)
    width = 0.8 / max(n, 1)
    x = list(range(len(spec.categories)))
    for k, s in enumerate(bars):
        pos = [i - 0.4 + width * (k + 0.5) for i in x]
        ax.bar(pos, s.values, width=width * 0.95, color=COLOURS[s.role], label=s.label, zorder=2)
    for s in spec.series:
        if s.role == "net":
            ax.scatter(x, s.values, marker="D", s=28, color=COLOURS["net"], label=s.label, zorder=4)
    ax.set_xticks(x, spec.categories)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _fan(ax, spec: ChartSpec) -> None:
    """Percentile bands of the yearly net effect (P5–P95, P25–P75) and the median."""
    x = list(range(len(spec.categories)))
    v = {s.role: s.values for s in spec.series}
    ax.fill_between(
        x, v["p5"], v["p95"], color=COLOURS["net"], alpha=0.18, label="P5–P95", zorder=2
    )
    ax.fill_between(
        x, v["p25"], v["p75"], color=COLOURS["net"], alpha=0.35, label="P25–P75", zorder=2
    )
    ax.plot(x, v["p50"], color=COLOURS["net"], linewidth=1.6, label="P50", zorder=3)
    ax.set_xticks(x, spec.categories, rotation=45 if len(x) > 8 else 0)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _tornado(ax, spec: ChartSpec) -> None:
    """Horizontal bars from the base NPV to the NPV at P10 and at P90, widest on top."""
    base = spec.reference or 0.0
    v = {s.role: s.values for s in spec.series}
    y = list(range(len(spec.categories)))[::-1]
    ax.barh(
        y, [lo - base for lo in v["low"]], left=base, color=COLOURS["cost"], label="P10", zorder=2
    )
    ax.barh(
        y,
        [hi - base for hi in v["high"]],
        left=base,
        color=COLOURS["saving"],
        label="P90",
        zorder=2,
    )
    ax.axvline(base, color="#555555", linewidth=0.8)
    ax.set_yticks(y, spec.categories)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _payback(ax, spec: ChartSpec) -> None:
    """Bars per payback year; the last bar ('never') in the cost colour."""
    x = list(range(len(spec.categories)))
    values = spec.series[0].values
    colours = [COLOURS["net"]] * (len(x) - 1) + [COLOURS["cost"]]
    ax.bar(x, values, color=colours, width=0.65, zorder=2)
    ax.set_xticks(x, spec.categories, rotation=45 if len(x) > 8 else 0)


_XML_HEAD = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def chart_svg(spec: ChartSpec) -> str:
    """The chart as an inline <svg> element (no XML declaration), scaling to its container."""
    svg = _render(spec, "svg", metadata={"Date": None}).decode("utf-8")
    svg = _XML_HEAD.sub("", svg, count=1)
    return svg.replace("<svg ", '<svg class="chart" ', 1)


def chart_png(spec: ChartSpec, dpi: int = 200) -> bytes:
    """The chart as PNG bytes (for Word)."""
    return _render(spec, "png", dpi=dpi, metadata={"Software": None})
