"""/api/v1/workspaces, their members and projects; /api/v1/projects."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from qdeck.api.deps import CurrentUser, PageDep, SessionDep
from qdeck.api.schemas import Page
from qdeck.workspaces.projects import ProjectService
from qdeck.workspaces.schemas import (
    MemberAdd,
    MemberRead,
    MemberUpdate,
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    WorkspaceCreate,
    WorkspaceRead,
    WorkspaceUpdate,
)
from qdeck.workspaces.service import WorkspaceService

router = APIRouter(tags=["workspaces"])


@router.get("/workspaces", response_model=Page[WorkspaceRead])
async def list_workspaces(
    user: CurrentUser, session: SessionDep, page: PageDep
) -> Page[WorkspaceRead]:
    items, cursor = await WorkspaceService(session).list_for(user, page)
    return Page(items=items, next_cursor=cursor)


@router.post("/workspaces", status_code=status.HTTP_201_CREATED, response_model=WorkspaceRead)
async def create_workspace(
    body: WorkspaceCreate, user: CurrentUser, session: SessionDep
) -> WorkspaceRead:
    return await WorkspaceService(session).create(user, body.name, body.description)


@router.get("/workspaces/{workspace_id}", response_model=WorkspaceRead)
async def get_workspace(
    workspace_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> WorkspaceRead:
    return await WorkspaceService(session).get(user, workspace_id)


@router.patch("/workspaces/{workspace_id}", response_model=WorkspaceRead)
async def update_workspace(
    workspace_id: uuid.UUID, body: WorkspaceUpdate, user: CurrentUser, session: SessionDep
) -> WorkspaceRead:
    return await WorkspaceService(session).update(
        user, workspace_id, name=body.name, description=body.description
    )


@router.delete("/workspaces/{workspace_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_workspace(workspace_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> None:
    await WorkspaceService(session).delete(user, workspace_id)


@router.get("/workspaces/{workspace_id}/members", response_model=Page[MemberRead])
async def list_members(
    workspace_id: uuid.UUID, user: CurrentUser, session: SessionDep, page: PageDep
) -> Page[MemberRead]:
    items, cursor = await WorkspaceService(session).list_members(user, workspace_id, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/workspaces/{workspace_id}/members",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberRead,
)
async def add_member(
    workspace_id: uuid.UUID, body: MemberAdd, user: CurrentUser, session: SessionDep
) -> MemberRead:
    """Invite an existing qdeck user by e-mail; they become a member at once."""
    return await WorkspaceService(session).add_member(
        user, workspace_id, str(body.email), body.role
    )


@router.patch("/workspaces/{workspace_id}/members/{user_id}", response_model=MemberRead)
async def change_member_role(
    workspace_id: uuid.UUID,
    user_id: uuid.UUID,
    body: MemberUpdate,
    user: CurrentUser,
    session: SessionDep,
) -> MemberRead:
    return await WorkspaceService(session).change_role(user, workspace_id, user_id, body.role)


@router.delete(
    "/workspaces/{workspace_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT
)
async def remove_member(
    workspace_id: uuid.UUID, user_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> None:
    await WorkspaceService(session).remove_member(user, workspace_id, user_id)


@router.post("/workspaces/{workspace_id}/leave", status_code=status.HTTP_204_NO_CONTENT)
async def leave_workspace(workspace_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> None:
    await WorkspaceService(session).leave(user, workspace_id)


@router.get("/workspaces/{workspace_id}/projects", response_model=Page[ProjectRead])
async def list_projects(
    workspace_id: uuid.UUID, user: CurrentUser, session: SessionDep, page: PageDep
) -> Page[ProjectRead]:
    items, cursor = await ProjectService(session).list(user, workspace_id, page)
    return Page(items=[ProjectRead.model_validate(p) for p in items], next_cursor=cursor)


@router.post(
    "/workspaces/{workspace_id}/projects",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectRead,
)
async def create_project(
    workspace_id: uuid.UUID, body: ProjectCreate, user: CurrentUser, session: SessionDep
) -> ProjectRead:
    project = await ProjectService(session).create(user, workspace_id, body.name, body.description)
    return ProjectRead.model_validate(project)


@router.get("/projects/{project_id}", response_model=ProjectRead)
async def get_project(project_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> ProjectRead:
    return ProjectRead.model_validate(await ProjectService(session).get(user, project_id))


@router.patch("/projects/{project_id}", response_model=ProjectRead)
async def update_project(
    project_id: uuid.UUID, body: ProjectUpdate, user: CurrentUser, session: SessionDep
) -> ProjectRead:
    project = await ProjectService(session).update(
        user, project_id, name=body.name, description=body.description
    )
    return ProjectRead.model_validate(project)


@router.delete("/projects/{project_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_project(project_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> None:
    await ProjectService(session).delete(user, project_id)
