"""The one chart module: matplotlib (Agg backend, imported lazily), the same chart in every
format — SVG text for HTML/PDF/Markdown, PNG bytes for Word and Excel.

Kinds: the case report's (cumulative, flows, committees, fan, tornado, payback) and three
generic ones for every other report: `lines` (series as lines; p5/p95, p25/p75 and low/high
pairs as shaded bands), `stacked` (stacked areas) and `bars` (grouped bars).

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
PALETTE = (
    "#1d3557",
    "#c8553d",
    "#2d6a4f",
    "#f2a541",
    "#6d597a",
    "#4d908e",
    "#b56576",
    "#8d99ae",
    "#e9c46a",
)
BANDS = (("p5", "p95"), ("p25", "p75"), ("low", "high"))
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
    "text.parse_math": False,  # a label "$x$" from a case file is text, not TeX (or a crash)
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
                "lines": _lines,
                "stacked": _stacked,
                "bars": _bars,
            }
            drawers[spec.chart](ax, spec)
            values = ax.xaxis if spec.chart == "tornado" else ax.yaxis  # the amount axis
            values.set_major_formatter(
                FuncFormatter(lambda v, _p: format_number(v, spec.decimals, spec.lang))
            )
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


def _colour(role: str, k: int) -> str:
    return COLOURS.get(role) or PALETTE[k % len(PALETTE)]


def _ticks(ax, spec: ChartSpec) -> list[int]:
    x = list(range(len(spec.categories)))
    ax.set_xticks(x, spec.categories, rotation=45 if len(x) > 8 else 0)
    return x


def _legend(ax, spec: ChartSpec) -> None:
    if len(spec.series) > 1 or any(s.label for s in spec.series):
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _lines(ax, spec: ChartSpec) -> None:
    """Series as lines; a band pair (p5/p95, p25/p75, low/high) as a shaded band."""
    x = _ticks(ax, spec)
    by_role = {s.role: s for s in spec.series}
    banded: set[str] = set()
    for k, (lo, hi) in enumerate(BANDS):
        if lo in by_role and hi in by_role:
            ax.fill_between(
                x,
                by_role[lo].values,
                by_role[hi].values,
                color=COLOURS["net"],
                alpha=0.18 if k != 1 else 0.35,
                label=by_role[lo].label,
                zorder=2,
            )
            banded |= {lo, hi}
    k = 0
    for s in spec.series:
        if s.role in banded:
            continue
        ax.plot(x, s.values, color=_colour(s.role, k), linewidth=1.5, label=s.label, zorder=3)
        k += 1
    _legend(ax, spec)


def _stacked(ax, spec: ChartSpec) -> None:
    """Stacked areas, one per series, bottom to top in the order given."""
    x = _ticks(ax, spec)
    colours = [_colour(s.role, k) for k, s in enumerate(spec.series)]
    ax.stackplot(
        x,
        *[s.values for s in spec.series],
        labels=[s.label for s in spec.series],
        colors=colours,
        alpha=0.85,
        zorder=2,
    )
    ax.legend(
        *[list(reversed(h)) for h in ax.get_legend_handles_labels()],  # top of the stack first
        fontsize=7,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
    )


def _bars(ax, spec: ChartSpec) -> None:
    """Grouped bars: one group per category, one bar per series."""
    x = _ticks(ax, spec)
    n = len(spec.series)
    width = 0.8 / max(n, 1)
    for k, s in enumerate(spec.series):
        pos = [i - 0.4 + width * (k + 0.5) for i in x]
        ax.bar(pos, s.values, width=width * 0.95, color=_colour(s.role, k), label=s.label, zorder=2)
    if n > 1:
        _legend(ax, spec)


_XML_HEAD = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def chart_svg(spec: ChartSpec) -> str:
    """The chart as an inline <svg> element (no XML declaration), scaling to its container."""
    svg = _render(spec, "svg", metadata={"Date": None}).decode("utf-8")
    svg = _XML_HEAD.sub("", svg, count=1)
    return svg.replace("<svg ", '<svg class="chart" ', 1)


def chart_png(spec: ChartSpec, dpi: int = 200) -> bytes:
    """The chart as PNG bytes (for Word)."""
    return _render(spec, "png", dpi=dpi, metadata={"Software": None})
