"""Chat against a real `qdeck serve`: a channel's messages, edits and typing arrive over
the WebSocket topic ``chat:<channel id>``; a private channel cannot be subscribed to by
someone outside it; a member removed from the workspace is unsubscribed within a second;
the SDK and the CLI post, read and search."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qdeck.client import QDeckClient
from tests.cli.terminal import cli_env, qdeck
from tests.client.live import Account, new_account
from tests.events.live_client import LiveClient
from tests.live_server import LiveServer

WITHIN_SECONDS = 1.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("chat-live") / "data", QDECK_WORKERS="1").start()
    yield live
    live.stop()


def _team(server: LiveServer) -> tuple[Account, Account, QDeckClient, QDeckClient, str, str]:
    ada, grace = new_account(server, "Ada"), new_account(server, "Grace")
    mine, hers = QDeckClient(server.url, ada.token), QDeckClient(server.url, grace.token)
    lab = str(mine.workspaces.create("Lab").id)
    mine.workspaces.add_member(lab, grace.email)
    general = next(c for c in mine.chat.channels(lab) if c.name == "general")
    return ada, grace, mine, hers, lab, str(general.id)


def _http(server: LiveServer, who: Account) -> httpx.Client:
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {who.token}"}, timeout=30
    )


async def _event(live: LiveClient, limit: float = 10) -> dict:
    frame = await live.next(limit)
    assert frame["type"] == "event", frame
    return frame


async def test_messages_edits_and_typing_arrive_live_and_removal_ends_it(server) -> None:
    ada, grace, mine, hers, lab, general = _team(server)
    live = await LiveClient.open(server.url, ada.token)
    assert (await live.subscribe(f"chat:{general}"))["type"] == "subscribed"
    posted = await asyncio.to_thread(hers.chat.post, general, "hi **all**")
    frame = await _event(live)
    assert frame["event"] == "chat.message"
    assert frame["data"]["message"]["id"] == str(posted.id)
    assert frame["data"]["message"]["html"] == "<p>hi <strong>all</strong></p>\n"
    await asyncio.to_thread(hers.chat.edit, str(posted.id), "hi everyone")
    frame = await _event(live)
    assert frame["event"] == "chat.message_changed"
    assert frame["data"]["message"]["body"] == "hi everyone"
    assert frame["data"]["message"]["edited_at"]
    _http(server, grace).post(f"/api/v1/chat/channels/{general}/typing").raise_for_status()
    frame = await _event(live)
    assert frame["event"] == "chat.typing" and frame["data"]["name"] == "Grace"

    # Grace subscribes too, then is removed from the workspace: her topic ends at once.
    theirs = await LiveClient.open(server.url, grace.token)
    assert (await theirs.subscribe(f"chat:{general}"))["type"] == "subscribed"
    grace_id = _http(server, grace).get("/api/v1/auth/me").json()["user"]["id"]
    _http(server, ada).delete(f"/api/v1/workspaces/{lab}/members/{grace_id}").raise_for_status()
    frame = await theirs.next(WITHIN_SECONDS)
    assert frame["type"] == "unsubscribed" and frame["topic"] == f"chat:{general}"
    await asyncio.to_thread(mine.chat.post, general, "after she left")
    await theirs.send({"type": "ping", "ref": "after"})
    assert await theirs.next() == {"type": "pong", "ref": "after"}
    for client in (live, theirs):
        await client.close()
    mine.close()
    hers.close()


async def test_a_private_channel_is_closed_to_others_live_too(server) -> None:
    _, grace, mine, hers, lab, general = _team(server)
    secret = mine.chat.create_channel(lab, "secret", private=True)
    theirs = await LiveClient.open(server.url, grace.token)
    refused = await theirs.subscribe(f"chat:{secret.id}")
    assert refused["type"] == "error" and refused["code"] == "not_found"
    # The workspace's other channel carries nothing of the private one either.
    assert (await theirs.subscribe(f"chat:{general}"))["type"] == "subscribed"
    await asyncio.to_thread(mine.chat.post, str(secret.id), "only for me")
    await asyncio.sleep(0.5)
    await theirs.send({"type": "ping", "ref": "quiet"})
    assert await theirs.next() == {"type": "pong", "ref": "quiet"}
    await theirs.close()
    mine.close()
    hers.close()


def test_the_sdk_and_the_cli_post_read_and_search(server, tmp_path: Path) -> None:
    _, grace, mine, hers, lab, general = _team(server)
    env = cli_env(tmp_path / "config", QDECK_URL=server.url, QDECK_TOKEN=grace.token)
    posted = qdeck("chat", "post", "#general", "GHZ fidelity 0.93 on fake_kyiv", "-w", lab, env=env)
    assert posted.returncode == 0, posted.stderr
    root = mine.chat.messages(general).items[0]
    assert root.body == "GHZ fidelity 0.93 on fake_kyiv" and root.author.name == "Grace"
    reply = qdeck("chat", "post", general, "nice", "--thread", str(root.id), env=env)
    assert reply.returncode == 0, reply.stderr
    assert [r.body for r in mine.chat.thread(str(root.id)).replies] == ["nice"]
    shown = qdeck("chat", "read", "#general", "-w", lab, env=env)
    assert "Grace: GHZ fidelity 0.93 on fake_kyiv  [1 replies]" in shown.stdout
    found = qdeck("chat", "search", "fidel", "-w", lab, "--json", env=env)
    assert [m["body"] for m in json.loads(found.stdout)] == ["GHZ fidelity 0.93 on fake_kyiv"]
    listed = qdeck("chat", "channels", "-w", lab, env=env)
    assert "#general" in listed.stdout
    missing = qdeck("chat", "post", "#nope", "x", "-w", lab, env=env)
    assert missing.returncode == 2 and "No channel #nope" in missing.stderr
    too_long = qdeck("chat", "post", general, "x" * 10_001, env=env)
    assert too_long.returncode != 0 and "body" in too_long.stderr
    mine.close()
    hers.close()
