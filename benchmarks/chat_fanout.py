"""Chat fan-out: one message posted to ``#general`` of a 1,000-member workspace, timed from
the POST until each of the 1,000 open WebSocket subscribers has its ``chat.message``
frame; beside the same 1,000 sockets receiving a ``workspace.changed`` event (a PATCH of
the workspace's description, topic ``workspace:<id>``), measured in the same run.

Why: a public channel is everybody's, so every message is one event per member; the chat
page shows it live, and a message should appear everywhere within a moment (target: p99
under 300 ms). The baseline goes through the same outbox, relay, bus and sockets with a
cheaper request and a smaller frame, so ``chat p99 / baseline p99`` says what chat adds
on top of the platform's own fan-out (the message's write, rate-limit count, mentions,
job references, read model, and a larger frame through 1,000 subscription filters).

A real ``qdeck serve`` (``QDECK_CHAT_RATE_LIMIT=10000``, so one poster may post every
round) holds 1,000 sockets, one per member with the member's own API token, each
subscribed to both ``chat:<#general>`` and ``workspace:<id>``. Members and tokens are
written straight into the database (``notification_fanout._members``): 1,000 sign-ups
would measure Argon2. The owner posts through the REST API (``httpx.AsyncClient``, so the
sockets in this same process keep reading while the request runs); ``t0`` is taken just
before the request is sent, and every subscriber stamps the frame of that message id as
it reads it. Per round: p50 / p99 / max over the subscribers, for both paths, the order
alternating between rounds; a round waits until every subscriber had the previous event
and the outbox consumers are idle. The first round is a warm-up and is discarded. The
clients share one process (as in ``notification_fanout.py``): their own reading and JSON
decoding of 1,000 frames is part of both figures.

Run: ``.venv/bin/python benchmarks/chat_fanout.py [--members 1000] [--rounds 5]
[--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]`` (default SQLite; on
PostgreSQL a fresh schema ``qdeck_chatfan_<hex>`` is used and dropped afterwards).
Target (issue 17): chat p99 < 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

import asyncpg
import httpx
from notification_fanout import PASSWORD, _members, _settled
from outbox_delivery import wait_until_idle
from websockets.asyncio.client import connect

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.testing.live_server import LiveServer, api_client

TARGET_P99 = 0.300
CHAT, BASELINE = "chat.message", "workspace.changed"


async def _open(url: str, token: str, topics: list[str]):
    socket = await connect(
        url.replace("http", "ws", 1) + "/api/v1/ws",
        additional_headers={"Authorization": f"Bearer {token}"},
        max_queue=None,
        open_timeout=300,
        ping_interval=None,
    )
    await socket.recv()  # welcome
    for topic in topics:
        await socket.send(json.dumps({"type": "subscribe", "topic": topic, "ref": topic}))
    waiting = set(topics)
    while waiting:
        frame = json.loads(await socket.recv())
        if frame["type"] == "subscribed":
            waiting.discard(frame["topic"])
        elif frame["type"] != "heartbeat":
            raise RuntimeError(f"subscribing failed: {frame}")
    return socket


async def _until(socket, event: str) -> tuple[float, str | None]:
    """The receive time of the next ``event`` frame, and its message id (chat)."""
    while True:
        frame = json.loads(await socket.recv())
        if frame.get("type") == "event" and frame.get("event") == event:
            arrived = time.perf_counter()
            return arrived, frame["data"].get("message", {}).get("id")


async def _once(sockets, event: str, send) -> tuple[list[float], float]:
    """Latencies of one event over all sockets (from just before its request was sent),
    and how long the request itself took."""
    waiting = [asyncio.create_task(_until(s, event)) for s in sockets]
    await asyncio.sleep(0.2)  # the waiters are reading before anything is sent
    start = time.perf_counter()
    response = await send()
    answered = time.perf_counter() - start
    response.raise_for_status()
    got = await asyncio.wait_for(asyncio.gather(*waiting), 600)
    if event == CHAT:
        posted = response.json()["id"]
        wrong = sum(1 for _, message_id in got if message_id != posted)
        if wrong:
            raise RuntimeError(f"{wrong} subscribers heard another message than {posted}")
    return [arrived - start for arrived, _ in got], answered


def _figures(latencies: list[float]) -> tuple[float, float, float]:
    return (
        statistics.median(latencies),
        statistics.quantiles(latencies, n=100, method="inclusive")[98],
        max(latencies),
    )


def _ms(figures: tuple[float, float, float]) -> str:
    p50, p99, worst = (f * 1000 for f in figures)
    return f"p50 {p50:6.1f}  p99 {p99:6.1f}  max {worst:6.1f} ms"


async def _drop_schema(url: str, schema: str) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


async def main(members: int, rounds: int, database_url: str) -> None:
    data = Path(tempfile.mkdtemp(prefix="qdeck-chatfan-")) / "data"
    env = {
        "QDECK_WORKERS": "1",
        "QDECK_CHAT_RATE_LIMIT": "10000",
        "QDECK_WS_MAX_QUEUE": "10000",
    }
    if database_url:
        env["QDECK_DATABASE_URL"] = database_url
        env["QDECK_DATABASE_SCHEMA"] = f"qdeck_chatfan_{uuid.uuid4().hex[:8]}"
    server = LiveServer(data, **env).start(limit_seconds=300)
    assert server.process is not None
    print(
        f"qdeck serve pid {server.process.pid} on {'PostgreSQL' if database_url else 'SQLite'}",
        flush=True,
    )
    try:
        email = f"owner-{uuid.uuid4().hex[:6]}@example.org"
        owner_api = api_client(server, email, PASSWORD, "Owner")
        workspace = owner_api.post("/api/v1/workspaces", json={"name": "Big"}).json()["id"]
        channels = owner_api.get(f"/api/v1/workspaces/{workspace}/chat/channels").json()
        general = next(c["id"] for c in channels if c["name"] == "general")
        settings = Settings(
            data_dir=data,
            database_url=env.get("QDECK_DATABASE_URL", ""),
            database_schema=env.get("QDECK_DATABASE_SCHEMA"),
            auto_migrate=False,
        )
        database = Database(settings)
        tokens = list((await _members(database, email, uuid.UUID(workspace), members)).values())
        await database.dispose()
        tokens.append(owner_api.headers["Authorization"].removeprefix("Bearer "))
        topics = [f"chat:{general}", f"workspace:{workspace}"]
        opened = time.perf_counter()
        sockets = []
        for batch in range(0, len(tokens), 100):
            sockets += await asyncio.gather(
                *[_open(server.url, t, topics) for t in tokens[batch : batch + 100]]
            )
        print(
            f"{len(sockets)} members subscribed to #general and the workspace in "
            f"{time.perf_counter() - opened:.1f} s",
            flush=True,
        )
        await asyncio.to_thread(wait_until_idle, [server])
        poster = httpx.AsyncClient(base_url=server.url, timeout=60, headers=owner_api.headers)
        sends = {
            CHAT: lambda i: poster.post(
                f"/api/v1/chat/channels/{general}/messages",
                json={"body": f"Round {i}: calibration of fake_kyiv is done, results in."},
            ),
            BASELINE: lambda i: poster.patch(
                f"/api/v1/workspaces/{workspace}", json={"description": f"round {i}"}
            ),
        }
        kept: list[dict[str, tuple[float, float, float]]] = []
        answers: dict[str, list[float]] = {CHAT: [], BASELINE: []}
        for i in range(rounds + 1):
            order = (CHAT, BASELINE) if i % 2 == 0 else (BASELINE, CHAT)
            figures = {}
            for event in order:
                await _settled(owner_api)
                latencies, answered = await _once(sockets, event, partial(sends[event], i))
                figures[event] = _figures(latencies)
                if i:
                    answers[event].append(answered)
            label = "warm-up (discarded)" if i == 0 else f"round {i}"
            print(
                f"{time.strftime('%H:%M:%S')} {label}: chat {_ms(figures[CHAT])} | "
                f"baseline {_ms(figures[BASELINE])} | "
                f"p99 ratio {figures[CHAT][1] / figures[BASELINE][1]:.2f}x",
                flush=True,
            )
            if i:
                kept.append(figures)
        chat, base = (
            tuple(statistics.median(f[event][k] for f in kept) for k in range(3))
            for event in (CHAT, BASELINE)
        )
        print(f"median of {rounds} measured rounds, {len(sockets)} subscribers each:")
        print(
            f"  chat.message (POST message)          {_ms(chat)}; "
            f"POST answered in {statistics.median(answers[CHAT]) * 1000:.1f} ms"
        )
        print(
            f"  workspace.changed (PATCH workspace)  {_ms(base)}; "
            f"PATCH answered in {statistics.median(answers[BASELINE]) * 1000:.1f} ms"
        )
        print(f"  chat p99 / baseline p99 = {chat[1] / base[1]:.2f}x")
        verdict = "met" if chat[1] < TARGET_P99 else "NOT met"
        print(
            f"target p99 < {TARGET_P99 * 1000:.0f} ms: {verdict} (chat p99 {chat[1] * 1000:.1f} ms)"
        )
        await poster.aclose()
        for socket in sockets:
            await socket.close()
        owner_api.close()
    finally:
        server.stop()
        if database_url:
            await _drop_schema(database_url, env["QDECK_DATABASE_SCHEMA"])
    shutil.rmtree(data.parent)  # kept, with its server.log, when the run failed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="measured, after one warm-up")
    parser.add_argument(
        "--database-url", default="", help="postgresql+asyncpg://... (default SQLite)"
    )
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    asyncio.run(main(args.members, args.rounds, args.database_url))
