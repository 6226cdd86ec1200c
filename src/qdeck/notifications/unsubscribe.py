"""One-click unsubscribe links (RFC 8058) that work without logging in.

A link names a person and an event type (``*``: every e-mail) and carries an HMAC under
a key derived from the instance secret, so it cannot be forged or pointed at someone
else. GET shows a confirmation page and changes nothing (mail scanners follow links);
POST, from that page's button or a mail client's one-click, turns that e-mail off.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.errors import NotFound
from qdeck.notifications.catalog import EMAIL, EVENT_TYPES
from qdeck.notifications.models import NotificationPreference, NotificationWorkspacePreference

ALL_EMAIL = "*"
PATH = "/api/v1/notifications/unsubscribe/"
_SIGNATURE_BYTES = 16


@dataclass(frozen=True)
class Unsubscribe:
    user_id: uuid.UUID
    kind: str

    @property
    def what(self) -> str:
        if self.kind == ALL_EMAIL:
            return "all qdeck notification e-mail"
        event = EVENT_TYPES.get(self.kind)
        return f"“{event.title if event else self.kind}” e-mails"


def _key(settings: Settings) -> bytes:
    return hmac.new(settings.instance_secret, b"qdeck unsubscribe v1", hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token(settings: Settings, user_id: uuid.UUID, kind: str) -> str:
    body = f"{user_id.hex}.{kind}".encode()
    signature = hmac.new(_key(settings), body, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return f"{_b64(body)}.{_b64(signature)}"


def link(settings: Settings, user_id: uuid.UUID, kind: str) -> str:
    return f"{base_url(settings)}{PATH}{token(settings, user_id, kind)}"


def base_url(settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    wildcard = settings.host in ("0.0.0.0", "::", "")  # noqa: S104 - a listen address, not a bind
    host = "127.0.0.1" if wildcard else settings.host
    return f"http://{host}:{settings.port}"


def read(settings: Settings, value: str) -> Unsubscribe:
    """The link's person and event type; NotFound for a forged or damaged link."""
    refused = NotFound("This unsubscribe link is not valid.", code="unsubscribe_link_invalid")
    body_text, _, signature_text = value.partition(".")
    try:
        body, signature = _unb64(body_text), _unb64(signature_text)
    except ValueError:
        raise refused from None
    expected = hmac.new(_key(settings), body, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    if not hmac.compare_digest(signature, expected):
        raise refused
    user_hex, _, kind = body.decode("ascii", "replace").partition(".")
    try:
        user_id = uuid.UUID(hex=user_hex)
    except ValueError:
        raise refused from None
    if kind != ALL_EMAIL and kind not in EVENT_TYPES:
        raise refused
    return Unsubscribe(user_id, kind)


async def apply(session: AsyncSession, request: Unsubscribe) -> None:
    """Turn the e-mail off: the person's own preference, and any workspace override that
    would still send it (an override outranks the preference)."""
    if await session.get(User, request.user_id) is None:
        raise NotFound("This unsubscribe link is not valid.", code="unsubscribe_link_invalid")
    kinds = list(EVENT_TYPES) if request.kind == ALL_EMAIL else [request.kind]
    existing = {
        row.kind: row
        for row in await session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id == request.user_id,
                NotificationPreference.channel == EMAIL,
                NotificationPreference.kind.in_(kinds),
            )
        )
    }
    for kind in kinds:
        row = existing.get(kind)
        if row is None:
            session.add(
                NotificationPreference(
                    user_id=request.user_id, kind=kind, channel=EMAIL, enabled=False
                )
            )
        else:
            row.enabled = False
    await session.execute(
        update(NotificationWorkspacePreference)
        .where(
            NotificationWorkspacePreference.user_id == request.user_id,
            NotificationWorkspacePreference.channel == EMAIL,
            NotificationWorkspacePreference.kind.in_(kinds),
        )
        .values(enabled=False)
    )
    await session.flush()
