"""`workspace export DIR` / `workspace import DIR`: the whole workspace as the project's files
and back, exactly (export → import into an empty store → export gives a byte-identical tree).

Layout (docs/workspace.md):
    manifest.json                         users, organisations, departments, committees, roles,
                                          documents with every version's metadata, attachments
    orgs/<org>/files/<path>               the latest version of every file: a folder the CLI
                                          reads (`socinvest run`, `pool status`, `followup …`)
    orgs/<org>/versions/<path>/vNNNN<ext> every version as saved (text or bytes)
    orgs/<org>/attachments/NNNN-<name>    originals as uploaded

Password hashes are exported (argon2; never a plain password): the tree is as sensitive as
the database. Figures stored beside versions are recomputed on import; the audit log is not
part of the tree (export it with `audit export`); the import writes its own audit entries."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.models import (
    Attachment,
    Committee,
    Department,
    Document,
    Membership,
    Organisation,
    User,
    Version,
)
from ._ws_docs import save_in
from ._ws_tree import write_file
from ._ws_upload import safe_name
from ._ws_views import aware, clean_path
from .workspace import Workspace

FORMAT = "socinvest-workspace/1"


def _t(t: dt.datetime) -> str:
    return aware(t).isoformat()


def _parse_t(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s)


def _version_file(path: str, number: int) -> str:
    return f"versions/{path}/v{number:04d}{posixpath.splitext(path)[1]}"


def export_tree(ws: Workspace, dest: Path) -> Path:
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise InputError(Msg("mappen {path} er ikke tom", path=str(dest)))
    dest.mkdir(parents=True, exist_ok=True)
    with ws.store.reading() as s:
        users = list(s.scalars(select(User).order_by(User.username)))
        names = {u.id: u.username for u in users}
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "users": [
                {
                    "username": u.username,
                    "display_name": u.display_name,
                    "password_hash": u.password_hash,
                    "active": u.active,
                    "created_at": _t(u.created_at),
                    # kept, so a restore does not bring back sessions ended before the backup
                    "session_epoch": u.session_epoch,
                }
                for u in users
            ],
            "organisations": [],
        }
        for o in s.scalars(select(Organisation).order_by(Organisation.slug)):
            manifest["organisations"].append(_export_org(s, o, names, dest / "orgs" / o.slug))
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (dest / "manifest.json").write_text(text, encoding="utf-8")
    return dest


def _export_org(s: Any, o: Organisation, names: dict[int, str], root: Path) -> dict[str, Any]:
    deps = {d.id: d for d in s.scalars(select(Department).where(Department.org_id == o.id))}
    docs = list(s.scalars(select(Document).where(Document.org_id == o.id).order_by(Document.path)))
    paths = {d.id: d.path for d in docs}
    out_docs = []
    for d in docs:
        versions = []
        for v in s.scalars(
            select(Version).where(Version.document_id == d.id).order_by(Version.number)
        ):
            content = v.text if v.text is not None else (v.blob or b"")
            rel = _version_file(d.path, v.number)
            write_file(root, rel, content)
            if v.number == d.latest:
                write_file(root, "files/" + d.path, content)
            versions.append(
                {
                    "number": v.number,
                    "parent": v.parent_number,
                    "author": v.author,
                    "message": v.message,
                    "created_at": _t(v.created_at),
                    "sha256": v.sha256,
                    "binary": v.text is None,
                    "file": rel,
                }
            )
        out_docs.append(
            {
                "path": d.path,
                "kind": d.kind,
                "status": d.status,
                "owner": names.get(d.owner_id) if d.owner_id is not None else None,
                "department": deps[d.department_id].slug if d.department_id in deps else None,
                "case": paths.get(d.case_id) if d.case_id is not None else None,
                "created_at": _t(d.created_at),
                "versions": versions,
            }
        )
    atts = []
    for n, a in enumerate(
        s.scalars(select(Attachment).where(Attachment.org_id == o.id).order_by(Attachment.id)), 1
    ):
        rel = f"attachments/{n:04d}-{safe_name(a.name)}"
        write_file(root, rel, a.content)
        atts.append(
            {
                "name": a.name,
                "media_type": a.media_type,
                "sha256": a.sha256,
                "size": a.size,
                "document": paths.get(a.document_id) if a.document_id is not None else None,
                "uploaded_by": a.uploaded_by,
                "created_at": _t(a.created_at),
                "file": rel,
            }
        )
    members = s.execute(
        select(User.username, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(Membership.org_id == o.id)
        .order_by(User.username, Membership.role)
    )
    committees = s.scalars(
        select(Committee).where(Committee.org_id == o.id).order_by(Committee.slug)
    )
    return {
        "slug": o.slug,
        "name": o.name,
        "created_at": _t(o.created_at),
        "departments": [
            {"slug": d.slug, "name": d.name} for d in sorted(deps.values(), key=lambda d: d.slug)
        ],
        "committees": [{"slug": c.slug, "name": c.name} for c in committees],
        "members": [{"username": u, "role": r} for u, r in members],
        "documents": out_docs,
        "attachments": atts,
    }


def _read(root: Path, rel: str, binary: bool) -> str | bytes:
    p = root / clean_path(rel)
    if not p.is_file():
        raise InputError(Msg("{path} mangler i eksporten", path=str(p)))
    raw = p.read_bytes()
    return raw if binary else raw.decode("utf-8")


_ORDER = {"data": 0, "case": 1, "pool": 2, "followup": 3}


def import_tree(ws: Workspace, src: Path, record: bool = True) -> None:
    """Import into an empty store (refused otherwise: an import never merges silently).
    `record` False: no audit entries (a backup being restored brings its own)."""
    src = Path(src)
    try:
        manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(
            Msg("{path}: ingen læsbar manifest.json ({error})", path=str(src), error=str(e))
        ) from None
    if manifest.get("format") != FORMAT:
        raise InputError(
            Msg(
                "{path}: ukendt format {format}", path=str(src), format=repr(manifest.get("format"))
            )
        )
    with ws.store.transaction() as s:
        if s.scalar(select(func.count()).select_from(Organisation)) or s.scalar(
            select(func.count()).select_from(User)
        ):
            raise InputError(Msg("arbejdsområdet er ikke tomt; importér i en ny database"))
        users: dict[str, User] = {}
        for u in manifest["users"]:
            row = User(
                username=u["username"],
                display_name=u["display_name"],
                password_hash=u["password_hash"],
                active=u["active"],
                created_at=_parse_t(u["created_at"]),
                session_epoch=int(u.get("session_epoch", 0)),
            )
            s.add(row)
            users[row.username] = row
        s.flush()
        for org in manifest["organisations"]:
            _import_org(s, org, users, src / "orgs" / org["slug"], record)


def _import_org(
    s: Any, org: dict[str, Any], users: dict[str, User], root: Path, record: bool
) -> None:
    o = Organisation(slug=org["slug"], name=org["name"], created_at=_parse_t(org["created_at"]))
    s.add(o)
    s.flush()
    deps = {}
    for d in org["departments"]:
        deps[d["slug"]] = Department(org_id=o.id, slug=d["slug"], name=d["name"])
        s.add(deps[d["slug"]])
    for c in org["committees"]:
        s.add(Committee(org_id=o.id, slug=c["slug"], name=c["name"]))
    for m in org["members"]:
        s.add(Membership(user_id=users[m["username"]].id, org_id=o.id, role=m["role"]))
    s.flush()
    docs = sorted(org["documents"], key=lambda d: (_ORDER.get(d["kind"], 9), d["path"]))
    for doc in docs:
        for v in doc["versions"]:
            content = _read(root, v["file"], v["binary"])
            res = save_in(
                s,
                None,
                o.slug,
                doc["path"],
                content,
                v["parent"],
                v["message"],
                None if v["number"] > 1 else _kind(doc["kind"]),
                None,
                author=v["author"],
                created_at=_parse_t(v["created_at"]),
                record=record,
            )
            if res.kind != "saved" or res.version.info.number != v["number"]:
                raise InputError(Msg("{path}: versionerne kan ikke genskabes", path=doc["path"]))
            if res.version.info.sha256 != v["sha256"]:
                raise InputError(Msg("{path}: kontrolsummen passer ikke", path=doc["path"]))
    by_path: dict[str, Document] = {}
    for doc in org["documents"]:
        d = repo.document(s, o.id, doc["path"])
        assert d is not None  # saved above
        by_path[doc["path"]] = d
        d.status = doc["status"]
        d.owner_id = users[doc["owner"]].id if doc["owner"] else None
        d.department_id = deps[doc["department"]].id if doc["department"] else None
        d.created_at = _parse_t(doc["created_at"])
    for doc in org["documents"]:
        by_path[doc["path"]].case_id = by_path[doc["case"]].id if doc["case"] else None
    for a in org["attachments"]:
        content = _read(root, a["file"], True)
        assert isinstance(content, bytes)
        d = by_path.get(a["document"]) if a["document"] else None
        s.add(
            Attachment(
                org_id=o.id,
                document_id=d.id if d else None,
                name=a["name"],
                media_type=a["media_type"],
                sha256=repo.sha256(content),
                size=len(content),
                content=content,
                uploaded_by=a["uploaded_by"],
                created_at=_parse_t(a["created_at"]),
            )
        )
    if not record:
        s.flush()
        return
    repo.audit(
        s,
        "system",
        None,
        o.id,
        "organisation",
        o.slug,
        "import",
        None,
        {"documents": len(org["documents"]), "attachments": len(org["attachments"])},
    )
    s.flush()


def _kind(kind: str) -> Any:
    from ..store.models import Kind

    return Kind(kind)
