"""Faces of a PoolDocument: the terminal (rich), xlsx (xlsxwriter), html, docx (python-docx)
and the balance chart (matplotlib). Files are written to a temporary name next to the target
and renamed, so a failed run never leaves half a file. Heavy modules are imported lazily. Every
word comes from labels.py in the document's language (`doc.lang`)."""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from socinvest.checks.findings import Severity
from socinvest.errors import InputError
from socinvest.reports.pool.document import Cell, PoolDocument, Table
from socinvest.reports.pool.labels import LABELS, labels
from socinvest.reports.pool.text import num, unit_text

REPORT_SUFFIXES = (".xlsx", ".html", ".docx")
CHART_SUFFIXES = (".png", ".svg")
SEVERITY_DA = {sev: LABELS["da"]["severity"][sev.value][0] for sev in Severity}
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def severity_text(sev: Severity, lang: str = "da") -> str:
    return labels(lang)["severity"][sev.value][0]


def cell_text(v: Cell, decimals: int = 0, lang: str = "da") -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return labels(lang)["yes" if v else "no"]
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        d = decimals if abs(v) < 100 else 0
        return num(v, d if abs(v - round(v)) > 1e-9 else 0, lang)
    return str(v)


def summary(findings, lang: str = "da") -> str:
    """'2 fejl, 1 advarsel, 0 bemærkninger' (da) or '2 errors, 1 warning, 0 notes' (en)."""
    parts = []
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        n = sum(1 for f in findings if f.severity is sev)
        one, many = labels(lang)["severity"][sev.value]
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


# -- terminal -------------------------------------------------------------------------------


def print_document(console, doc: PoolDocument) -> None:
    from rich.markup import escape
    from rich.table import Table as RTable
    from rich.text import Text

    lang = doc.lang
    L = labels(lang)
    console.print(Text(doc.title, style="bold"))
    for line in doc.lines:
        console.print(Text(line))
    for t in doc.tables:
        console.print()
        rt = RTable(title=t.title, title_justify="left", title_style="bold")
        for j, col in enumerate(t.columns):
            numeric = any(isinstance(r[j], float | int) for r in t.rows if j < len(r))
            rt.add_column(escape(col), justify="right" if numeric else "left")
        for r in t.rows:
            rt.add_row(*[escape(cell_text(v, t.decimals, lang)) for v in r])
        console.print(rt)
        if t.note:
            console.print(Text(t.note, style="dim"))
    for n in doc.notes:
        console.print(Text(f"• {n}", style="dim"))
    console.print()
    if doc.findings:
        ft = RTable(title=L["findings"], title_justify="left", title_style="bold", expand=True)
        for j, col in enumerate(L["finding_columns"]):
            ft.add_column(col, ratio=5 if j == 4 else None)
        for f in doc.findings:
            ft.add_row(
                Text(severity_text(f.severity, lang), style=SEVERITY_STYLE[f.severity]),
                f.code,
                escape(f.row or ""),
                "" if f.year is None else str(f.year),
                escape(f.message),
            )
        console.print(ft)
    else:
        console.print(Text(L["no_findings"], style="green"))
    has_error = any(f.severity is Severity.ERROR for f in doc.findings)
    console.print(Text(summary(doc.findings, lang), style="bold red" if has_error else "bold"))


# -- files ------------------------------------------------------------------------------------


