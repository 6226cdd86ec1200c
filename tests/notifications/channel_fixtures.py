"""Fixtures for the channel tests (e-mail, webhooks, deliveries): receivers, an app whose
channels reach them, and a way to store a notification the way the notifications core
does. Test modules import the fixtures they use from here (conftest.py is the core's)."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient

from qdeck.app import create_app
from qdeck.config import Settings
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.notifications.models import Notification, Severity
from qdeck.notifications.plugin import NOTIFICATION_CREATED
from tests.accounts import Accounts
from tests.notifications.receivers import SmtpSink, WebhookReceiver

# Loopback receivers need http and private addresses; the retry schedule shrinks a
# thousandfold (5 s -> 5 ms, 5 min -> 0.3 s).
CHANNEL_SETTINGS: dict[str, Any] = {
    "webhook_allow_http": True,
    "webhook_allow_private": True,
    "delivery_retry_scale": 0.001,
    "delivery_poll_seconds": 0.05,
    "consumer_poll_seconds": 0.05,
}


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def channel_app(settings: Settings, runner: object):
    """``async with channel_app(**overrides) as (app, accounts)``: an app whose channels
    reach the loopback receivers."""

    @contextlib.asynccontextmanager
    async def build(**overrides: Any) -> AsyncIterator[tuple[Any, Accounts]]:
        changed = Settings(**{**settings.model_dump(), **CHANNEL_SETTINGS, **overrides})
        application = create_app(changed, runner=runner)  # type: ignore[arg-type]
        async with application.router.lifespan_context(application):
            accounts = Accounts(application)
            try:
                yield application, accounts
            finally:
                await accounts.close()

    return build


def anonymous(app: Any) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver")


async def store_notification(
    app: Any,
    user_id: str | uuid.UUID,
    *,
    kind: str = "job.failed",
    title: str = "Job bell-1 failed",
    body: str = "The circuit needs 156 qubits; fake_kyiv has 127.",
    workspace_id: str | uuid.UUID | None = None,
    severity: Severity = Severity.ERROR,
    source_event_id: int | None = None,
    link: str | None = "/jobs",
) -> uuid.UUID:
    """A notification stored and announced as the notifications core does it (its row
    and ``notification.created`` in one unit of work)."""
    async with app.state.database.session() as session:
        row = Notification(
            user_id=uuid.UUID(str(user_id)),
            workspace_id=uuid.UUID(str(workspace_id)) if workspace_id else None,
            kind=kind,
            severity=severity,
            title=title,
            body=body,
            link=link,
            data={"job_name": "bell-1"},
            source_event_id=source_event_id,
        )
        session.add(row)
        await session.flush()
        emit(
            session,
            Event(
                type=NOTIFICATION_CREATED,
                workspace_id=None,
                user_id=row.user_id,
                data={
                    "notification_id": str(row.id),
                    "kind": kind,
                    "severity": severity.value,
                    "title": title,
                    "unread_count": 1,
                },
            ),
        )
        return row.id


async def eventually(
    check: Callable[[], Awaitable[Any]] | Callable[[], Any], what: str, limit: float = 60.0
) -> Any:
    deadline = time.monotonic() + limit
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")
