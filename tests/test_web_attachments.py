"""The uploaded originals on the web: an upload keeps the document as it was, the case page
and the attachments page list it, the download gives back exactly its bytes with a safe
file name and type, and it is read exactly as the document it belongs to (another
organisation, a committee reader before the decision: 404; after the decision: served)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from socinvest.services import auth
from socinvest.services import workspace as wsv
from socinvest.store import repo
from socinvest.web.views.attachments import content_disposition, media_type

from . import test_web as web
from .test_web import CASE, CASE_URL, JSON, ORG, OTHER, login

template_db = web.template_db
app = web.app

TABLE = """\
1000 kr. 2016 p/l\tStyringsområde\t2017\t2018\t2019
Varige ændringer\t\t\t\t
Tværfagligt team\tService\t5.400\t6.000\t7.500
Besparelser på foranstaltninger\tService\t-900\t-1.500\t-3.900
Samlet varig ændring\t\t4.500\t4.500\t3.600
"""
NAME = "Økonomi 2017 (udkast).txt"


def actor(app, username: str) -> wsv.Actor:
    ws = app.state.ws
    with ws.store.reading() as s:
        user_id = repo.user_by_name(s, username).id
    a = auth.actor(ws, user_id)
    assert a is not None
    return a


def upload(app, user: str, path: str, name: str = NAME, content: bytes | None = None) -> dict:
    c, token = login(app, user)
    r = c.post(
        f"/o/{ORG}/upload",
        data={"csrf_token": token, "path": path},
        files={"file": (name, TABLE.encode("utf-8") if content is None else content, "text/plain")},
        headers=JSON,
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_an_upload_is_listed_and_downloads_as_it_was(app):
    body = upload(app, "oekonom", "cases/udkast.yaml")
    att = body["attachment"]
    assert att["name"] == NAME and att["path"] == "cases/udkast.yaml"
    assert att["size"] == len(TABLE.encode("utf-8")) and att["media_type"] == "text/plain"
    c, _ = login(app, "oekonom")
    case = c.get(f"/o/{ORG}/cases/cases/udkast.yaml", headers=JSON).json()
    [listed] = case["attachments"]
    url = f"/o/{ORG}/attachments/{att['id']}"
    assert listed["url"] == url and listed["name"] == NAME and listed["uploaded_by"] == "oekonom"
    html = c.get(f"/o/{ORG}/cases/cases/udkast.yaml").text
    assert 'id="attachments"' in html and f'href="{url}"' in html and "Økonomi 2017" in html
    # the download: the very bytes, its type, a header-safe name, never shown in the page
    f = c.get(url)
    assert f.status_code == 200 and f.content == TABLE.encode("utf-8")
    assert f.headers["content-type"] == "text/plain; charset=utf-8"
    assert f.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in f.headers["content-security-policy"]
    assert f.headers["content-disposition"] == (
        'attachment; filename="Oekonomi 2017 (udkast).txt"; '
        "filename*=UTF-8''%C3%98konomi%202017%20%28udkast%29.txt"
    )
    # seed 000 was not uploaded as a document: its case page lists no attachment
    assert c.get(CASE_URL, headers=JSON).json()["attachments"] == []
    assert 'id="attachments"' not in c.get(CASE_URL).text


def test_the_attachments_page_and_its_json_twin(app):
    first = upload(app, "oekonom", "cases/a.yaml", "a.txt")["attachment"]
    second = upload(app, "oekonom", "cases/b.yaml", "b.txt")["attachment"]
    c, _ = login(app, "oekonom")
    listed = c.get(f"/o/{ORG}/attachments", headers=JSON).json()
    assert [(a["name"], a["path"]) for a in listed["attachments"]] == [
        ("a.txt", "cases/a.yaml"),
        ("b.txt", "cases/b.yaml"),
    ]
    assert [a["url"] for a in listed["attachments"]] == [
        f"/o/{ORG}/attachments/{first['id']}",
        f"/o/{ORG}/attachments/{second['id']}",
    ]
    one = c.get(f"/o/{ORG}/attachments", params={"path": "cases/b.yaml"}, headers=JSON).json()
    assert [a["name"] for a in one["attachments"]] == ["b.txt"] and one["path"] == "cases/b.yaml"
    none = c.get(f"/o/{ORG}/attachments", params={"path": CASE}, headers=JSON).json()
    assert none["attachments"] == []
    assert c.get(f"/o/{ORG}/attachments", params={"path": "nowhere.yaml"}).status_code == 404
    page = c.get(f"/o/{ORG}/attachments")
    assert page.status_code == 200 and "<main>" in page.text
    assert f'href="/o/{ORG}/attachments/{first["id"]}"' in page.text
    assert f'href="/o/{ORG}/cases/cases/a.yaml"' in page.text  # the document it belongs to
    assert page.text.count('class="download"') == 2
    empty = login(app, "udvalg")[0].get(f"/o/{ORG}/attachments")  # nothing readable (drafts)
    assert empty.status_code == 200 and "Ingen bilag." in empty.text


def test_read_exactly_as_the_document_it_belongs_to(app):
    att = upload(app, "oekonom", "cases/udkast.yaml")["attachment"]
    url = f"/o/{ORG}/attachments/{att['id']}"

    def status(user: str, u: str = url) -> int:
        return login(app, user)[0].get(u, headers=JSON).status_code

    def listed(user: str) -> list[int]:
        c = login(app, user)[0]
        return [a["id"] for a in c.get(f"/o/{ORG}/attachments", headers=JSON).json()["attachments"]]

    # a draft of the economist: admin, economist and auditor read it; the case owner (not
    # theirs) and the committee reader (not decided) do not even see that it exists
    assert {u: status(u) for u in ("admin", "oekonom", "revisor", "sagsejer", "udvalg")} == {
        "admin": 200,
        "oekonom": 200,
        "revisor": 200,
        "sagsejer": 404,
        "udvalg": 404,
    }
    assert listed("revisor") == [att["id"]] and listed("udvalg") == [] == listed("sagsejer")
    # another organisation: not by its URL, nor under its own name
    assert status("nabo-oekonom") == 404
    assert status("nabo-oekonom", f"/o/{OTHER}/attachments/{att['id']}") == 404
    assert login(app, "nabo-oekonom")[0].get(f"/o/{OTHER}/attachments", headers=JSON).json() == {
        "path": None,
        "attachments": [],
    }
    # decided: the committee reader and the case owner read it now, as they read the case
    c, token = login(app, "oekonom")
    for s in ("submitted", "decided"):
        r = c.post(
            f"/o/{ORG}/cases/cases/udkast.yaml/status", data={"status": s, "csrf_token": token}
        )
        assert r.status_code == 303
    assert status("udvalg") == 200 and status("sagsejer") == 200
    assert listed("udvalg") == [att["id"]]
    # a case owner's own upload: theirs to read, not the committee's (a draft)
    own = upload(app, "sagsejer", "cases/egen.yaml", "egen.txt")["attachment"]
    own_url = f"/o/{ORG}/attachments/{own['id']}"
    assert status("sagsejer", own_url) == 200 and status("udvalg", own_url) == 404
    # no such attachment, and ids that cannot be one
    assert status("oekonom", f"/o/{ORG}/attachments/999999") == 404
    for bad in ("0", "-1", "abc", str(2**40)):
        assert status("oekonom", f"/o/{ORG}/attachments/{bad}") == 422, bad
    # anonymous: the login first
    anon = web.client(app).get(url)
    assert anon.status_code == 303 and anon.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("name", "stored", "content", "served"),
    [
        ("rapport.html", "text/html", b"<script>alert(1)</script>", "text/html; charset=utf-8"),
        ("tegning.svg", "image/svg+xml", b"<svg onload='alert(1)'/>", "image/svg+xml"),
        ("data.csv", "text/csv", "æ;ø\n".encode("cp1252"), "text/csv"),  # not UTF-8: no charset
        ("x.bin", "text/plain\r\nSet-Cookie: a=b", b"x", "application/octet-stream"),
        ("x.pdf", "application/pdf; name=x", b"%PDF-1.4", "application/pdf"),
    ],
)
def test_a_download_is_never_shown_in_the_page(app, name, stored, content, served):
    """HTML and SVG are saved as files, never rendered in the app's origin; a stored media
    type that is not one does not reach the header."""
    a = wsv.attach(app.state.ws, actor(app, "oekonom"), ORG, CASE, name, stored, content)
    f = login(app, "oekonom")[0].get(f"/o/{ORG}/attachments/{a.id}")
    assert f.status_code == 200 and f.content == content
    assert f.headers["content-type"] == served
    assert f.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert f.headers["x-content-type-options"] == "nosniff"
    assert "a=b" not in f.headers.get("set-cookie", "")


def test_a_hostile_name_stays_inside_the_header(app):
    name = 'svar "endelig"; filename=evil.exe æ.docx'
    a = wsv.attach(app.state.ws, actor(app, "oekonom"), ORG, CASE, name, "text/plain", b"x")
    f = login(app, "oekonom")[0].get(f"/o/{ORG}/attachments/{a.id}")
    cd = f.headers["content-disposition"]
    assert cd == (
        'attachment; filename="svar _endelig__ filename_evil.exe ae.docx"; '
        "filename*=UTF-8''" + "svar%20%22endelig%22%3B%20filename%3Devil.exe%20%C3%A6.docx"
    )
    assert unquote(cd.split("''", 1)[1]) == name  # the exact name, for browsers that read it
    # line breaks and folders never reach the header, whoever stored the name
    for evil in ("a\r\nSet-Cookie: x=y.pdf", "../../etc/passwd", "\x00\x1b[31m.txt", ""):
        header = content_disposition(evil)
        assert header.startswith("attachment; filename=")
        assert not any(c in header for c in "\r\n\x00\x1b/\\"), header
    assert content_disposition("") == 'attachment; filename="bilag"'
    assert content_disposition("a\r\nb.pdf") == 'attachment; filename="ab.pdf"'


def test_media_types():
    assert media_type("text/csv; charset=Windows-1252; boundary=x", b"") == (
        "text/csv; charset=windows-1252"
    )
    assert media_type("TEXT/PLAIN", "æ".encode()) == "text/plain; charset=utf-8"
    assert media_type("", b"") == "application/octet-stream"
    assert media_type("not a type", b"") == "application/octet-stream"
    assert media_type('text/plain; charset="utf-8\r\nX: y"', b"\xff") == "text/plain"


def test_an_organisation_attachment_is_read_by_its_members(app):
    """One kept with the organisation, not with a document: every member reads it, no one
    else."""
    a = wsv.attach(
        app.state.ws,
        actor(app, "oekonom"),
        ORG,
        None,
        "retningslinjer.pdf",
        "application/pdf",
        b"%PDF-1.4 x",
    )
    url = f"/o/{ORG}/attachments/{a.id}"
    assert login(app, "udvalg")[0].get(url).content == b"%PDF-1.4 x"
    listed = login(app, "udvalg")[0].get(f"/o/{ORG}/attachments", headers=JSON).json()
    assert [(x["name"], x["path"]) for x in listed["attachments"]] == [("retningslinjer.pdf", None)]
    assert "organisationen" in login(app, "udvalg")[0].get(f"/o/{ORG}/attachments").text
    assert login(app, "nabo-admin")[0].get(url).status_code == 404
