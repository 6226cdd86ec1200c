"""Quantum Quest from Python: ``client.quest`` (sync) and the same on ``AsyncQDeckClient``.

The calls are built once here for both clients, like ``calls.py`` does for the rest; the
models are the server's own (``qdeck.quest.schemas``).
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from qdeck.client.calls import Id, _body, _many, _one
from qdeck.client.resources import AsyncSender, Sender
from qdeck.client.transport import Call
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
    RunRequest,
)

_LESSONS = TypeAdapter(list[LessonSummary])


def lessons() -> Call[list[LessonSummary]]:
    return Call("GET", "/quest/lessons", lambda r: _LESSONS.validate_python(r.json()))


def lesson(key: str) -> Call[LessonRead]:
    return Call("GET", f"/quest/lessons/{key}", _one(LessonRead))


def level(key: str) -> Call[LevelRead]:
    return Call("GET", f"/quest/levels/{key}", _one(LevelRead))


def hint(key: str) -> Call[HintRead]:
    # Each call reveals one more hint: not repeated blindly.
    path = f"/quest/levels/{key}/hints"
    return Call("POST", path, _one(HintRead), idempotent=False, what="the hint")


def grade(key: str, qasm: str, seconds_spent: float | None) -> Call[GradeResult]:
    body = GradeRequest(qasm=qasm, seconds_spent=seconds_spent)
    return Call(
        "POST",
        f"/quest/levels/{key}/attempts",
        _one(GradeResult),
        json=_body(body),
        idempotent=False,
        what="the attempt",
    )


def progress() -> Call[ProgressRead]:
    return Call("GET", "/quest/progress", _one(ProgressRead))


def challenges() -> Call[list[ChallengeSummary]]:
    return Call("GET", "/quest/challenges", _many(ChallengeSummary))


def challenge(key: str) -> Call[ChallengeRead]:
    return Call("GET", f"/quest/challenges/{key}", _one(ChallengeRead))


def submit_challenge(key: str, qasm: str, workspace_id: Id | None) -> Call[ChallengeAttemptRead]:
    body = ChallengeSubmit.model_validate(
        {"qasm": qasm, **({"workspace_id": str(workspace_id)} if workspace_id else {})}
    )
    return Call(
        "POST",
        f"/quest/challenges/{key}/attempts",
        _one(ChallengeAttemptRead),
        json=_body(body),
        idempotent=False,
        what="the challenge attempt",
    )


def leaderboard(key: str) -> Call[LeaderboardRead]:
    return Call("GET", f"/quest/challenges/{key}/leaderboard", _one(LeaderboardRead))


def run(qasm: str, **fields: Any) -> Call[JobRead]:
    body = RunRequest.model_validate(
        {
            "qasm": qasm,
            **{
                k: (str(v) if k == "workspace_id" else v)
                for k, v in fields.items()
                if v is not None
            },
        }
    )
    return Call(
        "POST", "/quest/runs", _one(JobRead), json=_body(body), idempotent=False, what="the run"
    )


def comparison(job_id: Id) -> Call[Comparison]:
    return Call("GET", f"/quest/runs/{job_id}/comparison", _one(Comparison))


class Quest:
    """Lessons, graded levels, progress, challenges and runs (``client.quest``)."""

    def __init__(self, client: Sender) -> None:
        self._c = client

    def lessons(self) -> list[LessonSummary]:
        return self._c._send(lessons())

    def lesson(self, key: str) -> LessonRead:
        return self._c._send(lesson(key))

    def level(self, key: str) -> LevelRead:
        return self._c._send(level(key))

    def hint(self, level_key: str) -> HintRead:
        return self._c._send(hint(level_key))

    def grade(self, level_key: str, qasm: str, seconds_spent: float | None = None) -> GradeResult:
        return self._c._send(grade(level_key, qasm, seconds_spent))

    def progress(self) -> ProgressRead:
        return self._c._send(progress())

    def challenges(self) -> list[ChallengeSummary]:
        return self._c._send(challenges())

    def challenge(self, key: str) -> ChallengeRead:
        return self._c._send(challenge(key))

    def submit_challenge(
        self, key: str, qasm: str, *, workspace_id: Id | None = None
    ) -> ChallengeAttemptRead:
        return self._c._send(submit_challenge(key, qasm, workspace_id))

    def leaderboard(self, key: str) -> LeaderboardRead:
        return self._c._send(leaderboard(key))

    def run(
        self,
        qasm: str,
        backend: str = "aer_simulator",
        *,
        level_key: str | None = None,
        workspace_id: Id | None = None,
        shots: int | None = None,
    ) -> JobRead:
        call = run(
            qasm, backend=backend, level_key=level_key, workspace_id=workspace_id, shots=shots
        )
        return self._c._send(call)

    def compare(self, job_id: Id) -> Comparison:
        return self._c._send(comparison(job_id))


class AsyncQuest:
    """The same as ``Quest`` for ``AsyncQDeckClient``."""

    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def lessons(self) -> list[LessonSummary]:
        return await self._c._send(lessons())

    async def lesson(self, key: str) -> LessonRead:
        return await self._c._send(lesson(key))

    async def level(self, key: str) -> LevelRead:
        return await self._c._send(level(key))

    async def hint(self, level_key: str) -> HintRead:
        return await self._c._send(hint(level_key))

    async def grade(
        self, level_key: str, qasm: str, seconds_spent: float | None = None
    ) -> GradeResult:
        return await self._c._send(grade(level_key, qasm, seconds_spent))

    async def progress(self) -> ProgressRead:
        return await self._c._send(progress())

    async def challenges(self) -> list[ChallengeSummary]:
        return await self._c._send(challenges())

    async def challenge(self, key: str) -> ChallengeRead:
        return await self._c._send(challenge(key))

    async def submit_challenge(
        self, key: str, qasm: str, *, workspace_id: Id | None = None
    ) -> ChallengeAttemptRead:
        return await self._c._send(submit_challenge(key, qasm, workspace_id))

    async def leaderboard(self, key: str) -> LeaderboardRead:
        return await self._c._send(leaderboard(key))

    async def run(
        self,
        qasm: str,
        backend: str = "aer_simulator",
        *,
        level_key: str | None = None,
        workspace_id: Id | None = None,
        shots: int | None = None,
    ) -> JobRead:
        call = run(
            qasm, backend=backend, level_key=level_key, workspace_id=workspace_id, shots=shots
        )
        return await self._c._send(call)

    async def compare(self, job_id: Id) -> Comparison:
        return await self._c._send(comparison(job_id))
