"""The words of the pool's reports as catalogue msgids (Danish, the source language).

`LABELS[key]` is a msgid, worded at use with `tr(LABELS[key])` (`tr = translator(lang)`);
the English is in `i18n/locale/en/LC_MESSAGES/parts/pool.po`. Finding codes, JSON keys and
data values (statuses, scopes, repayment kinds) are the same in every language; only words
change. The words of the domain's own messages (findings, selection reasons) are msgids in
`socinvest.pool` (`pool.params`, `pool.rules`, `pool.portfolio`).
"""

from __future__ import annotations

from ...checks.findings import BASIS
from ...i18n import N_
from ...pool.params import OBJECTIVE, SCOPE, SHORT

__all__ = ["BASIS", "KIND", "LABELS", "OBJECTIVE", "SCOPE", "SHORT", "STATUS", "UNIT"]

STATUS = {"approved": N_("bevilget"), "rejected": N_("afvist"), "pending": N_("verserende")}
KIND = {
    "fixed": N_("fast beløb"),
    "share": N_("andel af besparelser"),
    "schedule": N_("egen plan"),
}
UNIT = {"kr.": N_("kr."), "1.000 kr.": N_("1.000 kr."), "mio. kr.": N_("mio. kr.")}

LABELS: dict[str, str] = {
    "kicker": N_("Investeringspulje"),
    "yes": N_("ja"),
    "no": N_("nej"),
    # headings and the lines under the title ------------------------------------------------
    "heading_status": N_("Status for puljen"),
    "heading_project": N_("Fremskrivning af puljen"),
    "heading_select": N_("Udvælgelse af ansøgninger"),
    "s_pool": N_("Puljen pr. år"),
    "s_cases": N_("Ansøgningerne"),
    "s_risk": N_("Risiko"),
    "s_compare": N_("Sammenligning og valg"),
    "s_findings": N_("Fund"),
    "key_figures": N_("Nøgletal"),
    "k_closing": N_("Saldo ultimo {year}"),
    "k_lowest": N_("Laveste saldo ultimo ({year})"),
    "k_granted": N_("Bevilget i alt"),
    "k_repaid": N_("Tilbagebetalt i alt"),
    "k_outstanding": N_("Restgæld ultimo {year}"),
    "k_p_negative": N_("Højeste P(saldo < 0) i et år"),
    "k_chosen": N_("Valgte ansøgninger"),
    # the pool per year ---------------------------------------------------------------------
    "t_pool": N_("Puljen pr. år"),
    "r_opening": N_("Saldo primo"),
    "r_capital": N_("Kapital"),
    "r_injections": N_("Indskud"),
    "r_grants": N_("Bevillinger ud"),
    "r_repayments": N_("Tilbagebetalinger ind"),
    "r_closing": N_("Saldo ultimo"),
    "n_pool": N_(
        "Bevillinger ud er vist med negativt fortegn. Saldo ultimo = saldo primo + kapital + "
        "indskud - bevillinger + tilbagebetalinger."
    ),
    # the applications ----------------------------------------------------------------------
    "t_cases": N_("Ansøgninger: bevilget, tilbagebetalt og restgæld"),
    "c_application": N_("Ansøgning"),
    "c_status": N_("Status"),
    "c_repayment": N_("Tilbagebetaling"),
    "c_granted": N_("Bevilget"),
    "c_repaid": N_("Tilbagebetalt"),
    "c_outstanding": N_("Restgæld {year}"),
    "c_repaid_year": N_("Tilbagebetalt år"),
    "c_on_schedule": N_("Efter planen"),
    "n_cases": N_(
        "Verserende ansøgninger regnes som bevilget med det ansøgte beløb, når de er med. "
        "'Efter planen': tilbagebetalt inden for perioden og dækket af casens "
        "nettobesparelser."
    ),
    "t_repaid": N_("Tilbagebetaling pr. år"),
    "t_outstanding": N_("Restgæld ultimo pr. år"),
    # risk ------------------------------------------------------------------------------------
    "r_p50": N_("P50 (median)"),
    "r_p_negative": N_("P(saldo < 0), %"),
    "t_risk_cases": N_("Risiko pr. ansøgning"),
    "c_p_on_schedule": N_("P(efter planen), %"),
    "c_p_repaid": N_("P(tilbagebetalt i perioden), %"),
    "c_expected_repaid": N_("Forventet tilbagebetalt"),
    "n_risk_cases": N_(
        "Tilbagebetaling som andel af besparelser falder med besparelserne; faste "
        "beløb og egne planer står fast, og risikoen er, at besparelserne ikke dækker dem."
    ),
    "n_risk": N_(
        "Hver case simuleres med sine egne usikre parametre (docs/uncertainty.md); "
        "casernes usikkerheder er indbyrdes uafhængige."
    ),
    # selection -------------------------------------------------------------------------------
    "t_compare": N_("Sammenligning"),
    "c_investment": N_("Investering"),
    "c_grant": N_("Bevilling"),
    "c_external": N_("Ekstern medfinansiering"),
    "c_own_net": N_("Egen nettoudgift"),
    "c_pb_service": N_("TBT service (år)"),
    "c_pb_total": N_("TBT total (år)"),
    "c_npv": N_("NPV"),
    "c_expected_npv": N_("Forventet NPV"),
    "c_roi": N_("ROI"),
    "c_p_target": N_("P(TBT ≤ mål, {basis}), %"),
    "n_compare": N_(
        "ROI = nettobesparelse over casens horisont (besparelser minus udgifter og "
        "investeringer, alle linjer, ikke tilbagediskonteret) / investeringer. NPV: casens "
        "diskonteringsrente. Egen nettoudgift: uden eksternt finansierede linjer og "
        "medfinansiering (negativ = nettobesparelse). TBT: tilbagebetalingstid (år 1 = casens "
        "første år); tomt felt = ikke inden for horisonten."
    ),
    "t_choice": N_("Valg"),
    "c_in": N_("Inde"),
    "c_value": N_("Værdi i målet"),
    "c_why": N_("Hvorfor"),
    "c_alternative": N_("Næstbedste alternativ"),
    "t_capital": N_("Puljens kapital og de valgtes udestående (kumulativt)"),
    "r_available": N_("Kapital til rådighed"),
    "r_used": N_("Udestående for de valgte"),
    "r_free": N_("Ledigt"),
    # findings and charts ---------------------------------------------------------------------
    "no_findings": N_("Ingen fund: reglerne er overholdt, og saldoen er ikke negativ."),
    "chart_title": N_("Puljens saldo ultimo"),
    "chart_plain": N_("Beregnet"),
}
