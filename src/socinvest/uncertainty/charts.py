"""Charts of a simulation: the fan of the yearly (or cumulative) net effect, the tornado and
the payback distribution. matplotlib, Agg backend, imported lazily; SVG text for HTML."""

from __future__ import annotations

import io

import numpy as np

from ..numbers import format_number


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _thousands(lang: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: format_number(v, 0, lang))


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    _plt().close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def fan_chart(years, fan: dict[str, list[float]], unit: str, title: str, lang: str = "da") -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 3.6))
    y = np.asarray(years)
    ax.fill_between(y, fan["p5"], fan["p95"], alpha=0.2, color="#1f5fa8", label="P5–P95")
    ax.fill_between(y, fan["p25"], fan["p75"], alpha=0.35, color="#1f5fa8", label="P25–P75")
    ax.plot(
        y,
        fan["p50"],
        color="#0b3566",
        lw=2,
        label="P50 (median)" if lang == "en" else "P50 (median)",
    )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_title(title)
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.set_xticks(y)
    ax.tick_params(axis="x", rotation=45)
    ax.legend(loc="best", fontsize=8)
    return _svg(fig)


def tornado_chart(bars, base_npv: float, unit: str, lang: str = "da") -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * max(len(bars), 1)))
    labels = [b.name for b in bars][::-1]
    lows = [b.npv_low - base_npv for b in bars][::-1]
    highs = [b.npv_high - base_npv for b in bars][::-1]
    pos = np.arange(len(bars))
    ax.barh(pos, lows, left=base_npv, color="#c0504d", label="P10" if lang else "P10")
    ax.barh(pos, highs, left=base_npv, color="#4f81bd", label="P90")
    ax.axvline(base_npv, color="black", lw=0.8)
    ax.set_yticks(pos, labels)
    ax.xaxis.set_major_formatter(_thousands(lang))
    ax.set_xlabel(("Nutidsværdi" if lang == "da" else "Net present value") + f" ({unit})")
    ax.legend(loc="lower right", fontsize=8)
    return _svg(fig)


def payback_chart(dist: dict[str, float], years, lang: str = "da") -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 3))
    labels = [str(y) for y in years] + ["–"]
    values = [dist[str(i + 1)] * 100 for i in range(len(years))] + [dist["none"] * 100]
    ax.bar(range(len(labels)), values, color=["#4f81bd"] * len(years) + ["#c0504d"])
    ax.set_xticks(range(len(labels)), labels, rotation=45)
    ax.set_ylabel("% af trækningerne" if lang == "da" else "% of draws")
    ax.set_title(
        "Tilbagebetalingsår (totaløkonomi); – = ikke inden for horisonten"
        if lang == "da"
        else "Payback year (total basis); – = not within the horizon"
    )
    return _svg(fig)
