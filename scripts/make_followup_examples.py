"""Write the synthetic follow-up examples under examples/followup/ (fixed seed, reproducible).

    python scripts/make_followup_examples.py [OUT_DIR]

- fit-sessions.csv: FIT sessions (ORS/SRS) in the family houses of seed 003 (BU06, FIT),
  2017–2019, four invented teams;
- adbb-screenings.csv: ADBB screenings by health visitors in the pilot of seed 000 (Tidlig
  indsats 0–2 år), 2017–2019;
- fit-familiebehandling.criteria.yaml and tidlig-indsats-0-2.criteria.yaml: the success
  criteria of both seeds' "Opfølgning" sections as data (criteria + measurements), fragments
  for a follow-up file (docs/followup-measures.md).

- postings-fit.csv, postings-tidlig-indsats.csv: the finance system's posting exports for
  2017–2019 (semicolon CSV saved by Excel: BOM, CRLF, quoted texts with `;`, dd-mm-yyyy,
  `-1234,50`), monthly postings per mapped account with a correction and unmapped lines;
- fit-familiebehandling.followup.yaml, tidlig-indsats-0-2.followup.yaml: the two follow-up
  files (docs/followup.md) tying case, index, mapping, postings, criteria and FIT/ADBB data
  together (`socinvest followup status CASE FOLLOWUP`).

Everything here is SYNTHETIC: invented people, scores and targets, drawn from a fixed seed so
that a test can re-run the script and compare byte for byte. Only the criteria's wording,
responsible and due dates come from the seeds.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "followup"
SEED = 20170101
TEAMS = ("Familiehus Nord", "Familiehus Syd", "Familiehus Vest", "Familiehus Øst")
CUT = {"child": 32.0, "adolescent": 28.0, "adult": 25.0}
START, END = dt.date(2017, 1, 2), dt.date(2019, 12, 31)
NOTE = "SYNTETISKE DATA – genereret af scripts/make_followup_examples.py (fast seed); ikke rigtige personer"


def _dk(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def fit_sessions(rng: np.random.Generator) -> list[str]:
    """Courses start through 2017–2019; FIT (from 2018) shortens them a little (the case's
    3 of 80 FTE) and lifts the outcome slightly. Sessions after 2019 are not in the file."""
    rows = ["client_id;course_id;team;date;age_group;ors;srs"]
    span = (dt.date(2019, 10, 1) - START).days
    client = 0
    for course in range(1, 2001):
        if course == 1 or rng.random() > 0.1:  # one client in ten has a second course
            client += 1
        start = START + dt.timedelta(days=int(rng.integers(0, span)))
        team = TEAMS[int(rng.integers(0, len(TEAMS)))]
        group = ("child", "adolescent", "adult")[int(rng.choice(3, p=[0.3, 0.3, 0.4]))]
        fit_on = start >= dt.date(2018, 1, 1)
        if rng.random() < 0.12:
            n = int(rng.integers(1, 3))  # drop-out: one or two sessions
        else:
            n = int(np.clip(rng.normal(11.5 - 1.0 * fit_on, 3), 3, 24))
        intake = float(np.clip(rng.normal(CUT[group] - 6, 5), 2, 40))
        gain = rng.normal(5.5 + 1.0 * fit_on, 7.0)
        day = start
        for k in range(n):
            if day > END:
                break
            ors = intake + gain * k / max(n - 1, 1) + rng.normal(0, 1.2) * (k > 0)
            srs = float(np.clip(rng.normal(38.2, 1.6), 20, 40))
            rows.append(
                f"K{client:05d};F{course:04d};{team};"
                f"{day.isoformat()};{group};{_dk(float(np.clip(ors, 0, 40)))};{_dk(srs)}"
            )
            day += dt.timedelta(days=int(rng.integers(10, 22)))
    return rows


def adbb_screenings(rng: np.random.Generator) -> list[str]:
    """About 15 % of the children are flagged (afsnit 3: ca. 15 % i begyndende mistrivsel);
    most flagged children are re-screened within two months, two in three of them resolved."""
    rows = ["child_id;date;age_months;" + ";".join(f"i{k}" for k in range(1, 9))]
    intro = dt.date(2017, 4, 1)  # after the first three months of 2017 (afsnit 5)
    span = (dt.date(2019, 11, 1) - intro).days
    for child in range(1, 901):
        day = intro + dt.timedelta(days=int(rng.integers(0, span)))
        age = int(rng.integers(2, 13))
        flagged = rng.random() < 0.15
        visits = 1 + int(rng.random() < 0.35)
        if flagged:
            visits = 1 + int(rng.random() < 0.85)
        for v in range(visits):
            if day > END or age > 24:
                break
            withdrawn = flagged and (v == 0 or rng.random() < 0.35)
            items = rng.choice(5, size=8, p=[0.70, 0.22, 0.06, 0.015, 0.005])
            while withdrawn and items.sum() < 5:
                items[int(rng.integers(0, 8))] += 1
            while not withdrawn and items.sum() >= 5:
                items[int(np.argmax(items))] -= 1
            rows.append(
                f"B{child:05d};{day.isoformat()};{age};" + ";".join(str(int(i)) for i in items)
            )
            gap = int(rng.integers(21, 56)) if flagged and v == 0 else int(rng.integers(60, 180))
            day += dt.timedelta(days=gap)
            age += gap // 30
    return rows


def _mean_lengths(path: Path) -> tuple[float, dict[dt.date, float]]:
    """Seed 003's criterion from the sessions: the baseline is the mean length (days) of the
    courses that started in 2017 (before FIT), the measurements the mean length of the courses
    ending in each half year, all family houses (courses of at least two sessions)."""
    sys.path.insert(0, str(ROOT / "src"))
    from socinvest.followup.fit import courses, half_year, read_sessions

    c = courses(read_sessions(path))
    keep = c.sessions > 1
    half = half_year(c.end[keep])
    out = {}
    for h in np.unique(half):
        year, second = divmod(int(h), 2)
        end = dt.date(year, 12, 31) if second else dt.date(year, 6, 30)
        out[end] = round(float(c.days[keep][half == h].mean()), 1)
    before = keep & (c.start < dt.date(2018, 1, 1).toordinal())
    return round(float(c.days[before].mean()), 1), out


def fit_criteria(base: float, lengths: dict[dt.date, float]) -> dict:
    due = [dt.date(2018, 6, 30), dt.date(2018, 12, 31), dt.date(2019, 6, 30), dt.date(2019, 12, 31)]
    synthetic = "syntetisk eksempel (scripts/make_followup_examples.py)"
    return {
        "criteria": [
            {
                "id": "shorter_courses",
                "label": "Forløb i familiehuse og sikkerhedsplansgrupperne kortes ned",
                "indicator": "Gennemsnitlig forløbslængde i familiehusene (dage fra første til "
                "seneste FIT-session, forløb med mindst to sessioner); CSC Social",
                "unit": "dage",
                "baseline": base,
                "baseline_date": dt.date(2017, 12, 31),
                "target": round(base * 77 / 80, 1),
                "direction": "down",
                "responsible": "Borgercenter Børn og Unge",
                "due": due,
                "source": "Seed 003 afsnit 1.7 (midt 2018 og løbende hvert halve år); mål: "
                "længden × 77/80 (tabel 4: 80 → 77 årsværk); udgangspunkt 2017 og målinger: "
                + synthetic,
            },
            {
                "id": "fit_trained",
                "label": "Implementering af FIT i familiehuse",
                "indicator": "Familiebehandlere uddannet i FIT (opstart og løbende uddannelse)",
                "unit": "medarbejdere",
                "baseline": 0,
                "baseline_date": dt.date(2017, 1, 1),
                "target": 75,
                "direction": "up",
                "responsible": "Borgercenter Børn og Unge",
                "due": [dt.date(2017, 6, 30), dt.date(2017, 12, 31)],
                "source": "Seed 003 afsnit 1.4: 75-80 familiebehandlere; uddannelsen er budgetteret "
                "i 2017 (tabel 3), så målet er sat til udgangen af 2017; målinger: " + synthetic,
            },
        ],
        "measurements": [
            *(
                {"criterion": "shorter_courses", "date": d, "value": v}
                for d, v in sorted(lengths.items())
                if d >= dt.date(2018, 6, 30)
            ),
            {"criterion": "fit_trained", "date": dt.date(2017, 6, 30), "value": 31},
            {"criterion": "fit_trained", "date": dt.date(2017, 12, 31), "value": 72},
        ],
    }


def adbb_criteria() -> dict:
    who = "Børne- og Ungdomsforvaltningen (Center for Policy) og Socialforvaltningen (Center for Politik)"
    due = [dt.date(2018, 6, 30), dt.date(2019, 12, 31)]
    illustrative = (
        "Seed 000 afsnit 9 (ved slutningen af projektperioden; midtvejsevaluering midt i "
        "perioden); sagen angiver intet tal: udgangspunkt, mål og målinger er et syntetisk "
        "eksempel (scripts/make_followup_examples.py)"
    )
    rows = [
        ("participants", "Flere udsatte børn og familier får en tidligere og forebyggende indsats",
         "Antallet af børn og familier, der har deltaget i projektet", "familier", 150, [(dt.date(2018, 6, 30), 61), (dt.date(2019, 12, 31), 138)]),
        ("no_support_daycare", "Færre børn med behov for støtte i dagtilbuddet",
         "Antallet af børn fra projektet uden behov for støtte i dagtilbuddet", "børn", 100, [(dt.date(2018, 6, 30), 35), (dt.date(2019, 12, 31), 97)]),
        ("no_measures", "Færre børn får behov for en foranstaltning senere i livet",
         "Antallet af børn fra projektet uden foranstaltninger ved projektets slutning", "børn", 120, [(dt.date(2018, 6, 30), 40)]),
    ]  # fmt: skip
    return {
        "criteria": [
            {
                "id": cid,
                "label": label,
                "indicator": indicator,
                "unit": unit,
                "baseline": 0,
                "baseline_date": dt.date(2017, 4, 1),
                "target": target,
                "direction": "up",
                "responsible": who,
                "due": due,
                "source": illustrative,
            }
            for cid, label, indicator, unit, target, _ in rows
        ],
        "measurements": [
            {"criterion": cid, "date": d, "value": v} for cid, *_, ms in rows for d, v in ms
        ],
    }


class _Plain(yaml.SafeDumper):
    """No anchors/aliases: each criterion's dates written out (the files are for people)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _yaml(header: str, data: dict) -> str:
    body = yaml.dump(data, Dumper=_Plain, sort_keys=False, allow_unicode=True, width=100)
    return f"# {NOTE}\n# {header}\n" + body


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    fit_path = out / "fit-sessions.csv"
    fit_path.write_text("\n".join(fit_sessions(rng)) + "\n", encoding="utf-8")
    (out / "adbb-screenings.csv").write_text(
        "\n".join(adbb_screenings(rng)) + "\n", encoding="utf-8"
    )
    (out / "fit-familiebehandling.criteria.yaml").write_text(
        _yaml(
            "Succeskriterier for examples/fit-familiebehandling.yaml (seed 003) til en opfølgningsfil",
            fit_criteria(*_mean_lengths(fit_path)),
        ),
        encoding="utf-8",
    )
    (out / "tidlig-indsats-0-2.criteria.yaml").write_text(
        _yaml(
            "Succeskriterier for examples/tidlig-indsats-0-2.yaml (seed 000) til en opfølgningsfil",
            adbb_criteria(),
        ),
        encoding="utf-8",
    )
    write_followups(out)
    (out / "README.md").write_text(
        "# Synthetic follow-up examples\n\n"
        f"{NOTE}.\n\n"
        "The files below are **synthetic** (invented clients, children, scores, targets and "
        "measurements), written by `python scripts/make_followup_examples.py` with a fixed "
        "seed; `tests/test_followup_kpi.py` re-runs it and checks that the files are identical. "
        "(Other files in this folder are described in docs/followup.md.)\n\n"
        "| file | what |\n|---|---|\n"
        "| fit-sessions.csv | FIT sessions (ORS/SRS), family houses of seed 003, 2017–2019 |\n"
        "| adbb-screenings.csv | ADBB screenings, pilot of seed 000, 2017–2019 |\n"
        "| fit-familiebehandling.criteria.yaml | seed 003's success criteria and measurements |\n"
        "| tidlig-indsats-0-2.criteria.yaml | seed 000's success criteria and measurements |\n"
        "| postings-fit.csv, postings-tidlig-indsats.csv | posting exports 2017–2019 (kr., "
        "current prices) |\n"
        "| fit-familiebehandling.followup.yaml | follow-up file of seed 003 (FIT) |\n"
        "| tidlig-indsats-0-2.followup.yaml | follow-up file of seed 000 (ADBB) |\n\n"
        "Try: `socinvest followup status examples/fit-familiebehandling.yaml "
        "examples/followup/fit-familiebehandling.followup.yaml`.\n\n"
        "Formats: docs/followup-measures.md.\n",
        encoding="utf-8",
    )


