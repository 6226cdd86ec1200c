"""/api/v1/events: the outbox consumers' lag and parked events, for instance admins.

An edge of the event platform, kept out of ``events/`` because it asks
``workspaces.access`` who is an instance admin and ``events/`` imports no domain. (The
live WebSocket is ``api/live.py``.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from qdeck.api.deps import CurrentUser, ServicesDep
from qdeck.events.schemas import ConsumerRead, ParkedEventRead
from qdeck.workspaces.access import require_instance_admin

router = APIRouter(tags=["events"])


@router.get("/events/consumers", response_model=list[ConsumerRead])
async def list_consumers(user: CurrentUser, services: ServicesDep) -> list[ConsumerRead]:
    """Each consumer's position, how many committed events it has not handled yet (lag)
    and how many it parked."""
    require_instance_admin(user, "see the event consumers")
    return await services.events.consumers()


@router.get("/events/parked", response_model=list[ParkedEventRead])
async def list_parked(
    user: CurrentUser,
    services: ServicesDep,
    consumer: Annotated[str | None, Query(max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ParkedEventRead]:
    """Events a consumer gave up on after its last attempt, with the last error."""
    require_instance_admin(user, "see parked events")
    return await services.events.parked(consumer, limit)


@router.post("/events/parked/{failure_id}/retry", status_code=status.HTTP_204_NO_CONTENT)
async def retry_parked(failure_id: int, user: CurrentUser, services: ServicesDep) -> None:
    """Run the consumer's handler on the parked event again, now. 409 ``retry_failed``
    (with the error) if it fails again; the event then stays parked."""
    require_instance_admin(user, "retry parked events")
    await services.events.retry(failure_id)
