"""Pasted tables and spreadsheets: `check`, `check --json` and `import -o` on damaged fixture
tables, random tables with Danish numbers, xlsx files made with openpyxl and then damaged (cell
values, far cells, zip bytes, XML entities), and the Word/PDF corpus documents byte-damaged."""

from __future__ import annotations

import contextlib
import functools
import io
import random
import zipfile

from . import mutate
from .model import FIXTURES, Input

TABLES = FIXTURES / "tables"
LABELS = (
    "Besparelse på anbringelser", "Færre købte pladser", "Effektivisering", "Omlægning af praksis",
    "Gevinst ved tidlig indsats", "Reduktion i sagsbehandling", "Udgift til personale",
    "Omkostninger", "Ansættelse af 2 rådgivere", "Løn", "Investering i it", "Implementering",
    "I alt", "Samlet varig ændring", "Udgifter i alt til strategien", "Total", "Netto",
    "Tilbagebetaling til Investeringspuljen", "Tilbagebetalingstid", "Puljemidler fra "
    "Socialstyrelsen", "Ekstern finansiering", "Samlet nettobudget", "Kommunal finansiering",
    "Akkumuleret", "Brutto besparelser (ved investeringen)", "Børne- og Ungdomsudvalget", "Anlæg",
    "Service", "<b>Omkostninger</b>", "**Effektiviseringer**", "CPR 010190-1234",
)  # fmt: skip
CAPTIONS = ("Tabel 1. Forslagets samlede økonomiske konsekvenser", "Tabel 2. Varige ændringer",
            "Tabel 3. Investeringer", "Økonomi (kr., 2024-priser)", "", "besparelser er angivet "
            "med positivt fortegn", "Tabel 9. Fordeling på aldersgrupper")  # fmt: skip
UNITS = ("1.000 kr. (2017 p/l.)", "kr.", "mio. kr.", "1.000 kr. 2024 p/l", "", "procent", "årsværk")
CELLS = ("", "-", "–", "0", "x", "n/a", "1e308", "NaN", "∞", "100 %", "150 %", "1,96 mio. kr.",
         "999.999.999.999.999.999.999", "0,0000001", "3 år", "år 2", "2019", "010190-1234")  # fmt: skip


def danish(rng: random.Random) -> str:
    """A number as Danish documents print it."""
    r = rng.random()
    if r < 0.12:
        return rng.choice(CELLS)
    v = rng.choice((rng.randrange(0, 10_000), rng.randrange(0, 10**7), rng.randrange(0, 100) * 100))
    s = f"{v:,}".replace(",", ".")
    if rng.random() < 0.2:
        s += "," + str(rng.randrange(0, 100))
    sign = rng.random()
    if sign < 0.35:
        s = rng.choice(("-", "- ", "−", "–")) + s
    elif sign < 0.4:
        s = f"({s})"
    return s


def random_table(rng: random.Random) -> str:
    """A table as pasted from Word, PDF or Excel: caption, unit, years (or age groups), rows."""
    ncol = rng.choice((1, 2, 3, 4, 6, 10, 40, 150))
    if rng.random() < 0.15:
        head = [rng.choice(("0-2 år", "3-5 år", "6-17 år", "Voksne")) for _ in range(ncol)]
    else:
        start = rng.choice((2016, 2017, 2024, 1900, 2999, 0))
        step = rng.choice((1, 1, 1, 2, -1, 0))
        head = [str(start + i * step) for i in range(ncol)]
    sep = rng.choice(("\t", "\t", ";", "   ", " | ", ","))
    rows = [rng.choice(CAPTIONS), rng.choice(UNITS) + sep + sep.join(head)]
    for _ in range(rng.choice((0, 1, 2, 4, 8, 30))):
        cells = [danish(rng) for _ in range(ncol + rng.choice((0, 0, 0, -1, 1)))]
        rows.append(rng.choice(LABELS) + sep + sep.join(cells))
    if sep == " | ":
        rows = ["| " + r + " |" for r in rows]
    text = "\n".join(rows)
    return mutate.text_damage(rng, text) if rng.random() < 0.3 else text


@functools.cache
def text_seeds() -> tuple[tuple[str, bytes], ...]:
    paths = sorted([*TABLES.glob("*.txt"), *(TABLES / "real").glob("*.txt"),
                    *(TABLES / "real").glob("*.csv"), *(FIXTURES / "seeds").glob("*.txt"),
                    *(FIXTURES / "bad" / "tables").glob("*")])  # fmt: skip
    return tuple((p.suffix, p.read_bytes()) for p in paths)