# -- posting exports and follow-up files (F3) -------------------------------------------------

POSTING_SEED = 20170102
"""A seed of its own, so the files above stay as they were."""
YEARS = (2017, 2018, 2019)
# Realised share of the plan (case p/l) per line and year: the story of each synthetic
# follow-up (savings come later or smaller than planned; investments a little dearer).
FIT_SHARES = {
    "shorter_family_treatment": {2018: 0.85, 2019: 0.95},
    "shorter_safety_plans": {2018: 1.00, 2019: 1.02},
    "fit_training": {2017: 1.013},
    "fit_ipads": {2017: 1.06, 2018: 1.00, 2019: 1.06},
}
TIDLIG_SHARES = {
    "team_buf": {2017: 1.00, 2018: 1.01, 2019: 0.97},
    "team_sof": {2017: 1.02, 2018: 0.99, 2019: 1.00},
    "savings_measures": {2017: 0.80, 2018: 0.90, 2019: 0.95},
    "team_establishment": {2017: 1.00, 2018: 1.00},
    "competence": {2017: 1.03},
    "adbb": {2017: 0.95},
}
FIT_ACCOUNTS = {  # line -> (account, cost centres, text)
    "shorter_family_treatment": ("5.28.21.1", ("FH01", "FH02"), "Løn; familiebehandlere"),
    "shorter_safety_plans": ("5.28.21.1", ("SP01",), "Løn; sikkerhedsplansgrupper"),
    "fit_training": ("5.28.21.4", ("",), "FIT-uddannelse og certificering"),
    "fit_ipads": ("5.28.21.5", ("",), "iPads og evalueringssoftware"),
}
TIDLIG_ACCOUNTS = {
    "team_buf": ("4.62.88.1", ("TIBUF",), "Løn; sundhedsplejersker, tværfagligt team"),
    "team_sof": ("5.28.21.1", ("TISOF",), "Løn; socialrådgivere, tværfagligt team"),
    "savings_measures": ("5.28.21.2", ("",), "Sparede foranstaltninger (opgjort)"),
    "team_establishment": ("5.28.21.8", ("TIETB",), "Etablering af tværfagligt team"),
    "competence": ("5.28.21.7", ("TIKOMP",), "Fælles kompetenceudvikling"),
    "adbb": ("4.62.88.7", ("",), "ADBB-certificering"),
}


