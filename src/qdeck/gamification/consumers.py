"""The gamification consumer: finished jobs and Quest progress become XP.

Each handler reads the stored record behind the event (the job row, the level's
progress, the lesson completion, the scored attempt), never the event's own copy, so
the live path and ``backfill`` build the same fact and award under the same key.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from qdeck.events.bus import Event
from qdeck.events.registry import HandlerContext
from qdeck.gamification.awarding import Awarder
from qdeck.gamification.facts import job_fact, lesson_fact, level_fact, quest_challenge_fact
from qdeck.jobs.event_types import JOB_STATUS_CHANGED
from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus
from qdeck.quest.event_types import (
    QUEST_CHALLENGE_SCORED,
    QUEST_LESSON_COMPLETED,
    QUEST_LEVEL_SOLVED,
)
from qdeck.quest.models import ChallengeAttempt, LessonCompletion, LevelProgress

EVENTS = frozenset(
    {JOB_STATUS_CHANGED, QUEST_LEVEL_SOLVED, QUEST_LESSON_COMPLETED, QUEST_CHALLENGE_SCORED}
)
_FINAL = {s.value for s in JobStatus if s.is_final}


async def on_event(ctx: HandlerContext, event: Event) -> None:
    fact = await _fact(ctx, event)
    if fact is not None:
        await Awarder(ctx.session, ctx.settings).apply(fact)


async def _fact(ctx: HandlerContext, event: Event):
    session = ctx.session
    data = event.data
    if event.type == JOB_STATUS_CHANGED:
        if data.get("status") not in _FINAL or event.job_id is None:
            return None
        job = await session.get(Job, event.job_id)
        return job_fact(job) if job is not None else None
    user_id = _user(data)
    if user_id is None:
        return None
    if event.type == QUEST_LEVEL_SOLVED:
        row = await session.scalar(
            select(LevelProgress).where(
                LevelProgress.user_id == user_id, LevelProgress.level_key == data["level_key"]
            )
        )
        if row is None or row.first_solved_at is None:
            return None
        return level_fact(
            user_id, row.level_key, row.lesson_key, row.best_stars, row.first_solved_at
        )
    if event.type == QUEST_LESSON_COMPLETED:
        row = await session.scalar(
            select(LessonCompletion).where(
                LessonCompletion.user_id == user_id,
                LessonCompletion.lesson_key == data["lesson_key"],
            )
        )
        return lesson_fact(user_id, row.lesson_key, row.created_at) if row else None
    if data.get("status") != "scored":
        return None
    attempt = await session.get(ChallengeAttempt, uuid.UUID(data["attempt_id"]))
    if attempt is None or attempt.scored_at is None:
        return None
    return quest_challenge_fact(
        user_id, str(attempt.id), data["challenge_key"], attempt.score, attempt.scored_at
    )


def _user(data: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(data["user_id"]))
    except (KeyError, ValueError):
        return None
