"""One way to get the services of a unit of work, for every edge.

A request (``api.deps.ServicesDep``), a page event (``Qdeck.reading()`` /
``Qdeck.writing()``), a CLI command and a worker step all open a unit of work and ask it
for services: ``services.jobs.submit(...)``. Services share the unit of work's session
(they flush, the unit of work commits and writes the events they emitted to the outbox),
the settings, and the registry of what the domains plugged into the event platform.
Nothing at an edge builds a service itself, so adding a dependency to one is a change
here, not in every endpoint, page and command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.service import ActivityService
from qdeck.analytics.service import AnalyticsService
from qdeck.assistant.service import AssistantService
from qdeck.auth.service import AuthService
from qdeck.auth.session_service import SessionService
from qdeck.backends.service import BackendService
from qdeck.collab.chat_channels import ChannelService
from qdeck.collab.chat_service import ChatService
from qdeck.collab.documents import DocumentService
from qdeck.config import Settings
from qdeck.events.admin import EventAdminService
from qdeck.events.registry import Registry
from qdeck.gamification.service import GamificationService
from qdeck.jobs.service import JobService
from qdeck.notifications.service import NotificationService
from qdeck.notifications.webhook_service import WebhookService
from qdeck.quantum_sessions.service import QuantumSessionService
from qdeck.quest.service import QuestService
from qdeck.vault.service import VaultService
from qdeck.workspaces.invitations import InvitationService
from qdeck.workspaces.projects import ProjectService
from qdeck.workspaces.service import WorkspaceService


@dataclass
class Services:
    session: AsyncSession
    settings: Settings
    registry: Registry = field(default_factory=Registry)

    @cached_property
    def auth(self) -> AuthService:
        return AuthService(self.session, self.settings)

    @cached_property
    def browser_sessions(self) -> SessionService:
        return SessionService(self.session, self.settings)

    @cached_property
    def workspaces(self) -> WorkspaceService:
        return WorkspaceService(self.session)

    @cached_property
    def invitations(self) -> InvitationService:
        return InvitationService(self.session)

    @cached_property
    def projects(self) -> ProjectService:
        return ProjectService(self.session)

    @cached_property
    def jobs(self) -> JobService:
        return JobService(self.session, self.settings)

    @cached_property
    def quantum_sessions(self) -> QuantumSessionService:
        return QuantumSessionService(self.session, self.settings)

    @cached_property
    def backends(self) -> BackendService:
        return BackendService(self.session, self.settings)

    @cached_property
    def channels(self) -> ChannelService:
        return ChannelService(self.session)

    @cached_property
    def chat(self) -> ChatService:
        return ChatService(self.session, self.settings)

    @cached_property
    def documents(self) -> DocumentService:
        return DocumentService(self.session)

    @cached_property
    def analytics(self) -> AnalyticsService:
        return AnalyticsService(self.session)

    @cached_property
    def activity(self) -> ActivityService:
        return ActivityService(self.session)

    @cached_property
    def vault(self) -> VaultService:
        return VaultService(self.session, self.settings)

    @cached_property
    def quest(self) -> QuestService:
        return QuestService(self.session, self.settings, self.jobs)

    @cached_property
    def events(self) -> EventAdminService:
        return EventAdminService(self.session, self.settings, self.registry)

    @cached_property
    def webhooks(self) -> WebhookService:
        return WebhookService(self.session, self.settings)

    @cached_property
    def notifications(self) -> NotificationService:
        return NotificationService(self.session, self.settings)

    @cached_property
    def assistant(self) -> AssistantService:
        return AssistantService(self.session, self.settings)

    @cached_property
    def gamification(self) -> GamificationService:
        return GamificationService(self.session, self.settings)
