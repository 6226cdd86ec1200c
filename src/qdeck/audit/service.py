"""Writes the audit log. Called by services inside their unit of work."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.audit.models import AuditEntry


async def record_audit(
    session: AsyncSession,
    action: str,
    *,
    actor_id: uuid.UUID | None,
    workspace_id: uuid.UUID | None = None,
    target_type: str | None = None,
    target_id: object | None = None,
    ip: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            action=action,
            actor_id=actor_id,
            workspace_id=workspace_id,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            ip_address=ip,
            data=data or {},
        )
    )
