"""Quantum Quest: the learning path, grading with progress, and (delegated to
``challenges.py`` and ``runs.py``) challenges and runs on real backends.

Time spent on a level is the sum over attempts of the seconds the client reports for
each (capped at ``MAX_ATTEMPT_SECONDS``); an attempt without a report counts the time
since the previous attempt or hint on that level, when that is under the cap, else 0.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db.types import utcnow
from qdeck.errors import InvalidInput
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.jobs.models import Job
from qdeck.jobs.service import JobService
from qdeck.quest.catalog import Catalog, Lesson, Level, load_catalog
from qdeck.quest.challenges import ChallengeBoard
from qdeck.quest.errors import LessonNotFound, LevelNotFound
from qdeck.quest.event_types import QUEST_LESSON_COMPLETED, QUEST_LEVEL_SOLVED
from qdeck.quest.grading import grade_circuit, read_attempt, reference_of
from qdeck.quest.models import LevelProgress
from qdeck.quest.repository import QuestRepository
from qdeck.quest.runs import QuestRuns
from qdeck.quest.schemas import (
    ChallengeAttemptRead,
    ChallengeRead,
    ChallengeSummary,
    Comparison,
    Constraints,
    GradeResult,
    HintRead,
    LeaderboardRead,
    LessonRead,
    LessonSummary,
    LevelProgressRead,
    LevelRead,
    LevelSummary,
    ProgressRead,
    QuizAnswerResult,
    QuizQuestionRead,
)

MAX_ATTEMPT_SECONDS = 600


class QuestService:
    def __init__(
        self,
        session: AsyncSession,
        settings: Settings,
        jobs: JobService,
        catalog: Catalog | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self.catalog = catalog or load_catalog()
        self.repo = QuestRepository(session)
        self._challenges = ChallengeBoard(session, jobs, self.catalog)
        self._runs = QuestRuns(session, jobs, self.catalog)

    # -- the learning path -------------------------------------------------------------

    async def lessons(self, actor: User) -> list[LessonSummary]:
        solved = await self._solved(actor.id)
        completed = await self.repo.completed_lessons(actor.id)
        return [self._lesson_summary(lesson, solved, completed) for lesson in self.catalog.lessons]

    async def lesson(self, actor: User, key: str) -> LessonRead:
        lesson = self._lesson(key)
        progress = {p.level_key: p for p in await self.repo.all_progress(actor.id)}
        solved = {k for k, p in progress.items() if p.first_solved_at is not None}
        summary = self._lesson_summary(lesson, solved, await self.repo.completed_lessons(actor.id))
        return LessonRead(
            **summary.model_dump(),
            markdown=lesson.markdown,
            starting_qasm=lesson.starting_circuit,
            levels=[
                LevelSummary(
                    key=level.key,
                    title=level.title,
                    goal_kind=level.goal_kind,
                    best_stars=progress[level.key].best_stars if level.key in progress else 0,
                    solved=level.key in solved,
                )
                for level in lesson.levels
            ],
            quiz=[
                QuizQuestionRead(index=i, question=q.question, choices=list(q.choices))
                for i, q in enumerate(lesson.quiz)
            ],
        )

    async def answer_quiz(
        self, actor: User, lesson_key: str, index: int, choice: int
    ) -> QuizAnswerResult:
        lesson = self._lesson(lesson_key)
        if not 0 <= index < len(lesson.quiz):
            raise InvalidInput(
                f"Lesson {lesson_key!r} has {len(lesson.quiz)} quiz questions; "
                f"there is no {index}.",
                code="quiz_question_not_found",
                errors=[{"field": "index", "message": "no such question"}],
            )
        question = lesson.quiz[index]
        if not 0 <= choice < len(question.choices):
            raise InvalidInput(
                f"Question {index} has {len(question.choices)} choices.",
                code="invalid_choice",
                errors=[{"field": "choice", "message": "no such choice"}],
            )
        return QuizAnswerResult(
            correct=choice == question.answer,
            correct_choice=question.answer,
            explanation=question.explanation,
        )

    async def level(self, actor: User, key: str) -> LevelRead:
        level = self._level(key)
        progress = await self.repo.progress(actor.id, key)
        reference = await asyncio.to_thread(reference_of, level)
        solved = progress is not None and progress.first_solved_at is not None
        hints_used = progress.hints_used if progress else 0
        following = self.catalog.next_level(key)
        return LevelRead(
            key=level.key,
            lesson_key=level.lesson_key,
            title=level.title,
            goal_kind=level.goal_kind,
            goal=level.goal,
            constraints=_constraints(level),
            starting_qasm=level.starting_circuit,
            hints_total=len(level.hints),
            hints=list(level.hints[:hints_used]),
            attempts=progress.attempts if progress else 0,
            best_stars=progress.best_stars if progress else 0,
            solved=solved,
            first_solved_at=progress.first_solved_at if progress else None,
            # The reference answer never leaves the server before the level is solved.
            reference_qasm=level.reference_qasm if solved else None,
            reference_gate_count=reference.gate_count,
            reference_depth=reference.depth,
            next_level_key=following.key if following else None,
        )

    async def hint(self, actor: User, level_key: str) -> HintRead:
        level = self._level(level_key)
        progress = await self.repo.progress_for_update(actor.id, level.key, level.lesson_key)
        progress.hints_used = min(progress.hints_used + 1, len(level.hints))
        progress.updated_at = utcnow()
        await self.session.flush()
        number = progress.hints_used
        return HintRead(
            level_key=level.key, number=number, total=len(level.hints), text=level.hints[number - 1]
        )

    async def grade(
        self, actor: User, level_key: str, qasm: str, seconds_spent: float | None = None
    ) -> GradeResult:
        """Grade an attempt and record it. Unreadable input raises InvalidInput before
        anything is written; a wrong answer is a recorded attempt with feedback."""
        level = self._level(level_key)
        result = await asyncio.to_thread(_grade, level, qasm)
        now = utcnow()
        progress = await self.repo.progress_for_update(actor.id, level.key, level.lesson_key)
        progress.seconds_spent += _seconds(seconds_spent, progress, now)
        progress.attempts += 1
        progress.last_attempt_at = now
        progress.updated_at = now
        first_solve = result.passed and progress.first_solved_at is None
        if result.passed:
            progress.best_stars = max(progress.best_stars, result.stars)
        if first_solve:
            progress.first_solved_at = now
        await self.session.flush()
        lesson_completed = False
        if first_solve:
            self._announce(
                actor,
                QUEST_LEVEL_SOLVED,
                level_key=level.key,
                stars=result.stars,
                lesson_key=level.lesson_key,
            )
            lesson_completed = await self._complete_lesson_if_done(actor, level.lesson_key)
        following = self.catalog.next_level(level.key)
        return GradeResult(
            passed=result.passed,
            stars=result.stars,
            gate_count=result.gate_count,
            depth=result.depth,
            reference_gate_count=result.reference_gate_count,
            reference_depth=result.reference_depth,
            feedback=result.feedback,
            next_level_key=following.key if following and result.passed else None,
            first_solve=first_solve,
            lesson_completed=lesson_completed,
            fidelity=result.fidelity,
        )

    async def progress(self, actor: User) -> ProgressRead:
        rows = await self.repo.all_progress(actor.id)
        by_key = {row.level_key: row for row in rows}
        known = [row for row in rows if self.catalog.level(row.level_key) is not None]
        completed = await self.repo.completed_lessons(actor.id)
        levels = self.catalog.levels
        return ProgressRead(
            levels_total=len(levels),
            levels_solved=sum(1 for row in known if row.first_solved_at is not None),
            stars=sum(row.best_stars for row in known),
            stars_possible=3 * len(levels),
            lessons_total=len(self.catalog.lessons),
            lessons_completed=[
                lesson.key for lesson in self.catalog.lessons if lesson.key in completed
            ],
            resume_level_key=self._resume(known, by_key),
            levels=[
                LevelProgressRead(
                    level_key=level.key,
                    lesson_key=level.lesson_key,
                    attempts=row.attempts,
                    best_stars=row.best_stars,
                    solved=row.first_solved_at is not None,
                    first_solved_at=row.first_solved_at,
                    seconds_spent=row.seconds_spent,
                    hints_used=row.hints_used,
                    last_attempt_at=row.last_attempt_at,
                )
                for level in levels
                if (row := by_key.get(level.key)) is not None
            ],
        )

    # -- challenges and runs (see challenges.py, runs.py) ------------------------------

    async def challenges(self, actor: User) -> list[ChallengeSummary]:
        return await self._challenges.list(actor)

    async def challenge(self, actor: User, key: str) -> ChallengeRead:
        return await self._challenges.get(actor, key)

    async def submit_challenge(
        self, actor: User, key: str, qasm: str, workspace_id: uuid.UUID | None = None
    ) -> ChallengeAttemptRead:
        return await self._challenges.submit(actor, key, qasm, workspace_id)

    async def leaderboard(self, actor: User, key: str) -> LeaderboardRead:
        return await self._challenges.leaderboard(actor, key)

    async def run(
        self,
        actor: User,
        qasm: str,
        backend: str,
        level_key: str | None = None,
        *,
        workspace_id: uuid.UUID | None = None,
        shots: int | None = None,
    ) -> Job:
        if level_key is not None:
            self._level(level_key)
        return await self._runs.run(actor, qasm, backend, level_key, workspace_id, shots)

    async def compare(self, actor: User, job_id: uuid.UUID) -> Comparison:
        return await self._runs.compare(actor, job_id)

    # -- helpers -----------------------------------------------------------------------

    def _lesson(self, key: str) -> Lesson:
        lesson = self.catalog.lesson(key)
        if lesson is None:
            raise LessonNotFound(key)
        return lesson

    def _level(self, key: str) -> Level:
        level = self.catalog.level(key)
        if level is None:
            raise LevelNotFound(key)
        return level

    async def _solved(self, user_id: uuid.UUID) -> set[str]:
        rows = await self.repo.all_progress(user_id)
        return {row.level_key for row in rows if row.first_solved_at is not None}

    def _lesson_summary(
        self, lesson: Lesson, solved: set[str], completed: set[str]
    ) -> LessonSummary:
        done = sum(1 for level in lesson.levels if level.key in solved)
        return LessonSummary(
            key=lesson.key,
            order=lesson.order,
            title=lesson.title,
            summary=lesson.summary,
            levels_total=len(lesson.levels),
            levels_solved=done,
            completed=lesson.key in completed,
        )

    def _resume(self, rows: list[LevelProgress], by_key: dict[str, LevelProgress]) -> str | None:
        """The level touched last, or the next one after it if it is solved; with no
        progress at all, the first level."""
        levels = self.catalog.levels
        if not rows:
            return levels[0].key if levels else None
        last = max(rows, key=lambda row: row.updated_at)
        if last.first_solved_at is None:
            return last.level_key
        start = [level.key for level in levels].index(last.level_key)
        for level in (*levels[start + 1 :], *levels[:start]):
            row = by_key.get(level.key)
            if row is None or row.first_solved_at is None:
                return level.key
        return last.level_key

    async def _complete_lesson_if_done(self, actor: User, lesson_key: str) -> bool:
        lesson = self._lesson(lesson_key)
        solved = await self._solved(actor.id)
        if not all(level.key in solved for level in lesson.levels):
            return False
        if not await self.repo.complete_lesson(actor.id, lesson_key):
            return False
        self._announce(actor, QUEST_LESSON_COMPLETED, lesson_key=lesson_key)
        return True

    def _announce(self, actor: User, kind: str, **data: object) -> None:
        emit(
            self.session,
            Event(
                type=kind,
                workspace_id=None,
                user_id=actor.id,
                actor_id=actor.id,
                data={"user_id": str(actor.id), **data},
            ),
        )


def _constraints(level: Level) -> Constraints:
    return Constraints(
        num_qubits=level.num_qubits,
        allowed_gates=list(level.allowed_gates) if level.allowed_gates is not None else None,
        max_gates=level.max_gates,
    )


def _grade(level: Level, qasm: str):
    return grade_circuit(level, read_attempt(qasm))


def _seconds(reported: float | None, progress: LevelProgress, now: datetime) -> int:
    if reported is not None:
        return int(min(reported, MAX_ATTEMPT_SECONDS))
    # A new row was created just now, so its first unreported attempt counts 0.
    since = progress.last_attempt_at or progress.updated_at
    elapsed = (now - since).total_seconds()
    return int(elapsed) if 0 <= elapsed <= MAX_ATTEMPT_SECONDS else 0
