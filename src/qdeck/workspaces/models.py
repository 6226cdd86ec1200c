from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, CreatedAt, Timestamps, UUIDPrimaryKey
from qdeck.db.types import StrEnumType
from qdeck.workspaces.roles import Role


class Workspace(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "workspaces"

    name: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Every user gets one at sign-up; it cannot be deleted or left by its owner.
    is_personal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class Membership(CreatedAt, Base):
    __tablename__ = "memberships"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(StrEnumType(Role))
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    __table_args__ = (Index("ix_memberships_user_id", "user_id"),)


class Project(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "projects"

    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    archived_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("workspace_id", "name", name="uq_projects_workspace_name"),
        Index("ix_projects_workspace_created", "workspace_id", "created_at", "id"),
    )


class Invitation(UUIDPrimaryKey, CreatedAt, Base):
    """A pending invitation to join a workspace, addressed to an e-mail.

    The address may not have an account yet: whoever signs up with it sees the invitation.
    Only pending invitations are rows; accepting, declining or revoking one deletes it
    (the audit log keeps what happened), so one address has at most one per workspace.
    """

    __tablename__ = "invitations"

    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # Stored lower-cased, like users.email, so matching ignores case.
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[Role] = mapped_column(StrEnumType(Role))
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("workspace_id", "email", name="uq_invitations_workspace_email"),
        Index("ix_invitations_email", "email"),
    )
