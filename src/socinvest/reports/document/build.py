"""`build_document`: the report's sections in the order of the Copenhagen template."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...engine.results import Results
from ...i18n import translator
from ..table1 import caption, shown_units
from .allocation import _allocation_blocks
from .appendix import _appendix
from .deviations import deviation_blocks
from .format import Numbers, _paragraphs
from .labels import WIDE_YEARS, T
from .model import Block, Fields, Note, Paragraph, ReportDocument, Section
from .overview import _figures, _key_figures, _notes, _table1
from .perspectives import perspectives_section
from .staff import _kpi_table, _staff_table
from .tables import _investment_blocks, _permanent_table

if TYPE_CHECKING:
    from ...services.case import CaseBundle


FIRST_PAGE = frozenset({"front", "table1", "figures"})
"""The sections of the report's first page: the header, Table 1, key figures and charts."""


def build_document(
    bundle: CaseBundle, lang: str = "da", draw: int = 0, first_page: bool = False
) -> ReportDocument:
    """The whole report of a computed case (one draw: the plain calculation is draw 0);
    with `first_page`, only its FIRST_PAGE sections (what a recompute after an edit shows),
    the same as the whole report's.

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
    n = Numbers()
    sections: list[Section] = []
    num = 0

    def heading(text: str) -> str:
        nonlocal num
        num += 1
        return f"{num}. {text}"

    # 1. front matter: the template's header (programme in the kicker line) -----------------
    items: list[tuple[str, str]] = [(L["title"], case.title)]
    if case.summary:
        items.append((L["summary"], " ".join(case.summary.split())))
    if case.organisation:
        items.append((L["organisation"], case.organisation))
    if case.departments.lead:
        items.append((L["lead"], _join(case.departments.lead, lang)))
    affected = case.departments.affected
    items.append((L["affected"], _join(affected, lang) if affected else L["none_affected"]))
    # on a landscape page with table 1 when table 1 needs one, as in the seeds' first page
    sections.append(Section("front", "", (Fields(tuple(items)),), wide))

    # 2. table 1 + key figures + charts ---------------------------------------------------
    t1 = _table1(res, lang, draw, n.next_table(), shown)
    sections.append(Section("table1", heading(L["table1"]), (t1,), wide))
    # the note explains table 1 and the key figures; it opens the portrait part, so that a
    # full landscape page 1 does not leave it alone on a page of its own
    figures: tuple[Block, ...] = (
        Note(_notes(res, lang)),
        _key_figures(res, lang, draw, shown),
        *_figures(res, lang, draw, shown, n),
    )
    sections.append(Section("figures", "", figures))  # continues section 1, portrait
    if first_page:
        return _document(res, case, lang, tuple(sections), units, bundle)

    def free_text(key: str) -> None:
        text = getattr(case.sections, key)
        if text and text.strip():
            paras = tuple(Paragraph(p) for p in _paragraphs(text))
            sections.append(Section(key, heading(L[key]), paras))

    # 3. Baggrund, Indhold ------------------------------------------------------------------
    for key in ("background", "content"):
        free_text(key)

    # 4. Økonomi: its text, then its tables (permanent changes, investments, staff), as in
    # the seeds; the tables continue the section, on a landscape page when they are wide
    tables: list[Block] = [_permanent_table(res, lang, draw, n.next_table(), shown)]
    tables += _investment_blocks(res, lang, draw, n, shown)
    staff = _staff_table(res, lang, draw, n)
    if staff is not None:
        tables.append(staff)
    economy = case.sections.economy
    paras = tuple(Paragraph(p) for p in _paragraphs(economy)) if economy else ()
    sections.append(Section("economy", heading(L["economy"]), paras))
    sections.append(Section("economy_tables", "", tuple(tables), wide))

    # 5. Fordeling på udvalg ------------------------------------------------------------------
    sections.append(
        Section(
            "allocation",
            heading(L["allocation"]),
            _allocation_blocks(res, lang, draw, n, shown),
            wide,
        )
    )

    # 5b. the whole public sector and society, when the case has more than one payer -------
    persp = perspectives_section(res, lang, draw, n, getattr(bundle, "perspectives", None), sim)
    if persp is not None:
        sections.append(Section("perspectives", heading(persp[0]), persp[1], wide))

    # 6.-8. Implementering, Inddragelse, Effekt -----------------------------------------------
    for key in ("implementation", "involvement", "effect"):
        free_text(key)

    # 9. Opfølgning with its table of success criteria --------------------------------------
    followup = case.sections.followup
    kpi: tuple[Block, ...] = (_kpi_table(res, lang, n),) if case.success_criteria else ()
    if followup and followup.strip():
        free_text("followup")
        if kpi:
            sections.append(Section("kpi", "", kpi))
    elif kpi:
        sections.append(Section("kpi", heading(L["followup"]), kpi))

    # 10. Risikovurdering -------------------------------------------------------------------
    free_text("risk")

    # 11. uncertainty, when the case states any (a simulation through the same engine) ------
    if sim is not None:
        from ..uncertainty_section import uncertainty_blocks

        title, blocks = uncertainty_blocks(res, sim, lang, units, n.next_table, n.next_figure)
        sections.append(Section("uncertainty", heading(title), blocks))

    # 12. differences from the source document (the case's stated figures) ------------------
    check = None if isinstance(bundle, Results) else bundle.check
    if check is not None and case.stated:
        deviations = deviation_blocks(case, check, lang, n, units)
        sections.append(Section("deviations", heading(L["deviations"]), deviations))

    # 13. appendix --------------------------------------------------------------------------
    sections.append(
        Section("appendix", heading(L["appendix"]), _appendix(res, lang, draw, n, units))
    )

    return _document(res, case, lang, tuple(sections), units, bundle)


def _document(
    res: Results, case: Any, lang: str, sections: tuple[Section, ...], units: str, bundle: Any
) -> ReportDocument:
    L = T[lang]
    footer = _footer(res, lang)
    kicker = f"{L['kicker']} – {case.programme}" if case.programme else L["kicker"]
    author = ", ".join(
        [*case.departments.lead, *([case.organisation] if case.organisation else [])]
    )
    return ReportDocument(
        lang,
        case.title,
        kicker,
        sections,
        footer,
        units,
        kind="case",
        origin=bundle,
        author=author,
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
    source = reader_source(c.source) if c.source else ""
    return text + tr(" Kilde: {source}.", source=source) if source else text


_SEED = re.compile(r"\s*\((?:seed|frø)\s+\d+\)", re.IGNORECASE)


def reader_source(text: str) -> str:
    """A source as readers see it: the encoder's own references ('(seed 003)') left out; the
    case file keeps them."""
    return " ".join(_SEED.sub("", text).split())
