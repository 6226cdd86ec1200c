"""/api/v1/workspaces/{id}/activity: what happened in a workspace, newest first."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from qdeck.activity.schemas import ActivityRead
from qdeck.api.deps import CurrentUser, PageDep, ServicesDep
from qdeck.api.schemas import Page

router = APIRouter(tags=["activity"])


@router.get("/workspaces/{workspace_id}/activity", response_model=Page[ActivityRead])
async def workspace_activity(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep, page: PageDep
) -> Page[ActivityRead]:
    """Jobs submitted, completed, failed and cancelled; sessions opened and closed; members
    joining and leaving; projects created. Live over the WebSocket topic
    ``activity:<workspace id>``."""
    entries, cursor = await services.activity.list(user, workspace_id, page)
    return Page(items=[ActivityRead.model_validate(e) for e in entries], next_cursor=cursor)
