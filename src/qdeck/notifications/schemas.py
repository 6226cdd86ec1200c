"""What the notifications API reads and writes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from qdeck.api.params import StrictInteger, StrictSwitch
from qdeck.api.schemas import InputModel, OutputModel
from qdeck.notifications.models import DigestMode, Severity

HourMinute = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["22:00"])]


class NotificationRead(OutputModel):
    id: uuid.UUID
    workspace_id: uuid.UUID | None
    kind: str
    severity: Severity
    title: str
    # Why it matters, in one sentence.
    body: str
    link: str | None
    data: dict[str, Any]
    # How many events a grouped notification stands for.
    count: int
    read_at: datetime | None
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime


class UnreadCount(OutputModel):
    unread: int


class MarkedRead(OutputModel):
    marked: int
    unread: int


class QuietHours(InputModel):
    """Local times in the person's time zone; start after end spans midnight."""

    start: HourMinute
    end: HourMinute


class EventTypeRead(OutputModel):
    key: str
    title: str
    description: str
    group: str
    default_severity: Severity
    urgent: bool
    # The catalog's default per channel, and what this person gets (defaults + choices).
    defaults: dict[str, bool]
    channels: dict[str, bool]


class WorkspaceOverridesRead(OutputModel):
    workspace_id: uuid.UUID
    name: str
    # event type -> channel -> on/off (absent: the person's own preference applies)
    overrides: dict[str, dict[str, bool]]


class PreferencesRead(OutputModel):
    channels: list[str]
    event_types: list[EventTypeRead]
    time_zone: str
    quiet_hours: dict[str, str] | None
    digests: dict[str, DigestMode]
    daily_digest_hour: int
    workspaces: list[WorkspaceOverridesRead]
    email_configured: bool


class PreferencesUpdate(InputModel):
    """Only the fields sent change. ``quiet_hours: null`` turns quiet hours off; a
    workspace override of ``null`` removes it (the person's own preference applies)."""

    # event type -> channel -> on/off
    channels: dict[str, dict[str, StrictSwitch]] | None = None
    time_zone: Annotated[str, Field(max_length=64)] | None = None
    quiet_hours: QuietHours | None = None
    # email / webhook -> immediate | hourly | daily
    digests: dict[str, DigestMode] | None = None
    daily_digest_hour: Annotated[StrictInteger, Field(ge=0, le=23)] | None = None
    # workspace id -> event type -> channel -> on/off/null
    workspaces: dict[uuid.UUID, dict[str, dict[str, StrictSwitch | None]]] | None = None


class UsageQuotaRead(OutputModel):
    workspace_id: uuid.UUID
    daily_shot_quota: int | None
    daily_job_quota: int | None
    shots_today: int
    jobs_today: int


class UsageQuotaUpdate(InputModel):
    """Null: no quota. Crossing 80 % and 100 % of a quota in a UTC day notifies the
    workspace's owners and admins."""

    daily_shot_quota: Annotated[StrictInteger, Field(ge=1, le=10**12)] | None = None
    daily_job_quota: Annotated[StrictInteger, Field(ge=1, le=10**9)] | None = None
