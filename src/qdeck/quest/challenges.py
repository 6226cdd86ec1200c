"""Advanced challenges: a submission becomes a real job on the challenge's noisy device;
``consumers.score_challenge_attempts`` scores it when the job ends.

The leaderboard shows each person's best score. The circuit behind an entry is shown to
its author, to anyone whose own best is at least as high, and to everyone once the
challenge has ended.
"""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.db.types import utcnow
from qdeck.errors import Conflict
from qdeck.jobs.schemas import CircuitIn, JobCreate
from qdeck.jobs.service import JobService
from qdeck.quest.catalog import Catalog, Challenge
from qdeck.quest.errors import ChallengeNotFound
from qdeck.quest.models import ChallengeAttempt
from qdeck.quest.repository import QuestRepository
from qdeck.quest.schemas import (
    ChallengeAttemptRead,
    ChallengeRead,
    ChallengeSummary,
    LeaderboardEntry,
    LeaderboardRead,
)
from qdeck.quest.scoring import prepare

QUEST_TAG = "quest"
CHALLENGE_TAG = "challenge"


def attempt_read(attempt: ChallengeAttempt, challenge_key: str) -> ChallengeAttemptRead:
    return ChallengeAttemptRead(
        id=attempt.id,
        challenge_key=challenge_key,
        job_id=attempt.job_id,
        status=attempt.status,  # type: ignore[arg-type]
        score=attempt.score,
        two_qubit_gates=attempt.two_qubit_gates,
        feedback=attempt.feedback,
        created_at=attempt.created_at,
        scored_at=attempt.scored_at,
    )


def ended(challenge: Challenge) -> bool:
    return challenge.ends_at is not None and challenge.ends_at <= utcnow()


class ChallengeBoard:
    def __init__(self, session: AsyncSession, jobs: JobService, catalog: Catalog) -> None:
        self.session = session
        self.jobs = jobs
        self.catalog = catalog
        self.repo = QuestRepository(session)

    def _challenge(self, key: str) -> Challenge:
        challenge = self.catalog.challenge(key)
        if challenge is None:
            raise ChallengeNotFound(key)
        return challenge

    def _summary(self, challenge: Challenge, best: dict[str, float]) -> ChallengeSummary:
        return ChallengeSummary(
            key=challenge.key,
            title=challenge.title,
            backend=challenge.backend,
            metric=challenge.metric,
            ends_at=challenge.ends_at,
            ended=ended(challenge),
            best_score=best.get(challenge.key),
        )

    async def list(self, actor: User) -> list[ChallengeSummary]:
        best = await self.repo.best_scores_of(actor.id)
        return [self._summary(c, best) for c in self.catalog.challenges]

    async def get(self, actor: User, key: str) -> ChallengeRead:
        challenge = self._challenge(key)
        best = await self.repo.best_scores_of(actor.id)
        attempts = await self.repo.attempts_of(actor.id, key)
        return ChallengeRead(
            **self._summary(challenge, best).model_dump(),
            markdown=challenge.markdown,
            starting_qasm=challenge.starting_circuit,
            num_qubits=challenge.num_qubits,
            shots=challenge.shots,
            max_two_qubit_gates=challenge.max_two_qubit_gates,
            attempts=[attempt_read(a, key) for a in attempts],
        )

    async def submit(
        self, actor: User, key: str, qasm: str, workspace_id: uuid.UUID | None
    ) -> ChallengeAttemptRead:
        challenge = self._challenge(key)
        if ended(challenge):
            raise Conflict(f"The challenge {challenge.title!r} has ended.", code="challenge_ended")
        prepared = await asyncio.to_thread(prepare, challenge, qasm)
        job = await self.jobs.submit(
            actor,
            JobCreate(
                workspace_id=workspace_id,
                backend=challenge.backend,
                circuits=[CircuitIn(format="qasm2", source=prepared.qasm)],
                shots=challenge.shots,
                name=f"Quest challenge · {challenge.title}"[:200],
                tags=[QUEST_TAG, CHALLENGE_TAG, f"challenge:{challenge.key}"[:50]],
            ),
        )
        row = await self.repo.challenge_row(
            challenge.key,
            {
                "level": challenge.order,
                "title": challenge.title,
                "description": challenge.markdown,
                "spec": challenge.model_dump(mode="json"),
                "points": 0,
                "is_advanced": True,
            },
        )
        attempt = ChallengeAttempt(
            id=uuid.uuid4(),
            challenge_id=row.id,
            user_id=actor.id,
            job_id=job.id,
            circuit=qasm,
            status="pending",
            two_qubit_gates=prepared.two_qubit_gates,
            feedback=f"Running on {challenge.backend}; scored when the job completes.",
            created_at=utcnow(),
        )
        self.session.add(attempt)
        await self.session.flush()
        return attempt_read(attempt, challenge.key)

    async def leaderboard(self, actor: User, key: str) -> LeaderboardRead:
        challenge = self._challenge(key)
        rows = await self.repo.leaderboard(key)
        finished = ended(challenge)
        mine = next((a.score for a, _ in rows if a.user_id == actor.id), None)
        entries = []
        for rank, (attempt, name) in enumerate(rows, start=1):
            score = float(attempt.score or 0.0)
            is_you = attempt.user_id == actor.id
            visible = finished or is_you or (mine is not None and mine >= score)
            entries.append(
                LeaderboardEntry(
                    rank=rank,
                    user_id=attempt.user_id,
                    display_name=name,
                    score=score,
                    achieved_at=attempt.scored_at or attempt.created_at,
                    is_you=is_you,
                    qasm=attempt.circuit if visible else None,
                )
            )
        return LeaderboardRead(challenge_key=key, ended=finished, entries=entries)
