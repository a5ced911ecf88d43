"""The case layer's words for what its parsers report: pydantic's error types and PyYAML's
problems become catalogue messages (Danish msgids, English in the catalogue), so a located error
reads in the face's language instead of the parsers' English.

Validators raise `errors.InvalidValue` carrying a `Msg`; pydantic keeps that exception in the
error's `ctx["error"]`, and `pydantic_message` returns its message unchanged. A `ValueError`
with a plain text (another package's validator) is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic_core import ErrorDetails

from ..errors import Text
from ..i18n import N_, Join, Msg

HINT_SEP = " – "

# pydantic error type -> (message, hint); the English msgstr is pydantic's own wording.
_TYPES: dict[str, tuple[str, str | None]] = {
    "missing": (N_("nøglen mangler"), N_("tilføj denne nøgle")),
    "extra_forbidden": (
        N_("nøglen er ikke tilladt her"),
        N_("ukendt nøgle; tjek stavningen mod `socinvest schema`"),
    ),
    "float_parsing": (
        N_("skal være et tal; teksten kan ikke læses som et tal"),
        N_("skriv et tal med '.' som decimaltegn, fx 7500 eller 0.5"),
    ),
    "float_type": (N_("skal være et tal"), N_("skriv et tal, fx 7500")),
    "finite_number": (N_("skal være et endeligt tal"), None),
    "int_parsing": (
        N_("skal være et heltal; teksten kan ikke læses som et heltal"),
        N_("skriv et helt tal, fx 2017"),
    ),
    "int_from_float": (
        N_("skal være et heltal, men tallet har decimaler"),
        N_("skriv et helt tal, fx 2017"),
    ),
    "int_type": (N_("skal være et heltal"), None),
    "bool_parsing": (N_("skal være true eller false"), None),
    "bool_type": (N_("skal være true eller false"), None),
    "string_type": (
        N_("skal være tekst"),
        N_("skriv tekst (sæt den i anførselstegn, hvis den ligner et tal)"),
    ),
    "dict_type": (N_("skal være en mapping"), N_("skriv linjer af formen nøgle: værdi")),
    "model_type": (N_("skal være en mapping"), N_("skriv linjer af formen nøgle: værdi")),
    "model_attributes_type": (
        N_("skal være en mapping"),
        N_("skriv linjer af formen nøgle: værdi"),
    ),
    "list_type": (N_("skal være en liste"), N_("skriv en liste (linjer, der begynder med '- ')")),
    "string_pattern_mismatch": (
        N_("ikke et gyldigt navn"),
        N_("brug kun bogstaver, cifre og _, og begynd med et bogstav"),
    ),
    "enum": (N_("skal være {expected}"), None),
    "literal_error": (N_("skal være {expected}"), None),
    "greater_than": (N_("skal være større end {gt}"), None),
    "greater_than_equal": (N_("skal være mindst {ge}"), None),
    "less_than": (N_("skal være mindre end {lt}"), None),
    "less_than_equal": (N_("skal være højst {le}"), None),
    "union_tag_invalid": (
        N_("'{tag}' er ikke en af de mulige værdier for {discriminator}: {expected_tags}"),
        None,
    ),
    "union_tag_not_found": (N_("nøglen {discriminator} mangler"), None),
    # custom_error_type of the case's driver union (schema.Driver): its message is a msgid
    "driver_type": (
        N_(
            "en driver skal have en af nøglerne 'fte' (med 'rate'), 'count' (med 'price'), "
            "'expr' eller 'ladder'"
        ),
        None,
    ),
    # custom_error_type of the pool's repayment union (pool.schema.Repayment)
    "repayment_kind": (
        N_(
            "repayment skal have 'kind: fixed' (med amount, start, years), 'kind: share' "
            "(med share) eller 'kind: schedule' (med amounts)"
        ),
        None,
    ),
}
DANISH_ENUMS = {
    "besparelse": "saving",
    "effektivisering": "saving",
    "omkostning": "cost",
    "omkostninger": "cost",
    "merudgift": "cost",
    "investering": "investment",
    "implementeringsomkostning": "investment",
    "anlæg": "anlaeg",
    "overførsler": "overfoersler",
    "egen": "own",
    "pulje": "pool",
    "investeringspulje": "pool",
    "ekstern": "external",
}


def with_hint(message: Text, hint: Text | None) -> Text:
    """`message – hint`: the separator is not worded, both texts are."""
    return Join((message, HINT_SEP, hint)) if hint is not None else message


def with_known(message: Text, names: Iterable[str]) -> Text:
    """`message (kendte: a, b)`, or the message alone when there is nothing to name."""
    names = sorted(names)
    if not names:
        return message
    return Join((message, " ", Msg("(kendte: {names})", names=", ".join(names))))


def did_you_mean(name: str) -> Msg:
    return Msg("ukendt nøgle; mente du '{name}'? (tjek stavningen)", name=name)


def _number(v: Any) -> str:
    """A bound as pydantic prints it and the file writes it: 1.0 -> '1', 0.035 -> '0.035'."""
    return f"{v:g}" if isinstance(v, float) else str(v)


def _either(expected: str) -> Text:
    """pydantic's "'a', 'b' or 'c'" with the last 'or' worded by the catalogue."""
    if " or " not in expected:
        return expected
    head, last = expected.rsplit(" or ", 1)
    return Msg("{a} eller {b}", a=head, b=last)


