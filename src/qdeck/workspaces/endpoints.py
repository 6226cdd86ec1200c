"""/api/v1/workspaces, their members, invitations and projects; /api/v1/projects;
/api/v1/me/invitations and /api/v1/invitations/{id}/accept|decline for the invitee."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, status

from qdeck.api.deps import CurrentUser, PageDep, ServicesDep
from qdeck.api.schemas import Page
from qdeck.workspaces.schemas import (
    InvitationCreate,
    InvitationRead,
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

router = APIRouter(tags=["workspaces"])


@router.get("/workspaces", response_model=Page[WorkspaceRead])
async def list_workspaces(
    user: CurrentUser, services: ServicesDep, page: PageDep
) -> Page[WorkspaceRead]:
    items, cursor = await services.workspaces.list_for(user, page)
    return Page(items=items, next_cursor=cursor)


@router.post("/workspaces", status_code=status.HTTP_201_CREATED, response_model=WorkspaceRead)
async def create_workspace(
    body: WorkspaceCreate, user: CurrentUser, services: ServicesDep
) -> WorkspaceRead:
    return await services.workspaces.create(user, body.name, body.description)


@router.get("/workspaces/{workspace_id}", response_model=WorkspaceRead)
async def get_workspace(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> WorkspaceRead:
    return await services.workspaces.get(user, workspace_id)


@router.patch("/workspaces/{workspace_id}", response_model=WorkspaceRead)
async def update_workspace(
    workspace_id: uuid.UUID, body: WorkspaceUpdate, user: CurrentUser, services: ServicesDep
) -> WorkspaceRead:
    return await services.workspaces.update(
        user, workspace_id, name=body.name, description=body.description
    )


@router.delete("/workspaces/{workspace_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_workspace(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> None:
    await services.workspaces.delete(user, workspace_id)


@router.get("/workspaces/{workspace_id}/members", response_model=Page[MemberRead])
async def list_members(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep, page: PageDep
) -> Page[MemberRead]:
    items, cursor = await services.workspaces.list_members(user, workspace_id, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/workspaces/{workspace_id}/members",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberRead,
)
async def add_member(
    workspace_id: uuid.UUID, body: MemberAdd, user: CurrentUser, services: ServicesDep
) -> MemberRead:
    """Add an existing qdeck account at once, without asking them (for scripts).

    To ask someone first, including people without an account yet, send an invitation:
    ``POST /workspaces/{id}/invitations``.
    """
    return await services.workspaces.add_member(user, workspace_id, str(body.email), body.role)


@router.patch("/workspaces/{workspace_id}/members/{user_id}", response_model=MemberRead)
async def change_member_role(
    workspace_id: uuid.UUID,
    user_id: uuid.UUID,
    body: MemberUpdate,
    user: CurrentUser,
    services: ServicesDep,
) -> MemberRead:
    return await services.workspaces.change_role(user, workspace_id, user_id, body.role)


@router.delete(
    "/workspaces/{workspace_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT
)
async def remove_member(
    workspace_id: uuid.UUID, user_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> None:
    await services.workspaces.remove_member(user, workspace_id, user_id)


@router.post("/workspaces/{workspace_id}/leave", status_code=status.HTTP_204_NO_CONTENT)
async def leave_workspace(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> None:
    await services.workspaces.leave(user, workspace_id)


@router.get("/workspaces/{workspace_id}/projects", response_model=Page[ProjectRead])
async def list_projects(
    workspace_id: uuid.UUID,
    user: CurrentUser,
    services: ServicesDep,
    page: PageDep,
    include_archived: bool = Query(False, description="List archived projects too."),
) -> Page[ProjectRead]:
    items, cursor = await services.projects.list(
        user, workspace_id, page, include_archived=include_archived
    )
    return Page(items=[ProjectRead.model_validate(p) for p in items], next_cursor=cursor)


@router.post(
    "/workspaces/{workspace_id}/projects",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectRead,
)
async def create_project(
    workspace_id: uuid.UUID, body: ProjectCreate, user: CurrentUser, services: ServicesDep
) -> ProjectRead:
    project = await services.projects.create(user, workspace_id, body.name, body.description)
    return ProjectRead.model_validate(project)


@router.get("/projects/{project_id}", response_model=ProjectRead)
async def get_project(
    project_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> ProjectRead:
    return ProjectRead.model_validate(await services.projects.get(user, project_id))


@router.patch("/projects/{project_id}", response_model=ProjectRead)
async def update_project(
    project_id: uuid.UUID, body: ProjectUpdate, user: CurrentUser, services: ServicesDep
) -> ProjectRead:
    project = await services.projects.update(
        user, project_id, name=body.name, description=body.description, archived=body.archived
    )
    return ProjectRead.model_validate(project)


@router.delete("/projects/{project_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_project(project_id: uuid.UUID, user: CurrentUser, services: ServicesDep) -> None:
    await services.projects.delete(user, project_id)


@router.post(
    "/workspaces/{workspace_id}/invitations",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationRead,
)
async def invite(
    workspace_id: uuid.UUID, body: InvitationCreate, user: CurrentUser, services: ServicesDep
) -> InvitationRead:
    """Invite an e-mail address, with or without a qdeck account; it stays pending until
    the person accepts or declines (or 14 days pass)."""
    return await services.invitations.invite(user, workspace_id, str(body.email), body.role)


@router.get("/workspaces/{workspace_id}/invitations", response_model=list[InvitationRead])
async def list_invitations(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> list[InvitationRead]:
    """Pending invitations (owners and admins)."""
    return await services.invitations.pending(user, workspace_id)


@router.delete(
    "/workspaces/{workspace_id}/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def revoke_invitation(
    workspace_id: uuid.UUID, invitation_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> None:
    await services.invitations.revoke(user, workspace_id, invitation_id)


@router.get("/me/invitations", response_model=list[InvitationRead])
async def my_invitations(user: CurrentUser, services: ServicesDep) -> list[InvitationRead]:
    """Invitations waiting for your e-mail address."""
    return await services.invitations.mine(user)


@router.post("/invitations/{invitation_id}/accept", response_model=WorkspaceRead)
async def accept_invitation(
    invitation_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> WorkspaceRead:
    """Join the workspace with the role you were invited as."""
    return await services.invitations.accept(user, invitation_id)


@router.post("/invitations/{invitation_id}/decline", status_code=status.HTTP_204_NO_CONTENT)
async def decline_invitation(
    invitation_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> None:
    await services.invitations.decline(user, invitation_id)
