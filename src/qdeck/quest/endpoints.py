"""/api/v1/quest: lessons, levels (hints, graded attempts), progress, challenges with their
leaderboards, and runs on real backends with their ideal-versus-noisy comparison."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from qdeck.api.deps import CurrentUser, ServicesDep
from qdeck.api.params import StrictInteger
from qdeck.api.schemas import InputModel
from qdeck.jobs.read_models import job_read
from qdeck.jobs.schemas import JobRead
from qdeck.quest.schemas import (
    ChallengeAttemptRead,
    ChallengeRead,
    ChallengeSubmit,
    ChallengeSummary,
    Comparison,
    GradeRequest,
    GradeResult,
    HintRead,
    LeaderboardRead,
    LessonRead,
    LessonSummary,
    LevelRead,
    ProgressRead,
    QuizAnswerResult,
    RunRequest,
)
from qdeck.quest.service import QuestService

router = APIRouter(prefix="/quest", tags=["quest"])
Key = Annotated[str, Path(min_length=1, max_length=100)]


def _service(services: ServicesDep) -> QuestService:
    return services.quest


ServiceDep = Annotated[QuestService, Depends(_service)]


class QuizAnswer(InputModel):
    index: StrictInteger
    choice: StrictInteger


@router.get("/lessons", response_model=list[LessonSummary])
async def list_lessons(user: CurrentUser, service: ServiceDep) -> list[LessonSummary]:
    """The learning path in order, with how far the caller has come in each lesson."""
    return await service.lessons(user)


@router.get("/lessons/{key}", response_model=LessonRead)
async def get_lesson(key: Key, user: CurrentUser, service: ServiceDep) -> LessonRead:
    return await service.lesson(user, key)


@router.post("/lessons/{key}/quiz", response_model=QuizAnswerResult)
async def answer_quiz(
    key: Key, body: QuizAnswer, user: CurrentUser, service: ServiceDep
) -> QuizAnswerResult:
    return await service.answer_quiz(user, key, body.index, body.choice)


@router.get("/levels/{key}", response_model=LevelRead)
async def get_level(key: Key, user: CurrentUser, service: ServiceDep) -> LevelRead:
    """The goal, constraints, starting circuit and revealed hints; the reference solution
    only once the caller has solved the level."""
    return await service.level(user, key)


@router.post("/levels/{key}/hints", response_model=HintRead)
async def reveal_hint(key: Key, user: CurrentUser, service: ServiceDep) -> HintRead:
    """Reveal (and record) the next of the level's three hints."""
    return await service.hint(user, key)


@router.post("/levels/{key}/attempts", response_model=GradeResult)
async def grade_attempt(
    key: Key, body: GradeRequest, user: CurrentUser, service: ServiceDep
) -> GradeResult:
    """Grade a circuit exactly against the level's goal. A circuit that does not parse,
    has more than 16 qubits or 10,000 operations, or uses unknown gates is a 422 naming
    the line and column, and nothing is recorded."""
    return await service.grade(user, key, body.qasm, body.seconds_spent)


@router.get("/progress", response_model=ProgressRead)
async def get_progress(user: CurrentUser, service: ServiceDep) -> ProgressRead:
    return await service.progress(user)


@router.get("/challenges", response_model=list[ChallengeSummary])
async def list_challenges(user: CurrentUser, service: ServiceDep) -> list[ChallengeSummary]:
    return await service.challenges(user)


@router.get("/challenges/{key}", response_model=ChallengeRead)
async def get_challenge(key: Key, user: CurrentUser, service: ServiceDep) -> ChallengeRead:
    return await service.challenge(user, key)


@router.post(
    "/challenges/{key}/attempts",
    status_code=status.HTTP_201_CREATED,
    response_model=ChallengeAttemptRead,
)
async def submit_challenge(
    key: Key, body: ChallengeSubmit, user: CurrentUser, service: ServiceDep
) -> ChallengeAttemptRead:
    """Run the circuit as a real job on the challenge's device (tags quest, challenge);
    the attempt is scored when the job completes."""
    return await service.submit_challenge(user, key, body.qasm, body.workspace_id)


@router.get("/challenges/{key}/leaderboard", response_model=LeaderboardRead)
async def get_leaderboard(key: Key, user: CurrentUser, service: ServiceDep) -> LeaderboardRead:
    return await service.leaderboard(user, key)


@router.post("/runs", status_code=status.HTTP_201_CREATED, response_model=JobRead)
async def start_run(
    body: RunRequest, user: CurrentUser, service: ServiceDep, response: Response
) -> JobRead:
    """Run a Quest circuit as a normal job (tag quest) on any backend, every qubit measured;
    it appears in the jobs list. Goes to the personal workspace unless workspace_id says."""
    job = await service.run(
        user,
        body.qasm,
        body.backend,
        body.level_key,
        workspace_id=body.workspace_id,
        shots=body.shots,
    )
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job_read(job)


@router.get("/runs/{job_id}/comparison", response_model=Comparison)
async def compare_run(job_id: uuid.UUID, user: CurrentUser, service: ServiceDep) -> Comparison:
    """Ideal against measured distribution, their Hellinger fidelity and why they differ."""
    return await service.compare(user, job_id)