def _kr(ore: int) -> str:
    """Øre as the finance system writes kr.: `-1234,50`."""
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100},{abs(ore) % 100:02d}"


def _text(t: str) -> str:
    return f'"{t}"' if ";" in t else t


def _index(out: Path) -> dict:
    return yaml.safe_load((out / "price-index.yaml").read_text(encoding="utf-8"))["kinds"]


def postings(
    rng: np.random.Generator,
    case_path: Path,
    mapping_path: Path,
    shares: dict,
    accounts: dict,
    index: dict,
    cc_name: str,
    unmapped: list[tuple[str, str, str, int]],
) -> list[str]:
    """Monthly postings per line and year (kr., current prices) that add up, to the øre, to
    the plan × the line's realised share, restated from the case's p/l to each year's prices
    by the line's index kind; one correction pair per line and year; unmapped lines as
    given. Sorted by date, as an export is."""
    sys.path.insert(0, str(ROOT / "src"))
    from socinvest.engine.resolve import evaluate
    from socinvest.services.case import load_case

    case = load_case(case_path)
    mapping = yaml.safe_load(mapping_path.read_text(encoding="utf-8"))
    plan = evaluate(case).amounts[0]
    ids = [ln.id for ln in case.lines]
    records: list[tuple[dt.date, str, str, str, int]] = []
    for line, by_year in shares.items():
        kind = mapping["lines"][line].get("index", mapping.get("default_index", "service_prices"))
        account, centres, text = accounts[line]
        for year, share in by_year.items():
            fixed = plan[ids.index(line), year - case.horizon.first] * share
            factor = index[kind][year] / index[kind][case.price_level]
            total = int(round(fixed * factor * case.unit.factor * 100))
            weights = rng.dirichlet(np.full(12, 8.0))
            parts = [int(round(total * w)) for w in weights]
            parts[-1] += total - sum(parts)  # to the øre
            for month, ore in enumerate(parts, start=1):
                cc = centres[month % len(centres)]
                day = dt.date(year, month, int(rng.integers(1, 28)))
                records.append((day, account, cc, text, ore))
            wrong = int(rng.integers(1_000, 50_000)) * 100  # a posting booked, then reversed
            day = dt.date(year, int(rng.integers(2, 12)), 15)
            records.append((day, account, centres[0], f"{text} (fejlpostering)", wrong))
            records.append((day + dt.timedelta(days=10), account, centres[0], "Korrektion", -wrong))
    for date_text, account, cc, ore in unmapped:
        day = dt.datetime.strptime(date_text, "%d-%m-%Y").date()
        records.append((day, account, cc, "Ikke fordelt", ore))
    records.sort(key=lambda r: (r[0], r[1], r[2]))
    rows = [f"Konto;{cc_name};Bogføringsdato;Tekst;Beløb"]
    for day, account, cc, text, ore in records:
        rows.append(f"{account};{cc};{day.strftime('%d-%m-%Y')};{_text(text)};{_kr(ore)}")
    return rows


