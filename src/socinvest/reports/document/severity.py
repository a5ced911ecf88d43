"""Words and colours of a finding's severity, the few words renderers add to a document."""

from __future__ import annotations

from ...i18n import N_, translator

SEVERITY_WORD = {"error": N_("fejl"), "warning": N_("advarsel"), "info": N_("bemærkning")}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}  # rich styles
SEVERITY_COLOUR = {"error": "#b00020", "warning": "#9a6700", "info": "#1d5b79"}  # print


def severity_word(severity: str, lang: str) -> str:
    """'fejl' / 'error', 'advarsel' / 'warning', 'bemærkning' / 'note'."""
    tr = translator(lang)
    return tr(SEVERITY_WORD[severity])
