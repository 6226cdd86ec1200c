"""Form actions whose domain errors appear under the field they concern."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, TypeVar

from nicegui import ui

from qdeck.errors import QdeckError

T = TypeVar("T")


async def submit_form(
    action: Awaitable[T],
    fields: Mapping[str, Any],
    *,
    fallback: str | None = None,
    success: str = "",
) -> T | None:
    """Run ``action``; a ``QdeckError`` is shown under the field its ``errors`` name
    (or under ``fallback``), with the API's own message. Nothing else changes."""
    for field in fields.values():
        field.error = None
    try:
        result = await action
    except QdeckError as exc:
        named = [e.get("field") for e in exc.errors or [] if isinstance(e, dict)]
        target = next((fields[n] for n in named if n in fields), None)
        target = target or (fields.get(fallback) if fallback else None)
        if target is None:
            ui.notify(exc.detail, type="negative", multi_line=True)
        else:
            target.error = exc.detail
        return None
    if success:
        ui.notify(success, type="positive")
    return result
