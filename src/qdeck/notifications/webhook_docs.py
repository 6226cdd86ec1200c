"""The webhook payloads in the OpenAPI document (``webhooks``, OpenAPI 3.1): one entry
per event type a receiver can get, each with the versioned envelope it carries."""

# No "from __future__ import annotations": each documented receiver's body type is a
# variable of the function that builds it, which FastAPI must see as a real type.
from typing import Any

from fastapi import Body, FastAPI

from qdeck.notifications.catalog import EVENT_TYPES
from qdeck.notifications.webhook_schemas import DigestWebhook, NotificationWebhook, TestWebhook
from qdeck.notifications.webhooks import DIGEST_EVENT, TEST_EVENT

HEADERS = (
    "Signed per Standard Webhooks: `webhook-id` (the same on every retry, de-duplicate by "
    "it), `webhook-timestamp` (Unix seconds), `webhook-signature` (`v1,<base64 "
    "HMAC-SHA256>` over `id.timestamp.body` with the endpoint's `whsec_` secret; one "
    "per secret while a rotation overlaps). Answer 2xx within 15 s; anything else is "
    "retried (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h); `410 Gone` disables "
    "the endpoint."
)


def _receiver(model: Any, example: dict[str, Any]) -> Any:
    async def receive(payload: model = Body(openapi_examples={"event": {"value": example}})):  # type: ignore[valid-type]
        """What qdeck POSTs to an endpoint."""

    return receive


def _example(kind: str, title: str) -> dict[str, Any]:
    return {
        "type": kind,
        "timestamp": "2026-12-03T12:00:00Z",
        "version": 1,
        "data": {
            "notification": {
                "id": "0b7e3c2a-5f55-4c1e-9d7a-3d1f6e0b9a11",
                "kind": kind,
                "severity": "error" if "failed" in kind else "info",
                "title": title,
                "body": "Why it matters, in one sentence.",
                "link": "https://qdeck.example/jobs/1b2c",
                "workspace_id": "7f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f",
                "count": 1,
                "created_at": "2026-12-03T12:00:00Z",
                "data": {},
            }
        },
    }


def install_webhook_docs(app: FastAPI) -> None:
    for key, event in EVENT_TYPES.items():
        app.webhooks.add_api_route(
            key,
            _receiver(NotificationWebhook, _example(key, event.title)),
            methods=["POST"],
            summary=event.title,
            description=f"{event.description}\n\n{HEADERS}",
            operation_id=f"webhook_{key.replace('.', '_')}",
            tags=["webhook payloads"],
        )
    app.webhooks.add_api_route(
        DIGEST_EVENT,
        _receiver(DigestWebhook, {"type": DIGEST_EVENT, "version": 1}),
        methods=["POST"],
        summary="Digest",
        description="Notifications held back by a digest or quiet hours, in one message.\n\n"
        + HEADERS,
        operation_id="webhook_notification_digest",
        tags=["webhook payloads"],
    )
    app.webhooks.add_api_route(
        TEST_EVENT,
        _receiver(TestWebhook, {"type": TEST_EVENT, "version": 1}),
        methods=["POST"],
        summary="Test event",
        description="Sent by “Send test event” and `POST …/webhooks/{id}/test`.\n\n" + HEADERS,
        operation_id="webhook_test_event",
        tags=["webhook payloads"],
    )
