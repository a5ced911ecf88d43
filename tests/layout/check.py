"""Layout checks of a rendered PDF, from the box of every character and word (pdfplumber).

What a reader would see as broken, checked on every page:

- `overlap`: two characters of one line drawn over each other (a cell running into the next,
  `-12.967-15.140`), or two words of different lines crossing (lines too tight);
- `outside`: a character outside the printable area (closer than 5 mm to the paper's edge);
- `glued`: numbers run together into one word (`…967-15.140`), a minus alone (`-` split from
  its number: see `split`), `###` (a spreadsheet number too wide for its column);
- `split`: a number of the report's tables missing as a whole word (split over two lines or
  glued to its neighbour) — given the expected numbers (`numbers_of`);
- `sparse`: a page with fewer than MIN_LINES lines of content besides the running header and
  footer (a note orphaned from its table), a last page with fewer than LAST_LINES (a closing
  line or two alone). A picture counts as content.

`check_pdf(path, numbers)` returns the problems found (empty when the layout is sound).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MIN_LINES = 3
LAST_LINES = 5  # the last page: no closing line or two alone
EDGE = 5 * 72 / 25.4  # 5 mm: what a printer cannot print
NUMBER = re.compile(r"^[-−]?\d[\d.,]*$")
GLUED = re.compile(r"\d[.,]\d{3}[-−]\d|\d\s?%\d|^#+$")


@dataclass(frozen=True)
class Problem:
    page: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.kind}: {self.text}"


def numbers_of(doc) -> Counter[str]:
    """Every number token of the numeric columns of the document's tables (as the reader
    should find it: whole, one word)."""
    out: Counter[str] = Counter()
    for t in doc.tables:
        cols = [i for i, num in enumerate(t.numeric) if num]
        texts = [r.cells[i].text for r in t.rows for i in cols if i < len(r.cells)]
        for text in texts + [t.header[i] for i in cols]:
            for tok in text.split():
                if NUMBER.match(tok) and any(ch.isdigit() for ch in tok):
                    out[tok] += 1
    return out


def _lines(words: list[dict]) -> list[tuple[float, str]]:
    """Words grouped into lines (by their top, 2 pt apart): (top, text)."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) < 2.0:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [(r[0]["top"], " ".join(w["text"] for w in sorted(r, key=lambda w: w["x0"])))
            for r in rows]  # fmt: skip


def _overlaps(page_no: int, chars: list[dict], words: list[dict]) -> list[Problem]:
    out: list[Problem] = []
    # characters of one line (same top and size): each starts where the previous one ends
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (c["size"], c["top"])):
        last = lines[-1][-1] if lines else None
        if last is not None and last["size"] == c["size"] and c["top"] - last["top"] < 0.5:
            lines[-1].append(c)
        else:
            lines.append([c])
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        for k in range(1, len(line)):
            prev, c = line[k - 1], line[k]
            width = min(prev["x1"] - prev["x0"], c["x1"] - c["x0"])
            over = prev["x1"] - c["x0"]  # kerning ("r.", "Te") is up to 0.15 em
            if over > max(0.5 * width, 0.2 * c["size"]):
                ctx = "".join(ch["text"] for ch in line[max(0, k - 8) : k + 1])
                out.append(Problem(page_no, "overlap", f"{ctx!r} at x={c['x0']:.0f}"))
    # words of different lines that cross
    ws = sorted(words, key=lambda w: w["top"])
    for i, a in enumerate(ws):
        for b in ws[i + 1 :]:
            if b["top"] >= a["bottom"] - 0.5:
                break
            if abs(a["top"] - b["top"]) < 0.5:
                continue  # the same line: checked by characters
            xo = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            yo = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            h = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
            if xo > 0.5 and yo > 0.3 * h:
                out.append(Problem(page_no, "overlap", f"{a['text']!r} / {b['text']!r}"))
    return out


def _level(obj: dict) -> bool:
    """Not a character of rotated text."""
    if obj.get("object_type") != "char":
        return True
    m = obj.get("matrix") or (1, 0, 0, 1, 0, 0)
    return abs(m[1]) < 1e-6 and abs(m[2]) < 1e-6 and m[0] > 0


def check_pdf(path: Path, numbers: Counter[str] | None = None) -> list[Problem]:
    """The layout problems of the PDF at `path` (see the module docstring); `numbers`: the
    number tokens the document's tables hold, each to be found whole."""
    import pdfplumber

    problems: list[Problem] = []
    found: Counter[str] = Counter()
    pages: list[tuple[int, list[tuple[float, str]], int]] = []
    with pdfplumber.open(str(path)) as pdf:
        for no, whole in enumerate(pdf.pages, start=1):
            page = whole.filter(_level)  # rotated text (a chart's tick labels) is left out
            chars = [c for c in page.chars if c["text"].strip()]
            words = page.extract_words(x_tolerance=1.5, y_tolerance=1.5)
            w, h = float(page.width), float(page.height)
            for c in chars:
                if (
                    c["x0"] < EDGE
                    or c["x1"] > w - EDGE
                    or c["top"] < EDGE
                    or c["bottom"] > h - EDGE
                ):
                    problems.append(Problem(no, "outside", f"{c['text']!r} at ({c['x0']:.0f}, "
                                            f"{c['top']:.0f}) on {w:.0f}×{h:.0f}"))  # fmt: skip
                    break
            problems += _overlaps(no, chars, words)
            for wd in page.extract_words():  # the reader's words (3 pt apart)
                text = wd["text"]
                found[text] += 1
                if GLUED.search(text):
                    problems.append(Problem(no, "glued", repr(text)))
            pictures = len(page.images) + sum(1 for r in page.rects if r["height"] > 60)
            pages.append((no, _lines(words), pictures))
    if numbers is not None:
        for tok, k in numbers.items():
            if found[tok] < k:
                problems.append(Problem(0, "split", f"{tok!r} found {found[tok]} of {k} times"))
    problems += _sparse(pages)
    return problems


def _sparse(pages: list[tuple[int, list[tuple[float, str]], int]]) -> list[Problem]:
    """Pages with fewer than MIN_LINES lines besides those repeated on most pages (running
    header and footer, with their page numbers)."""
    if not pages:
        return [Problem(0, "sparse", "no pages")]

    def norm(text: str) -> str:
        return re.sub(r"\d+", "#", text)

    seen: Counter[str] = Counter()
    for _, lines, _ in pages:
        seen.update({norm(t) for _, t in lines})
    running = {t for t, k in seen.items() if len(pages) > 1 and k > len(pages) / 2}
    out = []
    for no, lines, pictures in pages:
        content = [t for _, t in lines if norm(t) not in running]
        least = LAST_LINES if no == len(pages) and no > 1 else MIN_LINES
        if len(content) + 10 * pictures < least:
            out.append(Problem(no, "sparse", f"{len(content)} lines: {content!r}"))
    return out


def check_all(paths: Iterable[tuple[Path, Counter[str] | None]]) -> dict[Path, list[Problem]]:
    """`check_pdf` over many files: {path: problems} for the files with any."""
    out = {}
    for p, numbers in paths:
        found = check_pdf(p, numbers)
        if found:
            out[p] = found
    return out
