"""The README's command lines run as tests.

Every `socinvest …` line of README.md's ```sh blocks is run in-process (CliRunner) in a
temporary folder holding a copy of the files it needs, with its outputs written there. Each line
must have an expectation below: the exit code the documentation gives and a property of the
output that comes from the seed documents (/work/shared/seeds/), the example files' own data
(counted or summed here) or a hand calculation written next to the check, not from output
captured earlier. A new README line without an expectation fails the suite.

Placeholders in the README stand for these files:
- `CASE` -> examples/tidlig-indsats-0-2.yaml (seed 000; it has uncertain parameters, so
  `simulate` and `sensitivity` have something to vary);
- `POOL` -> examples/pool/pool.yaml; `FILE` -> the ladder example for each subcommand;
- `tabel.txt` -> seed 003's tabel 2 (consistent: `check` exits 0);
  `tabel1.txt`, `tabel2.txt` -> seed 001's tabel 1 and 2;
- `DIR` -> `ws-files`, a folder inside the test's temporary folder;
- `a|b|c` in a command is three commands; `x A | y B` (a lone `|`) is `x A` and `x B`: the
  part after the bar replaces as many words at the end of the part before it.

Database commands run against SQLite files in the temporary folder (SOCINVEST_DATABASE_URL),
never ./socinvest.db. Lines in SKIPPED are not run, each for the reason given there.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
import zipfile
from collections.abc import Callable
from html import escape
from pathlib import Path

import numpy as np
import pytest

from .conftest import EXAMPLES, FIXTURES, ROOT, TABLES, cli

README = ROOT / "README.md"
PLACEHOLDERS = {
    "CASE": "examples/tidlig-indsats-0-2.yaml",
    "POOL": "examples/pool/pool.yaml",
    "DIR": "ws-files",
}
LADDER_FILES = {
    "project": "examples/ladder/population.yaml",
    "compare": "examples/ladder/scenario.yaml",
    "fit": "examples/ladder/episodes.csv",
}
PASTED = {
    "tabel.txt": TABLES / "seed003_tabel2_varige.txt",
    "tabel1.txt": TABLES / "seed001_tabel1_samlede.txt",
    "tabel2.txt": TABLES / "seed001_tabel2_varige.txt",
}
# Lines that cannot run offline are skipped when they contain one of these (none today).
OFFLINE = ("tcp://", "http://", "https://")
# Lines that are documented but not run here, with the reason.
SKIPPED = {
    "serve --port 8000": "starts the web server, which runs until stopped (Ctrl-C); the app "
    "itself is tested in tests/test_web*.py and, served, in tests/test_browser.py",
}


def readme_commands() -> list[list[str]]:
    """The `socinvest` command lines of README.md's sh blocks, comments cut, `a|b` expanded,
    placeholders replaced; each as argv without the program name."""
    text = README.read_text(encoding="utf-8")
    out: list[list[str]] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.splitlines():
            line = re.split(r"\s+#", line, maxsplit=1)[0].strip()
            if not line.startswith("socinvest "):
                continue
            for argv in _bar_variants(shlex.split(line)[1:]):
                out.extend(_expanded(argv))
    return out


def _bar_variants(argv: list[str]) -> list[list[str]]:
    """`workspace export DIR | import DIR` -> `workspace export DIR`, `workspace import DIR`."""
    parts: list[list[str]] = [[]]
    for a in argv:
        if a == "|":
            parts.append([])
        else:
            parts[-1].append(a)
    first = parts[0]
    return [first] + [first[: len(first) - len(p)] + p for p in parts[1:]]


def _expanded(argv: list[str]) -> list[list[str]]:
    """`pool status|project POOL` -> one command per alternative, placeholders replaced."""
    variants = [argv]
    for i in [i for i, a in enumerate(argv) if "|" in a]:
        variants = [v[:i] + [alt] + v[i + 1 :] for v in variants for alt in argv[i].split("|")]
    out: list[list[str]] = []
    for v in variants:
        if v[0] == "ladder":
            v = [LADDER_FILES.get(v[1], a) if a == "FILE" else a for a in v]
        out.append([PLACEHOLDERS.get(a, a) for a in v])
    return out


# -- expectations: exit code and a property from the documents ---------------------------------

SEED000_TOTAL_2029 = "-4.100"  # seed 000, tabel 1: "Samlet økonomisk påvirkning" 2029
SEED001_IMPACT = [4000, -3700, -5500, -5700, -6100]  # seed 001, tabel 1, 2016-2020


def _json(r) -> dict:
    return json.loads(r.stdout)


def _check_seed000(r, tmp: Path) -> None:
    # Seed 000, tabel 3 prints "Total Besparelse" 2021 as +8.900; its rows sum to -8.900.
    assert "SIGN_MISMATCH" in r.stdout


def _check_table(r, tmp: Path) -> None:
    # Seed 003, tabel 2: -1.763 - 1.763 = -3.526 each year, as printed: nothing to report.
    assert "Ingen fund" in r.stdout


def _check_table_json(r, tmp: Path) -> None:
    d = _json(r)
    assert d["findings"] == []
    assert d["payback"]["total"] == 1  # savings only, from the table's first year


def _show_fit(r, tmp: Path) -> None:
    # Seed 003, tabel 1: -3.526 (permanent), -3.408 (impact 2018-2019), payback "2 år".
    assert "-3.526" in r.stdout and "-3.408" in r.stdout and "2 år" in r.stdout


def _show_case_json(r, tmp: Path) -> None:
    # Seed 000, tabel 1: "Tilbagebetalingstid baseret på serviceeffektivisering 6", totaløkonomi 6.
    d = _json(r)
    assert d["payback"]["service"]["year"] == 6 and d["payback"]["total"]["year"] == 6


def _report_docx(r, tmp: Path) -> None:
    with zipfile.ZipFile(tmp / "case.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert SEED000_TOTAL_2029 in xml


def _imported(r, tmp: Path) -> None:
    from socinvest.engine.resolve import evaluate
    from socinvest.services.case import load_case

    res = evaluate(load_case(tmp / "case.yaml"))
    assert [int(y) for y in res.years] == list(range(2016, 2021))
    np.testing.assert_allclose(res.impact[0], SEED001_IMPACT)


def _simulated(r, tmp: Path) -> None:
    assert "10.000" in r.stdout  # the draws asked for
    assert "inden for 6 år" in r.stdout  # the target asked for


def _sensitivity(r, tmp: Path) -> None:
    from socinvest.services.case import load_case

    case = load_case(tmp / PLACEHOLDERS["CASE"])
    uncertain = [n for n, p in case.parameters.items() if p.uncertainty is not None]
    assert uncertain and all(n in r.stdout for n in uncertain)
    assert "Skifteværdier" in r.stdout


def _pool_status(r, tmp: Path) -> None:
    # HA01 (seed 001) is the approved grant: tabel 3, 4.000 + 900 + 600 + 400 = 5.900 from the
    # pool; the invented Familiehuset Vest breaks the pool's payback rule (an error: exit 1).
    assert any("Bevilget i alt" in ln and "5.900" in ln for ln in r.stdout.splitlines())
    assert "POOL_PAYBACK_TOO_LONG" in r.stdout


def _pool_project(r, tmp: Path) -> None:
    assert "Bevilget i alt" in r.stdout and "POOL_" in r.stdout


def _pool_select(r, tmp: Path) -> None:
    assert "Valgte ansøgninger" in r.stdout


def _ladder_title(name: str) -> Callable:
    def check(r, tmp: Path) -> None:
        text = (tmp / LADDER_FILES[name]).read_text(encoding="utf-8")
        title = re.search(r"^title:\s*(.+)$", text, re.M)
        assert title and title.group(1).strip().strip("\"'") in r.stdout

    return check


def _ladder_fit(r, tmp: Path) -> None:
    with (tmp / LADDER_FILES["fit"]).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    children = {row["child_id"] for row in rows}
    assert f"{len(rows)} forløb for {len(children)} børn" in r.stdout


def _schema(r, tmp: Path) -> None:
    written = json.loads((tmp / "case.schema.json").read_text(encoding="utf-8"))
    assert written == json.loads((ROOT / "docs" / "case.schema.json").read_text(encoding="utf-8"))


def _run_reports(r, tmp: Path) -> None:
    from socinvest.services.case import load_case

    cases = {p.stem: load_case(p) for p in sorted((tmp / "examples").glob("*.yaml"))}
    out = tmp / "out" / "reports"
    charts: dict[str, list[str]] = {}
    for stem, case in cases.items():
        md = (out / f"{stem}.md").read_text(encoding="utf-8")
        # docs/reports.md: the Markdown report writes its charts as `<name>-figur-<n>.svg`
        # beside the .md and links them by relative name; section 1 always has three charts,
        # a case with uncertain parameters adds the fan and the tornado.
        links = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", md)
        charts[stem] = [name for _, name in links]
        assert charts[stem] == [f"{stem}-figur-{n}.svg" for n in range(1, len(links) + 1)]
        uncertain = any(p.uncertainty is not None for p in case.parameters.values())
        assert len(links) >= 3 + 2 * uncertain, stem
        for caption, name in links:  # each SVG has role="img" and its caption as <title>
            svg = (out / name).read_text(encoding="utf-8")
            assert 'role="img"' in svg and f"<title>{escape(caption)}</title>" in svg, name
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{s}{suffix}" for s in cases for suffix in (".docx", ".xlsx", ".pdf", ".html", ".md")]
        + [name for names in charts.values() for name in names]
    )
    # Seed 000, tabel 1: payback in year 6 of 2017-2029, i.e. 2022 (the first chart's caption).
    assert "Tilbagebetaling år 6 (2022)" in (out / "tidlig-indsats-0-2.md").read_text("utf-8")
    assert str(out.resolve()) in r.stdout.replace("\n", "")
    assert f"{len(cases)} cases beregnet og kontrolleret" in r.stdout


# -- the ladder back-test: children on 31 December counted from the episodes file ---------------


def _ladder_backtest(r, tmp: Path) -> None:
    import yaml

    folder = tmp / "examples" / "ladder"
    with (folder / "episodes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    # The data end on the latest date of the file; 31 December is compared while data last:
    # 2023-12-31 only (2024-12-31 is after it).
    last = max(max(row["start"], row["end"]) for row in rows)
    assert f"til {last}" in r.stdout
    assert _row(r.stdout, "År sammenlignet")[1] == "2023"
    # A child is in a step on 31 December 2023 when its episode started on or before that day
    # and has not ended by then (an open end is still open).
    day = "2023-12-31"
    step_of = {
        row["child_id"]: row["step"]
        for row in rows
        if row["start"] <= day and (row["end"] == "" or row["end"] > day)
    }
    assert _row(r.stdout, "2023")[1] == str(len(step_of))  # Tabel 1: børn, observeret
    ladder = yaml.safe_load((folder / "ladder.yaml").read_text(encoding="utf-8"))
    # ladder.yaml: the universal step "følges ikke i modellen"; the others are in Tabel 2.
    for step in ladder["steps"][1:]:
        observed = sum(1 for s in step_of.values() if s == step["id"])
        assert _row(r.stdout, step["label"])[1] == str(observed), step["id"]


# -- follow-up: figures recomputed from the example files themselves ----------------------------

FOLLOWUP = Path("examples") / "followup"
# Seed 003, tabel 1: the plan per line and year (1.000 kr. 2017 p/l).
SEED003_PLAN = {
    "shorter_family_treatment": {2018: -1763, 2019: -1763, 2020: -1763, 2021: -1763},
    "shorter_safety_plans": {2018: -1763, 2019: -1763, 2020: -1763, 2021: -1763},
    "fit_training": {2017: 1175},
    "fit_ipads": {2017: 509, 2018: 118, 2019: 118},
}


def _dk(x: float) -> str:
    """A figure rounded to a whole number in Danish style: -1529.4 -> '-1.529'."""
    return f"{round(x):,}".replace(",", ".")


def _pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",") + " %"


def _rows(stdout: str, label: str) -> list[list[str]]:
    """The cells of the terminal-table rows whose first cell starts with `label`."""
    out = []
    for ln in stdout.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", ln)[1:-1]]
        if cells and cells[0].startswith(label):
            out.append(cells)
    return out


def _row(stdout: str, label: str) -> list[str]:
    rows = _rows(stdout, label)
    assert rows, f"no table row {label!r}"
    return rows[0]


def _amount(text: str) -> float:
    """A Danish amount as the docs define it: -1234,50 or 1.234,50 (kr.)."""
    assert re.fullmatch(r"-?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?", text), text
    return float(text.replace(".", "").replace(",", "."))


def _postings(
    name: str, tmp: Path, centre: str = "Omkostningssted"
) -> tuple[list[tuple[str, str, int, float]], int]:
    """(account, cost centre, year, kr.) of every well-formed line of a posting export, and
    the number of malformed lines (docs/followup.md: fields, dd-mm-yyyy date, Danish amount)."""
    import datetime as dt

    text = (tmp / FOLLOWUP / name).read_text(encoding="utf-8-sig")
    header, *lines = list(csv.reader(text.splitlines(), delimiter=";"))
    good, bad = [], 0
    for fields in lines:
        if not any(fields):
            continue
        row = dict(zip(header, fields, strict=False))
        try:
            assert len(fields) == len(header)
            year = dt.datetime.strptime(row["Bogføringsdato"], "%d-%m-%Y").year
            good.append((row["Konto"], row[centre], year, _amount(row["Beløb"])))
        except (AssertionError, ValueError):
            bad += 1
    return good, bad


def _fit_totals(tmp: Path) -> tuple[dict[tuple[str, int], float], list[tuple], int]:
    """postings-fit.csv summed per (line, year) in kr. by mapping-fit.yaml's rules (in this
    example no posting matches two rules), the unmapped postings, and the malformed lines."""
    import yaml

    rules = yaml.safe_load((tmp / FOLLOWUP / "mapping-fit.yaml").read_text("utf-8"))["lines"]

    def matches(rule: dict, account: str, centre: str) -> bool:
        hit = any(
            account.startswith(p[:-1]) if p.endswith("*") else account == p
            for p in rule["accounts"]
        )
        return hit and centre in rule.get("cost_centres", [centre])

    postings, bad = _postings("postings-fit.csv", tmp)
    totals: dict[tuple[str, int], float] = {}
    unmapped = []
    for account, centre, year, kr in postings:
        lines = [line for line, rule in rules.items() if matches(rule, account, centre)]
        assert len(lines) <= 1
        if lines:
            totals[lines[0], year] = totals.get((lines[0], year), 0.0) + kr
        else:
            unmapped.append((account, centre, year, kr))
    return totals, unmapped, bad


def _labels(case_path: Path) -> dict[str, str]:
    from socinvest.services.case import load_case

    return {line.id: line.label for line in load_case(case_path).lines}


def _followup_import(r, tmp: Path) -> None:
    totals, unmapped, bad = _fit_totals(tmp)
    # Every posting is dated 2017-2019, inside the case's horizon 2017-2021: all are counted
    # but the unmapped ones.
    counted = len(_postings("postings-fit.csv", tmp)[0]) - len(unmapped)
    summary = f"{counted} posteringer medregnet; {bad} linjer afvist; {len(unmapped)} uden linje."
    assert summary in r.stdout
    # Tabel 1: the sums per line and year, 1.000 kr. in current prices.
    years = sorted({y for _, y in totals})
    for line, label in _labels(tmp / "examples" / "fit-familiebehandling.yaml").items():
        cells = _row(r.stdout, label)[1:]
        assert cells == [_dk(totals[line, y] / 1000) if (line, y) in totals else "" for y in years]
    # Tabel 2: the postings no rule maps, summed per account by hand.
    for account in {a for a, *_ in unmapped}:
        mine = [kr for a, *_, kr in unmapped if a == account]
        cells = _row(r.stdout, account)
        assert cells[2] == str(len(mine)) and cells[3] == _dk(sum(mine)), cells


def _followup_status(r, tmp: Path) -> None:
    import yaml

    totals, _, _ = _fit_totals(tmp)
    folder = tmp / FOLLOWUP
    index = yaml.safe_load((folder / "price-index.yaml").read_text("utf-8"))["kinds"]
    mapping = yaml.safe_load((folder / "mapping-fit.yaml").read_text("utf-8"))
    labels = _labels(tmp / "examples" / "fit-familiebehandling.yaml")
    worst = "ok"
    by_year: dict[int, float] = {}
    for (line, year), kr in totals.items():
        # Current prices to the case's 2017 p/l: kr. × index[2017] / index[year] of the line's
        # kind, e.g. -1.529.xxx kr. in 2018 wages × 100/102.
        kind = mapping["lines"][line].get("index", mapping["default_index"])
        actual = kr / 1000 * index[kind][2017] / index[kind][year]
        by_year[year] = by_year.get(year, 0.0) + actual
        plan = SEED003_PLAN[line][year]
        row = next(c for c in _rows(r.stdout, labels[line]) if c[1] == str(year))
        assert row[2:4] == [_dk(plan), _dk(actual)], row
        # Thresholds of the follow-up file: watch over 5 %, alert over 10 % and over 50.
        diff, pct = actual - plan, abs(actual - plan) / abs(plan) * 100
        if min(abs(pct - 5), abs(pct - 10)) > 0.5:  # clear of the plan's rounding in the seed
            flag = "rød" if pct > 10 and abs(diff) > 50 else "gul" if pct > 5 else "ok"
            assert row[6] == flag, row
            worst = max(worst, flag, key=["ok", "gul", "rød"].index)
    assert worst == "rød"  # kortere familiebehandlingsforløb 2018: +15 % and +264
    assert _row(r.stdout, "Værste status")[1] == worst
    # Payback so far on the total basis: the cumulative actuals first at or below zero.
    cumulative = np.cumsum([by_year[y] for y in sorted(by_year)])
    year = int(np.argmax(cumulative <= 0)) + 1
    assert _row(r.stdout, "Tilbagebetalt hidtil (totaløkonomi)")[1] == f"{year} år"


def _adbb_counts(path: Path) -> dict[str, int]:
    """Children per outcome (docs/followup-measures.md): flagged at a total of 5 or more; the
    next later screening within 60 days of the first flag resolves (below 5) or not."""
    import datetime as dt

    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    children: dict[str, list[tuple[dt.date, int]]] = {}
    for row in rows:
        total = sum(int(row[f"i{i}"]) for i in range(1, 9))
        children.setdefault(row["child_id"], []).append((dt.date.fromisoformat(row["date"]), total))
    counts = {"not": 0, "resolved": 0, "still": 0, "none": 0}
    for screenings in children.values():
        screenings.sort(key=lambda s: s[0])  # stable: the same day keeps file order
        flagged = [s for s in screenings if s[1] >= 5]
        if not flagged:
            counts["not"] += 1
            continue
        day = flagged[0][0]
        later = [s for s in screenings if s[0] > day]
        if not later or (later[0][0] - day).days > 60:
            counts["none"] += 1
        else:
            counts["resolved" if later[0][1] < 5 else "still"] += 1
    return counts


def _adbb_total_row(c: dict[str, int]) -> list[str]:
    flagged = c["resolved"] + c["still"] + c["none"]
    followed = c["resolved"] + c["still"]
    return [
        _dk(c["not"]),
        _dk(c["resolved"]),
        _dk(c["still"]),
        _dk(c["none"]),
        _dk(sum(c.values())),
        _pct(100 * flagged / sum(c.values())),
        _pct(100 * followed / flagged),
        _pct(100 * c["resolved"] / followed),
    ]


def _adbb_summary(r, tmp: Path) -> None:
    counts = _adbb_counts(tmp / FOLLOWUP / "adbb-screenings.csv")
    assert _row(r.stdout, "I alt")[1:] == _adbb_total_row(counts)


def _followup_report(r, tmp: Path) -> None:
    import docx

    document = docx.Document(str(tmp / "eval.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    # Seed 000's title; the synthetic example says so; the postings stop in 2019, before the
    # case's last year 2029 (seed 000, tabel 1): a mid-term evaluation.
    assert "Tidlig indsats for de 0-2-årige" in text and "SYNTETISKE DATA" in text
    # mapping-tidlig-indsats.yaml: the cost centre is the column "Aktivitet"
    postings, _ = _postings("postings-tidlig-indsats.csv", tmp, centre="Aktivitet")
    last = max(year for *_, year, _ in postings)
    assert last == 2019 and "MIDTVEJSEVALUERING" in text.upper()
    adbb = next(t for t in document.tables if t.rows[0].cells[0].text == "Periode")
    totals = [c.text for c in adbb.rows[-1].cells]
    counts = _adbb_counts(tmp / FOLLOWUP / "adbb-screenings.csv")
    assert totals == ["I alt", *_adbb_total_row(counts)]


def _fit_summary(r, tmp: Path) -> None:
    import datetime as dt

    with (tmp / FOLLOWUP / "fit-sessions.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    courses: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        courses.setdefault((row["client_id"], row["course_id"]), []).append(row)
    # docs/followup-measures.md: scores in whole tenths; reliable change 5 points; ORS cut-offs
    # 25 (adult), 28 (adolescent), 32 (child); SRS alliance warning below 36.
    cutoff = {"adult": 250, "adolescent": 280, "child": 320}

    def tenths(x: str) -> int:
        return round(float(x.replace(",", ".")) * 10)

    n = {"single": 0, "dropout": 0, "clinical": 0, "warning": 0, "up": 0, "same": 0, "down": 0}
    days = []
    for sessions in courses.values():
        sessions.sort(key=lambda s: s["date"])  # ISO dates; the same date keeps file order
        n["single"] += len(sessions) == 1
        n["dropout"] += len(sessions) <= 2
        n["warning"] += any(s["srs"] and tenths(s["srs"]) < 360 for s in sessions)
        if len(sessions) == 1:
            continue
        first, last = tenths(sessions[0]["ors"]), tenths(sessions[-1]["ors"])
        change = last - first
        key = "up" if change >= 50 else "down" if change <= -50 else "same"
        n[key] += 1
        c = cutoff[sessions[0]["age_group"]]
        n["clinical"] += key == "up" and first < c <= last
        d0, d1 = (dt.date.fromisoformat(sessions[i]["date"]) for i in (0, -1))
        days.append((d1 - d0).days)
    assert (
        f"Forløb i alt {_dk(len(courses))}; med én session {_dk(n['single'])}; frafald (en "
        f"eller to sessioner) {_dk(n['dropout'])}; klinisk signifikant bedring "
        f"{_dk(n['clinical'])}; forløb med alliance-advarsel (SRS under 36) {_dk(n['warning'])}."
    ) in r.stdout.replace("\n", "")
    measurable = n["up"] + n["same"] + n["down"]
    assert _row(r.stdout, "I alt")[2:] == [
        _dk(n["up"]),
        _dk(n["same"]),
        _dk(n["down"]),
        _dk(measurable),
        _pct(100 * n["up"] / measurable),
        _dk(sum(days) / len(days)),
    ]


def _restated(r, tmp: Path) -> None:
    # Seed 000 is in 2016 p/l; without a mapping every Service line follows service_prices,
    # 99 in 2016 and 103 in 2020 (examples/followup/price-index.yaml): amount × 103/99, e.g.
    # Fælles kompetenceudvikling 600 -> 624,24 -> 624, and the 2029 total -4.100 -> -4.266.
    factor = 103 / 99
    assert "1.000 kr. 2020 p/l" in r.stdout
    seed = {  # seed 000, tabel 1 (1.000 kr. 2016 p/l), 2017-2029
        "Tværfagligt team": [5400, 6000] + [7500] * 11,
        "Etablering af tværfagligt team": [2100, 1500],
        "Fælles kompetenceudvikling": [600],
        "ADBB certificering mv.": [800],
        "Samlet økonomisk påvirkning": [3500, 1500] + [-1400] * 4 + [-2300] * 6 + [-4100],
    }
    for label, values in seed.items():
        cells = _row(r.stdout, label)[2:]
        restated = [_dk(v * factor) for v in values]
        assert cells == restated + ["0"] * (13 - len(values)), (label, cells)


# -- the workspace: temporary SQLite files ---------------------------------------------------

PASSWORD = "korrekt-hest-batteri"  # 20 characters: the minimum is 10 (docs/workspace.md)
INPUT = {  # stdin of a line: the password, asked twice (no --password-stdin in the README)
    "user add ada --org kbh --role admin": f"{PASSWORD}\n{PASSWORD}\n",
}


def _db_file(tmp: Path) -> Path:
    return tmp / "workspace.db"


def _add_ada(db: str) -> None:
    r = cli("user", "add", "ada", "--org", "kbh", "--role", "admin", "--password-stdin",
            "--db", db, input=PASSWORD + "\n")  # fmt: skip
    assert r.exit_code == 0, r.output


def _export_source(tmp: Path) -> None:
    """A workspace with ada, admin of kbh, exported to DIR from another database."""
    source = f"sqlite:///{tmp / 'source.db'}"
    _add_ada(source)
    r = cli("workspace", "export", PLACEHOLDERS["DIR"], "--db", source)
    assert r.exit_code == 0, r.output


SETUP: dict[str, Callable[[Path], None]] = {
    "workspace export ws-files": lambda tmp: _add_ada(f"sqlite:///{_db_file(tmp)}"),
    "workspace import ws-files": _export_source,
}


def _db_upgrade(r, tmp: Path) -> None:
    import sqlite3

    # The newest migration shipped with the package (socinvest/store/migrations/versions).
    versions = ROOT / "src" / "socinvest" / "store" / "migrations" / "versions"
    heads = [
        m.group(1)
        for p in versions.glob("*.py")
        if (m := re.search(r'^revision: str = "(\w+)"', p.read_text("utf-8"), re.M))
    ]
    head = max(heads)
    with sqlite3.connect(_db_file(tmp)) as con:
        assert con.execute("select version_num from alembic_version").fetchall() == [(head,)]
    assert f"→ {head}" in r.stdout
    assert not (tmp / "socinvest.db").exists()
    again = cli("db", "upgrade")  # docs/workspace.md: running it twice does nothing
    assert again.exit_code == 0 and f"({head})" in again.stdout and "→" not in again.stdout


def _ada_is_admin_of_kbh(db: Path) -> None:
    from socinvest.services import auth
    from socinvest.services import workspace as ws_service

    ws = ws_service.open_workspace(f"sqlite:///{db}")
    try:
        actor = auth.authenticate(ws, "ada", PASSWORD)
        assert actor is not None and actor.roles_in("kbh") == {ws_service.Role("admin")}
        assert auth.authenticate(ws, "ada", PASSWORD[::-1]) is None
    finally:
        ws.store.dispose()


def _user_add(r, tmp: Path) -> None:
    _ada_is_admin_of_kbh(_db_file(tmp))
    assert not (tmp / "socinvest.db").exists()


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _exported(r, tmp: Path) -> None:
    from argon2 import PasswordHasher

    m = _manifest(tmp / PLACEHOLDERS["DIR"])
    assert [(o["slug"], o["members"]) for o in m["organisations"]] == [
        ("kbh", [{"role": "admin", "username": "ada"}])
    ]
    (user,) = m["users"]
    assert user["username"] == "ada" and user["password_hash"].startswith("$argon2id$")
    assert PasswordHasher().verify(user["password_hash"], PASSWORD)


def _imported_workspace(r, tmp: Path) -> None:
    _ada_is_admin_of_kbh(_db_file(tmp))
    # docs: export and import are an exact round trip; export the imported database again.
    again = cli("workspace", "export", "again")
    assert again.exit_code == 0, again.output
    assert _manifest(tmp / "again") == _manifest(tmp / PLACEHOLDERS["DIR"])


EXPECTED: dict[str, tuple[int, Callable]] = {
    "check examples/tidlig-indsats-0-2.yaml": (1, _check_seed000),
    "check tabel.txt": (0, _check_table),
    "check tabel.txt --json": (0, _check_table_json),
    "show examples/fit-familiebehandling.yaml": (0, _show_fit),
    "show examples/tidlig-indsats-0-2.yaml --json": (0, _show_case_json),
    "report examples/tidlig-indsats-0-2.yaml -o case.docx": (0, _report_docx),
    "import tabel1.txt tabel2.txt -o case.yaml": (0, _imported),
    "simulate examples/tidlig-indsats-0-2.yaml --draws 10000 --target 6": (0, _simulated),
    "sensitivity examples/tidlig-indsats-0-2.yaml": (0, _sensitivity),
    # docs/pool.md: "Exit codes like `check`"; the example pool has an error finding
    "pool status examples/pool/pool.yaml": (1, _pool_status),
    "pool project examples/pool/pool.yaml": (1, _pool_project),
    "pool select examples/pool/pool.yaml": (0, _pool_select),
    "ladder project examples/ladder/population.yaml": (0, _ladder_title("project")),
    "ladder compare examples/ladder/scenario.yaml": (0, _ladder_title("compare")),
    "ladder fit examples/ladder/episodes.csv": (0, _ladder_fit),
    "schema -o case.schema.json": (0, _schema),
    "run examples --reports out/reports": (0, _run_reports),
    "ladder backtest examples/ladder/episodes.csv --at 2023-01-01": (0, _ladder_backtest),
    "followup import examples/followup/postings-fit.csv --mapping "
    "examples/followup/mapping-fit.yaml --case examples/fit-familiebehandling.yaml": (
        0,
        _followup_import,
    ),
    "followup status examples/fit-familiebehandling.yaml "
    "examples/followup/fit-familiebehandling.followup.yaml": (0, _followup_status),
    "followup report examples/tidlig-indsats-0-2.yaml "
    "examples/followup/tidlig-indsats-0-2.followup.yaml -o eval.docx": (0, _followup_report),
    "fit summary examples/followup/fit-sessions.csv": (0, _fit_summary),
    "adbb summary examples/followup/adbb-screenings.csv": (0, _adbb_summary),
    "show examples/tidlig-indsats-0-2.yaml --price-level 2020 "
    "--price-index examples/followup/price-index.yaml": (0, _restated),
    "db upgrade": (0, _db_upgrade),
    "user add ada --org kbh --role admin": (0, _user_add),
    "workspace export ws-files": (0, _exported),
    "workspace import ws-files": (0, _imported_workspace),
}

COMMANDS = readme_commands()


def test_the_readme_has_the_commands_we_expect():
    lines = [" ".join(c) for c in COMMANDS]
    assert sorted(lines) == sorted([*EXPECTED, *SKIPPED]), (
        "a README line without expectation, or gone"
    )
    assert not set(EXPECTED) & set(SKIPPED)


@pytest.fixture
def workdir(tmp_path, monkeypatch, fast_passwords) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    for name, src in PASTED.items():
        shutil.copy(src, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    # The workspace database: a SQLite file of this test, never ./socinvest.db of the repo.
    monkeypatch.setenv("SOCINVEST_DATABASE_URL", f"sqlite:///{_db_file(tmp_path)}")
    return tmp_path


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda c: " ".join(c))
def test_readme_command(argv, workdir):
    line = " ".join(argv)
    if any(s in line for s in OFFLINE):
        pytest.skip(f"needs a network service: {line}")
    if line in SKIPPED:
        pytest.skip(SKIPPED[line])
    code, check = EXPECTED[line]
    if line in SETUP:
        SETUP[line](workdir)
    r = cli(*argv, input=INPUT.get(line))
    assert r.exit_code == code, r.output
    assert "Traceback" not in r.stderr
    check(r, workdir)


def test_the_documented_exit_codes_of_check(workdir):
    """README: "`check` exits 0 when it finds no error, 1 when it finds errors, 2 when the
    input cannot be read (one line naming the file, line and key, never a traceback)"."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert (
        "`check` exits 0 when it finds no error, 1 when it finds errors, 2 when the input" in text
    )
    assert cli("check", "tabel.txt").exit_code == 0
    assert cli("check", PLACEHOLDERS["CASE"]).exit_code == 1
    for bad in ("nope.yaml", FIXTURES / "bad" / "tables" / "binary.bin"):
        r = cli("check", bad)
        assert r.exit_code == 2 and r.stdout == ""
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    bad_case = FIXTURES / "bad" / "cases" / "wrong_enum.yaml"
    r = cli("check", bad_case)
    assert r.exit_code == 2 and re.search(r"wrong_enum\.yaml:\d+:\d+: ", r.stderr), r.stderr
