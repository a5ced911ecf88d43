"""Markdown report: headings, pipe tables, lists; charts as SVG files beside it (or data URIs).

Lays out the report document (document.py) and computes nothing. Every text of the document
is escaped (`_esc`, `_block`): a case title or line label is shown as written and never
becomes HTML (`<script>`), a link or an image (`[x](javascript:…)`, `![y](data:…)`), a
heading, a list or a quote; the only links in the file are the report's own charts.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Literal

from ..i18n import translator
from .document.model import Findings, ReportDocument, Table
from .document.severity import severity_word
from .safetext import clean

_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "[": "\\[",
        "]": "\\]",
        "`": "\\`",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "\n": " ",
    }
)
_LEADING = re.compile(r"^(\s*)(?:([#=+*-])|(\d+)([.)]))")


def _esc(text: str) -> str:
    """Text inline (a cell, a heading, an item): no HTML (< > & as entities), no links or
    images (brackets escaped), no code spans, and nothing that breaks a pipe table."""
    return text.translate(_ESCAPES)


def _block(text: str) -> str:
    """Text that starts a line (a paragraph, a list item): `_esc`, and a leading #, -, +, *,
    = or '1.' escaped so that it does not become a heading, a list or a rule."""

    def escape(m: re.Match[str]) -> str:
        if m.group(2):
            return f"{m.group(1)}\\{m.group(2)}"
        return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"

    return _LEADING.sub(escape, _esc(text))


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
        out += [_block(b.summary), ""]
    for f in b.items:
        where = f" ({_esc(f.where)})" if f.where else ""
        word = _esc(severity_word(f.severity, lang))
        out.append(f"- **{word}** `{_esc(f.code)}`{where}: {_esc(f.text)}")
    if not b.items and b.empty:
        out.append(_block(b.empty))
    return out + [""]


def render_markdown(doc: ReportDocument, figure_files: dict[int, str] | None = None) -> str:
    """The document as Markdown; `figure_files` maps figure numbers to image links."""
    figure_files = figure_files or {}
    doc = clean(doc)
    out: list[str] = [f"*{_esc(doc.kicker)}*", "", f"# {_esc(doc.title)}", ""]
    for s in doc.sections:
        if s.heading:
            out += [f"## {_esc(s.heading)}", ""]
        for b in s.blocks:
            if b.kind == "fields":
                for k, v in b.items:
                    out += [f"**{_esc(k)}:** {_esc(v)}", ""]
            elif b.kind == "table":
                out += _table(b) + [""]
            elif b.kind == "paragraph":
                out += [_block(b.text), ""]
            elif b.kind == "note":
                out += [f"> {_esc(b.text)}", ""]
            elif b.kind == "keyfigures":
                out += [f"**{_esc(b.title)}**", ""]
                out += [f"- {_esc(k)}: **{_esc(v)}**" for k, v in b.items] + [""]
            elif b.kind == "subheading":
                out += [f"### {_esc(b.text)}", ""]
            elif b.kind == "list":
                out += [f"- {_esc(item)}" for item in b.items] + [""]
            elif b.kind == "findings":
                out += _findings(b, doc.lang)
            elif b.kind == "figure":
                if b.number in figure_files:  # the report's own chart: a data URI or a file
                    out += [f"![{_esc(b.caption)}]({figure_files[b.number]})", ""]
                out += [f"*{_esc(b.caption)}*", ""]
    out += ["---", "", _block(doc.footer), ""]
    return "\n".join(out)


def chart_files(doc: ReportDocument, path: Path) -> dict[int, tuple[str, str]]:
    """The report's charts as SVG files beside `path`: figure number -> (file name, SVG text).

    Names are `<name>-figur-<n>.svg` (`-figure-` in English); each SVG has `role="img"` and a
    `<title>` (its caption) and no drawn title, as the caption below it names the chart.
    """
    from .charts import chart_svg

    doc = clean(doc)
    tr = translator(doc.lang)
    word = tr("figur")
    p = Path(path)
    out: dict[int, tuple[str, str]] = {}
    for f in doc.figures:
        svg = chart_svg(f.spec, title=False, alt=f.caption)
        out[f.number] = (f"{p.stem}-{word}-{f.number}.svg", _XML + svg)
    return out


_XML = '<?xml version="1.0" encoding="utf-8"?>\n'


def links_to(files: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Relative links (URL-quoted file names) to the chart files."""
    from urllib.parse import quote

    return {n: quote(name) for n, (name, _svg) in files.items()}


def write_md(
    doc: ReportDocument,
    path: Path,
    charts: Literal["inline", "files", "none"] = "inline",
) -> None:
    """Write the report as Markdown with pipe tables.

    Charts: `inline` (default) embeds each SVG as a data URI (one file that stands alone);
    `files` writes `<name>-figur-<n>.svg` next to the file and links it; `none` keeps only the
    captions. `registry.render_file` writes `.md` reports with chart files, each through the
    safe writer (`registry.write_markdown_with_charts`).
    """
    p = Path(path)
    links: dict[int, str] = {}
    if charts != "none":
        files = chart_files(doc, p)
        if charts == "inline":
            for n, (_name, svg) in files.items():
                data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
                links[n] = f"data:image/svg+xml;base64,{data}"
        else:
            for name, svg in files.values():
                (p.parent / name).write_text(svg, encoding="utf-8")
            links = links_to(files)
    p.write_text(render_markdown(doc, links), encoding="utf-8")
