"""Queries for users, browser sessions, API tokens and log-in attempts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import ApiToken, AuthSession, LoginAttempt, User
from qdeck.db.keyset import PageRequest, fetch_page


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

    async def list_page(
        self, user_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[ApiToken], str | None]:
        stmt = select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        return await fetch_page(self.session, stmt, [ApiToken.created_at, ApiToken.id], page)


class LoginAttemptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, email: str, *, succeeded: bool, ip: str | None) -> None:
        self.session.add(LoginAttempt(email=email, succeeded=succeeded, ip_address=ip))
        await self.session.flush()

    async def recent_failures(self, email: str, since: datetime) -> tuple[int, datetime | None]:
        """Failures for ``email`` after ``since`` and after its last success: (count, oldest)."""
        last_success = await self.session.scalar(
            select(func.max(LoginAttempt.created_at)).where(
                LoginAttempt.email == email,
                LoginAttempt.succeeded.is_(True),
                LoginAttempt.created_at > since,
            )
        )
        window_start = max(since, last_success) if last_success else since
        count, oldest = (
            await self.session.execute(
                select(func.count(), func.min(LoginAttempt.created_at)).where(
                    LoginAttempt.email == email,
                    LoginAttempt.succeeded.is_(False),
                    LoginAttempt.created_at > window_start,
                )
            )
        ).one()
        return int(count), oldest
