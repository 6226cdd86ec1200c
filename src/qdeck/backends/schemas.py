from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from qdeck.api.schemas import InputModel, OutputModel
from qdeck.jobs.schemas import CircuitFormat, Method


class MedianErrors(OutputModel):
    readout_error: float | None = None
    single_qubit_gate_error: float | None = None
    two_qubit_gate_error: float | None = None
    t1_us: float | None = None
    t2_us: float | None = None


class BackendRead(OutputModel):
    name: str
    provider: str
    kind: Literal["simulator", "fake_device", "hardware"]
    num_qubits: int
    description: str
    status: Literal["online", "paused", "offline"]
    status_message: str = ""
    # Jobs waiting in qdeck's queue for this backend (for hardware: IBM's pending jobs).
    queue_length: int
    running: int
    median_errors: MedianErrors | None
    basis_gates: list[str]


class BackendDetail(BackendRead):
    coupling_map: list[list[int]]
    max_qubits_by_method: dict[str, int]
    notes: str


class FitCheck(InputModel):
    format: CircuitFormat | None = None
    source: str = Field(min_length=1)
    method: Method | None = None


class FitResult(OutputModel):
    fits: bool
    reason: str
    num_qubits: int | None = None


class Calibration(OutputModel):
    backend: str
    qubits: list[dict[str, Any]]
    gates: list[dict[str, Any]]


class ProviderStatus(OutputModel):
    name: Literal["aer", "ibm_fake", "ibm_quantum"]
    status: Literal["ok", "not_configured", "error"]
    devices: int
    message: str
    code: str | None = None


class IbmAccountCheck(OutputModel):
    ok: bool
    channel: str | None = None
    instance: str | None = None
    backends: list[str] = []
    error: dict[str, Any] | None = None
