"""What the assistant's endpoints take and give back (also the SDK's models)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

from qdeck.api.params import StrictInteger, StrictSwitch
from qdeck.api.schemas import InputModel
from qdeck.jobs.schemas import CircuitFormat

# The analyzer transpiles the circuit several times: larger sources belong in a job.
MAX_ANALYSIS_SOURCE_CHARS = 200_000
MAX_ANALYSIS_OPERATIONS = 10_000


class AnalyzeRequest(InputModel):
    source: str = Field(
        min_length=1, max_length=MAX_ANALYSIS_SOURCE_CHARS, description="OpenQASM 2/3 text"
    )
    format: CircuitFormat | None = Field(default=None, description="Omitted: detected")
    backend: str | None = Field(
        default=None,
        max_length=100,
        description="Also transpile for this backend (aer_simulator or a fake_* device)",
    )
    devices: list[str] | None = Field(
        default=None,
        max_length=100,
        description="Compare only these fake devices (default: every one that fits)",
    )
    top: StrictInteger = Field(
        default=3, ge=1, le=10, description="How many screened devices to transpile for real"
    )
    exhaustive: StrictSwitch = Field(
        default=False, description="Transpile every device that fits (slower, exact for all)"
    )


class ReviewRequest(InputModel):
    source: str = Field(min_length=1, max_length=MAX_ANALYSIS_SOURCE_CHARS)
    backend: str | None = Field(
        default=None, max_length=100, description="Check features against this backend"
    )


class Finding(BaseModel):
    code: str
    severity: str
    message: str
    suggestion: str = ""
    qubits: list[int] = []
    line: int | None = None


class CircuitFacts(BaseModel):
    num_qubits: int
    num_clbits: int
    depth: int
    size: int
    gate_counts: dict[str, int]
    two_qubit_gates: int
    measured_qubits: list[int]
    has_control_flow: bool


class SuccessEstimate(BaseModel):
    probability: float = Field(description="prod(1 - gate error) * prod(1 - readout error)")
    gate_success: float
    readout_success: float
    gates_counted: int
    measurements: int
    unknown_error_gates: int
    gate_error_share: float = Field(description="Share of -log(probability) due to gates")


class Candidate(BaseModel):
    backend: str
    num_qubits: int
    screened_probability: float | None = Field(
        description="The cheap screen's estimate (no real transpile); null when not screened"
    )
    transpiled: bool
    depth: int | None
    size: int | None
    two_qubit_gates: int | None
    active_qubits: int | None
    layout: list[int] | None = Field(description="Physical qubit of each circuit qubit")
    estimate: SuccessEstimate | None
    findings: list[Finding]


class Recommendation(BaseModel):
    backend: str
    layout: list[int] | None
    probability: float
    reason: str


class CircuitAnalysis(BaseModel):
    circuit: CircuitFacts
    findings: list[Finding]
    candidates: list[Candidate]
    recommended: Recommendation | None
    requested_backend: Candidate | None
    too_small: list[str] = Field(description="Fake devices with fewer qubits than the circuit")
    optimization_level: int
    seed: int
    method: str = Field(description="screen+top (the default) or exhaustive")


class Pointer(BaseModel):
    """Where in the job the failure is: kind is qasm_line, backend_limit, spec_field,
    limit, backend or phase; the other keys depend on the kind."""

    model_config = {"extra": "allow"}
    kind: str


class FailureExplanation(BaseModel):
    code: str
    known: bool
    title: str
    cause: str
    fix: str
    retry_helps: bool
    message: str
    pointers: list[Pointer]


class ShotsNeeded(BaseModel):
    target_standard_error: float
    shots: int
    worst_case_shots: int


class ErrorBudget(SuccessEstimate):
    dominant: str = Field(description="gates or readout")


class Suspicion(BaseModel):
    code: str
    message: str


class ResultAnalysis(BaseModel):
    circuit_index: int
    sub_index: int
    binding: int
    shots: int
    outcomes: int
    ideal_available: bool
    ideal_unavailable_reason: str | None
    hellinger_fidelity: float | None
    total_variation_distance: float | None
    shot_noise_tvd: float | None
    error_budget: ErrorBudget | None
    shots_needed: ShotsNeeded
    suspicious: list[Suspicion]


class JobExplanation(BaseModel):
    job_id: uuid.UUID
    status: str
    backend: str
    summary: str
    failure: FailureExplanation | None
    results: list[ResultAnalysis]


class ReviewFinding(BaseModel):
    code: str
    severity: str
    line: int | None
    column: int | None
    message: str
    suggestion: str
    original: str | None
    rewrite: str | None


class Review(BaseModel):
    dialect: str
    backend: str
    findings: list[ReviewFinding]
    errors: int
    warnings: int


class FailureCount(BaseModel):
    code: str
    count: int
    title: str


class WeekPoint(BaseModel):
    week: str
    jobs: int
    finished: int
    success_rate: float | None


class WorseBackend(BaseModel):
    backend: str
    success_rate: float
    previous_success_rate: float
    finished: int
    previous_finished: int
    z: float


class Anomaly(BaseModel):
    metric: str
    value: float
    usual: float
    bound: float
    weeks_compared: int
    message: str


class WeeklyInsights(BaseModel):
    workspace_id: uuid.UUID
    week: str
    starts: date
    jobs: int
    finished: int
    completed: int
    failed: int
    success_rate: float | None
    median_queue_seconds: float | None
    p90_queue_seconds: float | None
    shots_used: int
    top_failures: list[FailureCount]
    trend: list[WeekPoint]
    worse_backends: list[WorseBackend]
    anomalies: list[Anomaly]
