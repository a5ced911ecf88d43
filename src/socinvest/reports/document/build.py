"""`build_document`: the report's sections in the order of the Copenhagen template."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...engine.results import Results
from ...i18n import translator
from ..table1 import caption, shown_units
from .allocation import _allocation_blocks
from .appendix import _appendix
from .format import _Counter, _paragraphs
from .labels import SECTION_KEYS, WIDE_YEARS, T
from .model import Block, Fields, Note, Paragraph, ReportDocument, Section
from .overview import _figures, _key_figures, _notes, _table1
from .staff import _kpi_table, _staff_table
from .tables import _investment_blocks, _permanent_table

if TYPE_CHECKING:
    from ...services.case import CaseBundle


def build_document(bundle: CaseBundle, lang: str = "da", draw: int = 0) -> ReportDocument:
    """The whole report of a computed case (one draw: the plain calculation is draw 0).

    `bundle` is the case's CaseBundle (services.case.case_bundle): its results, and its
    simulation when the case states uncertainty — the uncertainty section renders that
    simulation and runs none of its own. Plain `Results` are accepted too and give a report
    without the uncertainty section.
    """
    if lang not in T:
        raise ValueError(f"unknown language {lang!r}; use 'da' or 'en'")
    L = T[lang]
    res: Results = bundle if isinstance(bundle, Results) else bundle.results
    sim = None if isinstance(bundle, Results) else bundle.simulation
    case = res.case
    years = [int(y) for y in res.years]
    wide = len(years) > WIDE_YEARS
    units = caption(res, lang)
    shown = shown_units(res, lang)  # the tables of amounts, in the case's sign convention
    n = _Counter()
    sections: list[Section] = []
    num = 0

    def heading(text: str) -> str:
        nonlocal num
        num += 1
        return f"{num}. {text}"

    # 1. front matter ---------------------------------------------------------------------
    items: list[tuple[str, str]] = [(L["title"], case.title)]
    if case.summary:
        items.append((L["summary"], " ".join(case.summary.split())))
    if case.organisation:
        items.append((L["organisation"], case.organisation))
    if case.departments.lead:
        items.append((L["lead"], _join(case.departments.lead, lang)))
    if case.departments.affected:
        items.append((L["affected"], _join(case.departments.affected, lang)))
    # on a landscape page with table 1 when table 1 needs one, as in the seeds' first page
    sections.append(Section("front", "", (Fields(tuple(items)),), wide))

    # 2. table 1 + key figures + charts ---------------------------------------------------
    t1 = _table1(res, lang, draw, n.next_table(), shown)
    sections.append(Section("table1", heading(L["table1"]), (t1, Note(_notes(res, lang))), wide))
    figures: tuple[Block, ...] = (
        _key_figures(res, lang, draw, shown),
        *_figures(res, lang, draw, shown, n),
    )
    sections.append(Section("figures", "", figures))  # continues section 1, portrait

    # 3. free texts -----------------------------------------------------------------------
    for key in SECTION_KEYS:
        text = getattr(case.sections, key)
        if text and text.strip():
            paras = tuple(Paragraph(p) for p in _paragraphs(text))
            sections.append(Section(key, heading(L[key]), paras))

    # 3b. uncertainty, when the case states any (a simulation through the same engine) -----
    if sim is not None:
        from ..uncertainty_section import uncertainty_blocks

        title, blocks = uncertainty_blocks(res, sim, lang, units, n.next_table, n.next_figure)
        sections.append(Section("uncertainty", heading(title), blocks))

    # 4. permanent changes and investments -------------------------------------------------
    sections.append(
        Section(
            "tables",
            heading(L["tables"]),
            (_permanent_table(res, lang, draw, n.next_table(), shown),)
            + _investment_blocks(res, lang, draw, n, shown),
            wide,
        )
    )

    # 5. allocation between committees -----------------------------------------------------
    sections.append(
        Section(
            "allocation",
            heading(L["allocation"]),
            _allocation_blocks(res, lang, draw, n, shown),
            wide,
        )
    )

    # 6. staff ------------------------------------------------------------------------------
    staff = _staff_table(res, lang, draw, n)
    if staff is not None:
        sections.append(Section("staff", heading(L["staff"]), (staff,), wide))

    # 7. success criteria -------------------------------------------------------------------
    if case.success_criteria:
        sections.append(Section("kpi", heading(L["kpi"]), (_kpi_table(res, lang, n),)))

    # 8. appendix ---------------------------------------------------------------------------
    sections.append(
        Section("appendix", heading(L["appendix"]), _appendix(res, lang, draw, n, units))
    )

    footer = _footer(res, lang)
    return ReportDocument(
        lang, case.title, L["kicker"], tuple(sections), footer, units, kind="case", origin=bundle
    )


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    tr = translator(lang)
    return tr("{first} og {last}", first=", ".join(names[:-1]), last=names[-1])


def _footer(res: Results, lang: str) -> str:
    tr = translator(lang)
    c = res.case
    text = tr("Beregnet med socinvest (sag {id}).", id=c.id)
    return text + tr(" Kilde: {source}.", source=c.source) if c.source else text
