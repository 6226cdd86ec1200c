"""Challenge progress as facts arrive: the built-in weekly global challenge and the
workspace challenges a person can enter, each from a closed set of rule kinds."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.gamification.facts import Fact
from qdeck.gamification.models import ChallengeEntry, GamificationChallenge
from qdeck.gamification.repository import GamificationRepository


class Crediting(Protocol):
    """What progress needs from the awarder (``awarding.Awarder``): rewards are XP."""

    repo: GamificationRepository
    # Weekly challenges this unit of work already made sure of.
    weeks_ensured: set[str]

    async def credit(self, user_id, xp: int, at: datetime, *, workspace_id=None) -> None: ...

    async def check_counts(self, user_id, changed: dict[str, int], at: datetime) -> None: ...


# What a challenge can count; each is read from one fact, never from a scan of history.
RULE_KINDS = {
    "jobs_completed": "Complete jobs",
    "fake_device_jobs": "Complete jobs on fake devices",
    "xp": "Earn XP",
    "quest_stars": "Earn Quest stars",
    "levels_solved": "Solve Quest levels",
}
# The built-in weekly global challenge rotates through these (rule, target, title).
WEEKLY = (
    ("jobs_completed", 15, "Run 15 jobs this week"),
    ("quest_stars", 15, "Earn 15 Quest stars this week"),
    ("fake_device_jobs", 5, "Run 5 jobs on noisy fake devices this week"),
    ("xp", 300, "Earn 300 XP this week"),
)
WEEKLY_REWARD = 100


def amount(rule: str, fact: Fact, xp: int, workspace_id) -> int:
    if rule == "xp":
        return xp
    if rule in ("quest_stars", "levels_solved"):
        if fact.kind != "level":
            return 0
        return int(fact.details["stars"]) if rule == "quest_stars" else 1
    if fact.kind != "job" or (workspace_id is not None and fact.workspace_id != workspace_id):
        return 0
    if rule == "fake_device_jobs":
        return int(fact.details["job"].backend_kind == "fake_device")
    return 1


def weekly_window(at: datetime) -> tuple[str, datetime, datetime, tuple[str, int, str]]:
    day = at.astimezone(UTC).date()
    monday = day - timedelta(days=day.weekday())
    start = datetime.combine(monday, time(), tzinfo=UTC)
    spec = WEEKLY[monday.isocalendar().week % len(WEEKLY)]
    return f"weekly-{monday.isoformat()}", start, start + timedelta(days=7), spec


class ChallengeProgress:
    def __init__(self, session: AsyncSession, awarder: Crediting) -> None:
        self.session = session
        self.awarder = awarder

    async def ensure_weekly(self, at: datetime) -> None:
        key, start, end, (rule, target, title) = weekly_window(at)
        ensured = self.awarder.weeks_ensured
        if key in ensured:
            return
        ensured.add(key)
        repo = self.awarder.repo
        stmt = (
            repo._insert(GamificationChallenge)
            .values(
                key=key,
                title=title,
                rule=rule,
                target=target,
                reward_xp=WEEKLY_REWARD,
                starts_at=start,
                ends_at=end,
            )
            .on_conflict_do_nothing(index_elements=["key"])
        )
        await self.session.execute(stmt)

    async def record(self, fact: Fact, xp: int) -> None:
        await self.ensure_weekly(fact.at)
        workspaces = await self.awarder.repo.workspaces_of(fact.user_id)
        stmt = select(GamificationChallenge).where(
            GamificationChallenge.starts_at <= fact.at,
            GamificationChallenge.ends_at > fact.at,
            or_(
                GamificationChallenge.workspace_id.is_(None),
                GamificationChallenge.workspace_id.in_(workspaces),
            ),
        )
        for challenge in list(await self.session.scalars(stmt)):
            gained = amount(challenge.rule, fact, xp, challenge.workspace_id)
            if gained > 0:
                await self._advance(challenge, fact, gained)

    async def _advance(self, challenge: GamificationChallenge, fact: Fact, gained: int) -> None:
        repo = self.awarder.repo
        stmt = repo._insert(ChallengeEntry).values(
            challenge_id=challenge.id, user_id=fact.user_id, value=gained, updated_at=fact.at
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["challenge_id", "user_id"],
            set_={"value": ChallengeEntry.value + gained, "updated_at": fact.at},
        ).returning(ChallengeEntry.value, ChallengeEntry.completed_at)
        value, completed_at = (await self.session.execute(stmt)).one()
        if value < challenge.target or completed_at is not None:
            return
        entry = await self.session.get(
            ChallengeEntry, (challenge.id, fact.user_id), populate_existing=True
        )
        assert entry is not None
        entry.completed_at = fact.at
        if await repo.claim(
            fact.user_id,
            f"challenge:{challenge.id}",
            "challenge.reward",
            challenge.reward_xp,
            fact.at,
        ):
            done = await repo.bump(fact.user_id, "challenges_completed")
            await self.awarder.credit(fact.user_id, challenge.reward_xp, fact.at)
            await self.awarder.check_counts(fact.user_id, {"challenges_completed": done}, fact.at)