def _criteria(out: Path, name: str) -> dict:
    return yaml.safe_load((out / f"{name}.criteria.yaml").read_text(encoding="utf-8"))


def fit_followup(out: Path) -> dict:
    return {
        "case": "../fit-familiebehandling.yaml",
        "synthetic": True,
        "note": NOTE,
        "price_index": "price-index.yaml",
        "mapping": "mapping-fit.yaml",
        "postings": ["postings-fit.csv"],
        "activity": {
            "fte_family_houses": {2018: 2.5, 2019: 3},
            "fte_safety_plans": {2018: 3, 2019: 3},
        },
        "repayments": {2018: 600, 2019: 1200},
        "thresholds": {"watch": {"percent": 5}, "alert": {"percent": 10, "absolute": 50}},
        "forecast": {"rule": "scale", "lines": ["shorter_family_treatment"]},
        "as_of": dt.date(2019, 12, 31),
        "pool": {"file": "../pool/pool.yaml", "application": "bu06-fit"},
        "fit_sessions": "fit-sessions.csv",
        **_criteria(out, "fit-familiebehandling"),
    }


def tidlig_followup(out: Path) -> dict:
    return {
        "case": "../tidlig-indsats-0-2.yaml",
        "synthetic": True,
        "note": NOTE,
        "price_index": "price-index.yaml",
        "mapping": "mapping-tidlig-indsats.yaml",
        "postings": ["postings-tidlig-indsats.csv"],
        "actuals": {"savings_norms": {2017: -4420, 2018: -4510, 2019: -4950}},
        "activity": {"fte_buf": {2017: 9, 2018: 9, 2019: 8.5}},
        "thresholds": {"watch": {"percent": 5}, "alert": {"percent": 10, "absolute": 100}},
        "forecast": {"rule": "scale"},
        "as_of": dt.date(2019, 12, 31),
        "conditioning": {"draws": 20000, "seed": 2024, "obs_sd": 0.1},
        "pool": {"file": "../pool/pool.yaml", "application": "tidlig-0-2"},
        "adbb_screenings": "adbb-screenings.csv",
        "adbb_children": 1000,
        **_criteria(out, "tidlig-indsats-0-2"),
    }


