"""Webhook endpoints: create, change, rotate, disable, delete, and their delivery log.

A person manages their own endpoints (anyone else's are 404); a workspace's endpoints
are for its admins (``Action.MANAGE_WEBHOOKS`` through ``workspaces.access``). Secrets
are ``whsec_`` + 32 random bytes, AES-GCM encrypted at rest with the vault cipher and
shown once, in the answer to a create or a rotation.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.audit.service import record_audit
from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db.types import utcnow
from qdeck.errors import Conflict, InvalidInput, NotFound
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.notifications import delivery_repository as repo
from qdeck.notifications import ssrf, webhooks
from qdeck.notifications.catalog import EVENT_TYPES
from qdeck.notifications.delivery_models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    EndpointScope,
    EndpointState,
    WebhookEndpoint,
)
from qdeck.notifications.webhook_schemas import (
    MAX_TEST_PAYLOAD_BYTES,
    EndpointCreate,
    EndpointUpdate,
)
from qdeck.vault.cipher import SecretCipher, SecretUnreadable
from qdeck.workspaces.access import Action, allows, authorize
from qdeck.workspaces.models import Membership

# Told to the delivery worker (through the outbox and the bus) so it looks at once.
DELIVERIES_QUEUED = "notification.deliveries_queued"
# A delivery was tried: open webhook pages refresh their log.
DELIVERY_ATTEMPTED = "notification.delivery_attempted"
MAX_ENDPOINTS = 50
LOG_LIMIT = 100


def _context(endpoint_id: uuid.UUID) -> str:
    return f"webhook_endpoint:{endpoint_id}"


def signing_secrets(cipher: SecretCipher, endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The current secret, and the previous one while its overlap lasts."""
    found = [cipher.decrypt(endpoint.secret_ciphertext, _context(endpoint.id))]
    previous = endpoint.previous_secret_ciphertext
    expires = endpoint.previous_secret_expires_at
    if previous is not None and expires is not None and expires > now:
        # A previous secret that no longer decrypts just stops signing.
        with contextlib.suppress(SecretUnreadable):
            found.append(cipher.decrypt(previous, _context(endpoint.id)))
    return found


def queued(session: AsyncSession) -> None:
    """Wake the delivery workers once this unit of work commits."""
    emit(session, Event(type=DELIVERIES_QUEUED, workspace_id=None, data={}))


