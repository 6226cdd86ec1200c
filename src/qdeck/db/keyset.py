"""Keyset (cursor) pagination: pages are found by index seeks, never OFFSET scans."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from qdeck.errors import InvalidInput

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class PageRequest:
    cursor: str | None = None
    limit: int = 50


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else str(v) for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, columns: Sequence[ColumnElement[Any]]) -> list[Any]:
    bad = InvalidInput(
        "The cursor is not one this list handed out; start again without a cursor.",
        code="invalid_cursor",
        errors=[{"field": "cursor", "message": "unrecognised cursor"}],
    )
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(raw, list) or len(raw) != len(columns):
        raise bad
    values: list[Any] = []
    for text, column in zip(raw, columns, strict=True):
        kind = column.type.python_type
        try:
            if kind is datetime:
                values.append(datetime.fromisoformat(text))
            elif kind is uuid.UUID:
                values.append(uuid.UUID(text))
            else:
                values.append(kind(text))
        except (TypeError, ValueError):
            raise bad from None
    return values


def after_cursor(
    order: Sequence[ColumnElement[Any]], cursor: str, *, descending: bool = True
) -> ColumnElement[bool]:
    """The rows that come after ``cursor`` in ``order`` (for queries that page themselves)."""
    after = tuple_(*order)
    bound = tuple_(*_decode_cursor(cursor, order))
    return after < bound if descending else after > bound


async def fetch_page(
    session: AsyncSession,
    stmt: Select[Any],
    order: Sequence[ColumnElement[Any]],
    page: PageRequest,
    *,
    descending: bool = True,
) -> tuple[list[Any], str | None]:
    """Run ``stmt`` ordered by ``order`` (which must end in a unique column) for one page.

    Returns the rows (scalars when the statement selects one entity) and the cursor of the
    next page, or None on the last page.
    """
    if page.cursor:
        stmt = stmt.where(after_cursor(order, page.cursor, descending=descending))
    stmt = stmt.order_by(*[c.desc() if descending else c.asc() for c in order])
    limit = max(1, min(page.limit, MAX_PAGE_SIZE))
    result = await session.execute(stmt.limit(limit + 1))
    single = len(stmt.column_descriptions) == 1
    rows = list(result.scalars().all()) if single else list(result.all())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    values = [_value_of(last, column) for column in order]
    return rows, encode_cursor(values)


def _value_of(row: Any, column: Any) -> Any:
    """The value of an order column in a result row: an entity, or a row of several."""
    owner = getattr(column, "class_", None)
    if owner is not None and not isinstance(row, owner):
        row = next(part for part in row if isinstance(part, owner))
    return getattr(row, column.key)
