"""Extraction of the catalogue's messages from the code (Babel), used by `make messages` and by
the test that every message has an English translation."""

from __future__ import annotations

from pathlib import Path

from . import DOMAIN, LANGS, LOCALE_DIR

SRC = Path(__file__).resolve().parents[1]
KEYWORDS = {
    "tr": None,
    "N_": None,
    "Msg": None,
    "gettext": None,
    "ngettext": (1, 2),
    "plural_of": (1, 2),
    "C_": ((1, "c"), 2),  # a msgid with a gettext context: C_("rows", "Besparelse")
}
METHOD_MAP = [("**.py", "python"), ("**/templates/**.j2", "jinja2")]


def extract():
    """A Babel catalogue of every marked message in the package, with its places."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="socinvest", domain=DOMAIN)
    options = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SRC), METHOD_MAP, options, KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> dict[str, int]:
    """Extract, then update every language's `.po` (new messages added, vanished ones dropped,
    translations kept). Returns how many messages each language lacks a translation for."""
    from babel.messages.pofile import read_po, write_po

    template = extract()
    missing = {}
    for lang in LANGS:
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as f:
                catalog = read_po(f, locale=lang, domain=DOMAIN)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, domain=DOMAIN, project="socinvest")
        for part in sorted((path.parent / "parts").glob("*.po")):
            with part.open("rb") as f:
                for m in read_po(f, locale=lang, domain=DOMAIN):
                    if m.id and m.string:
                        catalog[m.id] = m
            part.unlink()
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        catalog.obsolete.clear()
        with path.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True, omit_header=False)
        missing[lang] = sum(1 for m in catalog if m.id and not m.string)
    return missing


def compile_all() -> None:
    """Compile every `.po` to its `.mo` (the build step)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for lang in LANGS:
        po = po_path(lang)
        if not po.exists():
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)


if __name__ == "__main__":  # pragma: no cover - `make messages`
    import sys

    if sys.argv[1:] == ["compile"]:
        compile_all()
    else:
        for lang, n in update().items():
            print(f"{lang}: {n} messages without a translation")
        compile_all()
