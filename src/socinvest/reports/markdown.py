"""Markdown report: headings, pipe tables, lists; charts as SVG images (data URIs or files).

Lays out the report document (document.py) and computes nothing.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Literal

from ..i18n import translator
from .document.model import Findings, ReportDocument, Table
from .document.severity import severity_word


def _esc(text: str) -> str:
    """Escape what would break a pipe table or start Markdown markup inside a cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(t: Table) -> list[str]:
    def align(i: int) -> str:
        if i in t.centered:
            return ":-:"
        return "--:" if t.numeric[i] else ":--"

    out = [f"**{_esc(t.caption)}**", ""]
    out.append("| " + " | ".join(_esc(h) for h in t.header) + " |")
    out.append("|" + "|".join(align(i) for i in range(len(t.header))) + "|")
    for r in t.rows:
        cells = [_esc(c.text) for c in r.cells]
        if r.style in ("total", "section") and cells and cells[0]:
            cells = [f"**{c}**" if c else c for c in cells]
        out.append("| " + " | ".join(cells) + " |")
    if t.note:
        out += ["", f"*{_esc(t.note)}*"]
    return out


def _findings(b: Findings, lang: str) -> list[str]:
    out = [f"**{_esc(b.title)}**", ""] if b.title else []
    if b.summary:
        out += [b.summary, ""]
    for f in b.items:
        where = f" ({f.where})" if f.where else ""
        out.append(f"- **{severity_word(f.severity, lang)}** `{f.code}`{where}: {f.text}")
    if not b.items and b.empty:
        out.append(b.empty)
    return out + [""]


def render_markdown(doc: ReportDocument, figure_files: dict[int, str] | None = None) -> str:
    """The document as Markdown; `figure_files` maps figure numbers to image links."""
    figure_files = figure_files or {}
    out: list[str] = [f"*{doc.kicker}*", "", f"# {doc.title}", ""]
    for s in doc.sections:
        if s.heading:
            out += [f"## {s.heading}", ""]
        for b in s.blocks:
            if b.kind == "fields":
                for k, v in b.items:
                    out += [f"**{k}:** {v}", ""]
            elif b.kind == "table":
                out += _table(b) + [""]
            elif b.kind == "paragraph":
                out += [b.text, ""]
            elif b.kind == "note":
                out += [f"> {b.text}", ""]
            elif b.kind == "keyfigures":
                out += [f"**{b.title}**", ""]
                out += [f"- {k}: **{v}**" for k, v in b.items] + [""]
            elif b.kind == "subheading":
                out += [f"### {b.text}", ""]
            elif b.kind == "list":
                out += [f"- {item}" for item in b.items] + [""]
            elif b.kind == "findings":
                out += _findings(b, doc.lang)
            elif b.kind == "figure":
                if b.number in figure_files:
                    out += [f"![{b.caption}]({figure_files[b.number]})", ""]
                out += [f"*{b.caption}*", ""]
    out += ["---", "", doc.footer, ""]
    return "\n".join(out)


def write_md(
    doc: ReportDocument,
    path: Path,
    charts: Literal["inline", "files", "none"] = "inline",
) -> None:
    """Write the report as Markdown with pipe tables; returns the path.

    Charts: `inline` (default) embeds each SVG as a data URI, so the file stands alone and may
    be renamed (the CLI writes to a temporary name first); `files` writes
    `<name>-figur-<n>.svg` next to the file and links it; `none` keeps only the captions.
    """
    p = Path(path)
    links: dict[int, str] = {}
    if charts != "none":
        from .charts import chart_svg

        tr = translator(doc.lang)
        word = tr("figur")
        for f in doc.figures:
            svg = '<?xml version="1.0" encoding="utf-8"?>\n' + chart_svg(f.spec)
            if charts == "inline":
                data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
                links[f.number] = f"data:image/svg+xml;base64,{data}"
            else:
                name = f"{p.stem}-{word}-{f.number}.svg"
                (p.parent / name).write_text(svg, encoding="utf-8")
                links[f.number] = name
    p.write_text(render_markdown(doc, links), encoding="utf-8")
