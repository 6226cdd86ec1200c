"""One event fanned out to a 1,000-member workspace: the in-app rows and a live push to
each member's open WebSocket (topic ``notifications``), timed until the last member has
their frame; beside the bare cost of the same rows as one bulk INSERT, in the same run.

A real ``qdeck serve`` holds the 1,000 sockets (one per member, each with the member's own
API token). The benchmark process stores the notifications with ``notify_many`` (what
the backend and digest producers call) in its own unit of work on the server's database;
the server's relay finds the committed outbox rows (``--poll`` seconds, as it would for
another server's commit without Redis) and each socket hears its own
``notification.created``. Members and tokens are written straight into the database:
1,000 sign-ups would measure Argon2, not notifications.

Run: ``.venv/bin/python benchmarks/notification_fanout.py [--members 1000] [--rounds 3]``
Target (issue 13): all delivered in under 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert, select
from websockets.asyncio.client import connect

from qdeck.auth.credentials import new_api_token, token_hash
from qdeck.auth.models import ApiToken, User
from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.notifications.models import Notification, Severity
from qdeck.notifications.service import notify_many
from qdeck.testing.live_server import LiveServer, api_client
from qdeck.workspaces.models import Membership
from qdeck.workspaces.roles import Role

PASSWORD = "correct horse battery staple"


async def _members(database: Database, owner_email: str, workspace: uuid.UUID, count: int):
    """``count - 1`` more members of the workspace with an API token each; the owner's
    password hash is reused (nobody logs in with them)."""
    tokens: dict[uuid.UUID, str] = {}
    async with database.session() as session:
        owner = await session.scalar(select(User).where(User.email == owner_email))
        assert owner is not None
        owner.is_admin = True  # to read the consumers' lag between rounds
        now = utcnow()
        people = [
            User(
                id=uuid.uuid4(),
                email=f"member{i}-{uuid.uuid4().hex[:6]}@example.org",
                display_name=f"Member {i}",
                password_hash=owner.password_hash,
                preferences={},
            )
            for i in range(count - 1)
        ]
        session.add_all(people)
        await session.flush()  # no relationships: the rows that others point at go first
        for user in people:
            token = new_api_token()
            session.add(Membership(workspace_id=workspace, user_id=user.id, role=Role.MEMBER))
            session.add(
                ApiToken(
                    user_id=user.id,
                    name="bench",
                    token_hash=token_hash(token),
                    prefix=token[:12],
                    created_at=now,
                )
            )
            tokens[user.id] = token
    return tokens


async def _open(url: str, token: str):
    socket = await connect(
        url.replace("http", "ws", 1) + "/api/v1/ws",
        additional_headers={"Authorization": f"Bearer {token}"},
        max_queue=None,
        open_timeout=300,
        ping_interval=None,
    )
    await socket.recv()  # welcome
    await socket.send(json.dumps({"type": "subscribe", "topic": "notifications"}))
    await socket.recv()  # subscribed
    return socket


async def _until_created(socket) -> float:
    while True:
        frame = json.loads(await socket.recv())
        if frame.get("type") == "event" and frame.get("event") == "notification.created":
            return time.perf_counter()


async def _fanout(database: Database, sockets, users: list[uuid.UUID], workspace, tag: str):
    waiting = [asyncio.create_task(_until_created(s)) for s in sockets]
    await asyncio.sleep(0.2)  # the waiters are reading before anything is sent
    start = time.perf_counter()
    async with database.session() as session:
        await notify_many(
            session,
            users,
            workspace_id=workspace,
            kind="backend.offline",
            title=f"fake_kyiv went offline ({tag})",
            body="You used it in the last 7 days; jobs sent to it wait until it returns.",
            link="/backends/fake_kyiv",
            dedupe_key=f"bench:{tag}",
        )
    stored = time.perf_counter() - start
    arrivals = await asyncio.wait_for(asyncio.gather(*waiting), 600)
    return stored, max(arrivals) - start, statistics.median(arrivals) - start


async def _settled(api) -> None:
    """Until every consumer has handled every event: a round starts with the server at
    rest, not while it still routes the previous round's thousand notifications."""
    for _ in range(1200):
        consumers = (await asyncio.to_thread(api.get, "/api/v1/events/consumers")).json()
        if all(c["lag"] == 0 for c in consumers):
            return
        await asyncio.sleep(0.1)
    raise RuntimeError("the consumers did not catch up in 2 minutes")


