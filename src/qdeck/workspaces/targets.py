"""Where a new job or session goes: the project's workspace, the named one, or the
caller's personal workspace."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.errors import InvalidInput
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.models import Project
from qdeck.workspaces.repository import WorkspaceRepository


async def target_workspace(
    session: AsyncSession,
    user_id: uuid.UUID,
    workspace_id: uuid.UUID | None,
    project_id: uuid.UUID | None,
    *,
    what: str,
) -> uuid.UUID:
    """The workspace a new ``what`` belongs in; a project must be one the caller can see
    and, when both are given, must belong to that workspace."""
    if project_id is not None:
        project = await session.get(Project, project_id)
        if project is None:
            raise InvalidInput(
                "No such project.",
                code="project_not_found",
                errors=[{"field": "project_id", "message": "not found"}],
            )
        await authorize(session, user_id, project.workspace_id, Action.VIEW, resource="project")
        if project.archived_at is not None:
            raise InvalidInput(
                f"The project {project.name!r} is archived; restore it to add work to it.",
                code="project_archived",
                errors=[{"field": "project_id", "message": "archived"}],
            )
        if workspace_id is not None and workspace_id != project.workspace_id:
            raise InvalidInput(
                "The project belongs to another workspace.",
                code="project_workspace_mismatch",
                errors=[{"field": "project_id", "message": "not in workspace_id"}],
            )
        return project.workspace_id
    if workspace_id is not None:
        return workspace_id
    personal = await WorkspaceRepository(session).personal_of(user_id)
    if personal is None:
        raise InvalidInput(f"Choose a workspace for the {what}.", code="workspace_required")
    return personal
