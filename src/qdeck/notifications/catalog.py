"""Every event type that can notify someone, with its defaults.

The contract the other halves build on (the channels' router and senders, the
preferences page, the API's validation): ``EVENT_TYPES`` and ``CHANNELS``. Severity
drives the channel defaults: info stays in the app, a warning also goes by e-mail, an
error also to webhooks; a few types differ where that rule would be wrong (an
invitation is info but worth an e-mail).
"""

from __future__ import annotations

from dataclasses import dataclass

from qdeck.notifications.models import Severity

IN_APP = "in_app"
EMAIL = "email"
WEBHOOK = "webhook"
CHANNELS: tuple[str, ...] = (IN_APP, EMAIL, WEBHOOK)
# Channels a notification can travel on besides the in-app row itself.
ROUTED_CHANNELS: tuple[str, ...] = (EMAIL, WEBHOOK)

_BY_SEVERITY: dict[Severity, frozenset[str]] = {
    Severity.INFO: frozenset({IN_APP}),
    Severity.WARNING: frozenset({IN_APP, EMAIL}),
    Severity.ERROR: frozenset({IN_APP, EMAIL, WEBHOOK}),
}


@dataclass(frozen=True)
class EventType:
    key: str
    title: str
    description: str
    default_severity: Severity
    default_channels: frozenset[str]
    # Urgent events ignore quiet hours and digests: they go out at once.
    urgent: bool = False
    # May be sent to a workspace's webhooks (not only to the person's own channels).
    workspace_visible: bool = False
    # Which part of the preferences page lists it.
    group: str = "Jobs"


def defaults_for(severity: Severity) -> frozenset[str]:
    return _BY_SEVERITY[severity]


def _type(
    key: str,
    title: str,
    description: str,
    severity: Severity,
    *,
    channels: frozenset[str] | None = None,
    urgent: bool = False,
    workspace_visible: bool = False,
    group: str = "Jobs",
) -> EventType:
    return EventType(
        key=key,
        title=title,
        description=description,
        default_severity=severity,
        default_channels=channels if channels is not None else defaults_for(severity),
        urgent=urgent,
        workspace_visible=workspace_visible,
        group=group,
    )


_I, _W, _E = Severity.INFO, Severity.WARNING, Severity.ERROR
_APP_MAIL = frozenset({IN_APP, EMAIL})

_TYPES = (
    _type("job.completed", "Job completed", "A job you submitted finished.", _I,
          workspace_visible=True),
    _type("job.failed", "Job failed", "A job you submitted failed, with the reason.", _E,
          workspace_visible=True),
    _type("job.cancelled", "Job cancelled", "A job you submitted was cancelled.", _I,
          workspace_visible=True),
    _type("jobs.finished", "Jobs finished together",
          "Several jobs of one session or burst finished within the grouping window: one "
          "notification with the counts.", _I, workspace_visible=True),
    _type("job.queued_long", "Job waiting long", "A job of yours has been queued longer "
          "than the threshold.", _W),
    _type("session.expiring", "Session about to expire", "A quantum session you opened "
          "reaches its maximum time soon.", _W, urgent=True, group="Sessions"),
    _type("member.invited", "Invited to a workspace", "Someone invited you to a workspace.",
          _I, channels=_APP_MAIL, group="Team"),
    _type("member.role_changed", "Role changed", "Your role in a workspace changed.", _I,
          channels=_APP_MAIL, group="Team"),
    _type("member.removed", "Removed from a workspace", "Someone removed you from a "
          "workspace.", _W, group="Team"),
    _type("chat.mention", "Mentioned in chat", "Someone mentioned you in a workspace chat.",
          _I, channels=_APP_MAIL, group="Team"),
    _type("achievement.earned", "Achievement earned", "You earned an achievement.", _I,
          group="Quest"),
    _type("challenge.starting", "Challenge starting", "A challenge you can enter starts "
          "soon.", _I, group="Quest"),
    _type("challenge.ending", "Challenge ending", "A challenge you entered ends soon.", _I,
          group="Quest"),
    _type("backend.offline", "Backend offline", "A backend you used in the last 7 days went "
          "offline.", _W, workspace_visible=True, group="Backends"),
    _type("backend.online", "Backend back online", "A backend you used in the last 7 days "
          "is available again.", _I, workspace_visible=True, group="Backends"),
    _type("usage.quota_80", "Usage at 80 %", "The workspace used 80 % of its daily shot or "
          "job quota.", _W, workspace_visible=True, group="Workspace"),
    _type("usage.quota_100", "Usage at 100 %", "The workspace used all of its daily shot or "
          "job quota.", _E, urgent=True, workspace_visible=True, group="Workspace"),
    _type("webhook.disabled", "Webhook endpoint disabled", "One of your webhook endpoints "
          "was disabled (410 Gone, or failing for days).", _W, channels=_APP_MAIL,
          urgent=True, group="Account"),
    _type("digest.weekly", "Weekly digest", "A summary of the workspace's week: jobs, "
          "success rate, busiest backends.", _I, channels=_APP_MAIL,
          group="Workspace"),
)  # fmt: skip

EVENT_TYPES: dict[str, EventType] = {t.key: t for t in _TYPES}


def event_type(key: str) -> EventType:
    """The catalog entry; KeyError for a key that is not in it."""
    return EVENT_TYPES[key]
