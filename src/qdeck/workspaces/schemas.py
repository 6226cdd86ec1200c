from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr, Field

from qdeck.api.schemas import InputModel, OutputModel
from qdeck.workspaces.roles import Role


class WorkspaceCreate(InputModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)


class WorkspaceUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
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
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)


class ProjectUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)


class ProjectRead(OutputModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    description: str
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
