"""The pool's report: a `ReportDocument(kind="pool")` built from a pool bundle (status,
projection or selection), rendered by the one registry (terminal, docx, xlsx, pdf, html, md).

Like the case report: numbered sections, tables and figures whose captions name the unit and
the price level, notes under the tables, key figures, and the findings of the pool's rules.
Everything is computed before (services/pool.py); this module only chooses, formats and
words, in the document's language.
"""

from __future__ import annotations

from ...checks.findings import Finding
from ...i18n import translator
from ...numbers import format_percent
from ...pool.ledger import Ledger
from ...pool.risk import Projection
from ...services.pool import PoolBundle, ProjectionBundle, SelectionBundle
from ..document import WIDE_YEARS
from ..document.format import Numbers
from ..document.model import (
    Block,
    ChartSpec,
    Figure,
    FindingItem,
    Findings,
    KeyFigures,
    Note,
    Paragraph,
    ReportDocument,
    Section,
    Series,
)
from .labels import LABELS, OBJECTIVE, SCOPE
from .tables import case_tables, pool_rows, risk_tables, selection_tables, table
from .text import finding_text, num, summary, unit_text, units_caption


def pool_document(bundle: PoolBundle, lang: str = "da") -> ReportDocument:
    """The report of a pool bundle in `lang` ('da' or 'en')."""
    tr = translator(lang)
    ledger = bundle.ledger
    pool = ledger.loaded.pool
    units = units_caption(pool.unit, pool.price_level, lang)
    n = Numbers()
    wide = len(ledger.years) > WIDE_YEARS

    def caption(number: int, title: str) -> str:
        return tr("Tabel {n}. {title} ({units})", n=number, title=title, units=units)

    what = {"status": "heading_status", "project": "heading_project", "select": "heading_select"}
    lines = _lines(ledger, LABELS[what[bundle.kind]], lang)
    sections: list[Section] = []
    if isinstance(bundle, SelectionBundle):
        sel = bundle.selection
        expected = OBJECTIVE[sel.objective]
        params = {
            "objective": tr(expected),
            "status": sel.solved.status,
            "gap": num(sel.solved.gap, 2, lang) or "–",
            "value": num(sel.value, 0, lang),
            "unit": unit_text(pool.unit, lang),
        }
        goal = (
            tr(
                "Mål: størst forventet {objective}; heltalsprogram (HiGHS): {status}, gap {gap}. "
                "Mål i alt: {value} ({unit})",
                **params,
            )
            if sel.expected
            else tr(
                "Mål: størst {objective}; heltalsprogram (HiGHS): {status}, gap {gap}. "
                "Mål i alt: {value} ({unit})",
                **params,
            )
        )
        lines.append(Paragraph(goal))
        sections.append(Section("front", "", (*lines, _key_figures(bundle, lang, units))))
        tabs = selection_tables(sel, n.tables(3), caption, lang)
        sections.append(Section("select", n.heading(tr(LABELS["s_compare"])), tuple(tabs), wide))
        sections.append(_pool_section(ledger, bundle.projection, n, caption, units, lang, wide))
    else:
        sections.append(Section("front", "", (*lines, _key_figures(bundle, lang, units))))
        proj = bundle.projection if isinstance(bundle, ProjectionBundle) else None
        sections.append(_pool_section(ledger, proj, n, caption, units, lang, wide))
        tabs = case_tables(ledger, n.tables(3), caption, lang)
        sections.append(Section("cases", n.heading(tr(LABELS["s_cases"])), tuple(tabs), wide))
        if proj is not None and proj.risk is not None:
            risk: list[Block] = [*risk_tables(proj, n.tables(2), caption, lang)]
            risk.append(Note(tr(LABELS["n_risk"])))
            sections.append(Section("risk", n.heading(tr(LABELS["s_risk"])), tuple(risk), wide))
    sections.append(
        Section(
            "findings", n.heading(tr(LABELS["s_findings"])), (_findings(bundle.findings, lang),)
        )
    )
    footer = tr("Beregnet med socinvest (pulje {id}).", id=pool.id)
    return ReportDocument(
        lang,
        pool.title,
        tr(LABELS["kicker"]),
        tuple(sections),
        footer,
        units,
        kind="pool",
        origin=bundle,
    )


