"""The wording of the ladder's reports: catalogue msgids (Danish, the source language; English in
`i18n/locale/en/LC_MESSAGES/parts/ladder.po`), translated at use with `tr(label, ...)`.

Step labels are data from the ladder file (`label`, and `label_en` when given): `step_labels`.
"""

from __future__ import annotations

from ...i18n import N_, translator

KICKER = N_("Indsatstrappen")
TABLE = N_("Tabel {n}. {caption}")
FIGURE = N_("Figur {n}. {caption}")
FOOTER = N_("Beregnet med socinvest ladder ({engine}-fremskrivning).")
ENGINE = {"markov": N_("markov"), "micro": N_("micro")}

# project
SEC_CHILDREN = N_("Børn på trappen")
SEC_COSTS = N_("Udgifter")
CHILDREN_TITLE = N_("Børn pr. trin 31. december ({engine})")
TOTAL = N_("I alt")
MIX_TITLE = N_("Anbringelser: fordeling på anbringelsestrin (andel af børneår)")
NO_COSTS = N_("Udgifter vises ikke: priserne i trappen er ikke udfyldt (value: null).")
COST_TITLE = N_("Udgift pr. trin ({unit}, {price_level})")
COST_CAPTION = N_("Børneår × pris pr. barn pr. år. Afrundet ved visning.")
THOUSAND_OF = N_("1.000 {unit}")
TIMES_THOUSAND = N_("×1.000")
PRICE_LEVEL = N_("{year} p/l")

# compare
SEC_STRATEGY = N_("Basis og strategi")
SEC_SAVINGS = N_("Udgift og besparelse")
CMP_CHILDREN_TITLE = N_("Børn pr. trin 31. december: basis → strategi")
CMP_MIX_TITLE = N_("Anbringelser: andel på hvert trin (basis → strategi)")
CMP_NO_COSTS = N_("Udgifter og besparelser vises ikke: priserne i trappen er ikke udfyldt.")
CMP_COST_TITLE = N_("Udgift og besparelse ({unit}, {price_level})")
CMP_COST_CAPTION = N_(
    "Besparelse = basis − strategi (positiv: strategien koster mindre). Afrundet ved visning."
)
COST_BASELINE = N_("Udgift, basis")
COST_STRATEGY = N_("Udgift, strategi")
SAVINGS_TOTAL = N_("Besparelse i alt")
MC_TITLE = N_("Usikkerhed på besparelsen ({unit}; {draws} trækninger, frø {seed})")
MC_CAPTION = N_("Priser og effektstørrelser trukket fra deres fordelinger; Markov-fremskrivning.")
MC_CAPTION_RATES = N_(
    "Priser, effektstørrelser og de tilpassede rater (fra deres posteriorfordeling) trukket; "
    "Markov-fremskrivning."
)
P5 = N_("P5")
MEAN = N_("Middel")
P95 = N_("P95")
P_POSITIVE = N_("Sandsynlighed for samlet besparelse > 0 over perioden: {p}")
BAND = N_("P5–P95")
SAVINGS_CAPTION = N_("Besparelse pr. år ({unit}, {price_level}): basis − strategi")
SAVINGS_MC_CAPTION = N_(
    "Besparelse pr. år ({unit}, {price_level}): basis − strategi, med middel og P5–P95 over "
    "trækningerne"
)
KEY_FIGURES = N_("Nøgletal")
KEY_SAVINGS = N_("Besparelse i alt over perioden ({unit}, {price_level})")
KEY_P_POSITIVE = N_("Sandsynlighed for samlet besparelse > 0")

# fit
SEC_FIT = N_("Tilpasning fra forløb")
FIT_TITLE = N_("Tilpasning fra {file}")
FIT_SUMMARY = N_(
    "{episodes} forløb for {children} børn; observeret {years} år; {censored} forløb "
    "censureret (åbne ved eksportdatoen, aldrede ud eller forlænget)."
)
FIT_FOOTER = N_("Beregnet med socinvest ladder fit fra {file}.")
FIT_TRANSITIONS_TITLE = N_("Overgange pr. måned (hændelser / eksponering)")
FIT_ENTRIES_TITLE = N_("Nye børn pr. år")
FIT_NOTE = N_(
    "Hændelser / eksponering med eksakte 95 %-intervaller (Poisson, Garwood); åbne forløb "
    "censureret ved eksportdatoen."
)
COL_FROM = N_("fra")
COL_TO = N_("til")
COL_AGE = N_("alder")
COL_MONTHS = N_("måneder i trin")
COL_EVENTS = N_("hændelser")
COL_EXPOSURE = N_("eksp. mdr.")
COL_MONTHLY = N_("pr. måned")
COL_CI95 = N_("95 %-interval")
COL_STEP = N_("trin")
COL_COUNT = N_("antal")
COL_PER_YEAR = N_("pr. år")
FIT_TRANSITION_COLS = (
    COL_FROM,
    COL_TO,
    COL_AGE,
    COL_MONTHS,
    COL_EVENTS,
    COL_EXPOSURE,
    COL_MONTHLY,
    COL_CI95,
)
FIT_ENTRY_COLS = (COL_STEP, COL_AGE, COL_COUNT, COL_PER_YEAR, COL_CI95)

# chart
CHART_BASELINE = N_("{label} (basis)")
CHART_STRATEGY = N_("{label} (strategi)")
CHART_X = N_("År")
CHART_Y = N_("Børn")
CHART_TITLE = N_("Børn pr. trin på indsatstrappen")
CHART_CAPTION = N_("Børn pr. trin 31. december ({engine})")

