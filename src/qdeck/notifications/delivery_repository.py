"""The queries behind webhook endpoints and deliveries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.notifications.delivery_models import (
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    EndpointScope,
    EndpointState,
    WebhookEndpoint,
)

OPEN_STATES = (DeliveryState.PENDING, DeliveryState.DELIVERING)


async def user_endpoints(session: AsyncSession, user_id: uuid.UUID) -> list[WebhookEndpoint]:
    rows = await session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.scope == EndpointScope.USER, WebhookEndpoint.user_id == user_id)
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    )
    return list(rows)


async def workspace_endpoints(
    session: AsyncSession, workspace_ids: Sequence[uuid.UUID]
) -> list[WebhookEndpoint]:
    if not workspace_ids:
        return []
    rows = await session.scalars(
        select(WebhookEndpoint)
        .where(
            WebhookEndpoint.scope == EndpointScope.WORKSPACE,
            WebhookEndpoint.workspace_id.in_(list(workspace_ids)),
        )
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    )
    return list(rows)


async def active_endpoints_for(
    session: AsyncSession, user_id: uuid.UUID, workspace_id: uuid.UUID | None
) -> tuple[list[WebhookEndpoint], list[WebhookEndpoint]]:
    """The person's active endpoints, and the active ones of the workspace."""
    own = [e for e in await user_endpoints(session, user_id) if e.state == EndpointState.ACTIVE]
    shared = []
    if workspace_id is not None:
        shared = [
            e
            for e in await workspace_endpoints(session, [workspace_id])
            if e.state == EndpointState.ACTIVE
        ]
    return own, shared


async def delivery_by_key(session: AsyncSession, key: str) -> Delivery | None:
    return await session.scalar(select(Delivery).where(Delivery.dedupe_key == key))


async def endpoint_deliveries(
    session: AsyncSession, endpoint_id: uuid.UUID, limit: int
) -> list[Delivery]:
    rows = await session.scalars(
        select(Delivery)
        .where(Delivery.endpoint_id == endpoint_id)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
        .limit(limit)
    )
    return list(rows)


async def attempts(session: AsyncSession, delivery_id: uuid.UUID) -> list[DeliveryAttempt]:
    rows = await session.scalars(
        select(DeliveryAttempt)
        .where(DeliveryAttempt.delivery_id == delivery_id)
        .order_by(DeliveryAttempt.id)
    )
    return list(rows)


async def attempt_counts(
    session: AsyncSession, delivery_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many attempts each delivery has in its log."""
    if not delivery_ids:
        return {}
    rows = await session.execute(
        select(DeliveryAttempt.delivery_id, func.count())
        .where(DeliveryAttempt.delivery_id.in_(list(delivery_ids)))
        .group_by(DeliveryAttempt.delivery_id)
    )
    return {delivery_id: int(count) for delivery_id, count in rows}


async def claim_due(
    session: AsyncSession, now: datetime, until: datetime, limit: int
) -> list[Delivery]:
    """Due deliveries, and ones whose sender's claim ran out, now claimed until ``until``.

    ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: two servers claiming at once take
    different rows. SQLite's single writer (``BEGIN IMMEDIATE``) gives the same."""
    due = or_(
        and_(Delivery.state == DeliveryState.PENDING, Delivery.next_attempt_at <= now),
        and_(Delivery.state == DeliveryState.DELIVERING, Delivery.claimed_until < now),
    )
    rows = list(
        await session.scalars(
            select(Delivery)
            .where(due)
            .order_by(Delivery.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    keys = {row.batch_key for row in rows if row.batch_key}
    if keys:
        # The rest of each digest, so a batch is never split over two messages.
        taken = {row.id for row in rows}
        rows += [
            row
            for row in await session.scalars(
                select(Delivery)
                .where(
                    Delivery.batch_key.in_(keys),
                    Delivery.state == DeliveryState.PENDING,
                    Delivery.next_attempt_at <= now,
                )
                .with_for_update(skip_locked=True)
            )
            if row.id not in taken
        ]
    for row in rows:
        row.state = DeliveryState.DELIVERING
        row.claimed_until = until
    await session.flush()
    return rows


async def claimed(
    session: AsyncSession, ids: Sequence[uuid.UUID], until: datetime
) -> list[Delivery]:
    """The rows still held by the claim that ends at ``until`` (another sender may have
    taken over a row whose claim ran out; its result is then not ours to record)."""
    rows = await session.scalars(
        select(Delivery)
        .where(
            Delivery.id.in_(list(ids)),
            Delivery.state == DeliveryState.DELIVERING,
            Delivery.claimed_until == until,
        )
        .with_for_update()
    )
    return list(rows)


async def close_open_deliveries(session: AsyncSession, endpoint_id: uuid.UUID, reason: str) -> None:
    """Deliveries still waiting for a disabled endpoint will not go out."""
    await session.execute(
        update(Delivery)
        .where(Delivery.endpoint_id == endpoint_id, Delivery.state.in_(OPEN_STATES))
        .values(state=DeliveryState.DISABLED, last_error=reason[:500], claimed_until=None)
    )
