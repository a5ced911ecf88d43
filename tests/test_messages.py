"""The message catalogue: every marked message has its English translation, the catalogues
compile, and lazy messages are worded in the face's language."""

from __future__ import annotations

import pytest

from socinvest.i18n import LANGS, Join, Msg, render, translations, translator
from socinvest.i18n.extract import extract, po_path


@pytest.fixture(scope="module")
def extracted():
    return extract()


def _read(lang: str):
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    parts = po_path(lang).parent / "parts"
    for part in sorted(parts.glob("*.po")):  # not yet merged by `make messages`
        with part.open("rb") as f:
            for m in read_po(f, locale=lang):
                if m.id and m.string:
                    catalog[m.id] = m
    return catalog


def _strings(message) -> tuple[str, ...]:
    if message is None:
        return ()
    s = message.string
    return s if isinstance(s, tuple) else (s,)


def test_every_message_has_an_english_translation(extracted):
    en = _read("en")
    missing = [m.id for m in extracted if m.id and not all(_strings(en.get(m.id)) or [""])]
    assert not missing, (
        f"{len(missing)} messages lack English (run `make messages`): {missing[:10]}"
    )


def test_placeholders_agree_between_languages(extracted):
    import string

    en = _read("en")
    fmt = string.Formatter()

    def names(s: str) -> set[str]:
        return {f for _, f, _, _ in fmt.parse(s) if f}

    bad = []
    for m in extracted:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        for s in _strings(en.get(m.id)):
            if s and names(s) - set().union(*(names(i) for i in ids)):
                bad.append((m.id, s))
    assert not bad, bad[:5]


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_compiles(lang):
    assert translations(lang) is not None


def test_lazy_message_is_worded_in_each_language():
    # A msgid that the catalogue carries (the finding title of the seeds' commonest error).
    m = Msg("Total stemmer ikke med summen af sine dele")
    assert str(m) == "Total stemmer ikke med summen af sine dele"
    en = render(m, "en")
    assert en != str(m) and "total" in en.lower()


def test_join_renders_parts_and_keeps_plain_text():
    j = Join(("case.yaml:3:1: ", Msg("Total stemmer ikke med summen af sine dele")))
    assert j.render("da").startswith("case.yaml:3:1: Total stemmer")
    assert j.render("en").startswith("case.yaml:3:1: ")
    assert "stemmer" not in j.render("en")


def test_placeholders_are_filled_after_translation():
    tr = translator("da")
    assert tr("{a} og {b}", a="x", b=Msg("Total stemmer ikke med summen af sine dele")).startswith(
        "x og Total"
    )


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        translator("sv")
