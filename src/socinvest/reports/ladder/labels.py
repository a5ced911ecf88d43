"""Every user-facing text of the ladder faces in Danish and English (one table, no if/else in
the faces). Danish is the default; `T[lang][key]` holds a text or a `str.format` template.

Step labels come from the ladder file (`label`, and `label_en` when given): `step_labels`.
"""

from __future__ import annotations

LANGS = ("da", "en")

T: dict[str, dict[str, str]] = {
    "da": {
        # project
        "project_title": "{title}: børn pr. trin 31. december ({engine})",
        "total": "I alt",
        "mix_title": "Anbringelser: fordeling på anbringelsestrin (andel af børneår)",
        "no_costs": "Udgifter vises ikke: priserne i trappen er ikke udfyldt (value: null).",
        "cost_title": "Udgift pr. trin ({unit}, {price_level})",
        "cost_caption": "Børneår × pris pr. barn pr. år. Afrundet ved visning.",
        "thousand_of": "1.000 {unit}",
        "times_thousand": "×1.000",
        "price_level": "{year} p/l",
        # compare
        "cmp_children_title": "Børn pr. trin 31. december: basis → strategi",
        "cmp_mix_title": "Anbringelser: andel på hvert trin (basis → strategi)",
        "cmp_no_costs": "Udgifter og besparelser vises ikke: priserne i trappen er ikke udfyldt.",
        "cmp_cost_title": "Udgift og besparelse ({unit}, {price_level})",
        "cmp_cost_caption": "Besparelse = basis − strategi (positiv: strategien koster mindre). "
        "Afrundet ved visning.",
        "cost_baseline": "Udgift, basis",
        "cost_strategy": "Udgift, strategi",
        "savings_total": "[bold]Besparelse i alt[/]",
        "mc_title": "Usikkerhed på besparelsen ({unit}; {draws} trækninger, frø {seed})",
        "mc_caption": "Priser og effektstørrelser trukket fra deres fordelinger; "
        "Markov-fremskrivning.",
        "p5": "P5",
        "mean": "Middel",
        "p95": "P95",
        "p_positive": "Sandsynlighed for samlet besparelse > 0 over perioden: {p}",
        # fit
        "fit_summary": "{episodes} forløb for {children} børn; observeret {years} år; "
        "{censored} forløb censureret (åbne ved eksportdatoen, aldrede ud eller forlænget).",
        "fit_transitions_title": "Overgange pr. måned (hændelser / eksponering)",
        "col_from": "fra",
        "col_to": "til",
        "col_age": "alder",
        "col_months": "måneder i trin",
        "col_events": "hændelser",
        "col_exposure": "eksp. mdr.",
        "col_monthly": "pr. måned",
        "col_ci95": "95 %-interval",
        "fit_entries_title": "Nye børn pr. år",
        "col_step": "trin",
        "col_count": "antal",
        "col_per_year": "pr. år",
        # chart
        "chart_baseline": "{label} (basis)",
        "chart_strategy": "{label} (strategi)",
        "chart_x": "År",
        "chart_y": "Børn",
        "chart_title": "Børn pr. trin på indsatstrappen",
        # command line
        "chart_written": "Figur skrevet: {path}",
        "population_written": "Befolkningsfil skrevet: {path} – fremskriv med: "
        "socinvest ladder project {path}",
        "err_chart_suffix": "{path}: --chart skal slutte på .png eller .svg",
        "err_edges": "--{what}: skriv hele tal adskilt af komma, fx 0,3,6,12",
        "err_exists": "{path}: filen findes allerede; brug --force for at overskrive",
    },
    "en": {
        "project_title": "{title}: children per step on 31 December ({engine})",
        "total": "Total",
        "mix_title": "Placements: distribution over placement steps (share of child-years)",
        "no_costs": "Costs are not shown: the prices in the ladder are not filled in "
        "(value: null).",
        "cost_title": "Cost per step ({unit}, {price_level})",
        "cost_caption": "Child-years × price per child per year. Rounded for display.",
        "thousand_of": "1,000 {unit}",
        "times_thousand": "×1,000",
        "price_level": "{year} prices",
        "cmp_children_title": "Children per step on 31 December: baseline → strategy",
        "cmp_mix_title": "Placements: share in each step (baseline → strategy)",
        "cmp_no_costs": "Costs and savings are not shown: the prices in the ladder are not "
        "filled in.",
        "cmp_cost_title": "Cost and savings ({unit}, {price_level})",
        "cmp_cost_caption": "Savings = baseline − strategy (positive: the strategy costs less). "
        "Rounded for display.",
        "cost_baseline": "Cost, baseline",
        "cost_strategy": "Cost, strategy",
        "savings_total": "[bold]Total savings[/]",
        "mc_title": "Uncertainty of the savings ({unit}; {draws} draws, seed {seed})",
        "mc_caption": "Prices and effect sizes drawn from their distributions; Markov projection.",
        "p5": "P5",
        "mean": "Mean",
        "p95": "P95",
        "p_positive": "Probability of total savings > 0 over the period: {p}",
        "fit_summary": "{episodes} episodes of {children} children; {years} years observed; "
        "{censored} episodes censored (open at the export date, aged out or prolonged).",
        "fit_transitions_title": "Transitions per month (events / exposure)",
        "col_from": "from",
        "col_to": "to",
        "col_age": "age",
        "col_months": "months in step",
        "col_events": "events",
        "col_exposure": "exp. months",
        "col_monthly": "per month",
        "col_ci95": "95% interval",
        "fit_entries_title": "New children per year",
        "col_step": "step",
        "col_count": "count",
        "col_per_year": "per year",
        "chart_baseline": "{label} (baseline)",
        "chart_strategy": "{label} (strategy)",
        "chart_x": "Year",
        "chart_y": "Children",
        "chart_title": "Children per step on the intervention ladder",
        "chart_written": "Chart written: {path}",
        "population_written": "Population file written: {path} – project it with: "
        "socinvest ladder project {path}",
        "err_chart_suffix": "{path}: --chart must end in .png or .svg",
        "err_edges": "--{what}: write whole numbers separated by commas, e.g. 0,3,6,12",
        "err_exists": "{path}: the file already exists; use --force to overwrite it",
    },
}

# The unit of the ladder's costs (`kr.`, `1.000 kr.`, `mio. kr.`) as written in each language.
UNIT: dict[str, dict[str, str]] = {
    "da": {"kr.": "kr.", "1.000 kr.": "1.000 kr.", "mio. kr.": "mio. kr."},
    "en": {"kr.": "kr.", "1.000 kr.": "1,000 kr.", "mio. kr.": "m kr."},
}


def t(lang: str, key: str, **kw: object) -> str:
    """The text `key` in `lang`, filled in with `kw` when it is a template."""
    text = T[lang][key]
    return text.format(**kw) if kw else text


def unit(value: str, lang: str) -> str:
    return UNIT[lang].get(value, value)


def step_labels(tables, lang: str) -> tuple[str, ...]:
    """Labels of the tracked steps: the English `label_en` (falling back to the Danish
    `label` step by step) or the Danish `label`."""
    return tables.labels_en if lang == "en" and tables.labels_en else tables.labels