def _lines(ledger: Ledger, heading: str, lang: str) -> list[Block]:
    """What the report shows and for which applications; the unit, p/l and period."""
    tr = translator(lang)
    pool = ledger.loaded.pool
    out: list[Block] = [
        Paragraph(f"{tr(heading)} · {tr(SCOPE[ledger.scope])}"),
        Paragraph(
            tr(
                "Beløb i {unit}, {price_level}-p/l; afrundet ved visning. Periode {first}-{last}.",
                unit=unit_text(pool.unit, lang),
                price_level=pool.price_level,
                first=pool.horizon.first,
                last=pool.horizon.last,
            )
        ),
    ]
    levels = sorted({c.case.price_level for c in ledger.cases} - {pool.price_level})
    if levels:
        out.append(
            Note(
                tr(
                    "Bemærk: nogle cases er i andre p/l-niveauer ({levels}); beløbene er ikke "
                    "omregnet.",
                    levels=", ".join(str(x) for x in levels),
                )
            )
        )
    return out


def _key_figures(bundle: PoolBundle, lang: str, units: str) -> KeyFigures:
    tr = translator(lang)
    led = bundle.ledger
    closing = led.closing[0]
    last, low = int(led.years[-1]), int(closing.argmin())
    inc = [c for c in led.cases if c.included]
    items = [
        (tr(LABELS["k_closing"], year=last), num(closing[-1], 0, lang)),
        (tr(LABELS["k_lowest"], year=int(led.years[low])), num(closing[low], 0, lang)),
        (tr(LABELS["k_granted"]), num(sum(float(c.granted.sum()) for c in inc), 0, lang)),
        (tr(LABELS["k_repaid"]), num(sum(float(c.repaid[0].sum()) for c in inc), 0, lang)),
        (
            tr(LABELS["k_outstanding"], year=last),
            num(sum(float(c.outstanding[0, -1]) for c in inc), 0, lang),
        ),
    ]
    if isinstance(bundle, ProjectionBundle) and bundle.projection.risk is not None:
        worst = max(bundle.projection.p_negative())
        items.append((tr(LABELS["k_p_negative"]), format_percent(worst, 1, lang)))
    if isinstance(bundle, SelectionBundle):
        items.append((tr(LABELS["k_chosen"]), ", ".join(bundle.selection.chosen)))
    title = tr("{title} ({units})", title=tr(LABELS["key_figures"]), units=units)
    return KeyFigures(title, tuple(items))


def _pool_section(
    ledger: Ledger,
    proj: Projection | None,
    n: Numbers,
    caption,
    units: str,
    lang: str,
    wide: bool,
) -> Section:
    """The balance chart and the pool per year."""
    tr = translator(lang)
    years = tuple(str(y) for y in ledger.years)
    series = [Series(tr(LABELS["chart_plain"]), tuple(float(x) for x in ledger.closing[0]), "net")]
    if proj is not None and proj.risk is not None:
        q = proj.balance_percentiles()
        series += [
            Series("P5-P95", tuple(q["p5"]), "p5"),
            Series("P95", tuple(q["p95"]), "p95"),
            Series("P50", tuple(q["p50"]), "p50"),
        ]
    spec = ChartSpec(
        "lines",
        tr(LABELS["chart_title"]),
        "",
        unit_text(ledger.loaded.pool.unit, lang),
        years,
        tuple(series),
        lang,
    )
    fn = n.next_figure()
    fig_caption = tr(
        "Figur {n}. {title} ({units})", n=fn, title=tr(LABELS["chart_title"]), units=units
    )
    if proj is not None and proj.risk is not None:
        fig_caption += " " + tr(
            "Bånd: P5-P95 over {draws} trækninger (frø {seed}).",
            draws=num(proj.draws, 0, lang),
            seed=proj.seed,
        )
    rows, header = pool_rows(ledger, lang)
    (tn,) = n.tables(1)
    t = table(
        "pool",
        tn,
        caption(tn, tr(LABELS["t_pool"])),
        header,
        rows,
        lang,
        note=tr(LABELS["n_pool"]),
        styles=("line",) * 5 + ("total",),
    )
    return Section(
        "pool", n.heading(tr(LABELS["s_pool"])), (Figure(fn, fig_caption, spec), t), wide
    )


def _findings(findings: tuple[Finding, ...], lang: str) -> Findings:
    tr = translator(lang)
    items = tuple(
        FindingItem(
            str(f.severity),  # type: ignore[arg-type]
            f.code,
            finding_text(f, lang),
            "" if f.year is None else str(f.year),  # the text names the application
        )
        for f in findings
    )
    return Findings(items, "", summary(findings, lang), tr(LABELS["no_findings"]))
