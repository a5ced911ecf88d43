"""The web app's background jobs, uploads and follow-up, in-process: a report rendered in the
background and downloaded, the pool's selection as a job, a case uploaded as a file or a
pasted table, a failed upload leaving nothing behind, actuals uploaded to a follow-up and a
CPR-like value refused."""

from __future__ import annotations

import time

from . import test_web as web
from .test_web import CASE, CASE_URL, JSON, ORG, ROOT, login

# the same fixtures (the demo workspace built once per session, copied per test)
template_db = web.template_db
app = web.app

SEED_000_TABLE = """\
1000 kr. 2016 p/l\tStyringsområde\t2017\t2018\t2019
Varige ændringer\t\t\t\t
Tværfagligt team\tService\t5.400\t6.000\t7.500
Besparelser på foranstaltninger\tService\t-900\t-1.500\t-3.900
Samlet varig ændring\t\t4.500\t4.500\t3.600
"""


def wait(c, url: str, seconds: float = 120.0) -> dict:
    """Poll a job's JSON twin until it is done or failed (the request itself never waits)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        j = c.get(url, headers=JSON).json()
        if j["state"] in ("done", "failed"):
            return j
        time.sleep(0.2)
    raise AssertionError(f"job {url} still running after {seconds} s")


def test_report_runs_in_the_background_and_downloads(app):
    c, token = login(app, "udvalg")  # a committee reader may take reports of a decided case
    started = c.post(
        f"{CASE_URL}/jobs",
        data={"kind": "report", "format": "md", "csrf_token": token},
        headers=JSON,
    )
    assert started.status_code == 202
    job = started.json()
    assert job["state"] in ("queued", "running")
    page = c.get(job["url"])  # the HTML page while running polls itself (htmx / meta refresh)
    assert page.status_code == 200
    done = wait(c, job["url"])
    assert done["state"] == "done" and done["percent"] == 100, done
    f = c.get(done["result"]["file"])
    assert f.status_code == 200 and f.headers["content-type"].startswith("text/markdown")
    assert 'filename="tidlig-indsats-0-2-v1.md"' in f.headers["content-disposition"]
    assert "# Tidlig indsats for de 0-2-årige" in f.text and "| 6 år |" in f.text.replace("  ", " ")
    # another user cannot see the job (404, as another organisation's case)
    other, _ = login(app, "oekonom")
    assert other.get(job["url"], headers=JSON).status_code == 404


def test_pool_selection_runs_as_a_job(app):
    c, token = login(app, "oekonom")
    pool = c.get(f"/o/{ORG}", headers=JSON).json()["pools"][0]["path"]
    assert c.get(f"/o/{ORG}/pool/{pool}", headers=JSON).json()["pool"]["findings"] is not None
    r = c.post(
        f"/o/{ORG}/pool/{pool}/jobs",
        data={"kind": "select", "draws": "200", "csrf_token": token},
        headers=JSON,
    )
    assert r.status_code == 202
    done = wait(c, r.json()["url"])
    assert done["state"] == "done", done
    chosen = done["result"]["pool"]
    assert "chosen" in chosen and isinstance(chosen["chosen"], list)
    assert "<main>" in c.get(r.json()["url"]).text
    reader, rtoken = login(app, "udvalg")  # reads the pool, may not run its Monte Carlo
    refused = reader.post(f"/o/{ORG}/pool/{pool}/jobs", data={"csrf_token": rtoken}, headers=JSON)
    assert refused.status_code == 403


def test_upload_a_case_file_and_a_pasted_table(app):
    c, token = login(app, "oekonom")
    text = (ROOT / "examples" / "tidlig-indsats-0-2.yaml").read_bytes()
    r = c.post(
        f"/o/{ORG}/upload",
        data={"csrf_token": token, "path": "cases/kopi.yaml"},
        files={"file": ("kopi.yaml", text, "application/yaml")},
        headers=JSON,
    )
    assert r.status_code == 201, r.text
    assert r.json()["summary"]["payback"] == 6
    assert c.get(f"/o/{ORG}/cases/cases/kopi.yaml", headers=JSON).status_code == 200
    pasted = c.post(f"/o/{ORG}/upload", data={"csrf_token": token, "pasted": SEED_000_TABLE})
    assert pasted.status_code == 303 and pasted.headers["location"].startswith(f"/o/{ORG}/cases/")
    imported = c.get(pasted.headers["location"], headers=JSON).json()
    assert [ln["label"] for ln in imported["lines"]][:2] == [
        "Tværfagligt team",
        "Besparelser på foranstaltninger",
    ]


def test_a_failed_upload_leaves_nothing_behind(app):
    c, token = login(app, "oekonom")
    before = c.get(f"/o/{ORG}", headers=JSON).json()["rows"]
    audit_before = len(
        login(app, "revisor")[0].get(f"/o/{ORG}/audit", headers=JSON).json()["entries"]
    )
    bad = b"id: x\ntitle: [unclosed\n"
    r = c.post(
        f"/o/{ORG}/upload",
        data={"csrf_token": token, "path": "cases/bad.yaml"},
        files={"file": ("bad.yaml", bad, "application/yaml")},
        headers=JSON,
    )
    assert r.status_code == 422 and r.json()["error"] == "input"
    assert "bad.yaml" in r.json()["message"]
    assert c.get(f"/o/{ORG}", headers=JSON).json()["rows"] == before
    auditor, _ = login(app, "revisor")
    assert len(auditor.get(f"/o/{ORG}/audit", headers=JSON).json()["entries"]) == audit_before
    page = c.post(
        f"/o/{ORG}/upload",
        data={"csrf_token": token, "path": "cases/bad.yaml"},
        files={"file": ("bad.yaml", bad, "application/yaml")},
    )
    assert page.status_code == 422 and "fejl:" in page.text


def test_upload_actuals_to_a_follow_up(app):
    c, token = login(app, "oekonom")
    fu = c.get(CASE_URL, headers=JSON).json()["followups"][0]
    url = f"/o/{ORG}/followup/{fu}"
    status = c.get(url, headers=JSON).json()
    assert status["report"]["kind"] == "followup"
    postings = "examples/followup/postings-tidlig-indsats.csv"
    raw = (ROOT / postings).read_bytes()
    r = c.post(
        url,
        data={"csrf_token": token, "target": postings, "message": "nye posteringer"},
        files={"file": ("postings.csv", raw, "text/csv")},
    )
    assert r.status_code == 303 and r.headers["location"] == url
    assert c.get(url).status_code == 200
    # a CPR-like value is refused and nothing is saved
    cpr = raw.decode("utf-8-sig").replace("Fælles kompetenceudvikling", "Barn 010190-1234", 1)
    refused = c.post(
        url,
        data={"csrf_token": token, "target": postings},
        files={"file": ("postings.csv", cpr.encode("utf-8"), "text/csv")},
        headers=JSON,
    )
    assert refused.status_code == 422 and "010190-1234" not in refused.text
    # a file the follow-up does not name is not a target
    other = c.post(
        url,
        data={"csrf_token": token, "target": CASE},
        files={"file": ("x.csv", raw, "text/csv")},
        headers=JSON,
    )
    assert other.status_code == 422


def test_every_report_format_downloads(app):
    c, token = login(app, "oekonom")
    # md is downloaded above; pdf and docx take the same path through the registry's
    # render_file (7 s and 3 s more: left to the Chromium tests, which download the PDF)
    magic = {"xlsx": b"PK", "html": b"<!DOCTYPE html", "json": b"{"}
    for fmt, start in magic.items():
        r = c.post(f"{CASE_URL}/jobs", data={"format": fmt, "csrf_token": token}, headers=JSON)
        done = wait(c, r.json()["url"])
        assert done["state"] == "done", (fmt, done)
        f = c.get(done["result"]["file"])
        assert f.status_code == 200 and f.content.startswith(start), fmt
        assert f"tidlig-indsats-0-2-v1.{fmt}" in f.headers["content-disposition"]
    report = c.get(done["result"]["file"]).json()  # the JSON report: Table 1's payback 6 / 6
    t1 = next(b for s in report["sections"] for b in s["blocks"] if b.get("key") == "table1")
    assert [r["cells"][1]["text"] for r in t1["rows"] if r["style"] == "payback"] == ["6 år"] * 2
