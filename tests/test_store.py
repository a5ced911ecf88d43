"""The workspace store on SQLite and PostgreSQL: migrations, immutable versions, optimistic
concurrency, the append-only audit log refused at the database level, the exact export/import
round trip, backups. Golden figures are the seed documents' Table 1 (examples/*.yaml `stated`)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from socinvest.errors import InputError
from socinvest.services import auth
from socinvest.services import workspace as w
from socinvest.store.migrate import head

from .conftest import EXAMPLES

TIDLIG = (EXAMPLES / "tidlig-indsats-0-2.yaml").read_text("utf-8")
FIT = (EXAMPLES / "fit-familiebehandling.yaml").read_text("utf-8")
PW = "a-long-enough-password"


@pytest.fixture
def ws(db_url, fast_passwords):
    ws = w.open_workspace(db_url)
    yield ws
    ws.store.dispose()


@pytest.fixture
def eco(ws):
    return auth.add_user(ws, "eva", PW, "kbh", w.Role.ECONOMIST)


def _tables(ws) -> set[str]:
    return set(inspect(ws.store.engine).get_table_names())


def test_upgrade_from_empty_and_twice_is_a_no_op(db_url):
    assert w.upgrade_database(db_url) == (None, head())
    assert w.upgrade_database(db_url) == (head(), head())
    ws = w.open_workspace(db_url)  # opening upgrades too: still nothing to do
    try:
        assert {"audit_log", "versions", "documents", "case_summaries"} <= _tables(ws)
        with ws.store.reading() as s:  # a new database has no users and no organisations
            assert s.execute(text("select count(*) from users")).scalar() == 0
            assert s.execute(text("select count(*) from organisations")).scalar() == 0
    finally:
        ws.store.dispose()


def test_saved_figures_are_table_1_of_the_seed(ws, eco):
    r = w.save(ws, eco, "kbh", "tidlig.yaml", TIDLIG, base_version=None, message="seed 000")
    assert isinstance(r, w.Saved)
    sm = r.version.summary
    assert sm is not None
    # Tabel 1: implementeringsomkostninger 3.500 + 1.500; payback year 6 on both bases
    assert sm.investment == pytest.approx(5000.0)
    assert (sm.payback, sm.payback_total) == (6, 6)
    # NPV by hand from Tabel 1's "Samlet økonomisk påvirkning", 3.5 %, year 1 discounted once
    impact = [3500, 1500] + [-1400] * 4 + [-2300] * 6 + [-4100]
    npv = sum(-x / 1.035 ** (t + 1) for t, x in enumerate(impact))
    assert sm.npv == pytest.approx(npv)  # savings positive: 12.610 (1.000 kr.)
    row = w.portfolio(ws, eco, "kbh").rows[0]
    assert (row.investment, row.payback_planned, row.payback_planned_year) == (5000.0, 6, 2022)


def test_versions_are_immutable_and_history_is_kept(ws, eco):
    v1 = w.save(ws, eco, "kbh", "fit.yaml", FIT, base_version=None, message="first")
    edited = FIT + "\n# revideret\n"
    v2 = w.save(ws, eco, "kbh", "fit.yaml", edited, base_version=1, message="second")
    assert isinstance(v1, w.Saved) and isinstance(v2, w.Saved)
    assert v2.version.info.parent == 1
    old = w.get(ws, eco, "kbh", "fit.yaml", 1)
    assert old.text == FIT and old.info.sha256 == v1.version.info.sha256
    assert w.get(ws, eco, "kbh", "fit.yaml").text == edited
    assert [h.message for h in w.history(ws, eco, "kbh", "fit.yaml")] == ["first", "second"]
    with ws.store.engine.connect() as c, pytest.raises(DBAPIError):  # the database refuses
        c.execute(text("update versions set text = 'x' where number = 1"))
        c.commit()
    with ws.store.engine.connect() as c, pytest.raises(DBAPIError):
        c.execute(text("delete from versions"))
        c.commit()
    assert w.get(ws, eco, "kbh", "fit.yaml", 1).text == FIT


def test_stale_base_is_a_conflict_with_both_versions(ws, eco):
    w.save(ws, eco, "kbh", "fit.yaml", FIT, base_version=None, message="v1")
    mine = FIT + "\n# min\n"
    theirs = FIT + "\n# deres\n"
    assert isinstance(w.save(ws, eco, "kbh", "fit.yaml", theirs, base_version=1), w.Saved)
    r = w.save(ws, eco, "kbh", "fit.yaml", mine, base_version=1, message="late")
    assert isinstance(r, w.Conflict)
    assert r.base is not None and r.base.info.number == 1 and r.base.text == FIT
    assert r.latest.info.number == 2 and r.latest.text == theirs
    assert r.text == mine
    assert w.get(ws, eco, "kbh", "fit.yaml").text == theirs  # never a silent overwrite
    # creating a path that exists is a conflict too
    assert isinstance(w.save(ws, eco, "kbh", "fit.yaml", mine, base_version=None), w.Conflict)


def test_two_saves_at_once_one_wins_one_conflicts(ws, eco):
    w.save(ws, eco, "kbh", "fit.yaml", FIT, base_version=None)
    results: list[object] = []
    start = threading.Barrier(2)

    def edit(tag: str) -> None:
        start.wait()
        text_ = FIT + f"\n# {tag}\n"
        results.append(w.save(ws, eco, "kbh", "fit.yaml", text_, base_version=1))

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kinds = sorted(r.kind for r in results)  # type: ignore[attr-defined]
    assert kinds == ["conflict", "saved"]
    assert [h.number for h in w.history(ws, eco, "kbh", "fit.yaml")] == [1, 2]


def test_audit_log_is_append_only_at_the_database_level(ws, eco):
    w.save(ws, eco, "kbh", "fit.yaml", FIT, base_version=None, message="v1")
    with ws.store.reading() as s:
        n = s.execute(text("select count(*) from audit_log")).scalar()
    assert n >= 3  # organisation, user, membership, document, version
    for sql in ("update audit_log set action = 'x'", "delete from audit_log"):
        with ws.store.engine.connect() as c, pytest.raises(DBAPIError):
            c.execute(text(sql))
            c.commit()
    with ws.store.reading() as s:
        assert s.execute(text("select count(*) from audit_log")).scalar() == n
        actions = {r[0] for r in s.execute(text("select action from audit_log"))}
    assert {"create", "grant", "save"} <= actions


def test_the_audit_entry_is_in_the_transaction_of_the_change(ws, eco):
    with ws.store.reading() as s:
        before = s.execute(text("select count(*) from audit_log")).scalar()
    with pytest.raises(InputError):
        w.save(ws, eco, "kbh", "bad.yaml", "id: x\nlines: [\n", base_version=None)
    with ws.store.reading() as s:
        assert s.execute(text("select count(*) from audit_log")).scalar() == before
        assert s.execute(text("select count(*) from documents")).scalar() == 0


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _populate(ws, eco) -> None:
    owner = auth.add_user(ws, "olga", PW, "kbh", w.Role.CASE_OWNER, "Olga Ejer")
    auth.add_user(ws, "nils", PW, "nabo", w.Role.ADMIN)
    w.save(
        ws, eco, "kbh", "cases/fit.yaml", FIT, base_version=None, message="først", department="buf"
    )
    w.save(ws, eco, "kbh", "cases/fit.yaml", FIT + "\n# ny\n", base_version=1, message="ændret ÆØÅ")
    w.save(ws, owner, "kbh", "tidlig.yaml", TIDLIG, base_version=None)
    w.set_status(ws, eco, "kbh", "tidlig.yaml", w.CaseStatus.DECIDED)
    w.save(ws, eco, "kbh", "data/noter.csv", "a;b\r\n1;2\r\n", base_version=None)
    w.save(ws, eco, "kbh", "data/raw.bin", b"\x00\xff\x10binary", base_version=None)
    w.attach(ws, eco, "kbh", "cases/fit.yaml", "bilag.docx", "application/x-test", b"PK\x03\x04x")


def test_export_import_export_is_byte_identical(ws, eco, db_url, tmp_path):
    _populate(ws, eco)
    first = w.export_workspace(ws, tmp_path / "one")
    other_url = db_url.replace("workspace.db", "other.db") if "sqlite" in db_url else None
    if other_url is None:  # PostgreSQL: a second fresh schema
        import uuid

        import psycopg

        schema = "t_" + uuid.uuid4().hex[:12]
        base = db_url.split("?")[0].replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        other_url = db_url.split("?")[0] + f"?options=-csearch_path%3D{schema}"
    ws2 = w.open_workspace(other_url)
    try:
        w.import_workspace(ws2, first)
        second = w.export_workspace(ws2, tmp_path / "two")
        with pytest.raises(InputError):
            w.import_workspace(ws2, first)  # never into a workspace that has data
    finally:
        ws2.store.dispose()
    one, two = _tree(first), _tree(second)
    assert one == two
    assert "orgs/kbh/files/cases/fit.yaml" in one  # a tree the CLI reads
    assert one["orgs/kbh/versions/cases/fit.yaml/v0001.yaml"] == FIT.encode()
    assert one["orgs/kbh/files/data/noter.csv"] == b"a;b\r\n1;2\r\n"
    assert one["orgs/kbh/files/data/raw.bin"] == b"\x00\xff\x10binary"
    assert b"a-long-enough-password" not in one["manifest.json"]
    assert b"$argon2id$" in one["manifest.json"]


def test_portable_backup_restores_the_audit_log(ws, eco, db_url, tmp_path):
    _populate(ws, eco)
    audit_before = w.audit_export(
        ws, auth.add_user(ws, "rita", PW, "kbh", w.Role.AUDITOR), "kbh", "json"
    )
    zip_path = w.backup(ws, tmp_path / "b.zip")
    url = f"sqlite:///{tmp_path / 'restored.db'}"
    ws2 = w.open_workspace(url)
    try:
        w.restore(ws2, zip_path)
        rita = auth.authenticate(ws2, "rita", PW)
        assert rita is not None
        restored = w.audit_export(ws2, rita, "kbh", "json")
        w.export_workspace(ws2, tmp_path / "again")
    finally:
        ws2.store.dispose()
    import json

    strip = lambda t: [{k: v for k, v in e.items() if k != "id"} for e in json.loads(t)]  # noqa: E731
    assert strip(restored)[: len(strip(audit_before))] == strip(audit_before)
    w.export_workspace(ws, tmp_path / "orig")
    assert _tree(tmp_path / "orig") == _tree(tmp_path / "again")
