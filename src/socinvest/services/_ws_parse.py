"""Validating a document before it is saved, and the figures saved beside its version.

The file itself is checked strictly (a case, pool or follow-up file that does not load is
refused, located as file:line:col); figures that need other files (a pool's ledger, a
follow-up's realised payback) are computed when those files are there, else left out — files
of a workspace arrive one at a time. CPR-like values refuse a follow-up or data file."""

from __future__ import annotations

import datetime as dt
import io
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..case.yamlsafe import load_checked, safe_load
from ..errors import InputError
from ..followup.privacy import cpr_error, find_cpr, refuse_cpr
from ..i18n import Msg
from ..store.models import Kind

YAML = (".yaml", ".yml")
MAX_DOCUMENT = 20 * 1024 * 1024  # bytes: a file of the workspace (attachments: _ws_upload)


@dataclass(frozen=True)
class Parsed:
    """What a save writes beside the version: parsed data, the case's summary fields, a pool's
    applications and balance, a follow-up's measurements, repayments and case."""

    kind: Kind
    data: dict[str, Any] | None
    case_summary: dict[str, Any] | None = None
    doc_summary: dict[str, Any] | None = None
    applications: tuple[dict[str, Any], ...] = ()
    measurements: tuple[dict[str, Any], ...] = ()
    repayments: tuple[dict[str, Any], ...] = ()
    case_path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def jsonable(v: Any) -> Any:
    """YAML data as JSON: keys as strings, dates ISO, non-finite floats as strings."""
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [jsonable(x) for x in v]
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, bytes):
        return v.hex()
    return v


_TOP_KEY = re.compile(r"^([A-Za-z_$][\w$-]*)\s*:", re.MULTILINE)


def guess_kind(path: str, content: str | bytes) -> Kind:
    """From the suffix and the top-level keys (read without parsing): lines and a horizon or
    unit → case, applications → pool, case and price_index → follow-up; else a data file."""
    if isinstance(content, bytes) or not path.lower().endswith(YAML):
        return Kind.DATA
    keys = set(_TOP_KEY.findall(content))
    if "lines" in keys and ("horizon" in keys or "unit" in keys):
        return Kind.CASE
    if "applications" in keys:
        return Kind.POOL
    if "case" in keys and "price_index" in keys:
        return Kind.FOLLOWUP
    if not keys and content.strip():
        return Kind.CASE  # not a mapping: validation as a case says what is wrong, located
    return Kind.DATA


def validated_json(text: str) -> Any:
    """The data of a text already validated by its located loader, as JSON."""
    return jsonable(load_checked(text))


def as_text(content: str | bytes) -> str | bytes:
    """UTF-8 without NUL is stored as text (diffable); anything else as bytes."""
    if isinstance(content, str):
        return content.encode("utf-8") if "\x00" in content else content
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return content
    return content if "\x00" in text else text


def refuse_cpr_in(path: str, content: str | bytes) -> None:
    """Refuse a follow-up or data file holding a CPR-like value (the message never shows it)."""
    if isinstance(content, str):
        refuse_cpr(content, path, delimiter=";" if path.lower().endswith(".csv") else ",")
        return
    if content[:2] == b"PK":  # a workbook: its cells are in the sheets' and strings' XML
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                for info in z.infolist():
                    if info.filename.endswith(".xml") and info.file_size < 64 * 1024 * 1024:
                        text = z.read(info).decode("utf-8", "replace")
                        if find_cpr(text.replace("<", " <").replace(">", "> ")) is not None:
                            raise cpr_error(f"{path} ({info.filename})")
        except zipfile.BadZipFile:
            return


def resolve(base: str, ref: str) -> str:
    """A reference written in the file at `base`, as a workspace path."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), ref))


def check_size(path: str, content: str | bytes) -> None:
    size = len(content.encode("utf-8") if isinstance(content, str) else content)
    if size > MAX_DOCUMENT:
        raise InputError(
            Msg(
                "{path} er for stor ({size} byte; højst {cap})",
                path=path,
                size=size,
                cap=MAX_DOCUMENT,
            )
        )


def parse(path: str, content: str | bytes, kind: Kind, root: Path | None) -> Parsed:
    """Validate `content` as a `kind` document at `path`; `root`: the organisation's files
    written out (with this one), for what refers to other files (None: not needed/known)."""
    check_size(path, content)
    if kind in (Kind.CASE, Kind.POOL, Kind.FOLLOWUP) and not isinstance(content, str):
        raise InputError(Msg("{path} skal være en tekstfil (UTF-8 YAML)", path=path))
    if kind == Kind.CASE:
        from ._ws_figures import case_figures

        assert isinstance(content, str)
        data, summary = case_figures(path, content, root)
        return Parsed(kind, data, case_summary=summary)
    if kind == Kind.POOL:
        from ._ws_figures import pool_figures

        assert isinstance(content, str)
        return pool_figures(path, content, root)
    if kind == Kind.FOLLOWUP:
        from ._ws_figures import followup_figures

        assert isinstance(content, str)
        refuse_cpr_in(path, content)
        return followup_figures(path, content, root)
    refuse_cpr_in(path, content)
    meta: dict[str, Any] | None = None
    if isinstance(content, str) and path.lower().endswith(YAML):
        loaded = jsonable(safe_load(content, path))
        meta = loaded if isinstance(loaded, dict) else {"value": loaded}
    return Parsed(Kind.DATA, meta)


def needs_root(kind: Kind, content: str | bytes) -> bool:
    """Whether validating needs the organisation's other files (ladder, pool, follow-up)."""
    if kind in (Kind.POOL, Kind.FOLLOWUP):
        return True
    return kind == Kind.CASE and isinstance(content, str) and names_files(content)


_REFERS = re.compile(r"^[^#\n]*\b(ladder|catalogue)\s*:", re.MULTILINE)


def names_files(text: str) -> bool:
    """Whether a case text names other files (ladder lines, a consequence catalogue)."""
    return _REFERS.search(text) is not None
