"""The delivery worker: claims due deliveries, sends them, records every attempt.

State lives in the rows, so a restart loses nothing: a delivery is claimed (state
``delivering`` until ``claimed_until``) in one transaction, sent outside any
transaction, and its result recorded in another. A sender that dies between the two
leaves a claim that runs out; the delivery is then sent again with the same
``webhook-id``, so receivers that de-duplicate see it once. Several servers claim with
``FOR UPDATE SKIP LOCKED`` and never take the same row at the same time.

Retries follow Svix's schedule (0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h,
with ±10 % jitter, scaled by ``QDECK_DELIVERY_RETRY_SCALE``). A ``410 Gone`` disables the
endpoint at once; an endpoint failing for ``QDECK_WEBHOOK_DISABLE_AFTER_DAYS`` (5) is
disabled and its owner told in the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog

from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.events.registry import WorkerContext
from qdeck.notifications import delivery_repository as repo
from qdeck.notifications import email, unsubscribe, webhooks
from qdeck.notifications.channel_result import SendResult
from qdeck.notifications.channel_webhook import WebhookSender
from qdeck.notifications.delivery_models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    EndpointState,
    WebhookEndpoint,
)
from qdeck.notifications.owner_notice import tell_owner
from qdeck.notifications.webhook_service import (
    DELIVERIES_QUEUED,
    DELIVERY_ATTEMPTED,
    signing_secrets,
)
from qdeck.vault.cipher import SecretCipher, SecretUnreadable

log = structlog.get_logger("qdeck.notifications")

# Seconds before attempt n+1 after n attempts; ten attempts in all, over about a day.
RETRY_SCHEDULE = (0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
CLAIM_BATCH = 200
SEND_CONCURRENCY = 32


def retry_delay(attempts: int, scale: float) -> float | None:
    """Seconds until the next attempt after ``attempts`` failed ones; None: give up."""
    if attempts >= len(RETRY_SCHEDULE):
        return None
    return RETRY_SCHEDULE[attempts] * scale * random.uniform(0.9, 1.1)  # noqa: S311


@dataclass
class Outgoing:
    """One message to send: a delivery, or the deliveries of one digest."""

    ids: list[uuid.UUID]
    channel: Channel
    message_id: str
    # Webhook
    endpoint_id: uuid.UUID | None = None
    url: str = ""
    secrets: list[str] = field(default_factory=list)
    body: bytes = b""
    workspace_id: uuid.UUID | None = None
    # E-mail
    user_id: uuid.UUID | None = None
    to: str = ""
    items: list[email.EmailItem] = field(default_factory=list)
    kind: str = ""
    # Set when there is nothing to send to (disabled endpoint, no SMTP, no address).
    skip: str | None = None


async def run(ctx: WorkerContext) -> None:
    await DeliveryWorker(ctx.database, ctx.settings).run_forever(ctx)


class DeliveryWorker:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self.cipher = SecretCipher(settings.instance_secret)
        self.sender = WebhookSender(settings)
        self._wake = asyncio.Event()

    async def run_forever(self, ctx: WorkerContext | None = None) -> None:
        subscription = None
        if ctx is not None:
            subscription = ctx.bus.subscribe(
                lambda e: e.type == DELIVERIES_QUEUED, max_queue=10_000
            )
        waker = asyncio.create_task(self._follow(subscription)) if subscription else None
        try:
            while True:
                try:
                    busy = await self.run_once() > 0
                except asyncio.CancelledError:
                    raise
                except Exception:  # the database; a send never raises
                    log.exception("delivery_round_failed")
                    busy = False
                if busy:
                    continue
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.settings.delivery_poll_seconds):
                        await self._wake.wait()
                self._wake.clear()
        finally:
            if waker is not None:
                waker.cancel()
            if subscription is not None:
                subscription.close()
            await self.sender.close()

    async def _follow(self, subscription) -> None:
        while True:
            await subscription.get()
            self._wake.set()

    async def run_once(self) -> int:
        """Claim what is due, send it, record the results; the number of messages."""
        now = utcnow()
        until = now + timedelta(seconds=self.settings.delivery_claim_seconds)
        async with self.database.session() as session:
            rows = await repo.claim_due(session, now, until, CLAIM_BATCH)
            if not rows:
                return 0
            outgoing = await self._prepare(session, rows, now)
        limit = asyncio.Semaphore(SEND_CONCURRENCY)

        async def one(message: Outgoing) -> tuple[Outgoing, SendResult | None]:
            async with limit:
                return message, await self._send(message)

        results = await asyncio.gather(*(one(m) for m in outgoing))
        await self._record(results, until)
        return len(outgoing)

    async def _prepare(self, session, rows: list[Delivery], now: datetime) -> list[Outgoing]:
        groups: dict[tuple[object, ...], list[Delivery]] = defaultdict(list)
        for row in rows:
            recipient = row.endpoint_id if row.channel == Channel.WEBHOOK else row.user_id
            groups[(row.channel, recipient, row.batch_key or row.id)].append(row)
        endpoints: dict[uuid.UUID, WebhookEndpoint | None] = {}
        users: dict[uuid.UUID, User | None] = {}
        prepared = []
        for members in groups.values():
            members.sort(key=lambda d: (d.created_at, d.id))
            first = members[0]
            message = Outgoing([d.id for d in members], first.channel, first.message_id)
            if first.channel == Channel.WEBHOOK:
                await self._prepare_webhook(session, message, members, endpoints, now)
            else:
                await self._prepare_email(session, message, members, users)
            prepared.append(message)
        return prepared

    async def _prepare_webhook(self, session, message, members, endpoints, now) -> None:
        endpoint_id = members[0].endpoint_id
        if endpoint_id not in endpoints:
            endpoints[endpoint_id] = await session.get(WebhookEndpoint, endpoint_id)
        endpoint = endpoints[endpoint_id]
        message.endpoint_id = endpoint_id
        message.workspace_id = endpoint.workspace_id if endpoint is not None else None
        if endpoint is None or endpoint.state != EndpointState.ACTIVE:
            message.skip = "The endpoint is disabled."
            return
        try:
            message.secrets = signing_secrets(self.cipher, endpoint, now)
        except SecretUnreadable:
            message.skip = "The endpoint's secret cannot be read (the instance secret changed)."
            return
        message.url = endpoint.url
        payload = members[0].payload
        if len(members) > 1:
            payload = webhooks.envelope(
                webhooks.DIGEST_EVENT,
                {
                    "notifications": [
                        (m.payload.get("data") or {}).get("notification") for m in members
                    ]
                },
                members[0].created_at,
            )
        message.body = webhooks.encode(payload)

    async def _prepare_email(self, session, message, members, users) -> None:
        user_id = members[0].user_id
        if user_id not in users:
            users[user_id] = await session.get(User, user_id)
        user = users[user_id]
        message.user_id = user_id
        if not email.configured(self.settings):
            message.skip = "SMTP is not configured (QDECK_SMTP_HOST); e-mail is off."
            return
        if user is None or not user.email:
            message.skip = "The person has no e-mail address."
            return
        message.to = user.email
        message.items = [email.EmailItem.from_payload(m.payload) for m in members]
        message.kind = members[0].event_type if len(members) == 1 else unsubscribe.ALL_EMAIL

    async def _send(self, message: Outgoing) -> SendResult | None:
        if message.skip is not None:
            return None
        try:
            if message.channel == Channel.WEBHOOK:
                stamp = int(time.time())
                headers = webhooks.headers(message.secrets, message.message_id, stamp, message.body)
                return await self.sender.send(message.url, headers, message.body)
            assert message.user_id is not None
            composed = email.compose(
                self.settings,
                to=message.to,
                user_id=message.user_id,
                items=message.items,
                kind=message.kind,
                message_id=message.message_id,
            )
            return await email.send(self.settings, composed)
        except Exception as exc:  # a bug in composing must cost one attempt, not the worker
            log.exception("delivery_send_failed", message_id=message.message_id)
            return SendResult(False, None, 0, error=f"{type(exc).__name__}: {exc}"[:400])

    async def _record(self, results: list[tuple[Outgoing, SendResult | None]], until) -> None:
        """One transaction for the whole round; two reads for all of its rows."""
        async with self.database.session() as session:
            now = utcnow()
            ids = [i for message, _ in results for i in message.ids]
            held = {row.id: row for row in await repo.claimed(session, ids, until)}
            logged = await repo.attempt_counts(session, list(held))
            for message, result in results:
                rows = [held[i] for i in message.ids if i in held]
                if not rows:
                    continue
                if result is None:
                    for row in rows:
                        _close(row, DeliveryState.DISABLED, message.skip)
                    continue
                for row in rows:
                    self._apply(session, row, result, now, logged.get(row.id, 0) + 1)
                if message.endpoint_id is not None:
                    await self._endpoint_health(session, message.endpoint_id, result, now)
                _announce(session, rows[0], message.workspace_id)

    def _apply(
        self, session, row: Delivery, result: SendResult, now: datetime, number: int
    ) -> None:
        session.add(
            DeliveryAttempt(
                delivery_id=row.id,
                attempt=number,
                started_at=now,
                ok=result.ok,
                status_code=result.status_code,
                latency_ms=result.latency_ms,
                error=result.error,
                response_excerpt=result.excerpt,
            )
        )
        row.attempts += 1
        row.claimed_until = None
        row.last_status_code = result.status_code
        row.last_latency_ms = result.latency_ms
        row.last_error = result.error
        row.last_response = result.excerpt
        if result.ok:
            row.state = DeliveryState.DELIVERED
            row.delivered_at = now
            return
        if result.gone and row.channel == Channel.WEBHOOK:
            row.state = DeliveryState.DISABLED
            return
        delay = retry_delay(row.attempts, self.settings.delivery_retry_scale)
        if delay is None:
            row.state = DeliveryState.FAILED
        else:
            row.state = DeliveryState.PENDING
            row.next_attempt_at = now + timedelta(seconds=delay)

    async def _endpoint_health(self, session, endpoint_id, result: SendResult, now) -> None:
        endpoint = await session.get(WebhookEndpoint, endpoint_id)
        if endpoint is None:
            return
        endpoint.last_delivery_at = now
        endpoint.last_status_code = result.status_code
        if result.ok:
            endpoint.failing_since = None
            return
        endpoint.failing_since = endpoint.failing_since or now
        reason = None
        if result.gone:
            reason = "The receiver answered 410 Gone."
        elif now - endpoint.failing_since >= timedelta(
            days=self.settings.webhook_disable_after_days
        ):
            days = self.settings.webhook_disable_after_days
            reason = f"Every delivery failed for {days:g} days (last: {result.error})."
        if reason is None or endpoint.state != EndpointState.ACTIVE:
            return
        endpoint.state = EndpointState.DISABLED
        endpoint.disabled_reason = reason[:300]
        await repo.close_open_deliveries(session, endpoint.id, f"Endpoint disabled: {reason}")
        log.warning("webhook_endpoint_disabled", endpoint_id=str(endpoint.id), reason=reason)
        await tell_owner(session, endpoint, reason)


def _notification_of(row: Delivery) -> object:
    return (row.payload.get("data") or {}).get("notification")


def _close(row: Delivery, state: DeliveryState, reason: str | None) -> None:
    row.state = state
    row.claimed_until = None
    row.last_error = (reason or "")[:500] or None


def _announce(session, row: Delivery, workspace_id: uuid.UUID | None) -> None:
    """Open webhook pages refresh their log (no payload: they read it themselves)."""
    if row.channel != Channel.WEBHOOK:
        return
    emit(
        session,
        Event(
            type=DELIVERY_ATTEMPTED,
            workspace_id=workspace_id,
            user_id=row.user_id,
            data={"endpoint_id": str(row.endpoint_id), "delivery_id": str(row.id)},
        ),
    )
