"""Changing what a person chose. Everything is checked before anything is written, so a
bad field (an unknown event type, channel or time zone) is a 422 naming it and the
stored preferences stay as they were."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.errors import InvalidInput
from qdeck.notifications.catalog import CHANNELS, EVENT_TYPES, ROUTED_CHANNELS
from qdeck.notifications.models import (
    NotificationPreference,
    NotificationSettings,
    NotificationWorkspacePreference,
)
from qdeck.notifications.preferences import digest_mode, load_choices, load_settings
from qdeck.notifications.schemas import (
    EventTypeRead,
    PreferencesRead,
    PreferencesUpdate,
    WorkspaceOverridesRead,
)
from qdeck.notifications.timing import is_known_zone
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.models import Workspace


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _matrix_errors(matrix: dict[str, dict[str, Any]], prefix: str) -> list[dict[str, str]]:
    errors = []
    for kind, channels in matrix.items():
        if kind not in EVENT_TYPES:
            errors.append(
                {
                    "field": f"{prefix}.{kind}",
                    "message": f"unknown event type '{kind}'; known: {', '.join(EVENT_TYPES)}",
                }
            )
            continue
        for channel in channels:
            if channel not in CHANNELS:
                errors.append(
                    {
                        "field": f"{prefix}.{kind}.{channel}",
                        "message": f"unknown channel '{channel}'; known: {', '.join(CHANNELS)}",
                    }
                )
    return errors


def validate(update: PreferencesUpdate) -> None:
    errors = _matrix_errors(update.channels or {}, "channels")
    for workspace_id, matrix in (update.workspaces or {}).items():
        errors += _matrix_errors(matrix, f"workspaces.{workspace_id}")
    if update.time_zone is not None and not is_known_zone(update.time_zone):
        errors.append(
            {
                "field": "time_zone",
                "message": f"unknown time zone '{update.time_zone}'; use an IANA name "
                "such as Europe/Berlin or America/New_York",
            }
        )
    for channel in update.digests or {}:
        if channel not in ROUTED_CHANNELS:
            errors.append(
                {
                    "field": f"digests.{channel}",
                    "message": f"no digests for channel '{channel}'; "
                    f"digests exist for {', '.join(ROUTED_CHANNELS)}",
                }
            )
    if errors:
        raise InvalidInput(
            "; ".join(e["message"] for e in errors),
            code="invalid_preferences",
            errors=errors,
        )


async def apply(session: AsyncSession, user_id: uuid.UUID, update: PreferencesUpdate) -> None:
    """Validate, check workspace membership, then write."""
    validate(update)
    for workspace_id in update.workspaces or {}:
        # Overrides only for a workspace you are in: others are "not found".
        await authorize(session, user_id, workspace_id, Action.VIEW)
    sent = update.model_fields_set
    for kind, channels in (update.channels or {}).items():
        for channel, enabled in channels.items():
            await session.merge(
                NotificationPreference(user_id=user_id, kind=kind, channel=channel, enabled=enabled)
            )
    for workspace_id, matrix in (update.workspaces or {}).items():
        await _write_overrides(session, user_id, workspace_id, matrix)
    if sent & {"time_zone", "quiet_hours", "digests", "daily_digest_hour"}:
        await _write_settings(session, user_id, update, sent)
    await session.flush()


async def _write_overrides(
    session: AsyncSession,
    user_id: uuid.UUID,
    workspace_id: uuid.UUID,
    matrix: dict[str, dict[str, bool | None]],
) -> None:
    for kind, channels in matrix.items():
        for channel, enabled in channels.items():
            if enabled is None:
                await session.execute(
                    delete(NotificationWorkspacePreference).where(
                        NotificationWorkspacePreference.user_id == user_id,
                        NotificationWorkspacePreference.workspace_id == workspace_id,
                        NotificationWorkspacePreference.kind == kind,
                        NotificationWorkspacePreference.channel == channel,
                    )
                )
            else:
                await session.merge(
                    NotificationWorkspacePreference(
                        user_id=user_id,
                        workspace_id=workspace_id,
                        kind=kind,
                        channel=channel,
                        enabled=enabled,
                    )
                )


async def _write_settings(
    session: AsyncSession, user_id: uuid.UUID, update: PreferencesUpdate, sent: set[str]
) -> None:
    current = await load_settings(session, user_id)
    if await session.get(NotificationSettings, user_id) is None:
        session.add(current)
    if update.time_zone is not None:
        current.time_zone = update.time_zone
    if "quiet_hours" in sent:
        quiet = update.quiet_hours
        current.quiet_start_minute = _minute(quiet.start) if quiet else None
        current.quiet_end_minute = _minute(quiet.end) if quiet else None
    for channel, mode in (update.digests or {}).items():
        setattr(current, f"{channel}_digest", mode)
    if update.daily_digest_hour is not None:
        current.daily_digest_hour = update.daily_digest_hour


async def overrides_of(
    session: AsyncSession, user_id: uuid.UUID
) -> dict[uuid.UUID, dict[str, dict[str, bool]]]:
    rows = await session.scalars(
        select(NotificationWorkspacePreference).where(
            NotificationWorkspacePreference.user_id == user_id
        )
    )
    found: dict[uuid.UUID, dict[str, dict[str, bool]]] = {}
    for row in rows:
        found.setdefault(row.workspace_id, {}).setdefault(row.kind, {})[row.channel] = row.enabled
    return found


def _clock(minute: int | None) -> str | None:
    return None if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"


async def describe(
    session: AsyncSession, user_id: uuid.UUID, *, email_configured: bool
) -> PreferencesRead:
    """The whole matrix with defaults, the person's choices, overrides and timing."""
    choices = await load_choices(session, user_id, None)
    settings = await load_settings(session, user_id)
    event_types = [
        EventTypeRead(
            key=t.key,
            title=t.title,
            description=t.description,
            group=t.group,
            default_severity=t.default_severity,
            urgent=t.urgent,
            defaults={c: c in t.default_channels for c in CHANNELS},
            channels={c: choices.wants(t, t.default_severity, c) for c in CHANNELS},
        )
        for t in EVENT_TYPES.values()
    ]
    overrides = await overrides_of(session, user_id)
    names = {}
    if overrides:
        rows = await session.execute(
            select(Workspace.id, Workspace.name).where(Workspace.id.in_(list(overrides)))
        )
        names = dict(rows.all())
    start, end = _clock(settings.quiet_start_minute), _clock(settings.quiet_end_minute)
    return PreferencesRead(
        channels=list(CHANNELS),
        event_types=event_types,
        time_zone=settings.time_zone,
        quiet_hours={"start": start, "end": end} if start and end else None,
        digests={c: digest_mode(settings, c) for c in ROUTED_CHANNELS},
        daily_digest_hour=settings.daily_digest_hour,
        workspaces=[
            WorkspaceOverridesRead(workspace_id=w, name=names.get(w, ""), overrides=o)
            for w, o in overrides.items()
        ],
        email_configured=email_configured,
    )
