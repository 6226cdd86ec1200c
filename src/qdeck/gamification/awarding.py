"""Turning a fact into XP, streak days, counters, achievements, challenge progress and
league points: one ``Awarder.apply`` shared by the live consumer and the backfill.

Exactly once: the first thing written is the fact's ledger row under its unique key;
everything derived from it is written only when that row is new, in the same unit of
work. A replayed event, a retried batch or a second backfill finds the row and stops.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.gamification import streaks
from qdeck.gamification.achievements import (
    Achievement,
    GhzRule,
    LocalHourRule,
    WeekendRule,
    load_achievements,
    moment_matches,
    target_of,
)
from qdeck.gamification.challenge_progress import ChallengeProgress
from qdeck.gamification.event_types import ACHIEVEMENT_EARNED, LEVEL_UP, XP_EARNED
from qdeck.gamification.facts import Fact, JobFacts, ghz_fidelity
from qdeck.gamification.leagues import add_league_xp
from qdeck.gamification.levels import level_for
from qdeck.gamification.repository import GamificationRepository
from qdeck.gamification.rules import (
    FIRST_BACKEND_XP,
    JOB_XP,
    LESSON_XP,
    LEVEL_STAR_XP,
    QUICK_CANCEL,
    RESUBMIT_WINDOW,
    TIER_XP,
    Refusal,
    challenge_xp,
)
from qdeck.gamification.skills import skill_of_job, skill_of_lesson
from qdeck.jobs.status import JobStatus
from qdeck.workspaces.roles import Role


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Decision:
    rule: str
    xp: int
    note: str = ""
    # Real work: it keeps a streak alive and moves counters.
    counted: bool = True
    job_xp: int = 0
    bumps: dict[str, int] = field(default_factory=dict)
    raises: dict[str, int] = field(default_factory=dict)
    skill: str | None = None


class Awarder:
    def __init__(self, session: AsyncSession, settings: Settings, *, announce: bool = True):
        self.session = session
        self.settings = settings
        self.repo = GamificationRepository(session)
        self.catalog = load_achievements()
        # Backfill recomputes history quietly: no toasts or notifications for old news.
        self.announce = announce
        self._held_keys: dict[uuid.UUID, set[str]] = {}
        self.weeks_ensured: set[str] = set()
        self._profiles: dict[uuid.UUID, Any] = {}

    async def apply(self, fact: Fact) -> bool:
        """Award what ``fact`` earns; False when it was handled before."""
        if await self.repo.decided(fact.user_id, fact.source):
            return False
        tz = streaks.zone(await self.repo.time_zone(fact.user_id))
        day = streaks.local_day(fact.at, tz)
        decision = await self._decide(fact, day)
        if not await self.repo.claim(
            fact.user_id,
            fact.source,
            decision.rule,
            decision.xp,
            fact.at,
            workspace_id=fact.workspace_id,
            note=decision.note,
        ):
            return False
        if not decision.counted:
            return True
        await self.repo.add_day(
            fact.user_id, day, xp=decision.xp, job_xp=decision.job_xp, actions=1
        )
        profile = await self.profile(fact.user_id)
        streak = streaks.advance(_streak_of(profile), day)
        _store_streak(profile, streak)
        changed = {"streak": streak.current}
        for metric, by in decision.bumps.items():
            changed[metric] = await self.repo.bump(fact.user_id, metric, by)
        for metric, value in decision.raises.items():
            changed[metric] = await self.repo.raise_to(fact.user_id, metric, value)
        if decision.skill and decision.xp:
            await self.repo.bump(fact.user_id, f"skill:{decision.skill}", decision.xp)
        await self.credit(fact.user_id, decision.xp, fact.at, workspace_id=fact.workspace_id)
        progress = ChallengeProgress(self.session, self)
        await progress.record(fact, decision.xp)
        await self.check_counts(fact.user_id, changed, fact.at)
        if fact.kind == "job":
            await self._check_job_moments(fact, tz)
        return True

    # --- deciding ---

    async def _decide(self, fact: Fact, day: date) -> Decision:
        details = fact.details
        if fact.kind == "level":
            stars = int(details["stars"])
            bumps = {"levels_solved": 1}
            if stars >= 3:
                bumps["three_star_levels"] = 1
            return Decision(
                "quest.level",
                stars * LEVEL_STAR_XP,
                bumps=bumps,
                skill=skill_of_lesson(details["lesson_key"]),
            )
        if fact.kind == "lesson":
            return Decision(
                "quest.lesson",
                LESSON_XP,
                bumps={"lessons_completed": 1},
                skill=skill_of_lesson(details["lesson_key"]),
            )
        if fact.kind == "quest_challenge":
            return Decision(
                "quest.challenge",
                challenge_xp(details.get("score")),
                bumps={"challenges_scored": 1},
                skill="entanglement" if "ghz" in details["challenge_key"] else "algorithms",
            )
        return await self._decide_job(fact, details["job"], day)

    async def _decide_job(self, fact: Fact, job: JobFacts, day: date) -> Decision:
        refusal = await self._refusal(fact, job)
        if job.status == JobStatus.COMPLETED:
            await self.repo.remember_circuit(
                fact.details["job_id"], fact.user_id, job.circuit_hash, job.submitted_at
            )
        if refusal is not None:
            return Decision("job", 0, note=refusal.value, counted=False)
        base = JOB_XP[job.backend_kind]
        first_backend = await self.repo.mark(fact.user_id, "backend", job.backend)
        if first_backend:
            base += FIRST_BACKEND_XP
        row = await self.repo.day(fact.user_id, day)
        room = max(0, self.settings.gamification_daily_job_xp_cap - (row.job_xp if row else 0))
        xp = min(base, room)
        bumps = {"jobs_completed": 1, "backends_used": 1 if first_backend else 0}
        if job.backend_kind == "fake_device":
            bumps["fake_device_jobs"] = 1
        elif job.backend_kind == "hardware":
            bumps["hardware_jobs"] = 1
        if job.primitive == "estimator":
            bumps["estimator_jobs"] = 1
        return Decision(
            "job",
            xp,
            note=Refusal.DAILY_CAP.value if xp < base else "",
            job_xp=xp,
            bumps={k: v for k, v in bumps.items() if v},
            raises={"max_qubits": job.num_qubits},
            skill=skill_of_job(job.backend_kind),
        )

    async def _refusal(self, fact: Fact, job: JobFacts) -> Refusal | None:
        if job.status != JobStatus.COMPLETED:
            quick = job.finished_at - job.submitted_at < QUICK_CANCEL
            if job.status == JobStatus.CANCELLED and quick:
                return Refusal.CANCELLED_QUICKLY
            return Refusal.NOT_COMPLETED
        if job.shots == 1:
            return Refusal.ONE_SHOT
        if fact.workspace_id is not None:
            if await self.repo.role_in(fact.user_id, fact.workspace_id) == Role.VIEWER:
                return Refusal.VIEWER
            if not await self.repo.workspace_enabled(fact.workspace_id):
                return Refusal.WORKSPACE_OFF
        if await self.repo.same_circuit_near(
            fact.user_id,
            job.circuit_hash,
            job.submitted_at - RESUBMIT_WINDOW,
            job.submitted_at + RESUBMIT_WINDOW,
        ):
            return Refusal.RESUBMITTED
        return None

    # --- crediting ---

    async def credit(
        self, user_id: uuid.UUID, xp: int, at: datetime, *, workspace_id: uuid.UUID | None = None
    ) -> None:
        """Add ``xp`` to the person's total, rollups and league; announce a level-up."""
        if xp <= 0:
            return
        utc_day = at.date() if at.tzinfo is None else at.astimezone(streaks.zone("UTC")).date()
        for period, start in (
            ("w", week_start(utc_day)),
            ("m", utc_day.replace(day=1)),
            ("a", date(1970, 1, 1)),
        ):
            await self.repo.add_rollup(user_id, period, start, xp)
        profile = await self.profile(user_id)
        before = profile.level
        profile.xp += xp
        profile.level = level_for(profile.xp)
        await add_league_xp(self.session, profile, week_start(utc_day), xp)
        await self.session.flush()
        self._emit(XP_EARNED, user_id, {"xp": xp, "total": profile.xp, "level": profile.level})
        if profile.level > before:
            self._emit(LEVEL_UP, user_id, {"level": profile.level, "total": profile.xp})
            await self.check_counts(user_id, {"level": profile.level}, at)

    # --- achievements ---

    async def check_counts(self, user_id: uuid.UUID, changed: dict[str, int], at: datetime):
        held = await self._held(user_id)
        for metric, value in changed.items():
            for achievement in self.catalog.counting(metric):
                if achievement.key not in held and value >= (target_of(achievement) or 0):
                    await self.unlock(user_id, achievement, at)

    async def profile(self, user_id: uuid.UUID):
        """The person's profile, read once per unit of work (the session then holds it)."""
        if user_id not in self._profiles:
            self._profiles[user_id] = await self.repo.profile(user_id)
        return self._profiles[user_id]

    async def _held(self, user_id: uuid.UUID) -> set[str]:
        """Achievements whose XP the ledger holds: no need to look at them again. Read
        once per person per unit of work (most changes re-meet targets long met)."""
        if user_id not in self._held_keys:
            self._held_keys[user_id] = await self.repo.achievements_credited(user_id)
        return self._held_keys[user_id]

    async def _check_job_moments(self, fact: Fact, tz) -> None:
        job: JobFacts = fact.details["job"]
        local = fact.at.astimezone(tz)
        for achievement in self.catalog.achievements:
            rule = achievement.rule
            if (isinstance(rule, (LocalHourRule, WeekendRule)) and moment_matches(rule, local)) or (
                isinstance(rule, GhzRule)
                and job.backend_kind == rule.backend_kind
                and ghz_fidelity(job.counts, rule.min_qubits) >= rule.min_hellinger
            ):
                await self.unlock(fact.user_id, achievement, fact.at)

    async def unlock(self, user_id: uuid.UUID, achievement: Achievement, at: datetime) -> None:
        held = await self._held(user_id)
        if achievement.key in held:
            return
        held.add(achievement.key)
        award = await self.repo.award(user_id, achievement.key, at)
        xp = TIER_XP[achievement.tier]
        # Its XP is a ledger row of its own: a rebuild that kept the award (and its
        # badge id) still credits the XP once.
        if await self.repo.claim(user_id, f"achievement:{achievement.key}", "achievement", xp, at):
            await self.credit(user_id, xp, at)
        if award is None:
            return
        data = {
            "key": achievement.key,
            "title": achievement.title,
            "description": achievement.description,
            "icon": achievement.icon,
            "tier": achievement.tier,
            "award_id": str(award.id),
            "xp": xp,
        }
        self._emit(ACHIEVEMENT_EARNED, user_id, data)
        if self.announce:
            from qdeck.notifications.service import notify

            await notify(
                self.session,
                user_id=user_id,
                workspace_id=None,
                kind="achievement.earned",
                title=f"Achievement earned: {achievement.title}",
                body=achievement.description,
                link="/progress",
                data=data,
                dedupe_key=f"achievement:{achievement.key}",
            )

    def _emit(self, kind: str, user_id: uuid.UUID, data: dict[str, Any]) -> None:
        if self.announce:
            emit(
                self.session,
                Event(
                    type=kind,
                    workspace_id=None,
                    user_id=user_id,
                    data={"user_id": str(user_id), **data},
                ),
            )


def _streak_of(profile) -> streaks.Streak:
    return streaks.Streak(
        current=profile.current_streak,
        longest=profile.longest_streak,
        freezes=profile.freezes,
        freezes_used=profile.freezes_used,
        last_day=profile.last_active_day,
    )


def _store_streak(profile, streak: streaks.Streak) -> None:
    profile.current_streak = streak.current
    profile.longest_streak = streak.longest
    profile.freezes = streak.freezes
    profile.freezes_used = streak.freezes_used
    profile.last_active_day = streak.last_day
