"""A real browser on a real server: Playwright drives Debian's Chromium (launched by its path,
/usr/bin/chromium; `playwright install` is never used) against `socinvest serve` on
127.0.0.1 over a fresh demo workspace (a SQLite file).

The user's way through: log in, upload seed 000 as a new case, edit a parameter and watch
payback change on the page (price_foster 500 → 1000: payback 6 → 4 years, the hand check of
tests/test_web.py), save it, download the PDF report (%PDF, and pdftotext finds Table 1's
caption), upload actuals and see the variance; and two browsers editing one case at once
(the second save gets the conflict page with both versions). Every step leaves a screenshot
in out/screenshots/ and checks what a person looking at it would: the element is visible,
nothing overflows the page sideways.

Without Chromium or Playwright the test skips; under CI=true it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import free_port, wait_until_served

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SOCINVEST_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "out" / "screenshots"
ORG = "eksempel"
NEW_CASE = "cases/browser-test.yaml"
FOLLOWUP = "examples/followup/tidlig-indsats-0-2.followup.yaml"
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need(what: str) -> None:
    if CI:
        pytest.fail(f"{what} is missing (CI requires it; scripts/sysdeps.sh installs it)")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`socinvest workspace demo` into a fresh SQLite file, then `socinvest serve` on a free
    port; stopped at the end."""
    if not Path(CHROMIUM).exists():
        _need(f"Chromium ({CHROMIUM})")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _need("the playwright package")
    tmp = tmp_path_factory.mktemp("browser")
    db = f"sqlite:///{tmp / 'workspace.db'}"
    exe = str(Path(sys.executable).parent / "socinvest")
    env = {**os.environ, "SOCINVEST_SECRET_KEY": "b" * 32}
    subprocess.run(
        [exe, "workspace", "demo", "--db", db, "--examples", str(ROOT / "examples")],
        check=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    port = free_port()
    log = open(tmp / "serve.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [exe, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port), "--jobs", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(base, proc, tmp / "serve.log", 60)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def login(browser, base: str, user: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", f"demo-{user}-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/o/{ORG}")
    return ctx, page


def shot(page, name: str) -> None:
    """A screenshot, and what looking at it checks: the page does not scroll sideways (a
    table or form wider than the window) and shows no internal error."""
    page.screenshot(path=str(SHOTS / f"{name}.png"))  # the window, as a person sees it
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"{name}: the page is {wide}px wider than the window"
    assert "intern fejl" not in page.content(), name


def payback(page) -> str:
    """Table 1's payback rows as the page shows them (both bases)."""
    rows = page.locator("#section-table1 tr", has_text="Tilbagebetalingstid")
    return " | ".join(rows.all_inner_texts())


def param_form(page, name: str):
    return page.locator("form.param").filter(has=page.locator(f"code:text-is('{name}')"))


def test_a_case_from_upload_to_report_and_follow_up(server, browser, tmp_path):
    ctx, page = login(browser, server, "oekonom")
    assert page.locator("table").first.is_visible()
    shot(page, "01-portfolio")

    # upload seed 000 as a new case
    page.goto(f"{server}/o/{ORG}/upload")
    page.set_input_files("input[name=file]", str(ROOT / "examples/tidlig-indsats-0-2.yaml"))
    page.click("form.upload details summary")  # "Flere valg": the path in the workspace
    page.fill("input[name=path]", NEW_CASE)
    page.click("form.upload button[type=submit]")
    page.wait_for_url(f"{server}/o/{ORG}/cases/{NEW_CASE}")
    assert page.locator("#section-table1").is_visible()
    assert payback(page).count("6 år") == 2, payback(page)
    shot(page, "02-case-uploaded")

    # edit a parameter: the preview (htmx, no reload) shows the new payback at once
    form = param_form(page, "price_foster")
    form.locator("input[name=value]").fill("1000")
    form.locator("input[name=value]").dispatch_event("change")
    page.wait_for_selector("#case-live .banner")
    assert payback(page).count("4 år") == 2, payback(page)
    assert page.locator("#case-live .banner").is_visible()
    shot(page, "03-preview-payback-4")
    form = param_form(page, "price_foster")
    form.locator("input[name=value]").fill("1000")
    form.locator("button[value=save]").click()
    page.wait_for_selector("text=Version 2 af 2")
    assert payback(page).count("4 år") == 2
    shot(page, "04-saved-version-2")

    # the PDF report, made in the background
    page.select_option("select[name=format]", "pdf")
    page.click("text=Lav rapport")
    page.wait_for_selector("a.download", timeout=90_000)
    shot(page, "05-report-job")
    with page.expect_download() as dl:
        page.click("a.download")
    pdf = tmp_path / "report.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Tabel 1. Forslagets samlede økonomiske konsekvenser" in text
    elif CI:
        pytest.fail("pdftotext (poppler-utils) is missing")

    # actuals: one more posting of 500.000 kr. on the team (4.62.88, TIBUF) in 2017. In 2016
    # p/l with the wage index (98 in 2016, 100 in 2017): 500 × 98/100 = 490 (1.000 kr.), so
    # team_buf 2017 goes from plan 4.500 = actual 4.500 to actual 4.990: +490, 10.9 % (alert).
    page.goto(f"{server}/o/{ORG}/followup/{FOLLOWUP}")
    shot(page, "06-followup-before")
    postings = (ROOT / "examples/followup/postings-tidlig-indsats.csv").read_text("utf-8-sig")
    extra = postings.rstrip("\n") + "\n4.62.88.1;TIBUF;15-06-2017;Ekstra løn;500000,00\n"
    upload = tmp_path / "postings-tidlig-indsats.csv"
    upload.write_text(extra, encoding="utf-8")
    page.set_input_files("input[name=file]", str(upload))
    page.click("form.actions button[type=submit]")
    page.wait_for_url(f"{server}/o/{ORG}/followup/{FOLLOWUP}")
    status = page.request.get(f"{server}/o/{ORG}/followup/{FOLLOWUP}?format=json").json()
    row = next(
        v for v in status["status"]["variance"] if v["line"] == "team_buf" and v["year"] == 2017
    )
    assert row["diff"] == pytest.approx(490, abs=0.01) and row["status"] == "alert", row
    assert page.get_by_text("4.990").first.is_visible()
    assert page.get_by_text("490").first.is_visible()
    shot(page, "07-followup-variance")
    ctx.close()


def test_two_browsers_edit_one_case(server, browser):
    """Both open the same version; the first save wins, the second gets 409 and a page with
    its change and the latest version side by side (nothing overwritten)."""
    url = f"{server}/o/{ORG}/cases/examples/fit-familiebehandling.yaml"
    ctx_a, a = login(browser, server, "oekonom")
    ctx_b, b = login(browser, server, "admin")
    a.goto(url)
    b.goto(url)
    first = a.locator("form.param").first
    name = first.locator("code").inner_text()
    first.locator("input[name=value]").fill("7")
    first.locator("button[value=save]").click()
    a.wait_for_selector("text=Version 2 af 2")
    second = b.locator("form.param").first
    second.locator("input[name=value]").fill("9")
    saving = lambda r: "action=save" in (r.request.post_data or "")  # noqa: E731
    with b.expect_response(saving) as resp:
        second.locator("button[value=save]").click()
    assert resp.value.status == 409
    b.wait_for_selector("#yours")
    assert b.locator("#yours").is_visible() and b.locator("#latest").is_visible()
    assert "value: 9" in b.inner_text("#yours") and "value: 7" in b.inner_text("#latest")
    shot(b, "08-conflict-two-browsers")
    history = b.request.get(f"{url}/history?format=json").json()["versions"]
    assert [v["number"] for v in history] == [1, 2], name
    ctx_a.close()
    ctx_b.close()
