"""The demo workspace (`socinvest workspace demo`, `make run`): the example files of the
project in an organisation "eksempel" (cases, pool, follow-up and the data they name, at their
paths as in the repository: examples/… and data/…, so every relative reference holds), a second organisation "nabo" with one case (to show isolation), and one
demo login per role. Demo logins exist only here: a new database has no users."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from ..errors import InputError
from ..i18n import Msg
from ..store import repo
from ..store.models import CaseStatus, Committee, Kind, Organisation, Role, User
from ._ws_docs import save_in
from ._ws_parse import guess_kind
from .auth import add_user
from .workspace import DemoLogin, Workspace

ORG, ORG_NAME = "eksempel", "Eksempel Kommune (demo)"
OTHER, OTHER_NAME = "nabo", "Nabo Kommune (demo)"
LOGINS = (
    ("admin", ORG, Role.ADMIN),
    ("oekonom", ORG, Role.ECONOMIST),
    ("sagsejer", ORG, Role.CASE_OWNER),
    ("udvalg", ORG, Role.COMMITTEE_READER),
    ("revisor", ORG, Role.AUDITOR),
    ("nabo-admin", OTHER, Role.ADMIN),
    ("nabo-oekonom", OTHER, Role.ECONOMIST),
)
STATUS = {  # invented for the demo, like the pool's decisions
    "examples/taettere-paa-familier-handicap.yaml": CaseStatus.DECIDED,
    "examples/tidlig-indsats-0-2.yaml": CaseStatus.DECIDED,
    "examples/fit-familiebehandling.yaml": CaseStatus.SUBMITTED,
}
OWNED_BY_CASE_OWNER = (
    "examples/tidlig-indsats-0-2.yaml",
    "examples/followup/tidlig-indsats-0-2.followup.yaml",
    "examples/followup/postings-tidlig-indsats.csv",  # the actuals the case owner uploads
)
_ORDER = {Kind.DATA: 0, Kind.CASE: 1, Kind.POOL: 2, Kind.FOLLOWUP: 3}


def password(username: str) -> str:
    return f"demo-{username}-2026"


def _files(examples: Path) -> list[tuple[Kind, str, str | bytes]]:
    """examples/ and its sibling data/ (the consequence catalogue), at repository paths."""
    out: list[tuple[Kind, str, str | bytes]] = []
    folders = [examples, examples.parent / "data"]
    found = [p for f in folders if f.is_dir() for p in sorted(f.rglob("*"))]
    for p in found:
        if not p.is_file() or p.suffix.lower() == ".md" or p.name.startswith("."):
            continue
        rel = p.relative_to(examples.parent).as_posix()
        raw = p.read_bytes()
        try:
            content: str | bytes = raw.decode("utf-8")
        except UnicodeDecodeError:
            content = raw
        out.append((guess_kind(rel, content), rel, content))
    return sorted(out, key=lambda f: (_ORDER[f[0]], f[1]))


def load_demo(ws: Workspace, examples: Path) -> tuple[DemoLogin, ...]:
    """Into an empty store only (the demo never mixes with real data)."""
    with ws.store.reading() as s:
        if s.scalar(select(func.count()).select_from(User)) or s.scalar(
            select(func.count()).select_from(Organisation)
        ):
            raise InputError(Msg("arbejdsområdet er ikke tomt; demoen lægges kun i en ny database"))
    logins = []
    names = {ORG: ORG_NAME, OTHER: OTHER_NAME}
    for username, org, role in LOGINS:
        add_user(ws, username, password(username), org, role, username, org_name=names[org])
        logins.append(DemoLogin(username, password(username), org, role))
    files = _files(Path(examples))
    with ws.store.transaction() as s:
        for kind, rel, content in files:
            author = "sagsejer" if rel in OWNED_BY_CASE_OWNER else "oekonom"
            msg = "Demo: indlæst fra " + rel
            save_in(s, None, ORG, rel, content, None, msg, kind, None, author=author)
            if rel in STATUS:
                d = repo.document(s, repo.org_by_slug(s, ORG).id, rel)  # type: ignore[union-attr]
                assert d is not None
                d.status = STATUS[rel].value
        fit = next(c for k, r, c in files if r == "examples/fit-familiebehandling.yaml")
        save_in(
            s,
            None,
            OTHER,
            "fit-familiebehandling.yaml",
            fit,
            None,
            "Demo",
            Kind.CASE,
            None,
            author="nabo-oekonom",
        )
        o = repo.org_by_slug(s, ORG)
        assert o is not None
        s.add(Committee(org_id=o.id, slug="buu", name="Børne- og Ungdomsudvalget"))
        s.add(Committee(org_id=o.id, slug="suu", name="Socialudvalget"))
    return tuple(logins)
