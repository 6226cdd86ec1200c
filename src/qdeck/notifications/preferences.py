"""Reading what a person chose: per event type x channel, per-workspace overrides, and
when they want to hear (time zone, quiet hours, digests). Absent rows mean defaults."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.notifications.catalog import EventType, defaults_for
from qdeck.notifications.models import (
    DigestMode,
    NotificationPreference,
    NotificationSettings,
    NotificationWorkspacePreference,
    Severity,
)
from qdeck.notifications.timing import is_known_zone

_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Choices:
    """One person's choices as seen for one workspace (or none)."""

    own: dict[tuple[str, str], bool] = field(default_factory=dict)
    workspace: dict[tuple[str, str], bool] = field(default_factory=dict)

    def wants(self, event: EventType, severity: Severity, channel: str) -> bool:
        key = (event.key, channel)
        if key in self.workspace:
            return self.workspace[key]
        if key in self.own:
            return self.own[key]
        return channel in default_channels(event, severity)


def default_channels(event: EventType, severity: Severity) -> frozenset[str]:
    """The catalog's defaults, widened when this notification is graver than the type
    usually is (a burst of completions with failures in it is a warning)."""
    if _RANK[severity] > _RANK[event.default_severity]:
        return event.default_channels | defaults_for(severity)
    return event.default_channels


async def load_choices(
    session: AsyncSession, user_id: uuid.UUID, workspace_id: uuid.UUID | None
) -> Choices:
    own = await session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id)
    )
    overrides: dict[tuple[str, str], bool] = {}
    if workspace_id is not None:
        rows = await session.scalars(
            select(NotificationWorkspacePreference).where(
                NotificationWorkspacePreference.user_id == user_id,
                NotificationWorkspacePreference.workspace_id == workspace_id,
            )
        )
        overrides = {(r.kind, r.channel): r.enabled for r in rows}
    return Choices({(r.kind, r.channel): r.enabled for r in own}, overrides)


async def load_settings(session: AsyncSession, user_id: uuid.UUID) -> NotificationSettings:
    """The stored settings, or unsaved defaults (the account's time zone or UTC, no
    quiet hours, no digests)."""
    found = await session.get(NotificationSettings, user_id)
    if found is not None:
        return found
    # Until they choose one here, the time zone of their account profile.
    user = await session.get(User, user_id)
    zone = (user.preferences or {}).get("time_zone") if user is not None else None
    return NotificationSettings(
        user_id=user_id,
        time_zone=zone if isinstance(zone, str) and is_known_zone(zone) else "UTC",
        quiet_start_minute=None,
        quiet_end_minute=None,
        email_digest=DigestMode.IMMEDIATE,
        webhook_digest=DigestMode.IMMEDIATE,
        daily_digest_hour=8,
    )


def digest_mode(settings: NotificationSettings, channel: str) -> DigestMode:
    return DigestMode(getattr(settings, f"{channel}_digest", None) or DigestMode.IMMEDIATE)


async def load_choices_many(
    session: AsyncSession, user_ids: list[uuid.UUID], workspace_id: uuid.UUID | None
) -> dict[uuid.UUID, Choices]:
    """Everyone's choices in two queries (a fan-out to a thousand members)."""
    own: dict[uuid.UUID, dict[tuple[str, str], bool]] = {u: {} for u in user_ids}
    rows = await session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids))
    )
    for r in rows:
        own[r.user_id][(r.kind, r.channel)] = r.enabled
    overrides: dict[uuid.UUID, dict[tuple[str, str], bool]] = {u: {} for u in user_ids}
    if workspace_id is not None:
        rows = await session.scalars(
            select(NotificationWorkspacePreference).where(
                NotificationWorkspacePreference.user_id.in_(user_ids),
                NotificationWorkspacePreference.workspace_id == workspace_id,
            )
        )
        for r in rows:
            overrides[r.user_id][(r.kind, r.channel)] = r.enabled
    return {u: Choices(own[u], overrides[u]) for u in user_ids}
