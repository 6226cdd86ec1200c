"""/api/v1/notifications/webhooks (your own endpoints) and
/api/v1/workspaces/{workspace_id}/webhooks (a workspace's, for its admins).

Both offer the same operations through ``WebhookService``: list, create (the secret is
in this answer only), read, change, rotate the secret, delete, send a test event, the
delivery log with each attempt, and redeliver.
"""

# No "from __future__ import annotations": the routes are built in a function and
# FastAPI must see its local Scope alias as a real type, not a string.
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from qdeck.api.deps import CurrentUser, ServicesDep
from qdeck.notifications.webhook_schemas import (
    AttemptRead,
    DeliveryDetail,
    DeliveryRead,
    EndpointCreate,
    EndpointRead,
    EndpointRotate,
    EndpointTest,
    EndpointUpdate,
    EndpointWithSecret,
)

router = APIRouter(tags=["webhooks"])


def _own() -> None:
    return None


def _workspace(workspace_id: uuid.UUID) -> uuid.UUID:
    return workspace_id


def _with_secret(endpoint: object, secret: str) -> EndpointWithSecret:
    read = EndpointRead.model_validate(endpoint)
    return EndpointWithSecret(**read.model_dump(), secret=secret)


def _detail(delivery: object, attempts: list) -> DeliveryDetail:
    read = DeliveryRead.model_validate(delivery)
    return DeliveryDetail(
        **read.model_dump(),
        payload=delivery.payload,  # type: ignore[attr-defined]
        attempt_log=[AttemptRead.model_validate(a) for a in attempts],
    )


def _routes(base: str, scope: object, whose: str) -> None:
    Scope = Annotated[uuid.UUID | None, Depends(scope)]

    @router.get(base, response_model=list[EndpointRead], summary=f"List {whose} webhook endpoints")
    async def list_endpoints(
        user: CurrentUser, services: ServicesDep, workspace_id: Scope
    ) -> list[EndpointRead]:
        found = await services.webhooks.list(user, workspace_id)
        return [EndpointRead.model_validate(e) for e in found]

    @router.post(
        base,
        response_model=EndpointWithSecret,
        status_code=status.HTTP_201_CREATED,
        summary=f"Create {whose} webhook endpoint",
    )
    async def create_endpoint(
        body: EndpointCreate, user: CurrentUser, services: ServicesDep, workspace_id: Scope
    ) -> EndpointWithSecret:
        """The answer holds the signing secret (``whsec_...``); it is never shown again."""
        endpoint, secret = await services.webhooks.create(user, body, workspace_id)
        return _with_secret(endpoint, secret)

    @router.get(f"{base}/{{endpoint_id}}", response_model=EndpointRead)
    async def get_endpoint(
        endpoint_id: uuid.UUID, user: CurrentUser, services: ServicesDep, workspace_id: Scope
    ) -> EndpointRead:
        endpoint = await services.webhooks.get(user, endpoint_id, workspace_id)
        return EndpointRead.model_validate(endpoint)

    @router.patch(f"{base}/{{endpoint_id}}", response_model=EndpointRead)
    async def update_endpoint(
        endpoint_id: uuid.UUID,
        body: EndpointUpdate,
        user: CurrentUser,
        services: ServicesDep,
        workspace_id: Scope,
    ) -> EndpointRead:
        """Change the URL, description or event types; ``enabled`` disables or enables."""
        endpoint = await services.webhooks.update(user, endpoint_id, body, workspace_id)
        return EndpointRead.model_validate(endpoint)

    @router.delete(f"{base}/{{endpoint_id}}", status_code=status.HTTP_204_NO_CONTENT)
    async def delete_endpoint(
        endpoint_id: uuid.UUID, user: CurrentUser, services: ServicesDep, workspace_id: Scope
    ) -> None:
        await services.webhooks.delete(user, endpoint_id, workspace_id)

    @router.post(f"{base}/{{endpoint_id}}/rotate", response_model=EndpointWithSecret)
    async def rotate_secret(
        endpoint_id: uuid.UUID,
        user: CurrentUser,
        services: ServicesDep,
        workspace_id: Scope,
        body: EndpointRotate | None = None,
    ) -> EndpointWithSecret:
        """A new secret (in this answer only); the old one keeps signing beside it for
        ``overlap_hours`` (default ``QDECK_WEBHOOK_ROTATION_OVERLAP_HOURS``)."""
        hours = body.overlap_hours if body else None
        endpoint, secret = await services.webhooks.rotate(user, endpoint_id, hours, workspace_id)
        return _with_secret(endpoint, secret)

    @router.post(
        f"{base}/{{endpoint_id}}/test",
        response_model=DeliveryRead,
        status_code=status.HTTP_202_ACCEPTED,
    )
    async def send_test_event(
        endpoint_id: uuid.UUID,
        user: CurrentUser,
        services: ServicesDep,
        workspace_id: Scope,
        body: EndpointTest | None = None,
    ) -> DeliveryRead:
        """Queue a ``webhook.test`` event; follow it in the delivery log."""
        data = body.data if body else None
        delivery = await services.webhooks.send_test(user, endpoint_id, data, workspace_id)
        return DeliveryRead.model_validate(delivery)

    @router.get(f"{base}/{{endpoint_id}}/deliveries", response_model=list[DeliveryRead])
    async def list_deliveries(
        endpoint_id: uuid.UUID, user: CurrentUser, services: ServicesDep, workspace_id: Scope
    ) -> list[DeliveryRead]:
        """The newest 100 deliveries, with the last attempt's status, latency and answer."""
        found = await services.webhooks.deliveries(user, endpoint_id, workspace_id)
        return [DeliveryRead.model_validate(d) for d in found]

    @router.get(f"{base}/{{endpoint_id}}/deliveries/{{delivery_id}}", response_model=DeliveryDetail)
    async def get_delivery(
        endpoint_id: uuid.UUID,
        delivery_id: uuid.UUID,
        user: CurrentUser,
        services: ServicesDep,
        workspace_id: Scope,
    ) -> DeliveryDetail:
        found, attempts = await services.webhooks.delivery(
            user, endpoint_id, delivery_id, workspace_id
        )
        return _detail(found, attempts)

    @router.post(
        f"{base}/{{endpoint_id}}/deliveries/{{delivery_id}}/redeliver",
        response_model=DeliveryRead,
        status_code=status.HTTP_202_ACCEPTED,
    )
    async def redeliver(
        endpoint_id: uuid.UUID,
        delivery_id: uuid.UUID,
        user: CurrentUser,
        services: ServicesDep,
        workspace_id: Scope,
    ) -> DeliveryRead:
        """Send the same message again (same ``webhook-id``) with fresh retries."""
        found = await services.webhooks.redeliver(user, endpoint_id, delivery_id, workspace_id)
        return DeliveryRead.model_validate(found)


_routes("/notifications/webhooks", _own, "your")
_routes("/workspaces/{workspace_id}/webhooks", _workspace, "a workspace's")
