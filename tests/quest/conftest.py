"""Helpers for Quest tests: circuits as a learner writes them, and reading the outbox."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from qdeck.events.models import OutboxEvent

HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n'


def program(num_qubits: int, *lines: str) -> str:
    return HEADER + f"qreg q[{num_qubits}];\n" + "".join(f"{line}\n" for line in lines)


async def outbox(database, kind: str) -> list[OutboxEvent]:
    async with database.session(write=False) as session:
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.type == kind).order_by(OutboxEvent.id)
        )
        return list(rows)


async def until(fetch, done, limit_seconds: float = 120.0) -> Any:
    """Poll ``fetch()`` until ``done(value)``, as a page that refreshes would."""
    deadline = time.monotonic() + limit_seconds
    while True:
        value = await fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not done after {limit_seconds} s: {value}")
        await asyncio.sleep(0.1)


async def get_json(client: AsyncClient, url: str) -> Any:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return response.json()
