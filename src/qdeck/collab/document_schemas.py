"""What the shared documents API takes and returns."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from qdeck.api.names import Name
from qdeck.api.schemas import InputModel, OutputModel

MAX_DOCUMENT_CHARS = 200_000


class DocumentCreate(InputModel):
    title: Name = Field(min_length=1, max_length=200, examples=["GHZ study notes"])
    project_id: uuid.UUID | None = None
    # The starting Markdown (circuits in ```qasm blocks).
    text: str = Field("", max_length=MAX_DOCUMENT_CHARS)


class DocumentUpdate(InputModel):
    title: Name = Field(min_length=1, max_length=200)


class DocumentRead(OutputModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    project_id: uuid.UUID | None
    title: str
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    # The current Markdown (including edits not compacted yet).
    text: str


class VersionCreate(InputModel):
    name: Name = Field(min_length=1, max_length=120, examples=["before the review"])


class VersionRead(OutputModel):
    id: uuid.UUID
    document_id: uuid.UUID
    name: str
    text: str
    created_by: uuid.UUID | None
    created_at: datetime
