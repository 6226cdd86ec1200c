"""Base schemas: inputs reject unknown fields, outputs read from ORM objects."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator

from qdeck.api.names import check_text

T = TypeVar("T")


class InputModel(BaseModel):
    """What a client sends. Unknown fields are refused, strings are trimmed and checked
    for control characters (``api/names.py``), and numeric fields use the strict types of
    ``api/params.py`` so ``"10"`` or ``true`` is not a number (tests/security checks that
    every input model does)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        return check_text(value)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """One page of a keyset-paginated list; pass ``next_cursor`` back as ``cursor``."""

    items: list[T]
    next_cursor: str | None
