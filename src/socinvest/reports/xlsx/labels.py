"""Sheet names and labels of the workbook: Danish msgids, worded by the catalogue per
language (`LABELS[lang]`, `SHEETS[lang]`, …)."""

from __future__ import annotations

from ...case.schema import Funding, Kind
from ...i18n import N_
from ..labels import LabelTable

SHEETS = LabelTable(
    {
        "table1": N_("Tabel 1"),
        "lines": N_("Linjer"),
        "params": N_("Parametre"),
        "figures": N_("Figurer"),
    }
)
_FIGURES_NOTE = LabelTable(
    {
        "note": N_(
            "Figurerne er de samme som i rapportens andre formater (tegnet af socinvest ud fra casens egne tal); de følger ikke med, hvis du ændrer tal i arket."
        )
    }
)
FIGURES_NOTE = {lang: _FIGURES_NOTE[lang]["note"] for lang in _FIGURES_NOTE}

KIND_LABEL = LabelTable(
    {
        Kind.COST: N_("Omkostning"),
        Kind.SAVING: N_("Besparelse"),
        Kind.INVESTMENT: N_("Investering"),
    }
)
FUNDING_LABEL = LabelTable(
    {Funding.OWN: N_("Egen"), Funding.POOL: N_("Pulje"), Funding.EXTERNAL: N_("Ekstern")}
)

LABELS = LabelTable(
    {
        "title": N_("Forslagets samlede økonomiske konsekvenser"),
        "caption_note": N_(
            "Besparelser med negativt fortegn. Alle tal er formler over arket Linjer og Parametre; vist afrundet, beregnet med fuld præcision."
        ),
        "workings": N_("Tilbagebetalingstid og nutidsværdi (beregning)"),
        "flow_service": N_("Nettostrøm, serviceeffektivisering (kun Service)"),
        "flow_total": N_("Nettostrøm, totaløkonomi (alle linjer)"),
        "cum_service": N_("Akkumuleret, serviceeffektivisering"),
        "cum_total": N_("Akkumuleret, totaløkonomi"),
        "tol_service": N_("Tolerance for nul, service (10⁻⁹ × største nettostrøm, mindst 10⁻⁹)"),
        "tol_total": N_("Tolerance for nul, totaløkonomi (10⁻⁹ × største nettostrøm, mindst 10⁻⁹)"),
        "started_service": N_("Startet, service (1 = første år med nettostrøm ≠ 0 er nået)"),
        "started_total": N_("Startet, totaløkonomi (1 = første år med nettostrøm ≠ 0 er nået)"),
        "ok_service": N_("Tilbagebetalt, service (1 = startet og akkumuleret ≤ 0)"),
        "ok_total": N_("Tilbagebetalt, totaløkonomi (1 = startet og akkumuleret ≤ 0)"),
        "frac_service": N_("Tilbagebetalingstid, serviceeffektivisering, interpoleret (år)"),
        "frac_total": N_("Tilbagebetalingstid, totaløkonomi, interpoleret (år)"),
        "payback_year_service": N_("Tilbagebetalingsår, serviceeffektivisering (kalenderår)"),
        "payback_year_total": N_("Tilbagebetalingsår, totaløkonomi (kalenderår)"),
        "discount_factor": N_("Diskonteringsfaktor 1/(1 + rente)^t"),
        "npv_total": N_("Nutidsværdi af gevinsten, totaløkonomi (positiv: forslaget betaler sig)"),
        "npv_service": N_("Nutidsværdi af gevinsten, serviceeffektivisering"),
        "own_net": N_("Egen nettoudgift (ekskl. ekstern finansiering)"),
        "by_committee": N_("Fordeling på udvalg (fordelingsnøgle × linjernes beløb)"),
        "committee_permanent": N_("Varige ændringer fordelt på udvalg"),
        "committee_investment": N_("Implementeringsomkostninger fordelt på udvalg"),
        "committee_total": N_("Samlet økonomisk påvirkning fordelt på udvalg"),
        "total": N_("I alt"),
        "unallocated": N_("Ikke fordelt"),
        "years_fmt": N_('0 "år"'),
        # an interpolated payback of 0 is "i år 1", not "0,00 år" (a conditional format)
        "years_frac_fmt": N_('[=0]"i år 1";0.00 "år"'),
        "discount_note_yes": N_("år 1 diskonteres med et helt år: t = 1"),
        "discount_note_no": N_("år 1 diskonteres ikke: t = 0"),
        "lines_title": N_("Linjer"),
        "lines_note": N_(
            "Udgiftsfortegn: omkostninger og investeringer positive, besparelser negative. Driverlinjer er formler over Parametre; gule celler er input."
        ),
        "id": N_("Id"),
        "label": N_("Tekst"),
        "row": N_("Række i tabel 1"),
        "kind": N_("Art"),
        "area": N_("Styringsområde"),
        "funding": N_("Finansiering"),
        "how": N_("Beregning"),
        "in1": N_("Årsværk / antal"),
        "in2": N_("Sats / pris"),
        "in3": N_("Faktor"),
        "ramp": N_("Indfasning"),
        "amounts": N_("Beløb"),
        "ramp_row": N_("se Parametre"),
        "params_title": N_("Parametre"),
        "params_note": N_(
            "Gule celler er input: ændr et tal, så regner linjer, tabel 1, tilbagebetalingstid og nutidsværdi om."
        ),
        "name": N_("Navn"),
        "unit": N_("Enhed"),
        "source": N_("Kilde"),
        "date": N_("Dato"),
        "year_unit": N_("kalenderår (year i udtryk)"),
        "t_unit": N_("årets nummer, år 1 = første år (t i udtryk)"),
        "builtin": N_("indbygget"),
        "ramps": N_("Indfasning pr. linje (andel af fuld effekt)"),
        "share": N_("andel"),
        "line": N_("linje"),
        "discount": N_("Diskontering"),
        "rate_label": N_("Diskonteringsrate (real, pr. år)"),
        "rate_unit": N_("andel pr. år"),
        "flag_label": N_("År 1 diskonteret (1 = ja, 0 = nej)"),
        "flag_unit": N_("1/0"),
        "case": N_("forslagets discount-blok"),
    }
)
