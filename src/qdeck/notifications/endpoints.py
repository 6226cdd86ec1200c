"""/api/v1/notifications: a person's own notifications and preferences, and a
workspace's usage quota. Another person's notification answers 404, like a missing one."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from qdeck.api.deps import CurrentUser, PageDep, ServicesDep
from qdeck.api.schemas import Page
from qdeck.notifications.models import Severity
from qdeck.notifications.repository import NotificationFilter
from qdeck.notifications.schemas import (
    MarkedRead,
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    UnreadCount,
    UsageQuotaRead,
    UsageQuotaUpdate,
)

router = APIRouter(tags=["notifications"])


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "code": {"type": "string"},
                        "detail": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    }


NOT_FOUND = {404: _problem("Not found (also another person's notification)")}
INVALID = {422: _problem("Invalid input; `errors` names each bad field")}


@router.get("/notifications", response_model=Page[NotificationRead], responses=INVALID)
async def list_notifications(
    user: CurrentUser,
    services: ServicesDep,
    page: PageDep,
    unread: bool | None = None,
    kind: Annotated[str | None, Query(max_length=50)] = None,
    severity: Severity | None = None,
    workspace_id: uuid.UUID | None = None,
    archived: bool = False,
) -> Page[NotificationRead]:
    """Newest first (a grouped notification moves up when it takes in more events).
    Keyset pages: pass ``next_cursor`` back as ``cursor``. Live: the WebSocket topic
    ``notifications``."""
    where = NotificationFilter(
        unread=unread, kind=kind, severity=severity, workspace_id=workspace_id, archived=archived
    )
    rows, cursor = await services.notifications.list(user, where, page)
    return Page(items=[NotificationRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/notifications/unread-count", response_model=UnreadCount)
async def unread_count(user: CurrentUser, services: ServicesDep) -> UnreadCount:
    return UnreadCount(unread=await services.notifications.unread_count(user))


@router.post("/notifications/read-all", response_model=MarkedRead, responses=NOT_FOUND)
async def read_all(
    user: CurrentUser, services: ServicesDep, workspace_id: uuid.UUID | None = None
) -> MarkedRead:
    """Mark every unread notification read (only one workspace's, with ``workspace_id``)."""
    marked = await services.notifications.mark_all_read(user, workspace_id)
    return MarkedRead(marked=marked, unread=await services.notifications.unread_count(user))


@router.get(
    "/notifications/preferences", response_model=PreferencesRead, tags=["notification preferences"]
)
async def get_preferences(user: CurrentUser, services: ServicesDep) -> PreferencesRead:
    """The event type x channel matrix with its defaults, workspace overrides, digests,
    quiet hours and time zone; ``email_configured`` is false when this server has no
    SMTP host."""
    return await services.notifications.preferences(user)


@router.put(
    "/notifications/preferences",
    response_model=PreferencesRead,
    responses={**INVALID, **NOT_FOUND},
    tags=["notification preferences"],
)
async def put_preferences(
    body: PreferencesUpdate, user: CurrentUser, services: ServicesDep
) -> PreferencesRead:
    """Change the fields sent. An unknown event type, channel or time zone is a 422
    naming it, and nothing changes; an override for a workspace you are not in is a 404."""
    return await services.notifications.update_preferences(user, body)


@router.get(
    "/notifications/{notification_id}", response_model=NotificationRead, responses=NOT_FOUND
)
async def get_notification(
    notification_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> NotificationRead:
    return NotificationRead.model_validate(await services.notifications.get(user, notification_id))


@router.post(
    "/notifications/{notification_id}/read", response_model=NotificationRead, responses=NOT_FOUND
)
async def mark_read(
    notification_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> NotificationRead:
    row = await services.notifications.mark_read(user, notification_id)
    return NotificationRead.model_validate(row)


@router.post(
    "/notifications/{notification_id}/unread", response_model=NotificationRead, responses=NOT_FOUND
)
async def mark_unread(
    notification_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> NotificationRead:
    row = await services.notifications.mark_read(user, notification_id, read=False)
    return NotificationRead.model_validate(row)


@router.post(
    "/notifications/{notification_id}/archive", response_model=NotificationRead, responses=NOT_FOUND
)
async def archive(
    notification_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> NotificationRead:
    """Out of the inbox (and the unread count); listed with ``archived=true``."""
    row = await services.notifications.archive(user, notification_id)
    return NotificationRead.model_validate(row)


@router.post(
    "/notifications/{notification_id}/unarchive",
    response_model=NotificationRead,
    responses=NOT_FOUND,
)
async def unarchive(
    notification_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> NotificationRead:
    row = await services.notifications.archive(user, notification_id, archived=False)
    return NotificationRead.model_validate(row)


@router.get(
    "/workspaces/{workspace_id}/usage-quota",
    response_model=UsageQuotaRead,
    responses=NOT_FOUND,
    tags=["notification preferences"],
)
async def get_quota(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> UsageQuotaRead:
    """The workspace's daily shot and job quota and today's use (UTC day)."""
    return await services.notifications.usage_quota(user, workspace_id)


@router.put(
    "/workspaces/{workspace_id}/usage-quota",
    response_model=UsageQuotaRead,
    responses={**INVALID, **NOT_FOUND},
    tags=["notification preferences"],
)
async def put_quota(
    workspace_id: uuid.UUID, body: UsageQuotaUpdate, user: CurrentUser, services: ServicesDep
) -> UsageQuotaRead:
    """Owners and admins; crossing 80 % and 100 % notifies them. ``null`` removes a quota."""
    return await services.notifications.set_usage_quota(user, workspace_id, body)
