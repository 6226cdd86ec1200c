"""What Quantum Quest hands to its edges (API, pages, CLI) and what they send it.

The same models serve ``Services.quest`` and ``/api/v1/quest/``: a page renders exactly
what the API returns. A level's reference solution is a field of ``LevelRead`` that is
None until the caller has solved the level.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from qdeck.api.params import StrictInteger, StrictNumber
from qdeck.api.schemas import InputModel

GoalKind = Literal["state", "unitary", "distribution"]
MAX_QASM_CHARS = 200_000


class Constraints(BaseModel):
    """What a level allows: None means no limit beyond the grader's own."""

    num_qubits: int
    allowed_gates: list[str] | None = None
    max_gates: int | None = None


class LevelSummary(BaseModel):
    key: str
    title: str
    goal_kind: GoalKind
    best_stars: int = 0
    solved: bool = False


class QuizQuestionRead(BaseModel):
    """A multiple-choice question; the answer stays on the server (``answer_quiz``)."""

    index: int
    question: str
    choices: list[str]


class QuizAnswerResult(BaseModel):
    correct: bool
    correct_choice: int
    explanation: str


class LessonSummary(BaseModel):
    key: str
    order: int
    title: str
    summary: str
    levels_total: int
    levels_solved: int
    completed: bool


class LessonRead(LessonSummary):
    markdown: str
    starting_qasm: str
    levels: list[LevelSummary]
    quiz: list[QuizQuestionRead]


class LevelRead(BaseModel):
    key: str
    lesson_key: str
    title: str
    goal_kind: GoalKind
    goal: str  # Markdown with LaTeX: what to build
    constraints: Constraints
    starting_qasm: str
    hints_total: int
    hints: list[str]  # the hints revealed so far, in order
    attempts: int = 0
    best_stars: int = 0
    solved: bool = False
    first_solved_at: datetime | None = None
    # Only once the caller has solved the level; never before.
    reference_qasm: str | None = None
    reference_gate_count: int
    reference_depth: int
    next_level_key: str | None = None


class HintRead(BaseModel):
    level_key: str
    number: int  # 1-based
    total: int
    text: str


class GradeRequest(InputModel):
    qasm: str = Field(min_length=1, max_length=MAX_QASM_CHARS)
    seconds_spent: StrictNumber | None = Field(
        default=None, ge=0, description="time on this attempt as the client measured it"
    )


class GradeResult(BaseModel):
    passed: bool
    stars: int  # 0 when not passed, else 1-3
    gate_count: int
    depth: int
    reference_gate_count: int
    reference_depth: int
    feedback: str
    next_level_key: str | None = None
    first_solve: bool = False
    lesson_completed: bool = False
    # What the circuit actually produced, for the composer to show beside the goal.
    fidelity: float | None = None


class LevelProgressRead(BaseModel):
    level_key: str
    lesson_key: str
    attempts: int
    best_stars: int
    solved: bool
    first_solved_at: datetime | None
    seconds_spent: int
    hints_used: int
    last_attempt_at: datetime | None


class ProgressRead(BaseModel):
    levels_total: int
    levels_solved: int
    stars: int
    stars_possible: int
    lessons_total: int
    lessons_completed: list[str]
    # Resume where you left off: the level touched last (or the first unsolved one).
    resume_level_key: str | None
    levels: list[LevelProgressRead]


class ChallengeSummary(BaseModel):
    key: str
    title: str
    backend: str
    metric: str
    ends_at: datetime | None
    ended: bool
    best_score: float | None = None  # the caller's


class ChallengeRead(ChallengeSummary):
    markdown: str
    starting_qasm: str
    num_qubits: int
    shots: int
    max_two_qubit_gates: int | None
    attempts: list[ChallengeAttemptRead] = Field(default_factory=list)


class ChallengeSubmit(InputModel):
    qasm: str = Field(min_length=1, max_length=MAX_QASM_CHARS)
    workspace_id: uuid.UUID | None = None


class ChallengeAttemptRead(BaseModel):
    id: uuid.UUID
    challenge_key: str
    job_id: uuid.UUID | None
    status: Literal["pending", "scored", "failed"]
    score: float | None
    two_qubit_gates: int
    feedback: str
    created_at: datetime
    scored_at: datetime | None


class LeaderboardEntry(BaseModel):
    rank: int
    user_id: uuid.UUID
    display_name: str
    score: float
    achieved_at: datetime
    is_you: bool
    # Shown to users whose own best beats or equals it, and to everyone once it ended.
    qasm: str | None = None


class LeaderboardRead(BaseModel):
    challenge_key: str
    ended: bool
    entries: list[LeaderboardEntry]


class RunRequest(InputModel):
    qasm: str = Field(min_length=1, max_length=MAX_QASM_CHARS)
    backend: str = Field(default="aer_simulator", min_length=1, max_length=100)
    level_key: str | None = Field(default=None, max_length=100)
    workspace_id: uuid.UUID | None = None
    shots: StrictInteger | None = Field(default=None, ge=1, le=100_000)


class ErrorBudget(BaseModel):
    """Rough chance that each source spoils a shot, from the backend's calibration."""

    readout: float
    two_qubit_gates: float
    single_qubit_gates: float
    depth: float


class Comparison(BaseModel):
    job_id: uuid.UUID
    backend: str
    status: str
    shots: int | None
    ideal: dict[str, float]
    noisy: dict[str, float] | None  # None until the job has completed
    hellinger_fidelity: float | None
    explanation: str
    errors: ErrorBudget | None = None


ChallengeRead.model_rebuild()