def atomic_write(path: Path, writer: Callable[[Path], None]) -> Path:
    """Write via `writer(tmp)` to a temporary file next to `path`, then rename it."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise InputError(f"{path}: mappen {parent} findes ikke (the folder does not exist)")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_report(doc: PoolDocument, path: Path) -> Path:
    suffix = Path(path).suffix.lower()
    writers = {".xlsx": _xlsx, ".html": _html, ".docx": _docx}
    if suffix not in writers:
        L = labels(doc.lang)
        raise InputError(
            L["bad_report"].format(
                path=path, suffix=suffix or L["no_suffix"], suffixes=", ".join(REPORT_SUFFIXES)
            )
        )
    return atomic_write(path, lambda tmp: writers[suffix](doc, tmp))


def write_chart(doc: PoolDocument, path: Path) -> Path:
    suffix = Path(path).suffix.lower()
    if suffix not in CHART_SUFFIXES:
        L = labels(doc.lang)
        raise InputError(L["bad_chart"].format(path=path, suffix=suffix or L["no_suffix"]))
    return atomic_write(path, lambda tmp: _chart(doc, tmp, suffix[1:]))


def _findings_rows(doc: PoolDocument) -> list[list[str]]:
    return [
        [
            severity_text(f.severity, doc.lang),
            f.code,
            f.row or "",
            "" if f.year is None else str(f.year),
            f.message,
        ]
        for f in doc.findings
    ]


FINDING_COLUMNS = LABELS["da"]["finding_columns"]


def _xlsx(doc: PoolDocument, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 13})
    numf = wb.add_format({"num_format": "#,##0"})
    dec = wb.add_format({"num_format": "#,##0.00"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    L = labels(doc.lang)
    ws = wb.add_worksheet(L["sheet_pool"])
    r = 0
    ws.write(r, 0, doc.title, title)
    r += 1
    for line in doc.lines:
        ws.write(r, 0, line)
        r += 1
    for t in doc.tables:
        r += 1
        ws.write(r, 0, t.title, bold)
        r += 1
        for j, col in enumerate(t.columns):
            ws.write(r, j, col, bold)
        r += 1
        for row in t.rows:
            for j, v in enumerate(row):
                if isinstance(v, float | int) and not isinstance(v, bool):
                    ws.write_number(r, j, float(v), dec if t.decimals and abs(v) < 100 else numf)
                elif v is not None:
                    ws.write(r, j, str(v))
            r += 1
        if t.note:
            ws.write(r, 0, t.note)
            r += 1
    ws.set_column(0, 0, 34)
    ws.set_column(1, 30, 12)
    fs = wb.add_worksheet(L["findings"])
    for j, col in enumerate(L["finding_columns"]):
        fs.write(0, j, col, bold)
    for i, row in enumerate(_findings_rows(doc), start=1):
        for j, v in enumerate(row):
            fs.write(i, j, v, wrap if j == 4 else None)
    fs.set_column(0, 3, 14)
    fs.set_column(4, 4, 100)
    wb.close()


def _html_table(t: Table, lang: str = "da") -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
    body = []
    for row in t.rows:
        cells = []
        for v in row:
            cls = ' class="n"' if isinstance(v, float | int) and not isinstance(v, bool) else ""
            cells.append(f"<td{cls}>{html.escape(cell_text(v, t.decimals, lang))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{html.escape(t.note)}</p>' if t.note else ""
    return (
        f"<h2>{html.escape(t.title)}</h2><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


def _html(doc: PoolDocument, path: Path) -> None:
    L = labels(doc.lang)
    parts = [
        f'<!DOCTYPE html><html lang="{doc.lang}"><head><meta charset="utf-8">',
        f"<title>{html.escape(doc.title)}</title><style>",
        "body{font-family:sans-serif;max-width:80em;margin:2em auto;font-size:14px}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
        "padding:2px 6px}td.n{text-align:right;font-variant-numeric:tabular-nums}"
        ".note{color:#555;font-size:90%}",
        "</style></head><body>",
        f"<h1>{html.escape(doc.title)}</h1>",
        *[f"<p>{html.escape(line)}</p>" for line in doc.lines],
    ]
    if doc.balance:
        parts.append(_chart_bytes(doc, "svg").decode("utf-8"))
    parts += [_html_table(t, doc.lang) for t in doc.tables]
    parts += [f'<p class="note">{html.escape(n)}</p>' for n in doc.notes]
    parts.append(f"<h2>{html.escape(L['findings'])}</h2>")
    if doc.findings:
        findings = Table("", L["finding_columns"], _findings_rows(doc))
        parts.append(_html_table(findings, doc.lang).split("</h2>", 1)[1])
    else:
        parts.append(f"<p>{html.escape(L['no_findings_short'])}</p>")
    parts.append(
        f"<p><strong>{html.escape(summary(doc.findings, doc.lang))}</strong></p></body></html>"
    )
    path.write_text("\n".join(parts), encoding="utf-8")


def _docx(doc: PoolDocument, path: Path) -> None:
    import io

    from docx import Document
    from docx.shared import Mm, Pt

    L = labels(doc.lang)
    d = Document()
    d.add_heading(doc.title, level=1)
    for line in doc.lines:
        d.add_paragraph(line)
    if doc.balance:
        d.add_picture(io.BytesIO(_chart_bytes(doc, "png")), width=Mm(160))

    def table(t: Table, size: int = 7) -> None:
        tab = d.add_table(rows=1, cols=len(t.columns))
        tab.style = "Table Grid"
        for j, c in enumerate(t.columns):
            tab.rows[0].cells[j].text = c
        for row in t.rows:
            cells = tab.add_row().cells
            for j, v in enumerate(row):
                cells[j].text = cell_text(v, t.decimals, doc.lang)
        for row in tab.rows:
            for c in row.cells:
                for p in c.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(size)

    for t in doc.tables:
        d.add_heading(t.title, level=2)
        table(t)
        if t.note:
            d.add_paragraph(t.note)
    for n in doc.notes:
        d.add_paragraph(n)
    d.add_heading(L["findings"], level=2)
    if doc.findings:
        table(Table(L["findings"], L["finding_columns"], _findings_rows(doc)), 8)
    d.add_paragraph(summary(doc.findings, doc.lang))
    d.save(str(path))


# -- chart ------------------------------------------------------------------------------------


def _chart_bytes(doc: PoolDocument, fmt: str) -> bytes:
    import io

    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    L = labels(doc.lang)
    b = doc.balance or {}
    years = b.get("years", [])
    with plt.rc_context({"font.size": 8, "svg.fonttype": "none", "svg.hashsalt": "socinvest"}):
        fig, ax = plt.subplots(figsize=(6.7, 3.2))
        if "p5" in b:
            ax.fill_between(years, b["p5"], b["p95"], color="#1d3557", alpha=0.2, label="P5-P95")
            ax.plot(years, b["p50"], color="#1d3557", linestyle="--", label="P50")
        ax.plot(
            years, b.get("plain", []), color="#1d3557", marker="o", ms=3, label=L["chart_plain"]
        )
        ax.axhline(0, color="#c8553d", linewidth=0.8)
        ax.set_title(L["chart_title"])
        ax.set_ylabel(unit_text(b.get("unit", ""), doc.lang))
        ax.set_xticks(years)
        ax.tick_params(axis="x", labelrotation=45)
        ax.yaxis.set_major_formatter(
            matplotlib.ticker.FuncFormatter(lambda v, _: num(v, 0, doc.lang))
        )
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        plt.close(fig)
    return buf.getvalue()


def _chart(doc: PoolDocument, path: Path, fmt: str) -> None:
    path.write_bytes(_chart_bytes(doc, fmt))
