from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr, Field

from qdeck.api.names import Name
from qdeck.api.params import StrictSwitch
from qdeck.api.schemas import InputModel, OutputModel
from qdeck.workspaces.roles import Role


class WorkspaceCreate(InputModel):
    name: Name = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)


class WorkspaceUpdate(InputModel):
    name: Name | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)


class WorkspaceRead(OutputModel):
    id: uuid.UUID
    name: str
    slug: str
    description: str
    is_personal: bool
    created_at: datetime
    role: Role


class MemberAdd(InputModel):
    email: EmailStr
    role: Role = Role.MEMBER


class MemberUpdate(InputModel):
    role: Role


class MemberRead(OutputModel):
    user_id: uuid.UUID
    email: str
    display_name: str
    role: Role
    joined_at: datetime


class ProjectCreate(InputModel):
    name: Name = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)


class ProjectUpdate(InputModel):
    name: Name | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    # True archives the project (it leaves the pickers, its jobs stay); False restores it.
    archived: StrictSwitch | None = None


class ProjectRead(OutputModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    description: str
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None


class ProjectSummary(ProjectRead):
    job_count: int


class InvitationCreate(InputModel):
    email: EmailStr
    role: Role = Role.MEMBER


class InvitationRead(OutputModel):
    """A pending invitation, as its workspace's admins and its invitee see it."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    workspace_name: str
    email: str
    role: Role
    invited_by_name: str | None
    created_at: datetime
    expires_at: datetime
