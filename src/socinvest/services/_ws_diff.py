"""The difference between two versions of a document: a structured diff of its data (lines
by id, parameters by name, stated figures by label, other keys whole) and a unified text diff."""

from __future__ import annotations

import difflib
from typing import Any

from ..store.models import Version
from ._ws_access import Actor
from ._ws_views import org_row, readable_doc, version_info, version_row
from .workspace import Change, VersionDiff, Workspace


def _keyed(items: Any, key: str) -> dict[str, Any]:
    if isinstance(items, dict):
        return {str(k): v for k, v in items.items()}
    out: dict[str, Any] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        k = item.get(key) if isinstance(item, dict) else None
        name = str(k) if k is not None else f"#{i + 1}"
        while name in out:
            name += "'"
        out[name] = item
    return out


def _stated_key(item: Any, i: int) -> str:
    if isinstance(item, dict):
        return str(item.get("label") or item.get("of") or item.get("lines") or f"#{i + 1}")
    return f"#{i + 1}"


def _compare(section: str, a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    out = []
    for k in list(a) + [k for k in b if k not in a]:
        if k not in b:
            out.append(Change(section, k, "removed", a[k], None))
        elif k not in a:
            out.append(Change(section, k, "added", None, b[k]))
        elif a[k] != b[k]:
            out.append(Change(section, k, "changed", a[k], b[k]))
    return out


def diff_data(a: dict[str, Any] | None, b: dict[str, Any] | None) -> tuple[Change, ...]:
    """Structured differences: lines by id, parameters by name, stated figures by label,
    every other top-level key as a whole."""
    a, b = a or {}, b or {}
    out = _compare("lines", _keyed(a.get("lines"), "id"), _keyed(b.get("lines"), "id"))
    out += _compare(
        "parameters", _keyed(a.get("parameters") or {}, ""), _keyed(b.get("parameters") or {}, "")
    )
    sa = {_stated_key(x, i): x for i, x in enumerate(a.get("stated") or [])}
    sb = {_stated_key(x, i): x for i, x in enumerate(b.get("stated") or [])}
    out += _compare("stated", sa, sb)
    skip = {"lines", "parameters", "stated"}
    out += _compare(
        "other",
        {k: v for k, v in a.items() if k not in skip},
        {k: v for k, v in b.items() if k not in skip},
    )
    return tuple(out)


def _lines(v: Version) -> list[str]:
    if v.text is not None:
        return v.text.splitlines(keepends=True)
    return [f"<{len(v.blob or b'')} bytes, sha256 {v.sha256}>\n"]


def diff(ws: Workspace, actor: Actor, org: str, path: str, a: int, b: int) -> VersionDiff:
    with ws.store.reading() as s:
        o = org_row(s, actor, org)
        d = readable_doc(s, actor, o, path)
        va, vb = version_row(s, d, a), version_row(s, d, b)
        unified = "".join(
            difflib.unified_diff(_lines(va), _lines(vb), f"{d.path}@{a}", f"{d.path}@{b}")
        )
        return VersionDiff(
            d.path, version_info(va), version_info(vb), diff_data(va.data, vb.data), unified
        )
