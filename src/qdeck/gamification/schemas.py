"""What gamification hands to its edges (API, pages, CLI) and what they send it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from qdeck.api.names import Name
from qdeck.api.params import Instant, StrictInteger, StrictSwitch
from qdeck.api.schemas import InputModel

Period = Literal["week", "month", "all"]
ChallengeRule = Literal["jobs_completed", "fake_device_jobs", "xp", "quest_stars", "levels_solved"]


class StreakRead(BaseModel):
    current: int
    longest: int
    freezes: int
    freezes_used: int
    last_active_day: date | None
    active_today: bool


class MeRead(BaseModel):
    user_id: uuid.UUID
    display_name: str
    xp: int
    level: int
    level_floor: int
    next_level_xp: int
    streak: StreakRead
    job_xp_today: int
    daily_job_xp_cap: int
    league_tier: int
    league_name: str
    global_opt_in: bool
    hidden: bool
    league_opt_in: bool


class AchievementRead(BaseModel):
    key: str
    title: str
    description: str
    icon: str
    tier: str
    hidden: bool
    state: Literal["locked", "in_progress", "earned"]
    progress: int | None = None
    target: int | None = None
    earned_at: datetime | None = None
    award_id: uuid.UUID | None = None
    revoked: bool = False


class DayRead(BaseModel):
    day: date
    xp: int
    actions: int


class WeekXpRead(BaseModel):
    week_start: date
    xp: int


class QuestProgressRead(BaseModel):
    levels_solved: int
    levels_total: int
    lessons_completed: int
    lessons_total: int
    three_star_levels: int
    challenges_scored: int


class ProgressRead(BaseModel):
    me: MeRead
    xp_by_week: list[WeekXpRead]
    calendar: list[DayRead]
    achievements: list[AchievementRead]
    quest: QuestProgressRead
    skills: dict[str, int]


class LedgerRead(BaseModel):
    source: str
    rule: str
    xp: int
    note: str
    at: datetime


class XpRuleRead(BaseModel):
    what: str
    xp: str


class HowXpWorks(BaseModel):
    rules: list[XpRuleRead]
    refusals: dict[str, str]
    daily_job_xp_cap: int
    level_curve: str


class BoardRow(BaseModel):
    rank: int
    user_id: uuid.UUID | None
    display_name: str
    xp: int
    level: int
    you: bool = False


class BoardRead(BaseModel):
    scope: str
    period: str
    period_start: date | None
    rows: list[BoardRow]


class PreferencesUpdate(InputModel):
    global_opt_in: StrictSwitch | None = None
    hidden: StrictSwitch | None = None
    league_opt_in: StrictSwitch | None = None


class LeagueRow(BaseModel):
    rank: int
    display_name: str
    xp: int
    you: bool
    outcome: str | None = None


class LeagueRead(BaseModel):
    week_start: date
    tier: int
    tier_name: str
    cohort: int | None
    rows: list[LeagueRow]
    promoted: int
    demoted: int
    closes_at: datetime


class ChallengeCreate(InputModel):
    title: Name = Field(min_length=1, max_length=200)
    rule: ChallengeRule
    target: StrictInteger = Field(ge=1, le=100_000)
    reward_xp: StrictInteger = Field(default=50, ge=0, le=1000)
    starts_at: Instant
    ends_at: Instant


class ChallengeRead(BaseModel):
    id: uuid.UUID
    key: str | None
    workspace_id: uuid.UUID | None
    title: str
    rule: str
    rule_label: str
    target: int
    reward_xp: int
    starts_at: datetime
    ends_at: datetime
    status: Literal["upcoming", "open", "ended"]
    participants: int
    your_progress: int
    completed: bool


class ChallengeBoardRead(BaseModel):
    challenge: ChallengeRead
    rows: list[BoardRow]
    final: bool


class WorkspaceSwitch(InputModel):
    enabled: StrictSwitch


class WorkspaceSwitchRead(BaseModel):
    workspace_id: uuid.UUID
    enabled: bool


class BadgeRead(BaseModel):
    award_id: uuid.UUID
    achievement_key: str
    title: str
    description: str
    tier: str
    recipient: str
    issued_at: datetime
    revoked: bool
    revoked_at: datetime | None
    revoked_reason: str
    # The signed credential (VC-JWT, compact JWS with EdDSA); None on the public view.
    credential_jwt: str | None = None
    credential: dict | None = None
    verified: bool = False


class RevokeBody(InputModel):
    reason: Name = Field(default="", max_length=300)


class BackfillRead(BaseModel):
    facts: int
    applied: int
