"""Queries for Quest progress and challenge attempts."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.db.types import utcnow
from qdeck.quest.models import Challenge, ChallengeAttempt, LessonCompletion, LevelProgress


class QuestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, model: type[Any]):
        dialect = self.session.get_bind().dialect.name
        return (postgresql if dialect == "postgresql" else sqlite).insert(model)

    async def progress(self, user_id: uuid.UUID, level_key: str) -> LevelProgress | None:
        return await self.session.scalar(
            select(LevelProgress).where(
                LevelProgress.user_id == user_id, LevelProgress.level_key == level_key
            )
        )

    async def progress_for_update(
        self, user_id: uuid.UUID, level_key: str, lesson_key: str
    ) -> LevelProgress:
        """The row, created if missing, locked for this transaction. Two first attempts
        at once both land on the one row instead of one failing on the unique key."""
        now = utcnow()
        await self.session.execute(
            self._insert(LevelProgress)
            .values(
                id=uuid.uuid4(),
                user_id=user_id,
                level_key=level_key,
                lesson_key=lesson_key,
                attempts=0,
                best_stars=0,
                seconds_spent=0,
                hints_used=0,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "level_key"])
        )
        row = await self.session.scalar(
            select(LevelProgress)
            .where(LevelProgress.user_id == user_id, LevelProgress.level_key == level_key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert row is not None
        return row

    async def all_progress(self, user_id: uuid.UUID) -> list[LevelProgress]:
        rows = await self.session.scalars(
            select(LevelProgress).where(LevelProgress.user_id == user_id)
        )
        return list(rows)

    async def completed_lessons(self, user_id: uuid.UUID) -> set[str]:
        rows = await self.session.scalars(
            select(LessonCompletion.lesson_key).where(LessonCompletion.user_id == user_id)
        )
        return set(rows)

    async def complete_lesson(self, user_id: uuid.UUID, lesson_key: str) -> bool:
        """Record the completion; False if it was already recorded."""
        result = await self.session.execute(
            self._insert(LessonCompletion)
            .values(id=uuid.uuid4(), user_id=user_id, lesson_key=lesson_key, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id", "lesson_key"])
        )
        return bool(result.rowcount)

    async def challenge_row(self, key: str, values: dict[str, Any]) -> Challenge:
        await self.session.execute(
            self._insert(Challenge)
            .values(id=uuid.uuid4(), key=key, created_at=utcnow(), **values)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        row = await self.session.scalar(select(Challenge).where(Challenge.key == key))
        assert row is not None
        return row

    async def attempts_of(self, user_id: uuid.UUID, challenge_key: str) -> list[ChallengeAttempt]:
        rows = await self.session.scalars(
            select(ChallengeAttempt)
            .join(Challenge, Challenge.id == ChallengeAttempt.challenge_id)
            .where(ChallengeAttempt.user_id == user_id, Challenge.key == challenge_key)
            .order_by(ChallengeAttempt.created_at.desc())
            .limit(50)
        )
        return list(rows)

    async def best_scores_of(self, user_id: uuid.UUID) -> dict[str, float]:
        rows = await self.session.execute(
            select(Challenge.key, func.max(ChallengeAttempt.score))
            .join(Challenge, Challenge.id == ChallengeAttempt.challenge_id)
            .where(ChallengeAttempt.user_id == user_id, ChallengeAttempt.status == "scored")
            .group_by(Challenge.key)
        )
        return {key: float(score) for key, score in rows.all() if score is not None}

    async def pending_for_job(self, job_id: uuid.UUID) -> ChallengeAttempt | None:
        return await self.session.scalar(
            select(ChallengeAttempt).where(
                ChallengeAttempt.job_id == job_id, ChallengeAttempt.status == "pending"
            )
        )

    async def challenge_key_of(self, attempt: ChallengeAttempt) -> str:
        return str(
            await self.session.scalar(
                select(Challenge.key).where(Challenge.id == attempt.challenge_id)
            )
        )

    async def leaderboard(
        self, challenge_key: str, limit: int = 100
    ) -> list[tuple[ChallengeAttempt, str]]:
        """Each user's best scored attempt (earliest among equal scores), best first."""
        best = (
            select(
                ChallengeAttempt.id,
                func.row_number()
                .over(
                    partition_by=ChallengeAttempt.user_id,
                    order_by=(ChallengeAttempt.score.desc(), ChallengeAttempt.created_at),
                )
                .label("place"),
            )
            .join(Challenge, Challenge.id == ChallengeAttempt.challenge_id)
            .where(Challenge.key == challenge_key, ChallengeAttempt.status == "scored")
            .subquery()
        )
        rows = await self.session.execute(
            select(ChallengeAttempt, User.display_name)
            .join(best, best.c.id == ChallengeAttempt.id)
            .join(User, User.id == ChallengeAttempt.user_id)
            .where(best.c.place == 1)
            .order_by(ChallengeAttempt.score.desc(), ChallengeAttempt.created_at)
            .limit(limit)
        )
        return [(attempt, name) for attempt, name in rows.all()]
