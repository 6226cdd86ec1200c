"""Every domain's router under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from qdeck.activity.endpoints import router as activity_router
from qdeck.api.event_consumers import router as events_router
from qdeck.api.live import router as live_router
from qdeck.assistant.endpoints import router as assistant_router
from qdeck.auth.endpoints import router as auth_router
from qdeck.backends.endpoints import router as backends_router
from qdeck.collab.chat_endpoints import router as chat_router
from qdeck.collab.document_endpoints import router as documents_router
from qdeck.gamification.endpoints import router as gamification_router
from qdeck.jobs.endpoints import router as jobs_router
from qdeck.notifications.channel_endpoints import router as notification_channels_router
from qdeck.notifications.endpoints import router as notifications_router
from qdeck.notifications.webhook_endpoints import router as webhooks_router
from qdeck.quantum_sessions.endpoints import router as sessions_router
from qdeck.quest.endpoints import router as quest_router
from qdeck.vault.endpoints import router as vault_router
from qdeck.workspaces.endpoints import router as workspaces_router

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth_router)
api_router.include_router(workspaces_router)
# Before any /notifications/{id} route, so /notifications/webhooks is not taken for an id.
api_router.include_router(webhooks_router)
api_router.include_router(notification_channels_router)
api_router.include_router(notifications_router)
api_router.include_router(vault_router)
api_router.include_router(jobs_router)
api_router.include_router(backends_router)
api_router.include_router(sessions_router)
api_router.include_router(activity_router)
api_router.include_router(quest_router)
api_router.include_router(live_router)
api_router.include_router(events_router)
api_router.include_router(assistant_router)
api_router.include_router(gamification_router)
api_router.include_router(chat_router)
api_router.include_router(documents_router)
