"""Webhook deliveries per second to a local receiver with 100 endpoints, beside the bare
costs measured in the same run:

- the delivery worker (``notifications.delivery.DeliveryWorker``): claim rows, sign,
  check the address, POST, record each attempt and the endpoint's health;
- plain signed POSTs: the same bodies, the same signatures, the same concurrency, with
  httpx and nothing else (what any sender must do at least);
- a bulk INSERT of the same delivery rows (what storing them costs at least).

Run: ``.venv/bin/python benchmarks/webhook_delivery.py [--deliveries 2000] [--endpoints 100]``
(``QDECK_DATABASE_URL`` and ``QDECK_DATABASE_SCHEMA`` to measure on PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import delete, insert
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from qdeck.config import Settings
from qdeck.db import migrate
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.notifications import webhooks
from qdeck.notifications.delivery import SEND_CONCURRENCY, DeliveryWorker
from qdeck.notifications.delivery_models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    WebhookEndpoint,
)
from qdeck.notifications.webhook_schemas import EndpointCreate
from qdeck.notifications.webhook_service import MAX_ENDPOINTS
from qdeck.services import Services


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """A uvicorn receiver in a process of its own (so it does not share the sender's
    interpreter lock); ``count()`` asks it how many webhooks it took."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Receiver:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--receiver", str(self.port)],
        )
        # Its imports take a while on a loaded machine.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/count", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.process.terminate()  # never leave it behind
        raise RuntimeError("the receiver did not start")

    def count(self) -> int:
        return int(httpx.get(f"http://127.0.0.1:{self.port}/count").text)

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)


def _serve_receiver(port: int) -> None:
    taken = [0]

    async def hook(request):
        await request.body()
        taken[0] += 1
        return Response("ok")

    async def count(request):
        return Response(str(taken[0]))

    app = Starlette(routes=[Route("/e/{n}", hook, methods=["POST"]), Route("/count", count)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _rows(endpoints: list[WebhookEndpoint], count: int) -> list[dict]:
    now = utcnow()
    rows = []
    for n in range(count):
        endpoint = endpoints[n % len(endpoints)]
        payload = webhooks.envelope(
            "job.completed",
            {"notification": {"title": f"Job {n} completed", "kind": "job.completed"}},
            now,
        )
        message_id = webhooks.new_message_id()
        rows.append(
            {
                "id": uuid.uuid4(),
                "channel": Channel.WEBHOOK,
                "user_id": endpoint.user_id,
                "endpoint_id": endpoint.id,
                "message_id": message_id,
                "dedupe_key": f"bench:{message_id}",
                "event_type": "job.completed",
                "payload": payload,
                "state": DeliveryState.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


async def _clear(database: Database) -> None:
    async with database.session() as session:
        await session.execute(delete(DeliveryAttempt))
        await session.execute(delete(Delivery))


async def run(deliveries: int, endpoint_count: int) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="qdeck-bench-webhooks-"))
    settings = Settings(
        data_dir=data_dir,
        webhook_allow_http=True,
        webhook_allow_private=True,
        log_level="WARNING",
        database_url=os.environ.get("QDECK_DATABASE_URL", ""),
        database_schema=os.environ.get("QDECK_DATABASE_SCHEMA") or None,
    )
    await asyncio.to_thread(migrate.upgrade, settings)
    database = Database(settings)
    with Receiver() as receiver:
        async with database.session() as session:
            services = Services(session, settings)
            made = []
            for n in range(endpoint_count):
                if n % MAX_ENDPOINTS == 0:  # a person has at most 50
                    email = f"bench-{uuid.uuid4().hex[:8]}@example.org"
                    user = await services.auth.create_user(email, "violet ocean lantern 42", "B")
                body = EndpointCreate(url=f"http://127.0.0.1:{receiver.port}/e/{n}")
                made.append(await services.webhooks.create(user, body))
        endpoints = [e for e, _ in made]
        secrets = {e.id: s for e, s in made}
        rows = _rows(endpoints, deliveries)

        # Bare cost 1: a bulk INSERT of the same rows.
        started = time.perf_counter()
        async with database.session() as session:
            await session.execute(insert(Delivery), rows)
        insert_seconds = time.perf_counter() - started

        # The worker: claims, signs, checks the address, sends, records.
        worker = DeliveryWorker(database, settings)
        started = time.perf_counter()
        while await worker.run_once():
            pass
        worker_seconds = time.perf_counter() - started
        await worker.sender.close()
        assert receiver.count() == deliveries, (receiver.count(), deliveries)

        # Bare cost 2: the same signed POSTs with httpx, same concurrency, no bookkeeping.
        limit = asyncio.Semaphore(SEND_CONCURRENCY)
        by_id = {e.id: e for e in endpoints}
        async with httpx.AsyncClient(
            limits=httpx.Limits(max_connections=SEND_CONCURRENCY * 2)
        ) as client:

            async def post(row: dict) -> None:
                body = webhooks.encode(row["payload"])
                headers = webhooks.headers(
                    [secrets[row["endpoint_id"]]], row["message_id"], int(time.time()), body
                )
                async with limit:
                    response = await client.post(
                        by_id[row["endpoint_id"]].url, content=body, headers=headers
                    )
                    response.raise_for_status()

            started = time.perf_counter()
            await asyncio.gather(*(post(row) for row in rows))
            plain_seconds = time.perf_counter() - started
        await _clear(database)
    await database.dispose()

    worker_rate = deliveries / worker_seconds
    plain_rate = deliveries / plain_seconds
    insert_rate = deliveries / insert_seconds
    where = "PostgreSQL" if settings.database_url else "SQLite"
    print(f"webhook delivery, {deliveries} deliveries to {endpoint_count} endpoints ({where})")
    print(f"  delivery worker      {worker_rate:8.0f} deliveries/s  ({worker_seconds:.2f} s)")
    print(f"  plain signed POSTs   {plain_rate:8.0f} requests/s    ({plain_seconds:.2f} s)")
    print(f"  bulk INSERT of rows  {insert_rate:8.0f} rows/s        ({insert_seconds:.2f} s)")
    print(f"  worker / plain POSTs {worker_rate / plain_rate:8.2f}x")
    print(f"  worker / INSERT      {worker_rate / insert_rate:8.3f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=100)
    parser.add_argument("--receiver", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.receiver:
        _serve_receiver(args.receiver)
        return
    asyncio.run(run(args.deliveries, args.endpoints))


if __name__ == "__main__":
    main()
