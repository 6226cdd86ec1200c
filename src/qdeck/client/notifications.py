"""Your notifications through the SDK: ``qd.notifications.list(unread=True)``,
``read(id)``, ``read_all()``, ``unread_count()``, ``preferences()`` and
``set_preferences(...)``; sync and async side by side."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from qdeck.api.schemas import Page
from qdeck.client.calls import Id, _body, _one, _page, query
from qdeck.client.resources import AsyncSender, Sender
from qdeck.client.transport import Call
from qdeck.notifications.schemas import (
    MarkedRead,
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    UnreadCount,
)

PAGE = 100


def list_notifications(
    *,
    unread: bool | None = None,
    kind: str | None = None,
    severity: str | None = None,
    workspace_id: Id | None = None,
    archived: bool = False,
    limit: int = 50,
    cursor: str | None = None,
) -> Call[Page[NotificationRead]]:
    params = query(
        unread=None if unread is None else str(unread).lower(),
        kind=kind,
        severity=severity,
        workspace_id=str(workspace_id) if workspace_id else None,
        archived=str(archived).lower() if archived else None,
        limit=limit,
        cursor=cursor,
    )
    return Call("GET", "/notifications", _page(NotificationRead), params=params)


def unread_count() -> Call[UnreadCount]:
    return Call("GET", "/notifications/unread-count", _one(UnreadCount))


def mark_read(notification_id: Id) -> Call[NotificationRead]:
    return Call("POST", f"/notifications/{notification_id}/read", _one(NotificationRead))


def mark_all_read(workspace_id: Id | None = None) -> Call[MarkedRead]:
    params = query(workspace_id=str(workspace_id) if workspace_id else None)
    return Call("POST", "/notifications/read-all", _one(MarkedRead), params=params)


def archive(notification_id: Id) -> Call[NotificationRead]:
    return Call("POST", f"/notifications/{notification_id}/archive", _one(NotificationRead))


def get_preferences() -> Call[PreferencesRead]:
    return Call("GET", "/notifications/preferences", _one(PreferencesRead))


def put_preferences(update: PreferencesUpdate) -> Call[PreferencesRead]:
    return Call("PUT", "/notifications/preferences", _one(PreferencesRead), json=_body(update))


class Notifications:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def list(self, **filters: Any) -> Page[NotificationRead]:
        """One page, newest first; filters: unread, kind, severity, workspace_id, archived,
        limit, cursor."""
        return self._c._send(list_notifications(**filters))

    def iter(self, **filters: Any) -> Iterator[NotificationRead]:
        return self._c._each(lambda c: list_notifications(**filters, limit=PAGE, cursor=c))

    def unread_count(self) -> int:
        return self._c._send(unread_count()).unread

    def read(self, notification_id: Id) -> NotificationRead:
        return self._c._send(mark_read(notification_id))

    def read_all(self, workspace_id: Id | None = None) -> MarkedRead:
        return self._c._send(mark_all_read(workspace_id))

    def archive(self, notification_id: Id) -> NotificationRead:
        return self._c._send(archive(notification_id))

    def preferences(self) -> PreferencesRead:
        return self._c._send(get_preferences())

    def set_preferences(self, **changes: Any) -> PreferencesRead:
        return self._c._send(put_preferences(PreferencesUpdate(**changes)))


class AsyncNotifications:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def list(self, **filters: Any) -> Page[NotificationRead]:
        return await self._c._send(list_notifications(**filters))

    def iter(self, **filters: Any) -> AsyncIterator[NotificationRead]:
        return self._c._each(lambda c: list_notifications(**filters, limit=PAGE, cursor=c))

    async def unread_count(self) -> int:
        return (await self._c._send(unread_count())).unread

    async def read(self, notification_id: Id) -> NotificationRead:
        return await self._c._send(mark_read(notification_id))

    async def read_all(self, workspace_id: Id | None = None) -> MarkedRead:
        return await self._c._send(mark_all_read(workspace_id))

    async def archive(self, notification_id: Id) -> NotificationRead:
        return await self._c._send(archive(notification_id))

    async def preferences(self) -> PreferencesRead:
        return await self._c._send(get_preferences())

    async def set_preferences(self, **changes: Any) -> PreferencesRead:
        return await self._c._send(put_preferences(PreferencesUpdate(**changes)))
