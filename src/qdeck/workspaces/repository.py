"""Queries for workspaces, memberships and projects."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.db.keyset import PageRequest, fetch_page
from qdeck.jobs.models import Job
from qdeck.workspaces.models import Invitation, Membership, Project, Workspace
from qdeck.workspaces.roles import Role


class WorkspaceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: uuid.UUID) -> Workspace | None:
        return await self.session.get(Workspace, workspace_id)

    async def slug_taken(self, slug: str) -> bool:
        found = await self.session.scalar(select(Workspace.id).where(Workspace.slug == slug))
        return found is not None

    async def add(self, workspace: Workspace) -> Workspace:
        self.session.add(workspace)
        await self.session.flush()
        return workspace

    async def delete(self, workspace: Workspace) -> None:
        await self.session.delete(workspace)
        await self.session.flush()

    async def personal_of(self, user_id: uuid.UUID) -> uuid.UUID | None:
        return await self.session.scalar(
            select(Workspace.id)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(
                Membership.user_id == user_id,
                Membership.role == Role.OWNER,
                Workspace.is_personal.is_(True),
            )
        )

    async def name_taken_for(
        self, user_id: uuid.UUID, name: str, *, except_id: uuid.UUID | None = None
    ) -> bool:
        """Whether one of the user's workspaces already has this name (ignoring case)."""
        stmt = (
            select(Workspace.id)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == user_id, func.lower(Workspace.name) == name.lower())
        )
        if except_id is not None:
            stmt = stmt.where(Workspace.id != except_id)
        return await self.session.scalar(stmt.limit(1)) is not None

    async def list_for_user(
        self, user_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[Any], str | None]:
        """Rows of (Workspace, Membership) for the user's workspaces, oldest first."""
        stmt = select(Workspace, Membership).join(
            Membership,
            (Membership.workspace_id == Workspace.id) & (Membership.user_id == user_id),
        )
        return await fetch_page(
            self.session, stmt, [Workspace.created_at, Workspace.id], page, descending=False
        )


class MembershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: uuid.UUID, user_id: uuid.UUID) -> Membership | None:
        return await self.session.get(Membership, (workspace_id, user_id))

    async def add(self, membership: Membership) -> Membership:
        self.session.add(membership)
        await self.session.flush()
        return membership

    async def remove(self, membership: Membership) -> None:
        await self.session.delete(membership)
        await self.session.flush()

    async def count_owners(self, workspace_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count()).where(
                Membership.workspace_id == workspace_id, Membership.role == Role.OWNER
            )
        )
        return int(count or 0)

    async def list_page(
        self, workspace_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[Any], str | None]:
        """Rows of (Membership, User), in the order members joined."""
        stmt = (
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.workspace_id == workspace_id)
        )
        return await fetch_page(
            self.session, stmt, [Membership.created_at, Membership.user_id], page, descending=False
        )


class ProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, project_id: uuid.UUID) -> Project | None:
        return await self.session.get(Project, project_id)

    async def name_taken(
        self, workspace_id: uuid.UUID, name: str, *, except_id: uuid.UUID | None = None
    ) -> bool:
        stmt = select(Project.id).where(Project.workspace_id == workspace_id, Project.name == name)
        if except_id is not None:
            stmt = stmt.where(Project.id != except_id)
        return await self.session.scalar(stmt) is not None

    async def add(self, project: Project) -> Project:
        self.session.add(project)
        await self.session.flush()
        return project

    async def delete(self, project: Project) -> None:
        await self.session.delete(project)
        await self.session.flush()

    async def list_page(
        self, workspace_id: uuid.UUID, page: PageRequest, *, include_archived: bool = False
    ) -> tuple[list[Project], str | None]:
        stmt = select(Project).where(Project.workspace_id == workspace_id)
        if not include_archived:
            stmt = stmt.where(Project.archived_at.is_(None))
        return await fetch_page(self.session, stmt, [Project.created_at, Project.id], page)

    async def job_counts(self, project_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        """How many jobs each project holds (an index seek on ix_jobs_project_created)."""
        if not project_ids:
            return {}
        rows = await self.session.execute(
            select(Job.project_id, func.count())
            .where(Job.project_id.in_(project_ids))
            .group_by(Job.project_id)
        )
        return {project_id: int(count) for project_id, count in rows.all()}


class InvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, invitation_id: uuid.UUID) -> Invitation | None:
        return await self.session.get(Invitation, invitation_id)

    async def for_address(self, workspace_id: uuid.UUID, email: str) -> Invitation | None:
        return await self.session.scalar(
            select(Invitation).where(
                Invitation.workspace_id == workspace_id, Invitation.email == email
            )
        )

    async def add(self, invitation: Invitation) -> Invitation:
        self.session.add(invitation)
        await self.session.flush()
        return invitation

    async def remove(self, invitation: Invitation) -> None:
        await self.session.delete(invitation)
        await self.session.flush()

    async def pending_in(self, workspace_id: uuid.UUID, now: datetime) -> list[Any]:
        """Rows of (Invitation, inviter User or None), oldest first."""
        stmt = (
            select(Invitation, User)
            .outerjoin(User, User.id == Invitation.invited_by)
            .where(Invitation.workspace_id == workspace_id, Invitation.expires_at > now)
            .order_by(Invitation.created_at, Invitation.id)
        )
        return list((await self.session.execute(stmt)).all())

    async def pending_for(self, email: str, now: datetime) -> list[Any]:
        """Rows of (Invitation, Workspace, inviter User or None) addressed to ``email``."""
        stmt = (
            select(Invitation, Workspace, User)
            .join(Workspace, Workspace.id == Invitation.workspace_id)
            .outerjoin(User, User.id == Invitation.invited_by)
            .where(Invitation.email == email, Invitation.expires_at > now)
            .order_by(Invitation.created_at, Invitation.id)
        )
        return list((await self.session.execute(stmt)).all())
