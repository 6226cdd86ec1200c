"""A person's browser sessions and API tokens: list them, end one, end them all.

Each ending is announced with ``announce_access_change`` in the same unit of work, so the
pages and WebSockets that the ended credentials keep open are closed live, not at their
next request.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.audit.service import record_audit
from qdeck.auth import credentials
from qdeck.auth.models import AuthSession, User
from qdeck.auth.repository import ApiTokenRepository, AuthSessionRepository
from qdeck.auth.schemas import SessionRead
from qdeck.config import Settings
from qdeck.db.types import utcnow
from qdeck.errors import NotFound
from qdeck.events.access import AccessChange, announce_access_change

MAX_LISTED = 100


class SessionService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.sessions = AuthSessionRepository(session)
        self.tokens = ApiTokenRepository(session)

    def idle_limit(self) -> timedelta:
        return timedelta(hours=self.settings.session_idle_hours)

    def is_alive(self, found: AuthSession, now: datetime) -> bool:
        """Within both the absolute lifetime and the idle timeout."""
        absolute = found.created_at + timedelta(hours=self.settings.session_ttl_hours)
        return (
            min(found.expires_at, absolute) > now and now - found.last_seen_at < self.idle_limit()
        )

    async def list_sessions(self, user: User, *, current_token: str | None) -> list[SessionRead]:
        now = utcnow()
        current = credentials.token_hash(current_token) if current_token else None
        rows = await self.sessions.list_alive(
            user.id, now=now, seen_after=now - self.idle_limit(), limit=MAX_LISTED
        )
        return [
            SessionRead(
                id=row.id,
                device=describe_user_agent(row.user_agent),
                user_agent=row.user_agent,
                ip_address=row.ip_address,
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                expires_at=row.expires_at,
                current=row.token_hash == current,
            )
            for row in rows
            if self.is_alive(row, now)
        ]

    async def revoke_session(self, user: User, session_id: uuid.UUID) -> None:
        """End one of the user's sessions (another user's answers 404, like a missing one)."""
        found = await self.sessions.get_for_user(user.id, session_id)
        if found is None:
            raise NotFound("Session not found.", code="session_not_found")
        await self.sessions.delete(found)
        await record_audit(
            self.session,
            "auth.session_revoked",
            actor_id=user.id,
            target_type="session",
            target_id=session_id,
        )
        announce_access_change(
            self.session, AccessChange.SESSIONS_ENDED, reason="session revoked", user_id=user.id
        )

    async def end_sessions(
        self, user: User, *, keep_session_token: str | None, reason: str
    ) -> None:
        """End every session of the user but the one holding ``keep_session_token``."""
        keep = credentials.token_hash(keep_session_token) if keep_session_token else None
        await self.sessions.delete_for_user(user.id, keep_hash=keep)
        announce_access_change(
            self.session, AccessChange.SESSIONS_ENDED, reason=reason, user_id=user.id
        )

    async def revoke_all_tokens(self, user: User, *, reason: str) -> int:
        revoked = await self.tokens.revoke_all_for_user(user.id, utcnow())
        if revoked:
            await record_audit(self.session, "token.revoked_all", actor_id=user.id)
        announce_access_change(
            self.session, AccessChange.TOKEN_REVOKED, reason=reason, user_id=user.id
        )
        return revoked

    async def log_out_everywhere(
        self, user: User, *, keep_session_token: str | None, revoke_tokens: bool
    ) -> None:
        """Every browser session ends (all but this one with ``keep_session_token``), and
        with ``revoke_tokens`` every API token too."""
        await self.end_sessions(
            user, keep_session_token=keep_session_token, reason="logged out everywhere"
        )
        if revoke_tokens:
            await self.revoke_all_tokens(user, reason="logged out everywhere")
        await record_audit(self.session, "auth.logged_out_everywhere", actor_id=user.id)


_BROWSERS = [
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe_user_agent(user_agent: str | None) -> str:
    """'Firefox on Linux', good enough to recognise one's own devices; raw text otherwise."""
    if not user_agent:
        return "Unknown device"
    browser = next((name for key, name in _BROWSERS if key in user_agent), None)
    system = next((name for key, name in _SYSTEMS if key in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or user_agent.split(" ", 1)[0][:60]
