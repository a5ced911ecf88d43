"""`socinvest db backup|restore`. Two forms:

- `DEST.zip` — portable, any database (SQLite or PostgreSQL): the workspace export tree
  (`_ws_files`) plus the whole audit log (`audit.json`). Restored only into an empty database:
  the tree is imported without new audit entries, then the audit log is appended as it was,
  then one entry records the restore.
- any other name — a SQLite file copy through SQLite's backup API (SQLite only); restore
  replaces the database's content.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import select

from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.backup import backup_file, restore_file
from ..store.models import AuditEntry, Organisation
from ._ws_files import _parse_t, _t, export_tree, import_tree
from .workspace import Workspace

MAX_MEMBER = 2 * 1024 * 1024 * 1024


def backup(ws: Workspace, dest: Path) -> Path:
    dest = Path(dest)
    if dest.suffix.lower() != ".zip":
        return backup_file(ws.store.engine, dest)
    if dest.exists():
        raise InputError(Msg("{path} findes allerede", path=str(dest)))
    with tempfile.TemporaryDirectory(prefix="socinvest-backup-") as tmp:
        root = Path(tmp) / "workspace"
        export_tree(ws, root)
        with ws.store.reading() as s:
            slugs = {o.id: o.slug for o in s.scalars(select(Organisation))}
            audit = [
                {
                    "at": _t(e.at),
                    "username": e.username,
                    "user_id": e.user_id,
                    "org": slugs.get(e.org_id) if e.org_id is not None else None,
                    "entity": e.entity,
                    "entity_id": e.entity_id,
                    "action": e.action,
                    "before": e.before,
                    "after": e.after,
                }
                for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
            ]
        (root / "audit.json").write_text(
            json.dumps(audit, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8"
        )
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted(root.rglob("*")):
                if p.is_file():
                    z.write(p, p.relative_to(root).as_posix())
    return dest


def restore(ws: Workspace, src: Path) -> None:
    src = Path(src)
    if src.suffix.lower() != ".zip":
        restore_file(ws.store.engine, src)
        return
    with tempfile.TemporaryDirectory(prefix="socinvest-restore-") as tmp:
        root = Path(tmp)
        with zipfile.ZipFile(src) as z:
            for info in z.infolist():
                name = info.filename
                if name.startswith("/") or ".." in name.split("/") or info.file_size > MAX_MEMBER:
                    raise InputError(
                        Msg("{path}: ugyldigt indhold ({name})", path=str(src), name=name)
                    )
            z.extractall(root)
        import_tree(ws, root, record=False)
        entries = json.loads((root / "audit.json").read_text("utf-8"))
        with ws.store.transaction() as s:
            slugs = {o.slug: o.id for o in s.scalars(select(Organisation))}
            for e in entries:
                s.add(
                    AuditEntry(
                        at=_parse_t(e["at"]),
                        user_id=e["user_id"],
                        username=e["username"],
                        org_id=slugs.get(e["org"]) if e["org"] else None,
                        entity=e["entity"],
                        entity_id=e["entity_id"],
                        action=e["action"],
                        before=e["before"],
                        after=e["after"],
                    )
                )
            repo.audit(
                s,
                "system",
                None,
                None,
                "workspace",
                src.name,
                "restore",
                None,
                {"entries": len(entries)},
            )