def write_followups(out: Path) -> None:
    """The posting exports and follow-up files of both cases (module docstring)."""
    rng = np.random.default_rng(POSTING_SEED)
    index = _index(OUT)  # the committed index and mappings (not written here)
    for name, case_file, mapping, shares, accounts, cc_name, unmapped in (
        ("fit", "fit-familiebehandling.yaml", "mapping-fit.yaml", FIT_SHARES,
         FIT_ACCOUNTS, "Omkostningssted",
         [("15-03-2018", "5.28.21.9", "", -24_500_00), ("14-03-2019", "5.28.21.9", "", -25_100_00)]),
        ("tidlig-indsats", "tidlig-indsats-0-2.yaml", "mapping-tidlig-indsats.yaml",
         TIDLIG_SHARES, TIDLIG_ACCOUNTS, "Aktivitet",
         [("30-06-2018", "4.62.80.1", "TIBUF", 12_345_50)]),
    ):  # fmt: skip
        rows = postings(
            rng, ROOT / "examples" / case_file, OUT / mapping, shares, accounts, index,
            cc_name, unmapped,
        )  # fmt: skip
        data = "\r\n".join(rows) + "\r\n"
        (out / f"postings-{name}.csv").write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    for stem, data in (
        ("fit-familiebehandling", fit_followup(out)),
        ("tidlig-indsats-0-2", tidlig_followup(out)),
    ):
        text = _yaml(f"Opfølgningsfil for examples/{stem}.yaml (docs/followup.md)", data)
        (out / f"{stem}.followup.yaml").write_text(
            "# yaml-language-server: $schema=../../docs/followup.schema.json\n" + text,
            encoding="utf-8",
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
