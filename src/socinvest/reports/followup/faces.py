"""Small documents of the follow-up's one-file commands (`followup import`, `fit summary`,
`adbb summary`), shown on the terminal or written through the registry like every report."""

from __future__ import annotations

import math

import numpy as np

from ...i18n import render, translator
from ...services.followup import AdbbResult, FitResult, ImportBundle
from ..document.model import Block, Note, Paragraph, ReportDocument, Section
from ..pool.tables import Value, table
from ..pool.text import num, unit_text
from .labels import LABELS
from .measures import adbb_blocks, fit_blocks


def _problem_notes(problems: tuple, lang: str) -> list[Block]:
    return [Note(str(render(p.text(), lang))) for p in problems[:50]]


def import_document(b: ImportBundle, lang: str = "da") -> ReportDocument:
    tr = translator(lang)
    a = b.actuals
    labels = {ln.id: ln.label for ln in b.case.lines}
    seen = a.observed.any(axis=0)
    years = [int(y) for y in a.years[seen]]
    rows: list[list[Value]] = []
    for i, lid in enumerate(a.line_ids):
        if a.observed[i].any():
            rows.append(
                [
                    labels[lid],
                    *(
                        float(a.current[i, k]) if a.observed[i, k] else None
                        for k in np.flatnonzero(seen)
                    ),
                ]
            )
    bad = len({f.line for f in a.findings if f.line is not None})
    units = f"{unit_text(a.unit, lang)}"
    blocks: list[Block] = [
        Paragraph(
            tr(
                LABELS["import_counts"],
                used=num(a.postings, 0, lang),
                bad=num(bad, 0, lang),
                unmapped=num(sum(u.postings for u in a.unmapped_accounts), 0, lang),
            )
        ),
        table(
            "import",
            1,
            tr("Tabel {n}. {title} ({units})", n=1, title=tr(LABELS["t_import"]), units=units),
            ["", *(str(y) for y in years)],
            rows,
            lang,
        ),
    ]
    if a.unmapped_accounts:
        urows: list[list[Value]] = [
            [
                u.account,
                u.cost_centre or "",
                u.postings,
                num(u.amount, 2, lang),
                ", ".join(str(y) for y in u.years),
            ]
            for u in a.unmapped_accounts
        ]
        keys = ("c_account", "c_centre", "c_postings", "c_amount", "c_years")
        blocks.append(
            table(
                "unmapped",
                2,
                tr("Tabel {n}. {title}", n=2, title=tr(LABELS["t_unmapped"])),
                [tr(LABELS[k]) for k in keys],
                urows,
                lang,
            )
        )
    for f in a.findings:
        blocks.append(Note(tr(LABELS["finding"], where=f.where, message=render(f.message, lang))))
    return ReportDocument(
        lang,
        tr(LABELS["import_title"], source=b.source),
        tr(LABELS["kicker"]),
        (Section("import", "", tuple(blocks)),),
        "",
        units,
        kind="followup_import",
        origin=b,
    )


def _privacy(n: int, lang: str) -> Note:
    return Note(translator(lang)(LABELS["n_privacy"], n=n))


def fit_document(r: FitResult, lang: str = "da") -> ReportDocument:
    tr = translator(lang)
    blocks = fit_blocks(r.summary, 1, 1, lang)
    blocks += _problem_notes(r.problems, lang) + [_privacy(r.summary.min_persons, lang)]
    return ReportDocument(
        lang,
        tr(LABELS["fit_title"], source=r.source),
        tr(LABELS["s_fit"]),
        (Section("fit", "", tuple(blocks)),),
        "",
        "",
        kind="fit",
        origin=r,
    )


def adbb_document(r: AdbbResult, lang: str = "da", children: int | None = None) -> ReportDocument:
    tr = translator(lang)
    blocks = adbb_blocks(r.summary, 1, 1, lang, children)
    blocks += _problem_notes(r.problems, lang) + [_privacy(r.summary.min_persons, lang)]
    return ReportDocument(
        lang,
        tr(LABELS["adbb_title"], source=r.source),
        tr(LABELS["s_adbb"]),
        (Section("adbb", "", tuple(blocks)),),
        "",
        "",
        kind="adbb",
        origin=r,
    )


def actuals_yaml(b: ImportBundle) -> str:
    """The imported actuals as the follow-up file's `actuals:` (case unit, current prices, per
    quarter), to paste into a follow-up file."""
    import yaml

    a = b.actuals
    data: dict[str, dict[str, float]] = {}
    for i, lid in enumerate(a.line_ids):
        for k, y in enumerate(a.years):
            for q in range(4):
                x = a.quarterly[i, k, q]
                if not math.isnan(x):
                    data.setdefault(lid, {})[f"{int(y)}Q{q + 1}"] = round(float(x), 6)
    head = (
        f"# Faktiske tal fra {b.source} via {b.mapping} (socinvest followup import)\n"
        f"# Enhed {a.unit}, løbende priser, udgiftsfortegn\n"
    )
    return head + yaml.safe_dump({"actuals": data}, sort_keys=False, allow_unicode=True)
