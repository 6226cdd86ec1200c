"""Queries for users, browser sessions, API tokens and log-in attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from qdeck.auth.models import ApiToken, AuthSession, LoginAttempt, User
from qdeck.db.keyset import PageRequest, fetch_page


class Unset:
    """A filter that was not given (None is a real value: an unknown address)."""


UNSET = Unset()


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email.lower()))

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user


class AuthSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_token_hash(self, token_hash: str) -> AuthSession | None:
        return await self.session.scalar(
            select(AuthSession).where(AuthSession.token_hash == token_hash)
        )

    async def add(self, auth_session: AuthSession) -> None:
        self.session.add(auth_session)
        await self.session.flush()

    async def delete_by_token_hash(self, token_hash: str) -> None:
        await self.session.execute(delete(AuthSession).where(AuthSession.token_hash == token_hash))

    async def delete_for_user(self, user_id: uuid.UUID, *, keep_hash: str | None = None) -> None:
        stmt = delete(AuthSession).where(AuthSession.user_id == user_id)
        if keep_hash is not None:
            stmt = stmt.where(AuthSession.token_hash != keep_hash)
        await self.session.execute(stmt)

    async def delete_expired(self, now: datetime) -> None:
        await self.session.execute(delete(AuthSession).where(AuthSession.expires_at <= now))

    async def get_for_user(self, user_id: uuid.UUID, session_id: uuid.UUID) -> AuthSession | None:
        return await self.session.scalar(
            select(AuthSession).where(AuthSession.id == session_id, AuthSession.user_id == user_id)
        )

    async def delete(self, auth_session: AuthSession) -> None:
        await self.session.delete(auth_session)
        await self.session.flush()

    async def list_alive(
        self, user_id: uuid.UUID, *, now: datetime, seen_after: datetime, limit: int
    ) -> list[AuthSession]:
        """The user's sessions neither expired nor idle, most recently seen first."""
        rows = await self.session.scalars(
            select(AuthSession)
            .where(
                AuthSession.user_id == user_id,
                AuthSession.expires_at > now,
                AuthSession.last_seen_at > seen_after,
            )
            .order_by(AuthSession.last_seen_at.desc(), AuthSession.id)
            .limit(limit)
        )
        return list(rows)


async def touch_session(bind: AsyncEngine, session_id: uuid.UUID, now: datetime) -> None:
    """Record that a session was used, in a short transaction of its own (the request's
    may be read-only, and this record must not wait for or fail with it)."""
    async with bind.begin() as connection:
        await connection.execute(
            update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=now)
        )


class ApiTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        return await self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    async def get_for_user(self, user_id: uuid.UUID, token_id: uuid.UUID) -> ApiToken | None:
        return await self.session.scalar(
            select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
        )

    async def add(self, token: ApiToken) -> None:
        self.session.add(token)
        await self.session.flush()

    async def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> int:
        result = await self.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def list_page(
        self, user_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[ApiToken], str | None]:
        stmt = select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        return await fetch_page(self.session, stmt, [ApiToken.created_at, ApiToken.id], page)


class LoginAttemptRepository:
    """Credential attempts; the throttle's counters are queries over this log."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, email: str, *, succeeded: bool, ip: str | None, kind: str = "login"
    ) -> None:
        self.session.add(LoginAttempt(kind=kind, email=email, succeeded=succeeded, ip_address=ip))
        await self.session.flush()

    async def failures(
        self,
        since: datetime,
        *,
        kinds: tuple[str, ...] = ("login",),
        email: str | None = None,
        ip: str | Unset | None = UNSET,
        reset_by_success: bool = False,
        exclude_ips: Sequence[str] = (),
    ) -> tuple[int, datetime | None]:
        """Failed attempts after ``since`` matching the filters: (count, newest).

        ``reset_by_success``: only those after the newest success with the same filters.
        """
        conditions = [LoginAttempt.kind.in_(kinds), LoginAttempt.created_at > since]
        if email is not None:
            conditions.append(LoginAttempt.email == email)
        if not isinstance(ip, Unset):
            conditions.append(_same_address(ip))
        if exclude_ips:
            conditions.append(LoginAttempt.ip_address.not_in(list(exclude_ips)))
        if reset_by_success:
            last_success = await self.session.scalar(
                select(func.max(LoginAttempt.created_at)).where(
                    *conditions, LoginAttempt.succeeded.is_(True)
                )
            )
            if last_success is not None:
                conditions.append(LoginAttempt.created_at > last_success)
        count, newest = (
            await self.session.execute(
                select(func.count(), func.max(LoginAttempt.created_at)).where(
                    *conditions, LoginAttempt.succeeded.is_(False)
                )
            )
        ).one()
        return int(count), newest

    async def attempts(
        self, kind: str, ip: str | None, since: datetime
    ) -> tuple[int, datetime | None]:
        """Attempts of any outcome from ``ip`` after ``since``: (count, oldest)."""
        same_ip = _same_address(ip)
        count, oldest = (
            await self.session.execute(
                select(func.count(), func.min(LoginAttempt.created_at)).where(
                    LoginAttempt.kind == kind, same_ip, LoginAttempt.created_at > since
                )
            )
        ).one()
        return int(count), oldest

    async def familiar_addresses(self, email: str, since: datetime) -> list[str]:
        """Addresses this account logged in from successfully after ``since``."""
        rows = await self.session.scalars(
            select(LoginAttempt.ip_address)
            .where(
                LoginAttempt.kind == "login",
                LoginAttempt.email == email,
                LoginAttempt.succeeded.is_(True),
                LoginAttempt.created_at > since,
                LoginAttempt.ip_address.is_not(None),
            )
            .distinct()
        )
        return [ip for ip in rows if ip is not None]


def _same_address(ip: str | None) -> ColumnElement[bool]:
    return LoginAttempt.ip_address == ip if ip is not None else LoginAttempt.ip_address.is_(None)
