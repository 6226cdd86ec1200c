"""Projects inside a workspace."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.service import record_activity
from qdeck.auth.models import User
from qdeck.db.keyset import MAX_PAGE_SIZE, PageRequest
from qdeck.db.types import utcnow
from qdeck.errors import Conflict, InvalidInput, NotFound
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.changes import Part, workspace_changed
from qdeck.workspaces.models import Project
from qdeck.workspaces.repository import ProjectRepository
from qdeck.workspaces.schemas import ProjectRead, ProjectSummary


def _clean(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(
            "Give the project a name.",
            code="project_name_required",
            errors=[{"field": "name", "message": "must not be blank"}],
        )
    return name


class ProjectService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.projects = ProjectRepository(session)

    async def list(
        self,
        actor: User,
        workspace_id: uuid.UUID,
        page: PageRequest,
        *,
        include_archived: bool = False,
    ) -> tuple[list[Project], str | None]:
        """Active projects (what pickers offer); archived ones too when asked."""
        await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        return await self.projects.list_page(workspace_id, page, include_archived=include_archived)

    async def summaries(self, actor: User, workspace_id: uuid.UUID) -> list[ProjectSummary]:
        """Every project, archived ones included, with how many jobs each holds."""
        projects, _ = await self.list(
            actor, workspace_id, PageRequest(limit=MAX_PAGE_SIZE), include_archived=True
        )
        counts = await self.projects.job_counts([p.id for p in projects])
        return [
            ProjectSummary.model_validate(
                {**ProjectRead.model_validate(p).model_dump(), "job_count": counts.get(p.id, 0)}
            )
            for p in projects
        ]

    async def create(
        self, actor: User, workspace_id: uuid.UUID, name: str, description: str
    ) -> Project:
        await authorize(self.session, actor.id, workspace_id, Action.CREATE_PROJECT)
        name = _clean(name)
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
        workspace_changed(self.session, workspace_id, Part.PROJECTS, actor_id=actor.id)
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
        self,
        actor: User,
        project_id: uuid.UUID,
        *,
        name: str | None,
        description: str | None,
        archived: bool | None = None,
    ) -> Project:
        project = await self.get(actor, project_id, Action.UPDATE_PROJECT)
        if name is not None and _clean(name) != project.name:
            name = _clean(name)
            await self._name_free(project.workspace_id, name, except_id=project.id)
            project.name = name
        if description is not None:
            project.description = description
        if archived is not None and archived != (project.archived_at is not None):
            project.archived_at = utcnow() if archived else None
        await self.session.flush()
        workspace_changed(self.session, project.workspace_id, Part.PROJECTS, actor_id=actor.id)
        return project

    async def delete(self, actor: User, project_id: uuid.UUID) -> None:
        project = await self.get(actor, project_id, Action.DELETE_PROJECT)
        await self.projects.delete(project)
        workspace_changed(self.session, project.workspace_id, Part.PROJECTS, actor_id=actor.id)

    async def _name_free(
        self, workspace_id: uuid.UUID, name: str, *, except_id: uuid.UUID | None = None
    ) -> None:
        if await self.projects.name_taken(workspace_id, name, except_id=except_id):
            raise Conflict(
                f"This workspace already has a project named {name!r}.",
                code="project_name_taken",
                errors=[{"field": "name", "message": "already used in this workspace"}],
            )
