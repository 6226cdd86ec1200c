"""Imports every domain's models so that ``Base.metadata`` knows the whole schema.

Alembic and the migration tests import this module; application code imports the
models it needs directly.
"""

from qdeck.activity.models import ActivityEntry
from qdeck.audit.models import AuditEntry
from qdeck.auth.models import ApiToken, AuthSession, LoginAttempt, User
from qdeck.collab.models import (
    ChatChannel,
    ChatChannelMember,
    ChatMessage,
    ChatReaction,
    ChatRead,
    ChatSettings,
    SharedDocument,
    SharedDocumentUpdate,
    SharedDocumentVersion,
)
from qdeck.db.base import Base
from qdeck.events.models import EventConsumer, EventFailure, OutboxEvent
from qdeck.gamification.models import (
    AchievementAward,
    ActivityDay,
    ChallengeEntry,
    Counter,
    GamificationChallenge,
    GamificationProfile,
    JobCircuit,
    LeagueEntry,
    LeagueWeek,
    Mark,
    WorkspaceGamification,
    XpEntry,
    XpRollup,
)
from qdeck.jobs.models import Job, JobEvent, JobTag
from qdeck.notifications.delivery_models import Delivery, DeliveryAttempt, WebhookEndpoint
from qdeck.notifications.models import (
    Notification,
    NotificationBackendState,
    NotificationGroup,
    NotificationPreference,
    NotificationSettings,
    NotificationSweep,
    NotificationWorkspacePreference,
    NotificationWorkspaceSettings,
)
from qdeck.quantum_sessions.models import QuantumSession
from qdeck.quest.models import Challenge, ChallengeAttempt, LessonCompletion, LevelProgress
from qdeck.vault.models import UserSecret
from qdeck.workspaces.models import Invitation, Membership, Project, Workspace

__all__ = [
    "AchievementAward",
    "ActivityDay",
    "ActivityEntry",
    "ApiToken",
    "AuditEntry",
    "AuthSession",
    "Base",
    "Challenge",
    "ChallengeAttempt",
    "ChallengeEntry",
    "ChatChannel",
    "ChatChannelMember",
    "ChatMessage",
    "ChatReaction",
    "ChatRead",
    "ChatSettings",
    "Counter",
    "Delivery",
    "DeliveryAttempt",
    "EventConsumer",
    "EventFailure",
    "GamificationChallenge",
    "GamificationProfile",
    "Invitation",
    "Job",
    "JobCircuit",
    "JobEvent",
    "JobTag",
    "LeagueEntry",
    "LeagueWeek",
    "LessonCompletion",
    "LevelProgress",
    "LoginAttempt",
    "Mark",
    "Membership",
    "Notification",
    "NotificationBackendState",
    "NotificationGroup",
    "NotificationPreference",
    "NotificationSettings",
    "NotificationSweep",
    "NotificationWorkspacePreference",
    "NotificationWorkspaceSettings",
    "OutboxEvent",
    "Project",
    "QuantumSession",
    "SharedDocument",
    "SharedDocumentUpdate",
    "SharedDocumentVersion",
    "User",
    "UserSecret",
    "WebhookEndpoint",
    "Workspace",
    "WorkspaceGamification",
    "XpEntry",
    "XpRollup",
]
