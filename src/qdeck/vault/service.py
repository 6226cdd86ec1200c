"""Stores and reads back the secrets users give qdeck; values never leave in responses."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.audit.service import record_audit
from qdeck.config import Settings
from qdeck.errors import NotFound
from qdeck.vault.cipher import SecretCipher, SecretUnreadable
from qdeck.vault.models import UserSecret
from qdeck.vault.schemas import SecretName


def _context(user_id: uuid.UUID, name: SecretName) -> str:
    return f"{user_id}:{name.value}"


class VaultService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.cipher = SecretCipher(settings.instance_secret)

    async def put(self, user_id: uuid.UUID, name: SecretName, value: str) -> UserSecret:
        blob = self.cipher.encrypt(value, _context(user_id, name))
        hint = value[-4:] if len(value) >= 12 else ""
        secret = await self.session.get(UserSecret, (user_id, name.value))
        if secret is None:
            secret = UserSecret(user_id=user_id, name=name.value, ciphertext=blob, hint=hint)
            self.session.add(secret)
        else:
            secret.ciphertext = blob
            secret.hint = hint
        await self.session.flush()
        await record_audit(
            self.session, "secret.stored", actor_id=user_id, target_type="secret", target_id=name
        )
        return secret

    async def get(self, user_id: uuid.UUID, name: SecretName) -> str | None:
        """The plain value, or None when the user has not stored one or it became unreadable."""
        secret = await self.session.get(UserSecret, (user_id, name.value))
        if secret is None:
            return None
        try:
            return self.cipher.decrypt(secret.ciphertext, _context(user_id, name))
        except SecretUnreadable:
            return None

    async def list(self, user_id: uuid.UUID) -> list[UserSecret]:
        rows = await self.session.scalars(
            select(UserSecret).where(UserSecret.user_id == user_id).order_by(UserSecret.name)
        )
        return list(rows)

    async def delete(self, user_id: uuid.UUID, name: SecretName) -> None:
        secret = await self.session.get(UserSecret, (user_id, name.value))
        if secret is None:
            raise NotFound(f"No {name.value} is stored.", code="secret_not_found")
        await self.session.delete(secret)
        await record_audit(
            self.session, "secret.deleted", actor_id=user_id, target_type="secret", target_id=name
        )