# command line
CHART_WRITTEN = N_("Figur skrevet: {path}")
REPORT_WRITTEN = N_("Rapport skrevet: {path}")
POPULATION_WRITTEN = N_(
    "Befolkningsfil skrevet: {path} – fremskriv med: socinvest ladder project {path}"
)

# The unit of the ladder's costs (`kr.`, `1.000 kr.`, `mio. kr.`) as written in each language.
UNIT = {"kr.": N_("kr."), "1.000 kr.": N_("1.000 kr."), "mio. kr.": N_("mio. kr.")}


def unit(value: str, lang: str) -> str:
    tr = translator(lang)
    return tr(UNIT[value]) if value in UNIT else value


def step_labels(tables, lang: str) -> tuple[str, ...]:
    """Labels of the tracked steps: the English `label_en` (falling back to the Danish
    `label` step by step) or the Danish `label`."""
    return tables.labels_en if lang == "en" and tables.labels_en else tables.labels


# issue 13: the starting mix, uncertainty that includes the data, levers, cost mixes
START_COL = N_("1/1 {year}")
SEC_UNCERTAINTY = N_("Usikkerhed")
SEC_WARNINGS = N_("Advarsler om scenariet")
WARNINGS_TITLE = N_("Ændringer der ikke ændrer noget")
LEVER_IDLE = N_("Ændring uden virkning")
MC_CHILDREN_TITLE = N_(
    "Børn pr. trin 31. december: P50 (P5–P95) over {draws} trækninger, frø {seed}"
)
MC_CHILDREN_CMP_TITLE = N_(
    "Børn pr. trin 31. december, strategi: P50 (P5–P95) over {draws} trækninger, frø {seed}"
)
MC_CHILDREN_NOTE = N_("Trukket: {what}. P50 er medianen over trækningerne; intervallet er P5–P95.")
MC_DRAWN_RATES = N_(
    "overgangsrater og nye børn fra deres posteriorfordeling (hændelser og eksponering)"
)
MC_DRAWN_INPUTS = N_("priser og effektstørrelser fra deres fordelinger")
MC_COST_TITLE = N_("Udgift i alt: P5, P50 og P95 ({unit}; {draws} trækninger, frø {seed})")
P50 = N_("P50")
MC_TOTAL_FIGURE = N_("Børn i alt 31. december: P50 med P5–P95")
MC_TOTAL_CMP_FIGURE = N_("Børn i alt 31. december: basis og strategi, strategiens P5–P95")
CHART_TOTAL = N_("Børn i alt")
CHART_TOTAL_BASELINE = N_("Basis (P50)")
CHART_TOTAL_STRATEGY = N_("Strategi (P50)")
OBSERVED_FIGURE = N_("Børn pr. trin pr. måned: observeret til {start}, fremskrevet derefter")
MIX_SUBTYPES_TITLE = N_("Pris pr. barn for trin med undertyper ({unit}, {price_level})")
MIX_SUBTYPES_COLS = (N_("trin"), N_("undertype"), N_("andel"), N_("pris pr. barn pr. år"))
MIX_SUBTYPES_CMP_COLS = (
    N_("trin"),
    N_("undertype"),
    N_("andel, basis"),
    N_("andel, strategi"),
    N_("pris pr. barn pr. år"),
)
MIX_WEIGHTED = N_("vægtet pris")

# backtest
BT_TITLE = N_("Back-test af {file} fra {date}")
BT_FOOTER = N_("Beregnet med socinvest ladder backtest fra {file}.")
SEC_BT_SUMMARY = N_("Tilpasning og sammenligning")
BT_SUMMARY = N_(
    "Tilpasset på data før {at} ({years} år observeret); fremskrevet med Markov-motoren og "
    "sammenlignet med det observerede hver 31. december, så længe data rækker (til {end})."
)
BT_NO_BAND = N_(
    "Intet interval: befolkningsfilen har ikke hændelser og eksponering, eller --draws er 0."
)
BT_BAND_NOTE = N_(
    "Interval: P5–P95 af {draws} trækninger af raterne fra deres posteriorfordeling, hver med "
    "Poisson-støj på antallet af børn (frø {seed})."
)
SEC_BT_STEPS = N_("Pr. trin")
SEC_BT_AGES = N_("Pr. aldersgruppe")
SEC_BT_YEARS = N_("Pr. år")
BT_STEPS_TITLE = N_("Børn pr. trin 31. december {year}: observeret og fremskrevet")
BT_AGES_TITLE = N_("Børn pr. aldersgruppe 31. december: observeret / fremskrevet")
BT_YEARS_TITLE = N_("Børn i alt og nye børn pr. år: observeret og fremskrevet")
BT_COLS = (
    N_("trin"),
    N_("observeret"),
    N_("fremskrevet"),
    N_("fejl"),
    N_("fejl, %"),
    N_("P5–P95"),
    N_("inden for"),
)
BT_AGE_COLS = (
    N_("alder"),
    N_("31. december"),
    N_("observeret"),
    N_("fremskrevet"),
    N_("fejl, %"),
    N_("P5–P95"),
)
BT_YEAR_COLS = (
    N_("31. december"),
    N_("børn, observeret"),
    N_("børn, fremskrevet"),
    N_("fejl, %"),
    N_("P5–P95"),
    N_("nye børn, observeret"),
    N_("nye børn, fremskrevet"),
)
BT_KEY_ERROR = N_("Største fejl på børn i alt")
BT_KEY_COVERAGE = N_("Dækning af P5–P95 (trin × år)")
BT_KEY_YEARS = N_("År sammenlignet")
YES = N_("ja")
NO = N_("nej")
BT_FIGURE = N_("Børn i alt 31. december: observeret og fremskrevet")
CHART_OBSERVED = N_("Observeret")
CHART_PROJECTED = N_("Fremskrevet")
