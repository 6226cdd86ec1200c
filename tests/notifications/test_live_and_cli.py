"""Against a real `qdeck serve`: the unread count arrives live over the WebSocket when a
job fails and drops when it is read; nobody else hears it; the SDK and the CLI list and
mark notifications."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from qdeck.client import AsyncQDeckClient, QDeckClient
from tests.cli.terminal import cli_env, qdeck
from tests.client.live import Account, new_account, slow_circuit
from tests.events.live_client import LiveClient
from tests.live_server import LiveServer

SLOW = slow_circuit(23, 30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # No grouping window: each failure here is its own notification.
    data = tmp_path_factory.mktemp("server") / "data"
    live = LiveServer(data, QDECK_WORKERS="1", QDECK_NOTIFICATION_GROUP_WINDOW_SECONDS="0")
    live.start()
    yield live
    live.stop()


def _fail_a_job(client: QDeckClient, name: str) -> str:
    job = client.jobs.submit(SLOW, shots=10, name=name, timeout_seconds=1)
    return job.id


async def _next_event(live: LiveClient, limit: float = 90) -> dict:
    frame = await live.next(limit)
    assert frame["type"] == "event", frame
    return frame


async def test_the_unread_count_arrives_live_and_only_for_its_owner(server: LiveServer) -> None:
    ada, grace = new_account(server, "Ada"), new_account(server, "Grace")
    mine = await LiveClient.open(server.url, ada.token)
    theirs = await LiveClient.open(server.url, grace.token)
    for live in (mine, theirs):
        assert (await live.subscribe("notifications"))["type"] == "subscribed"
    with QDeckClient(server.url, ada.token) as qd:
        await asyncio.to_thread(_fail_a_job, qd, "deep")
        created = await _next_event(mine)
        assert created["event"] == "notification.created"
        assert created["data"]["title"] == "deep failed on aer_simulator"
        assert created["data"]["severity"] == "error"
        assert created["data"]["unread_count"] == 1
        await asyncio.to_thread(qd.notifications.read, created["data"]["notification_id"])
        read = await _next_event(mine)
        assert read["event"] == "notification.read" and read["data"]["unread_count"] == 0
    # Grace's socket carried nothing of Ada's: the next frame she gets is her own pong.
    await theirs.send({"type": "ping", "ref": "after"})
    assert await theirs.next(10) == {"type": "pong", "ref": "after"}
    await mine.close()
    await theirs.close()


async def test_the_sdk_and_the_cli_list_and_mark_notifications(
    server: LiveServer, tmp_path: Path
) -> None:
    alan: Account = new_account(server, "Alan")
    with QDeckClient(server.url, alan.token) as qd:
        for name in ("one", "two"):
            await asyncio.to_thread(_fail_a_job, qd, name)
    async with AsyncQDeckClient(server.url, alan.token) as aqd:
        for _ in range(600):
            if await aqd.notifications.unread_count() == 2:
                break
            await asyncio.sleep(0.1)
        page = await aqd.notifications.list(unread=True)
        assert {n.title for n in page.items} == {
            "one failed on aer_simulator",
            "two failed on aer_simulator",
        }
    env = cli_env(tmp_path / "config", QDECK_URL=server.url, QDECK_TOKEN=alan.token)
    listed = qdeck("notifications", "list", "--unread", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert [i["kind"] for i in items] == ["job.failed", "job.failed"]
    shown = qdeck("notifications", "list", env=env)
    assert "2 shown, 2 unread" in shown.stdout and "two failed on aer_simulator" in shown.stdout
    read = qdeck("notifications", "read", items[0]["id"], env=env)
    assert read.returncode == 0 and "1 unread" in read.stdout
    rest = qdeck("notifications", "read-all", env=env)
    assert rest.returncode == 0 and "1 marked read, 0 unread" in rest.stdout
    missing = qdeck("notifications", "read", "00000000-0000-0000-0000-000000000000", env=env)
    assert missing.returncode != 0 and "Notification not found" in missing.stderr
