"""Helpers for notification tests: the app's own database, a person's notifications
through the API, and waiting for the consumers to produce them."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from httpx import AsyncClient

from qdeck.app import create_app
from qdeck.db.engine import Database

# The UI suite's fixtures (simulated users, people over the API, Chromium), reused here.
from tests.ui.conftest import api, browser, log_in, new_user, ui_app, user  # noqa: F401


def database(app: object) -> Database:
    return app.state.database  # type: ignore[attr-defined]


async def notifications(client: AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/notifications", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def wait_notifications(
    client: AsyncClient, done, limit_seconds: float = 60.0, **params: Any
) -> list[dict[str, Any]]:
    """Poll the person's list until ``done(items)`` holds."""
    deadline = time.monotonic() + limit_seconds
    while True:
        items = await notifications(client, **params)
        if done(items):
            return items
        if time.monotonic() > deadline:
            raise AssertionError(f"notifications never matched: {items}")
        await asyncio.sleep(0.1)


async def unread(client: AsyncClient) -> int:
    return (await client.get("/api/v1/notifications/unread-count")).json()["unread"]


def uid(person) -> uuid.UUID:
    return uuid.UUID(person.id)


@pytest.fixture
async def quiet_app(settings) -> AsyncIterator[object]:
    """The app without the engine (jobs stay queued) and without the notifications
    worker, so a test drives the sweeps itself with the clock it chooses."""
    changed = settings.model_copy(update={"engine_enabled": False, "notifications_enabled": False})
    application = create_app(changed)
    async with application.router.lifespan_context(application):
        yield application
