from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, Timestamps


class UserSecret(Timestamps, Base):
    """One secret of one user, AES-GCM encrypted with a key derived from the instance secret."""

    __tablename__ = "user_secrets"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    # nonce (12 bytes) followed by ciphertext and tag.
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    # Last characters of the plain value, so a user can tell which secret is stored.
    hint: Mapped[str] = mapped_column(String(8))
