"""Labels of the case report (Danish msgids, worded by the catalogue: `T[lang]`), the
free-text sections in template order, the readable names of parameters and lines, and the
width at which print formats turn to landscape."""

from __future__ import annotations

from ...case.schema import Case
from ...i18n import N_
from ..labels import C_, LabelTable

SECTION_KEYS = (
    "background",
    "content",
    "economy",
    "implementation",
    "involvement",
    "effect",
    "followup",
    "risk",
)

TEMPLATE_ORDER = (
    "front",
    "table1",
    "figures",
    "background",
    "content",
    "economy",
    "economy_tables",
    "allocation",
    "perspectives",  # the public sector and society, when the case has more payers
    "implementation",
    "involvement",
    "effect",
    "followup",
    "kpi",
    "risk",
    "uncertainty",
    "deviations",
    "appendix",
)
"""The sections of a case report in the order of the Copenhagen template (seeds 000 and 003):
table 1, Baggrund, Indhold, Økonomi with its tables (permanent changes, investments, staff),
Fordeling på udvalg (and the perspectives of other payers), Implementering, Inddragelse,
Effekt, Opfølgning with its success criteria, Risikovurdering; then what the template lacks:
uncertainty, the deviations from the source document and the appendix. A section without
content is left out."""

LABELS = {
    "kicker": N_("Business case"),
    "title": N_("Forslagets titel"),
    "summary": N_("Kort resumé"),
    "lead": N_("Fremstillende forvaltning"),
    "affected": N_("Øvrige berørte forvaltninger"),
    "organisation": N_("Kommune/organisation"),
    "table1": N_("Forslagets samlede økonomiske konsekvenser"),
    "background": N_("Baggrund og formål"),
    "content": N_("Forslagets indhold"),
    "economy": N_("Økonomi"),
    "implementation": N_("Implementering af forslaget"),
    "involvement": N_("Inddragelse af medarbejdere, virksomheder og borgere"),
    "effect": N_("Forslagets effekt"),
    "followup": N_("Opfølgning"),
    "risk": N_("Risikovurdering"),
    "tables": N_("Varige ændringer og investeringer"),
    "none_affected": N_("Ingen"),
    "deviations": N_("Afvigelser fra kildedokumentet"),
    "permanent_caption": N_("Varige ændringer"),
    "investment_caption": N_("Investeringer i forslaget"),
    "allocation": N_("Fordeling på udvalg"),
    "alloc_perm_caption": N_("Fordeling af varige ændringer mellem udvalg"),
    "alloc_inv_caption": N_("Fordeling af investeringer mellem udvalg"),
    "staff": N_("Personalemæssige konsekvenser"),
    "staff_caption": N_("Personalemæssige konsekvenser"),
    "staff_unit": N_("årsværk; + merudgift, − besparelse"),
    "kpi": N_("Succeskriterier og opfølgning"),
    "kpi_caption": N_("Succeskriterier"),
    "appendix": N_("Bilag: parametre og beregninger"),
    "param_caption": N_("Parametre"),
    "lines_caption": N_("Linjer"),
    "calc": N_("Beregning af linjerne"),
    "committee": N_("Udvalg"),
    "key": N_("Fordelingsnøgle"),
    "total_row": N_("Total"),
    "sum": N_("I alt"),
    "costs": N_("Omkostninger"),
    "savings": C_("rows", "Besparelse"),  # the rows of savings; the kind is "Saving"
    "savings_pl": N_("Besparelser"),
    "investments": N_("Investeringer"),
    "net": N_("Samlet økonomisk påvirkning"),
    "pool": N_("Investeringspuljen (sæt X)"),
    "area": N_("Styringsområde"),
    "criterion": N_("Succeskriterium"),
    "measure": N_("Hvordan måles succeskriteriet"),
    "responsible": N_("Hvem er ansvarlig for opfølgning"),
    "when": N_("Hvornår gennemføres opfølgningen"),
    "parameter": N_("Parameter"),
    "values": N_("Værdi(er)"),
    "unit": N_("Enhed"),
    "source": N_("Kilde"),
    "date": N_("Dato"),
    "line": N_("Linje"),
    "id": N_("Id"),
    "type": N_("Type"),
    "owner": N_("Udvalg (fordeling)"),
    "funding": N_("Finansiering"),
    "unallocated": N_("Ikke fordelt"),
    "kind": {
        "cost": N_("Omkostning"),
        "saving": N_("Besparelse"),
        "investment": N_("Investering"),
    },
    "funding_names": {
        "own": N_("Egen ramme"),
        "pool": N_("Investeringspuljen"),
        "external": N_("Ekstern pulje"),
    },
    "fte": N_("årsværk"),
    "ramp": N_("indfasning"),
    "table": N_("Tabel"),
    "figure": N_("Figur"),
    "key_figures": N_("Nøgletal"),
    "years": N_("år"),
    "year_axis": N_("År"),
    "fig_cumulative": N_("Akkumuleret nettoeffekt (totaløkonomi)"),
    "fig_flows": N_("Udgifter og besparelser pr. år"),
    "fig_committees": N_("Fordeling på udvalg over hele perioden"),
    "cumulative": N_("Akkumuleret nettoeffekt"),
    "payback_marker": N_("Tilbagebetaling år {k} ({year})"),
    "no_payback": N_("Ingen tilbagebetaling inden for horisonten"),
    "permanent_costs": N_("Omkostninger (varige)"),
    "explicit": N_("angivne beløb"),
    "saving_note": N_("besparelse: indgår med negativt fortegn"),
    "all_years": N_("alle år"),
    "none_lines": N_("Forslaget har ingen linjer af denne type."),
    "no_fte": "",
}
T = LabelTable(LABELS)

WIDE_YEARS = 8  # more year columns than this: landscape pages in print formats


def parameter_label(case: Case, name: str, lang: str) -> str:
    """A parameter's readable name: `label_en` in English, else `label`, else its id."""
    p = case.parameters.get(name)
    if p is None:
        return name
    if lang != "da" and p.label_en:
        return p.label_en
    return p.label or name


def parameter_labels(case: Case, lang: str) -> dict[str, str]:
    """Every parameter's readable name by id (for tornado, switching values, appendix)."""
    return {name: parameter_label(case, name, lang) for name in case.parameters}
