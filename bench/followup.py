"""`make bench` (follow-up): import a 5 million line posting export and aggregate it to case
line × year, against plain pandas on the same file in the same run.

The export is generated under /tmp as finance systems write it (semicolon CSV saved by Excel:
UTF-8 BOM, CRLF, text fields with `;` in double quotes, dates dd-mm-yyyy, amounts -1234,50) by
DuckDB with a fixed seed. Each contender runs in a fresh process, so that its peak memory
(VmHWM, bench/peak.py) is its own; the time is measured inside the process, around the work.

- socinvest: `followup.actuals.build_actuals` – read, check every line, map accounts to lines,
  aggregate per line × year and quarter, convert to the case's price level.
- pandas: `read_csv(sep=';', decimal=',')`, `to_datetime(format='%d-%m-%Y')`, then `groupby`
  account × year – less work (no mapping, no checks), the baseline the goal is measured on.

Goals: < 10 s, < 2 GB, at least 3× faster than pandas. The totals of both must agree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

LINES = 5_000_000
ACCOUNTS = ["5.28.20.1", "5.28.21.2", "5.28.23.3", "5.28.21.9", "6.45.51.1", "5.22.07.1"]
TEXTS = ["Løn", "Faktura; januar", "Refusion DUT", "Korrektion; fejlpostering", "Kørsel"]
CASE = """\
id: bench
title: Benchmark
unit: 1.000 kr.
price_level: 2017
horizon: 2017-2019
committees: {SOU: Socialudvalget}
lines:
  - {id: foster, label: Plejefamilier, kind: saving, owner: SOU, amounts: 0}
  - {id: prevention, label: Forebyggelse, kind: cost, owner: SOU, amounts: 0}
  - {id: institution, label: Døgninstitutioner, kind: saving, owner: SOU, amounts: 0}
  - {id: refund, label: DUT-refusion, kind: saving, owner: SOU, amounts: 0}
"""
MAPPING = """\
lines:
  foster: {accounts: ["5.28.20*"]}
  prevention: {accounts: ["5.28.21*"], index: service_wages}
  institution: {accounts: ["5.28.23*"]}
  refund: {accounts: ["5.28.21.9"]}
"""


def generate(path: Path, n: int = LINES) -> None:
    """The export: BOM and header written here, the lines by DuckDB (CRLF, quoted `;`)."""
    import duckdb

    accounts = "[" + ",".join(f"'{a}'" for a in ACCOUNTS) + "]"
    texts = "[" + ",".join(f"'{t}'" for t in TEXTS) + "]"
    body = path.with_suffix(".body")
    con = duckdb.connect()
    con.execute("SELECT setseed(0.2017)")
    con.execute(
        f"""COPY (SELECT
          {accounts}[1 + floor(random() * {len(ACCOUNTS)})::INT] AS a,
          strftime(DATE '2017-01-01' + floor(random() * 1095)::INT, '%d-%m-%Y') AS d,
          replace(printf('%.2f', round(random() * 22000 - 2000, 2)), '.', ',') AS b,
          (4700 + floor(random() * 20)::INT)::VARCHAR AS c,
          {texts}[1 + floor(random() * {len(TEXTS)})::INT] AS t
        FROM range({n})) TO '{body}' (HEADER false, DELIMITER ';', NEW_LINE '\r\n')"""
    )
    con.close()
    with path.open("wb") as out, body.open("rb") as src:
        out.write("\ufeffKonto;Dato;Beløb;Omkostningssted;Tekst\r\n".encode())
        shutil.copyfileobj(src, out, 1 << 22)
    body.unlink()


def run_ours(path: Path) -> dict:
    from peak import peak_mb

    from socinvest.case.load import parse_case
    from socinvest.followup.actuals import build_actuals
    from socinvest.followup.mapping import LoadedMapping, parse_mapping
    from socinvest.followup.prices import load_price_index

    case = parse_case(CASE)
    index = load_price_index(ROOT / "examples" / "followup" / "price-index.yaml")
    mapping, marks = parse_mapping(MAPPING, "mapping")
    t0 = time.perf_counter()
    a = build_actuals(case, index, LoadedMapping(mapping, "mapping", marks), [path])
    seconds = time.perf_counter() - t0
    total = float(a.current.sum()) * 1000 + a.unmapped_total  # kr., current prices
    return {"seconds": seconds, "peak_mb": peak_mb(), "total": total, "postings": a.postings}


def run_pandas(path: Path) -> dict:
    import pandas as pd
    from peak import peak_mb

    t0 = time.perf_counter()
    df = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Konto": str})
    year = pd.to_datetime(df["Dato"], format="%d-%m-%Y").dt.year
    sums = df.groupby([df["Konto"], year])["Beløb"].sum()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_mb": peak_mb(), "total": float(sums.sum())}


def _child(which: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, which, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(n: int = LINES) -> None:
    with tempfile.TemporaryDirectory(prefix="socinvest-bench-") as tmp:
        path = Path(tmp) / "postings.csv"
        t0 = time.perf_counter()
        generate(path, n)
        size = path.stat().st_size / 2**20
        print(
            f"followup  {n:,} posting lines, {size:,.0f} MB CSV, generated in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        ours = _child("ours", path)
        try:
            pandas = _child("pandas", path)
        except (subprocess.CalledProcessError, json.JSONDecodeError) as e:
            pandas = None
            print(f"          pandas could not run ({e}); install the dev extras")
    ok = ours["seconds"] < 10 and ours["peak_mb"] < 2048
    print(
        f"followup  import + aggregate to line × year: {ours['seconds']:.2f} s, peak "
        f"{ours['peak_mb']:,.0f} MB  goal < 10 s and < 2 GB: {'OK' if ok else 'SLOW'}"
    )
    if pandas is not None:
        ratio = pandas["seconds"] / ours["seconds"]
        same = abs(pandas["total"] - ours["total"]) < 0.01 * max(1.0, n / 1e6)
        print(
            f"          pandas read_csv + groupby: {pandas['seconds']:.2f} s, peak "
            f"{pandas['peak_mb']:,.0f} MB; socinvest is {ratio:.1f}× faster  goal ≥ 3×: "
            f"{'OK' if ratio >= 3 else 'SLOW'}; totals agree: {'yes' if same else 'NO'}"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3:
        fn = run_ours if sys.argv[1] == "ours" else run_pandas
        print(json.dumps(fn(Path(sys.argv[2]))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) == 2 else LINES)
