"""Creating notifications (for every domain) and a person's own view of theirs.

``notify`` is the one way a notification is stored: it applies the person's
preferences, collapses duplicates (``dedupe_key``), folds bursts (``group_key``) and
emits ``notification.created`` in the caller's unit of work, so the channels route it
only if it commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db.keyset import PageRequest
from qdeck.db.types import utcnow
from qdeck.errors import InvalidInput, NotFound
from qdeck.events.outbox import emit
from qdeck.notifications import grouping, preference_changes, quotas
from qdeck.notifications.announce import announce, announce_read, notification_event
from qdeck.notifications.catalog import EVENT_TYPES, IN_APP, ROUTED_CHANNELS
from qdeck.notifications.event_types import NOTIFICATION_CREATED, NOTIFICATION_UPDATED
from qdeck.notifications.models import Notification, Severity
from qdeck.notifications.preferences import load_choices, load_choices_many
from qdeck.notifications.repository import NotificationFilter, NotificationRepository
from qdeck.notifications.schemas import (
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    UsageQuotaRead,
    UsageQuotaUpdate,
)
from qdeck.workspaces.access import Action, authorize


@dataclass(frozen=True)
class Inbox:
    """What the bell shows: the unread count and the newest unread."""

    unread: int
    latest: list[NotificationRead] = field(default_factory=list)


Merge = Callable[[Notification], Awaitable[None] | None]


async def notify(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    workspace_id: uuid.UUID | None,
    kind: str,
    title: str,
    body: str,
    link: str | None = None,
    data: dict[str, Any] | None = None,
    severity: Severity | str | None = None,
    dedupe_key: str | None = None,
    group_key: str | None = None,
    source_event_id: int | None = None,
    now: datetime | None = None,
    group_window: float = 0.0,
    merge: Merge | None = None,
) -> Notification | None:
    """Store a notification for ``user_id`` and announce it.

    None when the person wants ``kind`` on no channel, when ``dedupe_key`` was used for
    them before (the duplicate collapses into the first), or when the notification
    folded into the open group of ``group_key`` (``merge`` updates that row; without
    one, the count goes up and the newest title and body replace the old).
    """
    event = EVENT_TYPES.get(kind)
    if event is None:
        raise ValueError(f"unknown notification kind {kind!r}")
    level = Severity(severity or event.default_severity)
    now = now or utcnow()
    choices = await load_choices(session, user_id, workspace_id)
    in_app = choices.wants(event, level, IN_APP)
    if not in_app and not any(choices.wants(event, level, c) for c in ROUTED_CHANNELS):
        return None
    repo = NotificationRepository(session)
    if dedupe_key is not None and await repo.by_dedupe(user_id, dedupe_key) is not None:
        return None
    fold = merge or _count_up(title, body)
    if group_key is not None and await _fold_into_open(session, user_id, group_key, now, fold):
        return None
    row = Notification(
        user_id=user_id,
        workspace_id=workspace_id,
        kind=kind,
        severity=level,
        title=title[:200],
        body=body,
        link=link,
        data=data or {},
        dedupe_key=dedupe_key,
        group_key=group_key,
        count=1,
        source_event_id=source_event_id,
        created_at=now,
        updated_at=now,
        # Wanted only elsewhere: the row feeds e-mail or webhooks but not the bell.
        read_at=None if in_app else now,
        archived_at=None if in_app else now,
    )
    if not await grouping.store(session, row, now=now, window=group_window):
        if group_key is not None:
            await _fold_into_open(session, user_id, group_key, now, fold)
        return None
    await announce(session, row, NOTIFICATION_CREATED)
    return row


# People per round of reads in ``notify_many``.
FAN_OUT_CHUNK = 1000


async def notify_many(
    session: AsyncSession,
    user_ids: list[uuid.UUID],
    *,
    workspace_id: uuid.UUID | None,
    kind: str,
    title: str,
    body: str,
    link: str | None = None,
    data: dict[str, Any] | None = None,
    severity: Severity | str | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """One event for many people (a backend going offline, a workspace's quota): the
    preferences are read per person, the rows are inserted together, and each person
    gets their own ``notification.created``. People are taken ``FAN_OUT_CHUNK`` at a time:
    the reads list them in one query, and both databases cap a query at ~32,000 values."""
    event = EVENT_TYPES[kind]
    level = Severity(severity or event.default_severity)
    now = now or utcnow()
    repo = NotificationRepository(session)
    people = list(dict.fromkeys(user_ids))
    made: list[Notification] = []
    for start in range(0, len(people), FAN_OUT_CHUNK):
        chunk = people[start : start + FAN_OUT_CHUNK]
        taken = await repo.dedupe_taken(chunk, dedupe_key) if dedupe_key else set()
        wanted = [u for u in chunk if u not in taken]
        everyone = await load_choices_many(session, wanted, workspace_id)
        rows = []
        for user_id in wanted:
            choices = everyone[user_id]
            in_app = choices.wants(event, level, IN_APP)
            if not in_app and not any(choices.wants(event, level, c) for c in ROUTED_CHANNELS):
                continue
            rows.append(
                Notification(
                    id=uuid.uuid4(),
                    user_id=user_id,
                    workspace_id=workspace_id,
                    kind=kind,
                    severity=level,
                    title=title[:200],
                    body=body,
                    link=link,
                    data=data or {},
                    dedupe_key=dedupe_key,
                    count=1,
                    created_at=now,
                    updated_at=now,
                    read_at=None if in_app else now,
                    archived_at=None if in_app else now,
                )
            )
        if not rows:
            continue
        session.add_all(rows)
        await session.flush()
        counts = await repo.unread_counts([r.user_id for r in rows])
        for row in rows:
            emit(session, notification_event(row, NOTIFICATION_CREATED, counts.get(row.user_id, 0)))
        made += rows
    return made


async def _fold_into_open(
    session: AsyncSession, user_id: uuid.UUID, group_key: str, now: datetime, merge: Merge
) -> bool:
    existing = await grouping.open_group(session, user_id, group_key, now)
    if existing is None:
        return False
    result = merge(existing)
    if result is not None:
        await result
    existing.updated_at = now
    # Back in the bell: something new happened in it.
    if existing.archived_at is None:
        existing.read_at = None
    await announce(session, existing, NOTIFICATION_UPDATED)
    return True


def _count_up(title: str, body: str) -> Merge:
    def merge(row: Notification) -> None:
        row.count += 1
        row.title = f"{title} ({row.count} times)"[:200]
        row.body = body

    return merge


class NotificationService:
    """A person's own notifications and preferences. Nobody else's: another person's
    notification is "not found"."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.repo = NotificationRepository(session)

    async def list(
        self, user: User, where: NotificationFilter, page: PageRequest
    ) -> tuple[list[Notification], str | None]:
        if where.kind is not None and where.kind not in EVENT_TYPES:
            raise InvalidInput(
                f"unknown event type '{where.kind}'; known: {', '.join(EVENT_TYPES)}",
                code="unknown_event_type",
                errors=[{"field": "kind", "message": f"unknown event type '{where.kind}'"}],
            )
        return await self.repo.list_page(user.id, where, page)

    async def unread_count(self, user: User) -> int:
        return await self.repo.unread_count(user.id)

    async def inbox(self, user: User, *, limit: int = 5) -> Inbox:
        return Inbox(
            unread=await self.repo.unread_count(user.id),
            latest=[
                NotificationRead.model_validate(n)
                for n in await self.repo.latest_unread(user.id, limit)
            ],
        )

    async def get(self, user: User, notification_id: uuid.UUID) -> Notification:
        found = await self.repo.get_for(user.id, notification_id)
        if found is None:
            raise NotFound("Notification not found.", code="notification_not_found")
        return found

    async def mark_read(
        self, user: User, notification_id: uuid.UUID, *, read: bool = True
    ) -> Notification:
        row = await self.get(user, notification_id)
        changed = (row.read_at is None) == read
        row.read_at = (row.read_at or utcnow()) if read else None
        if changed:
            await self._announce_read(user, [row])
        return row

    async def mark_all_read(self, user: User, workspace_id: uuid.UUID | None = None) -> int:
        marked = await self.repo.mark_all_read(user.id, utcnow(), workspace_id)
        if marked:
            await self._announce_read(user, [])
        return marked

    async def archive(
        self, user: User, notification_id: uuid.UUID, *, archived: bool = True
    ) -> Notification:
        row = await self.get(user, notification_id)
        if (row.archived_at is None) == archived:
            row.archived_at = utcnow() if archived else None
            await self._announce_read(user, [row])
        return row

    async def _announce_read(self, user: User, rows: list[Notification]) -> None:
        await self.session.flush()
        unread = await self.repo.unread_count(user.id)
        announce_read(self.session, user.id, unread, [str(r.id) for r in rows])

    # --- preferences ---

    @property
    def email_configured(self) -> bool:
        # smtp_host is the channels' setting; read loosely so the core stands alone.
        return bool(getattr(self.settings, "smtp_host", None))

    async def preferences(self, user: User) -> PreferencesRead:
        return await preference_changes.describe(
            self.session, user.id, email_configured=self.email_configured
        )

    async def update_preferences(self, user: User, update: PreferencesUpdate) -> PreferencesRead:
        await preference_changes.apply(self.session, user.id, update)
        return await self.preferences(user)

    # --- a workspace's daily quota ---

    async def usage_quota(self, user: User, workspace_id: uuid.UUID) -> UsageQuotaRead:
        await authorize(self.session, user.id, workspace_id, Action.VIEW)
        return await quotas.describe(self.session, workspace_id, utcnow())

    async def set_usage_quota(
        self, user: User, workspace_id: uuid.UUID, update: UsageQuotaUpdate
    ) -> UsageQuotaRead:
        await authorize(self.session, user.id, workspace_id, Action.UPDATE_WORKSPACE)
        await quotas.set_quota(self.session, workspace_id, update)
        return await quotas.describe(self.session, workspace_id, utcnow())
