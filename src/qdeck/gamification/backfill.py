"""Computing everything from history: finished jobs, solved levels, completed lessons
and scored challenge attempts, in the order they happened, through the same
``Awarder`` as the live consumer. Facts already in the ledger are skipped, so running it
on a live database changes nothing, and after ``rebuild`` it reaches the live result.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.gamification.awarding import Awarder
from qdeck.gamification.facts import (
    Fact,
    job_fact,
    lesson_fact,
    level_fact,
    quest_challenge_fact,
)
from qdeck.gamification.models import AchievementAward
from qdeck.gamification.repository import GamificationRepository
from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus
from qdeck.quest.models import Challenge, ChallengeAttempt, LessonCompletion, LevelProgress

_FINAL = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


@dataclass(frozen=True)
class BackfillReport:
    facts: int
    applied: int


async def history(session: AsyncSession) -> list[Fact]:
    facts: list[Fact] = []
    jobs = await session.scalars(
        select(Job)
        .where(Job.status.in_(_FINAL), Job.submitted_by.is_not(None))
        .order_by(Job.finished_at, Job.id)
    )
    facts.extend(f for f in map(job_fact, jobs) if f is not None)
    levels = await session.scalars(
        select(LevelProgress).where(LevelProgress.first_solved_at.is_not(None))
    )
    facts.extend(
        level_fact(r.user_id, r.level_key, r.lesson_key, r.best_stars, r.first_solved_at)
        for r in levels
    )
    lessons = await session.scalars(select(LessonCompletion))
    facts.extend(lesson_fact(r.user_id, r.lesson_key, r.created_at) for r in lessons)
    attempts = await session.execute(
        select(ChallengeAttempt, Challenge.key)
        .join(Challenge, Challenge.id == ChallengeAttempt.challenge_id)
        .where(ChallengeAttempt.status == "scored", ChallengeAttempt.scored_at.is_not(None))
    )
    facts.extend(
        quest_challenge_fact(a.user_id, str(a.id), key, a.score, a.scored_at) for a, key in attempts
    )
    facts.sort(key=lambda f: (f.at, f.source))
    return facts


async def backfill(
    session: AsyncSession, settings: Settings, *, rebuild: bool = False, forget_awards=False
) -> BackfillReport:
    """``rebuild`` forgets the ledger and what is derived from it first (awards are kept
    unless ``forget_awards``, so issued badges keep their ids)."""
    repo = GamificationRepository(session)
    if rebuild:
        await repo.forget_derived()
        if forget_awards:
            from sqlalchemy import delete

            await session.execute(delete(AchievementAward))
    awarder = Awarder(session, settings, announce=False)
    applied = 0
    facts = await history(session)
    for fact in facts:
        applied += int(await awarder.apply(fact))
    return BackfillReport(facts=len(facts), applied=applied)