class WebhookService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.cipher = SecretCipher(settings.instance_secret)

    # --- reading ---

    async def list(
        self, user: User, workspace_id: uuid.UUID | None = None
    ) -> list[WebhookEndpoint]:
        """The caller's own endpoints, or a workspace's (admins)."""
        if workspace_id is None:
            return await repo.user_endpoints(self.session, user.id)
        await self._authorize(user, workspace_id)
        return await repo.workspace_endpoints(self.session, [workspace_id])

    async def manageable_workspaces(self, user: User) -> list[uuid.UUID]:
        """The workspaces whose endpoints the caller may manage (for the UI)."""
        memberships = await self.session.scalars(
            select(Membership).where(Membership.user_id == user.id)
        )
        return [m.workspace_id for m in memberships if allows(m.role, Action.MANAGE_WEBHOOKS)]

    async def get(
        self, user: User, endpoint_id: uuid.UUID, workspace_id: uuid.UUID | None = None
    ) -> WebhookEndpoint:
        """The endpoint if the caller may manage it; NotFound otherwise (also for a
        workspace endpoint asked for under another workspace, or under the person's own)."""
        endpoint = await self.session.get(WebhookEndpoint, endpoint_id)
        missing = NotFound("Webhook endpoint not found.", code="webhook_endpoint_not_found")
        if endpoint is None or endpoint.workspace_id != workspace_id:
            raise missing
        if endpoint.scope == EndpointScope.USER:
            if endpoint.user_id != user.id:
                raise missing
        else:
            assert endpoint.workspace_id is not None
            await self._authorize(user, endpoint.workspace_id)
        return endpoint

    async def deliveries(
        self, user: User, endpoint_id: uuid.UUID, workspace_id: uuid.UUID | None = None
    ) -> list[Delivery]:
        endpoint = await self.get(user, endpoint_id, workspace_id)
        return await repo.endpoint_deliveries(self.session, endpoint.id, LOG_LIMIT)

    async def delivery(
        self,
        user: User,
        endpoint_id: uuid.UUID,
        delivery_id: uuid.UUID,
        workspace_id: uuid.UUID | None = None,
    ) -> tuple[Delivery, list[DeliveryAttempt]]:
        endpoint = await self.get(user, endpoint_id, workspace_id)
        found = await self.session.get(Delivery, delivery_id)
        if found is None or found.endpoint_id != endpoint.id:
            raise NotFound("Delivery not found.", code="delivery_not_found")
        return found, await repo.attempts(self.session, found.id)

    # --- changing ---

    async def create(
        self, user: User, body: EndpointCreate, workspace_id: uuid.UUID | None = None
    ) -> tuple[WebhookEndpoint, str]:
        """The new endpoint and its secret (shown this once)."""
        if workspace_id is not None:
            await self._authorize(user, workspace_id)
        existing = await self.list(user, workspace_id)
        if len(existing) >= MAX_ENDPOINTS:
            raise Conflict(
                f"At most {MAX_ENDPOINTS} webhook endpoints; delete one first.",
                code="too_many_webhook_endpoints",
            )
        url = self._checked_url(body.url)
        types = _checked_types(body.event_types)
        endpoint = WebhookEndpoint(
            id=uuid.uuid4(),
            scope=EndpointScope.WORKSPACE if workspace_id else EndpointScope.USER,
            user_id=user.id,
            workspace_id=workspace_id,
            url=url,
            description=body.description,
            event_types=types,
            state=EndpointState.ACTIVE,
        )
        secret = webhooks.new_secret()
        endpoint.secret_ciphertext = self.cipher.encrypt(secret, _context(endpoint.id))
        self.session.add(endpoint)
        await self.session.flush()
        await self._audit(user, "webhook.created", endpoint)
        return endpoint, secret

    async def update(
        self,
        user: User,
        endpoint_id: uuid.UUID,
        body: EndpointUpdate,
        workspace_id: uuid.UUID | None = None,
    ) -> WebhookEndpoint:
        endpoint = await self.get(user, endpoint_id, workspace_id)
        # Everything is checked before anything changes.
        url = self._checked_url(body.url) if body.url is not None else None
        types = _checked_types(body.event_types) if body.event_types is not None else None
        if url is not None:
            endpoint.url = url
        if types is not None:
            endpoint.event_types = types
        if body.description is not None:
            endpoint.description = body.description
        if body.enabled is True and endpoint.state == EndpointState.DISABLED:
            endpoint.state = EndpointState.ACTIVE
            endpoint.disabled_reason = None
            endpoint.failing_since = None
        elif body.enabled is False and endpoint.state == EndpointState.ACTIVE:
            await self.disable(endpoint, f"Disabled by {user.display_name}.")
        await self.session.flush()
        await self._audit(user, "webhook.updated", endpoint)
        return endpoint

    async def disable(self, endpoint: WebhookEndpoint, reason: str) -> None:
        endpoint.state = EndpointState.DISABLED
        endpoint.disabled_reason = reason[:300]
        await repo.close_open_deliveries(self.session, endpoint.id, f"Endpoint disabled: {reason}")

    async def rotate(
        self,
        user: User,
        endpoint_id: uuid.UUID,
        overlap_hours: float | None = None,
        workspace_id: uuid.UUID | None = None,
    ) -> tuple[WebhookEndpoint, str]:
        """A new secret; the old one keeps signing (beside it) during the overlap."""
        endpoint = await self.get(user, endpoint_id, workspace_id)
        hours = (
            self.settings.webhook_rotation_overlap_hours if overlap_hours is None else overlap_hours
        )
        secret = webhooks.new_secret()
        endpoint.previous_secret_ciphertext = endpoint.secret_ciphertext
        endpoint.previous_secret_expires_at = utcnow() + timedelta(hours=hours)
        endpoint.secret_ciphertext = self.cipher.encrypt(secret, _context(endpoint.id))
        await self.session.flush()
        await self._audit(user, "webhook.secret_rotated", endpoint)
        return endpoint, secret

    async def delete(
        self, user: User, endpoint_id: uuid.UUID, workspace_id: uuid.UUID | None = None
    ) -> None:
        endpoint = await self.get(user, endpoint_id, workspace_id)
        await self._audit(user, "webhook.deleted", endpoint)
        await self.session.delete(endpoint)
        await self.session.flush()

    async def redeliver(
        self,
        user: User,
        endpoint_id: uuid.UUID,
        delivery_id: uuid.UUID,
        workspace_id: uuid.UUID | None = None,
    ) -> Delivery:
        """Send the same message again (same webhook-id), with a fresh set of retries."""
        delivery, _ = await self.delivery(user, endpoint_id, delivery_id, workspace_id)
        endpoint = await self.get(user, endpoint_id, workspace_id)
        _require_active(endpoint)
        if delivery.state in repo.OPEN_STATES:
            raise Conflict("This delivery is still being sent.", code="delivery_in_progress")
        delivery.state = DeliveryState.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = utcnow()
        delivery.claimed_until = None
        await self.session.flush()
        queued(self.session)
        return delivery

    async def send_test(
        self,
        user: User,
        endpoint_id: uuid.UUID,
        data: dict[str, Any] | None = None,
        workspace_id: uuid.UUID | None = None,
    ) -> Delivery:
        """A ``webhook.test`` event, delivered and logged like any other."""
        endpoint = await self.get(user, endpoint_id, workspace_id)
        _require_active(endpoint)
        extra = data or {}
        size = len(json.dumps(extra, default=str).encode())
        if size > MAX_TEST_PAYLOAD_BYTES:
            raise InvalidInput(
                f"The test data is {size} bytes as JSON; at most {MAX_TEST_PAYLOAD_BYTES}.",
                code="test_payload_too_large",
                errors=[{"field": "data", "message": f"larger than {MAX_TEST_PAYLOAD_BYTES} B"}],
            )
        now = utcnow()
        message_id = webhooks.new_message_id()
        payload = webhooks.envelope(
            webhooks.TEST_EVENT,
            {"message": "A test event from qdeck.", "endpoint_id": str(endpoint.id), "data": extra},
            now,
        )
        delivery = Delivery(
            channel=Channel.WEBHOOK,
            user_id=endpoint.user_id if endpoint.scope == EndpointScope.USER else None,
            endpoint_id=endpoint.id,
            message_id=message_id,
            dedupe_key=f"test:{message_id}",
            event_type=webhooks.TEST_EVENT,
            payload=payload,
            state=DeliveryState.PENDING,
            attempts=0,
            next_attempt_at=now,
        )
        self.session.add(delivery)
        await self.session.flush()
        queued(self.session)
        return delivery

    # --- helpers ---

    async def _authorize(self, user: User, workspace_id: uuid.UUID) -> None:
        await authorize(
            self.session, user.id, workspace_id, Action.MANAGE_WEBHOOKS, resource="workspace"
        )

    def _checked_url(self, url: str) -> str:
        try:
            ssrf.parse_url(url, allow_http=self.settings.webhook_allow_http)
        except ssrf.UrlRefused as exc:
            raise InvalidInput(
                str(exc), code="invalid_webhook_url", errors=[{"field": "url", "message": str(exc)}]
            ) from None
        return url

    async def _audit(self, user: User, action: str, endpoint: WebhookEndpoint) -> None:
        await record_audit(
            self.session,
            action,
            actor_id=user.id,
            workspace_id=endpoint.workspace_id,
            target_type="webhook_endpoint",
            target_id=endpoint.id,
        )


def _checked_types(types: list[str]) -> list[str]:
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise InvalidInput(
            f"Unknown event type: {', '.join(unknown)}. Known: {', '.join(EVENT_TYPES)}.",
            code="unknown_event_type",
            errors=[{"field": "event_types", "message": f"unknown: {', '.join(unknown)}"}],
        )
    return sorted(set(types))


def _require_active(endpoint: WebhookEndpoint) -> None:
    if endpoint.state != EndpointState.ACTIVE:
        raise Conflict(
            "This endpoint is disabled; enable it before sending to it.",
            code="webhook_endpoint_disabled",
        )