def _table_command(rng: random.Random, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    r = rng.random()
    if r < 0.35:
        return ("check", name), ()
    if r < 0.6:
        return ("check", "--json", name), ()
    argv: tuple[str, ...] = ("import", name, "-o", "out.yaml")
    for opt, vals in (("--id", ("x", "bad id", "æ", "a" * 300, "")),
                      ("--title", ("T", "\x1b[2J", "=1+1", "")),
                      ("--unit", ("kr.", "1.000 kr.", "mio. kr.", "pund", "")),
                      ("--price-level", ("2017", "0", "-1", "99999", "x")),
                      ("--sign", ("spending", "savings_positive", "guess", ""))):  # fmt: skip
        if rng.random() < 0.15:
            argv += (opt, rng.choice(vals))
    if rng.random() < 0.1:
        argv += ("--force",)
    return argv, ("out.yaml",)


def table(rng: random.Random) -> Input:
    """A pasted table (text or CSV): a damaged fixture, or a random Danish table."""
    if rng.random() < 0.5:
        suffix, raw = rng.choice(text_seeds())
        if rng.random() < 0.5:
            raw = mutate.text_damage(rng, raw.decode("utf-8", "replace")).encode()
        elif rng.random() < 0.6:
            raw = mutate.bytes_damage(rng, raw)
    else:
        suffix, raw = rng.choice((".txt", ".txt", ".csv", "")), random_table(rng).encode()
        if rng.random() < 0.1:
            raw = raw.decode().encode(rng.choice(("latin-1", "utf-16", "utf-8-sig")), "replace")
    name = "tabel" + suffix
    argv, outputs = _table_command(rng, name)
    if rng.random() < 0.08:  # several tables into one import, or one twice
        argv = (*argv[:2], name, *argv[2:]) if argv[0] == "import" else argv
    return Input("table", argv, {name: raw}, outputs, json="--json" in argv)


# -- xlsx -----------------------------------------------------------------------------------------


def _workbook(rng: random.Random) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for sheet_no in range(rng.choice((1, 1, 2, 3))):
        ws = (
            wb.active
            if sheet_no == 0
            else wb.create_sheet(rng.choice(("Ark2", "Økonomi", "x" * 30, "=A1")))
        )
        for r, line in enumerate(random_table(rng).split("\n"), start=1):
            for c, cell in enumerate(line.split("\t"), start=1):
                v: object = cell
                if rng.random() < 0.5:
                    with contextlib.suppress(ValueError):
                        v = float(cell.replace(".", "").replace(",", ".").replace(" ", ""))
                if rng.random() < 0.03:
                    v = rng.choice((float("nan"), 1e308, "=1/0", "=SUM(A1:A3)", mutate.text(rng)))
                try:
                    ws.cell(r, c, v)  # type: ignore[arg-type]
                except (ValueError, TypeError):
                    ws.cell(r, c, "x")
        if rng.random() < 0.05:
            ws.cell(rng.choice((1048576, 5000)), rng.choice((16384, 200)), 1)
        if rng.random() < 0.1:
            ws.merge_cells("A1:C2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "lollollollollol">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
)


def _zip_damage(rng: random.Random, data: bytes) -> bytes:
    """Damage a member of the zip: a claimed dimension of the whole sheet, an entity bomb, an
    external entity, a huge repeated member, or bytes inside a member."""
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {i.filename: src.read(i) for i in src.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    op = rng.randrange(5)
    if op == 0 and sheet in members:
        members[sheet] = members[sheet].replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="', 1)  # fmt: skip # noqa: E501
    elif op == 1:
        key = rng.choice([k for k in members if k.endswith(".xml")])
        body = members[key].split(b"?>", 1)[-1]
        members[key] = ENTITY_BOMB.encode() + body.replace(b"<c ", b"<c x='&e;' ", 1)
    elif op == 2 and sheet in members:
        ext = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]>'
        members[sheet] = ext + members[sheet].split(b"?>", 1)[-1].replace(b"<v>", b"<v>&f;", 1)
    elif op == 3:
        members["xl/worksheets/sheet9.xml"] = (
            b"<a>" + b" " * rng.choice((10**6, 3 * 10**7)) + b"</a>"
        )
    else:
        key = rng.choice(sorted(members))
        members[key] = mutate.bytes_damage(rng, members[key])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in members.items():
            z.writestr(k, v)
    return out.getvalue()


@functools.cache
def _documents() -> tuple[tuple[str, bytes], ...]:
    real = TABLES / "real"
    return tuple(
        (p.suffix, p.read_bytes()) for p in sorted([*real.glob("*.docx"), *real.glob("*.pdf")])
    )


def xlsx(rng: random.Random) -> Input:
    """A spreadsheet (or, one time in six, a Word or PDF document), valid or damaged."""
    if rng.random() < 1 / 6 and _documents():
        suffix, raw = rng.choice(_documents())
        if rng.random() < 0.7:
            raw = (
                _zip_damage(rng, raw)
                if suffix == ".docx" and rng.random() < 0.5
                else mutate.bytes_damage(rng, raw)
            )  # noqa: E501
    else:
        suffix, raw = ".xlsx", _workbook(rng)
        r = rng.random()
        if r < 0.35:
            raw = _zip_damage(rng, raw)
        elif r < 0.5:
            raw = mutate.bytes_damage(rng, raw)
    name = "ark" + suffix
    argv, outputs = _table_command(rng, name)
    return Input("xlsx", argv, {name: raw}, outputs, json="--json" in argv)