def pydantic_message(e: ErrorDetails) -> tuple[Text, Text | None]:
    """(message, hint) for one error of `ValidationError.errors()`, in catalogue words."""
    kind, ctx = e["type"], e.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        err = ctx.get("error")
        if err is not None and hasattr(err, "render") and hasattr(err, "message"):
            return err.message, None
        msg = str(e["msg"])
        return msg.split(", ", 1)[1] if msg.startswith(
            ("Value error, ", "Assertion failed, ")
        ) else msg, None
    if kind == "too_short" and ctx.get("field_type") == "List":
        n = int(ctx.get("min_length", 1))
        return (
            Msg.plural_of(
                "listen skal have mindst {min_length} element, ikke {actual_length}",
                "listen skal have mindst {min_length} elementer, ikke {actual_length}",
                n,
                min_length=n,
                actual_length=ctx.get("actual_length", 0),
            ),
            Msg("tilføj mindst ét element"),
        )
    if kind == "string_too_short":
        n = int(ctx.get("min_length", 1))
        return (
            Msg.plural_of(
                "teksten skal have mindst {min_length} tegn",
                "teksten skal have mindst {min_length} tegn",
                n,
                min_length=n,
            ),
            None,
        )
    if kind not in _TYPES:
        return Msg("ugyldig værdi: {detail}", detail=str(e["msg"])), None
    text, hint = _TYPES[kind]
    params: dict[str, Any] = {k: _number(v) for k, v in ctx.items() if k != "expected"}
    if "expected" in ctx:
        params["expected"] = _either(str(ctx["expected"]))
    hint_msg: Text | None = Msg(hint) if hint else None
    if kind == "enum":
        given = str(e.get("input", "")).strip().lower()
        if given in DANISH_ENUMS:
            hint_msg = Msg(
                "skriv '{value}' (case-filen bruger engelske værdier)", value=DANISH_ENUMS[given]
            )
    return Msg(text, **params), hint_msg


# -- PyYAML's problems ------------------------------------------------------------------

# substring of PyYAML's problem -> hint
_YAML_HINTS = {
    "mapping values are not allowed here": N_(
        "tjek indrykningen, og sæt tekst, der indeholder ': ', i anførselstegn"
    ),
    "could not find expected ':'": N_("tjek indrykningen, og at hver nøgle slutter med ':'"),
    "did not find expected key": N_("tjek indrykningen af denne blok"),
    "found unexpected end of stream": N_(
        "luk det anførselstegn eller den parentes, der blev åbnet"
    ),
}
# PyYAML's context (without 'while ') -> what it was reading
_YAML_CONTEXTS = {
    "scanning a quoted scalar": N_("en tekst i anførselstegn"),
    "scanning a simple key": N_("en nøgle før ':'"),
    "scanning a plain scalar": N_("en værdi uden anførselstegn"),
    "scanning a block scalar": N_("en tekstblok (| eller >)"),
    "parsing a block mapping": N_("en blok af nøgle: værdi-linjer"),
    "parsing a block collection": N_("en liste af linjer med '- '"),
    "parsing a flow sequence": N_("en liste i [ ]"),
    "parsing a flow mapping": N_("en mapping i { }"),
}
_YAML_FIXED = {
    "mapping values are not allowed here": N_("et 'nøgle: værdi'-par er ikke tilladt her"),
    "could not find expected ':'": N_("kolonet ':' efter en nøgle mangler"),
    "did not find expected key": N_("forventede en nøgle her"),
    "found unexpected end of stream": N_("filen slutter uventet"),
    "did not find expected '-' indicator": N_("forventede en listelinje, der begynder med '-'"),
}


def _yaml_problem(problem: str) -> Text:
    if problem in _YAML_FIXED:
        return Msg(_YAML_FIXED[problem])
    if m := re.fullmatch(r"found character (.+) that cannot start any token", problem):
        return Msg("tegnet {char} kan ikke stå her", char=m.group(1))
    if m := re.fullmatch(r"expected (.+), but (?:found|got) (.+)", problem):
        return Msg("forventede {expected}, men fandt {found}", expected=_either(m[1]), found=m[2])

    return problem  # a rarer problem, as PyYAML words it


def _yaml_context(context: str) -> Text:
    what = context.removeprefix("while ")
    return Msg(_YAML_CONTEXTS[what]) if what in _YAML_CONTEXTS else what


def yaml_error(e: Any) -> tuple[Text, Any]:
    """A PyYAML error -> (catalogue text with its hint, the mark to locate it at)."""
    mark = getattr(e, "problem_mark", None)
    raw = getattr(e, "problem", None) or str(e)
    context, cmark = getattr(e, "context", None), getattr(e, "context_mark", None)
    problem = _yaml_problem(raw)
    if context and cmark and mark and "end of stream" in raw:
        # An unclosed quote or bracket: point at where it opens, not at the file's end.
        problem = Msg(
            "{what} lukkes aldrig ({problem})", what=_yaml_context(context), problem=problem
        )
        mark = cmark
    elif context and cmark:
        problem = Msg(
            "{problem} (i {what}, der begynder i linje {line}, kolonne {col})",
            problem=problem,
            what=_yaml_context(context),
            line=cmark.line + 1,
            col=cmark.column + 1,
        )
    hint: Text | None = next((Msg(h) for k, h in _YAML_HINTS.items() if k in raw), None)
    if "cannot start any token" in raw:
        tab = "'\\t'" in raw
        hint = (
            Msg("brug mellemrum til indrykning, ikke tabulatorer")
            if tab
            else Msg("sæt teksten i anførselstegn")
        )
    return with_hint(Msg("YAML-fejl: {problem}", problem=problem), hint), mark