async def _bare_insert(database: Database, users: list[uuid.UUID], workspace, tag: str) -> float:
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "user_id": user,
            "workspace_id": workspace,
            "kind": "backend.offline",
            "severity": Severity.WARNING,
            "title": f"fake_kyiv went offline ({tag})",
            "body": "You used it in the last 7 days; jobs sent to it wait until it returns.",
            "link": "/backends/fake_kyiv",
            "data": {},
            "count": 1,
            "dedupe_key": f"bare:{tag}",
            "created_at": now,
            "updated_at": now,
        }
        for user in users
    ]
    start = time.perf_counter()
    async with database.session() as session:
        await session.execute(insert(Notification), rows)
    return time.perf_counter() - start


async def main(members: int, rounds: int, poll: float, database_url: str) -> None:
    data = Path(tempfile.mkdtemp(prefix="qdeck-fanout-")) / "data"
    env = {"QDECK_WORKERS": "1", "QDECK_OUTBOX_POLL_SECONDS": str(poll)}
    if database_url:
        env["QDECK_DATABASE_URL"] = database_url
        env["QDECK_DATABASE_SCHEMA"] = f"qdeck_fanout_{uuid.uuid4().hex[:8]}"
    server = LiveServer(data, **env, QDECK_WS_MAX_QUEUE="10000").start(limit_seconds=300)
    try:
        email = f"owner-{uuid.uuid4().hex[:6]}@example.org"
        owner_api = api_client(server, email, PASSWORD, "Owner")
        workspace = uuid.UUID(
            owner_api.post("/api/v1/workspaces", json={"name": "Big"}).json()["id"]
        )
        owner_token = owner_api.headers["Authorization"].removeprefix("Bearer ")
        settings = Settings(
            data_dir=data,
            database_url=env.get("QDECK_DATABASE_URL", ""),
            database_schema=env.get("QDECK_DATABASE_SCHEMA"),
            auto_migrate=False,
        )
        database = Database(settings)
        tokens = await _members(database, email, workspace, members)
        owner_id = uuid.UUID(owner_api.get("/api/v1/auth/me").json()["user"]["id"])
        tokens[owner_id] = owner_token
        users = list(tokens)
        opened = time.perf_counter()
        sockets = []
        for batch in range(0, len(users), 100):
            sockets += await asyncio.gather(
                *[_open(server.url, tokens[u]) for u in users[batch : batch + 100]]
            )
        print(f"{len(sockets)} members subscribed in {time.perf_counter() - opened:.1f} s")
        figures = []
        for i in range(rounds):
            await _settled(owner_api)
            bare = await _bare_insert(database, users, workspace, f"r{i}")
            stored, last, median = await _fanout(database, sockets, users, workspace, f"r{i}")
            figures.append((bare, stored, last, median))
            print(
                f"round {i + 1}: bare INSERT {bare * 1000:.0f} ms | notify_many committed "
                f"{stored * 1000:.0f} ms | median member {median * 1000:.0f} ms | all "
                f"{members} delivered {last * 1000:.0f} ms | ratio {last / bare:.1f}x"
            )
        bare, stored, last, median = (statistics.median(f[k] for f in figures) for k in range(4))
        verdict = "met" if last < 1.0 else "NOT met"
        print(
            f"median of {rounds}: all delivered in {last * 1000:.0f} ms (target < 1000 ms: "
            f"{verdict}); bare bulk INSERT of the same {members} rows {bare * 1000:.0f} ms; "
            f"ratio {last / bare:.1f}x; rows + outbox committed {stored * 1000:.0f} ms"
            f" ({stored / bare:.1f}x the bare INSERT); relay poll {poll} s"
        )
        for socket in sockets:
            await socket.close()
        await database.dispose()
        owner_api.close()
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--poll", type=float, default=0.05, help="the server's outbox poll")
    parser.add_argument(
        "--database-url", default="", help="postgresql+asyncpg://... (default SQLite)"
    )
    args = parser.parse_args()
    asyncio.run(main(args.members, args.rounds, args.poll, args.database_url))
