"""Shared documents against a real `qdeck serve`, with real pycrdt clients on the real
sync WebSocket: concurrent random edits converge; an offline editor's edits merge when
it reconnects; a server killed and started again keeps every document; a viewer's update
is refused and never stored; outsiders cannot connect; a removed member's socket closes
within a second; oversized and malformed updates close only the socket that sent them."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator

import httpx
import pytest
from pycrdt import Doc, Text
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.client.live import Account, new_account
from tests.collab.crdt_client import editing, sync_url, text_of, until
from tests.live_server import LiveServer

EDITS = 1000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("docs") / "data", QDECK_WORKERS="1").start()
    yield live
    live.stop()


def _api(server: LiveServer, who: Account) -> httpx.Client:
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {who.token}"}, timeout=30
    )


def _team(server: LiveServer, viewer: bool = False):
    ada, grace, vic = (new_account(server, n) for n in ("Ada", "Grace", "Vic"))
    with _api(server, ada) as api:
        lab = api.post("/api/v1/workspaces", json={"name": "Lab"}).json()["id"]
        for who, role in ((grace, "member"), (vic, "viewer")):
            added = api.post(
                f"/api/v1/workspaces/{lab}/members", json={"email": who.email, "role": role}
            )
            assert added.status_code == 201, added.text
        made = api.post(
            f"/api/v1/workspaces/{lab}/documents",
            json={"title": "Notes", "text": "# GHZ"},
        )
        assert made.status_code == 201, made.text
    return ada, grace, vic, lab, made.json()["id"]


def _server_text(server: LiveServer, who: Account, document_id: str) -> str:
    with _api(server, who) as api:
        return api.get(f"/api/v1/documents/{document_id}").json()["text"]


async def _random_edits(doc: Doc, rng: random.Random, count: int) -> None:
    text = doc.get("content", type=Text)
    for _ in range(count):
        length = len(text)
        if length > 20 and rng.random() < 0.3:
            start = rng.randrange(length)
            del text[start : min(length, start + rng.randint(1, 5))]
        else:
            text.insert(rng.randint(0, length), rng.choice("abcdefgh |>\n"))
        if rng.random() < 0.2:
            await asyncio.sleep(0)


async def test_three_editors_converge_on_concurrent_random_edits(server) -> None:
    ada, grace, _, _, doc_id = _team(server)
    async with (
        editing(server.url, ada.token, doc_id) as (one, _),
        editing(server.url, grace.token, doc_id) as (two, _),
        editing(server.url, ada.token, doc_id) as (three, _),
    ):
        await until(lambda: all(text_of(d) == "# GHZ" for d in (one, two, three)))
        rng = random.Random(17)
        seeds = [random.Random(rng.random()) for _ in range(3)]
        await asyncio.gather(
            *(
                _random_edits(d, r, EDITS // 3 + 1)
                for d, r in zip((one, two, three), seeds, strict=True)
            )
        )
        await until(lambda: text_of(one) == text_of(two) == text_of(three), 30)
        final = text_of(one)
        assert final != "# GHZ"
        # The server holds the same text (stored, not only relayed), and a newcomer gets it.
        await until(lambda: _server_text(server, ada, doc_id) == final, 10)
    async with editing(server.url, grace.token, doc_id) as (late, _):
        await until(lambda: text_of(late) == final)


async def test_an_offline_editor_merges_when_it_reconnects(server) -> None:
    ada, grace, _, _, doc_id = _team(server)
    mine = Doc()
    async with editing(server.url, ada.token, doc_id, mine):
        await until(lambda: text_of(mine) == "# GHZ")
    # Offline: Ada writes at the end while Grace writes at the start.
    mine.get("content", type=Text).insert(len(text_of(mine)), "\noffline line\n")
    async with editing(server.url, grace.token, doc_id) as (hers, _):
        await until(lambda: text_of(hers) == "# GHZ")
        hers.get("content", type=Text).insert(0, "online: ")
        await until(lambda: _server_text(server, grace, doc_id).startswith("online: "))
        async with editing(server.url, ada.token, doc_id, mine):
            expected = "online: # GHZ\noffline line\n"
            await until(lambda: text_of(mine) == expected == text_of(hers))


async def test_a_killed_server_keeps_every_document(server) -> None:
    ada, _, _, _, doc_id = _team(server)
    async with editing(server.url, ada.token, doc_id) as (doc, _):
        await until(lambda: text_of(doc) == "# GHZ")
        doc.get("content", type=Text).insert(5, "\nFidelity 0.93 on fake_kyiv")
        expected = text_of(doc)
        # Past the store's flush window (50 ms), then no goodbye: SIGKILL.
        await asyncio.sleep(0.5)
        server.kill()
    server.start()
    assert _server_text(server, ada, doc_id) == expected
    async with editing(server.url, ada.token, doc_id) as (again, _):
        await until(lambda: text_of(again) == expected)


async def test_a_viewers_update_is_refused_and_never_stored(server) -> None:
    ada, _, vic, _, doc_id = _team(server)
    async with editing(server.url, ada.token, doc_id) as (mine, _):
        await until(lambda: text_of(mine) == "# GHZ")
        async with editing(server.url, vic.token, doc_id) as (theirs, socket):
            await until(lambda: text_of(theirs) == "# GHZ")  # viewers read live
            theirs.get("content", type=Text).insert(0, "vandal ")
            await asyncio.wait_for(socket.wait_closed(), 5)
            assert socket.close_code == 4403
        # Ada's editor carries on, and nothing of Vic's reached her or the store.
        mine.get("content", type=Text).insert(0, "ok ")
        await until(lambda: _server_text(server, ada, doc_id) == "ok # GHZ")
        assert "vandal" not in text_of(mine)


async def test_outsiders_cannot_connect_and_removal_closes_within_a_second(server) -> None:
    ada, grace, _, lab, doc_id = _team(server)
    olga = new_account(server, "Olga")
    url = sync_url(server.url, doc_id)
    async with connect(url, additional_headers={"Authorization": f"Bearer {olga.token}"}) as s:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(s.recv(), 5)
        assert s.close_code == 4404
    async with connect(url) as anonymous:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(anonymous.recv(), 5)
        assert anonymous.close_code == 4401
    async with editing(server.url, grace.token, doc_id) as (hers, socket):
        await until(lambda: text_of(hers) == "# GHZ")
        with _api(server, grace) as api:
            grace_id = api.get("/api/v1/auth/me").json()["user"]["id"]
        with _api(server, ada) as api:
            api.delete(f"/api/v1/workspaces/{lab}/members/{grace_id}").raise_for_status()
        await asyncio.wait_for(socket.wait_closed(), 1.0)
        assert socket.close_code == 4401


async def test_oversized_and_malformed_updates_close_only_their_socket(server) -> None:
    ada, grace, _, _, doc_id = _team(server)
    url = sync_url(server.url, doc_id)
    headers = {"Authorization": f"Bearer {grace.token}"}
    async with editing(server.url, ada.token, doc_id) as (mine, _):
        await until(lambda: text_of(mine) == "# GHZ")
        for junk, code in (
            (b"\x00\x02" + b"\xff" * 2_000_000, 1009),
            (b"\x00\x02\x05garbage", 1007),
        ):
            async with connect(url, additional_headers=headers, max_size=None) as bad:
                await bad.recv()  # the server's opening sync step
                await bad.send(junk)
                await asyncio.wait_for(bad.wait_closed(), 5)
                assert bad.close_code == code, (code, bad.close_reason)
        mine.get("content", type=Text).insert(0, "still ")
        await until(lambda: _server_text(server, ada, doc_id) == "still # GHZ")
