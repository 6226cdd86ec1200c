"""Access ends live on the WebSocket: a removed member, a deleted workspace, a revoked
API token and ended browser sessions each stop the flow within a second, with a reason,
and nothing of the workspace arrives afterwards."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.accounts import PASSWORD
from tests.events.live_client import LiveClient
from tests.events.test_websocket import person, submit
from tests.live_server import LiveServer

# The promise: a revocation reaches open sockets within one second.
WITHIN_SECONDS = 1.0
CLOSE_ACCESS_ENDED = 4401


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("revocation") / "data"
    live = LiveServer(data, QDECK_WORKERS="1").start()
    yield live
    live.stop()


def team(server: LiveServer) -> tuple[httpx.Client, httpx.Client, str, str]:
    """Ada's team workspace with Bob as a member: (ada, bob, bob's token, workspace id)."""
    ada, _ = person(server)
    bob, bob_token = person(server)
    lab = ada.post("/api/v1/workspaces", json={"name": f"Lab {bob_token[-6:]}"}).json()["id"]
    email = bob.get("/api/v1/auth/me").json()["user"]["email"]
    ada.post(f"/api/v1/workspaces/{lab}/members", json={"email": email}).raise_for_status()
    return ada, bob, bob_token, lab


async def quiet_afterwards(client: LiveClient, ada: httpx.Client, lab: str) -> None:
    """A job in the workspace now sends nothing: the next frame is the pong."""
    submit(ada, workspace_id=lab)
    await asyncio.sleep(0.5)
    await client.send({"type": "ping", "ref": "after"})
    assert await client.next() == {"type": "pong", "ref": "after"}


async def test_a_removed_member_is_unsubscribed(server) -> None:
    ada, bob, token, lab = team(server)
    client = await LiveClient.open(server.url, token)
    assert (await client.subscribe(f"workspace:{lab}"))["type"] == "subscribed"
    bob_id = bob.get("/api/v1/auth/me").json()["user"]["id"]
    ada.delete(f"/api/v1/workspaces/{lab}/members/{bob_id}").raise_for_status()
    frame = await client.next(WITHIN_SECONDS)
    assert frame["type"] == "unsubscribed" and frame["topic"] == f"workspace:{lab}"
    assert frame["reason"]
    await quiet_afterwards(client, ada, lab)
    await client.close()


async def test_a_deleted_workspace_unsubscribes_everyone(server) -> None:
    ada, _, token, lab = team(server)
    client = await LiveClient.open(server.url, token)
    await client.subscribe(f"activity:{lab}")
    await client.subscribe(f"workspace:{lab}")
    ada.delete(f"/api/v1/workspaces/{lab}").raise_for_status()
    frames = [await client.next(WITHIN_SECONDS) for _ in range(2)]
    assert {f["topic"] for f in frames} == {f"activity:{lab}", f"workspace:{lab}"}
    assert {f["type"] for f in frames} == {"unsubscribed"}
    await client.close()


async def test_a_revoked_token_closes_its_socket(server) -> None:
    ada, bob, token, lab = team(server)
    client = await LiveClient.open(server.url, token)
    await client.subscribe(f"workspace:{lab}")
    token_id = next(
        t["id"] for t in bob.get("/api/v1/tokens").json()["items"] if token.startswith(t["prefix"])
    )
    bob.delete(f"/api/v1/tokens/{token_id}").raise_for_status()
    assert (await client.next(WITHIN_SECONDS))["type"] == "closing"
    with pytest.raises(ConnectionClosed) as closed:
        await client.next(WITHIN_SECONDS)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_ACCESS_ENDED
    submit(ada, workspace_id=lab)  # and nothing reaches a closed socket, by construction


async def test_ended_browser_sessions_close_their_sockets(server) -> None:
    """A socket opened with the session cookie closes when the password is changed from
    another browser (which ends every other session)."""
    api, _ = person(server)
    email = api.get("/api/v1/auth/me").json()["user"]["email"]
    laptop, phone = (httpx.Client(base_url=server.url, timeout=30) for _ in range(2))
    for browser in (laptop, phone):
        browser.post(
            "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        ).raise_for_status()
    cookie = f"qdeck_session={laptop.cookies['qdeck_session']}"
    url = server.url.replace("http://", "ws://") + "/api/v1/ws"
    from websockets.asyncio.client import connect

    connection = await connect(url, additional_headers={"Cookie": cookie}, origin=server.url)
    client = LiveClient(connection)
    assert (await client.next())["type"] == "welcome"
    workspace = next(
        w["id"] for w in api.get("/api/v1/workspaces").json()["items"] if w["is_personal"]
    )
    await client.subscribe(f"workspace:{workspace}")
    changed = phone.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "a different passphrase 42"},
        headers={"X-CSRF-Token": phone.cookies["qdeck_csrf"]},
    )
    assert changed.status_code == 204, changed.text
    assert (await client.next(WITHIN_SECONDS))["type"] == "closing"
    with pytest.raises(ConnectionClosed) as closed:
        await client.next(WITHIN_SECONDS)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_ACCESS_ENDED
