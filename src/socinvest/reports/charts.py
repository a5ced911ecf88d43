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
import textwrap
from typing import TYPE_CHECKING

from ..numbers import format_number

if TYPE_CHECKING:
    from .document import ChartSpec

# Okabe–Ito colours: told apart with every common colour vision deficiency (no red/green
# pair); costs vermilion, savings blue, investments reddish purple, net near-black.
COLOURS = {
    "cost": "#D55E00",
    "investment": "#CC79A7",
    "saving": "#0072B2",
    "net": "#1a1a1a",
    "cumulative": "#1a1a1a",
}
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#E69F00",
    "#56B4E9",
    "#CC79A7",
    "#1a1a1a",
    "#F0E442",
    "#999999",
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


def _empty(values) -> bool:
    """A series with nothing to show (every value 0): drawn as nothing, and not in a legend."""
    return all(abs(float(v)) < 1e-9 for v in values)


def _render(spec: ChartSpec, fmt: str, title: bool = True, **kw) -> bytes:
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
            if title:  # in a document the caption names the chart: the title is left out
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
        ax.axvline(spec.marker, color=COLOURS["net"], linestyle="--", linewidth=1, zorder=3)
        # the label sits above the plotted values, on a white box, on the side of the marker
        # with more room: neither the line nor a bar crosses it
        lo, hi = min(min(s.values), 0.0), max(max(s.values), 0.0)
        ax.set_ylim(lo - 0.05 * (hi - lo or 1), hi + 0.22 * (hi - lo or 1))
        right = spec.marker <= (len(x) - 1) / 2
        ax.annotate(
            spec.marker_label,
            xy=(spec.marker, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(5 if right else -5, -3),
            textcoords="offset points",
            fontsize=8,
            va="top",
            ha="left" if right else "right",
            color=COLOURS["net"],
            bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": "none"},
            zorder=5,
        )
    else:
        ax.text(0.01, 0.02, spec.marker_label, transform=ax.transAxes, fontsize=8)
    ax.set_xticks(x, spec.categories, rotation=45 if len(x) > 8 else 0)


def _flows(ax, spec: ChartSpec) -> None:
    x = list(range(len(spec.categories)))
    up = [0.0] * len(x)
    down = [0.0] * len(x)
    for s in spec.series:
        if s.role == "net" or _empty(s.values):
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
    bars = [s for s in spec.series if s.role != "net" and not _empty(s.values)]
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
    _fit_ticks(ax, spec.categories)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _fit_ticks(ax, labels: tuple[str, ...], axes_pt: float = 260.0) -> None:
    """Category labels wrapped at spaces and hyphens to the width of their slot, in a smaller
    font when a word is wider than the slot (measured as in layout.py), slanted when even 6 pt
    is too wide: they never overlap."""
    from .layout import text_width

    slot = 0.85 * axes_pt / max(len(labels), 1)
    words = [w for c in labels for w in re.split(r"(?<=-)|\s+", c) if w]
    widest = max((text_width(w, 8.0, bold=False) for w in words), default=0.0)
    size = min(8.0, 8.0 * slot / widest) if widest else 8.0
    if size < 6.0:  # too long for the slot: slanted, on up to two lines
        wrapped = [textwrap.fill(c, 26, break_long_words=False) for c in labels]
        ax.set_xticks(ax.get_xticks(), wrapped, fontsize=7, rotation=30, ha="right")
        return
    per = max(4, int(slot / (0.62 * size)))  # characters per line at this size
    wrapped = [textwrap.fill(c, per, break_long_words=False) for c in labels]
    ax.set_xticks(ax.get_xticks(), wrapped, fontsize=size)


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
    names = {s.role: s.label for s in spec.series}  # P10/P90 or min/max
    ax.barh(
        y,
        [lo - base for lo in v["low"]],
        left=base,
        color=COLOURS["cost"],
        label=names["low"],
        zorder=2,
    )
    ax.barh(
        y,
        [hi - base for hi in v["high"]],
        left=base,
        color=COLOURS["saving"],
        label=names["high"],
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
    shown = [s for s in spec.series if s.label and not _empty(s.values)]
    if len(spec.series) > 1 or shown:
        handles, labels = ax.get_legend_handles_labels()
        keep = [(h, lb) for h, lb in zip(handles, labels, strict=True) if not lb.startswith("_")]
        if keep:
            ax.legend(
                *zip(*keep, strict=True),
                fontsize=7,
                frameon=False,
                loc="upper left",
                bbox_to_anchor=(1.0, 1.0),
            )


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
        label = "_nolegend_" if _empty(s.values) else s.label
        ax.plot(x, s.values, color=_colour(s.role, k), linewidth=1.5, label=label, zorder=3)
        k += 1
    _legend(ax, spec)


def _stacked(ax, spec: ChartSpec) -> None:
    """Stacked areas, one per series, bottom to top in the order given."""
    x = _ticks(ax, spec)
    colours = [_colour(s.role, k) for k, s in enumerate(spec.series)]
    ax.stackplot(
        x,
        *[s.values for s in spec.series],
        labels=["_nolegend_" if _empty(s.values) else s.label for s in spec.series],
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
        label = "_nolegend_" if _empty(s.values) else s.label
        ax.bar(pos, s.values, width=width * 0.95, color=_colour(s.role, k), label=label, zorder=2)
    if n > 1:
        _legend(ax, spec)


_XML_HEAD = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def _prefix_ids(svg: str, prefix: str) -> str:
    """Every id of the SVG (and each reference to one) prefixed, so that several charts in
    one HTML page have no id in common."""
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)


def chart_svg(spec: ChartSpec, *, title: bool = True, id_prefix: str = "", alt: str = "") -> str:
    """The chart as an inline <svg> element (no XML declaration), scaling to its container:
    `role="img"` and a `<title>` (`alt`, default the chart's title) for screen readers;
    `title=False` leaves the drawn title out (a document's caption names the chart);
    `id_prefix` makes its ids unique in a page with several charts."""
    from xml.sax.saxutils import escape, quoteattr

    svg = _render(spec, "svg", title, metadata={"Date": None}).decode("utf-8")
    svg = _XML_HEAD.sub("", svg, count=1)
    if id_prefix:
        svg = _prefix_ids(svg, id_prefix)
    text = " ".join((alt or spec.title).split())
    head_end = svg.index(">") + 1
    head = svg[:head_end].replace(
        "<svg ", f'<svg class="chart" role="img" aria-label={quoteattr(text)} ', 1
    )
    return f"{head}\n <title>{escape(text)}</title>{svg[head_end:]}"


def chart_png(spec: ChartSpec, dpi: int = 200, *, title: bool = True) -> bytes:
    """The chart as PNG bytes (for Word and Excel); `title=False` as for `chart_svg`."""
    return _render(spec, "png", title, dpi=dpi, metadata={"Software": None})
