"""The evaluation report (midtvejs- / slutevaluering): a `ReportDocument(kind="followup")`
built from a `FollowupBundle`, rendered by the one registry (terminal, docx, xlsx, pdf, html,
md, json). Like the case and pool reports: numbered sections, tables and figures whose
captions name the unit and price level, notes under them, key figures first. Everything is
computed in services/followup.py; this module only chooses, formats and words."""

from __future__ import annotations

import math

from ...i18n import render, translator
from ...services.followup import FollowupBundle
from ..document.format import Numbers
from ..document.model import (
    Block,
    Figure,
    FindingItem,
    Findings,
    KeyFigures,
    Note,
    Paragraph,
    ReportDocument,
    Section,
)
from ..pool.text import num, summary, units_caption
from .labels import BASIS, FLAG, LABELS
from .measures import adbb_blocks, fit_blocks, problems_note
from .tables import (
    _years_text,
    fan_chart,
    kpi_table,
    payback_table,
    pct,
    pool_table,
    split_table,
    target_text,
    variance_chart,
    variance_table,
)


def _kicker(b: FollowupBundle) -> str:
    """Slutevaluering when the actuals reach the case's last year, else midtvejsevaluering."""
    through = b.realised.through
    final = through is not None and through >= b.case.horizon.last
    return LABELS["kicker_final" if final else "kicker_mid"]


def _key_figures(b: FollowupBundle, lang: str, units: str) -> KeyFigures:
    tr = translator(lang)
    r, rf, c = b.realised, b.reforecast, b.conditioned
    items = [
        (tr(LABELS["k_through"]), str(r.through) if r.through is not None else "–"),
        (tr(LABELS["k_as_of"]), b.as_of.isoformat()),
        (tr(LABELS["k_worst"]), tr(FLAG[b.variance.worst.code]) or "–"),
    ]
    for basis in ("service", "total"):
        items.append(
            (
                tr(LABELS["k_realised"], basis=tr(BASIS[basis])),
                _years_text(r.payback[basis], lang, "not_yet"),
            )
        )
        items.append(
            (
                tr(LABELS["k_reforecast"], basis=tr(BASIS[basis])),
                _years_text(rf.payback[basis], lang),
            )
        )
    items.append((tr(LABELS["k_npv"]), f"{num(rf.npv, 0, lang)} ({num(rf.plan_npv, 0, lang)})"))
    if c is not None:
        items.append(
            (
                tr(LABELS["k_p"], target=target_text(b, lang)),
                f"{pct(c.prior_p_payback('total'), lang)} → {pct(c.p_payback('total'), lang)}",
            )
        )
        items.append((tr(LABELS["k_ess"]), num(c.ess, 0, lang)))
    title = tr("{title} ({units})", title=tr(LABELS["key_figures"]), units=units)
    return KeyFigures(title, tuple(items))


def _import_notes(b: FollowupBundle, lang: str) -> list[Block]:
    tr = translator(lang)
    out: list[Block] = []
    for u in b.actuals.unmapped_accounts:
        centre = " / " + u.cost_centre if u.cost_centre else ""
        out.append(
            Note(
                tr(
                    LABELS["unmapped"],
                    n=u.postings,
                    account=u.account,
                    centre=centre,
                    amount=num(u.amount, 2, lang),
                    years=", ".join(str(y) for y in u.years),
                )
            )
        )
    for f in b.actuals.findings:
        out.append(Note(tr(LABELS["finding"], where=f.where, message=render(f.message, lang))))
    cells = b.realised.planned_cells
    if cells:
        text = ", ".join(f"{line} {year}" for line, year in cells)
        out.append(Note(tr(LABELS["planned_cells"], cells=text)))
    return out


