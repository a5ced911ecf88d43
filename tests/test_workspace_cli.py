"""`socinvest db|workspace|user` in-process: upgrade twice is a no-op, the first admin from the
command line (password on stdin, stored as argon2), the demo workspace, the exact export/import
round trip through the commands, and English output."""

from __future__ import annotations

from pathlib import Path

import pytest

from socinvest.services import auth
from socinvest.services import workspace as w

from .conftest import EXAMPLES, cli


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_db_upgrade_twice_and_the_first_admin(db_url, fast_passwords):
    from socinvest.store.migrate import head

    r = cli("db", "upgrade", "--db", db_url)
    assert r.exit_code == 0 and f"– → {head()}" in r.stdout
    r = cli("db", "upgrade", "--db", db_url, "--lang", "en")
    assert r.exit_code == 0 and f"already at the newest version ({head()})" in r.stdout
    r = cli(
        "user",
        "add",
        "ada",
        "--org",
        "kbh",
        "--role",
        "admin",
        "--password-stdin",
        "--db",
        db_url,
        input="correct horse battery\n",
    )
    assert r.exit_code == 0, r.stderr
    r = cli(
        "user",
        "add",
        "bob",
        "--org",
        "kbh",
        "--role",
        "boss",
        "--password-stdin",
        "--db",
        db_url,
        input="correct horse battery\n",
        debug=False,
    )
    assert r.exit_code == 2 and "ukendt rolle" in r.stderr
    ws = w.open_workspace(db_url)
    try:
        ada = auth.authenticate(ws, "ada", "correct horse battery")
        assert ada is not None and ada.roles_in("kbh") == {w.Role.ADMIN}
    finally:
        ws.store.dispose()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """One demo workspace for the tests of this module (loading it runs every example)."""
    from argon2 import PasswordHasher

    db = tmp_path_factory.mktemp("demo") / "one.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        r = cli("workspace", "demo", "--examples", EXAMPLES, "--db", db)
    assert r.exit_code == 0, r.stderr
    assert "oekonom / demo-oekonom-2026 / eksempel / economist" in r.stdout
    return db


def test_demo_export_import_round_trip_through_the_commands(demo_db, tmp_path, fast_passwords):
    db1, db2 = demo_db, tmp_path / "two.db"
    r = cli("workspace", "demo", "--examples", EXAMPLES, "--db", db1, debug=False)
    assert r.exit_code == 2  # only into a new database
    assert cli("workspace", "export", tmp_path / "a", "--db", db1).exit_code == 0
    assert cli("workspace", "import", tmp_path / "a", "--db", db2).exit_code == 0
    assert cli("workspace", "export", tmp_path / "b", "--db", db2).exit_code == 0
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a == b
    # the latest files are a folder the CLI reads: the pool's status from the export
    pool = tmp_path / "a" / "orgs" / "eksempel" / "files" / "examples" / "pool" / "pool.yaml"
    assert pool.read_bytes() == (EXAMPLES / "pool" / "pool.yaml").read_bytes()
    assert cli("pool", "status", pool, "--json").exit_code in (0, 1)


@pytest.mark.parametrize("suffix", [".zip", ".db"])
def test_backup_and_restore_commands(tmp_path, suffix, fast_passwords):
    db1, db2 = tmp_path / "one.db", tmp_path / "two.db"
    r = cli(
        "user",
        "add",
        "ada",
        "--org",
        "kbh",
        "--role",
        "admin",
        "--password-stdin",
        "--db",
        db1,
        input="correct horse battery\n",
    )
    assert r.exit_code == 0
    backup = tmp_path / f"backup{suffix}"
    assert cli("db", "backup", backup, "--db", db1).exit_code == 0
    assert cli("db", "backup", backup, "--db", db1, debug=False).exit_code == 2  # exists
    assert cli("db", "restore", backup, "--db", db2).exit_code == 0
    cli("workspace", "export", tmp_path / "a", "--db", db1)
    cli("workspace", "export", tmp_path / "b", "--db", db2)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_demo_workspace_figures_match_the_file_commands(demo_db, fast_passwords):
    """The portfolio's realised payback and pool balance are those of `followup status` and
    `pool status` on the example files; the bundles from the store equal the ones from files."""
    from socinvest.services.followup import followup_bundle
    from socinvest.services.pool import load_pool, pool_status

    ws = w.open_workspace(str(demo_db))
    try:
        eco = auth.authenticate(ws, "oekonom", "demo-oekonom-2026")
        reader = auth.authenticate(ws, "udvalg", "demo-udvalg-2026")
        assert eco is not None and reader is not None
        p = w.portfolio(ws, eco, "eksempel")
        rows = {r.path: r for r in p.rows}
        fit_files = followup_bundle(
            EXAMPLES / "fit-familiebehandling.yaml",
            EXAMPLES / "followup" / "fit-familiebehandling.followup.yaml",
        )
        fit = rows["examples/fit-familiebehandling.yaml"]
        assert fit.payback_realised == int(fit_files.realised.payback["service"])
        assert fit.realised_through == fit_files.realised.through
        tidlig = rows["examples/tidlig-indsats-0-2.yaml"]
        assert tidlig.payback_planned == 6 and tidlig.payback_realised is None  # not yet
        ledger = pool_status(load_pool(EXAMPLES / "pool" / "pool.yaml")).ledger
        (pool,) = p.pools
        assert pool.closing == pytest.approx(float(ledger.closing[0][-1]))
        assert pool.minimum == pytest.approx(float(ledger.closing[0].min()))
        stored = w.pool_bundle(ws, eco, "eksempel", "examples/pool/pool.yaml").ledger
        assert stored.closing.tolist() == ledger.closing.tolist()
        fb = w.followup_bundle(
            ws, eco, "eksempel", "examples/followup/fit-familiebehandling.followup.yaml"
        )
        assert repr(fb.variance) == repr(fit_files.variance)
        assert fb.realised.payback == fit_files.realised.payback
        decided = {r.path for r in w.portfolio(ws, reader, "eksempel").rows}
        assert decided == {
            "examples/tidlig-indsats-0-2.yaml",
            "examples/taettere-paa-familier-handicap.yaml",
        }
        with pytest.raises(w.AccessDenied):
            w.portfolio(ws, eco, "nabo")
    finally:
        ws.store.dispose()
