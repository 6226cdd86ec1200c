"""Base schemas: inputs reject unknown fields, outputs read from ORM objects."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """One page of a keyset-paginated list; pass ``next_cursor`` back as ``cursor``."""

    items: list[T]
    next_cursor: str | None
