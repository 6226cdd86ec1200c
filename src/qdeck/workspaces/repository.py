"""Queries for workspaces, memberships and projects."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.db.keyset import PageRequest, fetch_page
from qdeck.workspaces.models import Membership, Project, Workspace
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
        self, workspace_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[Project], str | None]:
        stmt = select(Project).where(Project.workspace_id == workspace_id)
        return await fetch_page(self.session, stmt, [Project.created_at, Project.id], page)
