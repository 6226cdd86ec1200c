"""Projects inside a workspace."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.service import record_activity
from qdeck.auth.models import User
from qdeck.db.keyset import PageRequest
from qdeck.errors import Conflict, NotFound
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.models import Project
from qdeck.workspaces.repository import ProjectRepository


class ProjectService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.projects = ProjectRepository(session)

    async def list(
        self, actor: User, workspace_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[Project], str | None]:
        await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        return await self.projects.list_page(workspace_id, page)

    async def create(
        self, actor: User, workspace_id: uuid.UUID, name: str, description: str
    ) -> Project:
        await authorize(self.session, actor.id, workspace_id, Action.CREATE_PROJECT)
        await self._name_free(workspace_id, name)
        project = await self.projects.add(
            Project(
                workspace_id=workspace_id, name=name, description=description, created_by=actor.id
            )
        )
        await record_activity(
            self.session,
            workspace_id,
            "project.created",
            actor_id=actor.id,
            subject_type="project",
            subject_id=project.id,
            summary=f"{actor.display_name} created project {name}",
        )
        return project

    async def get(
        self, actor: User, project_id: uuid.UUID, action: Action = Action.VIEW
    ) -> Project:
        project = await self.projects.get(project_id)
        if project is None:
            raise NotFound("Project not found.", code="project_not_found")
        await authorize(self.session, actor.id, project.workspace_id, action, resource="project")
        return project

    async def update(
        self, actor: User, project_id: uuid.UUID, *, name: str | None, description: str | None
    ) -> Project:
        project = await self.get(actor, project_id, Action.UPDATE_PROJECT)
        if name is not None and name != project.name:
            await self._name_free(project.workspace_id, name, except_id=project.id)
            project.name = name
        if description is not None:
            project.description = description
        await self.session.flush()
        return project

    async def delete(self, actor: User, project_id: uuid.UUID) -> None:
        project = await self.get(actor, project_id, Action.DELETE_PROJECT)
        await self.projects.delete(project)

    async def _name_free(
        self, workspace_id: uuid.UUID, name: str, *, except_id: uuid.UUID | None = None
    ) -> None:
        if await self.projects.name_taken(workspace_id, name, except_id=except_id):
            raise Conflict(
                f"This workspace already has a project named {name!r}.", code="project_name_taken"
            )