def followup_document(b: FollowupBundle, lang: str = "da") -> ReportDocument:
    """The evaluation report of a follow-up bundle in `lang` ('da' or 'en')."""
    tr = translator(lang)
    case = b.case
    units = units_caption(case.unit, case.price_level, lang)
    n = Numbers()

    def caption(number: int, title: str) -> str:  # amounts in the case's unit and p/l
        return tr("Tabel {n}. {title} ({units})", n=number, title=title, units=units)

    def figure(title: str) -> tuple[int, str]:
        k = n.next_figure()
        return k, tr("Figur {n}. {title} ({units})", n=k, title=title, units=units)

    front: list[Block] = []
    if b.followup.synthetic:
        front.append(Paragraph(tr(LABELS["n_synthetic"])))
    front.append(_key_figures(b, lang, units))
    sections = [Section("front", "", tuple(front))]

    var: list[Block] = []
    k, cap = figure(tr(LABELS["f_variance"]))
    var.append(Figure(k, cap, variance_chart(b, lang)))
    var.append(variance_table(b, n.next_table(), caption, lang))
    split = split_table(b, n.table + 1, caption, lang)
    if split is not None:
        n.next_table()
        var.append(split)
    var += _import_notes(b, lang)
    sections.append(Section("variance", n.heading(tr(LABELS["s_variance"])), tuple(var), True))

    pay: list[Block] = []
    k, cap = figure(tr(LABELS["f_fan"]))
    pay.append(Figure(k, cap, fan_chart(b, lang)))
    c = b.conditioned
    if c is not None:
        pay.append(
            Note(
                tr(
                    LABELS["n_fan"],
                    draws=num(c.draws, 0, lang),
                    seed=c.seed,
                    sd=pct(c.obs_sd, lang, 0),
                    ess=num(c.ess, 0, lang),
                )
            )
        )
        pay += [Note(str(render(w, lang))) for w in c.warnings]
    else:
        pay.append(Note(tr(LABELS["n_no_uncertainty"])))
    pay.append(payback_table(b, n.next_table(), caption, lang))
    sections.append(Section("payback", n.heading(tr(LABELS["s_payback"])), tuple(pay)))

    kpi: list[Block] = (
        [kpi_table(b, n.next_table(), lang)] if b.kpi else [Paragraph(tr(LABELS["no_criteria"]))]
    )
    sections.append(Section("kpi", n.heading(tr(LABELS["s_kpi"])), tuple(kpi), True))

    if b.fit is not None:
        blocks = fit_blocks(b.fit.summary, n.next_table(), n.figure + 1, lang)
        n.figure += 2
        note = problems_note(b.fit.problems, lang)
        blocks += [note] if note else []
        sections.append(Section("fit", n.heading(tr(LABELS["s_fit"])), tuple(blocks), True))
    if b.adbb is not None:
        blocks = adbb_blocks(
            b.adbb.summary, n.next_table(), n.next_figure(), lang, b.followup.adbb_children
        )
        note = problems_note(b.adbb.problems, lang)
        blocks += [note] if note else []
        sections.append(Section("adbb", n.heading(tr(LABELS["s_adbb"])), tuple(blocks), True))
    if b.repayment is not None:
        pt = pool_table(b, n.next_table(), caption, lang)
        findings = b.repayment.findings
        items = tuple(
            FindingItem(
                str(f.severity),  # type: ignore[arg-type]
                f.code,
                f.text(lang),
                "" if f.year is None else str(f.year),
            )
            for f in findings
        )
        fb = Findings(items, "", summary(findings, lang), tr(LABELS["no_findings"]))
        blocks = [pt, fb] if pt is not None else [fb]
        sections.append(Section("pool", n.heading(tr(LABELS["s_pool"])), tuple(blocks), True))

    notes: list[Block] = []
    if b.followup.synthetic:
        notes.append(Note(tr(LABELS["n_synthetic"])))
    ix = b.index.file
    if ix.illustrative:
        notes.append(Note(tr(LABELS["n_illustrative"], source=ix.source)))
    else:
        notes.append(Note(tr(LABELS["n_index"], source=ix.source, date=ix.date.isoformat())))
    min_n = _min_persons(b)
    notes.append(Note(tr(LABELS["n_privacy"], n=min_n)))
    sections.append(Section("notes", n.heading(tr(LABELS["s_notes"])), tuple(notes)))
    footer = tr("Beregnet med socinvest (opfølgning af {id}).", id=case.id)
    return ReportDocument(
        lang,
        case.title,
        f"{tr(LABELS['kicker'])} · {tr(_kicker(b))}",
        tuple(sections),
        footer,
        units,
        kind="followup",
        origin=b,
    )


def _min_persons(b: FollowupBundle) -> int:
    for r in (b.fit, b.adbb):
        if r is not None:
            return r.summary.min_persons
    return 5


def is_nan(v: float | None) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))
