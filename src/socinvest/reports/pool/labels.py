"""Every user-facing word of the pool's outputs, Danish first and English available.

One table per language, `LABELS[lang][key]`; templates are filled with `str.format`. The
Danish texts are the ones the pool printed before `--lang` existed and must not change (the
tests compare Danish output to captured snippets). Finding codes, JSON keys and data values
(statuses, scopes, repayment kinds) are the same in every language; only words change.
"""

from __future__ import annotations

LANGS = ("da", "en")

LABELS: dict[str, dict] = {
    "da": {
        # text.py -----------------------------------------------------------------------
        "basis": {"service": "serviceeffektivisering", "total": "totaløkonomi"},
        "status": {"approved": "bevilget", "rejected": "afvist", "pending": "verserende"},
        "kind": {"fixed": "fast beløb", "share": "andel af besparelser", "schedule": "egen plan"},
        "unit": {"kr.": "kr.", "1.000 kr.": "1.000 kr.", "mio. kr.": "mio. kr."},
        "money_m": "{x} mio. kr.",
        "money_kr": "{x} kr.",
        "yes": "ja",
        "no": "nej",
        # rules.py ----------------------------------------------------------------------
        "scope": {
            "approved": "bevilgede ansøgninger",
            "approved+pending": "bevilgede og verserende ansøgninger",
            "chosen": "de valgte ansøgninger",
        },
        "not_in_horizon": "ikke inden for casens horisont",
        "n_years": "{n:.0f} år",
        "payback_too_long": "{who}: tilbagebetalingstid ({basis}) {got} > reglen {limit} år",
        "grant_too_large": "{who}: bevilling i alt {grant} > loftet {limit}",
        "share_too_large": (
            "{who}: {grant} er {share:.0f} % af puljens samlede kapital ({total}); "
            "reglen er højst {limit:.0f} %"
        ),
        "repay_never": "aldrig inden for perioden",
        "repay_in": "i {year:.0f} (casens år {case_year:.0f})",
        "repay_late": (
            "{who}: tilbagebetalingen begynder {got}; reglen er senest casens år {n} ({deadline})"
        ),
        "repay_before_savings": (
            "{who}: i {year} er der tilbagebetalt {repaid} i alt, men casens samlede "
            "nettobesparelse til og med {year} er {saved}"
        ),
        "not_repaid": "{who}: {left} af {grant} er ikke tilbagebetalt ved udgangen af {year}",
        "request_differs": (
            "{who}: ansøgt {asked}, men casens linjer med funding: pool er {from_case}"
        ),
        "negative_balance": (
            "puljens saldo er negativ ved udgangen af {year}: {amount} (negativ i {years}; "
            "omfatter {scope})"
        ),
        # portfolio.py ------------------------------------------------------------------
        "objective": {"npv": "nutidsværdi", "savings": "nettobesparelse over horisonten"},
        "short": {"npv": "NPV", "savings": "nettobesparelse"},
        "in_approved": "inde: allerede bevilget",
        "out_rejected": "ude: afvist",
        "date_suffix": " ({date})",
        "out_rule": "ude: {texts}",
        "out_infeasible": "ude: de bevilgede ansøgninger alene passer ikke i puljen",
        "in_best": "inde: højeste {short} pr. krone",
        "in_ranked": "inde: {short} pr. krone {per_krone} (nr. {k} af {n} valgte)",
        "out_not_positive": "ude: {short} er ikke positiv ({value})",
        "out_no_room": "ude: passer ikke i puljen i {year} (mangler {missing})",
        "out_no_gain": "ude: bidrager ikke til målet",
        "alt_no_room": "kan ikke komme ind: puljen har ikke plads, selv uden de andre",
        "alt_without": "uden den falder målet {drop}",
        "alt_forced": "tvunget ind falder målet {drop}",
        "alt_waiver_up": "med dispensation: målet stiger {amount}",
        "alt_waiver_down": "med dispensation: målet falder {amount}",
        # document.py -------------------------------------------------------------------
        "heading_status": "Status for puljen",
        "heading_project": "Fremskrivning af puljen",
        "heading_select": "Udvælgelse af ansøgninger",
        "amounts_in": (
            "Beløb i {unit}, {price_level}-p/l; afrundet ved visning. Periode {first}-{last}."
        ),
        "other_levels": (
            "Bemærk: nogle cases er i andre p/l-niveauer ({levels}); beløbene er ikke omregnet."
        ),
        "t_pool": "Puljen pr. år",
        "r_opening": "Saldo primo",
        "r_capital": "Kapital",
        "r_injections": "Indskud",
        "r_grants": "Bevillinger ud",
        "r_repayments": "Tilbagebetalinger ind",
        "r_closing": "Saldo ultimo",
        "not_included": " (ikke med)",
        "t_cases": "Ansøgninger: bevilget, tilbagebetalt og restgæld",
        "c_application": "Ansøgning",
        "c_status": "Status",
        "c_repayment": "Tilbagebetaling",
        "c_granted": "Bevilget",
        "c_repaid": "Tilbagebetalt",
        "c_outstanding": "Restgæld {year}",
        "c_repaid_year": "Tilbagebetalt år",
        "c_on_schedule": "Efter planen",
        "n_cases": (
            "Verserende ansøgninger regnes som bevilget med det ansøgte beløb, når de er med. "
            "'Efter planen': tilbagebetalt inden for perioden og dækket af casens "
            "nettobesparelser."
        ),
        "t_repaid": "Tilbagebetaling pr. år",
        "t_outstanding": "Restgæld ultimo pr. år",
        "t_risk_balance": "Risiko: saldo ultimo ({draws} trækninger, frø {seed})",
        "r_p50": "P50 (median)",
        "r_p_negative": "P(saldo < 0), %",
        "t_risk_cases": "Risiko pr. ansøgning",
        "c_p_on_schedule": "P(efter planen), %",
        "c_p_repaid": "P(tilbagebetalt i perioden), %",
        "c_expected_repaid": "Forventet tilbagebetalt",
        "n_risk_cases": (
            "Tilbagebetaling som andel af besparelser falder med besparelserne; faste "
            "beløb og egne planer står fast, og risikoen er, at besparelserne ikke dækker dem."
        ),
        "n_risk": (
            "Hver case simuleres med sine egne usikre parametre (docs/uncertainty.md); "
            "casernes usikkerheder er indbyrdes uafhængige."
        ),
        "goal": (
            "Mål: størst {expected}{objective}; heltalsprogram (HiGHS): {status}, gap {gap}. "
            "Mål i alt: {value} ({unit})"
        ),
        "expected_prefix": "forventet ",
        "t_compare": "Sammenligning",
        "c_investment": "Investering",
        "c_grant": "Bevilling",
        "c_external": "Ekstern medfinansiering",
        "c_own_net": "Egen nettoudgift",
        "c_pb_service": "TBT service (år)",
        "c_pb_total": "TBT total (år)",
        "c_npv": "NPV",
        "c_expected_npv": "Forventet NPV",
        "c_roi": "ROI",
        "c_p_target": "P(TBT ≤ mål, {basis}), %",
        "n_compare": (
            "ROI = nettobesparelse over casens horisont (besparelser minus udgifter og "
            "investeringer, alle linjer, ikke tilbagediskonteret) / investeringer. NPV: casens "
            "diskonteringsrente. Egen nettoudgift: uden eksternt finansierede linjer og "
            "medfinansiering (negativ = nettobesparelse). TBT: tilbagebetalingstid (år 1 = casens "
            "første år); tomt felt = ikke inden for horisonten."
        ),
        "t_choice": "Valg",
        "c_in": "Inde",
        "c_value": "Værdi i målet",
        "c_why": "Hvorfor",
        "c_alternative": "Næstbedste alternativ",
        "t_capital": "Puljens kapital og de valgtes udestående (kumulativt)",
        "r_available": "Kapital til rådighed",
        "r_used": "Udestående for de valgte",
        "r_free": "Ledigt",
        # faces.py ----------------------------------------------------------------------
        "severity": {  # one, many
            "error": ("fejl", "fejl"),
            "warning": ("advarsel", "advarsler"),
            "info": ("bemærkning", "bemærkninger"),
        },
        "findings": "Fund",
        "finding_columns": ["Alvor", "Kode", "Ansøgning", "År", "Besked"],
        "no_findings": "Ingen fund: reglerne er overholdt, og saldoen er ikke negativ.",
        "no_findings_short": "Ingen fund.",
        "sheet_pool": "Pulje",
        "chart_title": "Puljens saldo ultimo",
        "chart_plain": "Beregnet",
        "written": "Skrevet: {path}",
        "no_suffix": "(ingen endelse)",
        "bad_report": "{path}: ukendt rapportformat {suffix!r}; brug {suffixes}",
        "bad_chart": "{path}: ukendt figurformat {suffix!r}; brug .png eller .svg",
    },
    "en": {
        "basis": {"service": "service efficiency", "total": "total economy"},
        "status": {"approved": "approved", "rejected": "rejected", "pending": "pending"},
        "kind": {"fixed": "fixed amount", "share": "share of savings", "schedule": "own schedule"},
        "unit": {"kr.": "kr.", "1.000 kr.": "1,000 kr.", "mio. kr.": "m kr."},
        "money_m": "{x} m kr.",
        "money_kr": "{x} kr.",
        "yes": "yes",
        "no": "no",
        "scope": {
            "approved": "approved applications",
            "approved+pending": "approved and pending applications",
            "chosen": "the chosen applications",
        },
        "not_in_horizon": "not within the case's horizon",
        "n_years": "{n:.0f} years",
        "payback_too_long": "{who}: payback period ({basis}) {got} > the rule's {limit} years",
        "grant_too_large": "{who}: total grant {grant} > the cap of {limit}",
        "share_too_large": (
            "{who}: {grant} is {share:.0f}% of the pool's total capital ({total}); "
            "the rule is at most {limit:.0f}%"
        ),
        "repay_never": "never within the period",
        "repay_in": "in {year:.0f} (year {case_year:.0f} of the case)",
        "repay_late": (
            "{who}: repayment starts {got}; the rule is year {n} of the case at the latest "
            "({deadline})"
        ),
        "repay_before_savings": (
            "{who}: by {year}, {repaid} has been repaid in total, but the case's cumulative "
            "net savings up to and including {year} are {saved}"
        ),
        "not_repaid": "{who}: {left} of {grant} is not repaid by the end of {year}",
        "request_differs": (
            "{who}: requested {asked}, but the case's lines with funding: pool come to {from_case}"
        ),
        "negative_balance": (
            "the pool's balance is negative at the end of {year}: {amount} (negative in "
            "{years}; includes {scope})"
        ),
        "objective": {"npv": "net present value", "savings": "net savings over the horizon"},
        "short": {"npv": "NPV", "savings": "net savings"},
        "in_approved": "in: already approved",
        "out_rejected": "out: rejected",
        "date_suffix": " ({date})",
        "out_rule": "out: {texts}",
        "out_infeasible": "out: the approved applications alone do not fit in the pool",
        "in_best": "in: highest {short} per krone",
        "in_ranked": "in: {short} per krone {per_krone} (no. {k} of {n} chosen)",
        "out_not_positive": "out: {short} is not positive ({value})",
        "out_no_room": "out: does not fit in the pool in {year} ({missing} short)",
        "out_no_gain": "out: does not add to the objective",
        "alt_no_room": "cannot get in: the pool has no room, even without the others",
        "alt_without": "without it the objective falls by {drop}",
        "alt_forced": "forced in, the objective falls by {drop}",
        "alt_waiver_up": "with an exemption: the objective rises by {amount}",
        "alt_waiver_down": "with an exemption: the objective falls by {amount}",
        "heading_status": "Status of the pool",
        "heading_project": "Projection of the pool",
        "heading_select": "Selection of applications",
        "amounts_in": (
            "Amounts in {unit}, {price_level} prices; rounded for display. Period {first}-{last}."
        ),
        "other_levels": (
            "Note: some cases are at other price levels ({levels}); the amounts are not converted."
        ),
        "t_pool": "The pool per year",
        "r_opening": "Opening balance",
        "r_capital": "Capital",
        "r_injections": "Injections",
        "r_grants": "Grants out",
        "r_repayments": "Repayments in",
        "r_closing": "Closing balance",
        "not_included": " (not included)",
        "t_cases": "Applications: granted, repaid and outstanding",
        "c_application": "Application",
        "c_status": "Status",
        "c_repayment": "Repayment",
        "c_granted": "Granted",
        "c_repaid": "Repaid",
        "c_outstanding": "Outstanding {year}",
        "c_repaid_year": "Year repaid",
        "c_on_schedule": "On schedule",
        "n_cases": (
            "Pending applications count as granted the amount requested when they are "
            "included. 'On schedule': repaid within the period and covered by the case's net "
            "savings."
        ),
        "t_repaid": "Repayment per year",
        "t_outstanding": "Outstanding at year end",
        "t_risk_balance": "Risk: closing balance ({draws} draws, seed {seed})",
        "r_p50": "P50 (median)",
        "r_p_negative": "P(balance < 0), %",
        "t_risk_cases": "Risk per application",
        "c_p_on_schedule": "P(on schedule), %",
        "c_p_repaid": "P(repaid within the period), %",
        "c_expected_repaid": "Expected repaid",
        "n_risk_cases": (
            "Repayment as a share of savings falls with the savings; fixed amounts and own "
            "schedules stay fixed, and the risk is that the savings do not cover them."
        ),
        "n_risk": (
            "Each case is simulated with its own uncertain parameters (docs/uncertainty.md); "
            "the cases' uncertainties are independent of each other."
        ),
        "goal": (
            "Objective: largest {expected}{objective}; integer programme (HiGHS): {status}, "
            "gap {gap}. Objective in total: {value} ({unit})"
        ),
        "expected_prefix": "expected ",
        "t_compare": "Comparison",
        "c_investment": "Investment",
        "c_grant": "Grant",
        "c_external": "External co-funding",
        "c_own_net": "Own net cost",
        "c_pb_service": "Payback service (years)",
        "c_pb_total": "Payback total (years)",
        "c_npv": "NPV",
        "c_expected_npv": "Expected NPV",
        "c_roi": "ROI",
        "c_p_target": "P(payback ≤ target, {basis}), %",
        "n_compare": (
            "ROI = net savings over the case's horizon (savings minus costs and investments, "
            "all lines, undiscounted) / investments. NPV: the case's discount rate. Own net "
            "cost: without externally funded lines and co-funding (negative = net saving). "
            "Payback: payback period (year 1 = the case's first year); empty = not within the "
            "horizon."
        ),
        "t_choice": "Choice",
        "c_in": "In",
        "c_value": "Value in the objective",
        "c_why": "Why",
        "c_alternative": "Next-best alternative",
        "t_capital": "The pool's capital and the chosen applications' outstanding (cumulative)",
        "r_available": "Capital available",
        "r_used": "Outstanding for the chosen",
        "r_free": "Free",
        "severity": {
            "error": ("error", "errors"),
            "warning": ("warning", "warnings"),
            "info": ("note", "notes"),
        },
        "findings": "Findings",
        "finding_columns": ["Severity", "Code", "Application", "Year", "Message"],
        "no_findings": "No findings: the rules are kept and the balance is not negative.",
        "no_findings_short": "No findings.",
        "sheet_pool": "Pool",
        "chart_title": "The pool's closing balance",
        "chart_plain": "Calculated",
        "written": "Written: {path}",
        "no_suffix": "(no suffix)",
        "bad_report": "{path}: unknown report format {suffix!r}; use {suffixes}",
        "bad_chart": "{path}: unknown chart format {suffix!r}; use .png or .svg",
    },
}


def labels(lang: str = "da") -> dict:
    """The label table of `lang` ('da' or 'en'); ValueError for any other language."""
    try:
        return LABELS[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; use da or en") from None
