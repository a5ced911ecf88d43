"""The words of the follow-up report and faces as catalogue msgids (Danish, the source
language); English in i18n/locale/en/LC_MESSAGES/parts/followup-report.po. Worded at use
with `tr(LABELS[key])`. Codes in JSON (statuses, bases, categories) are the same in every
language."""

from __future__ import annotations

from ...i18n import N_

BASIS = {
    "service": N_("serviceeffektivisering"),
    "total": N_("totaløkonomi"),
    "own": N_("egne midler"),
}
FLAG = {"ok": N_("ok"), "watch": N_("gul"), "alert": N_("rød"), "": ""}
RULE = {
    "keep_plan": N_("behold planen"),
    "scale": N_("skaler med realiseret andel"),
    "override": N_("nye parameterværdier"),
}
FIT_OUTCOME = {
    "improved": N_("Pålideligt bedret"),
    "no_change": N_("Uændret"),
    "deteriorated": N_("Forværret"),
}
ADBB_OUTCOME = {
    "not_flagged": N_("Ikke markeret"),
    "resolved": N_("Løst ved genscreening"),
    "still_flagged": N_("Stadig markeret"),
    "no_followup": N_("Ikke fulgt op"),
}

LABELS: dict[str, str] = {
    "kicker": N_("Opfølgning og gevinstrealisering"),
    "kicker_mid": N_("Midtvejsevaluering"),
    "kicker_final": N_("Slutevaluering"),
    "s_summary": N_("Sammenfatning"),
    "s_variance": N_("Plan mod faktisk"),
    "s_payback": N_("Tilbagebetaling og genberegning"),
    "s_kpi": N_("Succeskriterier"),
    "s_fit": N_("FIT (Feedback-Informed Treatment)"),
    "s_adbb": N_("ADBB-screeninger"),
    "s_pool": N_("Puljen: tilbagebetalinger"),
    "s_notes": N_("Om tallene"),
    "key_figures": N_("Nøgletal"),
    "k_through": N_("Faktiske tal til og med"),
    "k_as_of": N_("Opgjort pr."),
    "k_worst": N_("Værste status"),
    "k_realised": N_("Tilbagebetalt hidtil ({basis})"),
    "k_reforecast": N_("Genberegnet tilbagebetalingstid ({basis})"),
    "k_plan": N_("Planlagt tilbagebetalingstid ({basis})"),
    "k_npv": N_("Nutidsværdi, genberegnet (planlagt)"),
    "k_p": N_("P(tilbagebetaling ≤ {target}), før → efter de faktiske tal"),
    "k_ess": N_("Effektiv stikprøvestørrelse"),
    "not_yet": N_("ikke endnu"),
    "never": N_("ikke i perioden"),
    "years": N_("{n} år"),
    # plan against actual
    "t_variance": N_("Plan mod faktisk pr. linje og år"),
    "c_line": N_("Linje"),
    "c_year": N_("År"),
    "c_plan": N_("Plan"),
    "c_actual": N_("Faktisk"),
    "c_diff": N_("Forskel"),
    "c_pct": N_("%"),
    "c_status": N_("Status"),
    "r_total": N_("I alt (indberettede linjer)"),
    "n_variance": N_(
        "Forskel = faktisk − plan med udgiftsfortegn: et positivt tal er altid ugunstigt (mere "
        "brugt eller mindre sparet end planlagt). Status: gul over {watch} %, rød over "
        "{alert} % af planen{floor}. Faktiske tal omregnet fra løbende priser til {level}-p/l "
        "med prisindekset."
    ),
    "n_floor": N_(" og over {amount} i beløb"),
    "t_split": N_("Mængde- og priseffekt"),
    "c_count": N_("Antal"),
    "c_plan_count": N_("Planlagt antal"),
    "c_actual_count": N_("Faktisk antal"),
    "c_volume": N_("Mængdeeffekt"),
    "c_price": N_("Priseffekt"),
    "n_split": N_(
        "Mængde = (faktisk antal − planlagt antal) × planlagt beløb pr. enhed; pris = (faktisk "
        "− planlagt beløb pr. enhed) × faktisk antal. De to giver tilsammen forskellen."
    ),
    "f_variance": N_("Plan og faktisk pr. år, indberettede linjer"),
    "unmapped": N_(
        "Posteringer uden linje (ikke medregnet): {n} på konto {account}{centre}, i alt {amount} "
        "kr. ({years})"
    ),
    "finding": N_("Import: {where}: {message}"),
    "planned_cells": N_(
        "Ikke indberettet, regnet som planlagt i den realiserede tilbagebetaling: {cells}"
    ),
    # payback and re-forecast
    "t_payback": N_("Tilbagebetalingstid: plan, hidtil og genberegnet"),
    "c_basis": N_("Grundlag"),
    "c_realised": N_("Hidtil"),
    "c_reforecast": N_("Genberegnet"),
    "c_p_before": N_("P(≤ mål) før"),
    "c_p_after": N_("P(≤ mål) efter"),
    "n_payback": N_(
        "Hidtil: casens egen regel på de faktiske tal til og med {through}. Genberegnet: "
        "faktiske tal for de indberettede år og reglen '{rule}' for resten. Målet: "
        "tilbagebetaling inden for {target}."
    ),
    "f_fan": N_("Genberegning af den årlige nettoeffekt med de faktiske tal"),
    "s_plan": N_("Plan"),
    "s_reforecast": N_("Genberegnet"),
    "s_actual": N_("Faktisk"),
    "n_fan": N_(
        "Bånd: P5-P95 og P25-P75 over {draws} trækninger (frø {seed}), vægtet efter hvor godt "
        "hvert træk gengiver de faktiske tal (observationsfejl {sd} af planen); effektiv "
        "stikprøvestørrelse {ess}."
    ),
    "n_no_uncertainty": N_(
        "Casen angiver ingen usikkerhed, så der er ingen sandsynlighed eller vifte; "
        "genberegningen er et enkelt forløb."
    ),
    # criteria
    "t_kpi": N_("Succeskriterier: status pr. {date}"),
    "c_criterion": N_("Kriterium"),
    "c_unit": N_("Enhed"),
    "c_baseline": N_("Udgangspunkt"),
    "c_target": N_("Mål"),
    "c_latest": N_("Seneste måling"),
    "c_value": N_("Værdi"),
    "c_expected": N_("Forventet"),
    "c_responsible": N_("Ansvarlig"),
    "c_next": N_("Næste måling"),
    "n_kpi": N_(
        "Status mod en ret linje fra udgangspunktet til målet: på sporet, i risiko (højst 10 % "
        "af den planlagte ændring bagefter), ikke på sporet, eller måling mangler (en måling "
        "er over 30 dage forsinket)."
    ),
    "no_criteria": N_("Opfølgningsfilen angiver ingen succeskriterier."),
    # FIT
    "t_fit": N_("FIT-forløb pr. team og halvår (forløb med mindst to sessioner)"),
    "c_team": N_("Team"),
    "c_half": N_("Halvår"),
    "c_courses": N_("Forløb"),
    "c_improved_share": N_("Andel bedret"),
    "c_mean_days": N_("Gns. dage"),
    "c_mean_sessions": N_("Gns. sessioner"),
    "half": N_("{year} H{half}"),
    "r_all": N_("I alt"),
    "f_fit_share": N_("Andel pålideligt bedrede forløb pr. team og halvår"),
    "f_fit_length": N_("Gennemsnitlig forløbslængde (dage) pr. team og halvår"),
    "y_share": N_("Andel (%)"),
    "y_days": N_("Dage"),
    "fit_counts": N_(
        "Forløb i alt {courses}; med én session {single}; frafald (en eller to sessioner) "
        "{dropouts}; klinisk signifikant bedring {clinical}; forløb med alliance-advarsel "
        "(SRS under 36) {warnings}."
    ),
    "n_fit": N_(
        "Pålidelig bedring: ORS steget mindst 5 point fra første til seneste session. Forløb "
        "med én session tælles som forløb og frafald, men ikke i tabellen. Et forløb hører til "
        "halvåret for sin seneste session."
    ),
    # ADBB
    "t_adbb": N_("Børn screenet med ADBB pr. periode for første screening"),
    "c_period": N_("Periode"),
    "c_flagged_share": N_("Andel markeret"),
    "c_followup_share": N_("Andel fulgt op"),
    "c_resolved_share": N_("Andel løst"),
    "f_adbb": N_("ADBB: andel markeret, fulgt op og løst pr. periode"),
    "screened": N_("Andel screenet af {n} børn i målgruppen: {share}"),
    "n_adbb": N_(
        "Markeret: en screening med en samlet score på mindst 5 (tilbagetrækning). Fulgt op: "
        "genscreenet inden for opfølgningsvinduet; løst: genscreeningen er under 5."
    ),
    # pool
    "t_pool": N_("Tilbagebetalinger til puljen ({app})"),
    "r_savings": N_("Nettobesparelse (realiseret/planlagt)"),
    "r_due": N_("Forfalden"),
    "r_made": N_("Betalt"),
    "r_arrears": N_("Restance (akkumuleret)"),
    "n_pool": N_(
        "Realiseret til og med {through}; derefter planlagt; restance kun for årene til og med "
        "{through}. Beløb i puljens enhed og prisniveau ({unit})"
    ),
    "no_findings": N_("Ingen fund."),
    # notes
    "n_synthetic": N_(
        "SYNTETISKE DATA: opfølgningsfilens tal, posteringer, målinger og personer er opfundet "
        "til eksemplet og er ikke rigtige tal."
    ),
    "n_illustrative": N_("Prisindekset er illustrativt, ikke rigtige tal: {source}"),
    "n_index": N_("Prisindeks: {source} ({date})."),
    "n_privacy": N_(
        "Diskretion: tal for færre end {n} personer vises ikke ('–'), og flere celler skjules "
        "om nødvendigt, så en skjult celle ikke kan regnes ud af de viste tal og totaler. "
        "Kun pseudonyme id'er; CPR-numre afvises."
    ),
    "hidden": N_("–"),
    # faces
    "t_import": N_("Posteringer pr. linje og år (løbende priser)"),
    "import_counts": N_(
        "{used} posteringer medregnet; {bad} linjer afvist; {unmapped} uden linje."
    ),
    "t_unmapped": N_("Posteringer uden linje"),
    "c_account": N_("Konto"),
    "c_centre": N_("Omkostningssted"),
    "c_postings": N_("Posteringer"),
    "c_amount": N_("Beløb (kr.)"),
    "c_years": N_("År"),
    "problems": N_("Linjer udeladt: {n}"),
    "written": N_("Skrevet: {path}"),
    "fit_title": N_("FIT-opsummering: {source}"),
    "adbb_title": N_("ADBB-opsummering: {source}"),
    "import_title": N_("Import af posteringer: {source}"),
    "restated": N_("Omregnet fra {from_level}- til {to_level}-p/l med {index}"),
}
