"""The workspace service on SQLite and PostgreSQL: organisations isolated, the role rules,
uploads as one transaction, diffs, CPR refusal, the audit log's readers and export, passwords.
Golden figures: seed 000's Table 1 (tests/fixtures/tables/seed000_tabel1_samlede.txt)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import text

from socinvest.errors import InputError
from socinvest.services import _ws_upload, auth
from socinvest.services import workspace as w

from .conftest import EXAMPLES, TABLES

TIDLIG = (EXAMPLES / "tidlig-indsats-0-2.yaml").read_text("utf-8")
FIT = (EXAMPLES / "fit-familiebehandling.yaml").read_text("utf-8")
PW = "a-long-enough-password"


@pytest.fixture
def ws(db_url, fast_passwords):
    ws = w.open_workspace(db_url)
    yield ws
    ws.store.dispose()


@pytest.fixture
def people(ws):
    """One user per role in kbh, and an admin and economist of another municipality."""
    out = {r.value: auth.add_user(ws, r.value, PW, "kbh", r) for r in w.Role}
    out["other"] = auth.add_user(ws, "other", PW, "aarhus", w.Role.ADMIN)
    out["other_eco"] = auth.add_user(ws, "other_eco", PW, "aarhus", w.Role.ECONOMIST)
    w.save(ws, out["economist"], "kbh", "fit.yaml", FIT, base_version=None, message="eco")
    w.save(ws, out["case_owner"], "kbh", "tidlig.yaml", TIDLIG, base_version=None, message="own")
    return out


def _counts(ws) -> dict[str, int]:
    with ws.store.reading() as s:
        return {
            t: s.execute(text(f"select count(*) from {t}")).scalar()
            for t in ("documents", "versions", "attachments", "audit_log", "case_summaries")
        }


def test_organisations_are_isolated(ws, people):
    other = people["other"]
    for call in (
        lambda: w.portfolio(ws, other, "kbh"),
        lambda: w.get(ws, other, "kbh", "fit.yaml"),
        lambda: w.history(ws, other, "kbh", "fit.yaml"),
        lambda: w.diff(ws, other, "kbh", "fit.yaml", 1, 1),
        lambda: w.save(ws, other, "kbh", "fit.yaml", FIT + "#\n", base_version=1),
        lambda: w.save(ws, other, "kbh", "new.yaml", FIT, base_version=None),
        lambda: w.audit(ws, other, "kbh"),
        lambda: w.attachments(ws, other, "kbh"),
        lambda: w.case_bundle(ws, other, "kbh", "fit.yaml"),
    ):
        with pytest.raises(w.AccessDenied) as e:
            call()
        assert e.value.hidden  # answered like a missing thing: nothing leaks
    # same path in the other municipality is its own document
    w.save(ws, people["other_eco"], "aarhus", "fit.yaml", TIDLIG, base_version=None)
    assert w.get(ws, people["economist"], "kbh", "fit.yaml").text == FIT
    assert [r.path for r in w.portfolio(ws, other, "aarhus").rows] == ["fit.yaml"]


def test_role_rules(ws, people):
    eco, owner, reader = people["economist"], people["case_owner"], people["committee_reader"]
    auditor, admin = people["auditor"], people["admin"]
    # economist edits every case; case owner only its own
    assert isinstance(
        w.save(ws, eco, "kbh", "tidlig.yaml", TIDLIG + "#e\n", base_version=1), w.Saved
    )
    with pytest.raises(w.AccessDenied):
        w.save(ws, owner, "kbh", "fit.yaml", FIT + "#o\n", base_version=1)
    assert isinstance(
        w.save(ws, owner, "kbh", "tidlig.yaml", TIDLIG + "#o\n", base_version=2), w.Saved
    )
    # case owner: draft/submitted/withdrawn on its own case, not a decision
    w.set_status(ws, owner, "kbh", "tidlig.yaml", w.CaseStatus.SUBMITTED)
    with pytest.raises(w.AccessDenied):
        w.set_status(ws, owner, "kbh", "tidlig.yaml", w.CaseStatus.DECIDED)
    # committee reader: decided cases only, edits nothing
    assert w.portfolio(ws, reader, "kbh").rows == ()
    w.set_status(ws, eco, "kbh", "tidlig.yaml", w.CaseStatus.DECIDED)
    assert [r.path for r in w.portfolio(ws, reader, "kbh").rows] == ["tidlig.yaml"]
    with pytest.raises(w.AccessDenied) as e:
        w.get(ws, reader, "kbh", "fit.yaml")
    assert e.value.hidden
    with pytest.raises(w.AccessDenied):
        w.save(ws, reader, "kbh", "tidlig.yaml", TIDLIG, base_version=3)
    # auditor reads everything and the audit log, edits nothing; economist has no audit
    assert {r.path for r in w.portfolio(ws, auditor, "kbh").rows} == {"fit.yaml", "tidlig.yaml"}
    assert w.audit(ws, auditor, "kbh")
    assert w.audit(ws, admin, "kbh")
    with pytest.raises(w.AccessDenied):
        w.audit(ws, eco, "kbh")
    with pytest.raises(w.AccessDenied):
        w.save(ws, auditor, "kbh", "x.yaml", FIT, base_version=None)
    # only an admin adds users in the web (by=)
    with pytest.raises(w.AccessDenied):
        auth.add_user(ws, "new", PW, "kbh", w.Role.ECONOMIST, by=eco)
    auth.add_user(ws, "new", PW, "kbh", w.Role.ECONOMIST, by=admin)


def test_upload_of_a_pasted_table_keeps_the_original(ws, people):
    eco = people["economist"]
    raw = (TABLES / "seed000_tabel1_samlede.txt").read_bytes()
    r = w.upload(ws, eco, "kbh", "tabel1.txt", raw, path="imported/tidlig.yaml", message="upload")
    assert isinstance(r.result, w.Saved) and r.attachment is not None
    sm = r.result.version.summary
    assert sm is not None
    assert sm.investment == pytest.approx(3500 + 1500)  # Tabel 1, implementeringsomkostninger
    assert (sm.payback, sm.payback_total) == (6, 6)  # Tabel 1, both bases
    info, content = w.attachment(ws, eco, "kbh", r.attachment.id)
    assert content == raw and info.size == len(raw) and info.path == "imported/tidlig.yaml"


def test_a_failed_upload_leaves_nothing_behind(ws, people, monkeypatch):
    eco = people["economist"]
    before = _counts(ws)
    with pytest.raises(InputError):  # not a table
        w.upload(ws, eco, "kbh", "notes.txt", b"ingen tabel her\n", path="n.yaml")
    with pytest.raises(InputError):  # a case file that does not load
        w.upload(ws, eco, "kbh", "bad.yaml", b"id: x\nlines: [\n")
    assert _counts(ws) == before

    def fail(*args, **kwargs):  # the attachment fails after the version was written
        raise InputError("disk full")

    monkeypatch.setattr(_ws_upload, "_add_attachment", fail)
    raw = (TABLES / "seed000_tabel1_samlede.txt").read_bytes()
    with pytest.raises(InputError):
        w.upload(ws, eco, "kbh", "tabel1.txt", raw, path="imported/tidlig.yaml")
    assert _counts(ws) == before
    with pytest.raises(w.NotFound):
        w.get(ws, eco, "kbh", "imported/tidlig.yaml")


def test_diff_names_changed_lines_parameters_and_stated(ws, people):
    eco = people["economist"]
    edited = TIDLIG.replace("amounts: {2017: 800}", "amounts: {2017: 900}").replace(
        "payback: total, value: 6}", "payback: total, value: 7}"
    )
    assert edited != TIDLIG
    w.save(ws, eco, "kbh", "tidlig.yaml", edited, base_version=1, message="ADBB dyrere")
    d = w.diff(ws, eco, "kbh", "tidlig.yaml", 1, 2)
    lines = d.section("lines")
    assert [(c.key, c.kind) for c in lines] == [("adbb", "changed")]
    assert lines[0].before["amounts"] == {"2017": 800} and lines[0].after["amounts"] == {
        "2017": 900
    }
    assert any(c.kind == "changed" for c in d.section("stated"))
    assert "-    amounts: {2017: 800}" in d.unified and "+    amounts: {2017: 900}" in d.unified
    assert w.get(ws, eco, "kbh", "tidlig.yaml", 2).summary.investment == pytest.approx(5100)


def test_cpr_like_values_are_refused_in_follow_up_data(ws, people):
    owner = people["case_owner"]
    before = _counts(ws)
    with pytest.raises(InputError) as e:
        w.save(ws, owner, "kbh", "fu/sessions.csv", "id;score\n010190-1234;7\n", base_version=None)
    assert "010190" not in str(e.value) and "fu/sessions.csv:2:1" in str(e.value)
    assert _counts(ws) == before
    w.save(ws, owner, "kbh", "fu/sessions.csv", "id;score\nK-0001;7\n", base_version=None)


def test_audit_query_and_export(ws, people):
    auditor = people["auditor"]
    rows = w.audit(ws, auditor, "kbh", entity="version")
    assert {(r.entity_id, r.username) for r in rows} == {
        ("fit.yaml", "economist"),
        ("tidlig.yaml", "case_owner"),
    }
    assert all(r.after and r.after["version"] == 1 for r in rows)
    as_json = json.loads(w.audit_export(ws, auditor, "kbh", "json", entity="version"))
    assert [e["entity_id"] for e in as_json] == ["fit.yaml", "tidlig.yaml"]  # oldest first
    table = list(csv.DictReader(io.StringIO(w.audit_export(ws, auditor, "kbh", "csv"))))
    assert len(table) == len(w.audit(ws, auditor, "kbh"))
    assert json.loads(table[-1]["after"])["path"] == "tidlig.yaml"
    assert not w.audit(ws, people["other"], "aarhus", entity="version")  # its own log only


def test_passwords_are_argon2_and_login_checks_them(ws, people):
    with ws.store.reading() as s:
        hashes = [r[0] for r in s.execute(text("select password_hash from users"))]
    assert all(h.startswith("$argon2id$") and PW not in h for h in hashes)
    assert auth.authenticate(ws, "economist", PW).roles_in("kbh") == {w.Role.ECONOMIST}
    assert auth.authenticate(ws, "economist", PW + "x") is None
    assert auth.authenticate(ws, "nobody", PW) is None
    with pytest.raises(InputError):
        auth.add_user(ws, "short", "short", "kbh", w.Role.ADMIN)


def test_preview_and_bundle_of_a_version(ws, people):
    eco = people["economist"]
    b = w.case_bundle(ws, eco, "kbh", "tidlig.yaml")
    assert b is w.case_bundle(ws, eco, "kbh", "tidlig.yaml")  # computed once per version
    assert float(b.results.payback("service")[0]) == 6.0
    edited = TIDLIG.replace("amounts: {2017: 800}", "amounts: {2017: 900}")
    p = w.preview(ws, eco, "kbh", "tidlig.yaml", edited)
    assert float(p.bundle.results.investment[0].sum()) == pytest.approx(5100)
    adbb = next(ln for ln in p.data["lines"] if ln["id"] == "adbb")
    assert adbb["amounts"] == {2017: 900}  # the text's data, as written
    # the same edit as the web makes it: the version → its new text, in one session
    e = w.preview_edit(
        ws, eco, "kbh", "tidlig.yaml", 1, lambda v: v.text.replace("800}", "900}", 1)
    )
    assert e.base.info.number == 1 and e.text == edited
    assert float(e.preview.bundle.results.investment[0].sum()) == pytest.approx(5100)
    assert len(w.history(ws, eco, "kbh", "tidlig.yaml")) == 1  # a preview writes nothing


def test_an_edit_is_refused_before_it_is_read(ws, people):
    """preview_edit checks that the actor may save before it calls the edit: a committee
    reader or another municipality never learns whether an edit would have been valid."""
    called = []

    def change(v):
        called.append(v)
        raise AssertionError("never reached")

    for who in ("committee_reader", "auditor", "other"):
        with pytest.raises((w.AccessDenied, w.NotFound)):
            w.preview_edit(ws, people[who], "kbh", "tidlig.yaml", 1, change)
    with pytest.raises(w.AccessDenied):  # a case owner edits own cases only
        w.preview_edit(ws, people["case_owner"], "kbh", "fit.yaml", 1, change)
    assert called == []
