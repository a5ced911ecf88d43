"""What the case page keeps between requests to be fast, and that it is never stale:

- an htmx recompute (the page's inputs post on change) answers the part it replaces,
  #case-live, alone — built from the report's first page only — with the same figures as the
  whole page a browser without JavaScript gets;
- a stored version's page parts (document, its HTML, the editing rows) are kept per version:
  a save shows the new version's figures at once;
- a version's content is kept by id and hash (store.repo.content): another database with other
  content under the same ids (a restore) is never answered from what was kept.
"""

from __future__ import annotations

import re

from socinvest.services import workspace as wsv
from socinvest.store import repo
from socinvest.store.models import Document, Organisation

from . import test_web as web
from .test_web import CASE, CASE_URL, JSON, ORG, login, payback_rows

# the same fixtures (the demo workspace built once per session, copied per test)
template_db = web.template_db
app = web.app

HX = {"HX-Request": "true"}


def _figures(html: str) -> list[str]:
    """The cells of Table 1 as text, in order (the results the edit changes)."""
    table = html[html.index('id="section-table1"') :]
    table = table[: table.index("</table>")]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table)]


def test_an_htmx_recompute_answers_the_part_it_replaces(app):
    c, token = login(app, "oekonom")
    form = {"base_version": "1", "value": "1000", "action": "preview", "csrf_token": token}
    url = f"{CASE_URL}/parameters/price_foster"
    part = c.post(url, data=form, headers=HX)
    whole = c.post(url, data=form)
    assert part.status_code == whole.status_code == 200
    assert part.text.lstrip().startswith('<div id="case-live">')
    assert "<html" not in part.text and "<html" in whole.text
    assert 'id="section-appendix"' not in part.text and 'id="section-appendix"' in whole.text
    assert _figures(part.text) == _figures(whole.text)
    # price_foster 1000: payback in year 4 (hand check in test_web), shown in the part
    assert "4 år" in part.text and "Forhåndsvisning" in part.text
    # the edit panel in the part posts to the same places as the whole page's
    actions = re.findall(r'action="([^"]+/parameters/[^"]+)"', part.text)
    assert f"{CASE_URL}/parameters/price_foster" in actions
    assert actions == re.findall(r'action="([^"]+/parameters/[^"]+)"', whole.text)
    # the JSON twin of an htmx request is still the whole page's
    twin = c.post(url, data=form, headers={**HX, **JSON})
    assert set(payback_rows(twin.json()).values()) == {"4 år"}


def test_a_save_shows_the_new_version_at_once(app):
    c, token = login(app, "oekonom")
    before = c.get(CASE_URL).text  # keeps version 1's page parts
    url = f"{CASE_URL}/parameters/price_foster"
    saved = c.post(url, data={"base_version": "1", "value": "1000", "csrf_token": token})
    assert saved.status_code == 303
    after = c.get(CASE_URL).text
    assert "6 år" in before and "4 år" in after and "6 år" not in _figures(after)
    assert 'name="value" value="1000"' in after  # the editing rows of version 2
    assert 'name="value" value="1000"' not in before
    assert "4 år" not in c.get(f"{CASE_URL}?version=1").text.split('id="section-table1"')[1][:4000]


def test_kept_content_is_never_another_databases(tmp_path):
    """Two workspaces whose first version has the same id and different text (as after a
    restore): each reads its own."""
    workspaces = []
    for name, text in (("one", "a: 1\n"), ("two", "a: 2\n")):
        ws = wsv.open_workspace(f"sqlite:///{tmp_path / name}.db")
        with ws.store.transaction() as s:
            o = Organisation(slug="x", name="X")
            s.add(o)
            s.flush()
            d = Document(org_id=o.id, kind="data", path="d.yaml", status="draft", latest=0)
            s.add(d)
            s.flush()
            repo.add_version(s, d, text, {"a": int(text[3])}, None, "test", "")
        workspaces.append((ws, text))
    for ws, text in (*workspaces, workspaces[0]):
        with ws.store.reading() as s:
            v = repo.version(s, 1, 1, light=True)
            assert v is not None and v.id == 1
            assert repo.content(s, v)[0] == text
            assert repo.content(s, v)[2] == {"a": int(text[3])}
    for ws, _ in workspaces:
        ws.store.engine.dispose()


def test_the_kept_parts_follow_the_language(app):
    c, _ = login(app, "oekonom")
    da = c.get(CASE_URL).text
    en = c.get(f"{CASE_URL}?lang=en").text
    assert "<figcaption>Tabel 1." in da and "<figcaption>Table 1." in en
    assert "<figcaption>Tabel 1." not in en and "<figcaption>Table 1." not in da
    assert ORG in da and CASE in da


def test_every_connection_has_nagle_turned_off():
    """`serve` runs NoDelayH11Protocol: with several workers asyncio no longer turns Nagle's
    algorithm off (their listening socket does not say it is TCP), and a response's last
    segment waited 40 ms for the client's delayed ACK."""
    import asyncio
    import socket

    from uvicorn.config import Config
    from uvicorn.server import ServerState

    from socinvest.cli.serve import PROTOCOL
    from socinvest.web.protocol import NoDelayH11Protocol

    assert PROTOCOL == "socinvest.web.protocol:NoDelayH11Protocol"
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    conn, _ = listener.accept()
    try:
        assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0

        class Transport(asyncio.Transport):
            def get_extra_info(self, name, default=None):
                return {
                    "socket": conn,
                    "peername": conn.getpeername(),
                    "sockname": conn.getsockname(),
                }.get(name, default)

        config = Config(app=lambda *a: None, http=NoDelayH11Protocol)
        config.load()
        loop = asyncio.new_event_loop()
        try:
            proto = NoDelayH11Protocol(config, ServerState(), {}, _loop=loop)
            proto.connection_made(Transport())
        finally:
            loop.close()
        assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        for s in (client, conn, listener):
            s.close()


def test_a_server_process_freezes_what_lives_as_long_as_it(monkeypatch):
    """`serve`'s workers (create_app_from_env) freeze the heap once made and again after their
    first requests, so that full collections do not walk it (100–120 ms pauses under load)."""
    import gc

    from socinvest.web.app import Heap

    try:
        gc.unfreeze()
        heap = Heap()
        first = gc.get_freeze_count()
        assert first > 0
        kept = [[i] for i in range(1000)]  # made by the first requests, kept for good
        for _ in range(Heap.FREEZE_AFTER - 1):
            heap.served()
        assert gc.get_freeze_count() == first
        heap.served()
        assert gc.get_freeze_count() >= first + len(kept)
        for _ in range(100):
            heap.served()  # once only
        assert heap.requests == Heap.FREEZE_AFTER + 100
    finally:
        gc.unfreeze()


def test_serve_s_app_has_the_heap_keeper(monkeypatch, tmp_path):
    import gc

    from socinvest.web.app import Heap, create_app_from_env

    monkeypatch.setenv("SOCINVEST_DATABASE_URL", f"sqlite:///{tmp_path / 'ws.db'}")
    monkeypatch.setenv("SOCINVEST_SECRET_KEY", "k" * 32)
    try:
        app = create_app_from_env()
        assert isinstance(app.state.heap, Heap)
        app.state.jobs.shutdown()
        app.state.ws.store.engine.dispose()
    finally:
        gc.unfreeze()
