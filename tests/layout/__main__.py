"""`python -m tests.layout [--cases N] [--start S] [--formats pdf,docx,xlsx] [--out DIR]`:
the layout checks over N generated cases (both languages, alternating) and the examples;
prints the count of files checked and every problem; exit 1 if any (make layout)."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from socinvest.engine.resolve import evaluate
from socinvest.reports.document import build_document
from socinvest.services.case import case_bundle, load_case

from .cases import case_for
from .run import render_and_check

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.layout")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--formats", default="pdf,docx,xlsx")
    ap.add_argument("--batch", type=int, default=25, help="files per LibreOffice call")
    ap.add_argument("--no-examples", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "layout")
    a = ap.parse_args(argv)
    formats = tuple(a.formats.split(","))
    t0 = time.time()
    docs = []
    if not a.no_examples:
        for f in sorted((ROOT / "examples").glob("*.yaml")):
            bundle = case_bundle(load_case(f), draws=500)
            docs += [(f"{f.stem}-{lang}", build_document(bundle, lang)) for lang in ("da", "en")]
    for s in range(a.start, a.start + a.cases):
        docs.append((f"gen-{s}", build_document(evaluate(case_for(s)), ("da", "en")[s % 2])))
    problems: dict[str, list] = {}
    checked = 0
    for k in range(0, len(docs), a.batch):
        found, n = render_and_check(docs[k : k + a.batch], a.out, formats)
        problems.update(found)
        checked += n
        print(f"{min(k + a.batch, len(docs))}/{len(docs)} documents, {checked} files checked, "
              f"{len(problems)} with problems ({time.time() - t0:.0f} s)", flush=True)  # fmt: skip
    kinds: Counter[str] = Counter(p.kind for ps in problems.values() for p in ps)
    for f, ps in sorted(problems.items()):
        for p in ps[:5]:
            print(f"{f}: {p}")
    print(f"{checked} files of {len(docs)} documents checked; {len(problems)} with problems "
          f"{dict(kinds)}")  # fmt: skip
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
